"""Mailbox ``.mbox``, streamed: the file is read line by line and never held whole.

Python's ``mailbox.mbox`` decodes the ``From `` separator line as ASCII and crashes
on real archives (a raw 0xED byte in one), so messages are split here on bytes.
Headers only by default; bodies (a short text summary) only with ``with_bodies``.
Pipermail's ``andy at example.com (Andy Grunwald)`` senders are understood, and a
mailing list's own address (``List-Post``) is not taken for a person.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from email.header import decode_header
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO

from carson.errors import ImportFormatError
from carson.ingest import _text
from carson.ingest.ics import to_naive_utc
from carson.ingest.records import InteractionRecord, Party, Problem, Record
from carson.models import Channel

_WANTED = {b"from", b"to", b"cc", b"date", b"message-id", b"subject", b"list-post", b"list-id"}
_AT = re.compile(r"([\w.+-]+) at ([\w-]+(?:\.[\w-]+)+)")
_FROM_LINE_DATE = re.compile(rb"(\w{3} \w{3} +\d+ \d+:\d+:\d+(?: [+-]?\w+)? \d{4})")
_BODY_LIMIT = 64_000


def _decode_words(value: str) -> str:
    if "=?" not in value:
        return value
    try:
        chunks = decode_header(value)
    except (ValueError, LookupError, UnicodeError, TypeError):
        return value
    out = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        try:
            out.append(chunk.decode(charset or "ascii"))
        except (LookupError, UnicodeDecodeError):
            out.append(chunk.decode("latin-1"))
    return "".join(out)


def _dec(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def display_name(raw: str) -> str | None:
    """A person's name from a header display name ("Nehren, Daniel" → "Daniel Nehren")."""
    name = _text.clean(_decode_words(raw)).strip("'\" ")
    if not name or "@" in name:
        return None
    return _text.person_name(name)


def _addresses(values: list[str]) -> list[tuple[str, str]]:
    fixed = [_AT.sub(r"\1@\2", v) if "@" not in v else v for v in values]
    try:
        pairs = getaddresses(fixed)
    except (ValueError, TypeError, IndexError):
        return []
    out = []
    for name, addr in pairs:
        if "=?" in addr or not addr:
            continue
        out.append((name, addr))
    return out


def _header_lines(lines: list[bytes]) -> dict[bytes, str]:
    out: dict[bytes, str] = {}
    key: bytes | None = None
    for raw in lines:
        if raw[:1] in (b" ", b"\t"):
            if key is not None and key in _WANTED:
                out[key] += " " + _dec(raw.strip())
            continue
        name, sep, value = raw.partition(b":")
        if not sep:
            key = None
            continue
        key = name.strip().lower()
        if key in _WANTED and key not in out:
            out[key] = _dec(value.strip())
        elif key in _WANTED:
            key = None
    return out


def _messages(fh: BinaryIO) -> Iterator[tuple[int, bytes, list[bytes], list[bytes]]]:
    """(line of the From_ separator, separator, header lines, body lines) per message."""
    sep: bytes | None = None
    start = 0
    headers: list[bytes] = []
    body: list[bytes] = []
    in_headers = False
    prev_blank = True
    for n, line in enumerate(fh, 1):
        if line.startswith(b"From ") and prev_blank:
            if sep is not None:
                yield start, sep, headers, body
            sep, start, headers, body, in_headers = line, n, [], [], True
            prev_blank = False
            continue
        stripped = line.rstrip(b"\r\n")
        prev_blank = not stripped
        if sep is None:
            continue
        if in_headers:
            if not stripped:
                in_headers = False
            else:
                headers.append(stripped)
        elif body is not None and len(body) < 2000:
            body.append(line)
    if sep is not None:
        yield start, sep, headers, body


def _body_summary(headers: list[bytes], body: list[bytes]) -> str | None:
    raw = b"\r\n".join(headers) + b"\r\n\r\n" + b"".join(body)[:_BODY_LIMIT]
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    try:
        part = msg.get_body(preferencelist=("plain",))
        text = part.get_content() if part is not None else ""
    except (LookupError, KeyError, ValueError, AttributeError, UnicodeError):
        return None
    text = _text.clean_note(str(text))
    return text[:1000] or None


def parse_stream(fh: BinaryIO, file: str, *, with_bodies: bool = False) -> Iterator[Record]:
    first = True
    count = 0
    for line, sep, header_lines, body in _messages(fh):
        first = False
        count += 1
        h = _header_lines(header_lines)
        at: datetime | None = None
        date_raw = h.get(b"date", "")
        if date_raw:
            try:
                at = parsedate_to_datetime(date_raw)
            except (TypeError, ValueError, IndexError):
                at = None
        if at is None:
            m = _FROM_LINE_DATE.search(sep)
            if m:
                try:
                    at = parsedate_to_datetime(m.group(1).decode("ascii", "replace"))
                except (TypeError, ValueError, IndexError):
                    at = None
        if at is None:
            yield Problem(file, "message has no readable date", line, count)
            continue
        list_addrs = {a.lower() for _, a in _addresses([h.get(b"list-post", "")])}
        senders = _addresses([h[b"from"]]) if b"from" in h else []
        if not senders:
            yield Problem(file, "message has no From address", line, count)
            continue
        sname, saddr = senders[0]
        sender = Party(display_name(sname), _text.email(saddr))
        others: list[Party] = []
        seen = {sender.email}
        for name, addr in _addresses([h.get(b"to", ""), h.get(b"cc", "")]):
            e = _text.email(addr)
            if e and e not in seen and e not in list_addrs:
                seen.add(e)
                others.append(Party(display_name(name), e))
        mid = h.get(b"message-id", "").strip().strip("<>").strip()
        if not mid:
            key = f"{saddr}|{date_raw}|{h.get(b'subject', '')}"
            mid = "sha1:" + hashlib.sha1(key.encode()).hexdigest()[:24]
        yield InteractionRecord(
            at=to_naive_utc(at),
            channel=Channel.email,
            source="mbox",
            source_id="mid:" + mid[:300],
            sender=sender,
            others=others,
            subject=_text.clean(_decode_words(h.get(b"subject", "")))[:300] or None,
            summary=_body_summary(header_lines, body) if with_bodies else None,
            line=line,
            record=count,
        )
    if first:
        raise ImportFormatError(
            f"{file}: no messages (no 'From ' separator lines) in this mailbox.",
            "Export the mailbox in mbox format (Gmail: Google Takeout → Mail).",
        )


def parse_path(
    path: Path,
    *,
    with_bodies: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Record]:
    with path.open("rb") as fh:
        for i, rec in enumerate(parse_stream(fh, path.name, with_bodies=with_bodies)):
            if progress is not None and i % 2000 == 0:
                progress(fh.tell())
            yield rec
