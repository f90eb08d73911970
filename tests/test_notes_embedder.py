"""The offline embedder: packaged model, verified at load, no network, sane vectors."""

from __future__ import annotations

import hashlib
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
    PREVIOUS_NAME,
    EmbedderError,
    LocalEmbedder,
    get_embedder,
    packaged_model_path,
    same_model,
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
    assert info.derived is not None and Path(info.derived).is_file()


def test_the_default_model_multiplies_in_int8(carson_home: Path) -> None:
    import onnx

    emb = LocalEmbedder()
    emb.load()
    derived = emb.derived_path()
    assert derived.is_relative_to(carson_home / "models")
    ops = [n.op_type for n in onnx.load(str(derived)).graph.node]
    # 6 layers x (query, key, value, attention output, intermediate, output) run in
    # int8; each layer's attention (scores, softmax, context: fp32) is one fused op.
    assert ops.count("MatMulIntegerToFloat") == 36
    assert ops.count("MultiHeadAttention") == 6
    assert ops.count("MatMul") == ops.count("Softmax") == ops.count("Transpose") == 0
    assert ops.count("BiasGelu") == 6
    # Quantizing a layer input: Abs, ReduceMax, Max, Mul, 3 Reshapes and QuantizeLinear
    # (the row count, zero points and shapes are worked out once a run).
    assert ops.count("QuantizeLinear") == 24 and ops.count("Reshape") == 3 * 24
    assert PREVIOUS_NAME != LOCAL_NAME and LocalEmbedder(int8=False).name == PREVIOUS_NAME


def test_int8_vectors_stay_close_to_the_fp32_ones() -> None:
    texts = [*REFERENCE_TEXTS, "Harry's daughter started at NYU", "golf every Saturday"]
    int8 = LocalEmbedder().embed(texts)
    fp32 = LocalEmbedder(int8=False).embed(texts)
    cosines = (int8 * fp32).sum(axis=1)
    assert cosines.min() > 0.99, cosines
    assert cosines.max() < 0.99999, "the int8 model gave the fp32 vectors: is it running?"


