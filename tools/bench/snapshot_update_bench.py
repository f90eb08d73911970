"""Routing snapshot: rebuild vs update in place, each timed in a fresh process.

    flock /tmp/h/bench.lock .venv/bin/python tools/bench/snapshot_update_bench.py \\
        [--n 1000000] [--runs 3] [--signals /tmp/s4/sig1m.pkl] [--check] [--cases build,merge]

The pairs are ``routes_bench``'s generated network (``--n`` people, ~10 ties each), or,
with ``--signals``, store-shaped pairs scored from a pickled ``Signals``
(``keep_people(score_pairs(sig, w, now), ids)``). Cases, each the first call in a fresh
process whose old snapshot was built beforehand (untimed):

- "build": ``network.snapshot_of`` on the new pairs, the baseline (what a rebuild does);
- "recost": a new day, same pairs, every strength changed: ``network.update_snapshot``
  (→ ``Snapshot.recost``);
- "add 0.1 %" / "add 1 %": that share of pairs is new, plus every tie of the new people
  (ids above everyone's; a tenth of that share of people: 1,000 at 1 % of 1M):
  ``network.update_snapshot`` (→ ``kept_rows`` and ``Snapshot.with_pairs``);
- "merge": what merging two people the same day leaves: one person (the middle id) gone
  with their pairs, ~300 other pairs gone and ~300 added (node indices above the gone
  person shift down), the strengths of the other person's pairs changed, the rest the
  same: ``network.update_snapshot`` (→ ``kept_rows``, ``changed_rows`` and
  ``Snapshot.with_pairs``);
- "merge+day": the same on a later day (every strength changed).

All cases include the pairs' costs (``edge_costs``), as a build does. The runs rotate the
case order; the table gives the median and the spread, and the median user and system CPU
seconds. System time is first touches of fresh memory, which the host backs slowly in
this VM and very unevenly (0.06 to 1.4 s for the same build): compare user times too.
``--check`` also asserts in each process that the update equals a fresh ``snapshot_of``
(array-equal), untimed.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np

from carson.graph._columns import Scored
from carson.graph._finish import score_pairs
from carson.graph.network import keep_people, snapshot_of, update_snapshot
from carson.graph.weights import GraphWeights

CASES = ["build", "recost", "add 0.1 %", "add 1 %", "merge", "merge+day"]
MERGED = 300
"""Pairs gone and added (each) in the "merge" case, besides the gone person's."""
SHARE = {"add 0.1 %": 0.001, "add 1 %": 0.01}


def prepare(args: argparse.Namespace, out: Path) -> dict[str, int]:
    """Write the new pairs (person ids, strength) and the people to ``out``."""
    if args.signals:
        with open(args.signals, "rb") as f:
            sig = pickle.load(f)
        ids = np.unique(np.concatenate([sig.tie_a, sig.tie_b, sig.it_pid, sig.emp_person]))
        sc = keep_people(score_pairs(sig, GraphWeights(), datetime(2026, 11, 26)), ids)
        del sig
        pa, pb, strength = sc.a, sc.b, sc.strength
    else:
        sys.path.insert(0, str(Path(__file__).parent))
        from routes_bench import generate

        data = generate(args.n)
        ids = np.arange(1, args.n + 1, dtype=np.int64)
        pa, pb = data["a"] + 1, data["b"] + 1
        strength = (np.exp(-data["cost"]) - 0.04) / 0.88
    rng = np.random.default_rng(5)
    tcost = -np.log(rng.choice([0.6, 0.7, 0.78, 0.82, 0.88], size=ids.size))
    np.savez(out, ids=ids, a=pa, b=pb, strength=strength, tcost=tcost)
    return {"people": int(ids.size), "pairs": int(pa.size)}


def scored(a: np.ndarray, b: np.ndarray, strength: np.ndarray) -> Scored:
    base = int(b.max()) + 1
    m = a.size
    return Scored(
        a=a,
        b=b,
        strength=strength,
        context=np.zeros(m, dtype=np.int8),
        stale=np.zeros(m, dtype=bool),
        base=base,
        keys=a * base + b,
    )


def timed(t0: float, r0: resource.struct_rusage) -> dict[str, float]:
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "secs": time.perf_counter() - t0,
        "user": r1.ru_utime - r0.ru_utime,
        "sys": r1.ru_stime - r0.ru_stime,
    }


