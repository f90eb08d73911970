"""A conversation: the brain, the tools, the history and a running rehearsal, for any face.

    conv = Conversation(settings, store, model=None, session="deal-gs")
    result = conv.ask("quickest way into Goldman Sachs?", on_token=print)
    result.answer, result.tool_calls

The CLI (``carson ask``), the chat and the evals all go through this class, so they
share one loop. With ``session`` the history is loaded from and saved to the data home.

Rehearsal: when the brain calls the ``rehearse`` tool, the conversation keeps the
practice call running. From then on each message is the seller's line and the persona
answers in character (offline from the persona files, or spoken by the model brain),
until an end phrasing (``/end``, "end the rehearsal", "how did I do?") returns the
feedback; a message starting with "Carson," is an aside to the agent and the call goes
on after it (``carson.agent.planner.rehearsal`` has the wording). The running rehearsal
is saved with the session, so ``carson ask -s NAME`` carries it across processes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from carson.agent.brains import brain_spec, make_brain, make_planner
from carson.agent.loop import Agent, OnToken, TurnResult
from carson.agent.planner import rehearsal as wording
from carson.agent.safety import strip_control
from carson.agent.session import Session
from carson.config import Settings
from carson.errors import CarsonError
from carson.store import Store
from carson.tools import ToolContext

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from carson.drafting.rehearsal import Rehearsal


class Conversation:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        model: str | None = None,
        session: str | None = None,
        brain: BaseChatModel | Any | None = None,
    ) -> None:
        """``brain`` stands in for the configured one (a scripted model in tests)."""
        self.settings = settings
        self.store = store
        ctx = ToolContext(store, settings)
        if brain is None:
            self.kind, self.model_name = brain_spec(settings, model)
            brain = make_brain(settings, store, model=model, resolver=ctx.resolver)
        else:
            self.kind = "offline" if _is_offline(brain) else "model"
            self.model_name = getattr(brain, "model_name", None) or type(brain).__name__
        self.agent = Agent(
            brain,
            ctx,
            fallback=(lambda: make_planner(store, resolver=ctx.resolver))
            if self.kind != "offline"
            else None,
        )
        self.session = Session(settings.home, session) if session else None
        self.history: list[BaseMessage] = []
        self.rehearsal: Rehearsal | None = None
        """The practice call in progress, if any: messages go to it until the end."""
        self._notice: str | None = None
        if self.session is not None:
            saved = self.session.read()
            self.history = saved.messages
            if saved.rehearsal is not None:
                self._restore(saved.rehearsal)

    @property
    def brain_label(self) -> str:
        if self.kind == "offline":
            return "offline"
        return f"{'openai' if self.kind == 'openai' else 'model'}:{self.model_name}"

    # ------------------------------------------------------------------ turns

    def ask(self, text: str, *, on_token: OnToken | None = None) -> TurnResult:
        """One message: a question for the agent, or, while rehearsing, a line in the call."""
        if self.rehearsal is not None and self.rehearsal.done:
            self.rehearsal = None  # ended by whoever took it over (the chat's screen)
        if wording.is_end(text):
            result = self._end(text)
        elif self.rehearsal is not None:
            question = wording.aside(text)
            if question is None:
                result = self._line(text)
            else:
                result = self._agent_turn(question, on_token, aside=True)
        else:
            result = self._agent_turn(text, on_token)
        if self._notice:
            result.notice = " ".join(filter(None, (self._notice, result.notice)))
            self._notice = None
        self._save()
        return result

    def take_rehearsal(self) -> Rehearsal | None:
        """Hand the running rehearsal to a face that drives it itself (the chat's rehearsal
        screen); the conversation stops routing messages to it."""
        r, self.rehearsal = self.rehearsal, None
        self._save()
        return r

    def _agent_turn(
        self, text: str, on_token: OnToken | None, *, aside: bool = False
    ) -> TurnResult:
        result = self.agent.run(text, self.history, on_token=on_token)
        self.history.extend(result.messages)
        sessions = [
            getattr(run.value, "session", None)
            for run in result.tool_calls
            if run.name == "rehearse"
        ]
        started: Rehearsal | None = next((s for s in reversed(sessions) if s is not None), None)
        extra = ""
        if started is not None:
            started.brain = self.persona_brain()
            self.rehearsal = started
            if started.opening not in result.answer:
                extra += f'\n\n{started.speaker}: "{started.opening}"'
            if "/end" not in result.answer:
                from carson.tools.drafts import NEXT_STEP

                extra += "\n" + NEXT_STEP.format(speaker=started.speaker)
        elif aside and self.rehearsal is not None:
            extra = (
                f"\n\n(Still rehearsing: your next message goes to {self.rehearsal.speaker}; "
                "/end for feedback.)"
            )
        if extra:
            if on_token is not None:
                on_token(extra)
            result.answer += extra
        result.rehearsal = self._state()
        return result

    def _line(self, text: str) -> TurnResult:
        r = self.rehearsal
        assert r is not None
        line = r.reply(text)
        return TurnResult(f"{r.speaker}: {strip_control(line)}", rehearsal=self._state())

    def _end(self, text: str) -> TurnResult:
        r, self.rehearsal = self.rehearsal, None
        if r is None:
            answer = wording.no_rehearsal_reply()
            return TurnResult(answer, messages=self._note(text, answer))
        feedback = r.end()
        answer = feedback.render().rstrip()
        return TurnResult(answer, messages=self._note(text, answer), feedback=feedback)

    def _note(self, text: str, answer: str) -> list[BaseMessage]:
        """Record an exchange that did not go through the brain (it sees it next turn)."""
        added: list[BaseMessage] = [HumanMessage(content=text), AIMessage(content=answer)]
        self.history.extend(added)
        return added

    # -------------------------------------------------------------- rehearsal

    def persona_brain(self) -> Any:
        """The model that speaks for the persona, or None for the offline persona files."""
        if self.kind == "offline":
            return None
        brain = self.agent.wording or self.agent.brain  # the model, even after a fallback
        return None if _is_offline(brain) else brain

    def _state(self) -> dict[str, Any] | None:
        r = self.rehearsal
        if r is None:
            return None
        return {
            "role": r.role,
            "via": r.facts.via.name,
            "to": r.facts.to.name,
            "speaker": r.speaker,
            "line": r.last_line,
            "turns": r.state.turns,
        }

    def _restore(self, data: dict[str, Any]) -> None:
        from pydantic import ValidationError

        from carson.drafting.rehearsal import Rehearsal, RehearsalState

        try:
            state = RehearsalState.model_validate(data)
            self.rehearsal = Rehearsal.resume(self.store, state, brain=self.persona_brain())
        except (ValidationError, CarsonError) as exc:
            reason = exc.message if isinstance(exc, CarsonError) else "its saved state is damaged"
            self._notice = f"The rehearsal saved in this session was dropped: {reason}"

    def _save(self) -> None:
        if self.session is None:
            return
        state = self.rehearsal.snapshot().model_dump(mode="json") if self.rehearsal else None
        self.session.save(self.history, rehearsal=state)


def _is_offline(brain: Any) -> bool:
    """The offline planner (either form), told apart without importing it."""
    return type(brain).__name__ in ("OfflineBrain", "PlannerChatModel")
