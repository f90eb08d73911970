"""The owners' own networks: the user's and each teammate's ties, by context.

Clients come from the accounts each owner looks after; ex-colleagues from the owner's
former employers (giving the crowd member a matching old job where needed); the rest
from the unprotected crowd, with evidence a person can check.
"""

from __future__ import annotations

from datetime import date, timedelta

from carson.demo import _cases
from carson.demo._activity import Link
from carson.demo._names import COLLEGES
from carson.demo._orgs import CONFERENCES, ME_COMPANY, NAMED, is_buyer, pick_title
from carson.demo._plan import PlanEvidence, PlanJob, World, overlap, worked_together
from carson.models import TieContext

# Each owner's own network: how many ties of each context (clients come from accounts).
NETWORKS: dict[str, dict[TieContext, int]] = {
    _cases.ME: {
        TieContext.family: 5,
        TieContext.friend: 18,
        TieContext.classmate: 15,
        TieContext.colleague: 35,
        TieContext.acquaintance: 35,
        TieContext.met_once: 55,
        TieContext.linkedin: 130,
        TieContext.co_attendee: 10,
    },
    "Priya Patel": {
        TieContext.family: 3,
        TieContext.friend: 10,
        TieContext.classmate: 8,
        TieContext.colleague: 30,
        TieContext.acquaintance: 20,
        TieContext.met_once: 30,
        TieContext.linkedin: 70,
        TieContext.co_attendee: 5,
    },
    "Tom Becker": {
        TieContext.family: 3,
        TieContext.friend: 8,
        TieContext.classmate: 10,
        TieContext.colleague: 12,
        TieContext.acquaintance: 15,
        TieContext.met_once: 25,
        TieContext.linkedin: 45,
    },
    "Aisha Okafor": {
        TieContext.family: 2,
        TieContext.friend: 8,
        TieContext.classmate: 8,
        TieContext.colleague: 20,
        TieContext.acquaintance: 12,
        TieContext.met_once: 20,
        TieContext.linkedin: 40,
    },
}
ACCOUNTS = {_cases.ME: 18, "Priya Patel": 12, "Tom Becker": 5, "Aisha Okafor": 8}
"""How many customer organisations each owner looks after."""

FAMILY = ("cousin", "brother-in-law", "sister-in-law", "uncle", "niece", "cousin's spouse")
FRIENDS_HOW = (
    "met through a running club",
    "neighbors in Hoboken for years",
    "our kids are in the same class",
    "Sunday soccer league",
    "met at a mutual friend's wedding",
    "college friends",
)


def owner_links(w: World, protected: set[int]) -> list[Link]:
    """Every owner's clients and network ties; the links say what activity to generate."""
    links: list[Link] = []
    w.stream("accounts")
    accounts = _accounts(w)
    for owner_name, mix in NETWORKS.items():
        owner = w.named[owner_name]
        w.stream("clients", owner)
        links += _clients(w, owner, accounts[owner], protected)
        links += _network(w, owner, mix, protected)
    return links


def _accounts(w: World) -> dict[int, list[tuple[int, date]]]:
    """Customer organisations per owner, with the date each signed."""
    case_orgs = {spec.name for spec in _cases.CASE_ORGS}
    named = {spec.name for spec in NAMED}
    pool = [
        i
        for i, o in enumerate(w.orgs)
        if o.name not in named and o.name not in case_orgs and o.kind in ("corp", "tech")
    ]
    chosen = w.rng.sample(pool, sum(ACCOUNTS.values()))
    out: dict[int, list[tuple[int, date]]] = {}
    for name, count in ACCOUNTS.items():
        out[w.named[name]] = [
            (org, w.day_between(w.days_ago(5 * 365), w.days_ago(90))) for org in chosen[:count]
        ]
        chosen = chosen[count:]
    return out


def _free(w: World, owner: int, protected: set[int]) -> list[int]:
    paylane = w.org_index[ME_COMPANY]
    return [
        i
        for i, p in enumerate(w.people)
        if not p.scripted
        and i not in protected
        and not (p.job and p.job.org == paylane)
        and not w.has_tie(owner, i)
    ]


def _clients(
    w: World, owner: int, accounts: list[tuple[int, date]], protected: set[int]
) -> list[Link]:
    links: list[Link] = []
    staff: dict[int, list[int]] = {}
    for i, p in enumerate(w.people):
        if p.job and not p.scripted and i not in protected:
            staff.setdefault(p.job.org, []).append(i)
    for org, signed in accounts:
        people = sorted(staff.get(org, []), key=lambda i: not is_buyer(w.people[i].jobs[-1].title))
        for i in people[: w.rng.randint(1, 3)]:
            if w.has_tie(owner, i):
                continue
            p = w.people[i]
            text = (
                f"{w.orgs[org].name} has been a Paylane customer since {signed.isoformat()}; "
                f"{p.name} is their {p.jobs[-1].title}"
            )
            w.add_tie(
                owner,
                i,
                TieContext.client,
                PlanEvidence(text, "crm", signed),
                owner=owner,
                since=signed,
                source="crm",
            )
            links.append(Link(owner, i, TieContext.client, "client", signed))
    return links


