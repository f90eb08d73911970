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
- Neil Rossi (CFO, Brightwater Logistics) works with Sarah Lee; Wendy Peterson (Head of
  Payroll, Goldman Sachs) with Derek Lawson: fixed second hops for drafts and tests.
"""

from __future__ import annotations

from datetime import date

from carson.demo._orgs import GOLDMAN, JPMORGAN, ME_COMPANY, MORGAN_STANLEY, OrgSpec
from carson.demo._plan import PlanJob, PlanPerson, World

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
    d = date

    def ago(days: int) -> date:
        # Offsets from the anchor (dates as of a 2026-11-25 anchor), so job overlaps with
        # the crowd (also anchor-relative) don't change as the anchor moves.
        return w.days_ago(days)

    me = _person(
        w,
        "Jordan",
        "Reyes",
        "New York, NY",
        [
            ("Deloitte", "Consultant", ago(5287), ago(3757)),
            ("ADP", "Account Executive", ago(3732), ago(1215)),
            (ME_COMPANY, "Account Executive", ago(1199), None),
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
            (JPMORGAN, "Vice President, Treasury Services", ago(5014), ago(2749)),
            ("Workday", "Account Executive", ago(2732), ago(1044)),
            (ME_COMPANY, "Senior Account Executive", ago(1027), None),
        ],
        is_team=True,
    )
    _person(
        w,
        "Tom",
        "Becker",
        "Brooklyn, NY",
        [
            ("Paychex", "Sales Development Representative", ago(1781), ago(579)),
            (ME_COMPANY, "Sales Development Representative", ago(570), None),
        ],
        is_team=True,
    )
    _person(
        w,
        "Aisha",
        "Okafor",
        "New York, NY",
        [
            ("Salesforce", "Solutions Engineer", ago(3403), ago(1527)),
            (ME_COMPANY, "Solutions Engineer", ago(1510), None),
        ],
        is_team=True,
    )
    _person(
        w,
        "John",
        "Jacobs",
        "New York, NY",
        [
            ("Citigroup", "Senior Financial Analyst", ago(4155), ago(2069)),
            ("Fieldstone Health", "Director of Finance", ago(2052), None),
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
        [(GOLDMAN, "Vice President, Human Capital Management", ago(2424), None)],
    )
    _person(
        w,
        "Rachel",
        "Kim",
        "New York, NY",
        [
            (JPMORGAN, "Vice President", ago(5247), ago(2470)),
            (MORGAN_STANLEY, "Executive Director, Human Capital Operations", ago(2452), None),
        ],
    )
    _person(
        w,
        "Brian",
        "Holloway",
        "New York, NY",
        [(MORGAN_STANLEY, "Associate", ago(1259), None)],
    )
    _person(
        w,
        "Carlos",
        "Mendez",
        "Stamford, CT",
        [("Cobalt Analytics", "Controller", ago(1758), None)],
    )
    _person(
        w,
        "Olivia",
        "Grant",
        "New York, NY",
        [(MORGAN_STANLEY, "Vice President, Payroll Operations", ago(1535), None)],
    )
    _person(
        w,
        "Sarah",
        "Lee",
        "Newark, NJ",
        [("Brightwater Logistics", "Head of Payroll", ago(2501), None)],
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
        [(GOLDMAN, "Analyst", ago(506), None)],
    )
    # Second hops that drafts and their tests use: Sarah's CFO, Derek's boss.
    _person(
        w,
        "Neil",
        "Rossi",
        "Newark, NJ",
        [("Brightwater Logistics", "Chief Financial Officer", ago(2210), None)],
    )
    _person(
        w,
        "Wendy",
        "Peterson",
        "New York, NY",
        [(GOLDMAN, "Head of Payroll", ago(3105), None)],
    )
