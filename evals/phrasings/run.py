"""Score the offline planner on its phrasing set and print a table.

    .venv/bin/python evals/phrasings/run.py [--split dev|test|all] [--home DEMO_HOME]

Without ``--home`` it builds the demo network (seed 7) in a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    from carson.agent.phrasings import evaluate, load
    from carson.demo import load_demo
    from carson.store import Store

    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["dev", "test", "all"], default="all")
    ap.add_argument("--home", type=Path)
    ns = ap.parse_args()
    splits = ["dev", "test"] if ns.split == "all" else [ns.split]
    items = [i for s in splits for i in load(HERE / f"{s}.jsonl")]
    with tempfile.TemporaryDirectory() as tmp:
        home = ns.home or Path(tmp) / "demo"
        if ns.home is None:
            load_demo(home, seed=7)
        with Store(home) as store:
            report = evaluate(store, items)
    print(report.table())
    for o in report.failures():
        print(f"  ✗ {o.id} {o.text!r}\n      want {o.expected}\n      got  {o.got}")
    return 0 if report.accuracy >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
