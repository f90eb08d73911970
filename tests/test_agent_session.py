"""Saved sessions round-trip every message kind, refuse odd names, and report damage."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from carson.agent.session import Session
from carson.errors import UsageError


def test_round_trip_keeps_tool_calls_and_artifacts(carson_home: Path) -> None:
    s = Session(carson_home, "deal-gs")
    messages = [
        HumanMessage(content="routes into GS"),
        AIMessage(
            content="",
            tool_calls=[{"name": "find_routes", "args": {"target_company": "GS"}, "id": "c1"}],
        ),
        ToolMessage(
            content="<data>…</data>",
            tool_call_id="c1",
            name="find_routes",
            artifact={"routes": [{"x": 1}]},
        ),
        AIMessage(content="Ask John."),
    ]
    s.save(messages)
    loaded = Session(carson_home, "deal-gs").load()
    assert [type(m) for m in loaded] == [type(m) for m in messages]
    assert loaded[1].tool_calls[0]["args"] == {"target_company": "GS"}  # type: ignore[attr-defined]
    assert loaded[2].artifact == {"routes": [{"x": 1}]}  # type: ignore[attr-defined]
    assert s.path.parent == carson_home / "sessions"


def test_a_new_session_is_empty(carson_home: Path) -> None:
    assert Session(carson_home, "fresh").load() == []


@pytest.mark.parametrize("name", ["../x", "a/b", "", ".hidden", "x" * 80])
def test_odd_names_are_refused(carson_home: Path, name: str) -> None:
    with pytest.raises(UsageError):
        Session(carson_home, name)


def test_a_damaged_file_is_a_clear_error(carson_home: Path) -> None:
    s = Session(carson_home, "broken")
    s.path.parent.mkdir(parents=True)
    s.path.write_text("{not json")
    with pytest.raises(UsageError, match="damaged"):
        s.load()


def test_long_sessions_are_trimmed_at_a_request(
    carson_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from carson.agent import session

    monkeypatch.setattr(session, "MAX_MESSAGES", 5)
    turn = [
        HumanMessage(content="q"),
        AIMessage(content="", tool_calls=[{"name": "help_first", "args": {}, "id": "c"}]),
        ToolMessage(content="r", tool_call_id="c", name="help_first"),
        AIMessage(content="a"),
    ]
    s = Session(carson_home, "long")
    s.save(turn * 3)
    loaded = s.load()
    assert len(loaded) <= 5
    assert isinstance(loaded[0], HumanMessage)


def test_a_version_1_file_loads_with_no_rehearsal(carson_home: Path) -> None:
    import json

    s = Session(carson_home, "v1")
    s.save([HumanMessage(content="hi"), AIMessage(content="Hello.")], rehearsal={"role": "x"})
    data = json.loads(s.path.read_text())
    assert data["version"] == 2 and data["rehearsal"] == {"role": "x"}
    s.path.write_text(json.dumps({"version": 1, "messages": data["messages"]}))
    saved = s.read()
    assert [m.content for m in saved.messages] == ["hi", "Hello."]
    assert saved.rehearsal is None
    s.path.write_text(json.dumps({**data, "rehearsal": "not an object"}))
    with pytest.raises(UsageError, match="damaged"):
        s.read()
