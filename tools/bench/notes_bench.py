"""Notes memory benchmark: embedding rate and top-5 search latency at 1k / 10k / 100k notes.

    .venv/bin/python tools/bench/notes_bench.py [--sizes 1000,10000,100000] [--queries 200]

Prints, with baselines measured in the same run:

1. Embedding rate (notes/s) on the same sample of notes: one note at a time on one
   thread (the baseline), length-sorted batches on one thread, and Carson's default
   (length-sorted batches spread over worker threads, one per core).
2. For each size, the notes are added through ``NotesIndex.add`` (what ``carson note``
   and ``carson reindex`` do): end-to-end index rate (embed + Chroma upsert). Only
   ``--unique`` (10,000) texts are distinct: notes past that repeat them and reuse
   their vectors, so the 100k index builds in minutes (the embed rate is step 1's).
3. Top-5 latency (median, p95) of ``search_notes`` including embedding the query, its
   parts (query embedding alone, Chroma top-5 alone), a query naming a person (the
   hybrid path), and the baseline: an exact numpy scan over all vectors, with the
   recall@5 of Chroma's HNSW against it.

Targets (issue 5, this 2-core machine): embedding >= 400 notes/s; top-5 query
including the query embedding <= 8 ms median at 100,000 notes. Timings on a shared
machine are noisy: compare the figures within one run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from carson.models import Employment, Note, Organization, Person
from carson.notes.embedder import Embedder, EmbedderInfo, LocalEmbedder
from carson.notes.index import NotesIndex
from carson.notes.search import search_notes
from carson.resolve import Resolver
from carson.store import Store

FIRST = [
    "Harry",
    "Sarah",
    "Tom",
    "Priya",
    "Wei",
    "Ana",
    "Omar",
    "Lena",
    "Raj",
    "Chloe",
    "Diego",
    "Mia",
    "Ken",
    "Zoe",
    "Ivan",
    "Nora",
]
LAST = [
    "Smith",
    "Lee",
    "Baker",
    "Patel",
    "Chen",
    "Silva",
    "Haddad",
    "Novak",
    "Rao",
    "Martin",
    "Ortiz",
    "Kim",
    "Sato",
    "Berg",
    "Petrov",
]
COMPANIES = [
    "Goldman Sachs",
    "Acme Corp",
    "Initech",
    "Globex",
    "Umbrella Health",
    "Stark Industries",
    "Wayne Logistics",
    "Hooli",
    "Vandelay Imports",
    "Soylent Foods",
    "Tyrell Systems",
    "Cyberdyne",
    "Wonka Retail",
    "Oceanic Air",
    "Massive Dynamic",
    "Aperture Labs",
]
TOPICS = [
    "payroll runs late every month and {vendor} keeps making errors",
    "their team is moving off {vendor} in Q{q}",
    "budget for new tools is frozen until {month}",
    "finance is fed up with manual spreadsheets for expenses",
    "they had two outages last quarter and the CTO is under pressure",
    "hiring {n} SDRs this quarter, recruiting is the bottleneck",
    "training for the {city} marathon in {month}",
    "ran a half marathon last weekend, loves trail running",
    "daughter just started college at {school}",
    "son plays travel soccer, weekends are busy",
    "getting married in {month}, honeymoon in {city}",
    "big golf fan, plays every Saturday",
    "speaking at the {city} fintech summit in {month}",
    "just got promoted to VP of {dept}",
    "relocating to {city} after the reorg",
    "renewal with {vendor} is due in {month}, they are shopping around",
    "compliance audit found gaps in access reviews",
    "the board wants SOC 2 by {month}",
    "new CFO started, wants to consolidate vendors",
    "churn went up after the price change",
]
FILL = {
    "vendor": ["ADP", "Workday", "Gusto", "Paychex", "Salesforce", "Zendesk", "Okta", "SAP"],
    "q": ["1", "2", "3", "4"],
    "month": ["January", "March", "April", "June", "September", "October", "December"],
    "n": ["two", "three", "five", "ten"],
    "city": ["Boston", "Chicago", "Berlin", "London", "Austin", "Denver", "Lisbon"],
    "school": ["Michigan", "NYU", "UCLA", "Georgia Tech", "McGill"],
    "dept": ["Finance", "Sales", "Engineering", "Operations", "People"],
}
FRAMES = [
    "Coffee with {name}: {topic}.",
    "Call with {name} — {topic}.",
    "{name} mentioned {topic}.",
    "Met {name} at the {company} offsite; {topic}.",
    "Lunch with {name} from {company}. {topic_cap}.",
]
QUERIES = [
    "payroll problems",
    "who is moving off their vendor",
    "budget freeze",
    "marathon",
    "family news",
    "hiring plans",
    "security compliance audit",
    "vendor renewal coming up",
    "new executive started",
    "outages and reliability",
    "golf",
    "relocation",
    "promotion",
    "manual expense spreadsheets",
    "churn after pricing change",
    "wedding",
]


def make_people(n: int, rng: random.Random) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in seen:
            name = f"{name}-{len(out)}"
        seen.add(name)
        out.append((name, rng.choice(COMPANIES)))
    return out


def make_notes(n: int, people: list[tuple[str, str]], rng: random.Random) -> list[tuple[str, int]]:
    """(text, person index) pairs."""
    out = []
    for _ in range(n):
        pi = rng.randrange(len(people))
        name, company = people[pi]
        topic = rng.choice(TOPICS)
        for key, values in FILL.items():
            topic = topic.replace("{" + key + "}", rng.choice(values))
        frame = rng.choice(FRAMES)
        text = frame.format(
            name=name, company=company, topic=topic, topic_cap=topic[0].upper() + topic[1:]
        )
        out.append((text, pi))
    return out


class MemoEmbedder(Embedder):
    """Carson's embedder, remembering vectors of texts it has seen (for repeated texts)."""

    def __init__(self, inner: LocalEmbedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.memo: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if t not in self.memo))
        if todo:
            for t, v in zip(todo, self.inner.embed(todo), strict=True):
                self.memo[t] = v
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self.memo[t] for t in texts])

    def info(self) -> EmbedderInfo:
        return self.inner.info()


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def ms(samples: list[float]) -> str:
    arr = np.asarray(samples) * 1000
    return f"median {np.median(arr):6.2f} ms   p95 {np.percentile(arr, 95):6.2f} ms"


