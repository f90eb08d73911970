"""Turning store facts into phrases a person would write, without adding any facts.

Shared by the email, the phone script and the rehearsal: how the connector knows
the target ("you and Harry were roommates in college"), when the seller last talked
to the connector ("last month"), and a personal detail from the notes turned into a
warm line ("hope Emma is settling in at Michigan") only when a recipe recognises it.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from carson.drafting.facts import Detail, DraftFacts
from carson.models import TieContext


def seed(*parts: object) -> int:
    """A stable choice seed for one (connector, target, kind) so reruns give the same draft."""
    return zlib.crc32("|".join(map(str, parts)).encode())


def when(facts: DraftFacts) -> str | None:
    """When the seller last talked to the connector, as people say it."""
    days = facts.days_since_contact
    it = facts.last_interaction
    if days is None or it is None:
        return None
    if days <= 10:
        return "last week" if days >= 4 else "the other day"
    if days <= 45:
        return "last month" if it.at.month != facts.now.month else "earlier this month"
    if days <= 300:
        return f"back in {it.at.strftime('%B')}"
    return f"in {it.at.strftime('%B %Y')}"


def recency(facts: DraftFacts) -> str:
    """recent | while | stale | none"""
    days = facts.days_since_contact
    if days is None:
        return "none"
    if days <= 60:
        return "recent"
    if days <= 365:
        return "while"
    return "stale"


_CHANNEL_NOUN = {
    "meeting": "catching up in person",
    "call": "our call",
    "email": "your note",
    "message": "your message",
    "event": "seeing you",
}


def last_touch(facts: DraftFacts) -> str | None:
    it = facts.last_interaction
    return _CHANNEL_NOUN.get(str(it.channel)) if it is not None else None


_CHANNEL_WORDS = {
    "meeting": "in person",
    "call": "on the phone",
    "email": "by email",
    "message": "by message",
    "event": "at an event",
}


def channel_words(facts: DraftFacts) -> str | None:
    it = facts.last_interaction
    return _CHANNEL_WORDS.get(str(it.channel)) if it is not None else None


_AT_ORG = re.compile(r"\bat ([A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*)*)")
_YEARS = re.compile(r"\b((?:19|20)\d\d)\s*[–-]\s*((?:19|20)\d\d)\b")


def _evidence_text(facts: DraftFacts) -> str:
    return " ".join(e.text for t in facts.their_ties for e in t.evidence)


def how_they_know(facts: DraftFacts) -> str | None:
    """How the connector knows the target, in second person ("you and Harry were …")."""
    ctx = facts.their_context
    ev = _evidence_text(facts)
    t = facts.to_first
    org = _AT_ORG.search(ev)
    at = f" at {org.group(1)}" if org else ""
    if ctx is None:
        return None
    if ctx is TieContext.roommate:
        return f"you and {t} were roommates" + (" in college" if "college" in ev.lower() else "")
    if ctx is TieContext.classmate:
        school = at or (" in college" if "college" in ev.lower() else "")
        return f"you and {t} were classmates{school}"
    if ctx is TieContext.colleague:
        years = _YEARS.search(ev)
        if not years and re.search(r"\bwork together\b", ev):
            return f"you and {t} work together{at}"
        span = f" from {years.group(1)} to {years.group(2)}" if years else ""
        return f"you and {t} worked together{at}{span}"
    if ctx is TieContext.friend:
        return f"you and {t} are friends"
    if ctx is TieContext.family:
        return f"{t} is family"
    if ctx is TieContext.client:
        return f"you've worked with {t} as a client"
    if ctx is TieContext.teammate:
        return f"you work with {t}"
    if ctx is TieContext.linkedin:
        return f"you're connected with {t} on LinkedIn"
    if ctx is TieContext.co_attendee:
        return f"you and {t} have been in meetings together"
    if ctx is TieContext.co_recipient:
        return f"you and {t} are on the same email threads"
    return f"you know {t}"


def close_tie(facts: DraftFacts) -> bool:
    """The connector knows the target well (by context), not just in passing."""
    return facts.their_context in {
        TieContext.roommate,
        TieContext.friend,
        TieContext.family,
        TieContext.classmate,
        TieContext.colleague,
        TieContext.teammate,
    }


def my_tone(facts: DraftFacts) -> str:
    """close | colleague | client | team | loose — how the seller knows the connector."""
    ctx = facts.my_context
    if ctx in {TieContext.friend, TieContext.family, TieContext.roommate}:
        return "close"
    if ctx is TieContext.teammate or facts.via.is_team:
        return "team"
    if ctx is TieContext.client:
        return "client"
    if ctx in {TieContext.colleague, TieContext.classmate}:
        return "colleague"
    return "loose"


# --------------------------------------------------------------- personal details


@dataclass(frozen=True)
class DetailLine:
    key: str
    """The phrase-bank section: detail.college, detail.race, …"""
    values: dict[str, str]
    detail: Detail


_RECIPES: list[tuple[str, re.Pattern[str]]] = [
    (
        "college",
        re.compile(
            r"(?P<kid>[A-Z][a-z]+) (?:is starting at|starts at|got into|is headed to|"
            r"just started (?:her|his|their) \w+ year at) "
            r"(?P<college>[A-Z][\w.'-]*(?: (?:of )?[A-Z][\w.'-]*)*)"
        ),
    ),
    (
        "race",
        re.compile(
            r"(?:training for|signed up for|Running|did|doing) (?P<race>the "
            r"(?:[A-Z][\w'-]* )+(?:half )?(?:marathon|Marathon|Run|ride)|the Ironman in [A-Z]\w+"
            r"(?: [A-Z]\w+)?)"
        ),
    ),
    ("race_generic", re.compile(r"(?P<race>charity cycling ride)")),
    ("moved", re.compile(r"(?:moved|relocated) to (?P<city>[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*)")),
    ("baby", re.compile(r"(?:expecting a baby|kid on the way)")),
    ("golf", re.compile(r"\b[Gg]olf\b")),
    ("trip_back", re.compile(r"back from (?:two weeks|a week|[\w ]+) in (?P<place>[A-Z][\w]*)")),
    ("trip_family", re.compile(r"took the family to (?P<place>[A-Z][\w]*)")),
    ("trip_plan", re.compile(r"planning a trip to (?P<place>[A-Z][\w]*)")),
    ("coach", re.compile(r"(?P<kid>[A-Z][a-z]+)'s (?P<sport>soccer|hockey|travel hockey)")),
    (
        "promoted",
        re.compile(
            r"(?:promoted to|stepped up into the) (?P<title>[A-Z][\w ]+?)(?: role|\s—|$|\.)"
        ),
    ),
    ("fan", re.compile(r"(?P<team>Mets|Packers|Celtics|Yankees|Giants|Knicks|Jets|Red Sox)")),
    ("kitchen", re.compile(r"renovating their kitchen")),
    ("lake", re.compile(r"bought a lake house")),
    ("italian", re.compile(r"learning Italian")),
    ("surgery", re.compile(r"father had surgery")),
]


def detail_line(facts: DraftFacts) -> DetailLine | None:
    """The freshest personal detail a recipe can turn into a natural line, if any."""
    for detail in facts.details:
        for key, rx in _RECIPES:
            match = rx.search(detail.text)
            if match:
                values = {k: v.strip() for k, v in match.groupdict().items() if v}
                return DetailLine(f"detail.{key}", values, detail)
    return None
