"""Search cost: one Chroma call for plain queries, SQLite lookups by id for people and companies."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from carson.models import Employment, Note, Organization, Person
from carson.notes import record_note, search_notes
from carson.notes.index import open_index
from carson.notes.search import shared_resolver
from carson.store import Store


@pytest.fixture
def filled(store: Store) -> Store:
    with store.write():
        harry = store.add_person(Person(name="Harry Smith")).id or 0
        sarah = store.add_person(Person(name="Sarah Lee")).id or 0
        acme = store.add_organization(Organization(name="Acme Corp", aliases=["Acme"])).id or 0
        store.add_employment(Employment(person_id=sarah, org_id=acme))
    record_note(store, "Harry's daughter just started at Michigan", [harry], datetime(2025, 2, 2))
    record_note(store, "Harry is training for the Boston marathon", [harry], datetime(2025, 1, 9))
    record_note(store, "Sarah Lee says payroll runs late every month", [], datetime(2025, 3, 4))
    record_note(store, "Budget for new tools is frozen until June", [], datetime(2024, 11, 8))
    return store


def test_change_token_moves_on_own_writes_and_on_other_connections(store: Store) -> None:
    first = store.change_token()
    assert store.change_token() == first
    with store.write():
        store.add_person(Person(name="Tom Baker"))
    second = store.change_token()
    assert second != first
    other = Store(store.home)
    with other.write():
        other.add_person(Person(name="Priya Patel"))
    other.close()
    assert store.change_token() != second


def test_every_indexed_note_has_its_vector_and_orgs_in_sqlite(filled: Store) -> None:
    index = open_index(filled.home)
    ids = filled.note_ids()
    rows = dict(filled.note_vectors(ids, index.embedder.name))
    assert sorted(rows) == ids
    query = index.embedder.embed(["payroll problems"])[0]
    exact = dict(index.score_ids(filled, query, ids))
    for nid, sim in index.nearest_ids(query, k=len(ids)):
        assert exact[nid] == pytest.approx(sim, abs=1e-5)
    acme = filled.note_ids_for_orgs([1])
    payroll = [n.id for n in filled.notes() if "payroll" in n.text]
    assert acme == payroll  # Sarah Lee worked at Acme when she said it


def test_named_person_search_scores_their_notes_from_sqlite(filled: Store) -> None:
    hits = search_notes(filled, "Harry Smith family", k=2)
    assert hits[0].text.startswith("Harry's daughter")
    assert all(h.matched == ["Harry Smith"] for h in hits)
    assert hits[0].score == pytest.approx(hits[0].similarity + 0.2, abs=1e-6)


def test_vectors_missing_from_sqlite_are_copied_from_chroma(filled: Store) -> None:
    before = [h.to_json() for h in search_notes(filled, "Harry Smith family", k=3)]
    with filled.write():
        filled.clear_note_index_rows()  # as a store indexed before SQLite kept vectors
    assert filled.note_vectors(filled.note_ids(), open_index(filled.home).embedder.name) == []
    after = [h.to_json() for h in search_notes(filled, "Harry Smith family", k=3)]
    assert after == before
    assert len(filled.note_ids_with_vectors(open_index(filled.home).embedder.name)) == 4


def test_the_shared_resolver_is_reused_until_the_store_changes(filled: Store) -> None:
    first = shared_resolver(filled)
    assert shared_resolver(filled) is first
    with filled.write():
        zed = filled.add_person(Person(name="Zed Quinn")).id or 0
        filled.add_note(Note(text="Zed wants SOC 2 by June", people=[zed], at=datetime(2025, 5, 1)))
    fresh = shared_resolver(filled)
    assert fresh is not first
    hits = search_notes(filled, "Zed Quinn compliance", k=5, min_score=-1)
    assert [h.matched for h in hits if h.text.startswith("Zed")] == [["Zed Quinn"]]


def test_a_note_written_by_another_process_is_found(filled: Store) -> None:
    search_notes(filled, "payroll")  # the index is now verified for this connection
    other = Store(filled.home)
    with other.write():
        other.add_note(Note(text="Renewal with Workday is due in October", at=datetime(2025, 6, 1)))
    other.close()
    hits = search_notes(filled, "vendor renewal coming up", k=1)
    assert hits[0].text == "Renewal with Workday is due in October"


def test_person_filter_with_dates_uses_sqlite_ids(filled: Store) -> None:
    hits = search_notes(
        filled, "running", person="Harry Smith", until=datetime(2025, 1, 31), min_score=-1
    )
    assert [h.text for h in hits] == ["Harry is training for the Boston marathon"]
    listed = search_notes(filled, "", person="Harry Smith")
    assert [h.date.month for h in listed] == [2, 1]
    assert np.isclose(listed[0].score, 0.0)


def test_company_named_in_the_query_with_and_without_a_date_filter(filled: Store) -> None:
    plain = search_notes(filled, "Acme late payroll", k=1)
    dated = search_notes(filled, "Acme late payroll", k=1, since=datetime(2025, 3, 1))
    assert [h.matched for h in plain] == [["Acme Corp"]] == [h.matched for h in dated]
    assert plain[0].to_json() == dated[0].to_json()
    assert (
        search_notes(filled, "Acme late payroll", since=datetime(2025, 3, 5), min_score=0.3) == []
    )


def test_chroma_keeps_only_the_metadata_its_filters_need(filled: Store) -> None:
    got = open_index(filled.home).collection.get(include=["metadatas"])
    assert {frozenset(m) for m in got["metadatas"]} == {
        frozenset({"note_id", "ts", "date", "source"})
    }


@pytest.fixture
def companies(store: Store) -> Store:
    """Two companies with four people each; each person's notes on three topics."""
    topics = [
        "is training for the {city} marathon in October",
        "says payroll runs late every month and ADP keeps making errors",
        "has the budget for new tools frozen until June",
    ]
    cities = ["Boston", "Chicago", "Berlin", "Denver"]
    notes: list[Note] = []
    with store.write():
        for company in ("Globex", "Initech"):
            org = store.add_organization(Organization(name=company)).id or 0
            for i, first in enumerate(["Ana", "Ken", "Mia", "Raj"]):
                pid = store.add_person(Person(name=f"{first} {company}son")).id or 0
                store.add_employment(Employment(person_id=pid, org_id=org))
                for j, topic in enumerate(topics):
                    text = f"{first} {topic.format(city=cities[i])}"
                    at = datetime(2025, 1 + j, 1 + i)
                    notes.append(store.add_note(Note(text=text, people=[pid], at=at)))
        # Notes about no company, as close to "marathon" as the companies' are.
        for city in cities:
            text = f"Ran into an old friend training for the {city} marathon"
            notes.append(store.add_note(Note(text=text, at=datetime(2025, 4, 1))))
    open_index(store.home).sync(store)
    return store


