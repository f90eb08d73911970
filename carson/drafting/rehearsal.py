"""Call rehearsal: Carson plays the connector, the target or a gatekeeper, turn by turn.

A ``Rehearsal`` holds no terminal: the CLI, the agent's ``rehearse`` tool and the TUI
all drive it the same way::

    r = Rehearsal.start(store, via="John Jacobs", role="connector")
    print(r.opening)               # Carson picks up the phone
    print(r.reply("Hi John, …"))   # one seller line in, one Carson line out
    feedback = r.end()             # checkpoints, each with the seller's own words

A rehearsal that must outlive the process (``carson ask --session``) is saved as
``r.snapshot()`` (a ``RehearsalState``: who, when, and the transcript) and brought back
with ``Rehearsal.resume(store, state, brain=...)``, which replays the seller's lines
through the judge and keeps the persona's lines as they were said (a model is never
asked to say them again).

Offline, Carson's lines come from the persona files in ``prompts/rehearsal_*.md``; with
a brain (a LangChain chat model) the model speaks for the persona from the same facts.
Judging is deterministic either way, against the script's checkpoints: a clear ask,
the business reason, reciprocity offered, the next step confirmed, and (to a
connector) a check on how well they know the target, or (to the target or a
gatekeeper) naming the person who referred you.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from carson.drafting import _phrasing as ph
from carson.drafting import _templates
from carson.drafting import script as _script
from carson.drafting.facts import DraftFacts, first_name, gather
from carson.errors import CarsonError, UsageError
from carson.models import Person, TieContext
from carson.resolve import Resolver
from carson.store import Store

Role = Literal["connector", "target", "gatekeeper"]
ROLES: tuple[str, ...] = ("connector", "target", "gatekeeper")

_ASK = re.compile(
    r"\b(introduc\w*|intro\b|connect (me|us)|put (me|us) in touch|make the connection|"
    r"would you be (open|willing|comfortable)|could you (pass|forward|set up)|"
    r"(can|could) (i|we) (get|have|grab|book|set up) (a |some )?(time|call|meeting|\d+ minutes)|"
    r"\d+ minutes (with|of)|meet (with )?(him|her|them))",
    re.IGNORECASE,
)
_REASON = re.compile(
    r"\b(because|the reason|so that|that's why|we help|we've helped|we work with|we build|"
    r"help (them|him|her|their|teams?)|save|cut|reduce|fix|errors?|pains?|problems?|"
    r"headache|timing|renewal|payroll|costs?|why (him|her|them))\b",
    re.IGNORECASE,
)
_GIVE = re.compile(
    r"(return the favou?r|owe you|in return|repay|anything i can do|happy to (help|introduce|"
    r"intro|return)|how can i help you|let me know if i can|drinks? (are |is )?on me|"
    r"cover (a|one of your)|introduce you to|make an intro for you|share (what|our|the)|"
    r"i can (help|introduce|share|send you))",
    re.IGNORECASE,
)
_NEXT = re.compile(
    r"(i'?ll (send|email|forward|write|draft|follow up|call|put|book|drop)|i will (send|email|"
    r"follow up)|send (you|it|over)|by (monday|tuesday|wednesday|thursday|friday|tomorrow|"
    r"end of|the end)|next week|this week|does that work|sound good|shall i|calendar invite|"
    r"follow up (on|next|in))",
    re.IGNORECASE,
)
_KNOWS = re.compile(
    r"(how well do you know|still in touch|still close|are you (two )?close|do you (still )?"
    r"(talk|speak|see)|how do you know|how('s| is) .{0,20}doing|keep in touch)",
    re.IGNORECASE,
)


class RehearsalState(BaseModel):
    """A rehearsal in progress, as saved between turns (JSON in a session file)."""

    model_config = ConfigDict(extra="ignore")

    role: str
    via: str
    to: str
    via_id: int | None = None
    to_id: int | None = None
    reason: str | None = None
    """The business reason, only when the seller gave one."""
    now: datetime
    """When the rehearsal started: the persona's facts are as of then."""
    transcript: list[tuple[str, str]]
    """(speaker, line), starting with the persona's opening; the seller is "you"."""


class Checkpoint(BaseModel):
    """One thing a good ask does, whether the seller did it, and their own words."""

    name: str
    met: bool
    quote: str | None = None
    """The seller's line that met it (their own words)."""
    advice: str
    """What to say instead, from the script, when not met."""
    said: str | None = None
    """When not met: the seller's line where it belonged (their opener, their ask, their
    last line), so the advice is set against their own words."""


