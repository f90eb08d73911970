"""Notes memory benchmark: embedding rate and top-5 search latency at 1k / 10k / 100k notes.

    .venv/bin/python tools/bench/notes_bench.py [--sizes 1000,10000,100000] [--queries 200]

Prints, with baselines measured in the same run:

1. Embedding rate (notes/s, and notes per CPU-second) on the same sample of notes,
   interleaved run by run: the previous embedder (the packaged int8 weights run in
   fp32, ``all-MiniLM-L6-v2-onnx-int8``) one note at a time and with Carson's
   batching, the baselines; then Carson's int8 embedder (``-int8-dyn``: int8
   products, see ``carson/notes/_quantize.py``) one note at a time, batched on one
   thread, as its first derivation ran (attention unfused, onnxruntime's
   SkipLayerNormalization fusion on), with only the attention fused, and its default
   (length-sorted batches of 16 on two workers); and the query path (one short text)
   of both. ``--embed-only`` stops there.
2. The corpus: ``--corpus`` (100,000) distinct note texts from combinatorial
   templates; their vectors are embedded once and cached in ``--cache-dir`` under a
   hash of the texts and the model, so reruns measure indexing and queries only.
3. For each size, the notes are added through ``NotesIndex.add`` (what ``carson note``
   and ``carson reindex`` do, vectors precomputed): Chroma upsert and metadata rate.
   The resulting data home (SQLite + Chroma, ~0.5 GB at 100k) is cached in
   ``--cache-dir`` too, keyed by the corpus, the store's migrations and the index
   format, and copied into a temp dir on later runs (``--rebuild-index`` to index
   afresh); the indexing rate printed then is the one measured when it was built.
4. Top-5 latency (median, p95) of ``search_notes`` including embedding the query, and
   its parts measured alone, interleaved query by query (tokenize, onnxruntime run,
   Chroma top-5, query parsing, the SQLite lookup of the 5 notes); queries naming a
   person; queries naming a company, next to the exact path they replaced (every note
   about the company scored from SQLite) and how often both give the same top 5; and
   the baseline: an exact numpy scan over all vectors, with the recall@5 of Chroma's
   HNSW against it. The load average is printed beside each size: other work on the
   machine inflates every figure.

To bench an older checkout with this script: ``git worktree add /tmp/notes-old <rev>``
then ``PYTHONPATH=/tmp/notes-old .venv/bin/python tools/bench/notes_bench.py``.

Short run while developing: ``--corpus 10000 --sizes 1000,10000 --queries 50``
(the vectors of a new corpus or model are embedded once, ~1 min per 10,000 notes).

Targets (issue 5, this 2-core machine): embedding >= 400 notes/s; top-5 query
including the query embedding <= 8 ms median at 100,000 notes. Timings on a shared
machine are noisy: compare the figures within one run.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from carson.models import Employment, Note, Organization, Person
from carson.notes.embedder import (
    LOCAL_NAME,
    MODEL_SHA256,
    PREVIOUS_NAME,
    Embedder,
    EmbedderInfo,
    LocalEmbedder,
)
from carson.notes.index import NotesIndex
from carson.notes.search import NoteHit, search_notes
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


WHEN = ["", " last week", " this spring", " after the board meeting", " over lunch", " again"]


def make_notes(n: int, people: list[tuple[str, str]], rng: random.Random) -> list[tuple[str, int]]:
    """``n`` (text, person index) pairs, every text distinct.

    Frames x topics x fillers x people x time phrases give millions of sentences, so
    rejecting repeats costs little. Identical texts would make identical vectors,
    which no real notebook has and which break HNSW (and its recall figure).
    """
    out: list[tuple[str, int]] = []
    seen: set[str] = set()
    while len(out) < n:
        pi = rng.randrange(len(people))
        name, company = people[pi]
        topic = rng.choice(TOPICS)
        for key, values in FILL.items():
            topic = topic.replace("{" + key + "}", rng.choice(values))
        topic += rng.choice(WHEN)
        frame = rng.choice(FRAMES)
        text = frame.format(
            name=name, company=company, topic=topic, topic_cap=topic[0].upper() + topic[1:]
        )
        if text in seen:
            continue
        seen.add(text)
        out.append((text, pi))
    return out


def cached_vectors(texts: list[str], embedder: LocalEmbedder, cache_dir: Path) -> np.ndarray:
    """The embedder's vectors for ``texts``, computed once per text set and kept on disk.

    The file is keyed by a hash of the texts and the model, so a changed generator or
    model embeds afresh; reruns then measure only indexing and queries.
    """
    h = hashlib.sha256(f"{embedder.name}|{MODEL_SHA256}".encode())
    for t in texts:
        h.update(t.encode())
        h.update(b"\0")
    path = cache_dir / f"vectors-{len(texts)}-{h.hexdigest()[:16]}.npy"
    if path.exists():
        vectors = np.load(path)
        if vectors.shape == (len(texts), embedder.dim):
            print(f"  vectors for {len(texts):,} notes loaded from {path}")
            return vectors
    print(f"  embedding {len(texts):,} notes once (cached in {path}) ...", flush=True)
    start = time.perf_counter()
    parts = []
    for i in range(0, len(texts), 5000):
        parts.append(embedder.embed(texts[i : i + 5000]))
        done = i + len(parts[-1])
        print(f"    {done:,} notes, {done / (time.perf_counter() - start):.0f} notes/s", flush=True)
    vectors = np.vstack(parts).astype(np.float32)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vectors)
    tmp.replace(path)
    return vectors


class PrecomputedEmbedder(Embedder):
    """Carson's embedder for the bench's notes, answering from their cached vectors."""

    def __init__(self, inner: LocalEmbedder, texts: list[str], vectors: np.ndarray) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.rows = {t: i for i, t in enumerate(texts)}
        self.vectors = vectors

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if all(t in self.rows for t in texts):
            return self.vectors[[self.rows[t] for t in texts]]
        return self.inner.embed(texts)

    def info(self) -> EmbedderInfo:
        return self.inner.info()


class Derivation1(LocalEmbedder):
    """Carson's int8 embedder as its first derivation ran: the attention left as
    exported (reshapes, transposes, MatMuls, softmax) and onnxruntime's
    SkipLayerNormalization fusion on. Derived in memory, never cached."""

    def __init__(self) -> None:
        super().__init__()
        self.disabled_optimizers = []

    def _derived(self, source: Path) -> str | bytes:
        from carson.notes import _quantize

        return _quantize.derive(source.read_bytes(), attention=False)


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
    print(
        f"\n== Embedding rate, {len(texts):,} notes (median of {repeat} interleaved runs,"
        f" load {load()}) =="
    )
    skip_layer_norm = LocalEmbedder()
    skip_layer_norm.disabled_optimizers = []
    variants = [
        (
            f"baseline: previous ({PREVIOUS_NAME}), one at a time",
            LocalEmbedder(threads=1, batch_size=1, int8=False),
        ),
        ("baseline: previous, batches of 16, 2 workers", LocalEmbedder(int8=False)),
        ("int8: one note at a time, 1 thread", LocalEmbedder(threads=1, batch_size=1)),
        ("int8: batched by length (16), 1 thread", LocalEmbedder(threads=1)),
        ("int8: 2 workers, batches of 32", LocalEmbedder(threads=2, batch_size=32)),
        ("int8 as derivation 1 (as before): 16, 2 workers", Derivation1()),
        ("int8, attention fused + SkipLayerNorm: 16, 2 workers", skip_layer_norm),
        (f"Carson default ({LOCAL_NAME}): 16, 2 workers", LocalEmbedder()),
    ]
    for _, emb in variants:
        emb.embed(texts[:8])  # load, warm up
    walls: dict[str, list[float]] = {label: [] for label, _ in variants}
    cpus: dict[str, list[float]] = {label: [] for label, _ in variants}
    for _ in range(repeat):  # interleaved: the load on the machine drifts
        for label, emb in variants:
            cpu0, wall0 = time.process_time(), time.perf_counter()
            emb.embed(texts)
            walls[label].append(time.perf_counter() - wall0)
            cpus[label].append(time.process_time() - cpu0)
    base = len(texts) / statistics.median(walls[variants[1][0]])
    for label, _ in variants:
        rate = len(texts) / statistics.median(walls[label])
        cpu = statistics.median(cpus[label])
        print(
            f"  {label:<58} {rate:6.0f} notes/s   x{rate / base:4.2f}"
            f"   ({len(texts) / cpu:5.0f} notes per CPU-second)"
        )
    print(
        "  (x: against the previous embedder with the same batching. Notes per CPU-second"
        " is what one idle core gives; two idle cores give about twice that, a busy"
        " machine less)"
    )
    # One short text, as a query: Carson's 1-thread session against 2-thread ones.
    queries = [QUERIES[i % len(QUERIES)] for i in range(20 * len(QUERIES))]
    single = [
        ("baseline: previous, 1-thread session", LocalEmbedder(int8=False)),
        ("Carson default: int8, 1-thread session", LocalEmbedder()),
        ("int8, 2 intra-op threads, no spinning", LocalEmbedder(session_threads=2)),
    ]
    times: dict[str, list[float]] = {label: [] for label, _ in single}
    for _, emb in single:
        emb.embed([QUERIES[0]])
    for q in queries:  # interleaved
        for label, emb in single:
            times[label] += timed(lambda emb=emb, q=q: emb.embed([q]), 1)
    print(f"  query embedding, one short text ({len(queries)} each, load {load()}):")
    for label, _ in single:
        print(f"    {label:<46} {ms(times[label])}")


START_DAY = datetime(2024, 1, 1)
HOME_FORMAT = 1
"""Bump when what the bench stores in a home changes, so cached homes are rebuilt."""


def corpus_key(texts: list[str], args: argparse.Namespace) -> str:
    """Names a cached home: the notes, people, seed, store schema and index format."""
    from carson.notes import index as index_module
    from carson.store.migrations import MIGRATIONS

    h = hashlib.sha256(
        f"{args.seed}|{args.people}|{HOME_FORMAT}|{len(MIGRATIONS)}|"
        f"{getattr(index_module, 'INDEX_FORMAT', 1)}|{MODEL_SHA256}|{LOCAL_NAME}".encode()
    )
    for t in texts:
        h.update(t.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def _add_people(store: Store, people: list[tuple[str, str]]) -> None:
    with store.write():
        org_ids = {c: store.add_organization(Organization(name=c)).id or 0 for c in COMPANIES}
        for name, company in people:
            pid = store.add_person(Person(name=name)).id or 0
            store.add_employment(Employment(person_id=pid, org_id=org_ids[company]))


def _release_chroma(index: NotesIndex | None) -> None:
    """Let go of Chroma's cached client so its files can be copied and reopened."""
    from chromadb.api.client import SharedSystemClient

    if index is not None:
        index._client = None
        index._collection = None
    SharedSystemClient.clear_system_cache()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--embed-sample", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument(
        "--corpus",
        type=int,
        default=100_000,
        help="distinct notes generated (and embedded once); each size uses the first ones",
    )
    ap.add_argument("--skip-embed-rate", action="store_true", help="only index and query")
    ap.add_argument("--embed-only", action="store_true", help="only the embedding rate")
    ap.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "carson-notes-bench",
        help="where the notes' vectors are kept between runs (keyed by the texts' hash)",
    )
    ap.add_argument(
        "--rebuild-index",
        action="store_true",
        help="index afresh instead of copying the homes (SQLite + Chroma) cached in --cache-dir",
    )
    args = ap.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rng = random.Random(args.seed)
    people = make_people(args.people, rng)
    notes = make_notes(max(args.corpus, *sizes), people, rng)
    texts = [t for t, _ in notes]

    print(
        f"notes bench: {os.cpu_count()} cores, sizes {sizes}, seed {args.seed}, "
        f"{len(texts):,} distinct texts; load average {load()}"
    )
    if not args.skip_embed_rate:
        bench_embedding(texts[: args.embed_sample], args.repeat)
    if args.embed_only:
        return 0
    print(f"\n== Vectors for {len(texts):,} notes ==")
    vectors = cached_vectors(texts, LocalEmbedder(), args.cache_dir)

    key = corpus_key(texts, args)
    work = Path(tempfile.mkdtemp(prefix="carson-notes-bench-"))
    try:
        store: Store | None = None
        index: NotesIndex | None = None
        pre = PrecomputedEmbedder(LocalEmbedder(), texts, vectors)
        done = 0
        for size in sizes:
            cached = args.cache_dir / f"home-{size}-{key}"
            home = work / f"home-{size}"
            if cached.is_dir() and not args.rebuild_index:
                if store is not None:
                    store.close()
                    _release_chroma(index)
                shutil.copytree(cached, home)
                store, index = Store(home), NotesIndex(home, pre)
                built = (cached / "bench-built.txt").read_text().strip()
                note = f"index copied from {cached} ({built})"
            else:
                if store is None:
                    home.mkdir()
                    store = Store(home)
                    _add_people(store, people)
                else:  # grow the previous size's home
                    store.close()
                    _release_chroma(index)
                    shutil.copytree(work / f"home-{done}", home)
                    store = Store(home)
                index = NotesIndex(home, pre)
                pids = {p.name: p.id or 0 for p in store.people()}
                have = store.note_stats()[0]
                batch = []
                with store.write():
                    for i in range(have, size):
                        text, pi = notes[i]
                        at = START_DAY + timedelta(minutes=7 * i)
                        batch.append(
                            store.add_note(Note(text=text, people=[pids[people[pi][0]]], at=at))
                        )
                start = time.perf_counter()
                index.add(store, batch, resolver=Resolver(store))
                secs = time.perf_counter() - start
                note = (
                    f"indexed {len(batch):,} new notes in {secs:.1f} s: {len(batch) / secs:.0f}"
                    " notes/s (Chroma upsert and metadata; vectors precomputed)"
                )
                store.close()
                _release_chroma(index)
                (home / "bench-built.txt").write_text(f"built {time.ctime()}: {note}\n")
                if cached.exists():
                    shutil.rmtree(cached)
                shutil.copytree(home, cached)
                store, index = Store(home), NotesIndex(home, pre)
            done = size
            index.count()  # open the collection before timing anything
            print(f"\n== {size:,} notes (load average {load()}) ==")
            print(f"  {note}")
            index.embedder = pre.inner  # queries are embedded for real, every time
            bench_queries(store, index, Resolver(store), args.queries, people, rng, vectors[:size])
        if store is not None:
            store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def bench_queries(
    store: Store,
    index: NotesIndex,
    resolver: Resolver,
    n: int,
    people: list[tuple[str, str]],
    rng: random.Random,
    matrix: np.ndarray,
) -> None:
    """Top-5 latencies, each measurement interleaved with the others (load drifts)."""
    import carson.notes.search as search_module

    queries = [QUERIES[i % len(QUERIES)] for i in range(n)]
    emb = index.embedder
    assert isinstance(emb, LocalEmbedder)
    for q in QUERIES:  # warm up
        search_notes(store, q, index=index, resolver=resolver)
    vectors = {q: emb.embed([q])[0] for q in QUERIES}
    nearest = index.nearest_ids  # the bare Chroma call
    tokenizer, session = emb._tokenizer, emb._session

    def search(q: str) -> list[NoteHit]:  # as the agent's tool calls it
        return search_notes(store, q, k=5, index=index, resolver=resolver)

    def ort_run(q: str) -> float:
        ids = np.asarray([tokenizer.encode(q).ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        feeds["token_type_ids"] = np.zeros_like(ids)
        start = time.perf_counter()
        session.run(None, feeds)
        return time.perf_counter() - start

    parts: dict[str, list[float]] = {
        k: [] for k in ("search", "embed", "tokenize", "ort", "chroma", "understand", "notes")
    }
    for q in queries:
        parts["search"] += timed(lambda q=q: search(q), 1)
        parts["embed"] += timed(lambda q=q: emb.embed([q]), 1)
        parts["tokenize"] += timed(lambda q=q: tokenizer.encode(q), 1)
        parts["ort"].append(ort_run(q))
        parts["chroma"] += timed(lambda q=q: nearest(vectors[q], k=5), 1)
        parts["understand"] += timed(lambda q=q: search_module._understand(q, resolver), 1)
        top = [nid for nid, _ in index.nearest_ids(vectors[q], k=5)]
        parts["notes"] += timed(lambda top=top: store.notes_by_id(top), 1)

    named = [f"{people[rng.randrange(len(people))][0]} payroll" for _ in range(max(20, n // 4))]
    t_named = [t for q in named for t in timed(lambda q=q: search(q), 1)]

    # Company-named queries: the current path and, interleaved, the exact path (every
    # note about the company scored from SQLite: the previous behaviour, forced here
    # by raising ORG_EXACT_MAX), with how often their top 5 agree.
    by_org = [f"{rng.choice(COMPANIES)} {rng.choice(QUERIES)}" for _ in range(max(20, n // 4))]
    t_org, t_exact, same = [], [], []
    exact_max = getattr(search_module, "ORG_EXACT_MAX", None)
    for q in by_org:
        start = time.perf_counter()
        got = search(q)
        t_org.append(time.perf_counter() - start)
        if exact_max is not None:
            search_module.ORG_EXACT_MAX = 10**9  # type: ignore[attr-defined]
            try:
                start = time.perf_counter()
                want = search(q)
                t_exact.append(time.perf_counter() - start)
            finally:
                search_module.ORG_EXACT_MAX = exact_max  # type: ignore[attr-defined]
            same.append([h.id for h in got] == [h.id for h in want])

    # Baseline: exact top-5 by a numpy scan over every vector; HNSW recall@5 against it.
    t_scan = []
    recall = []
    for i in range(n):
        v = vectors[QUERIES[i % len(QUERIES)]]
        start = time.perf_counter()
        sims = matrix @ v
        top5 = np.argpartition(-sims, 5)[:5]
        t_scan.append(time.perf_counter() - start)
        if i < len(QUERIES):
            # Ties at the 5th similarity count as found (near-duplicate notes).
            kth = float(np.min(sims[top5]))
            approx = index.nearest_ids(v, k=5)
            recall.append(sum(1 for _, sim in approx if sim >= kth - 1e-6) / 5)

    print(f"  search_notes top-5 (query embed + hybrid search)  {ms(parts['search'])}")
    print(f"    query embedding (LocalEmbedder.embed, 1 text)    {ms(parts['embed'])}")
    print(f"      tokenize                                       {ms(parts['tokenize'])}")
    print(f"      onnxruntime run                                {ms(parts['ort'])}")
    print(f"    Chroma HNSW top-5 alone (NotesIndex.nearest_ids) {ms(parts['chroma'])}")
    print(f"    query parsing (names, companies)                 {ms(parts['understand'])}")
    print(f"    SQLite: the 5 notes by id                        {ms(parts['notes'])}")
    print(f"  search_notes naming a person (hybrid path)        {ms(t_named)}")
    print(f"  search_notes naming a company (hybrid path)       {ms(t_org)}")
    if t_exact:
        print(f"    baseline: every company note scored (exact)      {ms(t_exact)}")
        print(
            f"    same top 5 as the exact path                     {sum(same)}/{len(same)} queries"
        )
    print(f"  baseline: exact numpy scan top-5 (no embedding)   {ms(t_scan)}")
    print(f"  HNSW recall@5 vs exact scan ({len(recall)} queries)        {np.mean(recall):.3f}")
    print(f"  (load average after: {load()})")


if __name__ == "__main__":
    sys.exit(main())
