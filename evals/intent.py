"""Intent and arguments: does the brain call the right tool with the right arguments?

Scores the agent on the planner's phrasing set, ``evals/phrasings/{dev,test}.jsonl``
(owned by the agent; the test file is only scored, never tuned on). Each line is
``{"id", "text", "context"?: [earlier requests], "tool": name | null, "args": {...},
"reply_contains"?: regex}``. Every item goes through the real agent loop with the chosen
brain on a copy of the demo network: the context requests first (so "draft it for the
second route" sees real routes), then the item; it scores when the first tool call has
the expected name and exactly the expected arguments (free-text ``query``, ``text`` and
``reason`` need only contain the expected words), or, for ``tool: null``, when no tool
is called and the reply matches ``reply_contains`` (a "did you mean" question).

Metrics: accuracy on the test file (the bar: 95%), on the dev file, and on follow-ups
(items with context) across both. ``holdout.jsonl`` and ``holdout2.jsonl``, when
present, are further splits written blind (by someone who had not read the planner):
reported with their per-tool accuracy in ``details``, never judged, and not in the fast
subset. The first was tuned on after it was scored, so only the second still measures
how the planner generalises. Until the agent has
landed the suite reports "not available" instead of failing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from carson.store import Store
from evals._core import EvalContext, Metric, SuiteResult, Timer, carson_home, rate

NAME = "intent"
PHRASINGS = Path(__file__).parent / "phrasings"
HOLDOUTS = {
    "holdout": "written blind; since tuned on (session 2), so no longer held out",
    "holdout2": "written blind in session 3 (79.6% blind); since tuned on",
}
"""Splits written by someone who had not read the planner: reported, never a gate."""
FAST_LIMIT = 30
"""The fast subset: the test file's first items plus its follow-ups (no dev file)."""


def _load(path: Path) -> list[dict[str, Any]]:
    import json

    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def score(
    agent_factory: Any, items: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], bool, str]]:
    """(item, ok, what happened) for each item, through a fresh agent per context."""
    from carson.agent.phrasings import args_match

    contexts: dict[tuple[str, ...], tuple[Any, list[Any]]] = {}
    out = []
    for item in items:
        key = tuple(item.get("context") or ())
        if key not in contexts:
            agent = agent_factory()
            history: list[Any] = []
            for text in key:
                history += agent.run(text, history).messages
            contexts[key] = (agent, history)
        agent, history = contexts[key]
        result = agent.run(item["text"], list(history))
        want = item.get("tool")
        if want is None:
            pattern = item.get("reply_contains") or "."
            ok = not result.tool_calls and bool(re.search(pattern, result.answer or ""))
            got = f"calls {[c.name for c in result.tool_calls]}, reply {result.answer[:80]!r}"
        else:
            call = result.tool_calls[0] if result.tool_calls else None
            ok = call is not None and call.name == want and args_match(item["args"], call.args)
            got = f"{call.name} {call.args}" if call else f"no call, reply {result.answer[:80]!r}"
        out.append((item, ok, got))
    return out


def run(ctx: EvalContext) -> SuiteResult:
    timer = Timer()
    files = {s: PHRASINGS / f"{s}.jsonl" for s in ("test", "dev")}
    splits: tuple[str, ...] = ("test",) if ctx.fast else ("test", "dev")
    missing = [str(p.name) for p in files.values() if not p.exists()]
    for name in HOLDOUTS:
        path = PHRASINGS / f"{name}.jsonl"
        if not ctx.fast and path.exists():
            files[name] = path
            splits += (name,)
    if missing:
        return SuiteResult.unavailable(NAME, f"no phrasing file {', '.join(missing)} yet")
    try:
        from carson.agent.brains import make_brain
        from carson.agent.loop import Agent
        from carson.agent.phrasings import args_match  # noqa: F401
        from carson.config import Settings
        from carson.tools import ToolContext
    except ImportError as exc:
        return SuiteResult.unavailable(NAME, f"the agent has not landed ({exc.name})")
    res = SuiteResult(NAME)
    home = ctx.demo_copy("intent")
    scored: dict[str, list[tuple[dict[str, Any], bool, str]]] = {}
    with carson_home(home), Store(home) as store:
        settings = Settings()
        model = None if ctx.brain == "offline" else ctx.brain

        def factory() -> Any:
            return Agent(make_brain(settings, store, model=model), ToolContext(store, settings))

        for split in splits:
            items = _load(files[split])
            if ctx.fast:
                items = items[:FAST_LIMIT] + [i for i in items[FAST_LIMIT:] if i.get("context")]
            scored[split] = score(factory, items)
    for split, rows in scored.items():
        for item, ok, got in rows:
            if not ok:
                want = f"{item.get('tool')} {item.get('args')}"
                res.failures.append(
                    f"{split} {item['id']} {item['text']!r}: want {want}, got {got}"
                )
    follow = [
        ok
        for split in ("test", "dev")
        for item, ok, _ in scored.get(split, [])
        if item.get("context")
    ]
    t, d = scored["test"], scored.get("dev", [])
    res.metrics = [
        Metric(
            "exact tool + args, test file",
            rate(sum(ok for _, ok, _ in t), len(t)),
            ">=",
            0.95,
            "%",
            f"{len(t)} items",
        ),
        Metric(
            "exact tool + args, dev file",
            rate(sum(ok for _, ok, _ in d), len(d)),
            unit="%",
            note=f"{len(d)} items",
        ),
        Metric(
            "follow-ups (multi-turn)",
            rate(sum(follow), len(follow)),
            unit="%",
            note=f"{len(follow)} items",
        ),
    ]
    for name, note in HOLDOUTS.items():
        if name not in scored:
            continue
        h = scored[name]
        res.metrics.append(
            Metric(
                f"exact tool + args, {name} file",
                rate(sum(ok for _, ok, _ in h), len(h)),
                unit="%",
                note=f"{len(h)} items, {note}",
            )
        )
        res.details[f"{name}_per_tool"] = _per_tool(h)
        res.details[f"{name}_misses"] = [f for f in res.failures if f.startswith(f"{name} ")]
    res.seconds = timer.seconds
    return res


def _per_tool(rows: list[tuple[dict[str, Any], bool, str]]) -> dict[str, dict[str, int]]:
    """Hits and items by expected tool (``none`` for the no-tool items)."""
    out: dict[str, dict[str, int]] = {}
    for item, ok, _ in rows:
        row = out.setdefault(item.get("tool") or "none", {"hits": 0, "items": 0})
        row["hits"] += ok
        row["items"] += 1
    return dict(sorted(out.items()))
