"""The notes index: capture links people, search is hybrid and filtered, reindex is exact."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from carson.errors import UnknownPersonError
from carson.models import Employment, Note, Organization, Person
from carson.notes import capture_note, record_note, reindex, search_notes
from carson.notes.index import NotesIndexError, open_index
from carson.resolve import AmbiguousPersonError
from carson.store import Store

NOTES = [
    (
        "Coffee with Sarah Lee — her team is moving off ADP in Q3 after payroll errors",
        [],
        (2025, 3, 4),
    ),
    ("Harry is training for the Boston marathon in April", ["Harry Smith"], (2025, 1, 20)),
    ("Harry's daughter just started at Michigan; he was proud", ["Harry Smith"], (2025, 2, 2)),
    (
        "Harry Smith says payroll runs late every month and the finance team is fed up",
        [],
        (2025, 5, 1),
    ),
    ("Tom Baker ran a half marathon last weekend and loves trail running", [], (2025, 4, 12)),
    ("Priya Patel: budget for new tools is frozen until the next fiscal year", [], (2024, 11, 8)),
]


@pytest.fixture
def people(store: Store) -> dict[str, int]:
    with store.write():
        ids = {
            name: store.add_person(Person(name=name)).id or 0
            for name in ["Harry Smith", "Sarah Lee", "Tom Baker", "Priya Patel", "Harry Jones"]
        }
        acme = store.add_organization(Organization(name="Acme Corp", aliases=["Acme"]))
        gs = store.add_organization(Organization(name="Goldman Sachs", aliases=["GS"]))
        store.add_employment(Employment(person_id=ids["Sarah Lee"], org_id=acme.id or 0))
        store.add_employment(Employment(person_id=ids["Harry Smith"], org_id=gs.id or 0))
    ids["acme"] = acme.id or 0
    ids["gs"] = gs.id or 0
    return ids


@pytest.fixture
def notes(store: Store, people: dict[str, int]) -> list[Note]:
    return [record_note(store, text, who, datetime(*day)) for text, who, day in NOTES]


def texts(hits: list) -> list[str]:
    return [h.text for h in hits]


def test_capture_links_named_people_and_people_in_the_text(
    store: Store, people: dict[str, int]
) -> None:
    got = capture_note(store, "Lunch with Sarah Lee and Tom Baker about Q3", ["Priya Patel"])
    assert got.indexed
    assert got.note.id is not None
    stored = store.get_note(got.note.id)
    assert stored is not None
    assert set(stored.people) == {people["Priya Patel"], people["Sarah Lee"], people["Tom Baker"]}
    assert got.people[0].name == "Priya Patel"
    assert open_index(store.home).count() == 1


def test_capture_unknown_person_suggests_and_writes_nothing(
    store: Store, people: dict[str, int]
) -> None:
    with pytest.raises(UnknownPersonError) as err:
        record_note(store, "Call went well", ["Sara Lea"])
    assert "Sarah Lee" in (err.value.hint or "")
    assert store.notes() == []


def test_capture_ambiguous_person_asks_which_one(store: Store, people: dict[str, int]) -> None:
    with pytest.raises(AmbiguousPersonError) as err:
        record_note(store, "He liked the demo", ["Harry"])
    assert "Harry Smith" in (err.value.hint or "") and "Harry Jones" in (err.value.hint or "")
    assert store.notes() == []


def test_payroll_query_ranks_payroll_notes_over_marathon_notes(
    store: Store, notes: list[Note]
) -> None:
    hits = search_notes(store, "payroll problems", k=6)
    ranked = texts(hits)
    payroll = [i for i, t in enumerate(ranked) if "payroll" in t]
    marathon = [i for i, t in enumerate(ranked) if "marathon" in t]
    assert len(payroll) == 2
    assert all(p < m for p in payroll for m in marathon)
    assert hits[0].score >= hits[-1].score


def test_full_name_finds_notes_that_only_say_the_first_name(
    store: Store, notes: list[Note]
) -> None:
    hits = search_notes(store, "Harry Smith family", k=3)
    assert hits[0].text.startswith("Harry's daughter")
    assert all("Harry Smith" in h.matched for h in hits[:3])
    assert all("Harry Smith" in h.people_names for h in hits[:3])


def test_company_name_finds_notes_of_people_who_work_there(store: Store, notes: list[Note]) -> None:
    hits = search_notes(store, "Acme payroll", k=2)
    assert hits[0].text.startswith("Coffee with Sarah Lee")
    assert hits[0].matched == ["Acme Corp"]


def test_person_filter_keeps_only_their_notes(
    store: Store, notes: list[Note], people: dict[str, int]
) -> None:
    hits = search_notes(store, "marathon", person="Harry Smith", k=5, min_score=-1)
    assert hits and all(people["Harry Smith"] in h.people for h in hits)
    assert "Tom Baker" not in " ".join(texts(hits))
    with pytest.raises(UnknownPersonError):
        search_notes(store, "marathon", person="Hary Smiht Jr")


def test_org_date_and_source_filters(
    store: Store, notes: list[Note], people: dict[str, int]
) -> None:
    by_org = search_notes(store, "payroll", org="GS", min_score=-1)
    assert by_org and all(people["Harry Smith"] in h.people for h in by_org)
    dated = search_notes(
        store, "marathon", since=date(2025, 4, 1), until=date(2025, 4, 30), min_score=-1
    )
    assert texts(dated) == [NOTES[4][0]]
    record_note(store, "Imported: Tom Baker marathon photos", source="linkedin")
    only = search_notes(store, "marathon", source="linkedin", min_score=-1)
    assert texts(only) == ["Imported: Tom Baker marathon photos"]


def test_reindex_gives_identical_results(store: Store, notes: list[Note]) -> None:
    queries = ["payroll problems", "marathon", "Harry Smith family", "budget freeze", "Acme"]
    before = {q: [h.to_json() for h in search_notes(store, q, k=6, min_score=-1)] for q in queries}
    index_dir = store.home / "notes-index"
    assert index_dir.is_dir()
    assert reindex(store) == len(NOTES)
    after = {q: [h.to_json() for h in search_notes(store, q, k=6, min_score=-1)] for q in queries}
    assert after == before


def test_a_note_missing_from_the_index_is_indexed_by_the_next_search(
    store: Store, people: dict[str, int]
) -> None:
    # An importer (or a crash between SQLite and Chroma) leaves a note only in SQLite.
    with store.write():
        store.add_note(
            Note(text="Tom Baker's payroll migration slipped to Q4", at=datetime(2025, 6, 1))
        )
    hits = search_notes(store, "payroll migration")
    assert texts(hits) == ["Tom Baker's payroll migration slipped to Q4"]
    assert open_index(store.home).count() == 1


def test_an_index_built_by_another_embedder_asks_for_reindex(
    store: Store, notes: list[Note], tmp_path: Path
) -> None:
    from carson.notes.index import NotesIndex

    class Other:
        name = "other-embedder"
        dim = 384

    with pytest.raises(NotesIndexError) as err:
        _ = NotesIndex(store.home, Other()).collection  # type: ignore[arg-type]
    assert "carson reindex" in (err.value.hint or "")


def test_an_index_built_by_the_fp32_embedder_is_rebuilt_by_the_next_search(
    store: Store, notes: list[Note]
) -> None:
    """Indexes built before the int8 embedder hold the same model's fp32 vectors: the
    first search rebuilds them from SQLite instead of failing with "run reindex"."""
    from carson.notes import index as index_module
    from carson.notes.embedder import PREVIOUS_NAME, LocalEmbedder
    from carson.notes.index import NotesIndex

    want = texts(search_notes(store, "payroll problems", k=3))
    old = NotesIndex(store.home, LocalEmbedder(int8=False))
    assert old.rebuild(store) == len(NOTES)
    assert old.collection.metadata["embedder"] == PREVIOUS_NAME
    index_module._INDEXES.clear()
    old._reset_client()

    told: list[tuple[int, str]] = []  # what a face is told before the wait
    index_module.REBUILD_NOTICES.append(lambda n, name: told.append((n, name)))
    try:
        assert texts(search_notes(store, "payroll problems", k=3)) == want
    finally:
        index_module.REBUILD_NOTICES.clear()
    index = open_index(store.home)
    assert told == [(len(NOTES), index.embedder.name)]
    assert index.collection.metadata["embedder"] == index.embedder.name != PREVIOUS_NAME
    assert index.count() == len(NOTES)
    assert len(store.note_ids_with_vectors(index.embedder.name)) == len(NOTES)
    assert store.note_ids_with_vectors(PREVIOUS_NAME) == []


def test_a_deleted_index_directory_is_rebuilt_by_reindex(store: Store, notes: list[Note]) -> None:
    before = texts(search_notes(store, "marathon", k=3))
    shutil.rmtree(store.home / "notes-index")
    from carson.notes import index as index_module

    index_module._INDEXES.clear()
    assert reindex(store) == len(NOTES)
    assert texts(search_notes(store, "marathon", k=3)) == before
