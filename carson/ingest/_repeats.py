"""One person twice in one file: fold the rows into one record, the last row winning.

An export can list someone twice (the same profile URL, email or phone; or the same
name at the same company, without identifiers that tell them apart), with different
companies or titles. Applied row by row, each row would overwrite the other, so a
re-import of the unchanged file would flip the stored job back and forth. A file is
one snapshot: its rows for one person become one record, at the place of their last
row, which wins for every field it states (company and title go together); identifiers,
tags, notes and relations are the union of all the rows. Each earlier row is reported
as skipped, naming the line it was merged into, on every import of the file alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from carson.ingest.entities import normalize, normalize_org
from carson.ingest.records import ContactRecord, Problem, Record

_LINKEDIN = "linkedin.com/"
_WHAT = {"url": "profile URL", "email": "email", "phone": "phone", "name": "name and company"}


def merge_repeats(records: Iterable[Record], file: str) -> list[Record]:
    """``records`` with each person's repeated contact rows folded into their last row.

    Rows are matched to each other the way the importer matches them to people: the
    same profile URL, email or phone, else the same name at the same company unless
    both have LinkedIn profiles and they differ.
    """
    out = list(records)
    contacts = [(i, r) for i, r in enumerate(out) if isinstance(r, ContactRecord)]
    # name + company only ties a row to one without a LinkedIn profile (two profiles
    # are either the same URL or two people): most files have none such, so no names
    by_name = False
    for _, r in contacts:
        if r.organization:
            for u in r.urls:
                if _LINKEDIN in u:
                    break
            else:
                by_name = True
                break
    if not by_name and all(
        len(set(values)) == len(values)
        for values in (
            [v for _, r in contacts for v in r.urls],
            [v for _, r in contacts for v in r.emails],
            [v for _, r in contacts for v in r.phones],
        )
    ):
        return out  # the common case: no identifier twice, no names to compare
    by_url: dict[str, int] = {}
    by_email: dict[str, int] = {}
    by_phone: dict[str, int] = {}
    by_name_org: dict[tuple[str, str], list[int]] = {}
    profiles: dict[int, set[str]] = {}  # a group (its first row) -> its LinkedIn URLs
    groups: dict[int, list[tuple[int, str]]] = {}  # a group's first row -> (later row, how)
    for i, rec in contacts:
        # written out per kind: this runs for every row of every contacts file
        group, how = None, ""
        urls, emails, phones = rec.urls, rec.emails, rec.phones
        for v in urls:
            if (group := by_url.get(v)) is not None:
                how = "url"
                break
        if group is None and emails:
            for v in emails:
                if (group := by_email.get(v)) is not None:
                    how = "email"
                    break
        if group is None and phones:
            for v in phones:
                if (group := by_phone.get(v)) is not None:
                    how = "phone"
                    break
        key = None
        if by_name and rec.organization:
            key = (normalize(rec.name), normalize_org(rec.organization))
            if group is None:
                mine = {u for u in rec.urls if _LINKEDIN in u}
                for g in by_name_org.get(key, ()):
                    theirs = profiles.get(g)
                    if not (mine and theirs and not mine & theirs):
                        group, how = g, "name"
                        break
        if group is None:
            group = i
        else:
            groups.setdefault(group, []).append((i, how))
        for v in urls:
            by_url.setdefault(v, group)
        if emails:
            for v in emails:
                by_email.setdefault(v, group)
        if phones:
            for v in phones:
                by_phone.setdefault(v, group)
        if by_name:
            for u in rec.urls:
                if _LINKEDIN in u:
                    profiles.setdefault(group, set()).add(u)
            if key is not None and group not in by_name_org.setdefault(key, []):
                by_name_org[key].append(group)
    for first, rest in groups.items():
        members = [first] + [i for i, _ in rest]
        rows: list[ContactRecord] = [out[i] for i in members]  # type: ignore[misc]
        last = rows[-1]
        out[members[-1]] = _fold(rows)
        where = f"line {last.line}" if last.line is not None else f"record {last.record}"
        hows = [rest[0][1]] + [h for _, h in rest]
        for i, rec, how in zip(members[:-1], rows[:-1], hows, strict=False):
            out[i] = Problem(
                file,
                f"the same person as {where} (same {_WHAT[how]}): merged into that row, "
                "whose company and title are kept",
                rec.line,
                rec.record,
            )
    return out


def _union(values: Iterable[Iterable[Any]]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(v for vs in values for v in vs))


def _fold(rows: list[ContactRecord]) -> ContactRecord:
    """One record from one person's rows, in file order: the last stated value wins."""
    last = rows[-1]
    fields: dict[str, Any] = {}
    for name in ("first_name", "last_name", "birthday", "location"):
        fields[name] = next((v for r in reversed(rows) if (v := getattr(r, name))), None)
    fields["name"] = next((r.name for r in reversed(rows) if not _stand_in(r)), last.name)
    job = next((r for r in reversed(rows) if r.organization or r.title), last)
    fields["organization"], fields["title"] = job.organization, job.title
    tie = next((r for r in reversed(rows) if r.evidence or r.connected_on), last)
    fields["connected_on"], fields["evidence"] = tie.connected_on, tie.evidence
    fields["tie_context"] = tie.tie_context
    for name in ("emails", "phones", "urls", "tags", "notes"):
        fields[name] = _union(getattr(r, name) for r in rows)
    related = {(x.name, x.context, x.label): x for r in rows for x in r.related}
    fields["related"] = tuple(related.values())
    return replace(last, **fields)


def _stand_in(rec: ContactRecord) -> bool:
    """The row's name only stands in for a missing one: an address, or made from one."""
    if rec.first_name or rec.last_name:
        return False
    name = rec.name
    return (
        "@" in name
        or any(name == e.split("@")[0] for e in rec.emails)
        or any(name == u.rstrip("/").rsplit("/", 1)[-1] for u in rec.urls)
    )
