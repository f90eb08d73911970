"""The grounding check: every name, company, date, number and personal detail in a
draft must exist in the store or in the facts the draft was composed from.

It reads the draft the way a careful colleague would:

- **names and companies**: capitalised, name-like runs of words ("Harry Smith",
  "Goldman Sachs", "Emma") must be people or organisations in the store, or words of
  the facts used. A single capitalised word that starts a sentence counts as ordinary
  English when it is a common word or a word of the template text.
- **affiliations**: "Harry Smith at Morgan Stanley" must match an employment in the store.
- **dates and numbers**: years, months, full dates and figures must appear in the facts.
- **personal details**: family, hobby, health and life-event words ("daughter",
  "marathon", "wedding") must appear in the facts used (the notes they came from).

Anything else is flagged; a draft with a flag is not ``ok``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from carson.drafting import _templates
from carson.drafting.facts import PERSONAL_CUES, DraftFacts, wordset
from carson.models import Grounding
from carson.resolve import normalize, normalize_org
from carson.store import Store

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}

# Capitalised words that are ordinary English wherever they stand.
COMMON = wordset(
    """
    carson i i'm i'd i'll i've hi hey hello dear thanks thank best cheers regards warmly sincerely
    monday tuesday wednesday thursday friday saturday sunday today tomorrow tonight
    mr mrs ms dr p.s ps re fwd subject ok okay yes no
    """
)

# Common sentence starters (an LLM may open a sentence with any of them).
STARTERS = wordset(
    """
    a about absolutely actually after again all also although an and another any anyway
    as at be because before being both but by can could did do does either even ever
    every for from given glad good great had happy has have having he her here hers him
    his hope hoping how however if in instead is it it's its just last let let's like
    looking lovely many may maybe might more most much my never next no not now of on
    once one only or other our out over perhaps please quick quite rather really right
    said she should since so some something sorry still such sure that that's the their
    them then there these they this those though thought through to totally too two
    under understood until up us very want was we we're we've well were what what's when
    where whether which while who why will with without would yes yet you you're your
    speaking reaching following asking wondering curious sounds thinking short
    """
)

_CAP_WORD = r"(?:(?:[A-Z]\.){1,3}|[A-Z][\w'’&-]*\w|[A-Z])"
_CAP_RUN = re.compile(
    _CAP_WORD + r"(?:[ \t]+(?:(?:of|de|la|van|von|der|and|&)[ \t]+)?" + _CAP_WORD + r")*"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“(—–-]\s*|^\s*[-*•]\s*)$")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DATE = re.compile(
    r"\b("
    + "|".join(m.title() for m in MONTHS)
    + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
    r"\.?(?:[ \t]+(\d{1,2})(?:st|nd|rd|th)?)?(?:,?[ \t]+(\d{4}))?\b"
)
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?[ \t]+("
    + "|".join(m.title() for m in MONTHS)
    + r")\b(?:[ \t]+(\d{4}))?"
)
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_NUMBER = re.compile(r"(?<![\w-])[$€£]?\d[\d,.]*(?:%|k|m|bn|x)?(?![\w-])", re.IGNORECASE)
_WORDS = re.compile(r"[a-z][a-z0-9'’-]*")
_POSSESSIVE = re.compile(r"['’]s$")


# The offline phrase banks whose own words (not their facts) drafts are made of.
PHRASE_BANKS = ("intro_email", "forwardable_blurb", "detail_lines", "phone_script")


@cache
def template_words() -> frozenset[str]:
    """Every word of the offline templates' own text (not facts)."""
    words: set[str] = set()
    for name in PHRASE_BANKS:
        tpl = _templates.load(name)
        if tpl.sections:
            for options in tpl.sections.values():
                for option in options:
                    words |= set(_WORDS.findall(re.sub(r"\{\w+\}", " ", option).lower()))
    return frozenset(words)


@cache
def template_numbers() -> frozenset[str]:
    nums: set[str] = set()
    for name in PHRASE_BANKS:
        tpl = _templates.load(name)
        for options in tpl.sections.values():
            for option in options:
                found = _NUMBER.findall(re.sub(r"\{\w+\}", " ", option))
                nums |= {n.rstrip(".,").lower() for n in found}
    return frozenset(nums)


@dataclass
class Known:
    """What the draft may mention: the store's names plus the facts' words and dates."""

    words: set[str]
    """Lower-case words allowed inside capitalised runs."""
    phrases: set[str]
    """Normalised full names of people and organisations."""
    people: dict[str, set[str]]
    """The draft's people (display names) → normalised org names they work or worked at."""
    fact_words: set[str]
    dates: set[date]
    years: set[int]
    numbers: set[str]


