"""The Chroma index over notes: derived from SQLite, rebuilt by ``carson reindex``.

SQLite holds every note; this index only makes them findable by meaning. Rows have
deterministic ids (``note:{id}``), carry the vector Carson's embedder made (Chroma's
own default embedding function, which downloads a model, is never used) and the
little metadata its ``where`` filters need: ``note_id``, ``ts`` (epoch seconds, for
date ranges), ``date`` (ISO), ``source``. Each indexed note's vector and the
organisations it is about (named in it, or a linked person's employer when it was
written) are kept in SQLite too (``note_vectors``, ``note_orgs``), so the notes of a
person or company are scored by id without a Chroma call. Indexes built before kept
``p_``/``o_`` keys per person and company, which slow every Chroma query; ``carson
reindex`` drops them.

The collection records the embedder that built it; a different embedder asks for
``carson reindex`` instead of mixing vector spaces, except the same packaged model run
another way (the fp32 embedder Carson used before its int8 one): ``sync``, which every
search calls first, rebuilds such an index from SQLite by itself, once.
``NotesIndex.sync`` adds notes that reached SQLite without reaching the index (a Chroma
failure, another importer) and drops rows whose notes are gone, so the index repairs
itself.
"""

from __future__ import annotations

import contextlib
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from carson import locations
from carson.errors import CarsonError
from carson.models import Note
from carson.notes.embedder import Embedder, get_embedder, same_model

if TYPE_CHECKING:
    from carson.config import Settings
    from carson.resolve import Resolver
    from carson.store import Store

COLLECTION = "notes"
ADD_BATCH = 512
_WORD = re.compile(r"[^\W_]+(?:['’&.-][^\W_]+)*", re.UNICODE)


class NotesIndexError(CarsonError):
    """The notes index cannot be used as it is."""

    title = "Notes index"


def note_key(note_id: int) -> str:
    return f"note:{note_id}"


def note_id_of(key: str) -> int:
    return int(key.split(":", 1)[1])


def timestamp(value: date | datetime) -> int:
    """Epoch seconds; naive datetimes and dates count as UTC."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())


@dataclass
class Row:
    """One note as the index holds it."""

    id: int
    text: str
    people: list[int]
    orgs: list[int]
    at: datetime
    source: str | None
    similarity: float = 0.0
    matched: list[str] = field(default_factory=list)


@contextlib.contextmanager
def _chroma_errors(path: Path) -> Iterator[None]:
    """Chroma's own exceptions become one readable error that names the repair."""
    try:
        yield
    except CarsonError:
        raise
    except Exception as exc:
        raise NotesIndexError(
            f"The notes index at {path} failed: {type(exc).__name__}: {exc}.",
            "Run `carson reindex` to rebuild it from the store (your notes are safe in SQLite).",
        ) from exc


def _and(conds: list[dict[str, Any]]) -> dict[str, Any] | None:
    conds = [c for c in conds if c]
    if not conds:
        return None
    return conds[0] if len(conds) == 1 else {"$and": conds}


def _or(conds: list[dict[str, Any]]) -> dict[str, Any] | None:
    conds = [c for c in conds if c]
    if not conds:
        return None
    return conds[0] if len(conds) == 1 else {"$or": conds}


def _ids(value: Any) -> list[int]:
    return [int(x) for x in str(value or "").split(",") if x]


def org_mentions(text: str, org_names: dict[str, list[int]]) -> list[int]:
    """Organisations named in ``text`` (names and aliases, up to four words long)."""
    from carson.resolve import normalize_org

    raw = [m.group() for m in _WORD.finditer(text)]
    found: list[int] = []
    i = 0
    while i < len(raw):
        step = 1
        for size in (4, 3, 2, 1):
            if i + size > len(raw):
                continue
            phrase = " ".join(raw[i : i + size])
            key = normalize_org(phrase)
            ids = org_names.get(key)
            if not ids:
                continue
            # Short aliases ("GS", "JPM") count only when written as such, not as a word.
            if len(key) <= 3 and not phrase.isupper():
                continue
            for oid in ids:
                if oid not in found:
                    found.append(oid)
            step = size
            break
        i += step
    return found


