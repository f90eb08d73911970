"""Tie scoring split in two: ``score_pairs`` vs ``pair_stats`` vs ``finish`` vs ``merge``.

    flock /tmp/h/bench.lock .venv/bin/python tools/bench/pair_stats_bench.py \\
        [--signals sig.pkl | --size 1000000] [--runs 3] [--append 0.01]

Signals come from a pickled ``Signals`` (``--signals``) or the routes bench's generator
(``--size``). The statistics' day is ``now`` minus one day (yesterday's cache); ``now`` is
2026-11-26. Figures, each in a fresh process (a fresh process's first big numpy pass pays
page faults, so the first call is reported apart from the median of ``--runs``):

- ``score_pairs(sig, now)``: the whole thing, as a build without a cache does;
- ``pair_stats(sig, yesterday)``;
- ``finish(stats, sig, now)``: statistics read into memory from ``.npy`` files before the
  clock starts (``finish`` rebases them by a day on the fly), and again with the files
  mapped read-only (``mmap_mode="r"``, as the graph cache maps its columns);
- ``pair_stats`` of the appended rows: the last ``--append`` share of the ties and of the
  interactions (cut between interactions), as of ``now``;
- ``merge``: yesterday's statistics of the other rows (mapped) merged with those.

Then a check: ``finish`` of the merged statistics against ``score_pairs`` of all rows at
``now`` (same pairs, contexts and staleness; strength within 1e-6).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from carson.graph._columns import Signals
from carson.graph._finish import finish, score_pairs
from carson.graph._stats import PairStats, pair_stats
from carson.graph.weights import GraphWeights

NOW = datetime(2026, 11, 26)
YESTERDAY = NOW - timedelta(days=1)
W = GraphWeights()


def load_signals(args: argparse.Namespace) -> Signals:
    if args.signals:
        with open(args.signals, "rb") as f:
            sig: Signals = pickle.load(f)
        return sig
    sys.path.insert(0, str(Path(__file__).parent))
    import routes_bench

    return routes_bench.signals(routes_bench.generate(args.size), 1)


def split(sig: Signals, share: float) -> tuple[Signals, Signals]:
    """The rows stored first, and the last ``share`` of ties and interactions."""
    t = sig.tie_a.size - int(sig.tie_a.size * share)
    starts = np.flatnonzero(np.diff(sig.it_id, prepend=-1))
    r = int(starts[min(starts.size - 1, np.searchsorted(starts, sig.it_id.size * (1 - share)))])

    def rows(ts: slice, rs: slice) -> Signals:
        return replace(
            sig,
            tie_a=sig.tie_a[ts],
            tie_b=sig.tie_b[ts],
            tie_ctx=sig.tie_ctx[ts],
            it_id=sig.it_id[rs],
            it_at=sig.it_at[rs],
            it_channel=sig.it_channel[rs],
            it_dir=sig.it_dir[rs],
            it_pid=sig.it_pid[rs],
        )

    return rows(slice(0, t), slice(0, r)), rows(slice(t, None), slice(r, None))


def save(stats: PairStats, where: Path) -> None:
    where.mkdir(parents=True, exist_ok=True)
    for name, col in stats.arrays().items():
        np.save(where / f"{name}.npy", col)


def load(where: Path, mapped: bool) -> PairStats:
    cols = {p.stem: np.load(p, mmap_mode="r" if mapped else None) for p in where.glob("*.npy")}
    return PairStats.from_arrays(cols)


def timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    secs = []
    for _ in range(runs):
        t0 = time.perf_counter()
        got = fn()
        secs.append(time.perf_counter() - t0)
        del got
    return {"first": secs[0], "median": statistics.median(secs)}


def child(args: argparse.Namespace) -> dict[str, object]:
    sig = load_signals(args)
    tmp = Path(args.tmp)
    what = args.child
    if what == "setup":
        save(pair_stats(sig, W, YESTERDAY), tmp / "all")
        old, new = split(sig, args.append)
        save(pair_stats(old, W, YESTERDAY), tmp / "old")
        return {"pairs": int(np.load(tmp / "all" / "stats_a.npy", mmap_mode="r").size)}
    if what == "score_pairs":
        return timed(lambda: score_pairs(sig, W, NOW), args.runs)
    if what == "pair_stats":
        return timed(lambda: pair_stats(sig, W, YESTERDAY), args.runs)
    if what in ("finish", "finish-mapped"):
        stats = load(tmp / "all", mapped=what == "finish-mapped")
        return timed(lambda: finish(stats, sig, W, NOW), args.runs)
    _, new = split(sig, args.append)
    if what == "delta":
        return timed(lambda: pair_stats(new, W, NOW), args.runs)
    old_stats = load(tmp / "old", mapped=True)
    delta = pair_stats(new, W, NOW)
    if what == "merge":
        out = timed(lambda: old_stats.merge(delta), args.runs)
        out["delta_pairs"] = delta.n
        return out
    assert what == "check"
    got = finish(old_stats.merge(delta), sig, W, NOW)
    want = score_pairs(sig, W, NOW)
    assert np.array_equal(got.keys, want.keys) and got.base == want.base
    return {
        "max_strength_diff": float(np.abs(got.strength - want.strength).max(initial=0.0)),
        "strength_differs": int(np.count_nonzero(got.strength != want.strength)),
        "context_same": bool(np.array_equal(got.context, want.context)),
        "stale_same": bool(np.array_equal(got.stale, want.stale)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--signals", help="a pickled Signals")
    ap.add_argument("--size", type=int, default=100_000, help="people, without --signals")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--append", type=float, default=0.01)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--tmp", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return
    print(f"load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="pair-stats-bench-") as tmp:
        base = [sys.executable, __file__, "--tmp", tmp, "--runs", str(args.runs)]
        base += ["--append", str(args.append)]
        base += ["--signals", args.signals] if args.signals else ["--size", str(args.size)]

        def run(what: str) -> dict[str, float]:
            out = subprocess.run([*base, "--child", what], capture_output=True, text=True)
            if out.returncode:
                raise SystemExit(out.stderr)
            got: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
            return got

        print(f"pairs: {run('setup')['pairs']:,}", flush=True)
        print(f"{'figure':34s} {'first s':>8s} {'median s':>9s}  (runs: {args.runs})")
        for what, label in [
            ("score_pairs", "score_pairs(all, now)"),
            ("pair_stats", "pair_stats(all, yesterday)"),
            ("finish", "finish(stats in RAM, now)"),
            ("finish-mapped", "finish(stats mapped, now)"),
            ("delta", f"pair_stats({args.append:.0%} appended, now)"),
            ("merge", "merge(old mapped, appended)"),
        ]:
            got = run(what)
            extra = f"  ({int(got['delta_pairs']):,} pairs)" if "delta_pairs" in got else ""
            print(f"{label:34s} {got['first']:8.2f} {got['median']:9.2f}{extra}", flush=True)
        print("check, finish(merged) vs score_pairs(all):", run("check"))
    print(f"load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


if __name__ == "__main__":
    main()
