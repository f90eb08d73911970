"""The chat's widgets: they display structures and post messages, nothing more."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str | None) -> str:
    """Text safe to print: terminal control characters stripped (tabs and newlines kept)."""
    return _CONTROL.sub("", text or "")