def _network(w: World, owner: int, mix: dict[TieContext, int], protected: set[int]) -> list[Link]:
    links: list[Link] = []
    free = _free(w, owner, protected)
    buyers = [i for i in free if w.people[i].job and is_buyer(w.people[i].jobs[-1].title)]
    past = [j for j in w.people[owner].jobs if j.end is not None]
    for context, count in mix.items():
        w.stream("network", owner, context.value)
        made = 0
        tries = 0
        while made < count and tries < count * 20:
            tries += 1
            since: date | None
            if context == TieContext.colleague:
                got = _ex_colleague(w, owner, past[made % len(past)], free)
                if got is None:
                    continue
                i, evidence, since = got
            else:
                prospect = context in (TieContext.acquaintance, TieContext.met_once)
                prospect = prospect or context == TieContext.linkedin
                i = w.rng.choice(buyers if prospect and w.rng.random() < 0.6 else free)
                if w.has_tie(owner, i):
                    continue
                evidence, since = _evidence(w, owner, i, context)
            tie = w.add_tie(owner, i, context, evidence, owner=owner, since=since)
            if tie is None:
                continue
            made += 1
            title = w.people[i].jobs[-1].title
            if context in (TieContext.friend, TieContext.family):
                kind = "friend"
            elif context in (TieContext.colleague, TieContext.classmate):
                kind = "colleague"
            else:
                kind = "prospect" if is_buyer(title) else "colleague"
            links.append(Link(owner, i, context, kind, since))
    return links


def _ex_colleague(
    w: World, owner: int, stint: PlanJob, free: list[int]
) -> tuple[int, PlanEvidence, date] | None:
    """Someone who worked at one of the owner's old employers at the same time."""
    assert stint.end is not None
    org = w.orgs[stint.org].name
    for _ in range(30):
        i = w.rng.choice(free)
        if w.has_tie(owner, i):
            continue
        p = w.people[i]
        mine = [j for j in p.jobs if j.org == stint.org]
        if not mine:
            current = p.jobs[-1]
            if len(p.jobs) > 1 or current.start <= stint.start + timedelta(days=400):
                continue
            begin = stint.start - timedelta(days=w.rng.randint(0, 3 * 365))
            end = min(current.start - timedelta(days=w.rng.randint(7, 45)), stint.end)
            end = max(end, stint.start + timedelta(days=365))
            if end >= current.start:
                continue
            title, _ = pick_title(w.rng, w.orgs[stint.org].kind, 2)
            p.jobs.insert(0, PlanJob(stint.org, title, begin, end))
            mine = [p.jobs[0]]
        span = overlap(stint, mine[0], w.anchor)
        if span is None or (span[1] - span[0]).days < 180:
            continue
        text = worked_together(org, span, still=False)
        return i, PlanEvidence(text, "employment", span[1]), span[0]
    return None


def _evidence(
    w: World, owner: int, i: int, context: TieContext
) -> tuple[PlanEvidence, date | None]:
    r = w.rng
    if context == TieContext.family:
        text = f"{r.choice(FAMILY)} (family contacts group)"
        return PlanEvidence(text, "contacts"), None
    if context == TieContext.friend:
        year = w.anchor.year - r.randint(2, 23)  # a fixed-size range: same draws any year
        how = r.choice(FRIENDS_HOW)
        p = w.people[i]
        wrote = w.at(w.day_between(w.window_start, w.days_ago(30)), business=False)
        note = w.note(
            r.choice(
                (
                    f"{p.name} and I go back to {year} — {how}.",
                    f"Reminder to self: {p.first} {p.last} is a real friend ({how}, since {year}).",
                    f"Dinner with {p.name}. Friends since {year}; {how}.",
                )
            ),
            [i],
            wrote.replace(hour=21, minute=0),
        )
        text = f"friends since {year}, {how} (note, {wrote.date().isoformat()})"
        return PlanEvidence(text, "note", wrote.date(), note), date(year, 6, 1)
    if context == TieContext.classmate:
        year = r.randint(1995, 2018)
        text = f"classmates at {r.choice(COLLEGES)}, class of {year} (LinkedIn education)"
        return PlanEvidence(text, "linkedin"), date(year - 4, 9, 1)
    if context == TieContext.linkedin:
        day = w.day_between(w.days_ago(8 * 365), w.days_ago(10))
        return PlanEvidence(f"connected on LinkedIn {day.isoformat()}", "linkedin", day), day
    day = w.day_between(w.window_start, w.days_ago(20))
    conf = r.choice(CONFERENCES)
    if context == TieContext.met_once:
        text = f"met once at {conf}, {day.isoformat()}"
    elif context == TieContext.co_attendee:
        text = f"both attended {conf} on {day.isoformat()}"
    elif r.random() < 0.5:
        text = f"introduced over email by a mutual contact, {day.isoformat()}"
        return PlanEvidence(text, "email", day), day
    else:
        text = f"met at {conf}, {day.isoformat()}"
    return PlanEvidence(text, "calendar", day), day
