"""Route-query benchmark: Carson's bounded bidirectional search vs networkx Yen, same run.

    .venv/bin/python tools/bench/routes_bench.py [--sizes 5000,100000,1000000] [--yen-queries 5]

For each size it generates a seeded network (people in companies of skewed sizes, ~10 ties
per person, half inside the person's company; the user has 150 extra ties), builds the
CSR routing snapshot, and times company queries (k=5, up to 4 edges, anyone currently at
one of 20 large companies) and person queries. The baseline is
``networkx.shortest_simple_paths`` to a virtual sink joined to every employee, filtered to
paths of at most 4 edges that do not pass through another employee (Carson's semantics),
capped at 60 s a query. Top-k costs must be identical wherever the baseline finishes.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import statistics
import sys
import time

import networkx as nx
import numpy as np

from carson.graph._search import Router, Snapshot

K = 5
MAX_EDGES = 4
YEN_CAP_S = 60.0


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def generate(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    n_orgs = max(20, n // 50)
    sizes = rng.lognormal(mean=0.0, sigma=1.3, size=n_orgs)
    org_of = rng.choice(n_orgs, size=n, p=sizes / sizes.sum()).astype(np.int32)
    order = np.argsort(org_of, kind="stable")
    counts = np.bincount(org_of, minlength=n_orgs)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    m = 10 * n
    a = rng.integers(0, n, size=m)
    inside = rng.random(m) < 0.5
    b = rng.integers(0, n, size=m)
    oa = org_of[a[inside]]
    b[inside] = order[starts[oa] + (rng.random(inside.sum()) * counts[oa]).astype(np.int64)]
    me = 0
    extra = rng.integers(1, n, size=150)
    a = np.concatenate([a, np.full(150, me)])
    b = np.concatenate([b, extra])
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    key = np.unique(lo[keep].astype(np.int64) * n + hi[keep])
    lo, hi = key // n, key % n
    strength = rng.beta(2, 3, size=lo.size)
    cost = -np.log(0.04 + 0.88 * strength)
    tcost = -np.log(rng.choice([0.6, 0.7, 0.78, 0.82, 0.88], size=n))
    return {"a": lo, "b": hi, "cost": cost, "tcost": tcost, "org_of": org_of, "counts": counts}


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def yen(g: nx.Graph, me: int, targets: np.ndarray, tcost: np.ndarray) -> list[float] | None:
    tset = {int(t) for t in targets if int(t) != me}
    sink = -1
    g.add_node(sink)
    for t in tset:
        g.add_edge(t, sink, w=float(tcost[t]))
    found: list[float] = []
    start = time.perf_counter()
    try:
        for path in nx.shortest_simple_paths(g, me, sink, weight="w"):
            if time.perf_counter() - start > YEN_CAP_S:
                return None
            inner = path[1:-2]
            if len(path) - 2 > MAX_EDGES or any(v in tset for v in inner):
                continue
            found.append(sum(g.edges[u, v]["w"] for u, v in itertools.pairwise(path)))
            if len(found) == K:
                break
    except nx.NetworkXNoPath:
        pass
    finally:
        g.remove_node(sink)
    return found


def bench(n: int, yen_queries: int, seed: int) -> dict[str, object]:
    gc.collect()
    base_rss = rss_mb()
    data = generate(n, seed)
    ties = int(data["a"].size)
    gen_rss = rss_mb()
    t0 = time.perf_counter()
    snap = Snapshot.from_edges(
        np.arange(n, dtype=np.int64), data["a"], data["b"], data["cost"], data["tcost"]
    )
    router = Router(snap)
    build_s = time.perf_counter() - t0
    snap_mb = snap.nbytes / 2**20
    rng = np.random.default_rng(seed + 1)
    big = np.argsort(-data["counts"])[: max(20, min(500, len(data["counts"]) // 4))]
    companies = rng.choice(big, size=20, replace=False)
    org_of = data["org_of"]
    staff = {int(c): np.flatnonzero(org_of == c) for c in companies}
    people = rng.choice(np.flatnonzero(np.isin(org_of, companies)), size=20, replace=False)
    me = 0

    def company(c: int) -> list[float]:
        found = router.top_k([(me, 0.0)], staff[c], k=K, max_edges=MAX_EDGES)
        return [f.cost for f in found]

    def person(p: int) -> list[float]:
        found = router.top_k([(me, 0.0)], np.array([p]), k=K, max_edges=MAX_EDGES)
        return [f.cost for f in found]

    for c in companies[:3]:
        company(int(c))  # warm-up
    ctimes, ptimes = [], []
    ours: dict[int, list[float]] = {}
    for _ in range(5):
        for c in companies:
            t = time.perf_counter()
            ours[int(c)] = company(int(c))
            ctimes.append((time.perf_counter() - t) * 1000)
        for p in people:
            t = time.perf_counter()
            person(int(p))
            ptimes.append((time.perf_counter() - t) * 1000)
    query_rss = rss_mb()

    # Baseline: networkx Yen on the same graph, same process.
    t0 = time.perf_counter()
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(
        zip(data["a"].tolist(), data["b"].tolist(), data["cost"].tolist(), strict=True), weight="w"
    )
    nx_build_s = time.perf_counter() - t0
    nx_rss = rss_mb()
    ytimes: list[float] = []
    same = 0
    timeouts = 0
    for c in companies[:yen_queries]:
        t = time.perf_counter()
        costs = yen(g, me, staff[int(c)], data["tcost"])
        if costs is None:
            timeouts += 1
            ytimes.append(YEN_CAP_S * 1000)
            continue
        ytimes.append((time.perf_counter() - t) * 1000)
        mine = ours[int(c)]
        if len(costs) == len(mine) and all(
            abs(x - y) < 1e-9 for x, y in zip(costs, mine, strict=True)
        ):
            same += 1
        else:
            print(f"  MISMATCH company {c}: yen={costs} ours={mine}", file=sys.stderr)
    del g
    gc.collect()
    ours_yen = [
        statistics.median([t for t, cc in zip(ctimes, list(companies) * 5, strict=True) if cc == c])
        for c in companies[:yen_queries]
    ]
    speedups = [y / o for y, o in zip(ytimes, ours_yen, strict=True)]
    return {
        "people": n,
        "ties": ties,
        "build_s": build_s,
        "snap_mb": snap_mb,
        "rss_mb": query_rss - base_rss,
        "gen_mb": gen_rss - base_rss,
        "c50": pct(ctimes, 0.5),
        "c95": pct(ctimes, 0.95),
        "p50": pct(ptimes, 0.5),
        "p95": pct(ptimes, 0.95),
        "nx_build_s": nx_build_s,
        "nx_rss_mb": nx_rss - query_rss,
        "yen50": pct(ytimes, 0.5) if ytimes else float("nan"),
        "yen_n": len(ytimes),
        "yen_timeouts": timeouts,
        "same": same,
        "speedup_min": min(speedups) if speedups else float("nan"),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="5000,100000,1000000")
    ap.add_argument("--yen-queries", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        print(f"benchmarking {n:,} people …", file=sys.stderr, flush=True)
        row = bench(n, args.yen_queries, args.seed)
        rows.append(row)
        print(row, file=sys.stderr, flush=True)
    print(
        "| people | ties | CSR build s | snapshot MB | RSS MB | company p50 / p95 ms "
        "| person p50 / p95 ms | nx build s | nx MB | Yen p50 ms (n, timeouts) "
        "| same top-k | min speed-up |"
    )
    print("|" + "---|" * 12)
    for r in rows:
        print(
            f"| {r['people']:,} | {r['ties']:,} | {r['build_s']:.2f} | {r['snap_mb']:.0f} "
            f"| {r['rss_mb']:.0f} | {r['c50']:.2f} / {r['c95']:.2f} "
            f"| {r['p50']:.2f} / {r['p95']:.2f} | {r['nx_build_s']:.1f} | {r['nx_rss_mb']:.0f} "
            f"| {r['yen50']:.0f} ({r['yen_n']}, {r['yen_timeouts']}) "
            f"| {r['same']}/{r['yen_n'] - r['yen_timeouts']} | {r['speedup_min']:.0f}× |"
        )


if __name__ == "__main__":
    main()
