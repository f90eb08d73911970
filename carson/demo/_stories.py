"""The clear cases' hand-written ties, interactions and notes (one function per case).

The people themselves (names, jobs) are created in ``_cases.py``; the crowd's
activity generator skips the owner-contact pairs listed in ``World.scripted_pairs``.
"""

from __future__ import annotations

from datetime import date, timedelta

from carson.demo._cases import ME, TEAM
from carson.demo._orgs import JPMORGAN, ME_COMPANY
from carson.demo._plan import PlanEvidence, World, worked_together
from carson.models import Channel, Direction, TieContext


def add_ties_and_activity(w: World) -> None:
    """The hand-written ties, interactions and notes of the clear cases."""
    for story in (
        _team,
        _john_and_harry,
        _derek,
        _priya_and_rachel,
        _own_ways_into_morgan_stanley,
        _sarah,
        _marcus,
        _nathan,
        _colleagues_of_cases,
    ):
        w.stream("story", story.__name__)
        story(w)
    n = w.named
    me = n[ME]
    for other in (
        "John Jacobs",
        "Derek Lawson",
        "Brian Holloway",
        "Carlos Mendez",
        "Sarah Lee",
        "Marcus Chen",
        "Nathan Price",
    ):
        w.scripted_pairs.add((me, n[other]))
    w.scripted_pairs.add((n["Priya Patel"], n["Rachel Kim"]))


def _series(
    w: World,
    owner: int,
    other: int,
    first: date,
    last: date,
    n: int,
    mix: tuple[tuple[Channel, int], ...],
    p_out: float,
    subjects: tuple[str, ...],
    *,
    business: bool = True,
) -> None:
    """``n`` interactions between ``first`` and ``last`` (the last exactly on ``last``)."""
    span = (last - first).days
    days = sorted(first + timedelta(days=int(span * w.rng.random() ** 0.8)) for _ in range(n - 1))
    channels, weights = zip(*mix, strict=True)
    for day in [*days, last]:
        ch = w.rng.choices(channels, weights)[0]
        if ch in (Channel.meeting, Channel.call):
            direction = Direction.mutual
        else:
            direction = Direction.outbound if w.rng.random() < p_out else Direction.inbound
        w.interact(
            w.at(day, business=business),
            ch,
            [owner, other],
            direction,
            subject=w.rng.choice(subjects),
        )


def _team(w: World) -> None:
    """The team: teammates with each other, and a weekly pipeline review the user runs."""
    n = w.named
    me = n[ME]
    a = w.anchor
    team = [me, *(n[t] for t in TEAM)]
    for i, x in enumerate(team):
        for y_ in team[i + 1 :]:
            since = max(w.people[x].jobs[-1].start, w.people[y_].jobs[-1].start)
            w.add_tie(
                x,
                y_,
                TieContext.teammate,
                PlanEvidence(f"teammates at {ME_COMPANY} since {since.isoformat()}", "team", since),
                owner=x,
                since=since,
                source="team",
            )
    monday = max(w.people[t].jobs[-1].start for t in team)
    monday += timedelta(days=(7 - monday.weekday()) % 7)
    while monday < a:
        if monday >= w.window_start:
            w.interact(
                w.at(monday),
                Channel.meeting,
                team,
                Direction.mutual,
                "Weekly pipeline review",
                "Pipeline review: commits and upside for the quarter.",
            )
        monday += timedelta(days=7)


def _john_and_harry(w: World) -> None:
    """John Jacobs: close friend, two-way, last talked four weeks ago."""
    n = w.named
    me = n[ME]
    john = n["John Jacobs"]
    harry = n["Harry Smith"]
    a = w.anchor
    hoops = w.note(
        "John Jacobs and I have played Thursday pickup basketball since 2012 — one of my "
        "closest friends. His wife is Dana; they live on the Upper West Side.",
        [john],
        w.at(date(a.year - 2, 10, 6)).replace(hour=21, minute=0),
    )
    w.add_tie(
        me,
        john,
        TieContext.friend,
        PlanEvidence(
            f"friends since 2012, Thursday pickup basketball (note, {hoops.at.date()})",
            "note",
            hoops.at.date(),
            hoops,
        ),
        owner=me,
        since=date(2012, 9, 6),
        source="note",
    )
    last_call = w.days_ago(27)
    if last_call.weekday() >= 5:
        last_call -= timedelta(days=last_call.weekday() - 4)
    _series(
        w,
        me,
        john,
        w.window_start + timedelta(days=9),
        last_call - timedelta(days=9),
        47,
        ((Channel.message, 40), (Channel.call, 20), (Channel.meeting, 20), (Channel.email, 20)),
        0.5,
        ("Drinks Thursday?", "Re: this weekend", "Game tickets", "Re: dinner plans"),
        business=False,
    )
    w.interact(
        w.at(last_call, business=False).replace(hour=19, minute=30),
        Channel.call,
        [me, john],
        Direction.mutual,
        "Catch-up call",
        "Long catch-up call: family, work, the Knicks.",
    )
    m = a.month
    if m <= 6:
        emma = "John Jacobs' daughter Emma is starting at Michigan in the fall; he's proud"
    elif m <= 8:
        emma = "John Jacobs' daughter Emma starts at Michigan next month; he's proud"
    else:
        emma = "John Jacobs' daughter Emma just started her freshman year at Michigan; he's proud"
    w.note(
        emma + " and a little nervous about out-of-state tuition.",
        [john],
        w.at(last_call, business=False).replace(hour=21, minute=0),
    )
    roommates = w.note(
        "Dinner with John Jacobs. His college roommate at Cornell, Harry Smith, is a Managing "
        "Director at Goldman Sachs now — they still talk most weeks and do the Yankees opener "
        "together every year.",
        [john, harry],
        w.at(date(2021, 3, 4), business=False).replace(hour=22, minute=0),
    )
    w.add_tie(
        john,
        harry,
        TieContext.roommate,
        PlanEvidence("college roommates (note, 2021-03-04)", "note", date(2021, 3, 4), roommates),
        owner=me,
        since=date(2004, 9, 1),
        source="note",
    )


