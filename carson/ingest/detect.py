"""Which format a file is, from its content (the extension is only a tie-breaker)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from carson.errors import ImportFormatError
from carson.ingest import _text

FORMATS = (
    "linkedin",
    "linkedin-messages",
    "linkedin-invitations",
    "linkedin-zip",
    "google",
    "vcard",
    "ics",
    "mbox",
    "carson",
    "carson-export",
)
# What a user may type after `carson import` / `--format`.
ALIASES = {
    "linkedin": "linkedin",
    "google": "google",
    "gmail": "google",
    "vcard": "vcard",
    "vcf": "vcard",
    "ics": "ics",
    "ical": "ics",
    "calendar": "ics",
    "mbox": "mbox",
    "mail": "mbox",
    "carson": "carson",
    "csv": "carson",
    "json": "carson",
}


def _csv_header(text: str) -> list[str]:
    for line in text.splitlines()[:40]:
        low = line.lower()
        if "," in line and any(
            k in low for k in ("first name", "given name", "e-mail", "conversation id", "sent at")
        ):
            try:
                return [c.strip().lower() for c in next(csv.reader(io.StringIO(line)))]
            except (csv.Error, StopIteration):
                return []
    return []


def sniff(path: Path) -> str:
    """The format of ``path`` (one of ``FORMATS``), or ImportFormatError saying why not."""
    if path.is_dir():
        if (path / "people.csv").exists() or (path / "carson-export.json").exists():
            return "carson-export"
        raise ImportFormatError(
            f"{path}: a folder, and not a Carson export.",
            "Pass a file (Connections.csv, contacts.vcf, calendar.ics, mail.mbox).",
        )
    if zipfile.is_zipfile(path):
        return "linkedin-zip"
    with path.open("rb") as fh:
        head = fh.read(65536)
    text, _ = _text.decode(head)
    stripped = text.lstrip("\ufeff \r\n\t")
    upper = text.upper()
    if stripped.startswith("From "):
        return "mbox"
    if "BEGIN:VCARD" in upper:
        return "vcard"
    if "BEGIN:VCALENDAR" in upper or "BEGIN:VEVENT" in upper:
        return "ics"
    if stripped.startswith(("{", "[")):
        return "carson-export" if '"carson-export"' in text else "carson"
    header = _csv_header(text)
    cols = set(header)
    if "conversation id" in cols or {"from", "to", "content"} <= cols:
        return "linkedin-messages"
    if "sent at" in cols and "from" in cols:
        return "linkedin-invitations"
    if any(c.startswith(("e-mail 1", "phone 1", "organization 1")) for c in cols) or cols & {
        "given name",
        "middle name",
        "labels",
        "group membership",
        "organization name",
        "family name",
    }:
        return "google"
    if {"first name", "last name"} <= cols:
        return "linkedin"
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return "carson"
    raise ImportFormatError(
        f"{path.name}: can't tell what kind of export this is.",
        "Pass --format (linkedin, google, vcard, ics, mbox, carson).",
    )


def resolve_format(path: Path, requested: str | None) -> str:
    """Detect the format, narrowed by what the user asked for (``linkedin`` covers its files)."""
    if requested is None:
        return sniff(path)
    wanted = ALIASES.get(requested.strip().lower())
    if wanted is None:
        raise ImportFormatError(
            f'Unknown import format "{requested}".',
            "Use one of: linkedin, google, vcard, ics, mbox, carson.",
        )
    if wanted in ("linkedin", "carson"):
        try:
            found = sniff(path)
        except ImportFormatError:
            found = wanted
        if found.startswith(wanted):
            return found
    return wanted
