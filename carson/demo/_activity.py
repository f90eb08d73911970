"""Interactions and notes for the owners' ties, plus friendships the notes reveal.

Each owner-contact link gets an activity tier: ``high`` (a few close contacts, often
and recently), ``medium``, ``low`` (a long tail, rarely) or ``none``. Dates skew
towards the end of a tie's active stretch; every date lies in the three years that
end at the anchor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from carson.demo._names import CITIES, COLLEGES, KIDS
from carson.demo._orgs import CONFERENCES, PAYROLL_VENDORS
from carson.demo._phrases import BUSINESS, CLIENT, MONTHS, PERSONAL, RACES, SUBJECTS, SUMMARIES
from carson.demo._plan import PlanEvidence, World
from carson.models import Channel, Direction, TieContext


@dataclass(frozen=True)
class Link:
    """A tie from an owner (the user or a teammate) to someone in their network."""

    owner: int
    contact: int
    context: TieContext
    kind: str
    """Which wording to use: client, prospect, friend, colleague."""
    since: date | None


TIERS: dict[TieContext, tuple[tuple[str, int], ...]] = {
    TieContext.family: (("high", 6), ("medium", 4)),
    TieContext.friend: (("high", 5), ("medium", 4), ("low", 1)),
    TieContext.client: (("high", 35), ("medium", 55), ("low", 10)),
    TieContext.colleague: (("medium", 30), ("low", 50), ("none", 20)),
    TieContext.classmate: (("medium", 20), ("low", 50), ("none", 30)),
    TieContext.acquaintance: (("medium", 25), ("low", 55), ("none", 20)),
    TieContext.met_once: (("low", 70), ("none", 30)),
    TieContext.linkedin: (("low", 25), ("none", 75)),
    TieContext.co_attendee: (("low", 50), ("none", 50)),
}

CHANNELS: dict[str, tuple[tuple[Channel, int], ...]] = {
    "friend": (
        (Channel.message, 35),
        (Channel.call, 25),
        (Channel.meeting, 20),
        (Channel.email, 20),
    ),
    "client": ((Channel.email, 50), (Channel.meeting, 30), (Channel.call, 20)),
    "colleague": (
        (Channel.email, 50),
        (Channel.meeting, 20),
        (Channel.call, 15),
        (Channel.message, 15),
    ),
    "prospect": ((Channel.email, 75), (Channel.call, 15), (Channel.meeting, 10)),
}
OUTBOUND = {"friend": 0.5, "client": 0.5, "colleague": 0.55, "prospect": 0.8}
NOTES_PER_TIER = {"high": (2, 4), "medium": (0, 2), "low": (0, 1), "none": (0, 0)}
NOTE_CHANCE = {"high": 1.0, "medium": 0.7, "low": 0.2, "none": 0.04}
N_FRIEND_NOTES = 60


def add(w: World, links: list[Link], protected: set[int]) -> None:
    """Interactions and notes for every link that no clear case scripts by hand."""
    by_org: dict[tuple[int, int], list[int]] = {}
    for link in links:
        job = w.people[link.contact].job
        if link.kind == "client" and job is not None:
            by_org.setdefault((link.owner, job.org), []).append(link.contact)
    tiers: list[str] = []
    for link in links:
        w.stream("activity", link.owner, link.contact)
        names, weights = zip(*TIERS[link.context], strict=True)
        tier = w.rng.choices(names, weights)[0]
        tiers.append(tier)
        if (link.owner, link.contact) in w.scripted_pairs:
            continue
        when = _interactions(w, link, tier, by_org)
        _notes(w, link, tier, when)
    w.stream("friendships")
    _friendships(w, [lk for lk, t in zip(links, tiers, strict=True) if t != "none"], protected)


def _days(w: World, link: Link, tier: str) -> list[date]:
    r = w.rng
    if tier == "none":
        return []
    if link.context == TieContext.met_once and link.since and link.since >= w.window_start:
        return [link.since + timedelta(days=r.randint(1, 10)) for _ in range(r.randint(1, 2))]
    if tier == "high":
        n, last = r.randint(22, 50), w.days_ago(r.randint(1, 25))
        first = w.window_start + timedelta(days=r.randint(0, 120))
    elif tier == "medium":
        n, last = r.randint(5, 16), w.days_ago(r.randint(5, 330))
        first = max(w.window_start, last - timedelta(days=r.randint(180, 700)))
    else:
        n, last = r.randint(1, 4), w.days_ago(r.randint(20, 1000))
        first = max(w.window_start, last - timedelta(days=r.randint(0, 150)))
    if link.since and link.since > first:
        first = min(link.since, last)
    span = (last - first).days
    return sorted(first + timedelta(days=int(span * r.random() ** 0.7)) for _ in range(n))


def _interactions(
    w: World, link: Link, tier: str, by_org: dict[tuple[int, int], list[int]]
) -> list[datetime]:
    r = w.rng
    channels, weights = zip(*CHANNELS[link.kind], strict=True)
    person = w.people[link.contact]
    org = w.orgs[person.job.org].name if person.job else "your team"
    out: list[datetime] = []
    for day in _days(w, link, tier):
        if day >= w.anchor:
            day = w.days_ago(1)
        channel = r.choices(channels, weights)[0]
        if channel in (Channel.meeting, Channel.call):
            direction = Direction.mutual
        else:
            direction = (
                Direction.outbound if r.random() < OUTBOUND[link.kind] else Direction.inbound
            )
        people = [link.owner, link.contact]
        if channel == Channel.meeting and link.kind == "client" and person.job is not None:
            peers = [p for p in by_org.get((link.owner, person.job.org), []) if p != link.contact]
            if peers and r.random() < 0.3:
                people.append(r.choice(peers))
        fields = {"org": org, "n": r.choice((40, 120, 250, 600, 900)), "q": r.randint(1, 4)}
        subject = r.choice(SUBJECTS[link.kind]).format(**fields)
        summary = None
        if channel in (Channel.meeting, Channel.call):
            summary = r.choice(SUMMARIES[link.kind]).format(
                vendor=r.choice(PAYROLL_VENDORS), quarter=f"Q{r.randint(1, 4)}", **fields
            )
        at = w.at(day, business=link.kind != "friend")
        w.interact(at, channel, people, direction, subject, summary)
        out.append(at)
    return out


def _fields(w: World, i: int) -> dict[str, object]:
    r = w.rng
    p = w.people[i]
    job = p.job
    return {
        "first": p.first,
        "name": p.name,
        "org": w.orgs[job.org].name if job else "their company",
        "title": job.title if job else "a new",
        "kid": r.choice(KIDS),
        "college": r.choice(COLLEGES),
        "city": r.choice([c.split(",")[0] for c in CITIES]),
        "vendor": r.choice(PAYROLL_VENDORS),
        "quarter": f"Q{r.randint(1, 4)}",
        "n": r.choice((12, 40, 85, 150, 220, 400, 900)),
        "states": r.randint(3, 14),
        "race": r.choice(RACES),
        "conf": r.choice(CONFERENCES),
        "month": r.choice(MONTHS),
        "weeks": r.choice(("two", "three")),
        "hcp": r.randint(6, 24),
    }


def _notes(w: World, link: Link, tier: str, when: list[datetime]) -> None:
    r = w.rng
    if r.random() >= NOTE_CHANCE[tier]:
        return
    lo, hi = NOTES_PER_TIER[tier]
    count = max(1, r.randint(lo, hi))
    business = link.kind in ("client", "prospect")
    used: list[str] = []
    for _ in range(count):
        if link.kind == "client" and r.random() < 0.3:
            group: tuple[str, ...] = CLIENT
        elif business and r.random() < 0.6:
            group = r.choice(BUSINESS)
        else:
            group = r.choice(PERSONAL)
        text = r.choice(group).format(**_fields(w, link.contact))
        if text in used or group[0] in used:
            continue
        used += [text, group[0]]
        if when:
            base = r.choice(when)
            at = base.replace(hour=min(base.hour + 2, 22))
        else:
            day = link.since if link.since and link.since >= w.window_start else None
            day = day or w.day_between(w.window_start, w.days_ago(1))
            at = w.at(day).replace(hour=18, minute=0)
        w.note(text, [link.contact], at)


def _friendships(w: World, links: list[Link], protected: set[int]) -> None:
    """Friends and family among third parties, as the owners' notes record them."""
    r = w.rng
    pool = [
        i
        for i, p in enumerate(w.people)
        if not p.scripted and not p.is_me and not p.is_team and i not in protected
    ]
    knowers = [lk for lk in links if lk.contact not in protected]
    for _ in range(N_FRIEND_NOTES):
        link = r.choice(knowers)
        a, b = link.contact, r.choice(pool)
        college, city = r.choice(COLLEGES), r.choice(CITIES).split(",")[0]
        day = w.day_between(w.window_start, w.days_ago(3))
        at = w.at(day, business=False).replace(hour=20, minute=0)
        pick = r.randrange(4)
        if a == b or w.has_tie(a, b):
            continue
        pa, pb = w.people[a], w.people[b]
        options = (
            (
                TieContext.friend,
                f"Ran into {pa.name} with {pb.name} — they've been friends since {college}.",
                f"friends since {college}",
            ),
            (
                TieContext.friend,
                f"{pa.first} mentioned {pb.name} is a close friend from {city}; "
                "they go on a ski trip together every winter.",
                f"close friends from {city}",
            ),
            (
                TieContext.family,
                f"Found out {pa.name} and {pb.name} are cousins — small world.",
                "cousins",
            ),
            (
                TieContext.friend,
                f"{pa.name} introduced me to {pb.name} at dinner; old friends from {college}.",
                f"old friends from {college}",
            ),
        )
        context, text, claim = options[pick]
        note = w.note(text, [a, b], at)
        evidence = PlanEvidence(f"{claim} (note, {day.isoformat()})", "note", day, note)
        w.add_tie(a, b, context, evidence, owner=link.owner, since=None, source="note")
