"""From a request (and the conversation so far) to tool calls, or a question back.

``Planner.plan(text, history)`` returns a :class:`Plan`: the tool calls to make (name and
arguments, names resolved to the store's canonical spelling) or a reply when it must ask
("did you mean …?"). Context comes from the conversation itself: the previous tool calls
and the routes last shown, so a saved session resumes exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from langchain_core.messages import BaseMessage, HumanMessage

from carson.agent.planner.context import Call, Context, Plan
from carson.agent.planner.drafts import IntroSteps
from carson.agent.planner.intents import IntentClassifier, Scored, rule_intent
from carson.agent.planner.rehearsal import is_end, no_rehearsal_reply
from carson.agent.planner.scope import OUT_OF_SCOPE, act_or_off_topic, out_of_scope
from carson.agent.planner.slots import Gazetteer, Span
from carson.agent.planner.words import FOLLOW_UP, PRONOUN, TEAM
from carson.agent.prompts import load_prompt
from carson.resolve import Resolver
from carson.store import Store

__all__ = ["Call", "Context", "Plan", "Planner", "human_text"]


_WHEN = re.compile(
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
    r"june|july|august|september|october|november|december|christmas|easter|thanksgiving)\b",
    re.I,
)
"""Capitalised words that name a day, not a person ("a call set for Friday")."""


class Planner(IntroSteps):
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
        refused = act_or_off_topic(text)
        if refused is not None:
            return Plan(reply=refused, intent="smalltalk", how="out-of-scope")
        spans = self.gaz.scan(text, ctx.route_people())
        masked = self._mask(text, spans)
        follow = self._refine_routes(text, masked, spans, ctx) or self._follow_up(
            text, masked, spans, ctx
        )
        if follow is not None:
            return follow
        scored = self.classifier.classify(masked)
        intent = scored.intent
        if intent == "smalltalk":
            if scored.how != "rule" and out_of_scope(masked, scored):  # "capital of France?"
                return Plan(reply=OUT_OF_SCOPE, intent=intent, how="out-of-scope")
            return Plan(reply=self._smalltalk(text), intent=intent, how=scored.how)
        unresolved = [s for s in spans if not s.resolved]
        if unresolved:
            return Plan(reply=self._did_you_mean(unresolved[0]), intent=intent, how="unresolved")
        unknown = self._unknown_name(text, spans, intent)
        if unknown is not None:
            return Plan(reply=unknown, intent=intent, how="unknown")
        about_them = PRONOUN.search(text) and ctx.last_person  # "who is he?"
        if not (spans or about_them) and out_of_scope(masked, scored):
            return Plan(reply=OUT_OF_SCOPE, intent="smalltalk", how="out-of-scope")
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
            several = "people" if span.kind == "person" else "companies"
            return f'"{span.text}" could be several {several} in your network: {quoted}?'
        return load_prompt("did_you_mean").render(
            kind=kind,
            name=span.text,
            suggestions=" or ".join(f'"{s}"' for s in span.suggestions[:3]),
        )

    _CANDIDATE = re.compile(
        r"\b(?P<cue>into|at|in at|to|reach|meet|know|about|is|via|through|with|for)\s+"
        r"(?P<name>(?:[A-Z][\w&'’.-]*)(?:\s+(?:[A-Z][\w&'’.-]*|&|of)){0,3})"
    )

    def _unknown_name(self, text: str, spans: list[Span], intent: str) -> str | None:
        """A capitalised name in a slot position that matched nothing: say so, never guess."""
        if intent in ("log_note", "smalltalk", "search_notes", "reconnect_suggestions"):
            return None
        covered = [(s.start, s.end) for s in spans]
        for m in self._CANDIDATE.finditer(text):
            start, end = m.span("name")
            if any(a <= start < b or a < end <= b for a, b in covered):
                continue
            if intent != "find_routes" and m.group("cue") in ("at", "in at", "into"):
                continue  # "roomed with Harry at Cornell": a place, not someone to find
            phrase = m.group("name").strip(" .?!,")
            words = phrase.split()
            if not words or words[0].lower() in ("i", "me", "my", "the", "carson"):
                continue
            if re.fullmatch(r"(VP|CFO|CEO|COO|CTO|MD|HR|EA|Q\d)s?", words[0]) or _WHEN.match(
                phrase
            ):
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
            "I'm Carson, your relationship GPS. I can help with warm routes into companies and "
            "people, your notes, intro emails, phone scripts and call rehearsals. "
            "Try: \"what's the quickest way into Goldman "
            'Sachs?", "how do I know Harry Smith?", "draft the email for the second route", '
            '"let\'s rehearse the call", "who should I reconnect with?", or "note that …".'
        )

    def _refine_routes(
        self, text: str, masked: str, spans: list[Span], ctx: Context
    ) -> Plan | None:
        """After routes, a short request that only changes them: "same but leave out Derek",
        "show me 10 of them", "only VPs", "now within 2 hops". The last call, re-run with the
        change (exclusions add up); "what about X, without Y" moves it to a new target."""
        last = ctx.last
        if last is None or last.name != "find_routes" or len(masked.split()) > 12:
            return None
        if rule_intent(masked) not in (None, "find_routes") or any(not s.resolved for s in spans):
            return None
        excluded = self._excluded(text, spans)
        options = self._route_options(text)
        if not excluded and not options:
            return None
        args = dict(last.args)
        targets = [s for s in spans if s not in excluded]
        if targets and not FOLLOW_UP.match(text):
            return None  # "top 3 routes into Stripe": a new question, not a change
        if targets:
            args.pop("target_company", None)
            args.pop("target_person", None)
            key = "target_company" if targets[0].kind == "org" else "target_person"
            args[key] = targets[0].name
        args.update(options)
        if "target_person" in args:
            args.pop("title_filter", None)
        if excluded:
            names = [str(s.name) for s in excluded]
            args["exclude"] = list(dict.fromkeys([*args.get("exclude", []), *names]))
        return Plan(
            calls=[Call("find_routes", self._order(args))], intent="find_routes", how="follow-up"
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

    def _smalltalk_args(self) -> None:  # pragma: no cover - smalltalk never calls a tool
        return None

    def describe(self, scored: Scored) -> str:
        return f"{scored.intent} ({scored.how}, {scored.score:.2f})"


def human_text(messages: Sequence[BaseMessage]) -> str:
    for msg in reversed(messages):
        if isinstance(msg, HumanMessage):
            return msg.content if isinstance(msg.content, str) else str(msg.content)
    return ""