def _derek(w: World) -> None:
    """Derek Lawson: ~40 emails, mostly one-way, 2.5-3 years ago, then silence."""
    n = w.named
    me = n[ME]
    derek = n["Derek Lawson"]
    met = w.days_ago(1092)
    w.add_tie(
        me,
        derek,
        TieContext.acquaintance,
        PlanEvidence(
            f"met at the PayrollOrg Congress in Orlando, {met.isoformat()}", "calendar", met
        ),
        owner=me,
        since=met,
        source="calendar",
    )
    subjects = (
        "Paylane for Goldman's contractor payroll",
        "Following up",
        "Re: Following up",
        "Case study: how a 900-person team cut payroll errors",
        "Checking in",
        "Quick question",
    )
    emails = sorted(w.days_ago(w.rng.randint(930, 1085)) for _ in range(40))
    inbound = set(w.rng.sample(range(40), 6))
    for i, day in enumerate(emails):
        w.interact(
            w.at(day),
            Channel.email,
            [me, derek],
            Direction.inbound if i in inbound else Direction.outbound,
            w.rng.choice(subjects),
        )


def _priya_and_rachel(w: World) -> None:
    """Priya Patel -> Rachel Kim (Executive Director, Morgan Stanley): ex-colleagues, recent."""
    n = w.named
    priya = n["Priya Patel"]
    rachel = n["Rachel Kim"]
    a = w.anchor
    pj, rj = w.people[priya].jobs[0], w.people[rachel].jobs[0]
    lo, hi = max(pj.start, rj.start), min(pj.end or a, rj.end or a)
    w.add_tie(
        priya,
        rachel,
        TieContext.colleague,
        PlanEvidence(worked_together(JPMORGAN, (lo, hi), still=False), "employment", hi),
        owner=priya,
        since=lo,
        source="employment",
    )
    _series(
        w,
        priya,
        rachel,
        w.days_ago(470),
        w.days_ago(6),
        34,
        ((Channel.email, 40), (Channel.call, 20), (Channel.meeting, 20), (Channel.message, 20)),
        0.5,
        ("Lunch next week?", "Re: catching up", "Re: your team's reorg", "Coffee Thursday?"),
    )
    w.note(
        "Lunch with Rachel Kim — she runs human capital operations at Morgan Stanley now and "
        "is reviewing their payroll tooling next year. We sat next to each other at JPMorgan "
        "for six years; she'll take my call any time.",
        [priya, rachel],
        w.at(w.days_ago(40)).replace(hour=18, minute=0),
    )


def _own_ways_into_morgan_stanley(w: World) -> None:
    """The user's own ways into Morgan Stanley are weaker."""
    n = w.named
    me = n[ME]
    brian = n["Brian Holloway"]
    carlos = n["Carlos Mendez"]
    olivia = n["Olivia Grant"]
    fair = w.days_ago(700)
    w.add_tie(
        me,
        brian,
        TieContext.met_once,
        PlanEvidence(
            f"met once at the Fintech Ops Forum in New York, {fair.isoformat()}", "calendar", fair
        ),
        owner=me,
        since=fair,
        source="calendar",
    )
    w.interact(
        w.at(fair + timedelta(days=2)),
        Channel.email,
        [me, brian],
        Direction.outbound,
        "Great meeting you at the Fintech Ops Forum",
    )
    dinner = w.days_ago(400)
    w.add_tie(
        me,
        carlos,
        TieContext.acquaintance,
        PlanEvidence(f"met at a Paylane customer dinner, {dinner.isoformat()}", "calendar", dinner),
        owner=me,
        since=dinner,
        source="calendar",
    )
    _series(
        w,
        me,
        carlos,
        dinner + timedelta(days=3),
        w.days_ago(150),
        4,
        ((Channel.email, 3), (Channel.call, 1)),
        0.7,
        ("Good to meet you", "Re: Cobalt's payroll setup"),
    )
    w.add_tie(
        carlos,
        olivia,
        TieContext.classmate,
        PlanEvidence("classmates at Georgetown, class of 2009 (LinkedIn education)", "linkedin"),
        owner=None,
        source="linkedin",
    )