class _Context:
    """What indexing needs from the store, loaded once per batch."""

    def __init__(self, store: Store, resolver: Resolver | None = None) -> None:
        from carson.resolve import Resolver

        self.store = store
        self.resolver = resolver or Resolver(store)
        self.org_names = self.resolver.organization_names()
        self._jobs: dict[int, list[tuple[int, date | None, date | None, bool]]] = {}

    def orgs_at(self, person_id: int, when: date) -> list[int]:
        jobs = self._jobs.get(person_id)
        if jobs is None:
            jobs = [
                (e.org_id, e.start, e.end, e.current)
                for e in self.store.employments(person_id=person_id)
            ]
            self._jobs[person_id] = jobs
        out = []
        for org_id, start, end, current in jobs:
            dated = start is not None and start <= when and (end is None or when <= end)
            if (current and (start is None or start <= when)) or dated:
                out.append(org_id)
        return out

    def orgs_for(self, note: Note) -> list[int]:
        found = org_mentions(note.text, self.org_names)
        for pid in note.people:
            for oid in self.orgs_at(pid, note.at.date()):
                if oid not in found:
                    found.append(oid)
        return found


def metadata(note: Note, orgs: Sequence[int] = ()) -> dict[str, Any]:
    """What Chroma keeps beside a note's vector: only what its ``where`` filters need.

    People and organisations live in SQLite (``note_people``, ``note_orgs``): a key per
    person and per company made Chroma's plain top-k queries ~9x slower at 100k notes
    (18 ms against 2 ms, ``tools/bench/notes_bench.py``'s corpus).
    """
    assert note.id is not None
    return {
        "note_id": note.id,
        "ts": timestamp(note.at),
        "date": note.at.isoformat(),
        "source": note.source or "",
    }


