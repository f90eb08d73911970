"""The named clear cases later features and tests rely on.

- John Jacobs: the user's close friend (talked four weeks ago), college roommate of
- Harry Smith: Managing Director at Goldman Sachs.
- Derek Lawson: the stale decoy into Goldman: ~40 emails, mostly one-way, nearly
  three years ago, nothing since.
- Priya Patel: teammate whose ex-colleague Rachel Kim is an Executive Director at
  Morgan Stanley (strong, recent, two-way), while the user's own way in is a met-once
  Associate (Brian Holloway) or two hops through an acquaintance (Carlos Mendez ->
  Olivia Grant).
- Sarah Lee: a customer whose notes are about her team's payroll pains.
- Marcus Chen: left Goldman in June 2025 for Stripe.
"""

from __future__ import annotations

from datetime import date, timedelta

from carson.demo._orgs import GOLDMAN, JPMORGAN, ME_COMPANY, MORGAN_STANLEY, OrgSpec
from carson.demo._plan import PlanEvidence, PlanJob, PlanPerson, World, worked_together
from carson.models import Channel, Direction, TieContext

ME = "Jordan Reyes"
TEAM = ("Priya Patel", "Tom Becker", "Aisha Okafor")

# Mid-market organisations the cases need (the crowd generator adds the rest).
CASE_ORGS: tuple[OrgSpec, ...] = (
    OrgSpec("Brightwater Logistics", "brightwaterlogistics.com", "Logistics", "corp"),
    OrgSpec("Fieldstone Health", "fieldstonehealth.com", "Healthcare", "corp"),
    OrgSpec("Cobalt Analytics", "cobaltanalytics.com", "Software", "tech"),
)


def _jobs(w: World, spec: list[tuple[str, str, date, date | None]]) -> list[PlanJob]:
    return [PlanJob(w.org_index[org], title, start, end) for org, title, start, end in spec]


def _person(
    w: World,
    first: str,
    last: str,
    location: str,
    jobs: list[tuple[str, str, date, date | None]],
    **kw: object,
) -> int:
    p = PlanPerson(first, last, location, _jobs(w, jobs), scripted=True, **kw)  # type: ignore[arg-type]
    job = p.job
    handle = f"{first}.{last}".lower()
    if job is not None:
        p.emails.append(f"{handle}@{w.orgs[job.org].domain}")
    p.urls.append(f"https://www.linkedin.com/in/{first}-{last}".lower())
    return w.add_person(p)


