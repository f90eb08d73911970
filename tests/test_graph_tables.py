"""The network's people, staff, former staff and titles, kept as columns, read exactly as
the dicts they replaced (built here the old way, row by row, as the reference)."""

from __future__ import annotations

from datetime import date

from carson.graph import build_network
from carson.graph._tables import Strings
from carson.models import Employment
from carson.store import Store, graph_feed


def _reference(store: Store) -> tuple[dict, dict, dict, dict]:  # type: ignore[type-arg]
    org_names = {o.id: o.name for o in store.organizations()}
    people = {
        pid: {"name": name, "is_me": bool(me), "is_team": bool(team)}
        for pid, name, me, team in graph_feed.people_rows(store)
    }
    staff: dict[int, list[int]] = {}
    former: dict[int, list[tuple[int, date | None]]] = {}
    titles: dict[tuple[int, int], str | None] = {}
    best: dict[int, tuple[int, str | None, str]] = {}
    for pid, oid, title, start, end, current in graph_feed.employment_rows(store):
        titles[(pid, oid)] = title
        if current and end is None:
            staff.setdefault(oid, []).append(pid)
            cur = best.get(pid)
            if cur is None or (start or "") >= cur[2]:
                best[pid] = (oid, title, start or "")
        else:
            former.setdefault(oid, []).append((pid, date.fromisoformat(end) if end else None))
    for pid, info in people.items():
        oid, title, _ = best.get(pid, (None, None, ""))
        info.update(title=title, org_id=oid, company=org_names.get(oid) if oid else None)
    for oid, rows in former.items():
        on_staff = set(staff.get(oid, ()))
        former[oid] = [(p, e) for p, e in rows if p not in on_staff]
    return people, staff, {k: v for k, v in former.items() if v}, titles


def _check(store: Store) -> None:
    net = build_network(store)
    people, staff, former, titles = _reference(store)
    assert {
        pid: {
            "name": i.name,
            "is_me": i.is_me,
            "is_team": i.is_team,
            "title": i.title,
            "org_id": i.org_id,
            "company": i.company,
        }
        for pid, i in net.people.items()
    } == people
    assert dict(net.staff) == staff
    assert {k: v for k, v in net.former.items() if v} == former
    assert dict(net.titles) == titles
    assert net.me_id == next((p for p, i in people.items() if i["is_me"]), None)
    assert net.team_ids == sorted(p for p, i in people.items() if i["is_team"] and not i["is_me"])
    assert 10**9 not in net.people and net.people.get(10**9) is None
    assert net.titles.get((10**9, 1), "absent") == "absent"


def test_columns_read_as_the_dicts_on_the_demo(demo_store: Store) -> None:
    _check(demo_store)


def test_columns_handle_several_jobs_equal_starts_and_non_ascii(store: Store) -> None:
    from carson.models import Organization, Person

    with store.write():
        a = store.add_person(Person(name="Zoë Ångström", is_me=True)).id
        b = store.add_person(Person(name="Bob", is_team=True)).id
        c = store.add_person(Person(name="Chloé 陳")).id
        o1 = store.add_organization(Organization(name="Acme")).id
        o2 = store.add_organization(Organization(name="Beta")).id
        assert None not in (a, b, c, o1, o2)
        for pid, oid, title, start, end, current in [
            (a, o1, "Engineer", date(2020, 1, 1), None, True),
            (a, o2, "VP Sales", date(2020, 1, 1), None, True),  # equal start: later row wins
            (b, o1, "Analyst", None, date(2019, 5, 1), False),
            (b, o1, "Director", date(2021, 1, 1), None, True),  # back at Acme: not former
            (c, o2, None, date(2015, 1, 1), date(2018, 1, 1), False),
            (c, o1, "CFO", None, None, True),
            (c, o2, "Adviser", date(2010, 1, 1), None, False),  # ended, no end date
        ]:
            store.add_employment(
                Employment(
                    person_id=pid,  # type: ignore[arg-type]
                    org_id=oid,  # type: ignore[arg-type]
                    title=title,
                    start=start,
                    end=end,
                    current=current,
                )
            )
    _check(store)


def test_strings_round_trip() -> None:
    items = ["", "Ann", "Zoë", "陳大文", "a\x00b", ""]
    s = Strings.of(items)
    assert [s[i] for i in range(len(s))] == items
    assert len(Strings.of([])) == 0
