"""The planner's vocabulary: numbers, title words, outcomes, and the wording around a
name that says what part it plays ("via John", "not through Derek", "intro to Harry")."""

from __future__ import annotations

import re

NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "a couple": 2, "a few": 3, "a single": 1, "single": 1, "a dozen": 12, "dozen": 12,
}  # fmt: skip
ORDINALS = {
    "first": 1, "1st": 1, "top": 1, "best": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
    "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7,
}  # fmt: skip
_NUM = (
    r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|a couple|a few|a single|single|a dozen|dozen)"
)

FINANCE_LEADERS = (
    "CFO|Chief Financial Officer|VP of Finance|Director of Finance|Head of Finance|Controller"
)

TITLES: tuple[tuple[str, str], ...] = (
    (r"\b(vps?|vice presidents?)\b", "VP|Vice President"),
    (r"\b(cfos?|chief financial officers?|finance chiefs?)\b", "CFO|Chief Financial Officer"),
    (r"\b(finance (leaders?|leadership|leads?|executives?|execs?|heads?|bosses)|"
     r"(senior|top) finance (people|folks|staff)?|head of finance|leadership in finance|"
     r"finance (vps?|directors?)|(vps?|directors?) of finance)\b", FINANCE_LEADERS),
    (r"\b(ceos?|chief executives?)\b", "CEO|Chief Executive Officer"),
    (r"\b(coos?|chief operating officers?)\b", "COO|Chief Operating Officer"),
    (r"\b(ctos?|chief technology officers?)\b", "CTO|Chief Technology Officer"),
    (r"\b(chros?|chief people officers?)\b", "CHRO|Chief People Officer|Chief Human"),
    (r"\bhead of payroll\b", "Head of Payroll"),
    (r"\bpayroll\b", "Payroll"),
    (r"\b(hr|human resources|people team|people ops|people operations)\b",
     "HR|Human Resources|People"),
    (r"\bfinance( people| folks| team| staff| department| side)?\b", "Finance|" + FINANCE_LEADERS),
    (r"\b(mds?|managing directors?)\b", "Managing Director"),
    (r"\b(executive directors?)\b", "Executive Director"),
    (r"\b(directors?)\b", "Director"),
    (r"\b(execs?|executives?|senior leaders?|leadership|c-suite|c-level)\b",
     "Chief|VP|Vice President|Managing Director|Head of"),
)  # fmt: skip

OUTCOMES: tuple[tuple[str, str], ...] = (
    (r"\b(meeting|call) (is |was |got )?(booked|scheduled|set up|confirmed)|"
     r"(booked|scheduled|landed|got|have) (a|the) (meeting|call)|on the calendar|"
     r"meeting with|(meeting|call) (is |was )?set (up )?(for|on)|"
     r"(we'?re|we are|we'?ll be|we will be) (meeting|talking|speaking)( on| next| this)?|"
     r"(meet|meeting|call|speak|talking) (on |next |this )?(monday|tuesday|wednesday|thursday|"
     r"friday|saturday|sunday|week)", "meeting_booked"),
    (r"\b(declined|said no|turned (me|it|us) down|passed on (it|making|doing|introducing|"
     r"the intro)|refused|won'?t|"
     r"wasn'?t comfortable|not comfortable)", "declined"),
    (r"\b(no (response|reply|answer)|(never|hasn'?t|didn'?t|has not|did not) (replied|reply|"
     r"respond(ed)?|answer(ed)?|got(ten)? back|heard)|never heard back|ghosted|went nowhere|"
     r"silence|crickets)", "no_response"),
    (r"\b(made the intro(duction)?|did the intro|intro(duction)? (was |got )?(made|done|"
     r"happened|went out)|introduced (me|us)|connected us|made an introduction|"
     r"intro'?d me)", "intro_made"),
)  # fmt: skip

