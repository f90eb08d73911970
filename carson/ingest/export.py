"""``carson export``: everything in the store as JSON (one file) or CSV (one file a table).

Importing an export into an empty home reproduces the same store: people (with
emails, phones, profile URLs and where each field came from), organisations,
employments, ties with their evidence, interactions and notes. Ids are remapped on
the way in, so an export can also be loaded into a home that already has people.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from carson.errors import ImportFormatError
from carson.ingest.report import ImportReport
from carson.models import Employment, Interaction, Note, Organization, Person, Tie
from carson.store import Store

FORMAT = "carson-export"
VERSION = 1
TABLES = ("people", "organizations", "employments", "ties", "interactions", "notes")
# Fields that hold lists or objects; CSV keeps them as JSON text.
_NESTED = {
    "emails",
    "phones",
    "urls",
    "tags",
    "aliases",
    "evidence",
    "participants",
    "people",
    "field_sources",
}


def dump(store: Store) -> dict[str, Any]:
    """The whole store as plain JSON-able data."""
    people = []
    for p in store.people():
        assert p.id is not None
        row = p.model_dump(mode="json")
        row["field_sources"] = [list(fs) for fs in store.field_sources(p.id)]
        people.append(row)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "people": people,
        "organizations": [o.model_dump(mode="json") for o in store.organizations()],
        "employments": [e.model_dump(mode="json") for e in store.employments()],
        "ties": [t.model_dump(mode="json") for t in store.ties()],
        "interactions": [i.model_dump(mode="json") for i in reversed(store.interactions())],
        "notes": [n.model_dump(mode="json") for n in store.notes()],
    }


def export_store(store: Store, out: Path, fmt: str = "json") -> list[Path]:
    """Write the export under ``out`` (a folder); return the files written."""
    data = dump(store)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path = out / "carson-export.json"
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        return [path]
    if fmt != "csv":
        raise ImportFormatError(f'Unknown export format "{fmt}".', "Use --format json or csv.")
    written = []
    for table in TABLES:
        rows = data[table]
        path = out / f"{table}.csv"
        fields = _fields(table, rows)
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {
                        k: json.dumps(v, ensure_ascii=False)
                        if k in _NESTED
                        else ("" if v is None else v)
                        for k, v in row.items()
                    }
                )
        written.append(path)
    return written


def _fields(table: str, rows: list[dict[str, Any]]) -> list[str]:
    models: dict[str, type[BaseModel]] = {
        "people": Person,
        "organizations": Organization,
        "employments": Employment,
        "ties": Tie,
        "interactions": Interaction,
        "notes": Note,
    }
    names = list(models[table].model_fields)
    if table == "people":
        names.append("field_sources")
    return names


def _read(path: Path) -> dict[str, Any]:
    if path.is_dir() and (path / "carson-export.json").exists():
        path = path / "carson-export.json"
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ImportFormatError(f"{path.name}: not a readable Carson export ({exc}).") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ImportFormatError(f"{path.name}: not a Carson export (no format marker).")
        return data
    tables: dict[str, Any] = {}
    for table in TABLES:
        f = path / f"{table}.csv"
        rows = []
        if f.exists():
            with f.open(newline="", encoding="utf-8-sig") as fh:
                for row in csv.DictReader(fh):
                    rows.append(
                        {
                            k: json.loads(v) if k in _NESTED and v else (None if v == "" else v)
                            for k, v in row.items()
                        }
                    )
        tables[table] = rows
    return tables


def load_export(store: Store, path: Path, report: ImportReport) -> None:
    """Load an export (inside the caller's transaction), remapping ids."""
    data = _read(path)
    file = path.name
    pmap: dict[int, int] = {}
    omap: dict[int, int] = {}
    try:
        for row in data.get("people", []):
            old = int(row["id"])
            sources = row.pop("field_sources", None) or []
            fields = {k: v for k, v in row.items() if k in Person.model_fields and k != "id"}
            if fields.get("is_me") in (True, "True", "true", "1", 1) and store.me() is not None:
                me = store.me()
                assert me is not None and me.id is not None
                pmap[old] = me.id
                report.unchanged += 1
                continue
            p = store.add_person(Person(**fields))
            assert p.id is not None
            pmap[old] = p.id
            for field, value, source in sources:
                store.set_field_source(p.id, field, value, source)
            report.created += 1
        pending_parents = []
        for row in data.get("organizations", []):
            fields = {k: v for k, v in row.items() if k in Organization.model_fields}
            old, parent = int(fields.pop("id")), fields.pop("parent_id", None)
            existing = store.organization_named(fields["name"])
            org = existing or store.add_organization(Organization(**fields))
            assert org.id is not None
            omap[old] = org.id
            if parent:
                pending_parents.append((org, int(parent)))
        for org, parent in pending_parents:
            store.update_organization(org.model_copy(update={"parent_id": omap.get(parent)}))
        for row in data.get("employments", []):
            fields = {k: v for k, v in row.items() if k in Employment.model_fields and k != "id"}
            fields["person_id"] = pmap[int(fields["person_id"])]
            fields["org_id"] = omap[int(fields["org_id"])]
            store.add_employment(Employment(**fields))
        for row in data.get("ties", []):
            fields = {k: v for k, v in row.items() if k in Tie.model_fields and k != "id"}
            fields["a"], fields["b"] = pmap[int(fields["a"])], pmap[int(fields["b"])]
            if fields.get("owner_id") is not None:
                fields["owner_id"] = pmap.get(int(fields["owner_id"]))
            store.add_tie(Tie(**fields))
        for row in data.get("interactions", []):
            fields = {k: v for k, v in row.items() if k in Interaction.model_fields and k != "id"}
            fields["participants"] = [pmap[int(x)] for x in fields["participants"]]
            if store.add_interaction(Interaction(**fields)) is None:
                report.unchanged += 1
        for row in data.get("notes", []):
            fields = {k: v for k, v in row.items() if k in Note.model_fields and k != "id"}
            fields["people"] = [pmap[int(x)] for x in fields["people"]]
            store.add_note(Note(**fields))
    except (KeyError, ValueError, TypeError) as exc:
        raise ImportFormatError(
            f"{file}: the export is damaged ({type(exc).__name__}: {str(exc)[:120]}).",
            "Export again with `carson export`; your store was not changed.",
        ) from exc
