"""The built network's columns on disk, so a new process loads them instead of rebuilding.

An entry is a directory ``<home>/cache/graph/<digest of key>/`` holding one ``.npy`` file
per column and ``manifest.json`` (the key, and each column's dtype, shape and CRC-32). The
key is everything the columns depend on: the store's write marker and schema version (see
``graph_feed.signature``), the moment strengths were computed at, a digest of the
``GraphWeights``, the cache format and a digest of the source files that shape the columns.

- Written whole into a temporary directory next to the entries and renamed into place, so
  readers see a complete entry or none. An entry already there (damaged, or just written by
  a racing process) is moved aside first: the last writer's complete entry stays.
- Read with ``np.load(mmap_mode="r")`` (the page cache is shared between processes; nothing
  is copied). Every column's CRC-32, dtype and shape are checked against the manifest, and
  the columns against each other, before anything is used: a damaged, partial or foreign
  entry reads as a miss, and the caller rebuilds (never an error for the user).
- Entries are replaced, never changed in place, and stale ones are deleted after a write:
  a process still reading a deleted entry keeps its open mapping.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 2
"""Bump when the layout of an entry changes."""
_KEEP = 3
"""Entries kept per home (a few ``now``s or weight sets in use at once)."""
_SMALL = 1 << 16
"""Columns smaller than this (bytes) are read into memory rather than mapped."""
_TMP = ".tmp-"
_SOURCES = (
    "_cache.py",
    "_columns.py",
    "_feed.py",
    "_stats.py",
    "_finish.py",
    "_search.py",
    "_snapshot.py",
    "_tables.py",
    "network.py",
    "_grow.py",
    "_load.py",
    "weights.py",
    "../_par.py",
    "../store/graph_feed.py",
    "../store/graph_edits.py",
    "../store/_sql_columns.py",
)


def root(home: Path, kind: str = "graph") -> Path:
    """Where entries of ``kind`` live: ``graph`` (built networks) or ``feed`` (the rows a
    whole build read, see ``_feed``)."""
    return Path(home) / "cache" / kind


_codes: dict[tuple[str, ...], str] = {}


def code_digest(sources: tuple[str, ...] = _SOURCES) -> str:
    """A digest of the modules (paths relative to this package) that decide what the
    columns hold: a Carson that computes them differently never reads another's entries."""
    got = _codes.get(sources)
    if got is None:
        h = hashlib.sha256()
        here = Path(__file__).parent
        for name in sources:
            try:
                h.update((here / name).read_bytes())
            except OSError:
                h.update(name.encode())
        got = _codes[sources] = h.hexdigest()[:16]
    return got


def entry_name(key: Mapping[str, object]) -> str:
    text = json.dumps(key, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _crc(arr: np.ndarray) -> int:
    return zlib.crc32(np.ascontiguousarray(arr).reshape(-1).view(np.uint8).data)


def save(
    home: Path,
    key: Mapping[str, object],
    columns: Mapping[str, np.ndarray],
    state: Mapping[str, Any] | None = None,
    reuse: Entry | None = None,
    *,
    kind: str = "graph",
    keep: int = _KEEP,
) -> bool:
    """Write an entry of ``kind`` for ``key`` (with ``state``: what it was built from, for
    a later build to start from), keeping the newest ``keep``; False (and nothing left
    behind) if it could not be. A column that is one ``reuse`` handed out, unchanged, is a
    hard link to that entry's file (files are never changed in place, so entries may share
    them)."""
    base = root(home, kind)
    tmp: Path | None = None
    try:
        base.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=_TMP, dir=base))
        info: dict[str, dict[str, object]] = {}
        for name, arr in columns.items():
            if reuse is not None and reuse.loaded.get(name) is arr and name in reuse.info:
                try:
                    os.link(reuse.path / f"{name}.npy", tmp / f"{name}.npy")
                    info[name] = reuse.info[name]
                    continue
                except OSError:
                    pass  # gone meanwhile, or links unsupported here: write it
            arr = np.ascontiguousarray(arr)
            np.save(tmp / f"{name}.npy", arr, allow_pickle=False)
            info[name] = {"dtype": arr.dtype.str, "shape": list(arr.shape), "crc": _crc(arr)}
        manifest = {"key": dict(key), "state": dict(state or {}), "columns": info}
        (tmp / "manifest.json").write_text(json.dumps(manifest, sort_keys=True))
        final = base / entry_name(key)
        try:
            os.rename(tmp, final)
        except OSError:
            # An entry is there: a damaged one (the caller only saves after a miss), or one
            # another process just published. Move it aside and put this one in its place.
            old = Path(tempfile.mkdtemp(prefix=_TMP, dir=base))
            os.rename(final, old / "entry")
            os.rename(tmp, final)
            shutil.rmtree(old, ignore_errors=True)
        tmp = None
        _prune(base, final.name, keep)
        return True
    except OSError:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        return False


