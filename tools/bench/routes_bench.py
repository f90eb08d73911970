"""Route-query benchmark: Carson's route search vs networkx Yen, same run; graph build time.

    .venv/bin/python tools/bench/routes_bench.py [--sizes 5000,100000,1000000] [--yen-queries 5]
        [--demo] [--store-sizes 5000,100000] [--store-baseline DIR]

For each size it generates a seeded network (people in companies of skewed sizes, ~10 ties
per person, half inside the person's company; the user has 150 extra ties), builds the
CSR routing snapshot, and times company queries (k=5, up to 4 edges, anyone currently at
one of 20 large companies) and person queries. The baseline is
``networkx.shortest_simple_paths`` to a virtual sink joined to every employee, filtered to
paths of at most 4 edges that do not pass through another employee (Carson's semantics),
capped at 60 s a query. Top-k costs must be identical wherever the baseline finishes.

Query times: the first query from the user pays for the forward bounds (cached per
snapshot and asker) and is reported on its own ("first ms"); p50 / p95 are over 5 rounds of
the 20 queries, and "p95 of medians" is the 95th percentile of each query's median, which
keeps the machine's scheduling noise out of the tail. "CPU" is the same company queries
timed with the thread's CPU clock: a wall-clock outlier with no CPU outlier behind it is
the process waiting for a core (the machine is shared), not work the query did.

Build, three figures:
- "build from rows": store-shaped signal columns for the same pairs (a context per tie,
  e-mails and meetings on ~20 % of them, small group meetings, one current and sometimes
  one past job per person, notes), generated in memory, then scored
  (``_finish.score_pairs``) and packed into the CSR snapshot, as ``build_network`` does
  after its reads. It leaves out reading SQLite and converting its rows.
- "CSR-only": ``Snapshot.from_edges`` on the generated edges.
- ``--store-sizes``: the graph end to end from a real SQLite store of that size (the same
  generated network, written once with the importers' bulk inserts and kept in the temp
  dir), each run in a fresh process: "build" (``build_network``), "cold" (``load_network``
  with no cache on disk: the build plus writing ``<home>/cache/graph/``) and "warm"
  (``load_network`` from that cache; then, timed apart, one company query and the
  ``Resolver`` that ``find_routes`` builds first); "rebuild" (no graph cache, but the
  feed entry a cold run saved, as after an upgrade) and "upgrade" (the same after 1 % more
  people); grown from a cache entry: "nextday", "append" and "merge"; with +RSS,
  peak RSS and the cache's size on disk. ``--store-baseline DIR`` (another version's
  ``carson`` package, e.g. ``git archive REV carson | tar -x -C DIR``) interleaves that
  version's "build" and "cold" runs with this checkout's.
  ``--sizes ''`` skips the in-memory benches. ``--demo`` also times ``load_network`` on
  the demo store.

``--yen-queries 0`` skips the networkx baseline (for repeated runs of the candidate).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import networkx as nx
import numpy as np

from carson.graph._columns import CONTEXTS, CTX_CODE, Signals
from carson.graph._search import Router

try:
    from carson.graph._finish import score_pairs
    from carson.graph._snapshot import Snapshot
except ImportError:  # an older Carson as --store-baseline: only its build_network runs
    from carson.graph._columns import score_pairs  # type: ignore[attr-defined,no-redef]
    from carson.graph._search import Snapshot  # type: ignore[attr-defined,no-redef]
from carson.graph.network import keep_people, snapshot_of
from carson.graph.weights import GraphWeights

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
    key = np.sort(lo[keep].astype(np.int64) * n + hi[keep])  # np.unique hashes: slow here
    key = key[np.r_[True, key[1:] != key[:-1]]]
    lo, hi = key // n, key % n
    strength = rng.beta(2, 3, size=lo.size)
    cost = -np.log(0.04 + 0.88 * strength)
    tcost = -np.log(rng.choice([0.6, 0.7, 0.78, 0.82, 0.88], size=n))
    return {"a": lo, "b": hi, "cost": cost, "tcost": tcost, "org_of": org_of, "counts": counts}


def signals(data: dict[str, np.ndarray], seed: int) -> Signals:
    """Store-shaped rows for the generated pairs: what ``load_network`` reads from SQLite."""
    rng = np.random.default_rng(seed + 7)
    a, b, org_of = data["a"], data["b"], data["org_of"]
    n, m = org_of.size, a.size
    names = ["linkedin", "colleague", "acquaintance", "friend", "classmate", "client"]
    ctx = np.array([CTX_CODE[c] for c in names], dtype=np.int16)
    tie_ctx = ctx[rng.choice(len(names), size=m, p=[0.4, 0.25, 0.15, 0.1, 0.05, 0.05])]
    now = 1_770_000_000
    # E-mails, calls and meetings on ~20 % of ties, 1-4 each, owned by the lower id.
    talk = np.flatnonzero(rng.random(m) < 0.2)
    reps = rng.integers(1, 5, size=talk.size)
    pairs = np.repeat(talk, reps)
    k = pairs.size
    at = now - (rng.random(k) * 1500 * 86400).astype(np.int64)
    ch = rng.integers(0, 3, size=k).astype(np.int16)
    dr = rng.integers(0, 3, size=k).astype(np.int8)
    # Small group meetings (3-6 people) inside companies.
    g = max(1, n // 100)
    size = rng.integers(3, 7, size=g)
    order = np.argsort(org_of, kind="stable")
    host = rng.integers(0, n, size=g)
    pos = np.searchsorted(org_of[order], org_of[host])
    span = data["counts"][org_of[host]]
    members = order[pos[:, None] + (rng.random((g, 6)) * span[:, None]).astype(np.int64)]
    members[:, 0] = host
    ok = np.array([len(set(r[:s0].tolist())) == s0 for r, s0 in zip(members, size, strict=True)])
    members, size = members[ok], size[ok]
    g = size.size
    pid = [np.stack([a[pairs], b[pairs]], axis=1).ravel()]
    iid = [np.repeat(np.arange(k), 2)]
    iat, ich, idr = [np.repeat(at, 2)], [np.repeat(ch, 2)], [np.repeat(dr, 2)]
    gat = now - (rng.random(g) * 700 * 86400).astype(np.int64)
    for s0 in range(3, 7):
        sel = np.flatnonzero(size == s0)
        pid.append(members[sel, :s0].ravel())
        iid.append(np.repeat(k + sel, s0))
        iat.append(np.repeat(gat[sel], s0))
        ich.append(np.full(sel.size * s0, 1, dtype=np.int16))
        idr.append(np.zeros(sel.size * s0, dtype=np.int8))
    it_id = np.concatenate(iid)
    o = np.argsort(it_id, kind="stable")
    # Jobs: everyone's current one; 40 % also had an earlier one somewhere else.
    day = np.datetime64("2010-01-01") + rng.integers(0, 5500, size=n).astype("timedelta64[D]")
    past = np.flatnonzero(rng.random(n) < 0.4)
    p_start = day[past] - rng.integers(400, 3000, size=past.size).astype("timedelta64[D]")
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    notes = rng.integers(0, n, size=(max(1, n // 200), 2))
    return Signals(
        tie_a=a,
        tie_b=b,
        tie_ctx=tie_ctx,
        it_id=it_id[o],
        it_at=np.concatenate(iat)[o],
        it_channel=np.concatenate(ich)[o],
        it_dir=np.concatenate(idr)[o],
        it_pid=np.concatenate(pid)[o],
        emp_person=np.concatenate([np.arange(n), past]),
        emp_org=np.concatenate([org_of, rng.integers(0, org_of.max() + 1, size=past.size)]),
        emp_start=np.concatenate([day, p_start]),
        emp_end=np.concatenate([nat, day[past]]),
        emp_current=np.concatenate([np.ones(n, bool), np.zeros(past.size, bool)]),
        note_a=np.minimum(notes[:, 0], notes[:, 1]),
        note_b=np.maximum(notes[:, 0], notes[:, 1]),
        channels=["email", "meeting", "call"],
    )


BUILD_CPU: dict[int, float] = {}
"""CPU seconds of the last build from rows, by size (a shared machine stretches wall time)."""


def time_build(data: dict[str, np.ndarray], seed: int) -> tuple[float, float, int]:
    """Seconds and extra RSS (MB) to score the generated rows and pack the snapshot."""
    sig = signals(data, seed)
    n = data["org_of"].size
    rows = int(sig.tie_a.size + sig.it_id.size + sig.emp_person.size)
    gc.collect()
    before = rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    ids = np.arange(n, dtype=np.int64)
    scored = keep_people(score_pairs(sig, GraphWeights(), datetime(2026, 2, 2)), ids)
    snap = snapshot_of(scored, ids, data["tcost"], GraphWeights())
    secs = time.perf_counter() - t0
    BUILD_CPU[n] = time.process_time() - c0
    grown = rss_mb() - before
    del sig, scored, snap
    gc.collect()
    return secs, grown, rows


def write_store(home: Path, data: dict[str, np.ndarray], seed: int) -> None:
    """The generated network as a real Carson store, written the way imports write (bulk
    inserts in one transaction): people, organisations, jobs with titles, ties with one
    evidence sentence each, e-mails/calls/meetings with their participants, notes."""
    from carson.models import Note, Organization
    from carson.store import Store

    sig = signals(data, seed)
    n = int(data["org_of"].size)
    rng = np.random.default_rng(seed + 11)
    titles = [
        "Analyst",
        "Engineer",
        "Account Executive",
        "Director of Sales",
        "VP Finance",
        "Head of Payroll",
        "Managing Director",
        "CFO",
    ]
    title = rng.choice(
        len(titles), size=sig.emp_person.size, p=[0.3, 0.3, 0.15, 0.1, 0.06, 0.04, 0.03, 0.02]
    )
    pid = lambda i: int(i) + 1  # noqa: E731  store ids start at 1
    batch = 500_000
    with Store(home) as store, store.write():
        store.bulk_insert(
            "people",
            [
                (pid(i), f"Person {i}", None, None, None, None, "[]", int(i == 0), 0, "bench")
                for i in range(n)
            ],
        )
        orgs = [
            store.add_organization(Organization(name=f"Company {o}")).id
            for o in range(int(data["counts"].size))
        ]
        day = lambda d: None if np.isnat(d) else str(d)  # noqa: E731
        store.bulk_insert(
            "employments",
            [
                (pid(p0), orgs[int(o)], titles[int(t)], day(st), day(en), int(cur), "bench")
                for p0, o, t, st, en, cur in zip(
                    sig.emp_person.tolist(),
                    sig.emp_org.tolist(),
                    title.tolist(),
                    sig.emp_start,
                    sig.emp_end,
                    sig.emp_current.tolist(),
                    strict=True,
                )
            ],
        )
        ctx = np.array(CONTEXTS)[sig.tie_ctx]
        for c in range(0, sig.tie_a.size, batch):
            sl = slice(c, c + batch)
            store.bulk_insert(
                "ties",
                [
                    (
                        pid(a),
                        pid(b),
                        cx,
                        "bench",
                        None,
                        None,
                        f'[{{"text": "{cx} tie from the bench network", "source": "bench"}}]',
                        None,
                    )
                    for a, b, cx in zip(
                        sig.tie_a[sl].tolist(),
                        sig.tie_b[sl].tolist(),
                        ctx[sl].tolist(),
                        strict=True,
                    )
                ],
            )
        first = np.r_[True, sig.it_id[1:] != sig.it_id[:-1]]
        starts = np.flatnonzero(first)
        pos = np.arange(sig.it_id.size) - np.repeat(starts, np.diff(np.r_[starts, sig.it_id.size]))
        when = np.datetime64("1970-01-01T00:00:00") + sig.it_at[starts].astype("timedelta64[s]")
        direction = np.array(["mutual", "outbound", "inbound"])[sig.it_dir[starts]]
        channel = np.array(sig.channels)[sig.it_channel[starts]]
        ids = sig.it_id[starts] + 1
        for c in range(0, ids.size, batch):
            sl = slice(c, c + batch)
            store.bulk_insert_ids(
                "interactions",
                [
                    (i, str(t), ch, d, None, None, "bench", f"bench-{i}")
                    for i, t, ch, d in zip(
                        ids[sl].tolist(),
                        when[sl],
                        channel[sl].tolist(),
                        direction[sl].tolist(),
                        strict=True,
                    )
                ],
            )
        for c in range(0, sig.it_id.size, batch):
            sl = slice(c, c + batch)
            store.bulk_insert_ids(
                "interaction_people",
                list(
                    zip(
                        (sig.it_id[sl] + 1).tolist(),
                        (sig.it_pid[sl] + 1).tolist(),
                        pos[sl].tolist(),
                        strict=True,
                    )
                ),
            )
        at = datetime(2025, 6, 1)
        for a, b in zip(sig.note_a.tolist(), sig.note_b.tolist(), strict=True):
            if a != b:
                store.add_note(Note(text="Met at a conference.", people=[pid(a), pid(b)], at=at))
        store.set_meta("anchor_date", "2026-02-02")


def store_home(n: int, seed: int) -> Path:
    """The generated network of this size as a real store, written once and kept in the
    temp dir for later runs (``CARSON_BENCH_STORES`` to put it elsewhere)."""
    import os
    import tempfile

    root = Path(os.environ.get("CARSON_BENCH_STORES", tempfile.gettempdir()))
    home = root / f"carson-routes-bench-{n}-{seed}"
    if not (home / "done").exists():
        import shutil

        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        t0 = time.perf_counter()
        write_store(home, generate(n, seed), seed)
        (home / "done").write_text(f"{time.perf_counter() - t0:.0f} s to write\n")
    return home


def append_home(n: int, seed: int) -> Path:
    """A copy of the store of this size (with its cache), made once per bench run (the
    ``append`` runs add to it)."""
    return store_home(n, seed).with_name(store_home(n, seed).name + "-append")


def _fresh_append_home(n: int, seed: int) -> None:
    import shutil

    src, dst = store_home(n, seed), append_home(n, seed)
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)


def _append(store: object, count: int) -> None:
    """``count`` new people, each with a job, ~10 ties to existing people and an e-mail
    from the user, written with the importers' bulk inserts in one transaction."""
    from carson.store import Store

    assert isinstance(store, Store)
    rng = np.random.default_rng(store.write_marker())
    db = store.db
    top = int(db.execute("SELECT max(id) FROM people").fetchone()[0])
    me = int(db.execute("SELECT id FROM people WHERE is_me = 1").fetchone()[0])
    orgs = [r[0] for r in db.execute("SELECT id FROM organizations LIMIT 200")]
    it0 = int(db.execute("SELECT ifnull(max(id), 0) FROM interactions").fetchone()[0])
    new = list(range(top + 1, top + 1 + count))
    with store.write():
        store.bulk_insert(
            "people",
            [(p, f"Person {p}", None, None, None, None, "[]", 0, 0, "bench") for p in new],
        )
        store.bulk_insert(
            "employments",
            [(p, int(rng.choice(orgs)), "Analyst", "2024-01-01", None, 1, "bench") for p in new],
        )
        alive = np.array([r[0] for r in db.execute("SELECT id FROM people WHERE id <= ?", (top,))])
        pairs = {(min(p, int(q)), max(p, int(q))) for p in new for q in rng.choice(alive, 10)}
        store.bulk_insert(
            "ties",
            [
                (a, b, "colleague", "bench", None, None, "[]", None)
                for a, b in sorted(pairs)
                if a != b
            ],
        )
        store.bulk_insert_ids(
            "interactions",
            [
                (it0 + k + 1, "2026-01-20T10:00:00", "email", "outbound", None, None, "bench", None)
                for k in range(count)
            ],
        )
        store.bulk_insert_ids(
            "interaction_people",
            [row for k, p in enumerate(new) for row in ((it0 + k + 1, me, 0), (it0 + k + 1, p, 1))],
        )


