"""Acceptance on the demo network: the planted routes come out in the right order."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from carson.cli import app
from carson.store import Store

runner = CliRunner()


def test_goldman_friend_route_first_and_stale_decoy_below(demo_store: Store) -> None:
    result = runner.invoke(app, ["routes", "Goldman Sachs", "--json"])
    assert result.exit_code == 0, result.output
    routes = json.loads(result.output)["routes"]
    first = routes[0]
    assert [h["name"] for h in first["hops"]][1:] == ["John Jacobs", "Harry Smith"]
    decoy = next(r for r in routes if r["hops"][-1]["name"] == "Derek Lawson")
    assert decoy["probability"] < first["probability"]
    assert decoy["hops"][1]["stale"]
    assert "stale tie" in decoy["label"] and "years ago" in decoy["label"]


def test_morgan_stanley_team_route_above_own(demo_store: Store) -> None:
    result = runner.invoke(app, ["routes", "Morgan Stanley", "--team", "--json"])
    assert result.exit_code == 0, result.output
    routes = [r for r in json.loads(result.output)["routes"] if r["kind"] == "current"]
    assert routes[0]["via_teammate"] == "Priya Patel"
    own = [r for r in routes if r["via_teammate"] is None]
    assert own and routes[0]["probability"] > own[0]["probability"]


def test_goldman_alumni_routes_skip_current_goldman_staff(demo_store: Store) -> None:
    result = runner.invoke(app, ["routes", "Goldman Sachs", "--json"])
    assert result.exit_code == 0, result.output
    routes = json.loads(result.output)["routes"]
    alumni = [r for r in routes if r["kind"] == "alumni"]
    assert alumni
    org = demo_store.organization_named("Goldman Sachs")
    assert org is not None
    goldman = {e.person_id for e in demo_store.employments(org_id=org.id, current=True)}
    harry = next(h["person_id"] for h in routes[0]["hops"] if h["name"] == "Harry Smith")
    assert harry in goldman
    for r in alumni:
        assert not goldman & {h["person_id"] for h in r["hops"]}, r["summary"]


def test_neighbors_from_the_snapshot_are_the_networkx_neighbors(demo_store: Store) -> None:
    # The upkeep tools list the seller's ties from the CSR snapshot, never building the
    # networkx view (gigabytes at a million people): both must give the same people.
    from carson.graph import load_network

    net = load_network(demo_store)
    assert net.me_id is not None
    sample = [net.me_id, *net.team_ids, *sorted(net.people)[::97]]
    for pid in sample:
        assert net.neighbors(pid) == sorted(net.graph.neighbors(pid)), pid
    assert net.neighbors(-1) == []