class Feedback(BaseModel):
    role: str
    via: str
    to: str
    checkpoints: list[Checkpoint]
    score: int
    out_of: int
    transcript: list[tuple[str, str]] = Field(default_factory=list)
    """(speaker, line): "you" or the persona's name."""

    def render(self) -> str:
        lines = [f"Rehearsal feedback ({self.role}: {self.via} → {self.to}): "]
        lines[0] += f"{self.score}/{self.out_of} checkpoints met"
        for c in self.checkpoints:
            if c.met:
                lines.append(f'  ✓ {c.name}: you said "{c.quote}"')
            elif c.said:
                lines.append(f'  ✗ {c.name}: you said "{c.said}"\n      {c.advice}')
            else:
                lines.append(f"  ✗ {c.name}: {c.advice}")
        return "\n".join(lines) + "\n"


@dataclass
class _State:
    turns: int = 0
    objection_raised: bool = False
    objection_answered: bool = False
    agreed: bool = False
    hits: dict[str, str] = field(default_factory=dict)


class Rehearsal:
    """A practice call, one seller line at a time."""

    def __init__(
        self, store: Store, facts: DraftFacts, role: str, brain: Any = None, *, now: datetime
    ) -> None:
        if role not in ROLES:
            raise UsageError(
                f'No rehearsal role "{role}".', "Choose connector, target or gatekeeper."
            )
        self.store = store
        self.facts = facts
        self.role = role
        self.brain = brain
        self.now = now
        self.persona = _templates.load(f"rehearsal_{role}")
        self.script = _script.compose(facts)
        self.transcript: list[tuple[str, str]] = []
        self.state = _State()
        self.done = False
        self._seed = ph.seed(facts.via.id, facts.to.id, role)
        self.speaker = {
            "connector": facts.via.name,
            "target": facts.to.name,
            "gatekeeper": f"{facts.to_first}'s assistant",
        }[role]
        self.opening = self._line("greet.when" if self._recent() else "greet")
        self.transcript.append((self.speaker, self.opening))

    # ----------------------------------------------------------------- set-up

    @classmethod
    def start(
        cls,
        store: Store,
        *,
        via: str | Person,
        role: str = "connector",
        to: str | Person | None = None,
        brain: Any = None,
        reason: str | None = None,
        now: datetime | None = None,
    ) -> Rehearsal:
        """Start a practice call: asking ``via`` about ``to`` (default: via's closest contact)."""
        resolver = Resolver(store)
        via_p = via if isinstance(via, Person) else resolver.person(via)
        to_p = to if to is None or isinstance(to, Person) else resolver.person(to)
        if to_p is None:
            to_p = _best_contact(store, via_p)
        facts = gather(store, via=via_p, to=to_p, reason=reason, now=now)
        return cls(store, facts, role, brain, now=facts.now)

    @classmethod
    def resume(cls, store: Store, state: RehearsalState, *, brain: Any = None) -> Rehearsal:
        """The rehearsal ``state`` was saved from, at the same turn.

        The seller's lines are judged again (offline, the persona's state advances exactly
        as it did); the persona's lines are kept as they were said, never regenerated.
        """
        via = store.get_person(state.via_id) if state.via_id is not None else None
        to = store.get_person(state.to_id) if state.to_id is not None else None
        try:
            r = cls.start(
                store,
                via=via or state.via,
                to=to or state.to,
                role=state.role,
                brain=brain,
                reason=state.reason,
                now=state.now,
            )
        except CarsonError as exc:
            raise UsageError(
                f"The rehearsal with {state.via} can't be resumed: {exc.message}",
                "Say /end to drop it, or start a new one.",
            ) from exc
        lines = list(state.transcript)
        if lines and lines[0][0] != "you":
            r.opening = lines[0][1]
            r.transcript = [lines.pop(0)]
        pending: str | None = None
        for speaker, line in lines:
            if speaker == "you":
                pending = line
            elif pending is not None:
                r._turn(pending, said=line)
                pending = None
        return r

    def snapshot(self) -> RehearsalState:
        """What ``resume`` needs to carry on from here."""
        f = self.facts
        return RehearsalState(
            role=self.role,
            via=f.via.name,
            to=f.to.name,
            via_id=f.via.id,
            to_id=f.to.id,
            reason=f.reason if f.reason_source == "user" else None,
            now=self.now,
            transcript=list(self.transcript),
        )

    def _recent(self) -> bool:
        return self.role == "connector" and ph.recency(self.facts) == "recent"

    def _values(self) -> dict[str, object]:
        f = self.facts
        v: dict[str, object] = {
            "me_first": f.me_first,
            "via_first": f.via_first,
            "to_first": f.to_first,
            "reason": f.reason,
            "how_reply": _how_reply(f),
            "to_title": f.to_job.title or "",
            "to_org": f.to_job.org_name or "",
        }
        when = ph.when(f)
        if when:
            v["when"] = when
        return {k: x for k, x in v.items() if k in self.persona.variables}

    def _line(self, key: str) -> str:
        if not self.persona.has(key):
            key = key.split(".")[0]
        self._seed += 1
        return self.persona.pick(key, self._seed, **self._values())

    # -------------------------------------------------------------- the turns

    def reply(self, seller_line: str) -> str:
        """Carson's answer to one line from the seller."""
        if self.done:
            raise UsageError("This rehearsal has ended.", "Start a new one to practise again.")
        return self._turn(seller_line)

    @property
    def last_line(self) -> str:
        """The persona's latest line (the one the seller answers next)."""
        return next((line for who, line in reversed(self.transcript) if who != "you"), "")

    def _turn(self, seller_line: str, *, said: str | None = None) -> str:
        """Judge one seller line and answer it; ``said`` replays an answer already given.

        If the answer fails (the model is unreachable) the call is as it was before the
        line, so the seller can say it again.
        """
        before = (len(self.transcript), replace(self.state, hits=dict(self.state.hits)), self._seed)
        line = " ".join(seller_line.split())
        self.transcript.append(("you", line))
        self.state.turns += 1
        try:
            new = self._judge(line)
            if self.brain is None:
                answer = self._offline_reply(new)  # also advances the persona's state on replay
            else:
                answer = said if said is not None else self._model_reply()
        except Exception:
            del self.transcript[before[0] :]
            self.state, self._seed = before[1], before[2]
            raise
        if said is not None:
            answer = said
        self.transcript.append((self.speaker, answer))
        return answer

    def _judge(self, line: str) -> set[str]:
        f = self.facts
        found: set[str] = set()
        names = {f.to_first.lower(), f.to.name.lower()}
        low = line.lower()
        mentions_to = any(n in low for n in names) or bool(
            re.search(r"\b(him|her|them|your boss)\b", low)
        )
        if _ASK.search(line) and (mentions_to or self.role != "connector"):
            found.add("clear ask")
        product_words = {w for w in re.findall(r"[a-z]{5,}", (f.product or "").lower())}
        if _REASON.search(line) or any(w in low for w in product_words):
            found.add("business reason")
        if _GIVE.search(line):
            found.add("reciprocity offered")
        if _NEXT.search(line):
            found.add("next step confirmed")
        if self.role == "connector":
            if _KNOWS.search(line) and mentions_to:
                found.add("checked the relationship")
        elif f.via_first.lower() in low:
            found.add("named the referral")
        new = {c for c in found if c not in self.state.hits}
        for c in new:
            self.state.hits[c] = line
        return new

    def _offline_reply(self, new: set[str]) -> str:
        st = self.state
        hits = st.hits
        if st.objection_raised and not st.objection_answered:
            st.objection_answered = True
        if "checked the relationship" in new and "clear ask" not in new:
            return self._line("knows")
        if "clear ask" in hits and "business reason" not in hits:
            return self._line("what")
        if "clear ask" in hits and not st.objection_raised:
            st.objection_raised = True
            stale = not ph.close_tie(self.facts) or self.role != "connector"
            return self._line("objection.stale" if stale else "objection.busy")
        if st.objection_answered and "next step confirmed" in hits and "clear ask" in hits:
            st.agreed = True
            return self._line("yes")
        if st.objection_answered and "clear ask" in hits:
            return self._line("need")
        if st.turns >= 2 and "clear ask" not in hits and self.role != "connector":
            return self._line("what")
        if st.turns == 1 and not new:
            return self._line("small")
        return self._line("filler")

    def _model_reply(self) -> str:
        from carson.drafting import _llm

        persona = self.persona.fill(self.persona.options("persona")[0], self._values())
        return _llm.persona_reply(self.brain, persona, self.facts, self.transcript)

    # ---------------------------------------------------------------- the end

    @property
    def checkpoint_names(self) -> list[str]:
        """What the feedback judges, in order."""
        first = "checked the relationship" if self.role == "connector" else "named the referral"
        return [first, "clear ask", "business reason", "reciprocity offered", "next step confirmed"]

    def _ask_example(self, script_ask: str) -> str:
        """The script's ask is to the connector; the target or a gatekeeper is asked for time."""
        to = self.facts.to_first
        if self.role == "target":
            return f'"Would you have 20 minutes next week for a call, {to}?"'
        if self.role == "gatekeeper":
            return f'"Could you help me find 20 minutes on {to}\'s calendar next week?"'
        return script_ask

    def end(self) -> Feedback:
        """Finish and judge the seller's lines against the script's checkpoints."""
        self.done = True
        cp = self.script.checkpoints
        f = self.facts
        advice = {
            "clear ask": f"Ask plainly, e.g. {self._ask_example(cp['clear ask'])}",
            "business reason": f"Give the reason in one sentence, e.g. {cp['business reason']}",
            "reciprocity offered": f"Offer something back, e.g. {cp['reciprocity offered']}",
            "next step confirmed": f"Confirm who does what next, e.g. {cp['next step confirmed']}",
            "checked the relationship": (
                f'Before asking, check how well {f.via_first} knows {f.to_first}: "How well '
                f'do you know {f.to_first} these days?"'
            ),
            "named the referral": (
                f'Open with the referral: "{f.via_first} suggested I get in touch."'
            ),
        }
        hits = self.state.hits
        checkpoints = [
            Checkpoint(
                name=n,
                met=n in hits,
                quote=hits.get(n),
                advice=advice[n],
                said=None if n in hits else self._where_it_belonged(n),
            )
            for n in self.checkpoint_names
        ]
        return Feedback(
            role=self.role,
            via=f.via.name,
            to=f.to.name,
            checkpoints=checkpoints,
            score=sum(c.met for c in checkpoints),
            out_of=len(checkpoints),
            transcript=list(self.transcript),
        )

    def _where_it_belonged(self, checkpoint: str) -> str | None:
        """The seller's line a missed checkpoint belonged in: the opener for checking the
        relationship (or naming the referral), the last line for the next step, and the
        ask (or the line closest to one) for the rest."""
        seller = [line for who, line in self.transcript if who == "you"]
        if not seller:
            return None
        if checkpoint in ("checked the relationship", "named the referral"):
            return seller[0]
        if checkpoint == "next step confirmed":
            return seller[-1]
        if "clear ask" in self.state.hits:
            return self.state.hits["clear ask"]
        f = self.facts
        names = (f.to_first.lower(), f.to.name.lower())
        return next(
            (x for x in seller if any(n in x.lower() for n in names) or _ASKISH.search(x)),
            None,
        )