def _prune(base: Path, newest: str, keep: int) -> None:
    """Delete all but the newest ``keep`` entries (``newest`` among them), and temporary
    directories left by dead writers."""
    now = time.time()
    entries: list[tuple[float, Path]] = []
    for p in base.iterdir():
        try:
            age = now - p.stat().st_mtime
        except OSError:
            continue
        if p.name.startswith(_TMP):
            if age > 3600:
                shutil.rmtree(p, ignore_errors=True)
        elif p.name != newest and p.is_dir():
            entries.append((age, p))
    for _age, p in sorted(entries)[keep - 1 :]:
        shutil.rmtree(p, ignore_errors=True)


@dataclass(frozen=True)
class Entry:
    """One entry on disk: its key, the state it was built from, and its columns' info."""

    path: Path
    key: dict[str, object]
    state: dict[str, Any]
    info: dict[str, dict[str, Any]]
    loaded: dict[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)
    """The columns handed out by :meth:`columns`: one passed back to :func:`save` as it
    is gets its file linked into the new entry rather than written again."""

    def columns(self, *prefixes: str) -> dict[str, np.ndarray] | None:
        """The columns whose names start with one of ``prefixes`` (all without any),
        checked against the manifest; None if any is missing or damaged. The CRCs are
        summed on two threads (``zlib`` lets go of the GIL), big columns first."""
        out: dict[str, np.ndarray] = {}
        try:
            for name, info in self.info.items():
                if prefixes and not name.startswith(prefixes):
                    continue
                path = self.path / f"{name}.npy"
                small = path.stat().st_size < _SMALL
                arr = np.load(path, mmap_mode=None if small else "r", allow_pickle=False)
                if arr.dtype.str != info["dtype"] or list(arr.shape) != info["shape"]:
                    return None
                out[name] = arr.view(np.ndarray)
            names = sorted(out, key=lambda n: -out[n].nbytes)
            with ThreadPoolExecutor(2, thread_name_prefix="carson-graph-crc") as pool:
                crcs = list(pool.map(lambda n: _crc(out[n]), names))
            if any(crc != self.info[n]["crc"] for n, crc in zip(names, crcs, strict=True)):
                return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError):
            return None
        self.loaded.update(out)
        return out


def _entry(path: Path) -> Entry | None:
    try:
        manifest = json.loads((path / "manifest.json").read_text())
        return Entry(
            path=path,
            key=dict(manifest["key"]),
            state=dict(manifest.get("state") or {}),
            info=dict(manifest["columns"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


@dataclass(frozen=True)
class Held:
    """An entry's state and columns held in memory, never written: what a build from the
    feed (``_feed``) hands to ``_grow.grow`` in place of an entry on disk."""

    state: dict[str, Any]
    cols: dict[str, np.ndarray]

    def columns(self, *prefixes: str) -> dict[str, np.ndarray] | None:
        return {n: c for n, c in self.cols.items() if not prefixes or n.startswith(prefixes)}


def find(home: Path, key: Mapping[str, object], kind: str = "graph") -> Entry | None:
    """The entry for exactly ``key``, or None."""
    got = _entry(root(home, kind) / entry_name(key))
    if got is None or got.key != json.loads(json.dumps(dict(key))):
        return None
    return got


def newest(home: Path, match: Mapping[str, object], kind: str = "graph") -> Entry | None:
    """The most recently written entry whose key agrees with ``match`` on its fields."""
    want = json.loads(json.dumps(dict(match)))
    found: list[tuple[float, Entry]] = []
    try:
        paths = [p for p in root(home, kind).iterdir() if not p.name.startswith(_TMP)]
    except OSError:
        return None
    for p in paths:
        got = _entry(p)
        if got is None or any(got.key.get(k) != v for k, v in want.items()):
            continue
        try:
            found.append(((p / "manifest.json").stat().st_mtime, got))
        except OSError:
            continue
    return max(found, key=lambda t: t[0])[1] if found else None


def load(home: Path, key: Mapping[str, object], *prefixes: str) -> dict[str, np.ndarray] | None:
    """The columns (those starting with one of ``prefixes``, or all) of the entry for
    ``key``, checked; None when there is no good entry."""
    got = find(home, key)
    return None if got is None else got.columns(*prefixes)
