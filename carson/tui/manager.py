"""The chat's manager: drives the agent and hands back plain structures to render.

Screens and widgets only display; everything the chat *does* goes through
``ChatManager``. It never imports Textual, so it can be driven from a test or a script,
and its slow methods are safe to call from a worker thread (one at a time).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from carson import locations
from carson.config import Settings
from carson.errors import CarsonError, UsageError
from carson.models import Draft, DraftKind, Route
from carson.store import meta

if TYPE_CHECKING:
    from carson.drafting.rehearsal import Feedback

TokenFn = Callable[[str], None]
"""Called with each streamed piece of the answer (LLM brains stream token by token)."""
ToolFn = Callable[[str], None]
"""Called with a tool's name as the agent starts running it (drives "thinking…")."""

SLASH_COMMANDS: dict[str, str] = {
    "/routes": "/routes COMPANY: warm routes into a company (or /routes @Person)",
    "/draft": "/draft [N]: intro-request email for route N (default 1)",
    "/call": "/call [N]: phone script for route N",
    "/rehearse": "/rehearse [N] [connector|target|gatekeeper]: practise the call",
    "/end": "/end: finish a rehearsal and get feedback",
    "/note": "/note TEXT: record a note (people named are linked)",
    "/reconnect": "/reconnect: who is overdue for a check-in, with an opener",
    "/give": "/give [NAME]: introductions you could make (for NAME)",
    "/model": "/model NAME: switch brain (offline, openai:gpt-4o-mini, …)",
    "/clear": "/clear: clear the conversation",
    "/help": "/help: every key binding and command",
}

PICK_HINT = "Pick a route: `e` email · `c` call script · `r` rehearse · `enter` details."
_NO_REHEARSAL = "No rehearsal is running."

ROLES = ("connector", "target", "gatekeeper")


@dataclass(frozen=True)
class Status:
    """What the status bar shows."""

    brain: str
    home: str
    people: int = 0
    organizations: int = 0
    ties: int = 0
    notes: int = 0
    last_import: str | None = None
    """The date of the last import (YYYY-MM-DD), if any."""


@dataclass(frozen=True)
class ErrorInfo:
    """A readable error for the chat: never a traceback."""

    title: str
    message: str
    hint: str | None = None

    @classmethod
    def of(cls, exc: BaseException) -> ErrorInfo:
        if isinstance(exc, CarsonError):
            return cls(exc.title, exc.message, exc.hint)
        return cls(
            "Something went wrong",
            f"{type(exc).__name__}: {exc}".strip(": "),
            "Try again; run `carson --debug` to see the details.",
        )


@dataclass(frozen=True)
class RehearsalTurn:
    """A line Carson speaks in character."""

    speaker: str
    text: str


class RehearsalSession(Protocol):
    """What the chat needs from a rehearsal (``carson.drafting.Rehearsal``)."""

    speaker: str
    """Who Carson plays, e.g. "John Jacobs"."""
    role: str
    """connector, target or gatekeeper."""
    opening: str
    """The persona's first line."""

    def reply(self, line: str) -> str: ...

    def end(self) -> Feedback: ...


@dataclass
class AgentTurn:
    answer: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    streamed: bool = False
    """True when the answer already arrived through ``on_token``."""


class Engine(Protocol):
    """The agent as the chat sees it: a conversational turn, or one named tool."""

    def turn(self, text: str, *, on_token: TokenFn | None, on_tool: ToolFn | None) -> AgentTurn: ...

    def call(self, tool: str, args: dict[str, Any]) -> Any: ...

    def set_model(self, model: str) -> str: ...

    def rehearsal(self, result: Any) -> RehearsalSession:
        """The practice call a ``rehearse`` tool result started, for the rehearsal screen."""
        ...


@dataclass
class Reply:
    """Everything one user entry produced, for the screens to render."""

    text: str = ""
    """Markdown to show as Carson's message (empty when it was streamed)."""
    streamed: bool = False
    routes: list[Route] = field(default_factory=list)
    draft: Draft | None = None
    rehearsal: RehearsalTurn | None = None
    """Set when a rehearsal started: the persona's opening line."""
    feedback: Feedback | None = None
    error: ErrorInfo | None = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    action: str | None = None
    """A UI action the entry asked for: ``"clear"`` or ``"help"``."""


def _date_of(last: dict[str, Any] | None) -> str | None:
    return str(last["at"])[:10] if last else None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "draft"


