"""Notes quality: does the int8 embedder find the same notes as the fp32 one?

Carson's default embedder multiplies the packaged MiniLM's int8 weights in int8
(``all-MiniLM-L6-v2-onnx-int8-dyn``); before, the same weights ran in fp32
(``all-MiniLM-L6-v2-onnx-int8``). Its vectors differ a little (cosine ~0.99 to the
fp32 ones); this suite checks that retrieval does not.

Corpus: ``data/notes_quality.json`` — 40 topics a seller asks about (payroll pain,
budget freezes, SOC 2, marathons, new babies, ERP integrations…), each with one query
in the asker's words and five note templates that answer it in other words, filled
with names and companies (three notes per template, one with ``--fast``), plus
logistics notes that answer nothing. A note is relevant to its topic's query only.

Both embedders embed every note and query; the top 10 come from an exact cosine scan
(no Chroma, no hybrid scoring: the embedder alone is judged). Metrics per embedder:
recall@5 (relevant notes in the top 5, over min(5, relevant), averaged over queries)
and nDCG@10 (binary gains); then how much of the fp32 top 5 the int8 top 5 keeps,
and the vectors' cosine. Bars: the int8 embedder's recall@5 and nDCG@10 within 0.02
of the fp32 one's, and recall@5 >= 0.50 (a floor against a broken embedder: the
fp32 one scores 0.61 on the fast corpus, 0.78 on the full one).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np

from evals._core import EvalContext, Metric, SuiteResult

NAME = "notes_quality"
DATA = Path(__file__).parent / "data" / "notes_quality.json"
SEED = 11
MAX_DROP = 0.02
MIN_RECALL = 0.50


def corpus(per_template: int, seed: int = SEED) -> tuple[list[str], list[int], list[str]]:
    """(note texts, topic of each note or -1, one query per topic)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    names, companies = data["names"], data["companies"]
    texts: list[str] = []
    topics: list[int] = []
    seen: set[str] = set()

    def fill(template: str) -> str:
        while True:
            text = template.format(name=rng.choice(names), company=rng.choice(companies))
            if text not in seen or "{" not in template:
                seen.add(text)
                return text

    for t, topic in enumerate(data["topics"]):
        for template in topic["notes"]:
            for _ in range(per_template):
                texts.append(fill(template))
                topics.append(t)
    for template in data["distractors"]:
        for _ in range(per_template):
            texts.append(fill(template))
            topics.append(-1)
    queries = [topic["query"] for topic in data["topics"]]
    return texts, topics, queries


def rank(notes: np.ndarray, queries: np.ndarray, k: int = 10) -> np.ndarray:
    """Indices of each query's ``k`` most similar notes, best first (exact scan)."""
    sims = queries @ notes.T
    return np.argsort(-sims, axis=1, kind="stable")[:, :k]


def recall_at(top: np.ndarray, topics: np.ndarray, k: int = 5) -> float:
    scores = []
    for q, row in enumerate(top):
        relevant = int((topics == q).sum())
        scores.append(sum(int(topics[i] == q) for i in row[:k]) / min(k, relevant))
    return float(np.mean(scores))


def ndcg_at(top: np.ndarray, topics: np.ndarray, k: int = 10) -> float:
    discounts = 1 / np.log2(np.arange(2, k + 2))
    scores = []
    for q, row in enumerate(top):
        gains = np.array([float(topics[i] == q) for i in row[:k]])
        ideal = discounts[: min(k, int((topics == q).sum()))].sum()
        scores.append(float((gains * discounts[: len(gains)]).sum() / ideal))
    return float(np.mean(scores))


def run(ctx: EvalContext) -> SuiteResult:
    from carson.notes.embedder import LocalEmbedder

    result = SuiteResult(NAME)
    texts, topic_list, queries = corpus(1 if ctx.fast else 3)
    topics = np.asarray(topic_list)
    fp32 = LocalEmbedder(int8=False)
    int8 = LocalEmbedder(cache_dir=ctx.workdir / "models")
    tops = {}
    vectors = {}
    for label, emb in (("fp32", fp32), ("int8", int8)):
        notes = emb.embed(texts)
        asked = np.vstack([emb.embed([q]) for q in queries])  # one at a time, as searched
        vectors[label] = notes
        tops[label] = rank(notes, asked)
    recall = {label: recall_at(top, topics) for label, top in tops.items()}
    ndcg = {label: ndcg_at(top, topics) for label, top in tops.items()}
    overlap = float(
        np.mean(
            [
                len(set(a[:5]) & set(b[:5])) / 5
                for a, b in zip(tops["fp32"], tops["int8"], strict=True)
            ]
        )
    )
    cosines = (vectors["fp32"] * vectors["int8"]).sum(axis=1)
    note = f"{len(texts)} notes, {len(queries)} queries"
    result.metrics = [
        Metric("recall@5, fp32 (before)", recall["fp32"], note=note),
        Metric("recall@5, int8 (Carson)", recall["int8"], ">=", MIN_RECALL),
        Metric("recall@5 change, int8 - fp32", recall["int8"] - recall["fp32"], ">=", -MAX_DROP),
        Metric("nDCG@10, fp32 (before)", ndcg["fp32"]),
        Metric("nDCG@10, int8 (Carson)", ndcg["int8"]),
        Metric("nDCG@10 change, int8 - fp32", ndcg["int8"] - ndcg["fp32"], ">=", -MAX_DROP),
        Metric("top-5 overlap with fp32", overlap, unit="%"),
        Metric("vector cosine int8 vs fp32, min", float(cosines.min())),
    ]
    per_query = {
        q: {
            label: recall_at(tops[label][i : i + 1], np.where(topics == i, 0, -1)) for label in tops
        }
        for i, q in enumerate(queries)
    }
    result.details = {
        "notes": len(texts),
        "queries": len(queries),
        "recall_at_5": recall,
        "ndcg_at_10": ndcg,
        "top5_overlap": overlap,
        "cosine_mean": float(cosines.mean()),
        "per_query_recall_at_5": per_query,
        "worse_with_int8": [q for q, r in per_query.items() if r["int8"] < r["fp32"]],
        "better_with_int8": [q for q, r in per_query.items() if r["int8"] > r["fp32"]],
    }
    return result
