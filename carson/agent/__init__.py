"""Carson's agent: one loop on LangChain messages, typed tools, interchangeable brains.

Logic only: nothing here imports ``textual`` or ``typer``. Heavy modules (langchain-openai,
onnxruntime, chromadb, networkx) are imported when first used, never at import time.
"""

from __future__ import annotations

__all__ = ["Agent", "ToolCallRecord", "TurnResult"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from carson.agent import loop

        return getattr(loop, name)
    raise AttributeError(name)
