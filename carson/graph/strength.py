"""Tie strength in [0, 1] from the signals in the store, with checkable evidence.

Signals per pair of people:

* stored ties (context such as friend / roommate / colleague, their evidence, notes);
* interactions between an owner (position 0: whose mailbox or calendar) and the others:
  recency (exponential decay), channel-weighted frequency (log scale), reciprocity;
* co-presence of two non-owners in the same meeting or thread (small groups only);
* overlap at a shared employer (months), added to pairs that already have a signal —
  working at the same 50,000-person bank is not a relationship by itself;
* notes that mention both people.

``strength = 1 - (1 - context_part) * (1 - activity_part)`` where the context part fades
toward ``context_floor`` as the tie goes quiet, and the activity part is
``recency * volume * reciprocity``. All weights live in :class:`GraphWeights`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from carson.graph.weights import GraphWeights
from carson.models import Employment, Evidence, Note, Tie, TieContext

Pair = tuple[int, int]


def pair(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


@dataclass
class _Activity:
    count: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    weighted: float = 0.0
    last: datetime | None = None
    first: datetime | None = None
    outbound: int = 0
    """Owner wrote to the other."""
    inbound: int = 0
    """The other wrote to the owner."""
    mutual: int = 0
    co_meetings: int = 0
    co_threads: int = 0
    co_last: datetime | None = None

    def see(self, at: datetime) -> None:
        if self.last is None or at > self.last:
            self.last = at
        if self.first is None or at < self.first:
            self.first = at


@dataclass
class TieInfo:
    """Everything the graph knows about one pair."""

    a: int
    b: int
    strength: float
    context: TieContext
    """The strongest context (what the route card says: "friend", "college roommates")."""
    contexts: list[TieContext]
    evidence: list[Evidence]
    last_contact: datetime | None
    stale: bool
    tie_ids: list[int]
    owners: list[int]


def _age_days(now: datetime, then: datetime) -> float:
    if then.tzinfo is not None and now.tzinfo is None:
        then = then.replace(tzinfo=None)
    elif now.tzinfo is not None and then.tzinfo is None:
        now = now.replace(tzinfo=None)
    return max(0.0, (now - then).total_seconds() / 86400.0)


def humanize_age(days: float) -> str:
    """'today', '3 days ago', '3 weeks ago', '5 months ago', '3 years ago'."""
    if days < 1:
        return "today"
    if days < 14:
        n = round(days)
        return f"{n} day{'s' if n != 1 else ''} ago"
    if days < 60:
        return f"{round(days / 7)} weeks ago"
    if days < 365 * 1.5:
        n = round(days / 30.4)
        return f"{n} month{'s' if n != 1 else ''} ago"
    return f"{round(days / 365.25)} years ago"


_CHANNEL_NOUN = {
    "email": ("email", "emails"),
    "meeting": ("meeting", "meetings"),
    "call": ("call", "calls"),
    "message": ("message", "messages"),
    "event": ("event", "events"),
}


def _months_between(start: date, end: date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


def employment_overlap(x: Employment, y: Employment, today: date) -> tuple[date, date] | None:
    """The span two jobs at the same employer overlapped, if both have dates that say so."""
    if x.org_id != y.org_id or x.start is None or y.start is None:
        return None
    x_end = x.end or (today if x.current else None)
    y_end = y.end or (today if y.current else None)
    if x_end is None or y_end is None:
        return None
    lo, hi = max(x.start, y.start), min(x_end, y_end)
    return (lo, hi) if lo < hi else None


class StrengthModel:
    """Accumulates signals, then scores every pair that has any."""

    def __init__(self, weights: GraphWeights, now: datetime) -> None:
        self.w = weights
        self.now = now
        self._ties: dict[Pair, list[Tie]] = {}
        self._act: dict[Pair, _Activity] = {}
        self._colleague: dict[Pair, tuple[str, date, date]] = {}
        self._notes: dict[Pair, list[Note]] = {}

    # ----------------------------------------------------------------- signals

    def add_ties(self, ties: Iterable[Tie]) -> None:
        for t in ties:
            self._ties.setdefault(pair(t.a, t.b), []).append(t)

    def add_interaction_rows(self, rows: Iterable[tuple[int, str, str, str, int, int]]) -> None:
        """Rows as ``Store.interaction_rows()`` yields them, grouped by interaction id."""
        cur_id: int | None = None
        group: list[int] = []
        meta: tuple[str, str, str] = ("", "", "")
        for iid, at, channel, direction, pid, _pos in rows:
            if iid != cur_id:
                if group:
                    self._interaction(meta, group)
                cur_id, group, meta = iid, [], (at, channel, direction)
            group.append(pid)
        if group:
            self._interaction(meta, group)

    def _interaction(self, meta: tuple[str, str, str], people: list[int]) -> None:
        at_s, channel, direction = meta
        at = datetime.fromisoformat(at_s)
        age = _age_days(self.now, at)
        decay = 0.5 ** (age / self.w.half_life_days)
        cw = self.w.channel_weight.get(channel, 0.4)
        owner = people[0]
        for other in people[1:]:
            if other == owner:
                continue
            act = self._act.setdefault(pair(owner, other), _Activity())
            act.count += 1
            act.by_channel[channel] = act.by_channel.get(channel, 0) + 1
            act.weighted += cw * decay
            act.see(at)
            if direction == "outbound":
                act.outbound += 1
            elif direction == "inbound":
                act.inbound += 1
            else:
                act.mutual += 1
        others = people[1:]
        if 2 <= len(others) <= self.w.max_group_size:
            for i, x in enumerate(others):
                for y in others[i + 1 :]:
                    if x == y:
                        continue
                    act = self._act.setdefault(pair(x, y), _Activity())
                    if channel in ("meeting", "event", "call"):
                        act.co_meetings += 1
                    else:
                        act.co_threads += 1
                    if act.co_last is None or at > act.co_last:
                        act.co_last = at

    def add_employments(self, jobs: Iterable[Employment], org_names: dict[int, str]) -> None:
        """Colleague overlap for pairs that already have a tie or interaction signal."""
        by_person: dict[int, list[Employment]] = {}
        for j in jobs:
            by_person.setdefault(j.person_id, []).append(j)
        today = self.now.date()
        for a, b in list(self._ties.keys() | self._act.keys()):
            best: tuple[int, str, date, date] | None = None
            for x in by_person.get(a, ()):
                for y in by_person.get(b, ()):
                    span = employment_overlap(x, y, today)
                    if span is None:
                        continue
                    months = _months_between(*span)
                    if best is None or months > best[0]:
                        best = (months, org_names.get(x.org_id, "the same company"), *span)
            if best is not None:
                self._colleague[(a, b)] = best[1:]

    def add_notes(self, notes: Iterable[Note]) -> None:
        for n in notes:
            ppl = sorted(set(n.people))
            if len(ppl) < 2 or len(ppl) > 6:
                continue
            for i, x in enumerate(ppl):
                for y in ppl[i + 1 :]:
                    self._notes.setdefault((x, y), []).append(n)

    # ----------------------------------------------------------------- scoring

    def pairs(self) -> set[Pair]:
        return set(self._ties) | set(self._act)

    def score(self, p: Pair) -> TieInfo:
        w = self.w
        ties = self._ties.get(p, [])
        act = self._act.get(p)
        contexts: list[TieContext] = []
        evidence: list[Evidence] = []
        for t in ties:
            if t.context not in contexts:
                contexts.append(t.context)
            evidence.extend(e for e in t.evidence if e not in evidence)

        colleague = self._colleague.get(p)
        col_bonus = 0.0
        if colleague is not None:
            org, lo, hi = colleague
            months = _months_between(lo, hi)
            col_bonus = w.colleague_bonus * min(1.0, months / w.colleague_overlap_months)
            years = months / 12
            span = f"{lo.year}–{hi.year}" if hi < self.now.date() else f"since {lo.year}"
            dur = f"{years:.0f} years" if years >= 1.5 else f"{months} months"
            if not any(org in e.text for e in evidence):
                evidence.append(
                    Evidence(text=f"worked together at {org} {span} ({dur})", source="employment")
                )
            if TieContext.colleague not in contexts:
                contexts.append(TieContext.colleague)

        # Context part: the best context, a little more for each further one.
        bases = [w.context_base.get(c.value, 0.2) for c in contexts]
        if TieContext.colleague in contexts:
            bases.append(min(0.95, w.context_base.get("colleague", 0.4) + col_bonus))
        ctx = 0.0
        for b in sorted(bases, reverse=True):
            ctx = 1 - (1 - ctx) * (1 - b * (0.3 if ctx else 1.0))

        # Activity part: recency x volume x reciprocity x channel quality.
        last: datetime | None = None
        activity = 0.0
        if act is not None and act.count:
            last = act.last
            assert last is not None
            age = _age_days(self.now, last)
            recency = 0.5 ** (age / w.half_life_days)
            volume = min(1.0, math.log1p(act.weighted) / math.log1p(w.volume_saturation))
            two_way = act.mutual > 0 or (act.outbound > 0 and act.inbound > 0)
            recip = 1.0 if two_way else w.one_way_factor
            activity = w.activity_weight * math.sqrt(recency * volume) * recip
            evidence.append(
                Evidence(
                    text=self._activity_sentence(act, age, two_way),
                    source="interactions",
                    at=last.date(),
                )
            )
        co = 0
        if act is not None and (act.co_meetings or act.co_threads):
            co = act.co_meetings + act.co_threads
            assert act.co_last is not None
            co_age = _age_days(self.now, act.co_last)
            co_rec = 0.5 ** (co_age / w.half_life_days)
            co_vol = min(1.0, math.log1p(act.co_meetings + 0.5 * act.co_threads) / math.log1p(10))
            activity = 1 - (1 - activity) * (1 - w.co_presence_weight * co_rec * co_vol)
            last = act.co_last if last is None or act.co_last > last else last
            bits = []
            if act.co_meetings:
                bits.append(f"{act.co_meetings} meeting{'s' if act.co_meetings > 1 else ''}")
            if act.co_threads:
                bits.append(f"{act.co_threads} thread{'s' if act.co_threads > 1 else ''}")
            evidence.append(
                Evidence(
                    text=f"together in {' and '.join(bits)}, last {humanize_age(co_age)}",
                    source="interactions",
                    at=act.co_last.date(),
                )
            )
            if not contexts:
                contexts.append(
                    TieContext.co_attendee if act.co_meetings else TieContext.co_recipient
                )
        if not contexts:
            one_meeting = act is not None and act.count == 1 and "meeting" in act.by_channel
            contexts.append(TieContext.met_once if one_meeting else TieContext.acquaintance)
            ctx = w.context_base.get(contexts[0].value, 0.2) * 0.5

        # Quiet ties fade: the context keeps a floor, the rest follows the last contact.
        if last is not None:
            recency_any = 0.5 ** (_age_days(self.now, last) / w.half_life_days)
            ctx *= w.context_floor + (1 - w.context_floor) * recency_any
        elif colleague is not None and colleague[2] < self.now.date():
            # Former colleagues with no recorded contact: last known contact is the overlap's end.
            since_end = (self.now.date() - colleague[2]).days
            ctx *= w.context_no_contact * (
                w.context_floor + (1 - w.context_floor) * 0.5 ** (since_end / w.half_life_days)
            )
        elif act is None or not act.count:
            ctx *= w.context_no_contact

        notes = self._notes.get(p, [])
        for n in sorted(notes, key=lambda n: n.at, reverse=True)[:3]:
            snippet = " ".join(n.text.split())
            snippet = snippet if len(snippet) <= 90 else snippet[:87] + "…"
            ev = Evidence(
                text=f"{snippet} (note, {n.at.date().isoformat()})",
                source=f"note:{n.id}",
                at=n.at.date(),
            )
            if ev not in evidence:
                evidence.append(ev)
        note_part = w.note_bonus * min(3, len(notes))

        strength = 1 - (1 - ctx) * (1 - activity)
        strength = min(1.0, strength + note_part * (1 - strength))
        stale = last is not None and _age_days(self.now, last) > w.stale_days
        if last is None and co == 0 and not ties:
            stale = True
        order = sorted(contexts, key=lambda c: -w.context_base.get(c.value, 0.0))
        return TieInfo(
            a=p[0],
            b=p[1],
            strength=round(max(0.0, min(1.0, strength)), 6),
            context=order[0],
            contexts=order,
            evidence=evidence,
            last_contact=last,
            stale=stale,
            tie_ids=[t.id for t in ties if t.id is not None],
            owners=sorted({t.owner_id for t in ties if t.owner_id is not None}),
        )

    def _activity_sentence(self, act: _Activity, age: float, two_way: bool) -> str:
        parts = []
        for ch, n in sorted(act.by_channel.items(), key=lambda kv: -kv[1]):
            one, many = _CHANNEL_NOUN.get(ch, (ch, ch + "s"))
            parts.append(f"{n} {one if n == 1 else many}")
        what = ", ".join(parts)
        if two_way:
            dirs = "both directions"
        elif act.outbound:
            dirs = "one-way (no replies)"
        else:
            dirs = "one-way (never answered)"
        return f"{what}, last one {humanize_age(age)}, {dirs}"

    def score_all(self) -> list[TieInfo]:
        return [self.score(p) for p in sorted(self.pairs())]
