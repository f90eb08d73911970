"""Arguments for the look-up tools: routes, people, notes, suggestions, notes to log.

Mixed into :class:`~carson.agent.planner.plan.Planner`; each ``_<tool>`` step takes the
request (as typed and with names masked), the names found in it and the conversation's
context, and returns the tool's arguments or a question back.
"""

from __future__ import annotations

import re
from typing import Any

from carson.agent.planner.context import Context
from carson.agent.planner.slots import Span
from carson.agent.planner.words import (
    _NUM,
    EXCLUDE_AROUND,
    EXCLUDE_BEFORE,
    NUMBERS,
    ORDINALS,
    PRONOUN,
    TEAM,
    VIA_BEFORE,
    _number,
    count,
    title_filter,
)
from carson.store import Store


class LookupSteps:
    """Argument extraction for find_routes, person_profile, how_do_i_know, search_notes,
    reconnect_suggestions, help_first and log_note."""

    store: Store

    def _teammate(self, span: Span) -> bool:
        """Whether ``span`` is one of the seller's teammates ("can Priya get me into …")."""
        if span.kind != "person" or len(span.ids) != 1:
            return False
        person = self.store.get_person(span.ids[0])
        return person is not None and person.is_team and not person.is_me

    def _before(self, text: str, span: Span, chars: int = 40) -> str:
        return text[max(0, span.start - chars) : span.start]

    def _person_or_context(self, spans: list[Span], text: str, ctx: Context) -> str | None:
        people = [s for s in spans if s.kind == "person"]
        if people:
            return people[0].name
        if PRONOUN.search(text) and ctx.last_person:
            return ctx.last_person
        return None

    def _route_index(self, text: str, ctx: Context) -> int | None:
        t = text.lower()
        m = re.search(r"\b(route|option|path|number|no\.|#)\s*#?(\d+)\b", t) or re.search(
            r"#(\d+)\b", t
        )
        if m:
            return int(m.group(m.lastindex or 1))
        m = re.search(
            r"\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|seventh|7th|"
            r"top|best|last)\s+(route|one|option|path|way|intro|connection|suggestion)\b",
            t,
        )
        if m:
            word = m.group(1)
            if word == "last":
                return len(ctx.routes) or None
            return ORDINALS[word]
        m = re.search(r"\b(route|option|path) (one|two|three|four|five)\b", t)
        if m:
            return NUMBERS[m.group(2)]
        return None

    def _excluded(self, text: str, spans: list[Span]) -> list[Span]:
        """The names the request keeps out of the routes ("not through Derek", "skip Citi")."""
        out: list[Span] = []
        for s in spans:
            before = self._before(text, s, 70)
            split = EXCLUDE_AROUND[0].search(before) and EXCLUDE_AROUND[1].match(text[s.end :])
            if (
                EXCLUDE_BEFORE.search(before)
                or split
                or (out and re.search(r"\b(or|and|,)\s*$", before))
            ):
                out.append(s)
        return out

    @staticmethod
    def _route_options(text: str) -> dict[str, Any]:
        """How many routes, how long, to whom and through whose network, as the request says."""
        args: dict[str, Any] = {}
        t = text.lower()
        hops = (
            re.search(
                rf"\b(within|at most|max(imum)?( of)?|no more than|up to|only|under|fewer than)\s+"
                rf"{_NUM}\s+(hops?|intermediar(y|ies)|steps|introductions|people in between|"
                r"degrees?|jumps?)\b",
                t,
            )
            or re.search(
                rf"\b{_NUM}\s*(hops?|intermediar(y|ies)|degrees?)\s*(max|or less|at most)", t
            )
            or re.search(  # "fewer hops please, max 2"
                rf"\b(hops?|intermediar(y|ies)|degrees?)\b[^.?!]{{0,20}}?\b(max(imum)?|at most|"
                rf"no more than|up to)\s+{_NUM}\b",
                t,
            )
        )
        if hops:
            num = next(g for g in hops.groups() if g and _number(g))
            n = _number(num)
            if n:
                args["max_hops"] = n
        elif re.search(r"\b(direct(ly)?|one hop|single intro(duction)?)\b", t):
            args["max_hops"] = 1
        k = count(text, avoid=hops.span() if hops else None)
        if k is not None:
            args["k"] = min(k[0], 20)
        title = title_filter(text)
        if title:
            args["title_filter"] = title
        if TEAM.search(text):
            args["via_team"] = True
        return args

    def _find_routes(
        self, text: str, masked: str, spans: list[Span], ctx: Context
    ) -> dict[str, Any] | str:
        args: dict[str, Any] = {}
        excluded = self._excluded(text, spans)
        target_org: str | None = None
        target_person: str | None = None
        # "can Priya or Tom get me into Goldman?": teammates asked to route, not targets
        asked = [s for s in spans if s not in excluded and self._teammate(s)]
        if asked and any(s.kind == "org" for s in spans if s not in excluded):
            args["via_team"] = True
        for s in spans:
            if s in excluded or (s in asked and "via_team" in args):
                continue
            before = self._before(text, s)
            if s.kind == "org" and target_org is None:
                target_org = s.name
            elif s.kind == "person" and target_person is None and not VIA_BEFORE.search(before):
                target_person = s.name
        if (target_person and not target_org) or (
            target_person
            and target_org
            and re.search(re.escape(spans[0].text) + r"\s+(at|from|in)\s", text)
            and spans[0].kind == "person"
        ):
            args["target_person"] = target_person
        elif target_org:
            args["target_company"] = target_org
        elif target_person:
            args["target_person"] = target_person
        elif PRONOUN.search(text) and ctx.last_person:
            args["target_person"] = ctx.last_person
        elif ctx.last_company and re.search(r"\b(there|them|that company|it)\b", text, re.I):
            args["target_company"] = ctx.last_company
        else:
            return (
                "Which company or person should I find a way into? For example: "
                '"quickest way into Goldman Sachs" or "routes to Harry Smith".'
            )
        args.update(self._route_options(text))
        if asked and "via_team" in args:
            args["via_team"] = True
        if "target_person" in args:
            args.pop("title_filter", None)
        if excluded:
            args["exclude"] = [s.name or s.text for s in excluded]
        return self._order(args)

    _ORDER = ("target_company", "target_person", "k", "max_hops", "exclude", "title_filter")

    def _order(self, args: dict[str, Any]) -> dict[str, Any]:
        """find_routes arguments in one predictable order (the target first)."""
        return dict(sorted(args.items(), key=lambda kv: (*self._ORDER, kv[0]).index(kv[0])))

    def _person_arg(
        self, text: str, spans: list[Span], ctx: Context, what: str
    ) -> dict[str, Any] | str:
        person = self._person_or_context(spans, text, ctx)
        if person is None:
            return f'Whom do you mean? Give me a name, e.g. "{what} Harry Smith".'
        return {"person": person}

    def _person_profile(self, text: str, masked: str, spans: list[Span], ctx: Context) -> Any:
        return self._person_arg(text, spans, ctx, "who is")

    def _how_do_i_know(self, text: str, masked: str, spans: list[Span], ctx: Context) -> Any:
        return self._person_arg(text, spans, ctx, "how do I know")

    _NOTE_FILLER = re.compile(
        r"\b(what|which|who|whom|do|does|did|i|we|my|our|me|know|about|in|the|notes?|say|said|"
        r"says|tell|told|mention(ed)?|anything|any|search|find|look|up|for|on|of|have|has|"
        r"written|down|wrote|remind|is|are|was|there|something|someone|anyone|talked|spoke|"
        r"a|an|to|re|regarding|please|can|you|show|list|all|get|pull|else|from|top|most|"
        r"relevant|recent|latest|results?|matches|hits)\b",
        re.I,
    )

    def _search_notes(self, text: str, masked: str, spans: list[Span], ctx: Context) -> Any:
        args: dict[str, Any] = {}
        people = [s for s in spans if s.kind == "person"]
        rest = masked
        if people:
            args["person"] = people[0].name
        elif (
            PRONOUN.search(text)
            and ctx.last_person
            and re.search(r"\b(his|her|their|him|them)\b", text, re.I)
        ):
            args["person"] = ctx.last_person
            rest = PRONOUN.sub(" ", rest)
        k = count(rest)
        if k is not None:  # "top 10 notes about …": a number of notes, not words to look for
            rest = rest[: k[1]] + " " + rest[k[2] :]
        rest = rest.replace("PERSON", " ").replace("COMPANY", " ")
        rest = re.sub(r"'s\b", " ", rest)
        rest = self._NOTE_FILLER.sub(" ", rest)
        query = " ".join(re.sub(r"[^\w\s'-]", " ", rest).split())
        # "Harry and golf" leaves "and golf": a joining word is not something to look for
        query = re.sub(r"^(?:(?:and|or|with|about|re|on|regarding)\s+)+", "", query, flags=re.I)
        orgs = [s.name for s in spans if s.kind == "org" and s.name]
        if orgs:
            query = " ".join([query, *orgs]).strip()
        if not query:
            query = args.get("person") or text
        args["query"] = query
        # a predictable order: query, person, k
        out: dict[str, Any] = {"query": args["query"]}
        if "person" in args:
            out["person"] = args["person"]
        if k is not None:
            out["k"] = min(k[0], 20)
        return out

    def _reconnect_suggestions(
        self, text: str, masked: str, spans: list[Span], ctx: Context
    ) -> Any:
        k = count(masked)
        return {"k": min(k[0], 25)} if k else {}

    def _help_first(self, text: str, masked: str, spans: list[Span], ctx: Context) -> Any:
        args: dict[str, Any] = {}
        person = self._person_or_context(spans, text, ctx)
        if person:
            args["person"] = person
        k = count(masked)
        if k:
            args["k"] = min(k[0], 25)
        return args

    _NOTE_LEAD = re.compile(
        r"^\s*(please\s+)?(log a note|add a note|make a note|take a note|save a note|"
        r"jot( this| that)?( down)?|note( this| that)?( down)?|remember|record|write down|"
        r"(add|put|save|write|log|keep)( this| that| it)? (in|into|to|on) (my |the )?notes|"
        r"(save|log|store|keep|file)( this| that)?(?= *[:—–-]| that\b| this\b))"
        r"\s*(that|this|:|-|—|–|about)?\s*[:,—–-]?\s*",
        re.I,
    )
    _NOTE_TAIL = re.compile(
        r"[\s.,;—–-]*\b(please\s+)?(make|take|add|save|keep|log) (a |this as a )?note"
        r"( of (that|this|it))?( please)?[\s.!]*$",
        re.I,
    )

    def _log_note(self, text: str, masked: str, spans: list[Span], ctx: Context) -> Any:
        body = self._NOTE_LEAD.sub("", text, count=1).strip() or text
        body = self._NOTE_TAIL.sub("", body).strip() or body
        body = body[:1].upper() + body[1:]
        args: dict[str, Any] = {"text": body}
        people = [s for s in spans if s.kind == "person" and s.name]
        if people:
            args["person"] = people[0].name
        return args
