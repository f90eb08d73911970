"""carson routes / path / outcome / calibration, in-process on a hand-built store."""

from __future__ import annotations

import json

from test_graph_routes import NOW, build_world
from typer.testing import CliRunner

from carson.cli import app
from carson.errors import NoRouteError, UnknownOrganizationError
from carson.store import Store

runner = CliRunner()


def _world(store: Store) -> None:
    build_world(store)
    with store.write():
        store.set_meta("anchor_date", NOW.isoformat())


def test_routes_json_emits_route_models(store: Store) -> None:
    _world(store)
    result = runner.invoke(app, ["routes", "Goldman Sachs", "--json"])
    assert result.exit_code == 0, result.output
    routes = json.loads(result.output)["routes"]
    assert [h["name"] for h in routes[0]["hops"]] == ["Sam Seller", "John Jacobs", "Harry Smith"]
    assert routes[0]["low"] <= routes[0]["probability"] <= routes[0]["high"]
    assert routes[-1]["kind"] == "alumni"


def test_routes_text_shows_evidence_and_odds(store: Store) -> None:
    _world(store)
    result = runner.invoke(app, ["routes", "GS", "--title", "Managing"])
    assert result.exit_code == 0, result.output
    assert "college roommates" in result.output
    # Each route states its odds once, on a line of its own.
    cards = result.output.split("\n\n")
    assert all(card.count("Probability of getting a meeting") == 1 for card in cards if card)


def test_team_flag_and_path(store: Store) -> None:
    _world(store)
    result = runner.invoke(app, ["routes", "Morgan Stanley", "--team", "--json"])
    assert json.loads(result.output)["routes"][0]["via_teammate"] == "Priya Patel"
    result = runner.invoke(app, ["path", "Harry Smith"])
    assert result.exit_code == 0, result.output
    assert "John Jacobs" in result.output


def test_unknown_company_is_a_carson_error(store: Store) -> None:
    _world(store)
    result = runner.invoke(app, ["routes", "Goldfields Bank"])
    assert isinstance(result.exception, UnknownOrganizationError)
    result = runner.invoke(app, ["routes", "Initech"])
    assert isinstance(result.exception, NoRouteError)


def test_outcome_then_calibration(store: Store) -> None:
    _world(store)
    result = runner.invoke(
        app, ["outcome", "--via", "John Jacobs", "--to", "Harry Smith", "meeting_booked"]
    )
    assert result.exit_code == 0, result.output
    assert "Logged meeting_booked" in result.output
    runner.invoke(app, ["outcome", "--to", "Derek Lawson", "no_response"])
    result = runner.invoke(app, ["calibration", "--json"])
    report = json.loads(result.output)
    assert report["labelled"] == 2
    assert report["brier"] is not None and 0 <= report["ece"] <= 1
    result = runner.invoke(app, ["calibration"])
    assert "Brier score" in result.output
