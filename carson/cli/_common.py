"""What every command shares: settings, opening the store, JSON and error output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from pydantic import BaseModel

from carson.config import Settings
from carson.errors import CarsonError
from carson.store import Store

__all__ = ["DEBUG", "CarsonError", "json_option", "open_store", "print_error", "print_json"]

DEBUG = False

json_option = typer.Option(False, "--json", help="Print machine-readable JSON.")


def settings(home: Path | None = None) -> Settings:
    s = Settings()
    if home is not None:
        s = s.model_copy(update={"home": home})
    return s


def open_store(s: Settings, *, create: bool = True) -> Store:
    return Store(s.home, lock_timeout=s.lock_timeout, create=create)


def _plain(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    raise TypeError(f"can't serialise {type(obj).__name__}")


def print_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, default=_plain, indent=2, ensure_ascii=False))


def print_error(exc: CarsonError) -> None:
    line = f"Error: {exc.message}"
    if exc.hint:
        line += f" {exc.hint}"
    print(line, file=sys.stderr)
