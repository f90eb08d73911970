"""The command line, in-process (typer's runner) and, for errors, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from carson import __version__
from carson.cli import app

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"carson {__version__}"


def test_status_json_on_an_empty_home(carson_home: Path) -> None:
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in ("people", "organizations", "ties", "interactions", "notes"):
        assert data[key] == 0
    assert data["home"] == str(carson_home)
    assert data["brain"] == "offline"


def test_status_names_the_configured_brain(monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
    monkeypatch.setenv("CARSON_MODEL", "smollm2")
    data = json.loads(runner.invoke(app, ["status", "--json"]).output)
    assert data["brain"] == "smollm2 @ http://127.0.0.1:8080/v1"


def test_user_errors_are_one_line_without_a_traceback(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("x")
    env = {**os.environ, "CARSON_HOME": str(not_a_dir)}
    proc = subprocess.run(
        [sys.executable, "-m", "carson", "status"], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: Can't open the store")
    assert "CARSON_HOME" in lines[0]


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("x")
    env = {**os.environ, "CARSON_HOME": str(not_a_dir), "CARSON_DEBUG": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "carson", "status"], env=env, capture_output=True, text=True
    )
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr


def test_status_describes_the_last_import(store) -> None:
    import json as _json

    with store.write():
        store.set_meta(
            "last_import",
            _json.dumps(
                {
                    "at": "2026-11-02T10:15:00+00:00",
                    "file": "/x/Connections.csv",
                    "format": "linkedin",
                }
            ),
        )
    plain = runner.invoke(app, ["status"])
    assert "last import    2026-11-02 10:15 (Connections.csv, linkedin)" in plain.output
    data = _json.loads(runner.invoke(app, ["status", "--json"]).output)
    assert data["last_import"]["format"] == "linkedin"


def test_status_reads_a_bare_last_import_time(store) -> None:
    with store.write():
        store.set_meta("last_import", "2026-11-25T09:00:00")
    assert "last import    2026-11-25 09:00" in runner.invoke(app, ["status"]).output
