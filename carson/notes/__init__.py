"""Notes as searchable memory: offline embeddings, the Chroma index, personal details.

The public names are imported lazily, so ``import carson.notes`` loads neither
onnxruntime nor chromadb (``carson ask`` has a 2 s budget for the whole process).

- ``get_embedder(settings=None) -> Embedder`` (``carson.notes.embedder``)
- ``record_note`` / ``capture_note`` (``carson.notes.capture``)
- ``search_notes``, ``NoteHit`` (``carson.notes.search``)
- ``reindex``, ``open_index``, ``NotesIndex`` (``carson.notes.index``)
- ``personal_details``, ``Detail`` (``carson.notes.details``)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Embedder": "carson.notes.embedder",
    "EmbedderError": "carson.notes.embedder",
    "EmbedderInfo": "carson.notes.embedder",
    "LocalEmbedder": "carson.notes.embedder",
    "OpenAIEmbedder": "carson.notes.embedder",
    "get_embedder": "carson.notes.embedder",
    "NotesIndex": "carson.notes.index",
    "NotesIndexError": "carson.notes.index",
    "open_index": "carson.notes.index",
    "reindex": "carson.notes.index",
    "CapturedNote": "carson.notes.capture",
    "capture_note": "carson.notes.capture",
    "record_note": "carson.notes.capture",
    "NoteHit": "carson.notes.search",
    "search_notes": "carson.notes.search",
    "Detail": "carson.notes.details",
    "personal_details": "carson.notes.details",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'carson.notes' has no attribute {name!r}")
    return getattr(import_module(module), name)
