"""Route tools on the demo network: typed args, structured results, errors as results."""

from __future__ import annotations

from carson.config import Settings
from carson.models import Route
from carson.store import Store
from carson.tools import ToolContext, registry, run_tool


def _ctx(store: Store) -> ToolContext:
    return ToolContext(store, Settings(home=store.home))


def test_every_tool_has_a_schema_with_the_issue_s_argument_names() -> None:
    params = {
        name: set(t.schema()["function"]["parameters"]["properties"])
        for name, t in registry().items()
    }
    assert params["find_routes"] >= {
        "target_company", "target_person", "k", "max_hops", "exclude", "title_filter", "via_team",
    }  # fmt: skip
    assert params["person_profile"] == {"person"}
    assert params["how_do_i_know"] == {"person"}
    assert params["search_notes"] >= {"query", "person"}
    assert params["draft_intro_email"] == {"via", "to", "route_index", "reason"}
    assert params["draft_phone_script"] == {"via", "to", "route_index"}
    assert params["rehearse"] >= {"role", "via"}  # plus the optional target, "to"
    assert params["reconnect_suggestions"] == {"k"}
    assert params["help_first"] >= {"person"}
    assert params["log_note"] == {"text", "person"}
    assert params["log_outcome"] == {"outcome", "route_index", "via", "to"}
    roles = registry()["rehearse"].schema()["function"]["parameters"]["properties"]["role"]
    assert set(roles["enum"]) == {"connector", "target", "gatekeeper"}


def test_find_routes_returns_route_models(demo_store: Store) -> None:
    run = run_tool(_ctx(demo_store), "find_routes", {"target_company": "GS", "k": 2})
    assert run.ok, run.result
    assert run.result["target"] == "Goldman Sachs"
    routes = [Route.model_validate(r) for r in run.result["routes"]]
    assert routes[0].hops[1].name == "John Jacobs"
    assert sum(r.kind == "current" for r in routes) == 2


def test_team_routes_to_morgan_stanley_start_with_priya(demo_store: Store) -> None:
    run = run_tool(
        _ctx(demo_store), "find_routes", {"target_company": "Morgan Stanley", "via_team": True}
    )
    assert run.ok
    assert run.result["routes"][0]["via_teammate"] == "Priya Patel"


def test_unknown_company_comes_back_with_suggestions(demo_store: Store) -> None:
    run = run_tool(_ctx(demo_store), "find_routes", {"target_company": "Goldmen Sachs Bank"})
    assert not run.ok
    assert "Goldman Sachs" in run.result["suggestions"]


def test_how_do_i_know_and_profile(demo_store: Store) -> None:
    ctx = _ctx(demo_store)
    know = run_tool(ctx, "how_do_i_know", {"person": "harry smith"})
    assert know.ok and know.result["target"] == "Harry Smith"
    assert know.result["routes"][0]["hops"][1]["name"] == "John Jacobs"
    profile = run_tool(ctx, "person_profile", {"person": "Marcus Chen"})
    assert profile.ok
    assert any(j["company"] == "Goldman Sachs" and not j["current"] for j in profile.result["jobs"])


def test_route_index_counts_from_one_and_is_checked(demo_store: Store) -> None:
    ctx = _ctx(demo_store)
    first = run_tool(ctx, "find_routes", {"target_company": "Goldman Sachs"})
    ctx.recent_routes = [Route.model_validate(r) for r in first.result["routes"]]
    assert ctx.route(1).hops[1].name == "John Jacobs"
    too_far = run_tool(ctx, "draft_phone_script", {"route_index": 99})
    assert not too_far.ok and "no route 99" in too_far.result["error"]
    zero = run_tool(ctx, "draft_phone_script", {"route_index": 0})
    assert not zero.ok and "route_index" in zero.result["error"]
