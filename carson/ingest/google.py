"""Google Contacts CSV, current and older headers.

Current: ``First Name,Middle Name,Last Name,…,Organization Name,Organization Title,…,
Labels,E-mail 1 - Label,E-mail 1 - Value,…``. Older: ``Name,Given Name,…,Group
Membership,E-mail 1 - Type,E-mail 1 - Value,…,Organization 1 - Name``. Several values
in one cell are joined with `` ::: ``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from carson.errors import ImportFormatError
from carson.ingest import _text
from carson.ingest.records import ContactRecord, Problem, Record
from carson.models import TieContext

_NUMBERED = re.compile(r"^(e-mail|phone|website|organization|address) (\d+) - (.+)$")
_SYSTEM_LABELS = {"mycontacts", "my contacts", "starred", "other contacts"}


def _header_ok(header: list[str]) -> bool:
    low = {h.strip().lower() for h in header}
    named = bool(low & {"first name", "given name", "name", "last name", "family name"})
    return named and any(h.startswith(("e-mail 1", "phone 1", "organization")) for h in low)


def parse(text: str, file: str) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ImportFormatError(f"{file}: the file is empty.") from None
    except csv.Error as exc:
        raise ImportFormatError(f"{file}: line 1 is not CSV ({exc}).") from exc
    if not _header_ok(header):
        raise ImportFormatError(
            f"{file}: not a Google Contacts CSV (no name and e-mail/phone columns).",
            "Export from contacts.google.com as 'Google CSV', or pass --format.",
        )
    low = [h.lower() for h in header]
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Problem(file, f"broken CSV quoting ({exc}); the rest was not read", line + 1)
            return
        row_line, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        row = {h: cells[i] for i, h in enumerate(low) if i < len(cells) and cells[i].strip()}
        rec = _record(row, file, row_line)
        if isinstance(rec, str):
            yield Problem(file, rec, line=row_line)
        else:
            yield rec


def _record(row: dict[str, str], file: str, line: int) -> ContactRecord | str:
    first = _text.clean(row.get("first name") or row.get("given name"))
    middle = _text.clean(row.get("middle name") or row.get("additional name"))
    last = _text.clean(row.get("last name") or row.get("family name"))
    parts = " ".join(p for p in (first, middle, last) if p)
    name = _text.clean(row.get("name")) or parts
    if "," in name and first and last and {first, last} <= set(name.replace(",", " ").split()):
        name = parts  # "Smith, Zoë" / "Zoë, Smith": the name parts say which is which
    emails: list[str] = []
    phones: list[str] = []
    urls: list[str] = []
    orgs: dict[str, dict[str, str]] = {}
    for key, value in row.items():
        m = _NUMBERED.match(key)
        if not m:
            continue
        kind, n, part = m.groups()
        if kind == "organization":
            orgs.setdefault(n, {})[part] = value
        elif part == "value":
            for v in _text.split_multi(value):
                if kind == "e-mail" and (e := _text.email(v)) and e not in emails:
                    emails.append(e)
                elif kind == "phone" and (p := _text.phone(v)) and p not in phones:
                    phones.append(p)
                elif kind == "website" and (u := _text.url(v)) and "linkedin.com/" in u:
                    urls.append(u)
    org = _text.clean(row.get("organization name"))
    title = _text.clean(row.get("organization title"))
    if not org and orgs:
        first_org = orgs[min(orgs)]
        org, title = _text.clean(first_org.get("name")), _text.clean(first_org.get("title"))
    if not name:
        name = _text.clean(row.get("nickname") or row.get("file as"))
    if not name and emails:
        name = emails[0].split("@")[0]
    if not name:
        return "no name and no e-mail address"
    labels = row.get("labels") or row.get("group membership") or ""
    tags = [
        t.lstrip("* ").strip()
        for t in _text.split_multi(labels)
        if t.lstrip("* ").strip().lower() not in _SYSTEM_LABELS
    ]
    notes = [n for n in [_text.clean_note(row.get("notes", ""))] if n]
    return ContactRecord(
        name=name,
        first_name=first or None,
        last_name=last or None,
        source="google",
        emails=emails,
        phones=phones,
        urls=urls,
        organization=org or None,
        title=(title or None) if org else None,
        birthday=_text.parse_date(row.get("birthday")),
        location=_text.clean(row.get("location")) or None,
        notes=notes,
        tags=[_text.clean(t) for t in tags if _text.clean(t)],
        tie_context=TieContext.acquaintance,
        evidence="In your Google contacts",
        line=line,
    )