class NotesIndex:
    """The Chroma collection of one data home's notes."""

    def __init__(self, home: Path, embedder: Embedder) -> None:
        self.home = Path(home)
        self.path = locations.notes_index_dir(self.home)
        self.embedder = embedder
        self._lock = threading.RLock()
        self._client: Any = None
        self._collection: Any = None
        self._verified: tuple[tuple[int, int], tuple[int, int]] | None = None
        self._seen: weakref.WeakKeyDictionary[Store, tuple[int, int]] = weakref.WeakKeyDictionary()

    # ------------------------------------------------------------------ opening

    @property
    def client(self) -> Any:
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            try:
                self.path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(
                    path=str(self.path), settings=ChromaSettings(anonymized_telemetry=False)
                )
            except Exception as exc:
                raise NotesIndexError(
                    f"Can't open the notes index at {self.path}: {exc}.",
                    "Run `carson reindex` to rebuild it from the store.",
                ) from exc
        return self._client

    def _reset_client(self) -> None:
        from chromadb.api.client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
        for index in [self, *_INDEXES.values()]:  # every cached client is stale now
            index._client = None
            index._collection = None

    def _create(self) -> Any:
        return self.client.create_collection(
            COLLECTION,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": self.embedder.name, "dim": self.embedder.dim},
        )

    @property
    def collection(self) -> Any:
        if self._collection is None:
            with self._lock:
                try:
                    col = self.client.get_collection(COLLECTION, embedding_function=None)
                except Exception:
                    col = None
                if col is None:
                    col = self._create()
                built_with = (col.metadata or {}).get("embedder")
                if built_with != self.embedder.name:
                    raise NotesIndexError(
                        f"The notes index was built with the {built_with} embedder; "
                        f"Carson is now set to {self.embedder.name}.",
                        "Run `carson reindex` to rebuild it with the current embedder "
                        "(your notes are safe in SQLite).",
                    )
                self._collection = col
        return self._collection

    def count(self) -> int:
        with _chroma_errors(self.path):
            return int(self.collection.count())

    # ----------------------------------------------------------------- writing

    def add(self, store: Store, notes: Sequence[Note], *, resolver: Resolver | None = None) -> int:
        """Embed and upsert ``notes`` (stored ones, with ids). Returns how many."""
        if not notes:
            return 0
        ctx = _Context(store, resolver)
        with self._lock:
            for start in range(0, len(notes), ADD_BATCH):
                batch = list(notes[start : start + ADD_BATCH])
                vectors = np.asarray(self.embedder.embed([n.text for n in batch]), np.float32)
                orgs = [ctx.orgs_for(n) for n in batch]
                self.collection.upsert(
                    ids=[note_key(n.id or 0) for n in batch],
                    embeddings=vectors,
                    documents=[n.text for n in batch],
                    metadatas=[metadata(n, o) for n, o in zip(batch, orgs, strict=True)],
                )
                self._record(store, batch, vectors, orgs)
            self._verified = None
        return len(notes)

    def _record(
        self, store: Store, notes: Sequence[Note], vectors: np.ndarray, orgs: Sequence[list[int]]
    ) -> None:
        """Keep each note's vector and organisations in SQLite, for lookups by note id."""
        with store.write():
            store.put_note_index_rows(
                self.embedder.name,
                [
                    (n.id or 0, np.ascontiguousarray(v, dtype=np.float32).tobytes(), o)
                    for n, v, o in zip(notes, vectors, orgs, strict=True)
                ],
            )

    def remove(self, note_ids: Iterable[int]) -> None:
        keys = [note_key(i) for i in note_ids]
        if keys:
            self.collection.delete(ids=keys)
            self._verified = None

    def rebuild(self, store: Store) -> int:
        """Drop the collection and index every note in SQLite again."""
        with self._lock:
            self._collection = None
            with contextlib.suppress(Exception):  # there may be none yet
                self.client.delete_collection(COLLECTION)
            try:
                self._collection = self._create()
            except Exception:
                # The folder was removed under a live client: start a fresh one.
                self._reset_client()
                self._collection = self._create()
            with store.write():
                store.clear_note_index_rows()
            notes = store.notes()
            self.add(store, notes)
            self._verified = self._stats(store)
            return len(notes)

    def sync(self, store: Store) -> int:
        """Index notes SQLite has and the index lacks, drop rows for deleted notes.

        Free when nothing was committed since the last call (``Store.change_token``);
        otherwise one SQL aggregate, compared with the last check. A note counts as
        indexed when Chroma has it and SQLite has its vector from this embedder (a store
        indexed before vectors were kept there gets them from Chroma, not re-embedded).
        Returns the number of notes added or removed.
        """
        token = store.change_token()
        if self._seen.get(store) == token:
            return 0
        if self._collection is None and self._built_by_same_model(store):
            self._announce(store)
            count = self.rebuild(store)
            self._seen[store] = store.change_token()
            return count
        stats = self._stats(store)
        if stats == self._verified:
            self._seen[store] = token
            return 0
        with self._lock:
            if stats[0] == stats[1] and self.count() == stats[0][0]:
                self._verified = stats
                self._seen[store] = token
                return 0
            in_store = set(store.note_ids())
            with_vectors = set(store.note_ids_with_vectors(self.embedder.name))
            with _chroma_errors(self.path):
                in_index = {note_id_of(k) for k in self.collection.get(include=[])["ids"]}
            extra = sorted(in_index - in_store)
            self.remove(extra)
            missing = sorted(in_store - in_index)
            notes = [n for n in store.notes_by_id(missing).values()]
            self.add(store, notes)
            self._backfill(store, sorted((in_store & in_index) - with_vectors))
            self._verified = self._stats(store)
            self._seen[store] = store.change_token()
            return len(notes) + len(extra)

    def _announce(self, store: Store) -> None:
        count = store.note_stats()[0]
        for notice in REBUILD_NOTICES:
            with contextlib.suppress(Exception):  # a notice never stops the rebuild
                notice(count, self.embedder.name)

    def _built_by_same_model(self, store: Store) -> bool:
        """Whether the index on disk holds vectors of this embedder's packaged model run
        another way (fp32 before int8): then ``sync`` rebuilds it, no ``carson reindex``
        needed, since SQLite holds every note and re-embedding needs no network."""
        with self._lock:
            try:
                col = self.client.get_collection(COLLECTION, embedding_function=None)
            except Exception:  # none yet: created on first use
                return False
            built_with = (col.metadata or {}).get("embedder")
            return built_with != self.embedder.name and same_model(built_with, self.embedder.name)

    def _stats(self, store: Store) -> tuple[tuple[int, int], tuple[int, int]]:
        """(notes, highest id) in SQLite, and the same for the vectors it keeps."""
        return store.note_stats(), store.note_vector_stats(self.embedder.name)

    def _backfill(self, store: Store, note_ids: list[int]) -> None:
        """Copy vectors Chroma has into SQLite (for stores indexed before it kept them)."""
        if not note_ids:
            return
        ctx = _Context(store)
        for start in range(0, len(note_ids), ADD_BATCH):
            chunk = note_ids[start : start + ADD_BATCH]
            with _chroma_errors(self.path):
                got = self.collection.get(ids=[note_key(i) for i in chunk], include=["embeddings"])
            vectors = dict(zip(got["ids"], got["embeddings"], strict=True))
            notes = store.notes_by_id(chunk)
            batch = [notes[i] for i in chunk if i in notes and note_key(i) in vectors]
            if batch:
                matrix = np.asarray([vectors[note_key(n.id or 0)] for n in batch], np.float32)
                self._record(store, batch, matrix, [ctx.orgs_for(n) for n in batch])

    # ----------------------------------------------------------------- reading

    def _rows(self, ids: list[str], docs: list[str], metas: list[dict[str, Any]]) -> list[Row]:
        return [
            Row(
                id=note_id_of(i),
                text=d,
                people=_ids(m.get("people")),
                orgs=_ids(m.get("orgs")),
                at=datetime.fromisoformat(str(m["date"])),
                source=str(m.get("source")) or None,
            )
            for i, d, m in zip(ids, docs, metas, strict=True)
        ]

    def nearest_ids(
        self, vector: np.ndarray, *, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[int, float]]:
        """(note id, cosine similarity) of the ``k`` notes closest to ``vector``: one Chroma
        call that returns nothing but ids and distances (the notes come from SQLite)."""
        if k <= 0:
            return []
        with _chroma_errors(self.path):
            res = self.collection.query(
                query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
                n_results=k,
                where=where,
                include=["distances"],
            )
        if not res["ids"] or not res["ids"][0]:
            return []
        return [
            (note_id_of(key), 1.0 - float(dist))
            for key, dist in zip(res["ids"][0], res["distances"][0], strict=True)
        ]

    def score_ids(
        self, store: Store, vector: np.ndarray, ids: Iterable[int]
    ) -> list[tuple[int, float]]:
        """(note id, cosine similarity) of every note in ``ids``, exactly: their vectors
        come from SQLite by id, so no Chroma call is made."""
        return self._score(store.note_vectors(ids, self.embedder.name), vector)

    def score_orgs(
        self, store: Store, vector: np.ndarray, org_ids: Iterable[int]
    ) -> list[tuple[int, float]]:
        """(note id, cosine similarity) of every note about these organisations, exactly."""
        return self._score(store.note_vectors_for_orgs(org_ids, self.embedder.name), vector)

    @staticmethod
    def _score(rows: list[tuple[int, bytes]], vector: np.ndarray) -> list[tuple[int, float]]:
        if not rows:
            return []
        matrix = np.frombuffer(b"".join(v for _, v in rows), dtype=np.float32)
        sims = matrix.reshape(len(rows), -1) @ np.asarray(vector, dtype=np.float32)
        return list(zip([nid for nid, _ in rows], sims.tolist(), strict=True))

    def matching(
        self,
        vector: np.ndarray,
        *,
        ids: Sequence[int] | None = None,
        where: dict[str, Any] | None = None,
        limit: int = 5000,
    ) -> list[Row]:
        """The notes with these ``ids`` and/or admitted by ``where``, scored exactly.

        Looking rows up by id (from SQLite's ``note_people``) is fast at any size;
        a ``where`` alone makes Chroma scan the metadata.
        """
        if ids is not None and not ids:
            return []
        with _chroma_errors(self.path):
            res = self.collection.get(
                ids=[note_key(i) for i in ids] if ids is not None else None,
                where=where,
                limit=limit,
                include=["documents", "metadatas", "embeddings"],
            )
        rows = self._rows(res["ids"], res["documents"], res["metadatas"])
        if rows:
            sims = np.asarray(res["embeddings"], dtype=np.float32) @ np.asarray(
                vector, dtype=np.float32
            )
            for row, sim in zip(rows, sims, strict=True):
                row.similarity = float(sim)
        return rows