def _merge(store: object) -> None:
    """Merge one random person with ties and interactions into another (``dedupe.merge``)."""
    from carson.ingest.dedupe import merge
    from carson.store import Store

    assert isinstance(store, Store)
    rng = np.random.default_rng(store.write_marker())
    top = int(store.db.execute("SELECT max(person_id) FROM interaction_people").fetchone()[0])
    picked: list[int] = []
    while len(picked) < 2:
        pid = int(rng.integers(2, top))
        row = store.db.execute(
            "SELECT 1 FROM interaction_people WHERE person_id = ? LIMIT 1", (pid,)
        ).fetchone()
        if row and pid not in picked:
            picked.append(pid)
    merge(store, picked[0], picked[1])


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def store_build_once(n: int, seed: int, mode: str = "build") -> dict[str, float]:
    """One run in this (fresh) process: seconds, +RSS MB and peak RSS MB of

    - ``build``: ``build_network`` (no cache; what the baseline version runs too);
    - ``cold``: ``load_network`` with no cache on disk: the build plus writing the cache;
    - ``warm``: ``load_network`` from the cache the cold run wrote; then, timed apart, the
      first top-k query into the biggest company (``q_s``: it faults in the mapped pages
      it reads) and building a ``Resolver`` (``resolver_s``: what ``find_routes`` adds).
    - ``nextday``: ``load_network`` a day after the newest cache entry: grown from it
      (its sums rescaled, no store reads but the marks).
    - ``append``: on a copy of the store (see :func:`append_home`), 1 % more people, each
      with ~10 ties and an e-mail, written as an import would (not timed); then
      ``load_network``, grown from the entry before the write.
    - ``merge``: on that copy, ``carson dedupe merge`` of two people who each have ties
      and interactions (ties and participants move, a person is deleted; not timed); then
      ``load_network``, grown: their pairs summed again, people and jobs read again.
    - ``rebuild``: ``load_network`` with no graph cache but the feed entry the cold run
      saved (what an upgraded Carson, or other weights, find): built from the feed.
    - ``upgrade``: on the copy, 1 % more people after the feed was saved, then
      ``load_network`` with no graph cache: built from the feed, then grown.
    """
    from carson.store import Store

    copy = mode in ("append", "merge", "upgrade")
    home = append_home(n, seed) if copy else store_home(n, seed)
    if copy:
        import shutil

        from carson.graph import _cache, _load, load_network

        with Store(home, create=False) as store:
            if mode == "upgrade":  # a feed entry of the store just before the write
                shutil.rmtree(home / "cache", ignore_errors=True)
            load_network(store)  # an entry for the store before the write (built once)
            _load.wait_saved()
            if mode == "merge":
                _merge(store)
            else:
                _append(store, n // 100)
            if mode == "upgrade":
                shutil.rmtree(_cache.root(home))
    gc.collect()
    before = rss_mb()
    store = Store(home, create=False)
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    if mode == "build":
        from carson.graph import build_network

        net = build_network(store)
    elif mode in ("nextday", "append", "merge"):  # grown from a graph entry
        from datetime import timedelta

        from carson.graph import _cache, load_network
        from carson.graph._load import _lineage, wait_saved
        from carson.graph.network import resolve_now

        when = None
        if mode == "nextday":
            sig = (
                store.write_marker(),
                int(store.db.execute("PRAGMA schema_version").fetchone()[0]),
            )
            entry = _cache.newest(home, _lineage(sig, GraphWeights()))
            if entry is None:
                raise SystemExit("nextday run: no cache entry to start from")
            when = datetime.fromisoformat(str(entry.key["now"])) + timedelta(days=1)
        t0 = time.perf_counter()
        net = load_network(store, now=when or resolve_now(store))
        if not net.grown:
            raise SystemExit(f"{mode} run: the network was not grown from the cache")
        took = time.perf_counter() - t0
        wait_saved()
        out["saved_s"] = time.perf_counter() - t0
    else:
        import shutil

        from carson.graph import _cache, load_network
        from carson.graph._load import wait_saved

        if mode in ("cold", "rebuild"):
            shutil.rmtree(_cache.root(home), ignore_errors=True)
        if mode == "cold":  # the feed entry too (a path, not ``_cache``: baselines run this)
            shutil.rmtree(home / "cache" / "feed", ignore_errors=True)
        t0 = time.perf_counter()
        net = load_network(store)
        if net.from_cache != (mode == "warm"):
            raise SystemExit(f"{mode} run: from_cache is {net.from_cache}")
        if getattr(net, "from_feed", False) != (mode in ("rebuild", "upgrade")):
            raise SystemExit(f"{mode} run: from_feed is {net.from_feed}")
        if net.grown != (mode == "upgrade"):
            raise SystemExit(f"{mode} run: grown is {net.grown}")
        if mode != "warm":
            took = time.perf_counter() - t0
            wait_saved()
            out["saved_s"] = time.perf_counter() - t0
        if mode == "cold":
            out["disk_mb"] = (
                sum(f.stat().st_size for f in (home / "cache").rglob("*") if f.is_file()) / 2**20
            )
        if mode == "warm":
            took = time.perf_counter() - t0
            # The first company query (top k over the mapped snapshot: forward bounds, a
            # best-first search), then what ``find_routes`` adds before it: the resolver.
            groups = net.tables.staff
            biggest = int(groups.keys[int(np.diff(groups.ptr).argmax())])
            t1 = time.perf_counter()
            snap = net.snapshot
            assert net.me_id is not None
            net.router.top_k(
                [(snap.index_of(net.me_id), 0.0)],
                snap.indices_of(net.staff[biggest]),
                k=K,
                max_edges=MAX_EDGES,
            )
            out["q_s"] = time.perf_counter() - t1
            from carson.resolve import Resolver

            t1 = time.perf_counter()
            Resolver(store)
            out["resolver_s"] = time.perf_counter() - t1
    if mode == "build":
        took = time.perf_counter() - t0
    out |= {"s": took, "mb": rss_mb() - before, "peak_mb": peak_rss_mb()}
    store.close()
    del net
    return out


def store_build(
    n: int, seed: int, runs: int, baseline: str | None = None
) -> dict[str, dict[str, float]]:
    """The graph from a real store of this size, each run in a fresh process: this
    checkout's ``build`` / ``cold`` / ``warm`` (see :func:`store_build_once`) and, with a
    baseline (a directory holding another version's ``carson`` package, e.g. from ``git
    archive``), that version's ``build`` and ``cold``, interleaved round by round. Medians
    per row."""
    import json
    import os
    import subprocess

    store_home(n, seed)
    versions: list[tuple[str, str | None, str]] = [
        ("candidate", None, "build"),
        ("candidate", None, "cold"),
        ("candidate", None, "warm"),
        ("candidate", None, "rebuild"),
    ]
    versions += [("candidate", None, m) for m in ("nextday", "append", "merge", "upgrade")]
    _fresh_append_home(n, seed)
    if baseline:
        versions += [("baseline", baseline, "build"), ("baseline", baseline, "cold")]
    got: dict[str, list[dict[str, float]]] = {f"{v} {m}": [] for v, _, m in versions}
    once = [sys.executable, __file__, "--store-once", str(n), "--seed", str(seed)]
    for _ in range(runs):
        for v, path, mode in versions:
            env = dict(os.environ)
            if path:
                env["PYTHONPATH"] = path
            out = subprocess.run(
                [*once, "--store-mode", mode],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            got[f"{v} {mode}"].append(json.loads(out.splitlines()[-1]))
    return {
        name: {k: statistics.median(r[k] for r in rows) for k in rows[0]}
        for name, rows in got.items()
    }


def demo_build() -> str:
    """``load_network`` end to end on the demo store (median of 5 builds)."""
    import tempfile

    from carson.demo import load_demo
    from carson.graph import build_network
    from carson.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        load_demo(Path(tmp), seed=7)
        store = Store(Path(tmp), create=False)
        c = store.counts()
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            build_network(store)
            times.append(time.perf_counter() - t0)
        store.close()
    return (
        f"demo store ({c.people:,} people, {c.ties:,} ties, {c.interactions:,} interactions):"
        f" load_network median {statistics.median(times):.3f} s"
        f" (min {min(times):.3f}, max {max(times):.3f})"
    )


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
    rows_s, rows_mb, rows_n = time_build(data, seed)
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

    t = time.perf_counter()
    company(int(companies[0]))  # the first query also builds the user's forward bounds
    first_ms = (time.perf_counter() - t) * 1000
    for c in companies[:3]:
        company(int(c))  # warm-up
    ctimes, ptimes, ccpu = [], [], []
    ours: dict[int, list[float]] = {}
    gc.disable()
    for _ in range(5):
        for c in companies:
            t, u = time.perf_counter(), time.thread_time()
            ours[int(c)] = company(int(c))
            ctimes.append((time.perf_counter() - t) * 1000)
            ccpu.append((time.thread_time() - u) * 1000)
        for p in people:
            t = time.perf_counter()
            person(int(p))
            ptimes.append((time.perf_counter() - t) * 1000)
    gc.enable()
    query_rss = rss_mb()
    cmed = [statistics.median(ctimes[i::20]) for i in range(20)]
    pmed = [statistics.median(ptimes[i::20]) for i in range(20)]

    # Baseline: networkx Yen on the same graph, same process.
    t0 = time.perf_counter()
    g = nx.Graph()
    if yen_queries:  # --yen-queries 0 skips the baseline (and its minute-long build at 1M)
        g.add_nodes_from(range(n))
        g.add_weighted_edges_from(
            zip(data["a"].tolist(), data["b"].tolist(), data["cost"].tolist(), strict=True),
            weight="w",
        )
    nx_build_s = time.perf_counter() - t0 if yen_queries else float("nan")
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
        "rows_s": rows_s,
        "rows_mb": rows_mb,
        "rows_n": rows_n,
        "first_ms": first_ms,
        "c95m": pct(cmed, 0.95),
        "p95m": pct(pmed, 0.95),
        "snap_mb": snap_mb,
        "rss_mb": query_rss - base_rss,
        "gen_mb": gen_rss - base_rss,
        "c50": pct(ctimes, 0.5),
        "c95": pct(ctimes, 0.95),
        "cpu50": pct(ccpu, 0.5),
        "cpu95": pct(ccpu, 0.95),
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
    ap.add_argument("--demo", action="store_true", help="also time load_network on the demo")
    ap.add_argument(
        "--store-sizes",
        default="",
        help="also time build_network from a real SQLite store of these sizes (written once)",
    )
    ap.add_argument("--store-runs", type=int, default=3)
    ap.add_argument(
        "--store-baseline",
        default=None,
        help="directory with another version's carson package (git archive REV carson | tar"
        " -x -C DIR): its store builds run interleaved with this checkout's",
    )
    ap.add_argument("--store-once", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--store-mode", default="build", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.store_once:
        import json

        print(json.dumps(store_build_once(args.store_once, args.seed, args.store_mode)))
        return
    stores = []
    for n in [int(x) for x in args.store_sizes.split(",") if x]:
        print(f"building from a {n:,}-person store …", file=sys.stderr, flush=True)
        stores.append((n, store_build(n, args.seed, args.store_runs, args.store_baseline)))
        print(stores[-1], file=sys.stderr, flush=True)
    rows = []
    for n in [int(s) for s in args.sizes.split(",") if s]:
        print(f"benchmarking {n:,} people …", file=sys.stderr, flush=True)
        row = bench(n, args.yen_queries, args.seed)
        rows.append(row)
        print(row, file=sys.stderr, flush=True)
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"load average at the end: {load}")
    if args.demo:
        print(demo_build())
    if stores:
        print(
            f"the graph from a real store (median of {args.store_runs}, a fresh process each,"
            " interleaved; build = build_network, cold = load_network with no cache (build +"
            " write the cache), warm = load_network from the cache, then one company query;"
            " nextday = load_network a day after the newest entry, grown from it; append ="
            " load_network after an import of 1 % more people with ~10 ties each, grown;"
            " merge = load_network after merging two people, grown; rebuild = load_network"
            " with no graph cache (an upgrade, other weights), from the feed entry; upgrade ="
            " the same after 1 % more people, from the feed entry then grown):"
        )
        print(
            "| people | version | run | s | s until the cache is written | +RSS MB | peak RSS MB "
            "| cache on disk MB | first query s | Resolver s |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        for n, r in stores:
            for name, m in r.items():
                v, mode = name.split()
                disk = f"{m['disk_mb']:.0f}" if "disk_mb" in m else ""
                q = f"{m['q_s']:.3f} | {m['resolver_s']:.2f}" if "q_s" in m else " |"
                saved = f"{m['saved_s']:.3f}" if "saved_s" in m else ""
                print(
                    f"| {n:,} | {v} | {mode} | {m['s']:.3f} | {saved} | {m['mb']:.0f} "
                    f"| {m['peak_mb']:.0f} | {disk} | {q} |"
                )
    if not rows:
        return
    print(
        "| people | ties | build from rows s (CPU s; rows, +MB) | CSR-only s | snapshot MB "
        "| RSS MB "
        "| first ms | company p50 / p95 ms (p95 of medians) | company CPU p50 / p95 ms "
        "| person p50 / p95 ms "
        "(p95 of medians) | nx build s | nx MB | Yen p50 ms (n, timeouts) "
        "| same top-k | min speed-up |"
    )
    print("|" + "---|" * 15)
    for r in rows:
        print(
            f"| {r['people']:,} | {r['ties']:,} "
            f"| {r['rows_s']:.2f} (CPU {BUILD_CPU.get(int(str(r['people'])), 0):.2f}; "
            f"{r['rows_n'] / 1e6:.1f}M, +{r['rows_mb']:.0f}) "
            f"| {r['build_s']:.2f} | {r['snap_mb']:.0f} | {r['rss_mb']:.0f} "
            f"| {r['first_ms']:.1f} | {r['c50']:.2f} / {r['c95']:.2f} ({r['c95m']:.2f}) "
            f"| {r['cpu50']:.2f} / {r['cpu95']:.2f} "
            f"| {r['p50']:.2f} / {r['p95']:.2f} ({r['p95m']:.2f}) "
            f"| {r['nx_build_s']:.1f} | {r['nx_rss_mb']:.0f} "
            f"| {r['yen50']:.0f} ({r['yen_n']}, {r['yen_timeouts']}) "
            f"| {r['same']}/{r['yen_n'] - r['yen_timeouts']} | {r['speedup_min']:.0f}× |"
        )


if __name__ == "__main__":
    main()
