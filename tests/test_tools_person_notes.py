"""What the notes say about one person: the profile's details, and search that falls back."""

from __future__ import annotations

from typer.testing import CliRunner

from carson.cli import app
from carson.config import Settings
from carson.store import Store
from carson.tools import ToolContext, run_tool
from carson.tools.notes import detail_kinds


def _run(store: Store, name: str, args: dict[str, object]) -> dict[str, object]:
    run = run_tool(ToolContext(store, Settings(home=store.home)), name, args)
    assert run.ok, run.result
    result: dict[str, object] = run.result
    return result


def test_a_family_question_gets_the_family_details_no_note_matches_by_meaning(
    demo_store: Store,
) -> None:
    # "family" is not close to "His wife is Dana" as a sentence; the details are.
    result = _run(demo_store, "search_notes", {"query": "family", "person": "John Jacobs"})
    assert result["fallback"] == "details" and result["kinds"] == ["family"]
    texts = [r["text"] for r in result["results"]]  # type: ignore[attr-defined]
    assert any("Emma" in t for t in texts) and any("Dana" in t for t in texts)
    assert all("basketball" not in t for t in texts)


def test_no_match_and_no_such_detail_gives_the_latest_notes_about_them(
    demo_store: Store,
) -> None:
    result = _run(demo_store, "search_notes", {"query": "golf", "person": "Harry Smith"})
    assert result["fallback"] == "latest"
    assert result["results"] and all(
        "Harry Smith" in r["people"]
        for r in result["results"]  # type: ignore[attr-defined]
    )


def test_a_search_that_matches_is_not_a_fallback(demo_store: Store) -> None:
    result = _run(demo_store, "search_notes", {"query": "payroll", "person": "Sarah Lee"})
    assert result.get("fallback") is None and result["results"]


def test_detail_kinds_of_a_question() -> None:
    assert detail_kinds("his kids") == ["family"]
    assert detail_kinds("hobbies") == ["hobby"]
    assert detail_kinds("what problems do they have") == ["pain"]
    assert detail_kinds("golf") == []


def test_profile_carries_personal_details_from_the_notes(demo_store: Store) -> None:
    result = _run(demo_store, "person_profile", {"person": "Sarah Lee"})
    details = result["details"]
    assert isinstance(details, list)
    by_kind = {d["kind"]: d["text"] for d in details}
    assert "marathon" in by_kind["hobby"]
    assert all("payroll" not in d["text"].lower() for d in details if d["kind"] == "hobby"), (
        "running two payrolls is not a hobby"
    )


def test_asking_in_words(demo_home: object) -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["ask", "what do I know about John's family?"]).output
    assert out.startswith("What your notes say about John Jacobs's family:")
    assert "Emma" in out
    out = runner.invoke(app, ["ask", "anything about Harry and golf?"]).output
    assert 'matches "golf"' in out
