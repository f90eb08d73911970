"""Importing the map from where it already lives, and exporting it back out.

``import_path`` is the one entry point the CLI (and anyone else) calls: it detects
the format, parses the file into records (one module per format), resolves them to
people already stored (``entities``), and writes everything in one transaction, so
the store never ends half-imported. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from carson.errors import CarsonError, ImportFormatError, UnknownPersonError
from carson.ingest import _text, detect
from carson.ingest._repeats import merge_repeats
from carson.ingest.apply import Importer
from carson.ingest.records import (
    ContactRecord,
    ExportInfo,
    InteractionRecord,
    NoteRecord,
    Problem,
    Record,
    TieRecord,
)
from carson.ingest.report import ImportReport
from carson.models import Evidence, Person, Tie, TieContext
from carson.resolve import normalize
from carson.store import Store

__all__ = ["ImportReport", "Progress", "ensure_me", "ensure_owner", "import_path"]

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while a file imports (bytes or lines)."""

_ME_WORDS = {"me", "i", "myself", "you"}
# A typed name this close (rapidfuzz ratio) to someone stored is a typo, not a new person.
NEAR_MISS = 85.0


def ensure_me(store: Store, emails: list[str] = (), name: str | None = None) -> Person:  # type: ignore[assignment]
    """The user (``is_me``), created on first import; their addresses are added as given."""
    clean = [e for e in (_text.email(x) for x in emails) if e]
    me = store.me()
    if me is None:
        for e in clean:
            found = store.person_by_identifier("email", e)
            if found is not None and found.id is not None:
                store.update_person_fields(found.id, is_me=True)
                me = store.get_person(found.id)
                break
    if me is None:
        me = store.add_person(
            Person(name=_text.clean(name) or "Me", emails=[], is_me=True, source="me")
        )
    assert me.id is not None
    for e in clean:
        if e not in me.emails and store.person_by_identifier("email", e) is None:
            store.add_identifier(me.id, "email", e, "me")
    fresh = store.get_person(me.id)
    assert fresh is not None
    return fresh


def ensure_owner(store: Store, me: Person, owner: str | None) -> Person:
    """Whose export this is: the user, or the teammate named by ``--owner``."""
    if not owner or normalize(owner) in _ME_WORDS or normalize(owner) == normalize(me.name):
        return me
    from carson.resolve import Resolver

    assert me.id is not None
    try:
        person = Resolver(store).person(owner)
    except UnknownPersonError as exc:
        if _near_miss(owner, exc.suggestions):
            raise
        person = store.add_person(Person(name=_text.clean(owner), is_team=True, source="team"))
    assert person.id is not None
    if not person.is_team:
        store.update_person_fields(person.id, is_team=True)
    store.add_tie(
        Tie(
            a=me.id,
            b=person.id,
            context=TieContext.teammate,
            source="team",
            owner_id=me.id,
            evidence=[Evidence(text="Your teammate", source="team")],
        )
    )
    fresh = store.get_person(person.id)
    assert fresh is not None
    return fresh


def _sources(
    path: Path, kind: str, report: ImportReport, with_bodies: bool, progress: Progress | None
) -> Iterator[tuple[str, Iterator[Record], int]]:
    """(file label, records, total lines) for each file inside ``path``."""
    from importlib import import_module

    if kind == "linkedin-zip":
        from carson.ingest import linkedin

        for label, records in linkedin.parse_zip(path):
            yield label, iter(merge_repeats(records, label)), 0
        return
    if kind == "mbox":
        from carson.ingest import mbox

        size = path.stat().st_size

        def tick(done: int) -> None:
            if progress is not None:
                progress(done, size)

        yield path.name, mbox.parse_path(path, with_bodies=with_bodies, progress=tick), 0
        return
    text, warning = _text.read_text(path)
    if warning:
        report.warnings.append(Problem(path.name, warning, line=1))
    # only the parser this file needs is imported (icalendar and vobject load slowly)
    module, name = {
        "linkedin": ("linkedin", "parse_connections"),
        "linkedin-messages": ("linkedin", "parse_messages"),
        "linkedin-invitations": ("linkedin", "parse_invitations"),
        "google": ("google", "parse"),
        "vcard": ("vcard", "parse"),
        "ics": ("ics", "parse"),
        "carson": ("carson_csv", "parse_json" if text.lstrip().startswith("{") else "parse_csv"),
    }[kind]
    parse: Callable[[str, str], Iterator[Record]] = getattr(
        import_module(f"carson.ingest.{module}"), name
    )
    merged = merge_repeats(parse(text, path.name), path.name)
    yield path.name, iter(merged), text.count("\n") + 1