def child(case: str, path: str, check: bool) -> None:
    cols = np.load(path)
    ids, a, b, strength, tcost = (cols[k] for k in ("ids", "a", "b", "strength", "tcost"))
    w = GraphWeights()
    new = scored(a, b, strength)
    info: dict[str, object] = {}
    if case == "build":
        t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
        snap = snapshot_of(new, ids, tcost, w)
        info.update(timed(t0, r0))
        print(json.dumps(info))
        return
    if case == "recost":
        old_ids, old_tcost, keep = ids, tcost, np.ones(a.size, dtype=bool)
        old = scored(a, b, np.clip(strength * 0.97, 0.0, 1.0))
    elif case.startswith("merge"):
        rng = np.random.default_rng(13)
        gone_id, into = ids[ids.size // 2], ids[ids.size // 3]
        theirs = (a == gone_id) | (b == gone_id)
        others = np.flatnonzero(~theirs)
        moved = rng.choice(others, size=2 * MERGED, replace=False)
        added, dropped = moved[:MERGED], moved[MERGED:]
        keep = np.ones(a.size, dtype=bool)
        keep[added] = False  # in the new pairs only
        old_ids, old_tcost = ids, tcost
        then = strength * 0.97
        if case == "merge":  # same day: only the pairs of the one merged into change
            then = np.where((a == into) | (b == into), then, strength)
        old = scored(a[keep], b[keep], then[keep])
        now = ~theirs
        now[dropped] = False  # in the old pairs only
        ids, tcost = ids[ids != gone_id], tcost[ids != gone_id]
        new = scored(a[now], b[now], strength[now])
        info["gone pairs"] = int(theirs.sum()) + MERGED
        keep = keep[now]
    else:
        rng = np.random.default_rng(11)
        share = SHARE[case]
        n_new = max(1, int(ids.size * share / 10))
        old_ids, old_tcost = ids[:-n_new], tcost[:-n_new]
        keep = (rng.random(a.size) >= share) & (b <= old_ids[-1])
        old = scored(a[keep], b[keep], strength[keep] * 0.97)
        info["new people"] = n_new
    info["new pairs"] = int(keep.size - keep.sum())
    prev = snapshot_of(old, old_ids, old_tcost, w)
    t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    snap = update_snapshot(prev, old, new, ids, tcost, w)
    info.update(timed(t0, r0))
    if check:
        want = snapshot_of(new, ids, tcost, w)
        for name in ("indptr", "indices", "cost", "tcost", "edge"):
            assert np.array_equal(getattr(snap, name), getattr(want, name)), name
        info["checked"] = True
    print(json.dumps(info))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--signals", default="")
    ap.add_argument("--check", action="store_true")
    ap.add_argument(
        "--cases", default=",".join(CASES), help="comma-separated, of: " + ", ".join(CASES)
    )
    ap.add_argument("--child", default="")
    ap.add_argument("--data", default="")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.data, args.check)
        return
    cases = [c for c in CASES if c in args.cases.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pairs.npz"
        t0 = time.perf_counter()
        size = prepare(args, path)
        print(
            f"{size['people']:,} people, {size['pairs']:,} pairs "
            f"({'--signals ' + args.signals if args.signals else 'generated'}; "
            f"prepared in {time.perf_counter() - t0:.1f} s); load: {os.getloadavg()}"
        )
        times: dict[str, list[float]] = {c: [] for c in cases}
        user: dict[str, list[float]] = {c: [] for c in cases}
        sys_: dict[str, list[float]] = {c: [] for c in cases}
        extra: dict[str, dict[str, object]] = {}
        for run in range(args.runs):
            order = cases[run % len(cases) :] + cases[: run % len(cases)]
            for case in order:
                cmd = [sys.executable, __file__, "--child", case, "--data", str(path)]
                out = subprocess.run(
                    cmd + (["--check"] if args.check else []),
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                info = json.loads(out.strip().splitlines()[-1])
                times[case].append(float(info.pop("secs")))
                user[case].append(float(info.pop("user")))
                sys_[case].append(float(info.pop("sys")))
                extra[case] = info
            print(f"run {run + 1} done; load: {os.getloadavg()}")
        print(f"{'case':<11} {'median s':>9} {'min-max s':>13} {'user':>6} {'sys':>6}  details")
        for case in cases:
            t = times[case]
            print(
                f"{case:<11} {statistics.median(t):>9.3f} {min(t):>6.3f}-{max(t):<6.3f} "
                f"{statistics.median(user[case]):>6.3f} {statistics.median(sys_[case]):>6.3f}  "
                f"{extra[case]}"
            )


if __name__ == "__main__":
    main()