def known(store: Store, facts: DraftFacts) -> Known:
    words: set[str] = set()
    phrases: set[str] = set()
    people: dict[str, set[str]] = {}
    orgs = {o.id: o for o in store.organizations()}
    for org in orgs.values():
        for label in [org.name, *org.aliases]:
            phrases.add(normalize(label))
            phrases.add(normalize_org(label))
            words |= set(normalize(label).split())
    for _, name in store.person_names():
        phrases.add(normalize(name))  # anyone's full name; a lone first name must be in the facts
    for person in (facts.me, facts.via, facts.to):
        assert person.id is not None
        words |= set(normalize(person.name).split())
        people[person.name] = {
            normalize_org(orgs[e.org_id].name)
            for e in store.employments(person_id=person.id)
            if e.org_id in orgs
        } | {
            normalize_org(a)
            for e in store.employments(person_id=person.id)
            if e.org_id in orgs
            for a in orgs[e.org_id].aliases
        }
    fact_words: set[str] = set()
    dates: set[date] = set()
    numbers: set[str] = set()
    for fact in facts.facts:
        fact_words |= set(_WORDS.findall(fact.text.lower()))
        numbers |= {n.rstrip(".,").lower() for n in _NUMBER.findall(fact.text)}
        if fact.at:
            dates.add(fact.at)
        for y, m, d in _ISO.findall(fact.text):
            dates.add(date(int(y), int(m), int(d)))
    for text in (facts.reason, facts.product or ""):
        fact_words |= set(_WORDS.findall(text.lower()))
        numbers |= {n.rstrip(".,").lower() for n in _NUMBER.findall(text)}
    fact_words |= {_POSSESSIVE.sub("", w) for w in fact_words}  # "Sam's soccer" names Sam
    words |= fact_words
    years = {d.year for d in dates}
    for fact in facts.facts:
        years |= {int(y) for y in _YEAR.findall(fact.text)}
    return Known(words, phrases, people, fact_words, dates, years, numbers)


def _bare(word: str) -> str:
    return _POSSESSIVE.sub("", word.lower().strip(".'’&-"))


def _names(text: str, k: Known, flagged: list[str]) -> None:
    lower_words = set(_WORDS.findall(text))  # words that also occur in lower case
    tpl = template_words()
    for match in _CAP_RUN.finditer(text):
        run = match.group().rstrip(".'’-")
        parts = [p for p in re.split(r"\s+", run) if p]
        bare = [_bare(p) for p in parts if _bare(p) not in ("of", "de", "la", "and", "")]
        if not bare:
            continue
        phrase = normalize(_POSSESSIVE.sub("", run))
        if phrase in k.phrases or normalize_org(phrase) in k.phrases:
            continue
        at_start = bool(_SENTENCE_START.search(text[: match.start()]))
        unknown = []
        for i, word in enumerate(bare):
            if word in k.words or word in COMMON or word in MONTHS or word in _MONTH_ABBR:
                continue
            if i == 0 and at_start and (word in STARTERS or word in tpl or word in lower_words):
                continue
            if len(bare) == 1 and word in tpl and word in lower_words:
                continue
            unknown.append(word)
        if unknown:
            flagged.append(f'unknown name or company "{run}"')


def _affiliations(text: str, k: Known, flagged: list[str]) -> None:
    for person, orgs in k.people.items():
        pattern = re.compile(
            r"\b" + r"\s+".join(map(re.escape, person.split())) + r"\b[^.\n]{0,60}?\bat\s+"
            r"([A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*)*)"
        )
        for match in pattern.finditer(normalize_spaces(text)):
            org = normalize_org(match.group(1))
            if org in k.phrases and org not in orgs:
                flagged.append(f'"{match.group(0)}": the store has no such job')


def normalize_spaces(text: str) -> str:
    return " ".join(text.split())


def _dates(text: str, k: Known, flagged: list[str]) -> None:
    spans: list[tuple[int, int]] = []
    for m in _ISO.finditer(text):
        spans.append(m.span())
        if date(int(m[1]), int(m[2]), int(m[3])) not in k.dates:
            flagged.append(f'date "{m[0]}" is not in the facts')
    for rx in (_MONTH_DATE, _DAY_MONTH):
        for m in rx.finditer(text):
            if any(a <= m.start() < b for a, b in spans):
                continue
            spans.append(m.span())
            if rx is _MONTH_DATE:
                month_word, day, year = m[1], m[2], m[3]
            else:
                day, month_word, year = m[1], m[2], m[3]
            if month_word == "May" and not day and not year:
                continue  # the verb, most likely
            month = _MONTH_ABBR[month_word[:4].lower().rstrip("t")[:3]]
            if not day and not year and MONTHS[month - 1] in k.fact_words:
                continue  # a month a fact names ("expecting a baby in January")
            ok = any(
                d.month == month
                and (not year or d.year == int(year))
                and (not day or d.day == int(day))
                for d in k.dates
            )
            if not ok:
                flagged.append(f'date "{m[0]}" is not in the facts')
    for m in _YEAR.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        spans.append(m.span())
        if int(m[1]) not in k.years:
            flagged.append(f'year "{m[0]}" is not in the facts')
    tpl_numbers = template_numbers()
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        value = m[0].rstrip(".,").lower()
        if value in k.numbers or value in tpl_numbers or value in {"1", "2", "3"}:
            continue
        flagged.append(f'figure "{m[0]}" is not in the facts')


def _details(text: str, k: Known, flagged: list[str]) -> None:
    for word in sorted(set(_WORDS.findall(text.lower())) & PERSONAL_CUES):
        if word not in k.fact_words:
            flagged.append(f'personal detail "{word}" is not in your notes')


def check_text(text: str, k: Known) -> list[str]:
    flagged: list[str] = []
    _names(text, k, flagged)
    _affiliations(text, k, flagged)
    _dates(text, k, flagged)
    _details(text, k, flagged)
    return list(dict.fromkeys(flagged))


def check(store: Store, facts: DraftFacts, *texts: str | None) -> Grounding:
    """Check a draft's texts (subject, body, blurb…) against the store and its facts."""
    k = known(store, facts)
    flagged: list[str] = []
    for text in texts:
        if text:
            flagged += check_text(text, k)
    flagged = list(dict.fromkeys(flagged))
    return Grounding(ok=not flagged, flagged=flagged)
