"""``carson reconnect`` and ``carson give`` on the demo network."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from carson.cli import app
from carson.errors import UnknownPersonError

runner = CliRunner()


def test_reconnect_lists_overdue_ties_with_reasons(demo_home: Path) -> None:
    out = runner.invoke(app, ["reconnect", "-k", "3"])
    assert out.exit_code == 0, out.output
    lines = [line for line in out.output.splitlines() if line.startswith("- ")]
    assert len(lines) == 3 and all("last in touch" in line for line in lines)
    data = json.loads(runner.invoke(app, ["reconnect", "--json", "-k", "3"]).output)
    assert [s["name"] for s in data["suggestions"]] == [line[2:].split(" (")[0] for line in lines]
    assert all(s["last_contact"] and s["why"] for s in data["suggestions"])


def test_give_for_one_person_introduces_them_to_others(demo_home: Path) -> None:
    data = json.loads(runner.invoke(app, ["give", "--person", "Sarah Lee", "--json"]).output)
    assert data["person"] == "Sarah Lee" and data["ideas"]
    assert all("Sarah Lee" in (i["introduce"], i["to"]) for i in data["ideas"])


def test_give_for_an_unknown_person_says_so(demo_home: Path) -> None:
    out = runner.invoke(app, ["give", "--person", "Nobody Known"])
    assert isinstance(out.exception, UnknownPersonError)  # `main` prints it as one line
    assert 'No person called "Nobody Known"' in out.exception.message