class ChatManager:
    """Drives the agent for one chat session and keeps its state (routes, rehearsal)."""

    def __init__(self, settings: Settings, *, engine: Engine | None = None) -> None:
        self.settings = settings
        self._engine = engine
        self._engine_lock = threading.Lock()
        self._store: Any = None
        self.routes: list[Route] = []
        """The routes of the last route answer; ``route_index`` counts from 1 into these."""
        self.rehearsal: RehearsalSession | None = None
        self.brain = settings.brain

    # ----------------------------------------------------------------- loading

    @property
    def store(self) -> Any:
        if self._store is None:
            from carson.store import Store

            self._store = Store(self.settings.home, lock_timeout=self.settings.lock_timeout)
        return self._store

    def status(self) -> Status:
        """Counts and the last import date (opens the store on first use)."""
        c = self.store.counts()
        return Status(
            brain=self.brain,
            home=str(self.settings.home),
            people=c.people,
            organizations=c.organizations,
            ties=c.ties,
            notes=c.notes,
            last_import=_date_of(meta.last_import(self.store)),
        )

    @property
    def engine(self) -> Engine:
        with self._engine_lock:
            if self._engine is None:
                from carson.tui._engine import make_engine

                self._engine = make_engine(self.settings, self.store)
                self.brain = str(getattr(self._engine, "label", self.brain))
        return self._engine

    def warm(self) -> None:
        """Load the agent and its models (slow imports) ahead of the first question."""
        _ = self.engine

    def nudge(self, k: int = 3) -> str | None:
        """Who is overdue for a check-in, as one line for the chat's opening (or None).

        Run straight on the store, not through the conversation: the seller did not ask,
        so it is no turn of theirs for a follow-up to refer to."""
        from carson.tools import ToolContext, run_tool

        run = run_tool(ToolContext(self.store, self.settings), "reconnect_suggestions", {"k": k})
        people = run.result.get("suggestions") if run.ok else None
        if not people:
            return None
        names = [f"**{p['name']}** ({p['relationship']}, {_since(p)})" for p in people]
        return (
            "Worth a check-in before you need them: "
            + ", ".join(names)
            + ". Ask *who should I reconnect with?* for openers."
        )

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # ------------------------------------------------------------------ turns

    def handle(
        self, text: str, *, on_token: TokenFn | None = None, on_tool: ToolFn | None = None
    ) -> Reply:
        """One entry from the prompt: a slash command, a rehearsal line, or a question."""
        text = text.strip()
        try:
            if text.startswith("/"):
                return self._command(text, on_tool=on_tool)
            turn = self.engine.turn(text, on_token=on_token, on_tool=on_tool)
            return self._reply_of(turn)
        except CarsonError as exc:
            return Reply(error=ErrorInfo.of(exc))
        except Exception as exc:  # the app keeps running; the message says what failed
            return Reply(error=ErrorInfo.of(exc))

    def _reply_of(self, turn: AgentTurn) -> Reply:
        reply = Reply(text=turn.answer, streamed=turn.streamed, tool_calls=turn.tool_calls)
        self._read_calls(turn, reply)
        if (reply.routes or reply.draft or reply.rehearsal) and not reply.streamed:
            # The cards and screens show the details: keep the answer's lead line.
            lead = reply.text.strip().split("\n", 1)[0].rstrip(":")
            if reply.routes and "`e`" not in lead:
                lead = lead.rstrip(".") + f".\n\n{PICK_HINT}"
            reply.text = lead
        return reply

    def _read_calls(self, turn: AgentTurn, reply: Reply) -> None:
        for call in turn.tool_calls:
            result = call.get("result")
            name = call.get("name")
            if name in ("find_routes", "how_do_i_know"):
                routes = routes_of(result)
                if routes:
                    self.routes = routes
                    reply.routes = routes
            elif name in ("draft_intro_email", "draft_phone_script"):
                reply.draft = draft_of(result) or reply.draft
            elif name == "rehearse" and result is not None and call.get("ok", True):
                session = self.engine.rehearsal(result)
                self.rehearsal = session
                reply.rehearsal = RehearsalTurn(session.speaker, session.opening)

    def _command(self, text: str, *, on_tool: ToolFn | None) -> Reply:
        name, _, rest = text.partition(" ")
        rest = rest.strip()
        name = name.lower()
        if name == "/help":
            return Reply(action="help")
        if name == "/clear":
            self.routes = []
            return Reply(action="clear")
        if name == "/routes":
            if not rest:
                raise UsageError(
                    "Say where to go.", "e.g. /routes Goldman Sachs, or /routes @Harry Smith"
                )
            args: dict[str, Any] = (
                {"target_person": rest[1:].strip()}
                if rest.startswith("@")
                else {"target_company": rest}
            )
            return self._tool("find_routes", args, on_tool)
        if name in ("/draft", "/call"):
            return self.draft(DraftKind.email if name == "/draft" else DraftKind.call, _index(rest))
        if name == "/rehearse":
            words = rest.split()
            role = next((w for w in words if w.lower() in ROLES), "connector").lower()
            index = next((int(w) for w in words if w.isdigit()), None)
            return self.start_rehearsal(role=role, route_index=index)
        if name == "/end":
            return Reply(feedback=self.end_rehearsal())
        if name == "/note":
            if not rest:
                raise UsageError("A note needs some text.", "e.g. /note Harry is hiring a CFO")
            return self._tool("log_note", {"text": rest}, on_tool)
        if name == "/reconnect":
            return self._tool("reconnect_suggestions", {}, on_tool)
        if name == "/give":
            return self._tool("help_first", {"person": rest} if rest else {}, on_tool)
        if name == "/model":
            if not rest:
                return Reply(text=f"The active brain is **{self.brain}**.")
            self.brain = self.engine.set_model(rest)
            return Reply(text=f"Switched the brain to **{self.brain}**.")
        raise UsageError(
            f"There is no {name} command.", "Type /help to see the commands and key bindings."
        )

    def _tool(self, tool: str, args: dict[str, Any], on_tool: ToolFn | None) -> Reply:
        if on_tool is not None:
            on_tool(tool)
        result = self.engine.call(tool, args)
        turn = AgentTurn(
            answer=_tool_text(tool, result),
            tool_calls=[{"name": tool, "args": args, "result": result}],
        )
        return self._reply_of(turn)

    # ----------------------------------------------------------------- drafts

    def _route_args(self, route_index: int | None) -> dict[str, Any]:
        if not self.routes:
            raise UsageError(
                "There is no route to draft for yet.",
                "Ask for routes first, e.g. “quickest way into Goldman Sachs?”",
            )
        index = route_index or 1
        if not 1 <= index <= len(self.routes):
            raise UsageError(
                f"There is no route {index}: the last answer had {len(self.routes)}.",
                f"Pick a route from 1 to {len(self.routes)}.",
            )
        return {"route_index": index}

    def draft(self, kind: DraftKind, route_index: int | None = None) -> Reply:
        """An intro email (or phone script) for route ``route_index`` of the last answer."""
        tool = "draft_intro_email" if kind == DraftKind.email else "draft_phone_script"
        return self._tool(tool, self._route_args(route_index), None)

    def redraft(self, draft: Draft) -> Draft:
        """The same draft composed again (for "regenerate")."""
        tool = "draft_intro_email" if draft.kind == DraftKind.email else "draft_phone_script"
        args: dict[str, Any] = {"via": draft.via, "to": draft.to}
        if draft.kind == DraftKind.email and draft.reason:
            args["reason"] = draft.reason
        result = draft_of(self.engine.call(tool, args))
        if result is None:
            raise CarsonError("The draft could not be composed again.", "Try again.")
        return result

    def save_draft(self, draft: Draft, text: str) -> Path:
        """Write the (possibly edited) draft text under the data home; returns the path."""
        folder = locations.drafts_dir(self.settings.home)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"{draft.kind}-{_slug(draft.via)}-{_slug(draft.to)}-{stamp}.md"
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        return path

    # -------------------------------------------------------------- rehearsal

    def start_rehearsal(self, *, role: str = "connector", route_index: int | None = None) -> Reply:
        index = self._route_args(route_index)["route_index"]
        return self._tool("rehearse", {"role": role, "route_index": index}, None)

    def rehearsal_reply(self, line: str) -> RehearsalTurn:
        if self.rehearsal is None:
            raise UsageError(_NO_REHEARSAL, "Start one with /rehearse or `r` on a route.")
        return RehearsalTurn(self.rehearsal.speaker, self.rehearsal.reply(line))

    def end_rehearsal(self) -> Feedback:
        if self.rehearsal is None:
            raise UsageError(_NO_REHEARSAL, "Start one with /rehearse or `r` on a route.")
        session, self.rehearsal = self.rehearsal, None
        return session.end()