def test_the_derived_model_is_cached_and_checked(tmp_path: Path) -> None:
    cache = tmp_path / "models"
    first = LocalEmbedder(cache_dir=cache)
    want = first.embed(["payroll problems"])
    path = first.derived_path()
    digest = path.with_name(path.name + ".sha256")
    assert path.is_file() and digest.is_file()
    stamp = path.stat().st_mtime_ns
    second = LocalEmbedder(cache_dir=cache)
    np.testing.assert_array_equal(second.embed(["payroll problems"]), want)
    assert path.stat().st_mtime_ns == stamp  # loaded, not derived again
    # A damaged cached file fails its digest and is derived again, not used.
    with path.open("r+b") as f:
        f.seek(5000)
        f.write(b"\xff\xff\xff\xff")
    third = LocalEmbedder(cache_dir=cache)
    np.testing.assert_array_equal(third.embed(["payroll problems"]), want)
    assert path.stat().st_mtime_ns != stamp
    assert digest.read_text().strip() == hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_unwritable_cache_still_embeds(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    emb = LocalEmbedder(cache_dir=blocker / "models")
    vector = emb.embed(["payroll problems"])
    assert vector.shape == (1, 384)
    np.testing.assert_allclose(vector, LocalEmbedder().embed(["payroll problems"]), atol=1e-6)


def test_old_and_new_local_names_are_the_same_model() -> None:
    from carson.config import Settings

    assert same_model(PREVIOUS_NAME, LOCAL_NAME)
    assert not same_model(PREVIOUS_NAME, "openai:text-embedding-3-small")
    old = get_embedder(Settings(embedder=PREVIOUS_NAME))
    assert isinstance(old, LocalEmbedder) and not old.int8 and old.name == PREVIOUS_NAME


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


@pytest.mark.parametrize("int8", [True, False], ids=["int8", "fp32"])
def test_vector_does_not_depend_on_the_batch(int8: bool) -> None:
    emb = LocalEmbedder(batch_size=4, threads=2, int8=int8)
    texts = [f"note number {i} about {'payroll ' * (i % 7)}renewals" for i in range(23)]
    together = emb.embed(texts)
    alone = np.vstack([emb.embed([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_a_loud_neighbour_does_not_change_a_vector() -> None:
    """Activations are quantized per token: a batch-wide scale would let one text with
    large activations coarsen every other text's codes in its batch."""
    emb = LocalEmbedder(batch_size=8, threads=1)
    note = "Coffee with Sarah Lee: her team is moving off ADP in Q3"
    loud = "!!!! ???? ~~~~ $$$$ 9999999999 ZZZZZZZZ"
    quiet = "ok"
    alone = emb.embed([note])[0]
    for company in ([loud, loud, loud], [quiet], [loud, quiet, "payroll " * 30]):
        batch = emb.embed([note, *company])
        np.testing.assert_allclose(batch[0], alone, atol=1e-5)


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
REFERENCE_DIR = Path(__file__).parent / "data" / "notes"
REFERENCE_VECTORS = REFERENCE_DIR / "embedder_reference.npy"
"""The fp32 vectors (``PREVIOUS_NAME``) for REFERENCE_TEXTS, one text per run, one thread,
from when the batching and threading were reworked (commit 5b1d18c's embedder). Indexes
built with that embedder must stay comparable with queries it embeds after."""
REFERENCE_INT8 = REFERENCE_DIR / "embedder_reference_int8_dyn.npy"
"""The int8 vectors (``LOCAL_NAME``, derivation 2: fused attention, no SkipLayerNorm
fusion) for REFERENCE_TEXTS, written by
``.venv/bin/python tests/test_notes_embedder.py --write-reference`` (one text per run,
one thread). Their cosines to the fp32 reference: 0.99543, 0.99654, 0.99762, 0.99655,
0.99553 (derivation 1's: 0.99543, 0.99654, 0.99762, 0.99651, 0.99506)."""


@pytest.mark.parametrize(
    ("reference_file", "embedder"),
    [
        pytest.param(
            REFERENCE_INT8, lambda: LocalEmbedder(threads=1, batch_size=1), id="int8-alone"
        ),
        pytest.param(
            REFERENCE_INT8, lambda: LocalEmbedder(threads=2, batch_size=2), id="int8-2-workers"
        ),
        pytest.param(REFERENCE_INT8, lambda: LocalEmbedder(), id="int8-default"),
        pytest.param(
            REFERENCE_VECTORS,
            lambda: LocalEmbedder(threads=1, batch_size=1, int8=False),
            id="fp32-alone",
        ),
        pytest.param(
            REFERENCE_VECTORS,
            lambda: LocalEmbedder(threads=2, batch_size=2, int8=False),
            id="fp32-2-workers",
        ),
    ],
)
def test_vectors_match_the_pinned_reference(reference_file: Path, embedder: object) -> None:
    reference = np.load(reference_file)
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


def write_reference() -> None:
    """Write REFERENCE_INT8 from the current int8 embedder and print its cosines to the
    fp32 reference (for REFERENCE_INT8's docstring)."""
    emb = LocalEmbedder(threads=1, batch_size=1)
    vectors = np.vstack([emb.embed([t]) for t in REFERENCE_TEXTS])
    np.save(REFERENCE_INT8, vectors)
    cosines = (vectors * np.load(REFERENCE_VECTORS)).sum(axis=1)
    print(f"wrote {REFERENCE_INT8}; cosines to the fp32 reference:", np.round(cosines, 5))


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-reference"]:
        write_reference()
    else:
        sys.exit("usage: python tests/test_notes_embedder.py --write-reference")


def test_deriving_the_model_drops_what_older_versions_derived(tmp_path: Path) -> None:
    """An upgrade derives a new file; the older derivation's file and digest go, while a
    newer version's (sharing the data home) and anything else in the folder stay."""
    from carson.notes._quantize import DERIVATION
    from carson.notes.embedder import LOCAL_NAME

    cache = tmp_path / "models"
    cache.mkdir()
    older = cache / f"{LOCAL_NAME}-d{DERIVATION - 1}-0123456789abcdef.onnx"
    newer = cache / f"{LOCAL_NAME}-d{DERIVATION + 1}-0123456789abcdef.onnx"
    other = cache / "notes.txt"
    for f in (older, older.with_name(older.name + ".sha256"), newer, other):
        f.write_bytes(b"x")
    emb = LocalEmbedder(cache_dir=cache)
    emb.embed(["payroll problems"])
    assert emb.derived_path().is_file()
    assert not older.exists() and not older.with_name(older.name + ".sha256").exists()
    assert newer.exists() and other.exists()