def bench_embedding(texts: list[str], repeat: int) -> None:
    print(f"\n== Embedding rate, {len(texts):,} notes (median of {repeat} runs) ==")
    variants = [
        ("baseline: one note at a time, 1 thread", LocalEmbedder(threads=1, batch_size=1)),
        ("batched by length (32), 1 thread", LocalEmbedder(threads=1)),
        ("Carson default: batched by length, 2 workers", LocalEmbedder()),
    ]
    for _, emb in variants:
        emb.embed(texts[:8])  # load, warm up
    rows = []
    for label, emb in variants:
        walls, cpus = [], []
        for _ in range(repeat):
            cpu0, wall0 = time.process_time(), time.perf_counter()
            emb.embed(texts)
            walls.append(time.perf_counter() - wall0)
            cpus.append(time.process_time() - cpu0)
        rows.append((label, len(texts) / statistics.median(walls), statistics.median(cpus)))
    base = rows[0][1]
    for label, rate, cpu in rows:
        print(
            f"  {label:<48} {rate:8.0f} notes/s   x{rate / base:4.2f}"
            f"   ({len(texts) / cpu:5.0f} notes per CPU-second)"
        )
    print(
        "  (notes per CPU-second is what one idle core would give; on a busy machine the"
        " wall-clock rate falls below it)"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--embed-sample", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument(
        "--unique",
        type=int,
        default=10000,
        help="distinct note texts; later notes repeat them and reuse their vectors",
    )
    args = ap.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rng = random.Random(args.seed)
    people = make_people(args.people, rng)
    unique = make_notes(min(args.unique, max(sizes)), people, rng)
    notes = [unique[i % len(unique)] for i in range(max(sizes))]

    import os

    print(f"notes bench: {os.cpu_count()} cores, sizes {sizes}, seed {args.seed}")
    bench_embedding([t for t, _ in notes[: args.embed_sample]], args.repeat)

    with tempfile.TemporaryDirectory(prefix="carson-notes-bench-") as tmp:
        home = Path(tmp)
        store = Store(home)
        with store.write():
            org_ids = {c: store.add_organization(Organization(name=c)).id or 0 for c in COMPANIES}
            pids = []
            for name, company in people:
                pid = store.add_person(Person(name=name)).id or 0
                store.add_employment(Employment(person_id=pid, org_id=org_ids[company]))
                pids.append(pid)
        resolver = Resolver(store)
        memo = MemoEmbedder(LocalEmbedder())
        index = NotesIndex(home, memo)
        start_day = datetime(2024, 1, 1)
        done = 0
        for size in sizes:
            batch = []
            with store.write():
                for i in range(done, size):
                    text, pi = notes[i]
                    at = start_day + timedelta(minutes=7 * i)
                    batch.append(store.add_note(Note(text=text, people=[pids[pi]], at=at)))
            fresh = len({t for t, _ in notes[done:size]} - set(memo.memo))
            start = time.perf_counter()
            index.add(store, batch, resolver=resolver)
            secs = time.perf_counter() - start
            done = size
            print(f"\n== {size:,} notes ==")
            how = (
                "embed + Chroma upsert"
                if fresh == len(batch)
                else (
                    f"{fresh:,} embedded, {len(batch) - fresh:,} repeated texts reuse their vectors"
                )
            )
            print(
                f"  indexed {len(batch):,} new notes in {secs:.1f} s: "
                f"{len(batch) / secs:.0f} notes/s ({how})"
            )
            index.embedder = memo.inner  # queries are embedded for real, every time
            bench_queries(store, index, resolver, args.queries, people, rng)
            index.embedder = memo
        store.close()
    return 0


