"""vCard 2.1 / 3.0 / 4.0, read tolerantly line by line.

``vobject`` rejects much of what phones and mail clients really write (2.1
quoted-printable soft breaks, base64 photos with bare continuation lines, folds
after blank lines), so cards are split and unfolded here: folded lines, QP with
charsets, Apple ``itemN.`` groups with ``X-ABLabel``, ``BDAY:--MMDD``, ``RELATED``,
``X-ABRELATEDNAMES`` and the Outlook/Evolution spouse/manager/assistant fields.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from carson.ingest import _text
from carson.ingest.records import ContactRecord, Problem, Record, Related
from carson.models import TieContext

_PROP = re.compile(r"^(?:[A-Za-z0-9-]+\.)?[A-Za-z0-9-]+[;:]")
_BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
_RELATION_WORDS = {
    "spouse": TieContext.family,
    "partner": TieContext.family,
    "husband": TieContext.family,
    "wife": TieContext.family,
    "mother": TieContext.family,
    "father": TieContext.family,
    "parent": TieContext.family,
    "child": TieContext.family,
    "son": TieContext.family,
    "daughter": TieContext.family,
    "brother": TieContext.family,
    "sister": TieContext.family,
    "sibling": TieContext.family,
    "kin": TieContext.family,
    "manager": TieContext.colleague,
    "assistant": TieContext.colleague,
    "co-worker": TieContext.colleague,
    "colleague": TieContext.colleague,
    "friend": TieContext.friend,
}
_PROFILE_HOSTS = ("linkedin.com/", "twitter.com/", "x.com/", "github.com/", "xing.com/")


@dataclass
class _Prop:
    group: str
    name: str
    params: dict[str, list[str]]
    value: str
    line: int

    @property
    def types(self) -> list[str]:
        return [t.lower() for t in self.params.get("TYPE", [])]


@dataclass
class _Card:
    line: int
    number: int
    props: list[_Prop] = field(default_factory=list)


def _split_unquoted(text: str, sep: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first physical line, unfolded line), tolerating the folds real exporters write."""
    cur: str | None = None
    start = 0
    in_binary = False
    for n, raw in enumerate(text.splitlines(), 1):
        qp = cur is not None and "QUOTED-PRINTABLE" in cur.split(":", 1)[0].upper()
        if cur is not None and qp and cur.endswith("="):
            cur = cur[:-1] + raw.lstrip(" \t") if raw[:1] in " \t" else cur[:-1] + raw
            continue
        if not raw.strip():
            in_binary = False if cur is None else in_binary
            continue
        if raw[0] in " \t" and cur is not None:
            cur += raw[1:]
            continue
        if cur is not None and (not _PROP.match(raw) or (in_binary and ":" not in raw)):
            # a continuation line with no fold (2.1 base64, broken exporters)
            cur += raw if in_binary else "\n" + raw
            continue
        if cur is not None:
            yield start, cur
        cur, start = raw, n
        head = raw.split(":", 1)[0].upper()
        in_binary = head.split(";")[0].split(".")[-1] in _BINARY
    if cur is not None:
        yield start, cur


def _parse_line(line: int, text: str) -> _Prop | None:
    parts = _split_unquoted(text, ":")
    if len(parts) < 2:
        return None
    head, value = parts[0], ":".join(parts[1:])
    pieces = _split_unquoted(head, ";")
    name = pieces[0].strip()
    group = ""
    if "." in name:
        group, name = name.rsplit(".", 1)
    params: dict[str, list[str]] = {}
    for p in pieces[1:]:
        if "=" in p:
            k, v = p.split("=", 1)
            vals = [x.strip().strip('"') for x in _split_unquoted(v, ",")]
            params.setdefault(k.strip().upper(), []).extend(vals)
        elif p.strip():
            bare = p.strip().upper()
            if bare in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"):
                params.setdefault("ENCODING", []).append(bare)
            elif bare.startswith("CHARSET"):
                continue
            else:
                params.setdefault("TYPE", []).append(bare)
    enc = [e.upper() for e in params.get("ENCODING", [])]
    if "QUOTED-PRINTABLE" in enc:
        charset = (params.get("CHARSET") or ["utf-8"])[0]
        raw = quopri.decodestring(value.encode("latin-1", errors="replace"))
        try:
            value = raw.decode(charset, errors="replace")
        except LookupError:
            value = raw.decode("utf-8", errors="replace")
    return _Prop(group.upper(), name.upper(), params, value, line)