def import_path(
    store: Store,
    path: Path,
    *,
    fmt: str | None = None,
    owner: str | None = None,
    me_emails: list[str] = (),  # type: ignore[assignment]
    me_name: str | None = None,
    with_bodies: bool = False,
    progress: Progress | None = None,
    index_notes: bool = True,
) -> ImportReport:
    """Import one file (or LinkedIn .zip, or Carson export folder) into ``store``.

    Raises ``ImportFormatError`` when the file can't be read at all or nothing in it
    could be imported; then the store is left exactly as it was.
    """
    path = Path(path)
    if not path.exists():
        raise ImportFormatError(f"No file at {path}.", "Check the path and try again.")
    kind = detect.resolve_format(path, fmt)
    with _no_gc_pauses(), store.large_cache():
        return _import(store, path, kind, owner, me_emails, me_name, with_bodies, progress,
                       index_notes)  # fmt: skip


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Pause the cyclic garbage collector while an import runs.

    An import holds hundreds of thousands of small containers (the identifier and name
    indexes, buffered rows); every automatic collection walks them all again, which
    cost a third of the import's time. Records form no reference cycles, so nothing
    piles up meanwhile; the collector is switched back on at the end.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _import(
    store: Store,
    path: Path,
    kind: str,
    owner: str | None,
    me_emails: list[str],
    me_name: str | None,
    with_bodies: bool,
    progress: Progress | None,
    index_notes: bool,
) -> ImportReport:
    report = ImportReport(files=[path.name], formats=[kind])
    before = asdict(store.counts())
    new_notes: list[int] = []
    if kind == "carson-export":
        from carson.ingest.export import load_export

        with store.write():
            load_export(store, path, report)
            _record_last_import(store, path, kind, report)
    else:
        with store.write():
            me = ensure_me(store, me_emails, me_name)
            who = ensure_owner(store, me, owner)
            owner_emails = list(me_emails) if who.id == me.id else list(who.emails)
            good = 0
            for label, records, total in _sources(path, kind, report, with_bodies, progress):
                imp = Importer(
                    store, owner=who, owner_emails=owner_emails, file=label, report=report
                )
                good += _apply(imp, records, total, progress, store)
                imp.finish()
                new_notes += imp.new_note_ids
            if good == 0 and not report.problems:
                report.warnings.append(
                    Problem(
                        path.name,
                        "nothing to import: no contacts, messages or meetings with other people",
                        line=1,
                    )
                )
            if good == 0 and report.problems:
                first = report.problems[0]
                where = f"line {first.line}" if first.line is not None else f"record {first.record}"
                raise ImportFormatError(
                    f"{first.file}, {where}: {first.reason}; nothing in the file could be "
                    "imported.",
                    "Export the file again from its source; your store was not changed.",
                )
            _record_last_import(store, path, kind, report)
    after = asdict(store.counts())
    report.new = {k: after[k] - before[k] for k in after if k != "outcomes"}
    if new_notes and index_notes:
        _index_notes(store, new_notes, report, path.name)
    return report


def _apply(
    imp: Importer, records: Iterator[Record], total: int, progress: Progress | None, store: Store
) -> int:
    good = 0
    resolver = _NameResolver(imp, store)
    for n, rec in enumerate(records):
        if isinstance(rec, Problem):
            imp.problem(rec)
            continue
        if isinstance(rec, ExportInfo):
            imp.as_of = rec.as_of
            continue
        good += 1
        try:
            if isinstance(rec, ContactRecord):
                imp.contact(rec)
            elif isinstance(rec, InteractionRecord):
                imp.interaction(rec)
            elif isinstance(rec, TieRecord):
                imp.tie_record(rec, resolver)
            elif isinstance(rec, NoteRecord):
                imp.note_record(rec, resolver)
        except CarsonError as exc:
            good -= 1
            imp.problem(Problem(imp.file, str(exc), rec.line, rec.record))
        if progress is not None and total and n % 500 == 0 and rec.line:
            progress(rec.line, total)
    return good


class _NameResolver:
    """Names typed in a Carson CSV → people: "me", then the store, then people just made."""

    def __init__(self, imp: Importer, store: Store) -> None:
        self.imp = imp
        self.store = store
        self._resolver: object | None = None
        self.made: dict[str, int] = {}

    def _find(self, name: str) -> int | None:
        key = normalize(name)
        if key in _ME_WORDS:
            return self.imp.owner_id
        if key in self.made:
            return self.made[key]
        if self._resolver is None:
            from carson.resolve import Resolver

            self._resolver = Resolver(self.store)
        try:
            person = self._resolver.person(name)  # type: ignore[attr-defined]
        except UnknownPersonError as exc:
            if _near_miss(name, exc.suggestions):
                raise
            return None
        assert person.id is not None
        return int(person.id)

    def many(self, names: list[str]) -> list[int]:
        """Resolve every name first (raising on a near miss), then create the unknown ones."""
        found = [self._find(n) for n in names]
        out = []
        for name, pid in zip(names, found, strict=True):
            if pid is None:
                pid = self.made.get(normalize(name)) or self.imp._new_person(name, "carson")
                self.made[normalize(name)] = pid
            out.append(pid)
        return out


def _near_miss(name: str, suggestions: list[str]) -> bool:
    """A suggestion close enough that creating a new person would likely be a typo's twin."""
    from rapidfuzz import fuzz

    key = normalize(name)
    return any(fuzz.ratio(key, normalize(s.split(" (")[0])) >= NEAR_MISS for s in suggestions)


def _record_last_import(store: Store, path: Path, kind: str, report: ImportReport) -> None:
    store.set_meta(
        "last_import",
        json.dumps(
            {
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "file": str(path),
                "format": kind,
                "created": report.created,
                "updated": report.updated,
                "merged": report.merged,
                "skipped": report.skipped,
            }
        ),
    )


def _index_notes(store: Store, note_ids: list[int], report: ImportReport, file: str) -> None:
    """Add new notes to the search index; if that fails they stay safe in SQLite."""
    try:
        from carson.notes import open_index

        notes = [n for n in (store.get_note(i) for i in note_ids) if n is not None]
        open_index(store.home).add(store, notes)
    except Exception as exc:  # the index is derived: never fail an import over it
        report.warnings.append(
            Problem(
                file,
                f"notes saved but not indexed for search ({str(exc)[:120]}); run `carson reindex`",
                line=None,
                record=0,
            )
        )
