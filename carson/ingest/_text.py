"""Decoding files and cleaning the untrusted text inside them.

Imported text is untrusted: display fields (names, titles, companies) lose control
characters, terminal escape sequences and bidi overrides; note text is kept as data.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

import phonenumbers

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
# Bidi overrides plus zero-width spaces, word joiners and stray BOMs: invisible, no honest
# use in a contact field or note, and a way to hide words ("ig\u200bnore") from a reader.
# (Zero-width joiners and non-joiners stay: emoji and several scripts need them.)
_HIDDEN = {**_BIDI, **dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))}
_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+$")


def decode(data: bytes) -> tuple[str, str | None]:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16, else Latin-1 with a warning."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), None
    head = data[:2000]
    if head and head.count(0) > len(head) // 4:
        # UTF-16 without a BOM: every other byte of ASCII text is zero
        codec = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        return data.decode(codec, errors="replace"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        bad = data.decode("utf-8", errors="replace").count("\ufffd")
        if bad <= max(2, len(data) // 1000):
            # a stray broken byte or two in an otherwise UTF-8 file (a truncated character)
            where = data[: exc.start].count(b"\n") + 1
            return data.decode("utf-8", errors="replace"), (
                f"invalid UTF-8 near line {where}; the broken characters were replaced"
            )
        return data.decode("latin-1"), "not UTF-8 or UTF-16; read as Latin-1"


def read_text(path: Path) -> tuple[str, str | None]:
    return decode(path.read_bytes())


def clean(value: object) -> str:
    """A display field: no control characters or escape sequences, spaces collapsed."""
    if value is None:
        return ""
    text = str(value)
    if text.isascii() and text.isprintable():  # the common case: nothing to strip
        return text if "  " not in text and text.strip() == text else " ".join(text.split())
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    text = text.translate(_HIDDEN)
    if not text.isprintable():
        text = "".join(
            " " if c in "\t\r\n" else c
            for c in text
            if c in "\t\r\n" or unicodedata.category(c) not in ("Cc", "Cs", "Co")
        )
    return " ".join(text.split())


def clean_note(value: str) -> str:
    """Note text stays as written, minus escape sequences and NULs."""
    text = _ANSI.sub("", value).replace("\x00", "").translate(_HIDDEN)
    return text.replace("\r\n", "\n").strip()


def email(value: str | None) -> str | None:
    """A normalised email address, or None when it is not one."""
    if not value:
        return None
    text = value.strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.replace(" at ", "@") if "@" not in text else text
    text = text.strip().lower()
    return text if _EMAIL.match(text) and "." in text.rsplit("@", 1)[1] + "." else None


def phone(value: str | None, region: str = "US") -> str | None:
    """E.164 when the number parses, else its digits (kept if there are at least five)."""
    if not value:
        return None
    text = clean(value)
    if text.lower().startswith("tel:"):
        text = text[4:]
    text = text.split(";", 1)[0]
    digits = re.sub(r"\D", "", text)
    if len(digits) < 5:
        return None
    try:
        num = phonenumbers.parse(text, None if text.startswith("+") else region)
        if phonenumbers.is_possible_number(num):
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    return ("+" if text.startswith("+") else "") + digits


_LINKEDIN = re.compile(r"^(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/(in|pub)/([^/?#\s]+)", re.I)


_CANONICAL = "https://www.linkedin.com/in/"
_ENDS_SLUG = frozenset("/?#\\ ")


def url(value: str | None) -> str | None:
    """A profile URL in one canonical form (LinkedIn ones as https://www.linkedin.com/in/slug)."""
    if not value:
        return None
    if value.startswith(_CANONICAL):  # as LinkedIn's own exports write them
        slug = value[len(_CANONICAL) :]
        if slug and slug.isascii() and slug.isprintable() and _ENDS_SLUG.isdisjoint(slug):
            return _CANONICAL + slug.lower()
    return _url(value)


def _url(value: str) -> str | None:
    text = clean(value).replace("\\:", ":").replace("\\,", ",")
    if not text:
        return None
    m = _LINKEDIN.match(text)
    if m:
        return f"https://www.linkedin.com/{m.group(1).lower()}/{m.group(2).lower()}"
    if "://" not in text:
        if "." not in text or " " in text:
            return None
        text = "https://" + text
    return text.rstrip("/")


_DATE_FORMATS = ("%d %b %Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d", "%m/%d/%Y", "%d %B %Y", "%Y%m%d")


@lru_cache(maxsize=20_000)
def parse_date(value: str | None) -> date | None:
    """Dates as exports write them: "08 Feb 2026", "15-Jan-24", "2026-02-08", "19220310"."""
    if not value:
        return None
    text = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def split_multi(value: str | None) -> list[str]:
    """Google's multi-value cells: ``a ::: b``."""
    if not value:
        return []
    return [v.strip() for v in value.split(":::") if v.strip()]


_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md", "m.d.", "esq"}


def person_name(display: str) -> str:
    """ "Nehren, Daniel" → "Daniel Nehren"; anything else as is."""
    parts = [p.strip() for p in display.split(",")]
    if (
        len(parts) == 2
        and all(parts)
        and parts[1].lower() not in _SUFFIXES
        and len(parts[0].split()) <= 3
        and len(parts[1].split()) <= 3
    ):
        return f"{parts[1]} {parts[0]}"
    return display


def to_naive_utc(value: date | datetime) -> datetime:
    """Carson stores times as naive UTC; floating times and dates are kept as written."""
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if value.tzinfo is not None:
        try:
            return value.astimezone(UTC).replace(tzinfo=None)
        except (OverflowError, ValueError):
            return value.replace(tzinfo=None)
    return value
