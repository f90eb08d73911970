"""Generated worlds with planted truth, for the routing suite.

Each seed builds a small world (about 300 people) through the Store API, exactly as
an import would, around one target company. What is planted, and why it is the truth:

- **the best route** (``truth``): you → C → X at the target. You and C are friends with
  recent, frequent, two-way contact (emails both ways and meetings in the last three
  months); C and X are old friends with recent two-way contact and a note about both.
- **the teammate's better route** (``team_truth``): teammate P → Q at the target, P and
  Q former roommates in touch every few weeks. A teammate asking a near-best friend
  beats any two-hop route of yours, so with ``via_team`` it must rank first; without it
  no route may use P.
- decoys that must not win:
  - **stale**: D works at the target; you sent D 30-50 emails three to four years ago,
    mostly one-way, and nothing since. Direct, but cold.
  - **ex-employee**: E is a close friend of yours who *left* the target two years ago;
    E's former colleague W is still there, with no contact since E left.
  - **hub**: H is connected on LinkedIn to you, to a third of the target's staff and to
    a hundred others, and has never interacted with anyone.
- background: ~250 people at 20 other companies with colleague, classmate, LinkedIn
  and acquaintance ties and older, sparser interactions, some of them at the target.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from carson.models import (
    Channel,
    Direction,
    Employment,
    Evidence,
    Interaction,
    Note,
    Organization,
    Person,
    Tie,
    TieContext,
)
from carson.store import Store

NOW = datetime(2026, 6, 1, 12, 0)


def _words(text: str, sep: str | None = None) -> list[str]:
    return [w.strip() for w in text.replace("\n", " ").split(sep) if w.strip()]


_FIRST = _words("""Ada Ben Cara Dev Eli Fay Gus Hana Ivo Jana Kai Lea Milo Nia Omar Pia Quin
Rosa Sam Tara Uma Vic Wes Xena Yuri Zoe Abel Bea Cruz Dina Emil Flor Gene Hugo Iris Joel Kira
Lars Mae Noel""")
_LAST = _words("""Abbott Baird Cobb Dahl Ebert Frost Gale Hale Irwin Joyce Kemp Lowe Marsh Nash
Orr Pike Quade Rowe Stone Tate Upton Vance Webb Yates Zell Ames Boyd Crane Drake Ellis Flynn
Grant Hart Ives Judd Knox Lund Moss Noble Oakes""")
_ORGS_TEXT = """Northwind Bank|Harbor Capital|Summit Payroll|Redwood Retail|Atlas Freight
|Beacon Health|Cedar Insurance|Delta Foods|Evergreen Energy|Falcon Media|Granite Labs
|Horizon Telecom|Ironclad Security|Juniper Travel|Keystone Realty|Lumen Devices
|Maple Pharma|Nimbus Cloud|Orchid Hotels|Pioneer Motors|Quartz Mining|Riverside Clinic
|Sterling Legal|Tidewater Ports"""
_ORGS = [" ".join(o.split()) for o in _words(_ORGS_TEXT, "|")]
_TITLES = ["Analyst", "Associate", "Senior Manager", "Director of Payroll", "VP Finance"]
_TITLES += ["Head of People", "Payroll Manager", "Controller", "Managing Director", "Engineer"]


@dataclass
class WorldTruth:
    """What a world planted: person ids by role, and the routes that must win."""

    seed: int
    target: str
    me: int
    ids: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    connector_org: str = ""
    """C's employer, excluded by name in the exclusion query."""

    @property
    def truth(self) -> list[int]:
        return [self.me, self.ids["C"], self.ids["X"]]

    @property
    def team_truth(self) -> list[int]:
        return [self.ids["P"], self.ids["Q"]]

    def role_of(self, pid: int) -> str | None:
        for role, i in self.ids.items():
            if i == pid:
                return role
        return None


class _Builder:
    def __init__(self, store: Store, rng: random.Random) -> None:
        self.store = store
        self.rng = rng
        self.names = iter(rng.sample([f"{f} {last}" for f in _FIRST for last in _LAST], 600))
        self.n_int = 0

    def person(self, **kw: object) -> int:
        name = next(self.names)
        first, last = name.split()
        p = self.store.add_person(Person(name=name, first_name=first, last_name=last, **kw))  # type: ignore[arg-type]
        assert p.id is not None
        return p.id

    def job(self, pid: int, org: int, title: str, start: date, end: date | None = None) -> None:
        self.store.add_employment(
            Employment(
                person_id=pid, org_id=org, title=title, start=start, end=end, current=end is None
            )
        )

    def tie(self, a: int, b: int, ctx: TieContext, text: str, since: date | None = None) -> None:
        self.store.add_tie(
            Tie(a=a, b=b, context=ctx, source="eval", since=since, evidence=[Evidence(text=text)])
        )

    def talk(
        self, owner: int, other: int, days_ago: float, channel: Channel, direction: Direction
    ) -> None:
        self.n_int += 1
        self.store.add_interaction(
            Interaction(
                at=NOW - timedelta(days=days_ago),
                channel=channel,
                participants=[owner, other],
                direction=direction,
                source="eval",
                source_id=f"eval-{self.n_int}",
            )
        )

    def warm(self, owner: int, other: int, n: int, within: int) -> None:
        """Recent, two-way contact: emails both ways and a few meetings."""
        for i in range(n):
            kind = i % 4
            ch = Channel.meeting if kind == 3 else Channel.email
            d = (
                Direction.mutual
                if kind == 3
                else (Direction.outbound if kind % 2 else Direction.inbound)
            )
            self.talk(owner, other, self.rng.uniform(2, within), ch, d)


