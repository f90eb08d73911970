"""Write SVG screenshots of the Carson chat's main screens to ``docs/screenshots/``.

    .venv/bin/python tools/screenshots.py [--home DIR] [--out docs/screenshots]
    .venv/bin/python tools/screenshots.py --record tests/tui/data/replay.json

It drives the real app on the demo network (generated into a temporary home unless
``--home`` names one) by keyboard, as a seller would: the Goldman question, the route
cards, the intro email, the phone script, a three-turn rehearsal with feedback, help.

``--record`` instead saves the agent's answers to that same flow as JSON; the snapshot
tests replay them, so their pictures do not change as the demo's "today" moves on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from carson.config import Settings
from carson.tui.app import CarsonApp, build_app
from carson.tui.manager import ChatManager

QUESTION = "quickest way into Goldman Sachs?"
LINES = [
    "Hi John! Quick one: how well do you know Harry Smith these days?",
    "Could you introduce me to Harry? Goldman is reworking payroll and we help banks with it.",
    "Happy to return the favour. I'll send you a short blurb by Friday, does that work?",
]
SIZES = {"": (100, 32), "-80x24": (80, 24)}


async def _settle(app: CarsonApp, pilot: Any) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _type(pilot: Any, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])


async def _shoot(home: Path, out: Path, size: tuple[int, int], suffix: str) -> list[Path]:
    app = build_app(Settings(home=home), home_label="~/carson-demo")
    written: list[Path] = []

    def save(name: str) -> None:
        path = out / f"{name}{suffix}.svg"
        app.save_screenshot(filename=path.name, path=str(out))
        written.append(path)

    async with app.run_test(size=size) as pilot:
        await _settle(app, pilot)
        await _type(pilot, QUESTION)
        await pilot.press("enter")
        await _settle(app, pilot)
        save("chat-routes")
        await pilot.press("e")
        await _settle(app, pilot)
        save("draft-email")
        await pilot.press("escape", "c")
        await _settle(app, pilot)
        save("phone-script")
        await pilot.press("escape", "r")
        await _settle(app, pilot)
        for line in LINES:
            await _type(pilot, line)
            await pilot.press("enter")
            await _settle(app, pilot)
        await _type(pilot, "/end")
        await pilot.press("enter")
        await _settle(app, pilot)
        save("rehearsal-feedback")
        await pilot.press("escape", "f1")
        await _settle(app, pilot)
        save("help")
        await pilot.press("escape", "ctrl+t")
        await _settle(app, pilot)
        save("chat-light")
    return written


def record(home: Path) -> dict[str, Any]:
    """The flow's tool results, as JSON, for the snapshot tests' replay engine."""
    manager = ChatManager(Settings(home=home))
    engine: Any = manager.engine
    turn = engine.turn(QUESTION, on_token=None, on_tool=None)
    routes_result = turn.tool_calls[0]["result"]
    email = engine.call("draft_intro_email", {"route_index": 1})
    call = engine.call("draft_phone_script", {"route_index": 1})
    hops = routes_result.routes[0].hops
    rehearse = engine.call("rehearse", {"role": "connector", "via": hops[1].name})
    session = engine.rehearsal(via=rehearse.via, to=rehearse.to, role=rehearse.role)
    replies = [session.reply(line) for line in LINES]
    feedback = session.end()
    status = manager.status()
    manager.close()
    return {
        "status": {**asdict(status), "home": "~/carson-demo"},
        "question": QUESTION,
        "answer": turn.answer,
        "find_routes": routes_result.model_dump(mode="json"),
        "draft_intro_email": email.model_dump(mode="json"),
        "draft_phone_script": call.model_dump(mode="json"),
        "rehearse": rehearse.model_dump(mode="json"),
        "rehearsal": {
            "speaker": session.speaker,
            "role": session.role,
            "opening": session.opening,
            "lines": LINES,
            "replies": replies,
            "feedback": feedback.model_dump(mode="json"),
        },
    }


def _demo_home(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    from carson.demo import load_demo

    home = Path(tempfile.mkdtemp(prefix="carson-shots-"))
    load_demo(home, seed=7)
    return home


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--home", help="A data home holding the demo network (default: a fresh one)")
    p.add_argument("--out", default="docs/screenshots", help="Where the SVGs go")
    p.add_argument("--record", metavar="JSON", help="Record the flow's results for the tests")
    args = p.parse_args(argv)
    home = _demo_home(args.home)
    if args.record:
        data = record(home)
        Path(args.record).parent.mkdir(parents=True, exist_ok=True)
        Path(args.record).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        print(f"recorded {args.record}")
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for suffix, size in SIZES.items():
        for path in asyncio.run(_shoot(home, out, size, suffix)):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
