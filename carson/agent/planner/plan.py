"""From a request (and the conversation so far) to tool calls, or a question back.

``Planner.plan(text, history)`` returns a :class:`Plan`: the tool calls to make (name and
arguments, names resolved to the store's canonical spelling) or a reply when it must ask
("did you mean …?"). Context comes from the conversation itself: the previous tool calls
and the routes last shown, so a saved session resumes exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from carson.agent.loop import recent_routes
from carson.agent.planner.intents import IntentClassifier, Scored
from carson.agent.planner.rehearsal import is_end, no_rehearsal_reply
from carson.agent.planner.slots import Gazetteer, Span
from carson.agent.prompts import load_prompt
from carson.models import Route
from carson.resolve import Resolver
from carson.store import Store

NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "a couple": 2, "a few": 3,
}  # fmt: skip
ORDINALS = {
    "first": 1, "1st": 1, "top": 1, "best": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
    "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7,
}  # fmt: skip
_NUM = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a couple|a few)"

TITLES: tuple[tuple[str, str], ...] = (
    (r"\b(vps?|vice presidents?)\b", "VP|Vice President"),
    (r"\b(cfos?|chief financial officers?|finance chief)\b", "CFO|Chief Financial Officer"),
    (r"\b(ceos?|chief executives?)\b", "CEO|Chief Executive Officer"),
    (r"\b(coos?|chief operating officers?)\b", "COO|Chief Operating Officer"),
    (r"\b(ctos?|chief technology officers?)\b", "CTO|Chief Technology Officer"),
    (r"\b(chros?|chief people officers?)\b", "CHRO|Chief People Officer|Chief Human"),
    (r"\bhead of payroll\b", "Head of Payroll"),
    (r"\bpayroll\b", "Payroll"),
    (r"\b(hr|human resources|people team)\b", "HR|Human Resources|People"),
    (r"\b(mds?|managing directors?)\b", "Managing Director"),
    (r"\b(executive directors?)\b", "Executive Director"),
    (r"\b(directors?)\b", "Director"),
    (r"\b(execs?|executives?|senior leaders?|leadership|c-suite|c-level)\b",
     "Chief|VP|Vice President|Managing Director|Head of"),
)  # fmt: skip

OUTCOMES: tuple[tuple[str, str], ...] = (
    (r"\b(meeting|call) (is |was |got )?(booked|scheduled|set up|confirmed)|"
     r"(booked|scheduled|landed|got|have) (a|the) (meeting|call)|on the calendar|"
     r"meeting with", "meeting_booked"),
    (r"\b(declined|said no|turned (me|it|us) down|passed on it|refused|won'?t|"
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
EXCLUDE_BEFORE = re.compile(
    r"\b(not (going )?(through|via|using|with)|without( going)?( through| via| using)?|"
    r"excluding|exclude|except|avoid(ing)?( going through)?|other than|but not|"
    r"skip(ping)?|no)\s*$",
    re.I,
)
TEAM = re.compile(
    r"\b(team|teammates?|team ?mates?|coworkers'|colleagues'|whole team|our network|"
    r"anyone on (my|the) team|the team'?s)\b",
    re.I,
)
FOLLOW_UP = re.compile(
    r"^\s*(ok(ay)?[,]?\s+|so[,]?\s+|and[,]?\s+|but[,]?\s+|now[,]?\s+)?((what|how) about|and|"
    r"same (thing )?for|now|try|what of)\b",
    re.I,
)
PRONOUN = re.compile(r"\b(him|her|them|he|she|they|his|hers|their)\b", re.I)


@dataclass
class Call:
    name: str
    args: dict[str, Any]


@dataclass
class Plan:
    calls: list[Call] = field(default_factory=list)
    reply: str | None = None
    intent: str | None = None
    how: str | None = None


@dataclass
class Context:
    """What the conversation established: the last call, the routes shown, who was named."""

    last: Call | None = None
    routes: list[Route] = field(default_factory=list)
    last_person: str | None = None
    last_company: str | None = None

    @classmethod
    def from_history(cls, history: Sequence[BaseMessage]) -> Context:
        ctx = cls(routes=recent_routes(history))
        for msg in history:
            if isinstance(msg, AIMessage) and msg.tool_calls:
                call = msg.tool_calls[-1]
                args = dict(call.get("args") or {})
                ctx.last = Call(call["name"], args)
                for key in ("target_person", "person", "to", "via"):
                    if isinstance(args.get(key), str):
                        ctx.last_person = args[key]
                        break
                if isinstance(args.get("target_company"), str):
                    ctx.last_company = args["target_company"]
        if ctx.routes and ctx.last is not None and ctx.last.name == "find_routes":
            top = ctx.routes[0].hops[-1].name
            ctx.last_person = ctx.last.args.get("target_person") or top
        return ctx

    def route_people(self) -> set[int]:
        return {pid for r in self.routes for pid in r.path}

    def connectors(self) -> set[int]:
        return {pid for r in self.routes for pid in r.path[1:-1]}

    def targets(self) -> set[int]:
        return {r.path[-1] for r in self.routes}


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


class Planner:
    """Deterministic intent and slot extraction against one store."""

    def __init__(
        self, store: Store, *, use_embeddings: bool = True, resolver: Resolver | None = None
    ) -> None:
        self.store = store
        self.resolver = resolver or Resolver(store)
        self.gaz = Gazetteer(self.resolver)
        cache = Path(store.home) / "cache"
        self.classifier = IntentClassifier(cache, use_embeddings=use_embeddings)

    # ------------------------------------------------------------------ public

    def plan(self, text: str, history: Sequence[BaseMessage] = ()) -> Plan:
        ctx = Context.from_history(history)
        text = " ".join(text.split())
        if is_end(text):  # a running rehearsal never reaches the planner (the conversation)
            return Plan(reply=no_rehearsal_reply(), intent="end_rehearsal", how="rule")
        spans = self.gaz.scan(text, ctx.route_people())
        masked = self._mask(text, spans)
        follow = self._follow_up(text, masked, spans, ctx)
        if follow is not None:
            return follow
        scored = self.classifier.classify(masked)
        intent = scored.intent
        if intent == "smalltalk":
            return Plan(reply=self._smalltalk(text), intent=intent, how=scored.how)
        unresolved = [s for s in spans if not s.resolved]
        if unresolved:
            return Plan(reply=self._did_you_mean(unresolved[0]), intent=intent, how="unresolved")
        unknown = self._unknown_name(text, spans, intent)
        if unknown is not None:
            return Plan(reply=unknown, intent=intent, how="unknown")
        people = [s for s in spans if s.kind == "person"]
        orgs = [s for s in spans if s.kind == "org"]
        if intent in ("person_profile", "how_do_i_know") and orgs and not people:
            intent = "find_routes"  # "who's my best connection into sfdc"
        builder = getattr(self, f"_{intent}")
        result = builder(text, masked, spans, ctx)
        if isinstance(result, str):
            return Plan(reply=result, intent=intent, how=scored.how)
        return Plan(calls=[Call(intent, result)], intent=intent, how=scored.how)

    # ----------------------------------------------------------------- helpers

    @staticmethod
    def _mask(text: str, spans: list[Span]) -> str:
        out, pos = [], 0
        for s in spans:
            out.append(text[pos : s.start])
            out.append("PERSON" if s.kind == "person" else "COMPANY")
            pos = s.end
        out.append(text[pos:])
        return "".join(out)

    def _did_you_mean(self, span: Span) -> str:
        kind = "person" if span.kind == "person" else "company"
        if not span.suggestions:
            return f'I couldn\'t find a {kind} called "{span.text}" in your network.'
        if len(span.suggestions) > 1 and span.ids:
            quoted = " or ".join(f'"{s}"' for s in span.suggestions[:4])
            return f'"{span.text}" could be several people in your network: {quoted}?'
        return load_prompt("did_you_mean").render(
            kind=kind,
            name=span.text,
            suggestions=" or ".join(f'"{s}"' for s in span.suggestions[:3]),
        )

    _CANDIDATE = re.compile(
        r"\b(?:into|at|in at|to|reach|meet|know|about|is|via|through|with|for)\s+"
        r"((?:[A-Z][\w&'’.-]*)(?:\s+(?:[A-Z][\w&'’.-]*|&|of)){0,3})"
    )

    def _unknown_name(self, text: str, spans: list[Span], intent: str) -> str | None:
        """A capitalised name in a slot position that matched nothing: say so, never guess."""
        if intent in ("log_note", "smalltalk", "search_notes", "reconnect_suggestions"):
            return None
        covered = [(s.start, s.end) for s in spans]
        for m in self._CANDIDATE.finditer(text):
            start, end = m.span(1)
            if any(a <= start < b or a < end <= b for a, b in covered):
                continue
            phrase = m.group(1).strip(" .?!,")
            words = phrase.split()
            if not words or words[0].lower() in ("i", "me", "my", "the", "carson"):
                continue
            if re.fullmatch(r"(VP|CFO|CEO|COO|CTO|MD|HR|EA|Q\d)s?", words[0]):
                continue
            if intent == "find_routes":
                lead = text[max(0, start - 12) : start].lower()
                personish = len(words) >= 2 and re.search(r"\b(to|meet|reach)\s*$", lead)
                kind = "person" if personish else "company"
            else:
                kind = "person"
            if kind == "company":
                sug = self.resolver.suggest_organizations(phrase)
            else:
                sug = self.resolver.suggest_people(phrase)
            span = Span("org" if kind == "company" else "person", start, end, phrase,
                        suggestions=sug)  # fmt: skip
            return self._did_you_mean(span)
        return None

    @staticmethod
    def _smalltalk(text: str) -> str:
        if re.match(r"\s*(thanks|thank you)", text, re.I):
            return "Any time. Ask me for routes into another company whenever you're ready."
        return (
            "I'm Carson, your relationship GPS. Try: \"what's the quickest way into Goldman "
            'Sachs?", "how do I know Harry Smith?", "draft the email for the second route", '
            '"let\'s rehearse the call", "who should I reconnect with?", or "note that …".'
        )

    def _follow_up(self, text: str, masked: str, spans: list[Span], ctx: Context) -> Plan | None:
        if ctx.last is None or not FOLLOW_UP.match(text) or len(masked.split()) > 9:
            return None
        unresolved = [s for s in spans if not s.resolved]
        if unresolved:
            return Plan(reply=self._did_you_mean(unresolved[0]), intent="follow_up")
        last = ctx.last
        orgs = [s for s in spans if s.kind == "org"]
        people = [s for s in spans if s.kind == "person"]
        if last.name == "find_routes":
            args = {
                k: v for k, v in last.args.items() if k not in ("target_company", "target_person")
            }
            if orgs:
                args["target_company"] = orgs[0].name
            elif people:
                args["target_person"] = people[0].name
            elif TEAM.search(text):
                args = dict(last.args)
                args["via_team"] = True
            else:
                return None
            if TEAM.search(text):
                args["via_team"] = True
            return Plan(calls=[Call("find_routes", args)], intent="find_routes", how="follow-up")
        if people and last.name in ("person_profile", "how_do_i_know", "help_first"):
            return Plan(
                calls=[Call(last.name, {"person": people[0].name})],
                intent=last.name,
                how="follow-up",
            )
        if people and last.name == "search_notes":
            args = dict(last.args)
            args["person"] = people[0].name
            return Plan(calls=[Call("search_notes", args)], intent="search_notes", how="follow-up")
        if (
            orgs
            and last.name != "find_routes"
            and re.match(r"^\s*(and |ok |so )?(what|how) about\b", text, re.I)
        ):
            return Plan(
                calls=[Call("find_routes", {"target_company": orgs[0].name})],
                intent="find_routes",
                how="follow-up",
            )
        return None

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

    # ----------------------------------------------------------------- intents

    def _find_routes(
        self, text: str, masked: str, spans: list[Span], ctx: Context
    ) -> dict[str, Any] | str:
        args: dict[str, Any] = {}
        exclude: list[str] = []
        target_org: str | None = None
        target_person: str | None = None
        for s in spans:
            before = self._before(text, s)
            if EXCLUDE_BEFORE.search(before) or (
                exclude and re.search(r"\b(or|and|,)\s*$", before)
            ):
                exclude.append(s.name or s.text)
                continue
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
        t = text.lower()
        m = re.search(
            rf"\b(top|best|give me|show me|first|find|list)\s+{_NUM}\b(?!\s*(hops?|intermed))", t
        ) or re.search(
            rf"\b{_NUM}\s+(?:(?:best|top|quickest|fastest|warmest|good|different)\s+)?"
            r"(routes|ways|paths|options|intros|people|connections)\b",
            t,
        )
        if m:
            n = _number(
                m.group(2)
                if m.lastindex
                and m.lastindex >= 2
                and m.group(1) in ("top", "best", "give me", "show me", "first", "find", "list")
                else m.group(1)
            )
            if n:
                args["k"] = n
        m = re.search(
            rf"\b(within|at most|max(imum)?( of)?|no more than|up to|only|under|fewer than)\s+"
            rf"{_NUM}\s+(hops?|intermediar(y|ies)|steps|introductions|people in between|"
            r"degrees?|jumps?)\b",
            t,
        ) or re.search(
            rf"\b{_NUM}\s*(hops?|intermediar(y|ies)|degrees?)\s*(max|or less|at most)", t
        )
        if m:
            num = next(g for g in m.groups() if g and _number(g))
            n = _number(num)
            if n:
                args["max_hops"] = n
        elif re.search(r"\b(direct(ly)?|one hop|single intro(duction)?)\b", t):
            args["max_hops"] = 1
        for rx, title in TITLES:
            if re.search(rx, re.sub(r"\b(payroll (problems?|software|provider|vendor))\b", "", t)):
                if "target_person" not in args:
                    args["title_filter"] = title
                break
        if TEAM.search(text):
            args["via_team"] = True
        if exclude:
            args["exclude"] = exclude
        return args

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
        r"a|an|to|re|regarding|please|can|you|show|list|all|get|pull|else|from)\b",
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
        rest = rest.replace("PERSON", " ").replace("COMPANY", " ")
        rest = re.sub(r"'s\b", " ", rest)
        rest = self._NOTE_FILLER.sub(" ", rest)
        query = " ".join(re.sub(r"[^\w\s'-]", " ", rest).split())
        orgs = [s.name for s in spans if s.kind == "org" and s.name]
        if orgs:
            query = " ".join([query, *orgs]).strip()
        if not query:
            query = args.get("person") or text
        args["query"] = query
        # person key last keeps the JSON in a predictable order: query, person
        return {"query": args["query"], **({"person": args["person"]} if "person" in args else {})}

    def _roles(self, text: str, spans: list[Span], ctx: Context) -> tuple[str | None, str | None]:
        """Who is the connector (via) and who the target (to), from wording and context."""
        people = [s for s in spans if s.kind == "person" and s.name]
        connectors, targets = ctx.connectors(), ctx.targets()
        roles: dict[int, str] = {}
        # explicit wording first: "via John", "John can introduce", "intro to Harry"
        for n, s in enumerate(people):
            before = self._before(text, s)
            after = text[s.end : s.end + 30]
            if VIA_BEFORE.search(before) or re.match(
                r"\s+(can|could|to) (intro|introduce|connect)|\s+for an? intro", after, re.I
            ):
                roles[n] = "via"
            elif re.search(r"\b(intro(duction)?s?|introduce (me )?)\s*(to|with)\s*$", before, re.I):
                roles[n] = "to"
        # then what the routes shown say about them
        for n, s in enumerate(people):
            if n in roles:
                continue
            pid = s.ids[0] if s.ids else None
            if pid is not None and pid in connectors:
                roles[n] = "via"
            elif pid is not None and pid in targets:
                roles[n] = "to"
        # then position: "email John (about Harry)", "meet Harry"
        for n, s in enumerate(people):
            if n in roles:
                continue
            before = self._before(text, s)
            taken = set(roles.values())
            writes_to = re.search(
                r"\b(email|e-mail|write|message|call|calling|ring|ringing|phone|mail|note|with)\b"
                r"[\w\s]{0,12}$",
                before,
                re.I,
            )
            if TO_BEFORE.search(before) and not writes_to:
                roles[n] = "to" if "to" not in taken else "via"
            elif re.search(r"\babout\s*$", before, re.I) and "to" not in taken:
                roles[n] = "to"
            else:
                roles[n] = "via" if "via" not in taken else "to"
        via = next((people[n].name for n in sorted(roles) if roles[n] == "via"), None)
        to = next((people[n].name for n in sorted(roles) if roles[n] == "to"), None)
        return via, to

    def _draft_args(self, text: str, spans: list[Span], ctx: Context) -> dict[str, Any]:
        args: dict[str, Any] = {}
        via, to = self._roles(text, spans, ctx)
        index = self._route_index(text, ctx)
        if index is not None:
            args["route_index"] = index
        if via:
            args["via"] = via
        if to:
            args["to"] = to
        if not args and PRONOUN.search(text) and ctx.last_person:
            args["via"] = ctx.last_person
        if not args and ctx.routes:
            args["route_index"] = 1
        return args

    def _draft_intro_email(self, text: str, masked: str, spans: list[Span], ctx: Context) -> Any:
        args = self._draft_args(text, spans, ctx)
        m = re.search(
            r"\b(?:because|reason:?|the reason is|to (?:discuss|talk about|pitch|show them))\s+"
            r"(.+?)[.?!]*$",
            text,
            re.I,
        )
        if m:
            args["reason"] = m.group(1).strip()
        if not args:
            return (
                "Whom is the email for? Ask for routes first, or say "
                '"draft an intro to Harry Smith via John Jacobs".'
            )
        return args

    def _draft_phone_script(self, text: str, masked: str, spans: list[Span], ctx: Context) -> Any:
        args = self._draft_args(text, spans, ctx)
        if not args:
            return (
                "Whom are you calling? Ask for routes first, or say "
                '"phone script for John Jacobs about Harry Smith".'
            )
        return args

    def _rehearse(self, text: str, masked: str, spans: list[Span], ctx: Context) -> Any:
        t = text.lower()
        args: dict[str, Any] = {"role": "connector"}
        people = [s for s in spans if s.kind == "person" and s.name]
        if re.search(r"\b(gatekeeper|assistant|receptionist|secretary|ea|front desk)\b", t):
            args["role"] = "gatekeeper"
        elif re.search(r"\b(the target|as the target|play the prospect|the buyer)\b", t) or (
            people and people[0].ids and people[0].ids[0] in ctx.targets()
        ):
            args["role"] = "target"
        via, _to = self._roles(text, spans, ctx)
        as_connector = args["role"] == "connector"
        if via and (as_connector or not people or people[0].ids[0] in ctx.connectors()):
            args["via"] = via
        return args

    def _reconnect_suggestions(
        self, text: str, masked: str, spans: list[Span], ctx: Context
    ) -> Any:
        m = re.search(rf"\b{_NUM}\s+(people|contacts|names|suggestions|friends)\b", text.lower())
        n = _number(m.group(1)) if m else None
        return {"k": n} if n else {}

    def _help_first(self, text: str, masked: str, spans: list[Span], ctx: Context) -> Any:
        person = self._person_or_context(spans, text, ctx)
        return {"person": person} if person else {}

    _NOTE_LEAD = re.compile(
        r"^\s*(please\s+)?(log a note|add a note|make a note|take a note|save a note|"
        r"jot( this)?( down)?|note( this)?( down)?|remember|record|write down)"
        r"\s*(that|this|:|-|—|about)?\s*[:,-]?\s*",
        re.I,
    )

    def _log_note(self, text: str, masked: str, spans: list[Span], ctx: Context) -> Any:
        body = self._NOTE_LEAD.sub("", text, count=1).strip() or text
        body = body[:1].upper() + body[1:]
        args: dict[str, Any] = {"text": body}
        people = [s for s in spans if s.kind == "person" and s.name]
        if people:
            args["person"] = people[0].name
        return args

    def _log_outcome(self, text: str, masked: str, spans: list[Span], ctx: Context) -> Any:
        t = text.lower()
        outcome = next((kind for rx, kind in OUTCOMES if re.search(rx, t)), None)
        if outcome is None:
            return "What happened with the intro: made, declined, no response, or a meeting booked?"
        args: dict[str, Any] = {"outcome": outcome}
        index = self._route_index(text, ctx)
        if index is not None:
            args["route_index"] = index
        people = [s for s in spans if s.kind == "person" and s.name]
        connectors, targets = ctx.connectors(), ctx.targets()
        for s in people:
            pid = s.ids[0] if s.ids else None
            before = self._before(text, s)
            if pid in targets or re.search(r"\b(to|with|meet(ing)?)\s*$", before, re.I):
                args.setdefault("to", s.name)
            elif pid in connectors or "via" not in args:
                args.setdefault("via", s.name)
            else:
                args.setdefault("to", s.name)
        return args

    def _smalltalk_args(self) -> None:  # pragma: no cover - smalltalk never calls a tool
        return None

    def describe(self, scored: Scored) -> str:
        return f"{scored.intent} ({scored.how}, {scored.score:.2f})"


def human_text(messages: Sequence[BaseMessage]) -> str:
    for msg in reversed(messages):
        if isinstance(msg, HumanMessage):
            return msg.content if isinstance(msg.content, str) else str(msg.content)
    return ""