def build_world(home: Path, seed: int) -> WorldTruth:
    """Write world ``seed`` into a new store at ``home`` and return what it planted."""
    rng = random.Random(seed)
    with Store(home) as store, store.write():
        b = _Builder(store, rng)
        names = rng.sample(_ORGS, 21)
        orgs = []
        for n in names:
            o = store.add_organization(Organization(name=n))
            assert o.id is not None
            orgs.append(o.id)
        target, others = orgs[0], orgs[1:]
        seller = store.add_organization(Organization(name="Carson Seller Co"))
        assert seller.id is not None
        truth = WorldTruth(seed=seed, target=names[0], me=0)

        me = b.person(is_me=True)
        truth.me = me
        b.job(me, seller.id, "Account Executive", date(2021, 1, 1))

        def role(key: str, **kw: object) -> int:
            pid = b.person(**kw)
            truth.ids[key] = pid
            return pid

        p = role("P", is_team=True)
        b.job(p, seller.id, "Account Executive", date(2020, 5, 1))
        b.tie(me, p, TieContext.teammate, "Your teammate")

        # The target's staff.
        staff = []
        for i in range(14):
            s = b.person()
            title = "Payroll Manager" if i == 1 else rng.choice(_TITLES)
            b.job(s, target, title, date(rng.randint(2012, 2024), 3, 1))
            staff.append(s)
        x, q, d, w = staff[:4]
        for key, pid in (("X", x), ("Q", q), ("D", d), ("W", w)):
            truth.ids[key] = pid

        # The best route: you -> C -> X.
        c = role("C")
        b.job(c, others[0], rng.choice(_TITLES), date(2018, 1, 1))
        truth.connector_org = names[1]
        since = date(rng.randint(2008, 2016), 9, 1)
        b.tie(me, c, TieContext.friend, "friends since college", since)
        b.warm(me, c, rng.randint(10, 16), 90)
        b.tie(c, x, rng.choice([TieContext.friend, TieContext.roommate]), "old friends")
        b.warm(c, x, rng.randint(6, 10), 120)
        pc, px = store.get_person(c), store.get_person(x)
        assert pc is not None and px is not None
        text = f"{pc.name} and {px.name} still play tennis every Sunday."
        store.add_note(Note(text=text, people=[c, x], at=NOW - timedelta(days=30)))

        # The teammate's better route: P -> Q.
        b.tie(p, q, TieContext.roommate, "college roommates", date(2010, 9, 1))
        b.warm(p, q, rng.randint(12, 18), 60)

        # Stale decoy: many emails to D years ago, mostly one-way, nothing since.
        for _ in range(rng.randint(30, 50)):
            inbound = rng.random() < 0.15
            b.talk(
                me,
                d,
                rng.uniform(3 * 365, 4 * 365),
                Channel.email,
                Direction.inbound if inbound else Direction.outbound,
            )

        # Ex-employee: E, a close friend of yours, left the target; W is E's ex-colleague.
        e = role("E")
        b.job(e, target, "Vice President", date(2015, 2, 1), date(2024, 5, 31))
        b.job(e, others[1], "Vice President", date(2024, 6, 1))
        b.tie(me, e, TieContext.friend, "friends from the running club")
        b.warm(me, e, rng.randint(10, 16), 90)
        b.tie(e, w, TieContext.colleague, "worked together at the target")

        # Hub: LinkedIn to you, a third of the target and a hundred others; no contact.
        h = role("H")
        b.job(h, others[2], "Managing Director", date(2010, 1, 1))
        b.tie(me, h, TieContext.linkedin, "connected on LinkedIn")
        for s in staff[::3]:
            b.tie(h, s, TieContext.linkedin, "connected on LinkedIn")

        # Background: people at other companies, sparser and older.
        bg = []
        for _ in range(250):
            pid = b.person()
            org = rng.choice(others)
            b.job(pid, org, rng.choice(_TITLES), date(rng.randint(2010, 2024), 1, 1))
            bg.append(pid)
        for pid in rng.sample(bg, 100):
            b.tie(h, pid, TieContext.linkedin, "connected on LinkedIn")
        weak = [TieContext.linkedin, TieContext.acquaintance, TieContext.classmate]
        for pid in bg:
            for other in rng.sample(bg, rng.randint(1, 4)):
                if other != pid:
                    b.tie(pid, other, rng.choice([*weak, TieContext.colleague]), "knows them")
        for s in staff[4:]:
            for other in rng.sample(bg, rng.randint(1, 3)):
                b.tie(s, other, rng.choice(weak), "knows them")
        for pid in rng.sample(bg, 30):
            b.tie(me, pid, rng.choice(weak), "knows them")
            for _ in range(rng.randint(0, 5)):
                b.talk(
                    me,
                    pid,
                    rng.uniform(200, 1500),
                    Channel.email,
                    rng.choice([Direction.outbound, Direction.inbound]),
                )
        for pid in rng.sample(bg, 8):
            b.tie(c, pid, rng.choice(weak), "knows them")
        for pid in rng.sample(bg, 8):
            b.tie(p, pid, rng.choice(weak), "knows them")

        for key, pid in truth.ids.items():
            person = store.get_person(pid)
            assert person is not None
            truth.names[key] = person.name
    return truth