def _cards(text: str, file: str) -> Iterator[_Card | Problem]:
    card: _Card | None = None
    number = 0
    for line, logical in _logical_lines(text):
        upper = logical.strip().upper()
        if upper == "BEGIN:VCARD":
            number += 1
            if card is not None:
                yield Problem(
                    file, "card has no END:VCARD before the next card", card.line, card.number
                )
            card = _Card(line, number)
            continue
        if upper == "END:VCARD":
            if card is not None:
                yield card
            card = None
            continue
        if card is None:
            continue
        prop = _parse_line(line, logical)
        if prop is not None and prop.name not in _BINARY:
            card.props.append(prop)
    if card is not None:
        yield Problem(
            file, "card has no END:VCARD (the file looks cut short)", card.line, card.number
        )
    if number == 0:
        yield Problem(file, "no BEGIN:VCARD in the file", 1)


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _components(value: str) -> list[str]:
    return [_unescape(p) for p in re.split(r"(?<!\\);", value)]


def _label(raw: str) -> str:
    m = re.match(r"_\$!<(.+?)>!\$_", raw)
    return (m.group(1) if m else raw).strip()


def _relation(label: str) -> TieContext:
    low = label.lower()
    for word, ctx in _RELATION_WORDS.items():
        if word in low:
            return ctx
    return TieContext.acquaintance


def parse(text: str, file: str) -> Iterator[Record]:
    for item in _cards(text, file):
        if isinstance(item, Problem):
            yield item
            continue
        yield _record(item, file)


def _record(card: _Card, file: str) -> ContactRecord | Problem:
    get: dict[str, list[_Prop]] = {}
    labels: dict[str, str] = {}
    for p in card.props:
        get.setdefault(p.name, []).append(p)
        if p.name == "X-ABLABEL" and p.group:
            labels[p.group] = _label(_unescape(p.value))
    kind = _text.clean(get["KIND"][0].value).lower() if "KIND" in get else "individual"
    if kind in ("org", "organization", "group", "location"):
        return Problem(file, f"an {kind} card (KIND:{kind}), not a person", card.line, card.number)

    def first(name: str) -> str:
        return _unescape(get[name][0].value) if name in get else ""

    first_name = last_name = ""
    if "N" in get:
        n = _components(get["N"][0].value) + [""] * 5
        last_name, first_name = _text.clean(n[0]), _text.clean(n[1])
        n_name = _text.clean(" ".join(x for x in (n[3], n[1], n[2], n[0], n[4]) if x.strip()))
    else:
        n_name = ""
    name = _text.clean(first("FN")) or n_name
    emails = [e for p in get.get("EMAIL", []) if (e := _text.email(_unescape(p.value)))]
    phones = [t for p in get.get("TEL", []) if (t := _text.phone(_unescape(p.value)))]
    urls = []
    for p in get.get("URL", []) + get.get("X-SOCIALPROFILE", []):
        u = _text.url(_unescape(p.value))
        if u and any(h in u.lower() for h in _PROFILE_HOSTS) and u not in urls:
            urls.append(u)
    org_parts = _components(get["ORG"][0].value) if "ORG" in get else []
    org = _text.clean(org_parts[0]) if org_parts else ""
    if not name:
        name = emails[0].split("@")[0] if emails else ""
    if not name:
        return Problem(file, "card has no name (FN/N) and no e-mail", card.line, card.number)
    related: list[Related] = []
    for p in get.get("X-ABRELATEDNAMES", []):
        label = labels.get(p.group, "related")
        rel = _text.clean(_unescape(p.value))
        if rel:
            related.append(Related(rel, _relation(label), label))
    for p in get.get("RELATED", []):
        val = _text.clean(_unescape(p.value))
        text_value = [v.lower() for v in p.params.get("VALUE", [])] == ["text"]
        if val and (text_value or not re.match(r"^[a-z][a-z0-9+.-]*:", val, re.I)):
            label = ",".join(p.types) or "related"
            related.append(Related(val, _relation(label), label))
    for prefix in ("X-MS-", "X-EVOLUTION-", "X-"):
        for role in ("SPOUSE", "MANAGER", "ASSISTANT"):
            for p in get.get(prefix + role, []):
                val = _text.clean(_unescape(p.value))
                if val and not any(r.name == val for r in related):
                    related.append(Related(val, _relation(role), role.lower()))
    notes = []
    for p in get.get("NOTE", []):
        note = _text.clean_note(_unescape(p.value))
        if note and note not in notes:
            notes.append(note)
    tags = []
    for p in get.get("CATEGORIES", []):
        tags += [_text.clean(t) for t in re.split(r"(?<!\\),", p.value) if _text.clean(t)]
    return ContactRecord(
        name=name,
        first_name=first_name or None,
        last_name=last_name or None,
        source="vcard",
        emails=list(dict.fromkeys(emails)),
        phones=list(dict.fromkeys(phones)),
        urls=urls,
        organization=org or None,
        title=(_text.clean(first("TITLE")) or None) if org else None,
        birthday=_text.parse_date(first("BDAY")[:10].strip()) if "BDAY" in get else None,
        notes=notes,
        tags=tags,
        related=related,
        tie_context=TieContext.acquaintance,
        evidence="In your address book",
        line=card.line,
        record=card.number,
    )
