"""Build the demo world: organisations, the crowd, the owners' networks, third-party ties.

``build_world(seed, anchor)`` returns a ``World`` (plain data); ``_write.py`` stores it.
The named clear cases come from ``_cases.py``, the interactions and notes of the
owners' ties from ``_activity.py``.

Goldman Sachs and Morgan Stanley people (current or former) are "protected": they
join the owners' networks and the crowd's friend/classmate ties only where a named
case puts them, so the routes the clear cases promise are not beaten by accident.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from carson.demo import _activity, _cases
from carson.demo._activity import Link
from carson.demo._names import AREA_CODES, CITIES, COLLEGES, FIRST_NAMES, LAST_NAMES
from carson.demo._orgs import (
    BUYER_WORDS,
    CONFERENCES,
    GOLDMAN,
    INDUSTRIES,
    ME_COMPANY,
    MORGAN_STANLEY,
    NAMED,
    PREFIXES,
    TITLES,
)
from carson.demo._plan import (
    PlanEvidence,
    PlanJob,
    PlanOrg,
    PlanPerson,
    World,
    overlap,
    worked_together,
)
from carson.models import TieContext
from carson.resolve import normalize_org

N_ORGS = 300
N_PEOPLE = 1520

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

N_CLASSMATES = 230
FAMILY = ("cousin", "brother-in-law", "sister-in-law", "uncle", "niece", "cousin's spouse")
FRIENDS_HOW = (
    "met through a running club",
    "neighbors in Hoboken for years",
    "our kids are in the same class",
    "Sunday soccer league",
    "met at a mutual friend's wedding",
    "college friends",
)


def build_world(seed: int, anchor: date) -> World:
    w = World(seed, anchor)
    _organizations(w)
    _cases.add_people(w)
    _crowd(w)
    _movers(w)
    _cases.add_ties_and_activity(w)
    protected = _protected(w)
    links: list[Link] = []
    accounts = _accounts(w)
    for owner_name, mix in NETWORKS.items():
        owner = w.named[owner_name]
        links += _clients(w, owner, accounts[owner], protected)
        links += _network(w, owner, mix, protected)
    _third_party(w, protected)
    _activity.add(w, links, protected)
    return w


# ------------------------------------------------------------------ organisations


def _slug(text: str) -> str:
    return re.sub(r"[^a-z-]", "", text.lower())


def _organizations(w: World) -> None:
    for spec in (*NAMED, *_cases.CASE_ORGS):
        w.add_org(PlanOrg(spec.name, spec.domain, spec.industry, spec.kind, list(spec.aliases)))
    taken = {normalize_org(label) for o in w.orgs for label in (o.name, *o.aliases)}
    domains = {o.domain for o in w.orgs}
    uses: dict[str, int] = {}
    for o in w.orgs:
        uses[o.name.split()[0]] = uses.get(o.name.split()[0], 0) + 1
    industries = list(INDUSTRIES)
    while len(w.orgs) < N_ORGS:
        industry = w.rng.choice(industries)
        kind, nouns = INDUSTRIES[industry]
        prefix, noun = w.rng.choice(PREFIXES), w.rng.choice(nouns)
        name = f"{prefix} {noun}"
        domain = re.sub(r"[^a-z]", "", f"{prefix}{noun}".lower()) + ".com"
        if normalize_org(name) in taken or domain in domains or uses.get(prefix, 0) >= 3:
            continue
        taken.add(normalize_org(name))
        domains.add(domain)
        uses[prefix] = uses.get(prefix, 0) + 1
        w.add_org(PlanOrg(name, domain, industry, kind))


# ------------------------------------------------------------------------ people


def _title(w: World, kind: str, max_seniority: int = 4) -> tuple[str, int]:
    ladder = [t for t in TITLES[kind] if t[1] <= max_seniority]
    title, seniority, _ = w.rng.choices(ladder, [t[2] for t in ladder])[0]
    return title, seniority


def is_buyer(title: str) -> bool:
    return any(word in title for word in BUYER_WORDS)


def _crowd(w: World) -> None:
    firsts = [f for f in FIRST_NAMES if f not in {p.first for p in w.people}]
    lasts = [n for n in LAST_NAMES if n not in {p.last for p in w.people}]
    names = {p.name for p in w.people}
    named_orgs = {spec.name for spec in NAMED}
    slots: list[int] = []
    for spec in NAMED:
        slots += [w.org_index[spec.name]] * spec.headcount
    invented = [i for i, o in enumerate(w.orgs) if o.name not in named_orgs]
    slots += invented
    weights = [w.rng.uniform(0.2, 1.0) ** 2 for _ in invented]
    slots += w.rng.choices(invented, weights, k=N_PEOPLE - len(w.people) - len(slots))
    w.rng.shuffle(slots)
    idents = {e for p in w.people for e in (*p.emails, *p.urls)}
    phone = 1000
    for org in slots:
        while True:
            first, last = w.rng.choice(firsts), w.rng.choice(lasts)
            if f"{first} {last}" not in names:
                names.add(f"{first} {last}")
                break
        title, seniority = _title(w, w.orgs[org].kind)
        start = w.days_ago(w.rng.randint(45, 365 * (2 + 2 * seniority)))
        p = PlanPerson(first, last, w.rng.choice(CITIES), [PlanJob(org, title, start)])
        if w.rng.random() < 0.35:
            other = w.rng.randrange(len(w.orgs))
            if other != org:
                old_title, _ = _title(w, w.orgs[other].kind, seniority)
                end = start - timedelta(days=w.rng.randint(7, 60))
                begin = end - timedelta(days=w.rng.randint(365, 6 * 365))
                p.jobs.insert(0, PlanJob(other, old_title, begin, end))
        handle = f"{_slug(first)}.{_slug(last)}"
        for ident in (
            f"{handle}@{w.orgs[org].domain}",
            f"{_slug(first)}{_slug(last)}{w.rng.randint(10, 99)}@gmail.com"
            if w.rng.random() < 0.25
            else "",
        ):
            if ident and ident not in idents:
                idents.add(ident)
                p.emails.append(ident)
        if w.rng.random() < 0.4:
            p.phones.append(f"+1 {w.rng.choice(AREA_CODES)} 555 {phone:04d}")
            phone += 1
        if w.rng.random() < 0.7:
            p.urls.append(f"https://www.linkedin.com/in/{_slug(first)}-{_slug(last)}")
        if w.rng.random() < 0.3:
            p.birthday = date(w.rng.randint(1962, 1999), w.rng.randint(1, 12), w.rng.randint(1, 28))
        w.add_person(p)


def _movers(w: World) -> None:
    """People who left Goldman Sachs (and Morgan Stanley) in the last year or two."""
    banks = (w.org_index[GOLDMAN], w.org_index[MORGAN_STANLEY])
    candidates = [
        i
        for i, p in enumerate(w.people)
        if not p.scripted and len(p.jobs) == 1 and p.jobs[0].org not in banks
    ]
    latest = w.days_ago(120)
    for bank, count in ((banks[0], 8), (banks[1], 4)):
        for k, i in enumerate(w.rng.sample(candidates, count)):
            candidates.remove(i)
            if bank == banks[0] and k < 5:  # left Goldman last year
                end = date(w.anchor.year - 1, w.rng.randint(1, 12), w.rng.randint(1, 28))
                end = min(end, latest)
            else:
                end = w.day_between(w.days_ago(700), latest)
            w.people[i].jobs[0].start = end + timedelta(days=w.rng.randint(14, 60))
            title, _ = _title(w, "bank", 3)
            begin = end - timedelta(days=w.rng.randint(2 * 365, 8 * 365))
            w.people[i].jobs.insert(0, PlanJob(bank, title, begin, end))


def _protected(w: World) -> set[int]:
    banks = {w.org_index[GOLDMAN], w.org_index[MORGAN_STANLEY]}
    return {i for i, p in enumerate(w.people) if any(j.org in banks for j in p.jobs)}


# ---------------------------------------------------------------- owner networks


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
            title, _ = _title(w, w.orgs[stint.org].kind, 2)
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
        year = r.randint(2003, w.anchor.year - 2)
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


# ------------------------------------------------------------- third-party ties


def _third_party(w: World, protected: set[int]) -> None:
    """Colleagues (now and before), and classmates, among people other than the team.

    Protected (bank) people get current colleagues wherever they work now, but former
    colleagues only from their time at Goldman Sachs or Morgan Stanley.
    """
    team = {i for i, p in enumerate(w.people) if p.is_me or p.is_team}
    banks = {w.org_index[GOLDMAN], w.org_index[MORGAN_STANLEY]}
    by_org: dict[int, list[int]] = {}
    jobs_by_org: dict[int, list[tuple[int, PlanJob]]] = {}
    for i, p in enumerate(w.people):
        if i in team:
            continue
        if p.job:
            by_org.setdefault(p.job.org, []).append(i)
        for job in p.jobs:
            jobs_by_org.setdefault(job.org, []).append((i, job))
    for org, members in by_org.items():
        for i in members:
            others = [j for j in members if j != i]
            for j in w.rng.sample(others, min(len(others), w.rng.randint(1, 3))):
                a, b = w.people[i].jobs[-1], w.people[j].jobs[-1]
                span = (max(a.start, b.start), w.anchor)
                text = worked_together(w.orgs[org].name, span, still=True)
                w.add_tie(
                    i,
                    j,
                    TieContext.colleague,
                    PlanEvidence(text, "employment"),
                    owner=None,
                    since=span[0],
                    source="employment",
                )
    for i, p in enumerate(w.people):
        if i in team:
            continue
        current = p.job
        for job in p.jobs:
            if job.end is None or (current is not None and current.org == job.org):
                continue
            cands: list[tuple[int, tuple[date, date]]] = []
            for j, other in jobs_by_org.get(job.org, []):
                # Bank people's old ties count only for their time at the bank itself.
                if job.org not in banks and (i in protected or j in protected):
                    continue
                shared = overlap(job, other, w.anchor)
                if j != i and shared and (shared[1] - shared[0]).days >= 180:
                    cands.append((j, shared))
            for j, span in w.rng.sample(cands, min(2, len(cands))):
                text = worked_together(w.orgs[job.org].name, span, still=False)
                w.add_tie(
                    i,
                    j,
                    TieContext.colleague,
                    PlanEvidence(text, "employment", span[1]),
                    owner=None,
                    since=span[0],
                    source="employment",
                )
    pool = [i for i, p in enumerate(w.people) if not p.scripted and i not in protected]
    pool = [i for i in pool if i not in team]
    for _ in range(N_CLASSMATES):
        i, j = w.rng.sample(pool, 2)
        year = w.rng.randint(1995, 2018)
        text = f"classmates at {w.rng.choice(COLLEGES)}, class of {year} (LinkedIn education)"
        w.add_tie(
            i,
            j,
            TieContext.classmate,
            PlanEvidence(text, "linkedin"),
            owner=None,
            since=date(year - 4, 9, 1),
            source="linkedin",
        )
