"""The offline embedder: packaged model, verified at load, no network, sane vectors."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from carson.notes.embedder import (
    LOCAL_NAME,
    MODEL_PACKAGE,
    EmbedderError,
    LocalEmbedder,
    get_embedder,
    packaged_model_path,
)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the embedder tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


def test_packaged_model_loads_offline(no_network: None) -> None:
    emb = LocalEmbedder()
    vectors = emb.embed(["Coffee with Sarah Lee about payroll", "She ran the Boston marathon"])
    assert vectors.shape == (2, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    info = emb.info()
    assert info.name == LOCAL_NAME
    assert info.package == MODEL_PACKAGE
    assert info.file is not None and info.file.endswith("model.onnx")


def test_get_embedder_is_cached_and_local_by_default() -> None:
    first = get_embedder()
    assert first is get_embedder()
    assert first.name == LOCAL_NAME
    assert first.dim == 384


def test_similar_texts_are_closer() -> None:
    emb = get_embedder()
    q, payroll, marathon = emb.embed(
        [
            "payroll problems",
            "Their payroll runs late every month and ADP keeps making errors",
            "Training for the Chicago marathon in October",
        ]
    )
    assert float(q @ payroll) > float(q @ marathon) + 0.1


def test_vector_does_not_depend_on_the_batch() -> None:
    emb = LocalEmbedder(batch_size=4, threads=2)
    texts = [f"note number {i} about {'payroll ' * (i % 7)}renewals" for i in range(23)]
    together = emb.embed(texts)
    alone = np.vstack([emb.embed([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_tampered_model_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "model.onnx"
    shutil.copyfile(packaged_model_path(), bad)
    with bad.open("r+b") as f:
        f.seek(1000)
        byte = f.read(1)
        f.seek(1000)
        f.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(EmbedderError) as err:
        LocalEmbedder(bad).embed(["hello"])
    assert "checksum" in err.value.message
    assert err.value.hint and "reinstall" in err.value.hint.lower()


def test_missing_model_file_is_a_carson_error(tmp_path: Path) -> None:
    with pytest.raises(EmbedderError):
        LocalEmbedder(tmp_path / "nope.onnx").embed(["hello"])


def test_importing_carson_notes_does_not_load_onnxruntime() -> None:
    code = (
        "import sys, carson.notes, carson.notes.embedder; "
        "print('onnxruntime' in sys.modules, 'chromadb' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_openai_embedder_is_opt_in_and_needs_a_key() -> None:
    from carson.config import Settings
    from carson.errors import LLMUnavailableError

    emb = get_embedder(Settings(embedder="openai"))
    assert emb.name == "openai:text-embedding-3-small"
    with pytest.raises(LLMUnavailableError) as err:
        emb.embed(["hello"])
    assert "OPENAI_API_KEY" in err.value.message


def test_unknown_embedder_is_named() -> None:
    from carson.config import Settings

    with pytest.raises(EmbedderError) as err:
        get_embedder(Settings(embedder="word2vec"))
    assert "word2vec" in err.value.message


def test_query_path_and_threading_do_not_change_vectors() -> None:
    texts = ["payroll problems", "a much longer note " * 40, "Harry's daughter started at NYU"]
    together = LocalEmbedder(threads=2, batch_size=2).embed(texts)
    two_threads = LocalEmbedder(threads=1, session_threads=2).embed(texts)
    alone = np.vstack([get_embedder().embed([t]) for t in texts])  # one text: the query path
    np.testing.assert_allclose(together, alone, atol=1e-5)
    np.testing.assert_allclose(two_threads, alone, atol=1e-5)


REFERENCE_TEXTS = [
    "payroll problems",
    "Coffee with Sarah Lee — her team is moving off ADP in Q3.",
    "Lunch with Priya Patel from Globex. Daughter just started college at McGill; she is"
    " training for the Berlin marathon in September.",
    "Zoë Müller (São Paulo) said the renewal with Workday is due in June; budget is frozen"
    " until the new CFO signs off.",
    # Past 256 tokens: pins the truncation to sentence-transformers' max_seq_length.
    " ".join(
        f"Renewal item {i}: payroll vendor review, compliance audit, SOC 2 timeline."
        for i in range(40)
    ),
]
REFERENCE_VECTORS = Path(__file__).parent / "data" / "notes" / "embedder_reference.npy"
"""The vectors the embedder gave for REFERENCE_TEXTS, one text per run, one thread, when
the batching and threading were reworked (commit 5b1d18c's embedder). Indexes built
before must stay comparable with queries embedded after."""


@pytest.mark.parametrize(
    "embedder",
    [
        pytest.param(lambda: LocalEmbedder(threads=1, batch_size=1), id="one-at-a-time"),
        pytest.param(lambda: LocalEmbedder(threads=2, batch_size=2), id="two-workers"),
        pytest.param(lambda: LocalEmbedder(), id="default"),
    ],
)
def test_vectors_match_the_pinned_reference(embedder: object) -> None:
    reference = np.load(REFERENCE_VECTORS)
    emb = embedder()  # type: ignore[operator]
    batched = emb.embed(REFERENCE_TEXTS)
    alone = np.vstack([emb.embed([t]) for t in REFERENCE_TEXTS])
    for got in (batched, alone):
        assert got.shape == reference.shape
        cosines = (got * reference).sum(axis=1)
        assert cosines.min() > 0.9999, cosines
    # The reference is meaningful: unit rows, each text distinct from the others.
    np.testing.assert_allclose(np.linalg.norm(reference, axis=1), 1.0, atol=1e-5)
    off_diagonal = reference @ reference.T - np.eye(len(reference))
    assert off_diagonal.max() < 0.8
