"""carson draft email|call on the demo: text and --json output, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from carson.cli import app


def test_draft_email_json_has_the_documented_fields(demo_home: Path) -> None:
    result = CliRunner().invoke(
        app, ["draft", "email", "--via", "John Jacobs", "--to", "Harry Smith", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "email"
    assert data["subject"] and data["body"] and data["blurb"]
    assert all({"text", "source"} <= set(f) for f in data["facts_used"])
    assert data["grounding"] == {"ok": True, "flagged": []}
    assert Path(data["path"]).is_file()


def test_draft_call_prints_the_script_and_the_grounding_mark(demo_home: Path) -> None:
    result = CliRunner().invoke(app, ["draft", "call", "--via", "John", "--to", "Harry Smith"])
    assert result.exit_code == 0, result.output
    assert "3. The ask" in result.output
    assert "✓ Grounded" in result.output


def test_reason_flag_reaches_the_email(demo_home: Path) -> None:
    reason = "Goldman is consolidating payroll vendors this year"
    result = CliRunner().invoke(
        app,
        ["draft", "email", "--via", "John Jacobs", "--to", "Harry Smith", "--reason", reason],
    )
    assert result.exit_code == 0, result.output
    assert reason in result.output


def test_unknown_name_is_a_one_line_error_with_did_you_mean(demo_home: Path) -> None:
    env = {**os.environ, "CARSON_HOME": str(demo_home)}
    proc = subprocess.run(
        [sys.executable, "-m", "carson", "draft", "email", "--via", "Jacobs J", "--to", "Harry"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "Jacobs J" in lines[0]


def test_a_configured_model_that_is_down_is_one_line_not_a_traceback(demo_home: Path) -> None:
    env = {
        **os.environ,
        "CARSON_HOME": str(demo_home),
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
        "CARSON_MODEL": "tiny",
    }
    env.pop("CARSON_DEBUG", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "carson",
            "draft",
            "email",
            "--via",
            "John Jacobs",
            "--to",
            "Harry Smith",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: The model could not write the draft")