def bench_queries(
    store: Store,
    index: NotesIndex,
    resolver: Resolver,
    n: int,
    people: list[tuple[str, str]],
    rng: random.Random,
) -> None:
    queries = [QUERIES[i % len(QUERIES)] for i in range(n)]
    emb = index.embedder
    for q in QUERIES:  # warm up
        search_notes(store, q, index=index, resolver=resolver)
    vectors = [emb.embed([q])[0] for q in QUERIES]

    t_search = []
    for q in queries:
        start = time.perf_counter()
        search_notes(store, q, k=5, index=index, resolver=resolver)
        t_search.append(time.perf_counter() - start)
    t_embed = [t for q in queries for t in timed(lambda q=q: emb.embed([q]), 1)]
    t_chroma = [
        t
        for i in range(n)
        for t in timed(lambda i=i: index.nearest(vectors[i % len(vectors)], k=5), 1)
    ]
    named = [f"{people[rng.randrange(len(people))][0]} payroll" for _ in range(max(20, n // 4))]
    t_named = [
        t
        for q in named
        for t in timed(lambda q=q: search_notes(store, q, index=index, resolver=resolver), 1)
    ]

    # Baseline: exact top-5 by a numpy scan over every vector (and HNSW recall against it).
    got = index.collection.get(include=["embeddings"])
    matrix = np.asarray(got["embeddings"], dtype=np.float32)
    t_scan = []
    recall = []
    for i in range(n):
        v = vectors[i % len(vectors)]
        start = time.perf_counter()
        sims = matrix @ v
        top = np.argpartition(-sims, 5)[:5]
        t_scan.append(time.perf_counter() - start)
        if i < len(vectors):
            # Repeated texts tie: a row counts as found when it scores as well as the
            # exact 5th best, whichever of the tied notes it is.
            fifth = float(np.min(sims[top]))
            approx = index.nearest(v, k=5)
            recall.append(sum(r.similarity >= fifth - 1e-4 for r in approx) / 5)

    print(f"  search_notes top-5 (query embed + hybrid search)  {ms(t_search)}")
    print(f"    query embedding alone                            {ms(t_embed)}")
    print(f"    Chroma HNSW top-5 alone                          {ms(t_chroma)}")
    print(f"  search_notes naming a person (hybrid path)        {ms(t_named)}")
    print(f"  baseline: exact numpy scan top-5 (no embedding)   {ms(t_scan)}")
    print(f"  HNSW recall@5 vs exact scan                       {np.mean(recall):.3f}")


if __name__ == "__main__":
    sys.exit(main())
