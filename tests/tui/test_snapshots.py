"""Snapshot tests of the main screens at 100×32 and 80×24.

The agent is replayed from ``data/replay.json`` (the demo flow's real results, recorded
by ``tools/screenshots.py --record``): the live demo is anchored at today's date, so its
evidence and odds move day by day, and these pictures must not.
Review changed snapshots with ``pytest tests/tui --snapshot-update`` and look at them.
"""

from __future__ import annotations

from typing import Any

import pytest

from carson.config import Settings
from carson.tui.app import CarsonApp
from carson.tui.widgets.route_card import RouteCard
from tests.tui.replay import load, replay_app

SIZES = [pytest.param((100, 32), id="100x32"), pytest.param((80, 24), id="80x24")]


def make_app(carson_home: Any, theme: str = "textual-dark") -> CarsonApp:
    return replay_app(Settings(home=carson_home), theme=theme)


async def _settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _routes(pilot: Any) -> None:
    await _settle(pilot)
    pilot.app.focused.insert(load()["question"])
    await pilot.press("enter")
    await _settle(pilot)
    # The app scrolls the first card to the top once laid out, but on a busy machine
    # that can land before the conversation has grown; pin it for a stable picture.
    conv = pilot.app.screen.query_one("#conversation")
    conv.scroll_to_widget(pilot.app.screen.query_one(RouteCard), top=True, animate=False)
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_chat_with_route_cards(snap_compare: Any, carson_home: Any, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(carson_home), terminal_size=size, run_before=_routes)


@pytest.mark.parametrize("size", SIZES)
def test_chat_light_theme(snap_compare: Any, carson_home: Any, size: tuple[int, int]) -> None:
    app = make_app(carson_home, theme="textual-light")
    assert snap_compare(app, terminal_size=size, run_before=_routes)


@pytest.mark.parametrize("size", SIZES)
def test_draft_panel(snap_compare: Any, carson_home: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await _routes(pilot)
        await pilot.press("e")
        await _settle(pilot)

    assert snap_compare(make_app(carson_home), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_phone_script(snap_compare: Any, carson_home: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await _routes(pilot)
        await pilot.press("c")
        await _settle(pilot)

    assert snap_compare(make_app(carson_home), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_rehearsal_with_feedback(
    snap_compare: Any, carson_home: Any, size: tuple[int, int]
) -> None:
    async def run_before(pilot: Any) -> None:
        await _routes(pilot)
        await pilot.press("r")
        await _settle(pilot)
        for line in [*load()["rehearsal"]["lines"], "/end"]:
            pilot.app.focused.insert(line)
            await pilot.press("enter")
            await _settle(pilot)

    assert snap_compare(make_app(carson_home), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, carson_home: Any, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(carson_home), terminal_size=size, press=["_", "f1"])