def _sarah(w: World) -> None:
    """Sarah Lee: a customer; her notes are about her team's payroll pains."""
    n = w.named
    me = n[ME]
    sarah = n["Sarah Lee"]
    a = w.anchor
    signed = date(a.year - 2, 3, 2)
    w.add_tie(
        me,
        sarah,
        TieContext.client,
        PlanEvidence(
            f"Brightwater Logistics has been a Paylane customer since {signed.isoformat()}; "
            "Sarah Lee is their Head of Payroll",
            "crm",
            signed,
        ),
        owner=me,
        since=signed,
        source="crm",
    )
    _series(
        w,
        me,
        sarah,
        signed - timedelta(days=60),
        w.days_ago(12),
        30,
        ((Channel.email, 50), (Channel.meeting, 30), (Channel.call, 20)),
        0.5,
        ("Q1 business review", "Re: payroll run on the 15th", "Ticket update: time-clock sync"),
    )
    for days, text in (
        (
            700,
            "Sarah Lee (Brightwater Logistics): her payroll team of three spends two days every "
            "cycle fixing overtime errors from the warehouse time clocks.",
        ),
        (
            520,
            "Sarah says multi-state payroll tax filings are her team's biggest headache since "
            "Brightwater opened depots in Ohio and Indiana.",
        ),
        (
            300,
            "QBR with Sarah Lee: payroll errors down a lot since go-live, but her team still "
            "re-keys garnishments by hand. Wants that fixed before year-end.",
        ),
        (
            95,
            "Sarah Lee is training for the Boston marathon — long runs before work, so "
            "schedule calls after 10.",
        ),
        (
            40,
            "Sarah Lee: Brightwater is buying a regional carrier with 400 drivers on a different "
            "payroll system; her team dreads running two payrolls through Q3.",
        ),
    ):
        w.note(text, [sarah], w.at(w.days_ago(days)).replace(hour=17, minute=30))


def _marcus(w: World) -> None:
    """Marcus Chen: left Goldman in 2025; a LinkedIn contact the user had coffee with."""
    n = w.named
    me = n[ME]
    marcus = n["Marcus Chen"]
    linked = date(2019, 11, 4)
    w.add_tie(
        me,
        marcus,
        TieContext.linkedin,
        PlanEvidence(f"connected on LinkedIn {linked.isoformat()}", "linkedin", linked),
        owner=me,
        since=linked,
        source="linkedin",
    )
    congrats = date(2025, 7, 24)
    if congrats >= w.window_start:
        w.interact(
            w.at(congrats),
            Channel.message,
            [me, marcus],
            Direction.outbound,
            "Congrats on the move to Stripe!",
        )
        w.interact(
            w.at(congrats + timedelta(days=1)),
            Channel.message,
            [me, marcus],
            Direction.inbound,
            "Re: Congrats on the move to Stripe!",
        )
    coffee = w.days_ago(75)
    w.interact(
        w.at(coffee - timedelta(days=4)),
        Channel.email,
        [me, marcus],
        Direction.outbound,
        "Coffee while you're in New York?",
    )
    w.interact(
        w.at(coffee),
        Channel.meeting,
        [me, marcus],
        Direction.mutual,
        "Coffee with Marcus",
        "Coffee near Bryant Park; he's settling in at Stripe.",
    )
    w.note(
        "Marcus Chen left Goldman Sachs in June 2025 after nine years in investment banking; "
        "now runs corporate development at Stripe.",
        [marcus],
        w.at(congrats).replace(hour=18, minute=0),
    )
    w.note(
        "Coffee with Marcus Chen: he still has lunch with his old Goldman team every month and "
        "offered to help if we ever go after Goldman's payroll.",
        [marcus],
        w.at(coffee).replace(hour=17, minute=0),
    )


def _nathan(w: World) -> None:
    """Nathan Price: a LinkedIn-only connection at Goldman."""
    n = w.named
    me = n[ME]
    nathan = n["Nathan Price"]
    clicked = w.days_ago(200)
    w.add_tie(
        me,
        nathan,
        TieContext.linkedin,
        PlanEvidence(f"connected on LinkedIn {clicked.isoformat()}", "linkedin", clicked),
        owner=me,
        since=clicked,
        source="linkedin",
    )


def _colleagues_of_cases(w: World) -> None:
    """Sarah Lee works with Neil Rossi; Derek Lawson with Wendy Peterson (his boss)."""
    n = w.named
    for a, b, org in (
        ("Sarah Lee", "Neil Rossi", "Brightwater Logistics"),
        ("Derek Lawson", "Wendy Peterson", "Goldman Sachs"),
    ):
        ja, jb = w.people[n[a]].jobs[-1], w.people[n[b]].jobs[-1]
        span = (max(ja.start, jb.start), w.anchor)
        w.add_tie(
            n[a],
            n[b],
            TieContext.colleague,
            PlanEvidence(worked_together(org, span, still=True), "employment"),
            owner=None,
            since=span[0],
            source="employment",
        )