_INDEXES: dict[tuple[str, str], NotesIndex] = {}
_INDEXES_LOCK = threading.Lock()


REBUILD_NOTICES: list[Callable[[int, str], None]] = []
"""Called with (notes, embedder) before an index rebuilds itself (after an upgrade that
runs the same model another way): the faces register one to tell the user why the first
search takes a while. Empty in tests and scripts."""


def open_index(home: Path, settings: Settings | None = None) -> NotesIndex:
    """The process-wide index for ``home`` with the configured embedder."""
    embedder = get_embedder(settings)
    key = (str(Path(home).resolve()), embedder.name)
    with _INDEXES_LOCK:
        index = _INDEXES.get(key)
        if index is None:
            index = _INDEXES[key] = NotesIndex(home, embedder)
        return index


def reindex(store: Store, settings: Settings | None = None) -> int:
    """Rebuild the notes index of ``store`` from SQLite; returns the number of notes."""
    return open_index(store.home, settings).rebuild(store)


def where_clause(
    *,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    source: str | None = None,
) -> dict[str, Any] | None:
    """A Chroma ``where`` for a date range and a source (people and companies: SQLite)."""
    conds: list[dict[str, Any]] = []
    if since is not None:
        conds.append({"ts": {"$gte": timestamp(since)}})
    if until is not None:
        if not isinstance(until, datetime):
            # a date includes its whole day
            conds.append({"ts": {"$lt": timestamp(until) + 86400}})
        else:
            conds.append({"ts": {"$lte": timestamp(until)}})
    if source:
        conds.append({"source": source})
    return _and(conds)


def all_of(*conds: dict[str, Any] | None) -> dict[str, Any] | None:
    return _and([c for c in conds if c])


def any_of(*conds: dict[str, Any] | None) -> dict[str, Any] | None:
    return _or([c for c in conds if c])
