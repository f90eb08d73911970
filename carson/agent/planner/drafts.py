"""Arguments for the steps that need both ends of an intro: drafts, rehearsals, outcomes.

Who is the connector (``via``) and who the target (``to``) comes from the wording first,
then from the routes last shown, then from position in the sentence.
"""

from __future__ import annotations

import re
from typing import Any

from carson.agent.planner.args import LookupSteps
from carson.agent.planner.context import Context
from carson.agent.planner.slots import Span
from carson.agent.planner.words import OUTCOMES, PRONOUN, TO_BEFORE, VIA_BEFORE


class IntroSteps(LookupSteps):
    """Argument extraction for draft_intro_email, draft_phone_script, rehearse, log_outcome."""

    def _roles(self, text: str, spans: list[Span], ctx: Context) -> tuple[str | None, str | None]:
        """Who is the connector (via) and who the target (to), from wording and context."""
        people = [s for s in spans if s.kind == "person" and s.name]
        connectors, targets = ctx.connectors(), ctx.targets()
        roles: dict[int, str] = {}
        # explicit wording first: "via John", "John can introduce", "intro to Harry"
        for n, s in enumerate(people):
            before = self._before(text, s)
            after = text[s.end : s.end + 30]
            if re.match(r"\s*(->|→|=>|>)\s*\S", after):  # "Carlos Mendez -> Olivia Grant"
                roles[n] = "via"
            elif re.search(r"(->|→|=>|>)\s*$", before):
                roles[n] = "to"
            elif VIA_BEFORE.search(before) or re.match(
                r"\s+(can|could|to) (intro|introduce|connect)|\s+for an? intro|"
                r"\s+(to |and )?(ask(ing)?|request(ing)?|get(ting)?)\b[\w\s]{0,14}\bintro",
                after,
                re.I,
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
            same = next((roles[m] for m in sorted(roles) if people[m].name == s.name), None)
            if same is not None:  # named twice ("Sarah Lee … a note to Sarah asking her …")
                roles[n] = same
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
            r"\b(?:because|reason:?|the reason is|to (?:discuss|talk about|pitch|show them)|"
            r"mention(?: that)?|(?:and )?say(?: that)?|point out(?: that)?)\s+(.+?)[.?!]*$"
            # "… — we help banks reconcile payroll": what the seller's company does
            r"|(?:^|[—–;:,.]|\s-)\s*((?:we|our (?:team|product|company))(?:'ve| have)? (?:just )?"
            r"(?:help|helps|launched|shipped|built|build|make|offer|cut|save|reduce|automate)\b"
            r".+?)[.?!]*$",
            text,
            re.I,
        )
        if m:
            args["reason"] = (m.group(1) or m.group(2)).strip()
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
        elif (
            re.search(r"\b(the target|as the target|play the prospect|the buyer)\b", t)
            or (people and people[0].ids and people[0].ids[0] in ctx.targets())
            # "pitching Olivia once Carlos connects us": the call after the intro
            or any(re.search(r"\bpitch(ing)?\s*$", self._before(text, s), re.I) for s in people)
            or (
                len({s.name for s in people}) > 1
                and any(self._MAKES_INTRO.match(text[s.end : s.end + 40]) for s in people)
            )
        ):
            args["role"] = "target"
        index = self._route_index(text, ctx)
        if index is not None and not people:  # "rehearse route 2": its connector and target
            args["route_index"] = index
            return args
        if args["role"] == "connector":
            via, to = self._roles(text, spans, ctx)
            if to and to != via and not ctx.targets():  # "my ask to John about Harry"
                args["to"] = to
        else:
            via = next((s.name for s in people if self._connector_of(text, s, ctx)), None)
            # With no routes on screen, the persona is named: "rehearse with Harry's assistant".
            to = next((s.name for s in people if s.name != via), None)
            if to and not ctx.targets():
                args["to"] = to
        if via:
            args["via"] = via
        return args

    _PERSONA_AFTER = re.compile(
        r"^(['’]s)?\s+(as|is|being|plays?|will be)\s+(the\s+)?(target|prospect|buyer|"
        r"gatekeeper|assistant)|^['’]s\s+(assistant|ea|pa|gatekeeper|secretary|receptionist|"
        r"office|front desk)|^,?\s+(he|she|they)(['’]s| is| are)\s+the\s+(target|prospect|buyer)",
        re.I,
    )
    _PERSONA_BEFORE = re.compile(
        r"\b(pretend(ing)? to be|play(ing)?|be|act(ing)? as|role-?play(ing)?|as)\s*$", re.I
    )
    _MAKES_INTRO = re.compile(
        r"^\s+((is|['’]s|will|would|can|could|['’]ll|is going to)\s+([\w']+\s+){0,3}?"
        r"(making|doing|make|do|intro(ducing)?|introduce|connecting|connect)|"
        r"(made|did|set up|arranged|makes|does|sets up)\s+the\s+intro|"
        r"(puts?|will put|put) us in touch|connects? us|introduced us|introduces us)\b",
        re.I,
    )
    _YOU_PLAY = re.compile(
        r"\byou(['’]ll| will| can| could)? (play|be|are|act as|take)\b|\byou['’]re\b"
    )

    def _connector_of(self, text: str, s: Span, ctx: Context) -> bool:
        """In a rehearsal where Carson plays the target or gatekeeper, ``s`` is the connector
        ("rehearse with John, but you play the target", "John is making the intro"), not
        the persona ("Harry as the target", "Harry's assistant", "pretend to be Harry")."""
        before, after = self._before(text, s), text[s.end : s.end + 40]
        pid = s.ids[0] if s.ids else None
        if pid is not None and pid in ctx.targets():
            return False
        if self._PERSONA_AFTER.match(after) or self._PERSONA_BEFORE.search(before):
            return False
        if pid is not None and pid in ctx.connectors():
            return True
        return bool(
            VIA_BEFORE.search(before)
            or self._MAKES_INTRO.match(after)
            or (re.search(r"\bwith\s*$", before, re.I) and self._YOU_PLAY.search(text))
        )

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