VIA_BEFORE = re.compile(
    r"\b(via|through|thru|using|ask|asking|by way of|from|with the help of)\s*$", re.I
)
TO_BEFORE = re.compile(
    r"\b(intro(duction)?s?|introduce (me )?to|introduced to|to meet|meet|reach|"
    r"connect (me )?(with|to)|get (me )?to|in front of|contact at|for)\s*(to|with)?\s*$",
    re.I,
)
_THROUGH = (
    r"(go(es|ing)?|rout(e|es|ing)|pass(es|ing)?|run(s|ning)?|com(e|es|ing)|send(s|ing)?)"
    r"( me| us| it| them)?\s+(through|thru|via)"
)
_EXCLUDE_CUE = (
    r"not (going )?(through|via|using|with)|not|"
    r"(doesn'?t|don'?t|does not|do not|shouldn'?t|should not|won'?t|never|no need to)"
    rf"( (want|need|have) to| wanna)? {_THROUGH}|"
    r"(without|w/o)( (going|routing|passing))?( through| thru| via| using| involving)?|"
    r"excluding|exclude|except( for)?|avoid(ing)?( going through)?|other than|but not|"
    r"skip(ping)?|leav(e|ing) out|left out|leave off|drop(ping)?|minus|ignor(e|ing)|"
    r"bypass(ing)?|steer(ing)? clear of|stay(ing)? away from|keep(ing)? away from|no"
)
_ANYONE = (
    r"(the |any |all )?(anyone|anybody|people|folks|someone|everyone|everybody|employees|"
    r"staff|contacts|those|ones)( who (work|works|worked|are|is))?\s+(at|from|in|with)"
)
EXCLUDE_BEFORE = re.compile(
    rf"\b({_EXCLUDE_CUE})(\s+(via|through|thru|using|going through))?(\s+{_ANYONE})?"
    r"(\s+the)?\s*$",
    re.I,
)
EXCLUDE_AROUND = (
    re.compile(
        r"\b(cut|cutting|leave|leaving|keep|keeping|take|taking|knock|rule|ruling)\s*$", re.I
    ),
    re.compile(r"^\s+out\b", re.I),
)
"""A cue split around the name: "cut Priya out", "leave Derek out of it"."""
"""The words before a name that keep it out of the routes: "skip anyone at X", "that
doesn't go through Derek", "without going through …", "leave out Priya"."""
TEAM = re.compile(
    r"\b((my|our|the) (whole |sales |own )?team\b(?! at)|team'?s\b|teammates?|team ?mates?|"
    r"coworkers'|colleagues'|our network|anyone on (my|the) team)",
    re.I,
)
"""Routing through teammates' networks ("via my team"), not any team ("their HR team")."""
FOLLOW_UP = re.compile(
    r"^\s*(ok(ay)?[,]?\s+|so[,]?\s+|and[,]?\s+|but[,]?\s+|now[,]?\s+)?((what|how) about|and|"
    r"same (thing )?for|now|try|what of)\b",
    re.I,
)
PRONOUN = re.compile(r"\b(him|her|them|he|she|they|his|hers|their)\b", re.I)


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


COUNTED = (
    r"(routes?|ways?|paths?|options?|intros?|introductions?|people|persons|folks|"
    r"connections?|contacts?|notes?|results?|matches|hits|relationships?|ties|names?|"
    r"suggestions?|friends?|ideas?|ones?)"
)
"""What a seller counts: "3 routes", "top 10 notes", "4 relationships gone cold"."""

_COUNT = (
    # "7 of them", "3 routes", "the 3 most relevant notes", "6 of my ties", "a couple of intros"
    re.compile(
        rf"\b{_NUM}\s+(?:of\s+(?:them|those|these)\b|(?:of\s+)?(?:(?:my|the|our|your)\s+)?"
        rf"(?:[a-z'-]+\s+){{0,2}}?{COUNTED}\b)"
    ),
    # "top 3", "just the top 2", "show me 10", "give me five"
    re.compile(
        rf"\b(?:top|best|first|just|only|give me|show me|list|find|suggest|name)\s+"
        rf"(?:the\s+)?(?:top\s+)?{_NUM}\b"
    ),
    # "routes into Workday, 7 please", "…: 4", "more, like 8"
    re.compile(
        rf"(?:[,:;-]|\bplease|\b(?:like|say|maybe|about|around))\s*{_NUM}(?:\s+please)?\s*"
        rf"[.!?]*$|\b{_NUM}\s+please\b"
    ),
)
_NOT_A_COUNT = re.compile(
    r"^\s*(hops?|intermediar|degrees?|steps?|jumps?|people in between|in between|%|years?|"
    r"months?|weeks?|days?|hours?|minutes?|am\b|pm\b)"
)