def _found(store: Store, query: str, k: int) -> list[tuple[int, float, list[str]]]:
    return [(h.id, round(h.score, 5), h.matched) for h in search_notes(store, query, k=k)]


def test_company_named_in_the_query_finds_its_best_notes_every_way(
    companies: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import carson.notes.search as search

    index = open_index(companies.home)
    scored_all: list[int] = []
    score_orgs = index.score_orgs

    def spy(store: Store, vector: np.ndarray, org_ids: object) -> list[tuple[int, float]]:
        scored_all.append(1)
        return score_orgs(store, vector, org_ids)  # type: ignore[arg-type]

    monkeypatch.setattr(index, "score_orgs", spy)

    # A small company: every note about it is scored from SQLite.
    exact = _found(companies, "Globex marathon", k=3)
    assert scored_all == [1]
    hits = search_notes(companies, "Globex marathon", k=3)
    assert all(h.matched == ["Globex"] for h in hits)
    assert all("marathon" in h.text and h.people_names[0].endswith("Globexson") for h in hits)
    assert all(h.score == pytest.approx(h.similarity + 0.2, abs=1e-6) for h in hits)

    # A "big" company: its best notes are found among the nearest notes, no full scan.
    monkeypatch.setattr(search, "ORG_EXACT_MAX", 2)
    scored_all.clear()
    assert _found(companies, "Globex marathon", k=3) == exact
    assert scored_all == []

    # Too few of its notes among the nearest: the exact pass still finds them.
    monkeypatch.setattr(search, "ORG_CANDIDATES_MAX", 2)
    assert _found(companies, "Globex marathon", k=3) == exact
    assert scored_all == [1]

    # The other company's query finds that company's notes, not Globex's.
    initech = search_notes(companies, "Initech payroll problems", k=4)
    assert [h.matched for h in initech] == [["Initech"]] * 4
    assert all("payroll" in h.text for h in initech)
