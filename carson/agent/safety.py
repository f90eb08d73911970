"""Untrusted text in, clean text out.

Notes, email subjects and imported fields reach a model only inside a delimited data
block (the system prompt says data is never instructions), and anything shown in a
terminal is stripped of control characters first (escape sequences could rewrite the
screen or the clipboard).
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls except tab and newline, DEL, and C1 controls; plus ANSI/OSC escape sequences.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

DATA_OPEN = "<data"
DATA_CLOSE = "</data>"


def strip_control(text: str) -> str:
    """Remove terminal escape sequences and control characters (keeps tab and newline)."""
    text = text.replace("\r\n", "\n")
    return _CONTROL.sub("", _ANSI.sub("", text))


def _neutralise(text: str) -> str:
    # A payload must not be able to close its own block and talk as the system.
    return text.replace(DATA_CLOSE, "</ data>").replace(DATA_OPEN, "< data")


def data_block(source: str, payload: Any) -> str:
    """Wrap untrusted content in a delimited block the model is told never to obey."""
    body = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    source = re.sub(r"[^A-Za-z0-9_:.-]", "", source)
    return f'{DATA_OPEN} source="{source}">\n{_neutralise(body)}\n{DATA_CLOSE}'
