"""The demo network: deterministic, big enough, and holding the named clear cases."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from carson import locations
from carson.cli import app
from carson.demo import load_demo
from carson.errors import CarsonError, UsageError
from carson.models import Channel, Direction, Interaction, Note, Person, TieContext
from carson.resolve import Resolver
from carson.store import Store

ANCHOR = date(2026, 3, 16)
NAMED = (
    "Jordan Reyes",
    "Priya Patel",
    "John Jacobs",
    "Harry Smith",
    "Derek Lawson",
    "Sarah Lee",
    "Marcus Chen",
    "Rachel Kim",
    "Brian Holloway",
    "Carlos Mendez",
    "Olivia Grant",
    "Nathan Price",
    "Neil Rossi",
    "Wendy Peterson",
)


def _dump_hash(home: Path) -> str:
    """A hash of the whole database, minus when each migration happened to run."""
    db = sqlite3.connect(locations.db_path(home))
    try:
        lines = [line for line in db.iterdump() if not line.startswith('INSERT INTO "_migrations"')]
    finally:
        db.close()
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _anchor(store: Store) -> date:
    value = store.get_meta("demo_anchor")
    assert value is not None
    return date.fromisoformat(value)


def _between(store: Store, a: int, b: int) -> list[Interaction]:
    return [i for i in store.interactions(person_id=a) if b in i.participants]


def _org_id(store: Store, name: str) -> int:
    org = store.organization_named(name)
    assert org is not None and org.id is not None
    return org.id


# ------------------------------------------------------------------ determinism


def _load_in_another_process(home: Path, anchor: date) -> None:
    """Generate in a fresh interpreter with another hash seed (set order must not leak in)."""
    script = (
        "import sys; from datetime import date; from pathlib import Path;"
        "from carson.demo import load_demo;"
        "load_demo(Path(sys.argv[1]), anchor=date.fromisoformat(sys.argv[2]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-c", script, str(home), anchor.isoformat()], check=True, env=env
    )


def test_same_seed_and_anchor_give_the_same_world_byte_for_byte(tmp_path: Path) -> None:
    load_demo(tmp_path / "one", seed=7, anchor=ANCHOR)
    _load_in_another_process(tmp_path / "two", ANCHOR)
    load_demo(tmp_path / "other-seed", seed=8, anchor=ANCHOR)
    load_demo(tmp_path / "other-day", seed=7, anchor=ANCHOR + timedelta(days=1))

    same = _dump_hash(tmp_path / "one")
    assert _dump_hash(tmp_path / "two") == same
    assert _dump_hash(tmp_path / "other-seed") != same
    assert _dump_hash(tmp_path / "other-day") != same
    # A day later the dates move but who knows whom stays put (fixtures anchor on today).
    assert _structure(tmp_path / "other-day") == _structure(tmp_path / "one")
    assert _structure(tmp_path / "other-seed") != _structure(tmp_path / "one")


def _structure(home: Path) -> tuple[list[str], set[tuple[str, str, str]]]:
    with Store(home) as store:
        names = dict(store.person_names())
        ties = {(names[t.a], names[t.b], t.context.value) for t in store.ties()}
        return [n for _, n in sorted(names.items())], ties


@pytest.mark.parametrize("seed", [1, 2024])
def test_other_seeds_are_just_as_big(tmp_path: Path, seed: int) -> None:
    counts = load_demo(tmp_path, seed=seed, anchor=ANCHOR)

    assert counts.people >= 1400
    assert counts.organizations >= 250
    assert counts.interactions >= 3000
    assert counts.notes >= 300


# ------------------------------------------------------------------ size and shape


def test_counts_meet_the_issue(demo_store: Store) -> None:
    c = demo_store.counts()

    assert c.people >= 1400
    assert c.organizations >= 250
    assert c.interactions >= 3000
    assert c.notes >= 300
    assert c.ties >= 3000
    assert demo_store.get_meta("demo_seed") == "7"
    assert demo_store.get_meta("last_import")


def test_the_user_and_three_teammates_sell_payroll_at_paylane(demo_store: Store) -> None:
    me = demo_store.me()
    team = demo_store.team()
    paylane = _org_id(demo_store, "Paylane")

    assert me is not None and me.id is not None
    assert len(team) == 3
    assert "Priya Patel" in [p.name for p in team]
    for person in [me, *team]:
        assert person.id is not None
        jobs = demo_store.employments(person_id=person.id, current=True)
        assert [j.org_id for j in jobs] == [paylane]


def test_names_are_unique_and_the_named_people_resolve_exactly(demo_store: Store) -> None:
    people = demo_store.people()
    names = Counter(p.name for p in people)
    resolver = Resolver(demo_store)

    assert names.most_common(1)[0][1] == 1
    for name in NAMED:
        first, last = name.split()
        assert resolver.person(name).name == name
        # no near-duplicates: nobody else shares the first or the last name
        assert [p.name for p in people if p.first_name == first] == [name]
        assert [p.name for p in people if p.last_name == last] == [name]


def test_big_companies_exist_with_domains_and_aliases(demo_store: Store) -> None:
    resolver = Resolver(demo_store)

    assert resolver.organization("GS").name == "Goldman Sachs"
    assert resolver.organization("Goldman").name == "Goldman Sachs"
    assert resolver.organization("JPM").name == "JPMorgan Chase"
    assert resolver.organization("Chase").name == "JPMorgan Chase"
    assert resolver.organization("MS").name == "Morgan Stanley"
    for name in ("Stripe", "Salesforce"):
        assert resolver.organization(name).name == name
    orgs = demo_store.organizations()
    assert all(o.domain for o in orgs)
    assert len({o.domain for o in orgs}) == len(orgs)
    industries = Counter(o.industry for o in orgs)
    assert len(industries) >= 10


def test_ties_carry_evidence_and_no_precomputed_strength(demo_store: Store) -> None:
    ties = demo_store.ties()
    contexts = Counter(t.context for t in ties)

    assert all(t.evidence and t.evidence[0].text for t in ties)
    assert all(t.strength is None for t in ties)
    for context in (
        TieContext.family,
        TieContext.friend,
        TieContext.roommate,
        TieContext.classmate,
        TieContext.colleague,
        TieContext.client,
        TieContext.teammate,
        TieContext.met_once,
        TieContext.linkedin,
        TieContext.acquaintance,
    ):
        assert contexts[context] > 0, context
    worked = re.compile(r"worked together at .+ \d{4}–\d{4} \(\d+ years?\)")
    assert any(worked.search(t.evidence[0].text) for t in ties)
    # plenty of ties among third parties, so 2-3 hop routes exist
    owners = {p.id for p in [demo_store.me(), *demo_store.team()] if p is not None}
    third = [t for t in ties if t.a not in owners and t.b not in owners]
    assert len(third) > 1000


def test_note_evidence_cites_a_real_note(demo_store: Store) -> None:
    cited = [
        (t, e)
        for t in demo_store.ties()
        for e in t.evidence
        if e.source and e.source.startswith("note:")
    ]

    assert len(cited) > 20
    for tie, ev in cited:
        note = demo_store.get_note(int(ev.source.split(":")[1]))  # type: ignore[union-attr]
        assert note is not None
        assert ev.at == note.at.date()
        assert {tie.a, tie.b} & set(note.people)


def test_interactions_span_three_years_with_skew_and_mixed_directions(
    demo_store: Store,
) -> None:
    anchor = _anchor(demo_store)
    its = demo_store.interactions()
    owners = {p.id for p in [demo_store.me(), *demo_store.team()] if p is not None}

    assert all(anchor - timedelta(days=3 * 365) <= i.at.date() < anchor for i in its)
    assert all(i.participants[0] in owners for i in its)
    assert {i.channel for i in its} >= set(Channel) - {Channel.event}
    assert {i.direction for i in its} == {Direction.outbound, Direction.inbound, Direction.mutual}
    per_contact = Counter(p for i in its for p in i.participants[1:] if p not in owners)
    busy = [n for n in per_contact.values() if n >= 20]
    rare = [n for n in per_contact.values() if n <= 3]
    assert 10 <= len(busy) < len(rare)  # a few often, a long tail rarely
    assert all(i.at.hour in range(8, 23) and i.at.second == 0 for i in its)


def test_notes_are_linked_dated_and_varied(demo_store: Store) -> None:
    anchor = _anchor(demo_store)
    notes = demo_store.notes()
    names = {p.id: p for p in demo_store.people()}

    assert all(n.people for n in notes)
    assert all(n.at.date() <= anchor for n in notes)

    def shape(n: Note) -> str:
        text = n.text
        for pid in n.people:
            person = names[pid]
            text = text.replace(person.name, "X").replace(person.first_name or "?", "X")
        return re.sub(r"\d+", "N", text)

    assert len({shape(n) for n in notes}) >= 100
    text = " ".join(n.text for n in notes).lower()
    for detail in ("marathon", "michigan", "moved to", "payroll vendor", "renewal"):
        assert detail in text, detail


def test_some_people_moved_jobs_including_out_of_goldman_last_year(demo_store: Store) -> None:
    gs = _org_id(demo_store, "Goldman Sachs")
    anchor = _anchor(demo_store)
    left = [e for e in demo_store.employments(org_id=gs) if not e.current]
    moved = [e for e in demo_store.employments(current=False)]

    assert len(moved) > 300
    assert all(e.end is not None for e in moved)
    last_year = {e.person_id for e in left if e.end and e.end.year == anchor.year - 1}
    assert len(last_year) >= 3
    for pid in last_year:
        assert [e.org_id != gs for e in demo_store.employments(person_id=pid, current=True)] == [
            True
        ]


# ------------------------------------------------------------------ named clear cases


def test_john_jacobs_is_a_close_friend_talked_to_last_month(demo_store: Store) -> None:
    r = Resolver(demo_store)
    me, john = demo_store.me(), r.person("John Jacobs")
    assert me is not None and me.id is not None and john.id is not None
    anchor = _anchor(demo_store)

    friend = [t for t in demo_store.ties(person_id=john.id) if me.id in (t.a, t.b)]
    assert [t.context for t in friend] == [TieContext.friend]
    assert friend[0].owner_id == me.id and friend[0].evidence

    talks = _between(demo_store, john.id, me.id)
    last = talks[0]
    assert timedelta(weeks=3) <= anchor - last.at.date() <= timedelta(weeks=5)
    assert last.channel in (Channel.call, Channel.meeting)
    assert len(talks) >= 30
    assert {Direction.inbound, Direction.outbound} <= {i.direction for i in talks}
    assert any(
        "Emma" in n.text and "Michigan" in n.text for n in demo_store.notes(person_id=john.id)
    )


def test_john_is_harry_smiths_college_roommate_per_a_dated_note(demo_store: Store) -> None:
    r = Resolver(demo_store)
    john, harry = r.person("John Jacobs"), r.person("Harry Smith")
    assert john.id is not None and harry.id is not None

    ties = [t for t in demo_store.ties(person_id=john.id) if harry.id in (t.a, t.b)]
    assert [t.context for t in ties] == [TieContext.roommate]
    evidence = ties[0].evidence[0]
    assert evidence.text == "college roommates (note, 2021-03-04)"
    assert evidence.source is not None
    note = demo_store.get_note(int(evidence.source.removeprefix("note:")))
    assert note is not None
    assert note.at.date() == date(2021, 3, 4)
    assert set(note.people) == {john.id, harry.id}
    assert "roommate" in note.text


def test_harry_smith_is_a_managing_director_at_goldman(demo_store: Store) -> None:
    harry = Resolver(demo_store).person("Harry Smith")
    assert harry.id is not None

    current = demo_store.employments(person_id=harry.id, current=True)
    assert [(e.org_id, e.title) for e in current] == [
        (_org_id(demo_store, "Goldman Sachs"), "Managing Director")
    ]


def test_derek_lawson_is_a_stale_one_way_email_burst_into_goldman(demo_store: Store) -> None:
    me, derek = demo_store.me(), Resolver(demo_store).person("Derek Lawson")
    assert me is not None and me.id is not None and derek.id is not None
    anchor = _anchor(demo_store)

    current = demo_store.employments(person_id=derek.id, current=True)
    assert current[0].org_id == _org_id(demo_store, "Goldman Sachs")
    assert current[0].title and current[0].title.startswith("Vice President")
    emails = _between(demo_store, derek.id, me.id)
    assert len(emails) >= 35
    assert all(i.channel == Channel.email for i in emails)
    assert all(anchor - i.at.date() > timedelta(days=2 * 365) for i in emails)
    assert all(anchor - i.at.date() < timedelta(days=3 * 365 + 1) for i in emails)
    out = sum(i.direction == Direction.outbound for i in emails)
    assert out >= 0.8 * len(emails)


def test_priya_has_a_stronger_way_into_morgan_stanley_than_the_user(demo_store: Store) -> None:
    r = Resolver(demo_store)
    me, priya = demo_store.me(), r.person("Priya Patel")
    assert me is not None and me.id is not None and priya.id is not None
    assert priya.is_team
    anchor = _anchor(demo_store)
    ms = _org_id(demo_store, "Morgan Stanley")
    at_ms = {e.person_id: e for e in demo_store.employments(org_id=ms, current=True)}

    def contacts(owner: int) -> dict[int, list[TieContext]]:
        out: dict[int, list[TieContext]] = {}
        for t in demo_store.ties(person_id=owner):
            other = t.b if t.a == owner else t.a
            out.setdefault(other, []).append(t.context)
        return out

    hers = {pid: ctx for pid, ctx in contacts(priya.id).items() if pid in at_ms}
    ed = [pid for pid in hers if "Executive Director" in (at_ms[pid].title or "")]
    assert len(ed) == 1
    assert hers[ed[0]] == [TieContext.colleague]
    talks = [i for i in _between(demo_store, priya.id, ed[0]) if i.participants[0] == priya.id]
    assert len(talks) >= 20
    assert anchor - talks[0].at.date() <= timedelta(days=30)
    assert {Direction.inbound, Direction.outbound} <= {i.direction for i in talks}

    # The user's own direct ties into Morgan Stanley are weak: met once, barely followed up.
    mine = {pid: ctx for pid, ctx in contacts(me.id).items() if pid in at_ms}
    assert mine
    assert all(set(ctx) <= {TieContext.met_once, TieContext.linkedin} for ctx in mine.values())
    assert all(len(_between(demo_store, pid, me.id)) <= 2 for pid in mine)
    # ... and the two-hop way through an acquaintance starts from a thin tie.
    carlos = r.person("Carlos Mendez")
    assert carlos.id is not None
    assert [t.context for t in demo_store.ties(person_id=carlos.id) if me.id in (t.a, t.b)] == [
        TieContext.acquaintance
    ]


def test_sarah_lee_is_a_customer_whose_notes_are_about_payroll_pains(demo_store: Store) -> None:
    me, sarah = demo_store.me(), Resolver(demo_store).person("Sarah Lee")
    assert me is not None and sarah.id is not None

    ties = [t for t in demo_store.ties(person_id=sarah.id) if me.id in (t.a, t.b)]
    assert [t.context for t in ties] == [TieContext.client]
    notes = demo_store.notes(person_id=sarah.id)
    assert sum("payroll" in n.text.lower() for n in notes) >= 3


def test_marcus_chen_left_goldman_in_2025(demo_store: Store) -> None:
    marcus = Resolver(demo_store).person("Marcus Chen")
    assert marcus.id is not None
    gs = _org_id(demo_store, "Goldman Sachs")

    jobs = demo_store.employments(person_id=marcus.id)
    at_gs = [e for e in jobs if e.org_id == gs]
    assert len(at_gs) == 1
    assert at_gs[0].current is False
    assert at_gs[0].end is not None and at_gs[0].end.year == 2025
    now = [e for e in jobs if e.current]
    assert len(now) == 1 and now[0].org_id != gs


def test_drafts_have_fixed_second_hops_behind_sarah_and_derek(demo_store: Store) -> None:
    r = Resolver(demo_store)
    for via, to, org, title in (
        ("Sarah Lee", "Neil Rossi", "Brightwater Logistics", "Chief Financial Officer"),
        ("Derek Lawson", "Wendy Peterson", "Goldman Sachs", "Head of Payroll"),
    ):
        a, b = r.person(via), r.person(to)
        assert a.id is not None and b.id is not None
        ties = [t for t in demo_store.ties(person_id=a.id) if b.id in (t.a, t.b)]
        assert [t.context for t in ties] == [TieContext.colleague]
        assert ties[0].evidence[0].text.startswith(f"work together at {org} since ")
        jobs = demo_store.employments(person_id=b.id, current=True)
        assert [(j.org_id, j.title) for j in jobs] == [(_org_id(demo_store, org), title)]


def test_two_hop_ways_into_goldman_and_morgan_stanley_are_only_the_scripted_ones(
    demo_store: Store,
) -> None:
    """Random ties must not beat the clear cases: the user reaches current bank staff in
    two hops only through the people the cases put there."""
    me = demo_store.me()
    assert me is not None and me.id is not None
    my_id = me.id
    names = dict(demo_store.person_names())
    neighbours: dict[int, set[int]] = {}
    for t in demo_store.ties():
        neighbours.setdefault(t.a, set()).add(t.b)
        neighbours.setdefault(t.b, set()).add(t.a)

    def middles(org: str) -> set[str]:
        jobs = demo_store.employments(org_id=_org_id(demo_store, org), current=True)
        staff = {e.person_id for e in jobs}
        return {names[x] for x in neighbours[my_id] if neighbours.get(x, set()) & staff}

    assert "John Jacobs" in middles("Goldman Sachs")
    assert middles("Goldman Sachs") <= {
        "John Jacobs",
        "Derek Lawson",
        "Nathan Price",
        "Marcus Chen",
    }
    assert {"Priya Patel", "Carlos Mendez"} <= middles("Morgan Stanley")
    assert middles("Morgan Stanley") <= {"Priya Patel", "Carlos Mendez", "Brian Holloway"}


@pytest.mark.parametrize("anchor", [date(2025, 9, 1), date(2026, 8, 30), date(2027, 1, 10)])
def test_the_clear_cases_hold_for_any_anchor(tmp_path: Path, anchor: date) -> None:
    load_demo(tmp_path, anchor=anchor)
    with Store(tmp_path) as store:
        r = Resolver(store)
        me, john, derek = store.me(), r.person("John Jacobs"), r.person("Derek Lawson")
        assert me is not None and me.id is not None
        assert john.id is not None and derek.id is not None

        last = _between(store, john.id, me.id)[0]
        assert timedelta(weeks=3) <= anchor - last.at.date() <= timedelta(weeks=5)
        stale = _between(store, derek.id, me.id)
        assert all(anchor - i.at.date() > timedelta(days=2 * 365) for i in stale)
        start = anchor - timedelta(days=3 * 365)
        assert all(start <= i.at.date() < anchor for i in store.interactions())
        assert all(n.at.date() <= anchor for n in store.notes())


# ------------------------------------------------------------------ loading


def test_loading_again_keeps_the_demo_and_fresh_rebuilds_it(tmp_path: Path) -> None:
    first = load_demo(tmp_path, anchor=ANCHOR)
    with Store(tmp_path) as store, store.write():
        store.add_note(Note(text="logged during a demo session", at=datetime(2026, 3, 15, 9)))

    again = load_demo(tmp_path, anchor=ANCHOR)
    assert again.notes == first.notes + 1

    rebuilt = load_demo(tmp_path, anchor=ANCHOR, fresh=True)
    assert rebuilt == first
    with Store(tmp_path) as store:
        assert not [n for n in store.notes() if n.text == "logged during a demo session"]


def test_another_seed_replaces_the_demo(tmp_path: Path) -> None:
    load_demo(tmp_path, seed=7, anchor=ANCHOR)
    load_demo(tmp_path, seed=8, anchor=ANCHOR)

    with Store(tmp_path) as store:
        assert store.get_meta("demo_seed") == "8"
        assert store.counts().people >= 1400  # replaced, not added on top
        assert len(store.people_named("John Jacobs")) == 1


def test_the_demo_never_mixes_with_a_users_own_data(tmp_path: Path) -> None:
    with Store(tmp_path) as store, store.write():
        store.add_person(Person(name="Real Colleague", emails=["real@example.com"]))

    for fresh in (False, True):
        with pytest.raises(UsageError) as caught:
            load_demo(tmp_path, fresh=fresh)
        assert "demo" in caught.value.message and caught.value.hint
    with Store(tmp_path) as store:
        assert [p.name for p in store.people()] == ["Real Colleague"]


def test_an_anchor_too_early_for_the_clear_cases_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CarsonError):
        load_demo(tmp_path, anchor=date(2024, 1, 1))


def test_cli_demo_then_status_json_shows_the_counts(carson_home: Path) -> None:
    runner = CliRunner()

    loaded = runner.invoke(app, ["demo", "--no-chat"])
    assert loaded.exit_code == 0, loaded.output
    assert "Demo network ready" in loaded.output

    status = runner.invoke(app, ["status", "--json"])
    assert status.exit_code == 0, status.output
    data = json.loads(status.output)
    assert data["home"] == str(carson_home)
    assert data["people"] >= 1400
    assert data["organizations"] >= 250
    assert data["interactions"] >= 3000
    assert data["notes"] >= 300
    assert data["ties"] > 0
    assert data["me"] == "Jordan Reyes"
    assert "brain" in data