def add_people(w: World) -> None:
    """Create the user, the team and every named person, with their job histories."""
    y = w.anchor.year
    d = date
    me = _person(
        w,
        "Jordan",
        "Reyes",
        "New York, NY",
        [
            ("Deloitte", "Consultant", d(y - 14, 6, 4), d(y - 10, 8, 12)),
            ("ADP", "Account Executive", d(y - 10, 9, 6), d(y - 3, 7, 29)),
            (ME_COMPANY, "Account Executive", d(y - 3, 8, 14), None),
        ],
        is_me=True,
        phones=["+1 212 555 0142"],
    )
    w.people[me].emails.append("jordan.reyes.nyc@gmail.com")
    _person(
        w,
        "Priya",
        "Patel",
        "Jersey City, NJ",
        [
            (JPMORGAN, "Vice President, Treasury Services", d(y - 13, 3, 4), d(y - 7, 5, 17)),
            ("Workday", "Account Executive", d(y - 7, 6, 3), d(y - 2, 1, 16)),
            (ME_COMPANY, "Senior Account Executive", d(y - 2, 2, 2), None),
        ],
        is_team=True,
    )
    _person(
        w,
        "Tom",
        "Becker",
        "Brooklyn, NY",
        [
            ("Paychex", "Sales Development Representative", d(y - 4, 1, 9), d(y - 1, 4, 25)),
            (ME_COMPANY, "Sales Development Representative", d(y - 1, 5, 4), None),
        ],
        is_team=True,
    )
    _person(
        w,
        "Aisha",
        "Okafor",
        "New York, NY",
        [
            ("Salesforce", "Solutions Engineer", d(y - 9, 8, 1), d(y - 4, 9, 20)),
            (ME_COMPANY, "Solutions Engineer", d(y - 4, 10, 7), None),
        ],
        is_team=True,
    )
    _person(
        w,
        "John",
        "Jacobs",
        "New York, NY",
        [
            ("Citigroup", "Senior Financial Analyst", d(y - 11, 7, 11), d(y - 5, 3, 27)),
            ("Fieldstone Health", "Director of Finance", d(y - 5, 4, 13), None),
        ],
        phones=["+1 917 555 0187"],
    )
    w.people[w.named["John Jacobs"]].emails.append("jjacobs.hoops@gmail.com")
    _person(
        w,
        "Harry",
        "Smith",
        "New York, NY",
        [
            (GOLDMAN, "Vice President", d(2012, 7, 9), d(2019, 1, 11)),
            (GOLDMAN, "Managing Director", d(2019, 1, 14), None),
        ],
    )
    _person(
        w,
        "Derek",
        "Lawson",
        "New York, NY",
        [(GOLDMAN, "Vice President, Human Capital Management", d(y - 6, 4, 6), None)],
    )
    _person(
        w,
        "Rachel",
        "Kim",
        "New York, NY",
        [
            (JPMORGAN, "Vice President", d(y - 14, 7, 14), d(y - 6, 2, 20)),
            (MORGAN_STANLEY, "Executive Director, Human Capital Operations", d(y - 6, 3, 9), None),
        ],
    )
    _person(
        w,
        "Brian",
        "Holloway",
        "New York, NY",
        [(MORGAN_STANLEY, "Associate", d(y - 3, 6, 15), None)],
    )
    _person(
        w,
        "Carlos",
        "Mendez",
        "Stamford, CT",
        [("Cobalt Analytics", "Controller", d(y - 4, 2, 1), None)],
    )
    _person(
        w,
        "Olivia",
        "Grant",
        "New York, NY",
        [(MORGAN_STANLEY, "Vice President, Payroll Operations", d(y - 4, 9, 12), None)],
    )
    _person(
        w,
        "Sarah",
        "Lee",
        "Newark, NJ",
        [("Brightwater Logistics", "Head of Payroll", d(y - 6, 1, 20), None)],
        tags=["customer"],
    )
    _person(
        w,
        "Marcus",
        "Chen",
        "San Francisco, CA",
        [
            (GOLDMAN, "Vice President, Investment Banking", d(2016, 7, 11), d(2025, 6, 13)),
            ("Stripe", "Director of Corporate Development", d(2025, 7, 21), None),
        ],
    )
    _person(
        w,
        "Nathan",
        "Price",
        "New York, NY",
        [(GOLDMAN, "Analyst", d(y - 1, 7, 7), None)],
    )


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


def add_ties_and_activity(w: World) -> None:
    """The hand-written ties, interactions and notes of the clear cases."""
    n = w.named
    me, priya = n[ME], n["Priya Patel"]
    john, harry, derek = n["John Jacobs"], n["Harry Smith"], n["Derek Lawson"]
    rachel, brian, carlos, olivia = (
        n["Rachel Kim"],
        n["Brian Holloway"],
        n["Carlos Mendez"],
        n["Olivia Grant"],
    )
    sarah, marcus, nathan = n["Sarah Lee"], n["Marcus Chen"], n["Nathan Price"]
    a = w.anchor

    # The team: teammates with each other, and a weekly pipeline review the user runs.
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

    # John Jacobs: close friend, two-way, last talked four weeks ago.
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

    # Derek Lawson: ~40 emails, mostly one-way, 2.5-3 years ago, then silence.
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

    # Priya Patel -> Rachel Kim (Executive Director, Morgan Stanley): ex-colleagues, recent.
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

    # The user's own ways into Morgan Stanley are weaker.
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

    # Sarah Lee: a customer; her notes are about her team's payroll pains.
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

    # Marcus Chen: left Goldman in 2025; the user knows him only from LinkedIn.
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
    w.note(
        "Marcus Chen left Goldman Sachs in June 2025 after nine years in investment banking; "
        "now runs corporate development at Stripe.",
        [marcus],
        w.at(congrats).replace(hour=18, minute=0),
    )

    # Nathan Price: a LinkedIn-only connection at Goldman.
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

    for other in (john, derek, brian, carlos, sarah, marcus, nathan):
        w.scripted_pairs.add((me, other))
    w.scripted_pairs.add((priya, rachel))
