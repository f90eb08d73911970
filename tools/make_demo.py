"""Generate the demo network into a folder, print what it holds and how long it took.

    .venv/bin/python tools/make_demo.py OUT_DIR [--seed 7] [--anchor 2026-11-25] [--repeat 5]

The timings split one load into its parts, each as a median (and p95) over
``--repeat`` runs in fresh folders: the baseline is opening an empty store (the
schema migrations every load pays), then building the world in memory, then
writing it through the Store API, then ``load_demo`` end to end. The last run's
world is left in OUT_DIR.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

from carson.demo import load_demo
from carson.demo._generate import build_world
from carson.demo._write import write_world
from carson.store import Store


def _stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to generate the demo into")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--anchor", type=date.fromisoformat, default=date.today())
    parser.add_argument("--repeat", type=int, default=5, help="timing runs (default 5)")
    parser.add_argument("--json", action="store_true", help="print counts as JSON only")
    args = parser.parse_args(argv)

    timings: dict[str, list[float]] = {"empty store": [], "build": [], "write": [], "load": []}
    scratch = Path(tempfile.mkdtemp(prefix="carson-demo-bench-"))
    try:
        for run in range(args.repeat):
            t0 = time.perf_counter()
            with Store(scratch / f"empty-{run}"):
                pass
            timings["empty store"].append(time.perf_counter() - t0)

            t0 = time.perf_counter()
            world = build_world(args.seed, args.anchor)
            timings["build"].append(time.perf_counter() - t0)
            with Store(scratch / f"write-{run}") as store:
                t0 = time.perf_counter()
                write_world(store, world)
                timings["write"].append(time.perf_counter() - t0)

            t0 = time.perf_counter()
            load_demo(scratch / f"load-{run}", seed=args.seed, anchor=args.anchor)
            timings["load"].append(time.perf_counter() - t0)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    counts = load_demo(args.out, seed=args.seed, anchor=args.anchor, fresh=True)
    if args.json:
        print(json.dumps(asdict(counts), indent=2))
        return 0
    print(f"demo network (seed {args.seed}, anchor {args.anchor}) in {args.out}")
    for key, value in asdict(counts).items():
        print(f"  {key:<14} {value:>7,}")
    print(f"timings over {args.repeat} runs:")
    for key, samples in timings.items():
        print(f"  {key:<12} {_stats(samples)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
