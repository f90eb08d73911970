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
from collections.abc import Callable, Iterator, Set
from datetime import datetime, timedelta
from email.header import decode_header
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from carson.errors import ImportFormatError
from carson.ingest import _text
from carson.ingest._text import to_naive_utc
from carson.ingest.records import InteractionRecord, Party, Problem, Record
from carson.models import Channel

_LIST_HEADERS = (
    b"list-id",
    b"list-post",
    b"list-unsubscribe",
    b"list-subscribe",
    b"list-help",
    b"list-archive",
    b"mailing-list",
    b"x-mailing-list",
    b"x-beenthere",
)
_WANTED = {
    b"from",
    b"to",
    b"cc",
    b"date",
    b"message-id",
    b"subject",
    b"precedence",
    b"sender",
    b"errors-to",
    *_LIST_HEADERS,
}
_LIST_SET = frozenset(_LIST_HEADERS)
_LIST_MARKS = _LIST_SET | {b"precedence", b"sender", b"errors-to"}
_NONE: frozenset[str] = frozenset()
# Addresses a list named in its own headers: mailto: links, <a@b>, bare a@b.
_HEADER_ADDR = re.compile(r"(?:mailto:)?([\w.+=-]+@[\w-]+(?:\.[\w-]+)+)", re.I)
_LIST_ID = re.compile(r"<([^<>\s]+)>|^\s*([^<>\s]+)\s*$")
# Local parts of list machinery and robots: never a person.
_ROBOT_SUFFIX = ("-bounces", "-bounce", "-request", "-owner", "-admin", "-confirm", "-unsubscribe")
_ROBOT_LOCAL = {"mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "do-not-reply"}
_SIMPLE_ADDR = re.compile(
    r"^(?:([^<>\"(),;:@\\]*?)\s*<([^<>\s\"(),;:@]+@[^<>\s\"(),;:@]+)>"
    r"|([^<>\s\"(),;:@]+@[^<>\s\"(),;:@]+))$"
)
_DATE = re.compile(
    r"^\s*(?:[A-Za-z]{3},?\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+"
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4})?(?:\s*\(\w+\))?\s*$"
)
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
)}  # fmt: skip
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


@lru_cache(maxsize=65_536)
def display_name(raw: str) -> str | None:
    """A person's name from a header display name ("Nehren, Daniel" → "Daniel Nehren")."""
    name = _text.clean(_decode_words(raw)).strip("'\" ")
    if not name or "@" in name:
        return None
    return _text.person_name(name)


