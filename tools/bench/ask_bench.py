"""Whole-process wall time of ``carson ask`` on the demo network (issue 6: < 2 s).

    .venv/bin/python tools/bench/ask_bench.py [--runs 15] [--home DEMO_HOME]

Prints median and p95 for ``carson ask "what's the quickest way into Goldman Sachs?"
--json`` beside baselines measured in the same run, alternating so machine load hits all
alike: the bare interpreter, ``carson status`` (CLI start-up plus the store), and
``carson routes "Goldman Sachs" --json`` (the graph without the agent). The difference
between ``ask`` and ``routes`` is what the agent adds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
QUESTION = "what's the quickest way into Goldman Sachs?"


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--home", type=Path)
    ns = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = ns.home or Path(tmp) / "demo"
        env = {**os.environ, "CARSON_HOME": str(home)}
        for var in ("CARSON_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
            env.pop(var, None)
        carson = str(BIN / "carson")
        subprocess.run(
            [carson, "demo", "--no-chat"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "carson status": [carson, "status"],
            "carson routes GS --json": [carson, "routes", "Goldman Sachs", "--json"],
            "carson ask ... --json": [carson, "ask", QUESTION, "--json"],
        }
        for cmd in cases.values():  # warm the page cache and the notes/graph caches
            _time(cmd, env)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(ns.runs):
            for name, cmd in cases.items():
                times[name].append(_time(cmd, env))
    print(f"{'command':<26} {'median s':>9} {'p95 s':>7}   ({ns.runs} runs, interleaved)")
    for name, ts in times.items():
        ts.sort()
        p95 = ts[min(len(ts) - 1, round(0.95 * (len(ts) - 1)))]
        print(f"{name:<26} {statistics.median(ts):>9.2f} {p95:>7.2f}")
    print(f"load average at end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
