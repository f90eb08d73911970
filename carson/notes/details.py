"""Personal details worth asking about next time, taken from a person's notes.

"Record the personal details they reveal, and ask about them during your next
contact." Drafts may only say "hope the marathon went well" when a note says so:
each ``Detail`` is a clause quoted from one note, with that note's id and date.

Extraction is deliberately plain: a clause counts when it holds a cue word for one
of four kinds (family, hobby, event, pain), is about this person (it does not name
only someone else), and is recent. Clauses with specifics (a number, a month, a
proper name) rank higher; the freshest mention of the same thing wins; the kinds
are spread before any repeats.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carson.store import Store

MAX_AGE_DAYS = 540
"""Older details are stale: asking about a two-year-old marathon sounds like a database."""
HALF_LIFE_DAYS = 120


class DetailKind(StrEnum):
    family = "family"
    hobby = "hobby"
    event = "event"
    pain = "pain"


_CUES: dict[DetailKind, list[str]] = {
    DetailKind.family: [
        r"daughters?",
        r"sons?",
        r"kids?",
        r"child(?:ren)?",
        r"baby",
        r"newborn",
        r"twins",
        r"wife",
        r"husband",
        r"spouse",
        r"fianc[ée]e?",
        r"married",
        r"wedding",
        r"engaged",
        r"mom",
        r"mother",
        r"dad",
        r"father",
        r"parents",
        r"grand(?:kids?|children|son|daughter)",
        r"family",
        r"pregnant",
        r"(?:maternity|paternity|parental) leave",
        r"dog",
        r"puppy",
    ],
    DetailKind.hobby: [
        r"(?:half[- ])?marathons?",
        r"triathlon",
        r"ironman",
        # the sport, not "running two payrolls" or "running late"
        r"running(?!\s+(?:a|an|the|two|three|four|several|multiple|both|our|their|his|her|its|"
        r"payrolls?|late|behind|low|out|over|short|into)\b)",
        r"runner",
        r"5k",
        r"10k",
        r"cycling",
        r"bike ride",
        r"golf(?:ing|er)?",
        r"tennis",
        r"pickleball",
        r"ski(?:ing|er)?",
        r"snowboard(?:ing)?",
        r"hik(?:e|ing)",
        r"climbing",
        r"sailing",
        r"fishing",
        r"surfing",
        r"yoga",
        r"chess",
        r"guitar",
        r"piano",
        r"drums",
        r"choir",
        r"cooking",
        r"baking",
        r"wine",
        r"photography",
        r"painting",
        r"gardening",
        r"book club",
        r"woodworking",
        r"(?:football|soccer|baseball|basketball|hockey|cricket)",
        r"rowing",
        r"swimming",
        r"crossfit",
        r"podcast",
    ],
    DetailKind.event: [
        r"conference",
        r"summit",
        r"keynote",
        r"speaking at",
        r"promot(?:ed|ion)",
        r"new (?:role|job|position)",
        r"started at",
        r"joined",
        r"relocat(?:ing|ed|ion)",
        r"moving to",
        r"moved to",
        r"vacation",
        r"holiday",
        r"trip",
        r"honeymoon",
        r"birthday",
        r"anniversary",
        r"graduat(?:ed|ing|ion)",
        r"retir(?:ing|ement|ed)",
        r"offsite",
        r"launch(?:ed|ing)?",
        r"ipo",
        r"funding round",
        r"raised",
        r"sabbatical",
        r"surgery",
        r"award",
        r"reorg",
        r"board meeting",
    ],
    DetailKind.pain: [
        r"payrolls?",
        r"problems?",
        r"issues?",
        r"pain(?:ful)?",
        r"struggl(?:e|es|ing)",
        r"frustrat(?:ed|ing|ion)",
        r"fed up",
        r"headaches?",
        r"broken",
        r"errors?",
        r"(?:runs?|running) (?:late|behind)",
        r"delays?",
        r"delayed",
        r"churn",
        r"manual(?:ly)?",
        r"spreadsheets?",
        r"outages?",
        r"downtime",
        r"moving off",
        r"replac(?:e|ing)",
        r"switching (?:from|off)",
        r"budget (?:cut|freeze)",
        r"(?:hiring )?freeze",
        r"frozen",
        r"layoffs?",
        r"understaffed",
        r"compliance",
        r"audit",
        r"too slow",
        r"expensive",
        r"complain(?:t|ts|ing)",
        r"unhappy",
        r"bottleneck",
        r"backlog",
    ],
}
_PATTERNS = {
    kind: re.compile(r"\b(" + "|".join(cues) + r")\b", re.IGNORECASE)
    for kind, cues in _CUES.items()
}
_SPLIT = re.compile(r"(?<=[.!?;])\s+|\s+[—–]\s+|\s+-\s+|\n+")
_NUMBER = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
    r"|\b(?:q[1-4]|next (?:week|month|year)|this (?:week|month|year)|weekend)\b",
    re.IGNORECASE,
)
_PROPER = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-zA-Z]+")
_NAME_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Detail:
    """One reusable personal detail, quoted from a note."""

    text: str
    kind: DetailKind
    date: date
    note_id: int
    cue: str
    """The words that made it a detail ("marathon", "daughter")."""
    score: float = 0.0

    @property
    def source(self) -> str:
        """Where a draft's claim comes from: ``note:12``."""
        return f"note:{self.note_id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind.value,
            "date": self.date.isoformat(),
            "note_id": self.note_id,
            "source": self.source,
            "cue": self.cue,
        }


