"""``carson ask``: in-process through typer's runner, and once as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from carson.cli import app

runner = CliRunner()


def _ask(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["ask", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_ask_json_gives_routes_with_probabilities_and_the_calls_behind_them(
    demo_home: Path,
) -> None:
    data = _ask("what's the quickest way into Goldman Sachs?")
    assert data["brain"] == "offline"
    [call] = data["tool_calls"]
    assert call["name"] == "find_routes"
    assert call["args"] == {"target_company": "Goldman Sachs"}
    first = call["result"]["routes"][0]
    assert [h["name"] for h in first["hops"]][1:] == ["John Jacobs", "Harry Smith"]
    assert 0 < first["low"] <= first["probability"] <= first["high"] < 1
    assert "John Jacobs" in data["answer"] and "%" in data["answer"]


def test_follow_ups_work_from_the_shell_with_a_session(demo_home: Path) -> None:
    _ask("what's the quickest way into Goldman Sachs?", "--session", "gs")
    ms = _ask("what about Morgan Stanley?", "--session", "gs")
    assert ms["tool_calls"][0]["args"] == {"target_company": "Morgan Stanley"}
    know = _ask("how do I know Harry Smith?", "--session", "gs")
    assert know["tool_calls"][0]["name"] == "how_do_i_know"
    assert know["tool_calls"][0]["args"] == {"person": "Harry Smith"}
    assert (demo_home / "sessions" / "gs.json").exists()
    # without the session, the follow-up has no context to resolve against
    lone = _ask("what about Morgan Stanley?")
    assert lone["tool_calls"][0]["args"] == {"target_company": "Morgan Stanley"}


def test_plain_output_is_the_answer(demo_home: Path) -> None:
    result = runner.invoke(app, ["ask", "who is Harry Smith?"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Harry Smith — Managing Director, Goldman Sachs")


def test_a_bad_session_name_is_a_usage_error(demo_home: Path) -> None:
    result = runner.invoke(app, ["ask", "hi", "--session", "../etc"])
    assert result.exit_code != 0
    assert "not a usable session name" in str(result.exception) or "session" in result.output


def test_unreachable_server_is_one_line_not_a_traceback(demo_home: Path) -> None:
    env = {**os.environ, "CARSON_HOME": str(demo_home), "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    env.pop("CARSON_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "carson", "ask", "routes into GS", "--model", "tiny"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("Error: Can't reach model at http://127.0.0.1:9")
    assert "start the server or unset it" in proc.stderr
