"""How long a draft takes on the demo network: facts, composing, grounding, end to end.

Baseline in the same run: ``gather`` alone (resolving names and reading the store),
so the figures show what composing and checking add on top of reading the facts.

    .venv/bin/python tools/bench/drafting_bench.py [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from carson.demo import load_demo
from carson.drafting import check_grounding, draft_call, draft_email, gather
from carson.drafting import email as _email
from carson.store import Store

VIA, TO = "John Jacobs", "Harry Smith"


def _time(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()  # warm caches (templates, imports)
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    runs = ap.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        load_demo(home, seed=7)
        store = Store(home)
        facts = gather(store, via=VIA, to=TO)
        text = _email.compose(facts)
        rows = [
            ("baseline: gather facts", lambda: gather(store, via=VIA, to=TO)),
            ("compose email (offline)", lambda: _email.compose(facts)),
            (
                "grounding check",
                lambda: check_grounding(store, facts, text.subject, text.body, text.blurb),
            ),
            ("draft_email end to end", lambda: draft_email(store, via=VIA, to=TO, save=False)),
            ("draft_call end to end", lambda: draft_call(store, via=VIA, to=TO, save=False)),
        ]
        print(f"demo network, {VIA} -> {TO}, {runs} runs each (ms)")
        print(f"{'step':<28}{'median':>10}{'p95':>10}")
        for name, fn in rows:
            med, p95 = _time(fn, runs)
            print(f"{name:<28}{med:>10.2f}{p95:>10.2f}")
        store.close()


if __name__ == "__main__":
    main()
