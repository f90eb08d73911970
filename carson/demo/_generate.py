"""Build the demo world: organisations, the crowd, the owners' networks, third-party ties.

``build_world(seed, anchor)`` returns a ``World`` (plain data); ``_write.py`` stores it.
The named clear cases come from ``_cases.py`` (people) and ``_stories.py`` (their
ties and activity), the owners' networks from ``_networks.py``, and the interactions
and notes of those ties from ``_activity.py``.

Goldman Sachs and Morgan Stanley people (current or former) are "protected": they
join the owners' networks and the crowd's friend/classmate ties only where a named
case puts them, so the routes the clear cases promise are not beaten by accident.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from carson.demo import _activity, _cases, _networks, _stories
from carson.demo._names import AREA_CODES, CITIES, COLLEGES, FIRST_NAMES, LAST_NAMES
from carson.demo._orgs import GOLDMAN, INDUSTRIES, MORGAN_STANLEY, NAMED, PREFIXES, pick_title
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
N_CLASSMATES = 230


def build_world(seed: int, anchor: date) -> World:
    w = World(seed, anchor)
    w.stream("organizations")
    _organizations(w)
    _cases.add_people(w)
    w.stream("crowd")
    _crowd(w)
    w.stream("movers")
    _movers(w)
    _stories.add_ties_and_activity(w)
    protected = _protected(w)
    links = _networks.owner_links(w, protected)
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
        title, seniority = pick_title(w.rng, w.orgs[org].kind)
        start = w.days_ago(w.rng.randint(45, 365 * (2 + 2 * seniority)))
        p = PlanPerson(first, last, w.rng.choice(CITIES), [PlanJob(org, title, start)])
        if w.rng.random() < 0.35:
            other = w.rng.randrange(len(w.orgs))
            if other != org:
                old_title, _ = pick_title(w.rng, w.orgs[other].kind, seniority)
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
            title, _ = pick_title(w.rng, "bank", 3)
            begin = end - timedelta(days=w.rng.randint(2 * 365, 8 * 365))
            w.people[i].jobs.insert(0, PlanJob(bank, title, begin, end))


def _protected(w: World) -> set[int]:
    banks = {w.org_index[GOLDMAN], w.org_index[MORGAN_STANLEY]}
    return {i for i, p in enumerate(w.people) if any(j.org in banks for j in p.jobs)}


# ------------------------------------------------------------- third-party ties


def _pair_key(seed: int, i: int, j: int) -> int:
    """A fixed pseudo-random rank for a pair (no ``hash()``: same in every process)."""
    x = (seed * 0x9E3779B1 + i * 0x85EBCA77 + j * 0xC2B2AE3D) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x2C1B3C6D) & 0xFFFFFFFF
    return x ^ (x >> 12)


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
    w.stream("colleagues")
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
            # The two with the lowest fixed per-pair key: a borderline overlap that comes
            # and goes as the anchor moves changes the pick only if it would be picked.
            cands.sort(key=lambda c: _pair_key(w.seed, i, c[0]))
            for j, span in cands[:2]:
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
    w.stream("classmates")
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
