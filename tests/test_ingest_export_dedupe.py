"""Export round-trips; dedupe offers likely duplicates, merges keep sources, undo restores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from carson.cli import app
from carson.ingest import import_path
from carson.ingest.dedupe import candidates, merge, reject, undo
from carson.ingest.export import dump, export_store
from carson.store import Store

DATA = Path(__file__).parent / "data" / "ingest"
ME = ["sam@seller.example"]


def _load_all(store: Store) -> None:
    for name in (
        "linkedin_connections.csv",
        "google_new.csv",
        "contacts.vcf",
        "meetings.ics",
        "mail.mbox",
        "ties.csv",
        "linkedin_connections_newer.csv",
    ):
        import_path(store, DATA / name, me_emails=ME, index_notes=False)


def _canonical(data: dict[str, Any]) -> dict[str, Any]:
    """The export with ids renumbered in order, so two stores can be compared."""
    data = json.loads(json.dumps(data))
    data.pop("exported_at")
    pid = {p["id"]: i for i, p in enumerate(data["people"])}
    oid = {o["id"]: i for i, o in enumerate(data["organizations"])}
    for p in data["people"]:
        p["id"] = pid[p["id"]]
    for o in data["organizations"]:
        o["id"] = oid[o["id"]]
    for e in data["employments"]:
        e.update(id=None, person_id=pid[e["person_id"]], org_id=oid[e["org_id"]])
    for t in data["ties"]:
        t.update(id=None, a=pid[t["a"]], b=pid[t["b"]], owner_id=pid.get(t["owner_id"]))
    for i in data["interactions"]:
        i.update(id=None, participants=[pid[x] for x in i["participants"]])
    for n in data["notes"]:
        n.update(id=None, people=[pid[x] for x in n["people"]])
    return data


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_into_an_empty_home_reproduces_the_store(
    store: Store, tmp_path: Path, fmt: str
) -> None:
    _load_all(store)
    original = dump(store)
    assert original["people"] and original["interactions"] and original["notes"]
    # the LinkedIn exports dated the jobs they stated (their newest "Connected On")
    seen = {e["seen"] for e in original["employments"] if e["source"] == "linkedin"}
    assert seen == {"2026-02-08"}
    export_store(store, tmp_path / "out", fmt)
    with Store(tmp_path / "fresh-home") as fresh:
        target = tmp_path / "out" / ("carson-export.json" if fmt == "json" else "")
        import_path(fresh, target, index_notes=False)
        assert _canonical(dump(fresh)) == _canonical(original)


def test_dedupe_offers_same_name_and_merge_undo_restores(store: Store) -> None:
    _load_all(store)
    # LinkedIn's Harry (no email, Morgan Stanley) and the mailbox's Harry (harry@gs.example)
    harrys = store.people_named("Harry Smith")
    assert len(harrys) == 2
    found = candidates(store)
    pair = {harrys[0].id, harrys[1].id}
    assert any({c.a, c.b} == pair for c in found)
    # the two Dev Patels have different LinkedIn profiles: never offered
    devs = {p.id for p in store.people_named("Dev Patel")}
    assert not any({c.a, c.b} == devs for c in found)

    before = dump(store)
    keep, other = harrys[0], harrys[1]
    assert keep.id is not None and other.id is not None
    merge(store, keep.id, other.id)
    merged = store.get_person(keep.id)
    assert merged is not None and store.get_person(other.id) is None
    assert "harry@gs.example" in merged.emails
    # every merged field keeps its source
    sources = {v: s for k, v, s in store.identifier_sources(keep.id)}
    assert sources["harry@gs.example"] == "calendar"  # the first file that named it
    assert sources["https://www.linkedin.com/in/harry-smith-01"] == "linkedin"
    assert any(i.participants for i in store.interactions(person_id=keep.id))
    assert not any({c.a, c.b} == pair for c in candidates(store))

    undo(store)
    after = dump(store)
    before.pop("exported_at")
    after.pop("exported_at")
    assert after == before


def test_rejected_pairs_are_not_offered_again(store: Store) -> None:
    _load_all(store)
    a, b = (p.id for p in store.people_named("Harry Smith"))
    assert a is not None and b is not None
    reject(store, a, b)
    assert not any({c.a, c.b} == {a, b} for c in candidates(store))


def test_cli_import_json_summary_export_and_dedupe(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["import", str(DATA / "linkedin_connections.csv"), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert {k: summary[k] for k in ("created", "updated", "merged", "skipped")} == {
        "created": 5,
        "updated": 0,
        "merged": 0,
        "skipped": 1,
    }
    assert summary["problems"] == [
        {
            "file": "linkedin_connections.csv",
            "line": 9,
            "reason": "no name, profile URL or email (a hidden profile?)",
        }
    ]
    res = runner.invoke(
        app,
        [
            "import",
            "linkedin",
            str(DATA / "linkedin_connections_newer.csv"),
            "--owner",
            "Priya Patel",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["export", "--format", "csv", "--out", str(tmp_path / "x"), "--json"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "x" / "people.csv").exists()
    res = runner.invoke(app, ["dedupe", "--json"])
    assert res.exit_code == 0, res.output
    assert isinstance(json.loads(res.output), list)
    res = runner.invoke(app, ["import", str(DATA / "truncated.vcf")])
    assert res.exit_code != 0


def test_cli_import_leaves_the_map_saved_for_the_next_question(carson_home: Path) -> None:
    """``carson import`` brings the relationship map up to date and saves it: the next
    process loads it from the cache, with the imported people in it, instead of building."""
    from carson.graph import invalidate, load_network

    res = CliRunner().invoke(app, ["import", str(DATA / "linkedin_connections.csv")])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("Imported linkedin_connections.csv")
    invalidate()
    with Store(carson_home, create=False) as store:
        net = load_network(store)
        assert net.from_cache
        harry = store.people_named("Harry Smith")
        assert harry and harry[0].id in net.people
        assert net.people[harry[0].id].company == "Goldman Sachs"