def _clauses(text: str) -> list[str]:
    out = []
    for part in _SPLIT.split(text):
        part = part.strip(" \t,:;-—–").strip()
        if len(part.split()) >= 3:
            out.append(part if len(part) <= 220 else part[:217].rstrip() + "…")
    return out


def _classify(clause: str) -> tuple[DetailKind, str, int] | None:
    """The clause's kind (first in family, hobby, event, pain order), its cue, cue count."""
    found: list[tuple[DetailKind, str]] = []
    for kind, pattern in _PATTERNS.items():
        for m in pattern.finditer(clause):
            found.append((kind, m.group(1).lower()))
    if not found:
        return None
    return found[0][0], found[0][1], len(found)


def _name_words(name: str) -> set[str]:
    return {w.casefold() for w in _NAME_WORD.findall(name) if len(w) > 1}


def personal_details(
    store: Store,
    person_id: int,
    *,
    now: datetime | date | None = None,
    limit: int = 3,
    kinds: set[DetailKind] | None = None,
    max_age_days: int = MAX_AGE_DAYS,
) -> list[Detail]:
    """Up to ``limit`` recent, specific details about a person, best first.

    Only notes linked to the person count, only clauses that do not name just
    another linked person, only notes from the last ``max_age_days`` before ``now``
    (and none after it).
    """
    today = (now.date() if isinstance(now, datetime) else now) or date.today()
    person = store.get_person(person_id)
    if person is None or limit <= 0:
        return []
    own = _name_words(person.name)
    candidates: dict[tuple[DetailKind, str], Detail] = {}
    for note in store.notes(person_id=person_id):
        assert note.id is not None
        when = note.at.date()
        age = (today - when).days
        if age < 0 or age > max_age_days:
            continue
        others: set[str] = set()
        for pid in note.people:
            if pid != person_id:
                other = store.get_person(pid)
                if other is not None:
                    others |= _name_words(other.name) - own
        for clause in _clauses(note.text):
            got = _classify(clause)
            if got is None:
                continue
            kind, cue, cues = got
            if kinds is not None and kind not in kinds:
                continue
            words = {w.casefold() for w in _NAME_WORD.findall(clause)}
            if words & others and not words & own:
                continue  # about someone else in the same note
            specific = 1.0
            specific += 0.6 if _NUMBER.search(clause) else 0.0
            specific += 0.4 if _PROPER.search(_strip_names(clause, own | others)) else 0.0
            specific += 0.2 * min(cues - 1, 2)
            score = specific * math.pow(0.5, age / HALF_LIFE_DAYS)
            detail = Detail(clause, kind, when, note.id, cue, round(score, 6))
            key = (kind, cue)
            best = candidates.get(key)
            if best is None or (detail.date, detail.score) > (best.date, best.score):
                candidates[key] = detail
    ranked = sorted(candidates.values(), key=lambda d: (-d.score, -d.date.toordinal(), d.note_id))
    chosen: list[Detail] = []
    seen_kinds: set[DetailKind] = set()
    for d in ranked:  # one of each kind first
        if d.kind not in seen_kinds and len(chosen) < limit:
            chosen.append(d)
            seen_kinds.add(d.kind)
    for d in ranked:
        if len(chosen) >= limit:
            break
        if d not in chosen and all(d.note_id != c.note_id or d.kind != c.kind for c in chosen):
            chosen.append(d)
    return sorted(chosen, key=lambda d: (-d.score, -d.date.toordinal(), d.note_id))


def _strip_names(clause: str, names: set[str]) -> str:
    """The clause without people's names, so a name alone does not count as a specific."""
    return " ".join(w for w in clause.split() if w.strip(".,'’s").casefold() not in names)