def _since(suggestion: dict[str, Any]) -> str:
    """ "8 months quiet" from a reconnect suggestion's reason."""
    m = re.search(r"last in touch (.+?) ago", str(suggestion.get("why", "")))
    return f"{m.group(1)} quiet" if m else "no contact on record"


def _field(result: Any, key: str) -> Any:
    return result.get(key) if isinstance(result, dict) else getattr(result, key, None)


def routes_of(result: Any) -> list[Route]:
    """Routes from a routes tool result (a model, its JSON, or a bare list)."""
    items = result if isinstance(result, list) else _field(result, "routes") or []
    return [r if isinstance(r, Route) else Route.model_validate(r) for r in items]


def draft_of(result: Any) -> Draft | None:
    """The draft from a drafting tool result (a model, its JSON, or the draft itself)."""
    if isinstance(result, Draft):
        return result
    found = _field(result, "draft")
    if found is None:
        return None
    return found if isinstance(found, Draft) else Draft.model_validate(found)


def _index(rest: str) -> int | None:
    rest = rest.strip().lstrip("#")
    if not rest:
        return None
    if not rest.isdigit():
        raise UsageError(f'"{rest}" is not a route number.', "e.g. /draft 2 for the second route.")
    return int(rest)


def _tool_text(tool: str, result: Any) -> str:
    if tool == "find_routes":
        n = len(routes_of(result))
        plural = "s" if n != 1 else ""
        return f"Found **{n}** route{plural}. Pick one: `e` email · `c` call · `r` rehearse."
    if tool == "log_note":
        people = [str(p) for p in _field(result, "people") or []]
        return "Noted" + (f" (linked to {', '.join(people)})." if people else ".")
    if tool in ("reconnect_suggestions", "help_first"):
        from carson.agent.planner.compose import compose

        data = result.model_dump(mode="json") if hasattr(result, "model_dump") else result
        return compose([(tool, data, True)])
    if isinstance(result, str):
        return result
    return ""
