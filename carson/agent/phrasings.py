"""Scoring the offline planner on labelled phrasings (``evals/phrasings/*.jsonl``).

Each line: ``{"id", "text", "context"?: [earlier requests], "tool": name | null,
"args": {...}, "reply_contains"?: "regex"}``. Context requests are run through the real
agent first (planner + tools), so follow-ups see real routes. An item scores when the
planner picks ``tool`` with exactly ``args`` (free-text arguments ``query``, ``text`` and
``reason`` need only contain the expected words; an argument stated at the tool's declared
default counts as left out, on either side); an item with ``tool: null`` scores when the
planner asks back and its reply matches ``reply_contains``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.messages import BaseMessage

from carson.agent.loop import Agent
from carson.agent.planner.respond import OfflineBrain
from carson.config import Settings
from carson.store import Store
from carson.tools import ToolContext, registry

FREE_TEXT = ("query", "text", "reason")


@dataclass
class Outcome:
    id: str
    text: str
    ok: bool
    expected: dict[str, Any]
    got: dict[str, Any]


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(o.ok for o in self.outcomes) / max(1, len(self.outcomes))

    def by_tool(self) -> dict[str, tuple[int, int]]:
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for o in self.outcomes:
            key = str(o.expected.get("tool"))
            out[key][0] += o.ok
            out[key][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    def table(self) -> str:
        lines = [f"{'tool':<24} {'right':>6} {'of':>4}  {'accuracy':>8}"]
        for tool, (ok, n) in self.by_tool().items():
            lines.append(f"{tool:<24} {ok:>6} {n:>4}  {ok / n:>8.1%}")
        total = len(self.outcomes)
        right = sum(o.ok for o in self.outcomes)
        lines.append(f"{'all':<24} {right:>6} {total:>4}  {self.accuracy:>8.1%}")
        return "\n".join(lines)


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w%']+", text.lower()))


def tool_defaults(tool: str | None, keys: Iterable[str]) -> dict[str, Any]:
    """The declared defaults of ``keys`` in ``tool``'s argument model.

    Without a tool name, the defaults every tool taking all of ``keys`` agrees on (``k`` is
    5 wherever it appears, ``role`` exists only in ``rehearse``)."""
    keys = set(keys)
    tools = registry()
    if tool is not None:
        models = [tools[tool].args] if tool in tools else []
    else:
        models = [t.args for t in tools.values() if keys <= set(t.args.model_fields)]
    out: dict[str, Any] = {}
    for key in keys:
        seen = []
        for model in models:
            info = model.model_fields.get(key)
            if info is None or info.is_required():
                break
            seen.append(info.get_default(call_default_factory=True))
        else:
            if seen and all(v == seen[0] for v in seen):
                out[key] = seen[0]
    return out


def _titles(pattern: str) -> set[str]:
    return {t.strip().casefold() for t in pattern.split("|") if t.strip()}


def args_match(expected: dict[str, Any], got: dict[str, Any], tool: str | None = None) -> bool:
    """``got`` has the expected arguments; one at ``tool``'s default equals one left out."""
    defaults = tool_defaults(tool, set(expected) | set(got))

    def stated(args: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in args.items() if not (k in defaults and v == defaults[k])}

    expected, got = stated(expected), stated(got)
    if set(expected) != set(got):
        return False
    for key, want in expected.items():
        have = got[key]
        if key in FREE_TEXT:
            if not isinstance(have, str) or not _words(str(want)) <= _words(have):
                return False
        elif key == "title_filter":
            # alternatives: every expected title must be among them ("CFO" is met by
            # "CFO|Chief Financial Officer"; "payroll|HR" is not met by "Payroll")
            if not isinstance(have, str) or not _titles(str(want)) <= _titles(have):
                return False
        elif want != have:
            return False
    return True


def evaluate(store: Store, items: list[dict[str, Any]], settings: Settings | None = None) -> Report:
    settings = settings or Settings(home=store.home)
    brain = OfflineBrain(store)
    agent = Agent(brain, ToolContext(store, settings))
    contexts: dict[tuple[str, ...], list[BaseMessage]] = {}
    report = Report()
    for item in items:
        key = tuple(item.get("context") or ())
        if key not in contexts:
            history: list[BaseMessage] = []
            for text in key:
                history += agent.run(text, history).messages
            contexts[key] = history
        plan = brain.planner.plan(item["text"], contexts[key])
        want_tool = item.get("tool")
        if want_tool is None:
            got: dict[str, Any] = {"reply": plan.reply, "calls": [c.name for c in plan.calls]}
            pattern = item.get("reply_contains") or "."
            ok = not plan.calls and bool(plan.reply) and bool(re.search(pattern, plan.reply or ""))
        else:
            call = plan.calls[0] if plan.calls else None
            got = {"tool": call.name, "args": call.args} if call else {"reply": plan.reply}
            ok = (
                call is not None
                and call.name == want_tool
                and args_match(item["args"], call.args, call.name)
            )
        expected = {"tool": want_tool, "args": item.get("args")}
        report.outcomes.append(Outcome(item["id"], item["text"], ok, expected, got))
    return report