def count(text: str, *, avoid: tuple[int, int] | None = None) -> tuple[int, int, int] | None:
    """How many results ``text`` asks for, and where the number is: ``(n, start, end)``.

    ``avoid`` is a span already read as something else (the hop limit in "within 2 hops")."""
    t = text.lower()
    for rx in _COUNT:
        for m in rx.finditer(t):
            num = next(g for g in m.groups() if g)
            start = m.start() + m.group().find(num)
            end = start + len(num)
            if avoid is not None and avoid[0] <= start < avoid[1]:
                continue
            if _NOT_A_COUNT.match(t[end:]):
                continue
            n = _number(num)
            if n:
                return n, start, end
    return None


_WHO_CUE = re.compile(
    r"\b(to|reach|meet|contact|into|only|just|target(ing)?|someone in|somebody in|people in|"
    r"person in|anyone in|folks in|in front of|get to|talk to|speak to|find|want|need|see|"
    r"land|(meet|talk|speak) with|end(s|ing)?( up)? (at|with)|ones? (at|who are))\s+"
    r"((their|the|a|an|its|some|any|one of the|one of their)\s+)?$"
)
_INCIDENTAL = re.compile(
    r"^s?\s+(team\s+|department\s+|dept\s+|function\s+)?(is|are|was|were|has|have|had|"
    r"keeps?|seems?|looks?|feels?|runs?|went|got|problems?|issues?|software|provider|vendor|"
    r"system|process|errors?|mess|project|data|costs?|spend|budget|tool|platform|stack)\b"
)
_QUOTED_TITLE = re.compile(
    r"[\"“”]([^\"“”]{2,40})[\"“”]|(?:^|[\s(])['‘]([^'‘’\n]{2,40}?)['’](?=[\s.,;:!?)]|$)"
)


def _dept(word: str) -> str:
    return word.upper() if len(word) <= 3 else word.capitalize()  # HR, IT; Payroll


def title_filter(text: str) -> str | None:
    """The titles to reach, when the request says so: a quoted title ('only people with "Head
    of" in their title'), or a title word where it names whom to reach ("a VP at X", "only
    VPs", "someone in finance leadership") — not one in passing ("their payroll is a mess")."""
    if re.search(r"\btitles?d?\b", text, re.I):
        m = _QUOTED_TITLE.search(text)
        if m:
            return (m.group(1) or m.group(2)).strip()
    t = text.lower()
    heads = re.search(r"\bheads? of (?!the\b|a\b)([a-z&]+)", t)
    head = [(re.escape(heads.group()), "Head of " + _dept(heads.group(1)))] if heads else []
    found: list[tuple[int, int, str]] = []  # (start, end, title) of every title word
    for rx, title in [*head, *TITLES]:
        for m in re.finditer(rx, t):
            if not any(a <= m.start() < b for a, b, _ in found):
                found.append((m.start(), m.end(), title))
    found.sort()
    for n, (start, end, title) in enumerate(found):
        before, after = t[max(0, start - 40) : start], t[end:]
        if _INCIDENTAL.match(after):
            continue
        if (
            not before.strip()
            or _WHO_CUE.search(before)
            or re.match(r"^s?\s*(at|in|from|over at|only)\b|^s?\s*[-–—,:?]", after)
        ):
            # "HR or finance people", "VPs and directors": the titles joined to this one
            titles, last = [title], end
            for s2, e2, t2 in found[n + 1 :]:
                if not re.fullmatch(r"s?\s*(,|/|&|or|and|and/or)\s*(the\s+)?", t[last:s2]):
                    break
                titles.append(t2)
                last = e2
            return "|".join(dict.fromkeys("|".join(titles).split("|")))
    return None
