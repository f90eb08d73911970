"""The tools that record (notes, outcomes) write; the others never do."""

from __future__ import annotations

from carson.config import Settings
from carson.models import Route
from carson.store import Store
from carson.tools import ToolContext, registry, run_tool


def _ctx(store: Store) -> ToolContext:
    return ToolContext(store, Settings(home=store.home))


def test_only_log_note_and_log_outcome_write() -> None:
    assert {n for n, t in registry().items() if t.writes} == {"log_note", "log_outcome"}


def test_read_only_tools_leave_the_store_unchanged(demo_store: Store) -> None:
    ctx = _ctx(demo_store)
    before = demo_store.counts()
    for name, args in [
        ("find_routes", {"target_company": "Goldman Sachs"}),
        ("person_profile", {"person": "Harry Smith"}),
        ("reconnect_suggestions", {"k": 3}),
        ("help_first", {"person": "Sarah Lee"}),
    ]:
        assert run_tool(ctx, name, args).ok, name
    assert demo_store.counts() == before


def test_log_outcome_by_route_index(demo_store: Store) -> None:
    ctx = _ctx(demo_store)
    shown = run_tool(ctx, "find_routes", {"target_company": "Goldman Sachs"})
    ctx.recent_routes = [Route.model_validate(r) for r in shown.result["routes"]]
    run = run_tool(ctx, "log_outcome", {"outcome": "meeting_booked", "route_index": 1})
    assert run.ok, run.result
    assert run.result["path"][1:] == ["John Jacobs", "Harry Smith"]
    [stored] = demo_store.outcomes()
    assert stored.outcome == "meeting_booked"


def test_log_outcome_rejects_unknown_kinds(demo_store: Store) -> None:
    run = run_tool(_ctx(demo_store), "log_outcome", {"outcome": "maybe", "to": "Harry Smith"})
    assert not run.ok and "outcome" in run.result["error"]
    assert demo_store.outcomes() == []


def test_suggestions_have_reasons(demo_store: Store) -> None:
    ctx = _ctx(demo_store)
    rec = run_tool(ctx, "reconnect_suggestions", {"k": 3})
    assert rec.ok and 1 <= len(rec.result["suggestions"]) <= 3
    assert all(s["why"] for s in rec.result["suggestions"])
    help_ = run_tool(ctx, "help_first", {})
    assert help_.ok
    for idea in help_.result["ideas"]:
        assert idea["introduce"] != idea["to"] and "don't know each other" in idea["why"]