_ASKISH = re.compile(r"\b(need|want|get|meet|meeting|intro\w*|connect|call|ask)\b", re.I)


def _how_reply(f: DraftFacts) -> str:
    """The connector's own words about the target, from the tie (first person)."""
    how = ph.how_they_know(f)
    if how is None:
        return f"I know {f.to_first} a little, but not well."
    mine = how.replace(f"you and {f.to_first}", f"{f.to_first} and I", 1)
    mine = mine.replace("you're", "I'm", 1)
    mine = mine.replace("you've", "I've", 1).replace("you know", "I know", 1)
    mine = mine[0].upper() + mine[1:]
    return f"{mine}." if ph.close_tie(f) else f"{mine}, but we're not close."


def _best_contact(store: Store, via: Person) -> Person:
    """Whom ``via`` could introduce the seller to: their closest tie outside the team."""
    assert via.id is not None
    me = store.me()
    rank = {c: i for i, c in enumerate(TieContext)}
    best: tuple[tuple[int, float], int] | None = None
    for tie in store.ties(person_id=via.id):
        other = tie.b if tie.a == via.id else tie.a
        person = store.get_person(other)
        if person is None or person.is_me or person.is_team or (me and other == me.id):
            continue
        key = (
            _CONTEXT_ORDER.index(tie.context) if tie.context in _CONTEXT_ORDER else len(rank),
            -(tie.strength or 0.0),
        )
        if best is None or key < best[0]:
            best = (key, other)
    if best is None:
        raise UsageError(
            f"{via.name} has no contacts in your map to practise an introduction to.",
            'Name the target with --to "…".',
        )
    person = store.get_person(best[1])
    assert person is not None
    return person


_CONTEXT_ORDER = [
    TieContext.roommate,
    TieContext.family,
    TieContext.friend,
    TieContext.classmate,
    TieContext.colleague,
    TieContext.client,
    TieContext.teammate,
    TieContext.acquaintance,
    TieContext.met_once,
    TieContext.co_attendee,
    TieContext.co_recipient,
    TieContext.linkedin,
]

__all__ = ["ROLES", "Checkpoint", "Feedback", "Rehearsal", "RehearsalState", "first_name"]