def _addresses(values: list[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for value in values:
        if not value:
            continue
        if '"' in value or "(" in value or " at " in value:
            out += _parse_header(value)  # quoted commas, comments: the full parser
        else:
            for item in value.split(","):
                out += _parse_header(item.strip())
    return out


@lru_cache(maxsize=65_536)
def _parse_header(value: str) -> list[tuple[str, str]]:
    """(display name, address) pairs from one header value; repeats come from the cache."""
    m = _SIMPLE_ADDR.match(value)
    if m:  # "Name <a@b>", "<a@b>" or "a@b": most headers, without the full parser
        name, addr = m.group(1) or "", m.group(2) or m.group(3)
        return [(name.strip(), addr)]
    fixed = _AT.sub(r"\1@\2", value) if "@" not in value else value
    try:
        pairs = getaddresses([fixed])
    except (ValueError, TypeError, IndexError):
        return []
    return [(name, addr) for name, addr in pairs if addr and "=?" not in addr]


@lru_cache(maxsize=65_536)
def _email(addr: str) -> str | None:
    return _text.email(addr)


@lru_cache(maxsize=65_536)
def is_robot(addr: str) -> bool:
    """List machinery (``-bounces@``, ``-request@``, ``owner-``) or a no-reply robot."""
    local = addr.partition("@")[0]
    return local.endswith(_ROBOT_SUFFIX) or local.startswith("owner-") or local in _ROBOT_LOCAL


def _date(value: str) -> datetime | None:
    """An RFC 2822 date as naive UTC: the usual shape by regex, anything else by ``email``."""
    m = _DATE.match(value)
    if m:
        day, mon, year, hh, mm, ss, zone = m.groups()
        month = _MONTHS.get(mon.lower())
        if month:
            try:
                at = datetime(int(year), month, int(day), int(hh), int(mm), int(ss or 0))
            except ValueError:
                return None
            if zone and zone not in ("+0000", "-0000"):
                sign = -1 if zone[0] == "-" else 1
                at -= sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
            return at
    try:
        return to_naive_utc(parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _list_base(addr: str) -> str:
    """``foo-bounces@x`` → ``foo@x``: the list an owner/bounce address belongs to."""
    local, _, domain = addr.partition("@")
    for suffix in _ROBOT_SUFFIX:
        if local.endswith(suffix):
            return f"{local[: -len(suffix)]}@{domain}"
    if local.startswith("owner-"):
        return f"{local[6:]}@{domain}"
    return addr


def list_traffic(h: dict[bytes, str]) -> tuple[bool, Set[str], Set[str]]:
    """(is this list mail, the lists' addresses, their List-Id keys like ``foo.example.org``)."""
    if not h.keys() & _LIST_MARKS:
        return False, _NONE, _NONE
    is_list = bool(h.keys() & _LIST_SET)
    if h.get(b"precedence", "").strip().lower() in ("list", "bulk", "junk"):
        is_list = True
    addrs: set[str] = set()
    for key in (b"list-post", b"x-mailing-list", b"x-beenthere", b"mailing-list", b"list-help"):
        for m in _HEADER_ADDR.finditer(h.get(key, "")):
            addrs.add(_list_base(m.group(1).lower()))
    for key in (b"sender", b"errors-to"):
        for _, addr in _addresses([h.get(key, "")]):
            e = _email(addr)
            if e and is_robot(e):
                is_list = True
                addrs.add(_list_base(e))
    ids: set[str] = set()
    list_id = _LIST_ID.search(h.get(b"list-id", ""))
    if list_id:
        ids.add((list_id.group(1) or list_id.group(2)).lower())
    ids |= {a.replace("@", ".") for a in addrs}
    return is_list, addrs, ids


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


# A message starts at a "From " line that follows a blank line (or opens the file).
_SEPARATOR = re.compile(rb"\n\r?\n(?=From )")
_HEADER_END = re.compile(rb"\n\r?\n")
_CHUNK = 1 << 20


def _messages(
    fh: BinaryIO, keep_body: bool = True
) -> Iterator[tuple[int, bytes, list[bytes], list[bytes]]]:
    """(line of the From_ separator, separator, header lines, body lines) per message.

    The file is read in 1 MB blocks and split with ``re`` and ``bytes`` methods, so a
    header-only import never walks the bodies line by line.
    """
    buf = b"\n\n" + fh.read(_CHUNK)  # as if a blank line came before the first line
    eof = len(buf) - 2 < _CHUNK
    line = -1  # the line number of buf[counted]
    counted = 0
    found = _SEPARATOR.search(buf)
    while found is None:  # text before the first message is not mail
        if eof:
            return
        cut = max(0, len(buf) - 8)  # a separator may straddle the two blocks
        line += buf.count(b"\n", 0, cut)
        more = fh.read(_CHUNK)
        eof = len(more) < _CHUNK
        buf = buf[cut:] + more
        found = _SEPARATOR.search(buf)
    pos = found.end()
    while True:
        found = _SEPARATOR.search(buf, pos + 5)
        if found is None and not eof:
            line += buf.count(b"\n", counted, pos)
            more = fh.read(_CHUNK)
            eof = len(more) < _CHUNK
            buf, pos, counted = buf[pos:] + more, 0, 0
            continue
        line += buf.count(b"\n", counted, pos)
        counted = pos
        msg = buf[pos : found.start() + 1] if found is not None else buf[pos:]
        nl = msg.find(b"\n")
        sep, rest = (msg, b"") if nl < 0 else (msg[: nl + 1], msg[nl + 1 :])
        if rest.startswith((b"\n", b"\r\n")):
            head, body = b"", rest
        else:
            end = _HEADER_END.search(rest)
            head, body = (rest, b"") if end is None else (rest[: end.start()], rest[end.end() :])
        headers = head.split(b"\n")
        if b"\r" in head:
            headers = [x.rstrip(b"\r") for x in headers]
        headers = [x for x in headers if x]
        yield line, sep, headers, body.splitlines(keepends=True)[:2000] if keep_body else []
        if found is None:
            return
        pos = found.end()


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
    for line, sep, header_lines, body in _messages(fh, with_bodies):
        first = False
        count += 1
        h = _header_lines(header_lines)
        date_raw = h.get(b"date", "")
        at = _date(date_raw) if date_raw else None
        if at is None:
            m = _FROM_LINE_DATE.search(sep)
            if m:
                at = _date(m.group(1).decode("ascii", "replace"))
        if at is None:
            yield Problem(file, "message has no readable date", line, count)
            continue
        is_list, list_addrs, list_ids = list_traffic(h)
        senders = _addresses([h[b"from"]]) if b"from" in h else []
        if not senders:
            yield Problem(file, "message has no From address", line, count)
            continue
        sname, saddr = senders[0]
        semail = _email(saddr)
        if semail and (semail in list_addrs or is_robot(semail)):
            sender = None  # the list itself (a digest, a bounce): not a person
        else:
            sender = Party(display_name(sname), semail)
        others: list[Party] = []
        seen = {semail}
        list_domains: Set[str] = _NONE
        if is_list:
            list_domains = {a.partition("@")[2] for a in list_addrs}
            list_domains |= {i.partition(".")[2] for i in list_ids}
        for name, addr in _addresses([h.get(b"to", ""), h.get(b"cc", "")]):
            e = _email(addr)
            if not e or e in seen:
                continue
            seen.add(e)
            if e in list_addrs or is_robot(e) or (list_ids and e.replace("@", ".") in list_ids):
                continue
            if is_list and not name and e.partition("@")[2] in list_domains:
                continue  # cross-posted to another list at the same host
            others.append(Party(display_name(name), e))
        if sender is None and not others:
            continue
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
            is_list=is_list,
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
