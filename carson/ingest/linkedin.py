"""LinkedIn data export: ``Connections.csv``, ``messages.csv``, ``Invitations.csv`` or the .zip.

Connections.csv opens with a "Notes:" preamble (quoted or not, one or more lines,
sometimes no blank line after it) before the header; columns are read by name
because older exports lack URL and some tools reorder them; dates look like
``08 Feb 2026`` (or ``15-Jan-24``); rows of hidden profiles can be empty but for
the date.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from functools import lru_cache, partial
from pathlib import Path

from carson.errors import ImportFormatError
from carson.ingest import _text
from carson.ingest.records import (
    ContactRecord,
    ExportInfo,
    InteractionRecord,
    Party,
    Problem,
    Record,
)
from carson.models import Channel, Direction, TieContext

csv.field_size_limit(10_000_000)

# First names, surnames, companies and titles repeat down a file: clean each once.
_clean = lru_cache(maxsize=65_536)(_text.clean)

_CONNECTION_COLS = {
    "first name": "first",
    "last name": "last",
    "url": "url",
    "profile url": "url",
    "email address": "email",
    "company": "company",
    "position": "position",
    "connected on": "connected",
}


def _header_index(lines: list[str], needles: tuple[str, ...]) -> int | None:
    for i, line in enumerate(lines[:50]):
        low = line.lower()
        if all(n in low for n in needles):
            return i
    return None


def _rows(text: str, start: int) -> Iterator[tuple[int, list[str]]]:
    """(1-based file line, cells) for each CSV row from line ``start`` (0-based) on."""
    body = "\n".join(text.splitlines()[start:])
    reader = csv.reader(io.StringIO(body))
    prev = 0
    try:
        for cells in reader:
            yield start + prev + 1, cells
            prev = reader.line_num
    except csv.Error as exc:
        raise _broken(start + prev + 1, exc) from exc


def _broken(line: int, exc: csv.Error) -> ImportFormatError:
    return ImportFormatError(
        f"line {line}: broken CSV quoting ({exc}).",
        "Re-export the file, or fix the quotes on that line.",
    )


def parse_connections(text: str, file: str, exported: date | None = None) -> Iterator[Record]:
    """Contacts, after an ``ExportInfo`` dated ``exported`` or else the newest Connected On."""
    records = list(_connections(text, file))
    dates = [r.connected_on for r in records if isinstance(r, ContactRecord) and r.connected_on]
    yield ExportInfo(as_of=exported or (max(dates) if dates else None))
    yield from records


def _connections(text: str, file: str) -> Iterator[Record]:
    lines = text.splitlines()
    start = _header_index(lines, ("first name", "last name"))
    if start is None:
        raise ImportFormatError(
            f"{file}: no LinkedIn header (First Name,Last Name,…) in the first 50 lines.",
            "Use the Connections.csv from LinkedIn's data export, or pass --format.",
        )
    # rows are read here, not through ``_rows``: one generator step a row less
    reader = csv.reader(io.StringIO("\n".join(lines[start:])))
    prev = 0  # the reader's line count after the previous row
    try:
        header = next(reader)
        prev = reader.line_num
        cols: dict[str, int] = {}
        for i, name in enumerate(header):
            key = _CONNECTION_COLS.get(name.strip().lower())
            if key and key not in cols:
                cols[key] = i
        width = len(header)
        at = {k: cols.get(k, width) for k in _CONNECTION_COLS.values()}
        i_first, i_last, i_url, i_mail = at["first"], at["last"], at["url"], at["email"]
        i_company, i_position, i_connected = at["company"], at["position"], at["connected"]
        pad = [""] * width
        clean, url_of, email_of, date_of = _clean, _text.url, _text.email, _text.parse_date

        for cells in reader:
            line = start + prev + 1
            prev = reader.line_num
            # exactly one cell per column, then "" for a column the file lacks
            if len(cells) != width:
                cells = (cells + pad)[:width]
            cells.append("")
            if not any(cells):
                continue
            first, last = clean(cells[i_first]), clean(cells[i_last])
            if not (first or last or any(c.strip() for c in cells)):
                continue
            name = f"{first} {last}" if first and last else first or last
            url = url_of(cells[i_url])
            mail = email_of(cells[i_mail])
            if not name:
                if url or mail:
                    name = (mail or "").split("@")[0] or (url or "").rstrip("/").rsplit("/", 1)[-1]
                else:
                    yield Problem(file, "no name, profile URL or email (a hidden profile?)", line)
                    continue
            raw_date = cells[i_connected].strip()
            connected = date_of(raw_date)
            if raw_date and connected is None:
                yield Problem(
                    file,
                    f'unreadable "Connected On" date "{clean(raw_date)}"; imported without it',
                    line,
                    warning=True,
                )
            company = clean(cells[i_company]) or None
            yield ContactRecord(
                name=name,
                first_name=first or None,
                last_name=last or None,
                source="linkedin",
                emails=(mail,) if mail else (),
                urls=(url,) if url else (),
                organization=company,
                title=clean(cells[i_position]) or None if company else None,
                connected_on=connected,
                tie_context=TieContext.linkedin,
                evidence=_connected_text(connected),
                line=line,
            )
    except csv.Error as exc:
        raise _broken(start + prev + 1, exc) from exc


@lru_cache(maxsize=8192)
def _connected_text(connected: date | None) -> str:
    if connected is None:
        return "Connected on LinkedIn"
    return f"Connected on LinkedIn on {connected:%d %b %Y}"


def _when(value: str) -> datetime | None:
    text = value.strip().replace(" UTC", "")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%y, %I:%M %p", "%m/%d/%Y %H:%M"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _table(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    rows = _rows(text, 0)
    try:
        _, header = next(rows)
    except StopIteration:
        return [], iter(())
    return [h.strip().lower() for h in header], rows


def parse_messages(text: str, file: str) -> Iterator[Record]:
    header, rows = _table(text)
    col = {h: i for i, h in enumerate(header)}
    if "from" not in col or "date" not in col:
        raise ImportFormatError(
            f"{file}: not a LinkedIn messages.csv (no FROM and DATE columns).",
            "Use messages.csv from LinkedIn's data export.",
        )
    parsed: list[tuple[int, dict[str, str]]] = []
    names: Counter[str] = Counter()
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        row = {h: (cells[i] if i < len(cells) else "") for h, i in col.items()}
        parsed.append((line, row))
        names[_text.clean(row.get("from"))] += 1
        for to in row.get("to", "").split(","):
            names[_text.clean(to)] += 1
    names.pop("", None)
    # The owner is in every conversation: the most frequent participant.
    owner = names.most_common(1)[0][0] if names else ""
    for line, row in parsed:
        at = _when(row.get("date", ""))
        if at is None:
            yield Problem(file, f'unreadable DATE "{_text.clean(row.get("date"))}"', line=line)
            continue
        sender_name = _text.clean(row.get("from"))
        to_names = [_text.clean(t) for t in row.get("to", "").split(",") if _text.clean(t)]
        to_urls = [_text.url(u) for u in row.get("recipient profile urls", "").split(",")]
        sender = Party(
            sender_name or None,
            None,
            None if sender_name == owner else _text.url(row.get("sender profile url")),
            is_owner=sender_name == owner,
        )
        others = [
            Party(n, None, to_urls[i] if i < len(to_urls) and n != owner else None, n == owner)
            for i, n in enumerate(to_names)
        ]
        key = "|".join(
            (
                row.get("conversation id", ""),
                row.get("date", ""),
                sender_name,
                row.get("content", "")[:200],
            )
        )
        yield InteractionRecord(
            at=at,
            channel=Channel.message,
            source="linkedin",
            source_id="linkedin-msg:" + hashlib.sha1(key.encode()).hexdigest()[:20],
            sender=sender,
            others=others,
            subject=_text.clean(row.get("subject") or row.get("conversation title")) or None,
            direction=Direction.outbound if sender_name == owner else Direction.inbound,
            line=line,
        )


def parse_invitations(text: str, file: str) -> Iterator[Record]:
    header, rows = _table(text)
    col = {h: i for i, h in enumerate(header)}
    if "from" not in col or "sent at" not in col:
        raise ImportFormatError(
            f"{file}: not a LinkedIn Invitations.csv (no From and Sent At columns).",
            "Use Invitations.csv from LinkedIn's data export.",
        )
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        row = {h: (cells[i] if i < len(cells) else "") for h, i in col.items()}
        at = _when(row.get("sent at", ""))
        if at is None:
            yield Problem(file, f'unreadable "Sent At" "{_text.clean(row.get("sent at"))}"', line)
            continue
        outgoing = row.get("direction", "").strip().upper() == "OUTGOING"
        other_name = _text.clean(row.get("to" if outgoing else "from"))
        other_url = _text.url(row.get("inviteeprofileurl" if outgoing else "inviterprofileurl"))
        if not other_name:
            yield Problem(file, "invitation without a name", line=line)
            continue
        key = f"{row.get('sent at')}|{row.get('from')}|{row.get('to')}"
        yield InteractionRecord(
            at=at,
            channel=Channel.message,
            source="linkedin",
            source_id="linkedin-inv:" + hashlib.sha1(key.encode()).hexdigest()[:20],
            sender=None,
            others=[Party(other_name, None, other_url)],
            subject="LinkedIn invitation",
            summary=_text.clean_note(row.get("message", "")) or None,
            direction=Direction.outbound if outgoing else Direction.inbound,
            line=line,
        )


def parse_zip(path: Path) -> Iterator[tuple[str, Iterator[Record]]]:
    """(member name, records) for each LinkedIn file the export .zip holds."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFormatError(f"{path.name}: not a readable .zip ({exc}).") from exc
    parsers = {
        "connections.csv": parse_connections,
        "messages.csv": parse_messages,
        "invitations.csv": parse_invitations,
    }
    with zf:
        members = {Path(n).name.lower(): n for n in zf.namelist()}
        if "connections.csv" not in members:
            raise ImportFormatError(
                f"{path.name}: this .zip has no Connections.csv.",
                "Request the LinkedIn data export with Connections included.",
            )
        for base, parser in parsers.items():
            if base in members:
                info = zf.getinfo(members[base])
                if base == "connections.csv":
                    # the export's own date: when LinkedIn wrote the file
                    parser = partial(parse_connections, exported=_zip_date(info))
                text, _ = _text.decode(zf.read(members[base]))
                yield f"{path.name}:{members[base]}", parser(text, f"{path.name}:{members[base]}")


def _zip_date(info: zipfile.ZipInfo) -> date | None:
    try:
        stamp = date(*info.date_time[:3])
    except ValueError:
        return None
    return stamp if stamp.year > 1980 else None
