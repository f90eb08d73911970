"""How fast the chat is usable on the demo network (issue: under 1.5 s to a usable prompt).

    .venv/bin/python tools/bench/chat_startup_bench.py [--runs 7] [--home DEMO_HOME]

Each run is a fresh process (cold imports, as a user starting ``carson demo``). It
prints the median and p95 of: a bare Textual app to its first screen (the baseline,
measured in the same run), the Carson chat to a focused prompt, to the status bar
filled from the store, and to the agent warmed up (first question answered at once).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import asyncio, json, sys, time
t0 = time.perf_counter()
which, home = sys.argv[1], sys.argv[2]
out = {}
if which == "baseline":
    from textual.app import App
    from textual.widgets import TextArea
    class Bare(App):
        def compose(self):
            yield TextArea()
    app = Bare()
    async def main():
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            out["prompt"] = time.perf_counter() - t0
    asyncio.run(main())
else:
    from pathlib import Path
    from carson.config import Settings
    from carson.tui.app import build_app
    from carson.tui.widgets.prompt import PromptArea
    app = build_app(Settings(home=Path(home)))
    async def main():
        async with app.run_test(size=(100, 32)) as pilot:
            while not isinstance(app.focused, PromptArea):
                await pilot.pause(0.005)
            out["prompt"] = time.perf_counter() - t0
            while app.chat.last_status is None:
                await pilot.pause(0.005)
            out["status"] = time.perf_counter() - t0
            await app.workers.wait_for_complete()
            out["agent"] = time.perf_counter() - t0
    asyncio.run(main())
print(json.dumps(out))
"""


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def run(which: str, home: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, which, str(home)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--home", help="A data home with the demo network (default: generate one)")
    args = p.parse_args()
    if args.home:
        home = Path(args.home)
    else:
        from carson.demo import load_demo

        home = Path(tempfile.mkdtemp(prefix="carson-bench-"))
        load_demo(home, seed=7)
    run("carson", home)  # warm the OS file cache once
    samples: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for which in ("baseline", "carson"):
            for key, value in run(which, home).items():
                samples.setdefault(f"{which}:{key}", []).append(value)
    print(f"chat start-up on the demo network, {args.runs} fresh processes each")
    print(f"{'measure':<28}{'median s':>10}{'p95 s':>10}")
    labels = {
        "baseline:prompt": "bare Textual app, 1st screen",
        "carson:prompt": "Carson, prompt focused",
        "carson:status": "Carson, status bar filled",
        "carson:agent": "Carson, agent warmed up",
    }
    for key, label in labels.items():
        xs = samples[key]
        print(f"{label:<28}{statistics.median(xs):>10.3f}{_p95(xs):>10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
