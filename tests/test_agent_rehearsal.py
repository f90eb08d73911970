"""Call rehearsal through the agent: ``carson ask --session`` and ``Conversation``.

The agent's ``rehearse`` tool starts the practice call; the conversation then routes
each message to the persona until an end phrasing returns feedback quoting the seller's
own lines. The rehearsal is saved with the session, so every ``carson ask -s`` below
runs in a fresh ``Conversation`` restored from the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from typer.testing import CliRunner

from carson.agent.conversation import Conversation
from carson.agent.session import Session
from carson.agent.testing import ScriptedChatModel
from carson.cli import app
from carson.config import Settings
from carson.store import Store

runner = CliRunner()

GOOD = [
    "Hi John, good to hear your voice. How is Emma finding Michigan?",
    "Quick one: how well do you know Harry these days?",
    "Would you be open to introducing me to Harry?",
    "We help payroll teams cut errors, and Harry would know who owns payroll at Goldman.",
    "Totally fair. Happy to return the favour any time, just say the word.",
    "Great, I'll send you a short note tonight that you can forward. Does that work?",
]
POOR = ["Hey John.", "Can you introduce me to Harry?", "Just do it, please."]


def _ask(session: str, text: str) -> dict[str, Any]:
    result = runner.invoke(app, ["ask", "-s", session, text, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def _rehearse_from_the_shell(lines: list[str], end: str = "/end") -> dict[str, Any]:
    start = _ask("r", "let me rehearse the call with John")
    assert [c["name"] for c in start["tool_calls"]] == ["rehearse"]
    state = start["rehearsal"]
    assert (state["role"], state["via"], state["to"]) == ("connector", "John Jacobs", "Harry Smith")
    assert state["speaker"] == "John Jacobs" and state["line"] in start["answer"]
    assert "/end" in start["answer"]  # the opening says how the call works
    for i, line in enumerate(lines, 1):
        turn = _ask("r", line)
        assert turn["tool_calls"] == []  # a line in character never reaches the agent
        assert turn["answer"] == f"John Jacobs: {turn['rehearsal']['line']}"
        assert turn["rehearsal"]["turns"] == i
    done = _ask("r", end)
    assert "rehearsal" not in done  # it has ended
    feedback: dict[str, Any] = done["feedback"]
    assert feedback["via"] == "John Jacobs" and feedback["to"] == "Harry Smith"
    return feedback


def _quotes(feedback: dict[str, Any]) -> dict[str, str | None]:
    return {c["name"]: c["quote"] for c in feedback["checkpoints"]}


def test_a_good_rehearsal_through_carson_ask_meets_every_checkpoint(demo_home: Path) -> None:
    feedback = _rehearse_from_the_shell(GOOD)
    assert feedback["score"] == feedback["out_of"] == 5
    assert all(c["met"] for c in feedback["checkpoints"])
    assert _quotes(feedback) == {
        "checked the relationship": GOOD[1],
        "clear ask": GOOD[2],
        "business reason": GOOD[3],
        "reciprocity offered": GOOD[4],
        "next step confirmed": GOOD[5],
    }
    # the rehearsal is over: the next question goes to the agent
    after = _ask("r", "who is Harry Smith?")
    assert [c["name"] for c in after["tool_calls"]] == ["person_profile"]
    assert "rehearsal" not in after


def test_a_poor_rehearsal_gets_different_feedback_quoting_its_lines(demo_home: Path) -> None:
    feedback = _rehearse_from_the_shell(POOR, end="how did I do?")
    assert feedback["score"] == 1
    met = {c["name"]: c for c in feedback["checkpoints"] if c["met"]}
    assert list(met) == ["clear ask"]
    assert met["clear ask"]["quote"] == POOR[1]
    missed = [c for c in feedback["checkpoints"] if not c["met"]]
    assert all(c["quote"] is None and c["advice"] for c in missed)
    assert all(c["said"] in POOR for c in missed)  # set against the seller's own lines
    plain = runner.invoke(app, ["ask", "-s", "r2", "rehearse the call with John Jacobs"])
    for line in POOR:
        runner.invoke(app, ["ask", "-s", "r2", line])
    text = runner.invoke(app, ["ask", "-s", "r2", "end the rehearsal"]).output
    assert plain.exit_code == 0
    assert "1/5 checkpoints met" in text
    assert f'✓ clear ask: you said "{POOR[1]}"' in text
    assert f'✗ next step confirmed: you said "{POOR[2]}"' in text


@pytest.mark.parametrize(
    "end", ["/end", "end the rehearsal", "stop rehearsing", "how did I do?", "give me feedback"]
)
def test_natural_end_phrasings_end_the_rehearsal(demo_store: Store, end: str) -> None:
    conv = Conversation(Settings(home=demo_store.home), demo_store)
    conv.ask("rehearse the call with John Jacobs")
    conv.ask(GOOD[2])
    result = conv.ask(end)
    assert result.feedback is not None and result.rehearsal is None
    assert f'you said "{GOOD[2]}"' in result.answer
    assert conv.rehearsal is None


def test_the_session_file_carries_the_rehearsal_exactly(demo_home: Path, demo_store: Store) -> None:
    """Restored from the file before every line, the call goes exactly as in one process."""
    settings = Settings(home=demo_home)
    live = Conversation(settings, demo_store)
    saved = [Conversation(settings, demo_store, session="disk")]
    answers = [(live.ask(t).answer, saved[-1].ask(t).answer) for t in ["rehearse with John"]]
    for line in GOOD[:3]:
        saved.append(Conversation(settings, demo_store, session="disk"))  # a reload
        assert saved[-1].rehearsal is not None
        answers.append((live.ask(line).answer, saved[-1].ask(line).answer))
    assert all(a == b for a, b in answers)
    data = json.loads((demo_home / "sessions" / "disk.json").read_text())
    assert data["version"] == 2
    assert data["rehearsal"]["transcript"][1] == ["you", GOOD[0]]
    assert data["rehearsal"]["via_id"] is not None
    reloaded = Conversation(settings, demo_store, session="disk")
    assert reloaded.rehearsal is not None and live.rehearsal is not None
    assert reloaded.rehearsal.transcript == live.rehearsal.transcript
    assert reloaded.rehearsal.state.hits == live.rehearsal.state.hits
    for line in GOOD[3:]:
        assert reloaded.ask(line).answer == live.ask(line).answer
    assert reloaded.ask("/end").feedback == live.ask("/end").feedback
    assert json.loads((demo_home / "sessions" / "disk.json").read_text())["rehearsal"] is None


def test_end_with_no_rehearsal_running_says_so(demo_home: Path) -> None:
    for text in ("/end", "stop rehearsing"):
        data = _ask("idle", text)
        assert data["tool_calls"] == []  # "stop rehearsing" does not start one
        assert data["answer"].startswith("No rehearsal is running")
        assert "rehearse the call with" in data["answer"]
        assert "feedback" not in data and "rehearsal" not in data


def test_an_old_format_session_file_still_loads(demo_home: Path) -> None:
    _ask("old", "what's the quickest way into Goldman Sachs?")
    path = demo_home / "sessions" / "old.json"
    data = json.loads(path.read_text())
    path.write_text(json.dumps({"version": 1, "messages": data["messages"]}))  # as 1 wrote it
    assert Session(demo_home, "old").read().rehearsal is None
    start = _ask("old", "let's rehearse the call")  # the routes come from the old file
    assert start["rehearsal"]["via"] == "John Jacobs"
    assert start["rehearsal"]["to"] == "Harry Smith"
    assert json.loads(path.read_text())["version"] == 2


def test_a_saved_rehearsal_that_cannot_resume_is_dropped_with_a_notice(
    demo_home: Path, demo_store: Store
) -> None:
    _ask("gone", "rehearse the call with John Jacobs")
    path = demo_home / "sessions" / "gone.json"
    data = json.loads(path.read_text())
    data["rehearsal"].update(via_id=None, via="Nobody Atall")
    path.write_text(json.dumps(data))
    conv = Conversation(Settings(home=demo_home), demo_store, session="gone")
    assert conv.rehearsal is None
    result = conv.ask("who is Harry Smith?")
    assert result.notice and "rehearsal saved in this session was dropped" in result.notice
    assert result.tool_calls[0].name == "person_profile"


def test_carson_comma_is_an_aside_and_the_call_goes_on(demo_store: Store) -> None:
    conv = Conversation(Settings(home=demo_store.home), demo_store)
    conv.ask("rehearse the call with John Jacobs")
    conv.ask(GOOD[1])
    aside = conv.ask("Carson, who is Harry Smith?")
    assert [c.name for c in aside.tool_calls] == ["person_profile"]
    assert "Still rehearsing" in aside.answer and aside.rehearsal is not None
    assert aside.rehearsal["turns"] == 1  # the aside is not a line in the call
    line = conv.ask(GOOD[2])
    assert line.answer.startswith("John Jacobs: ") and not line.tool_calls
    feedback = conv.ask("/end").feedback
    assert feedback is not None
    assert [who for who, _ in feedback.transcript].count("you") == 2  # type: ignore[attr-defined]


def test_without_a_session_the_cli_says_how_to_carry_on(demo_home: Path) -> None:
    result = runner.invoke(app, ["ask", "rehearse the call with John Jacobs"])
    assert result.exit_code == 0, result.output
    assert "John Jacobs:" in result.stdout
    assert "carson ask -s" in result.stderr


# ------------------------------------------------------------ with a model brain


def _persona_prompt(fake: ScriptedChatModel) -> tuple[str, str]:
    system, user = fake.seen[-1]
    assert isinstance(system, SystemMessage) and isinstance(user, HumanMessage)
    return str(system.content), str(user.content)


def test_with_a_model_the_tool_starts_it_and_the_model_speaks_the_persona(
    demo_home: Path, demo_store: Store, fake_chat: ScriptedChatModel
) -> None:
    settings = Settings(home=demo_home)
    fake_chat.add_tool_call("rehearse", via="John Jacobs", role="connector")
    fake_chat.add_reply("Let's practise: I'm John now.")
    conv = Conversation(settings, demo_store, session="m", brain=fake_chat)
    start = conv.ask("let's practise the call with John")
    assert start.rehearsal is not None and start.rehearsal["speaker"] == "John Jacobs"
    assert start.answer.startswith("Let's practise: I'm John now.")
    assert start.rehearsal["line"] in start.answer  # the opening is shown even if unsaid
    assert "/end" in start.answer

    fake_chat.add_reply("Harry? We roomed together at Michigan. What's this about?")
    line = conv.ask(GOOD[2])
    assert line.answer == "John Jacobs: Harry? We roomed together at Michigan. What's this about?"
    system, user = _persona_prompt(fake_chat)
    assert "John" in system and f"you: {GOOD[2]}" in user  # the call so far, as data

    # a reload restores the model's lines as said: no model call (the fake is strict)
    seen = len(fake_chat.seen)
    again = Conversation(settings, demo_store, session="m", brain=fake_chat)
    assert again.rehearsal is not None
    assert again.rehearsal.transcript == conv.rehearsal.transcript  # type: ignore[union-attr]
    assert len(fake_chat.seen) == seen

    fake_chat.add_reply("Fine, send me a note and I'll forward it.")
    again.ask(GOOD[5])
    assert "you: " + GOOD[2] in _persona_prompt(fake_chat)[1]  # the restored call so far
    done = again.ask("how did I do?")
    assert done.feedback is not None and len(fake_chat.seen) == seen + 1  # judged offline
    quotes = {c.name: c.quote for c in done.feedback.checkpoints}  # type: ignore[attr-defined]
    assert quotes["clear ask"] == GOOD[2] and quotes["next step confirmed"] == GOOD[5]

    fake_chat.add_reply("Harry Smith is a Managing Director at Goldman Sachs.")
    after = again.ask("who is Harry Smith?")  # back to the agent
    assert after.answer.startswith("Harry Smith is") and after.rehearsal is None
    assert any("Rehearsal feedback" in str(m.content) for m in fake_chat.seen[-1])


def test_the_chat_takes_over_a_rehearsal_the_agent_started(demo_home: Path) -> None:
    """The TUI's rehearsal screen drives the call; the chat's next question is a question."""
    from carson.tui.manager import ChatManager

    manager = ChatManager(Settings(home=demo_home))
    try:
        reply = manager.handle("rehearse the call with John Jacobs")
        assert reply.rehearsal is not None and reply.rehearsal.speaker == "John Jacobs"
        assert manager.rehearsal is not None
        assert manager.rehearsal_reply(GOOD[2]).text
        after = manager.handle("who is Harry Smith?")
        assert [c["name"] for c in after.tool_calls] == ["person_profile"]
        feedback = manager.end_rehearsal()
        assert {c.name: c.quote for c in feedback.checkpoints}["clear ask"] == GOOD[2]
    finally:
        manager.close()


def test_a_model_failure_mid_call_leaves_the_call_as_it_was(
    demo_home: Path, demo_store: Store, fake_chat: ScriptedChatModel
) -> None:
    from carson.errors import LLMUnavailableError

    fake_chat.add_tool_call("rehearse", via="John Jacobs")
    fake_chat.add_reply("I'm John now.")
    conv = Conversation(Settings(home=demo_home), demo_store, session="flaky", brain=fake_chat)
    conv.ask("rehearse the call with John")
    fake_chat.add_error(RuntimeError("connection reset"))
    with pytest.raises(LLMUnavailableError):
        conv.ask(GOOD[2])
    assert conv.rehearsal is not None and len(conv.rehearsal.transcript) == 1
    assert conv.rehearsal.state.turns == 0 and not conv.rehearsal.state.hits
    fake_chat.add_reply("Sure. What's it about?")
    assert conv.ask(GOOD[2]).answer == "John Jacobs: Sure. What's it about?"
    saved = Session(demo_home, "flaky").read().rehearsal
    assert saved is not None and [who for who, _ in saved["transcript"]].count("you") == 1


@pytest.mark.parametrize(
    ("question", "role", "speaker"),
    [
        ("pretend to be Harry Smith", "target", "Harry Smith"),
        ("rehearse the call with Harry's assistant", "gatekeeper", "Harry's assistant"),
    ],
)
def test_someone_beyond_reach_is_played_as_the_person_an_intro_leads_to(
    demo_home: Path, question: str, role: str, speaker: str
) -> None:
    # No routes on screen, and the seller doesn't know Harry: Carson plays Harry (or his
    # gatekeeper) after an intro from the first hop of the best route, not Harry asked
    # for an intro to one of his own contacts.
    start = _ask("p", question)
    state = start["rehearsal"]
    assert (state["role"], state["via"], state["to"]) == (role, "John Jacobs", "Harry Smith")
    assert state["speaker"] == speaker
    assert "John Jacobs made the intro" in start["answer"]


def test_a_direct_contact_is_still_the_connector_and_cannot_be_a_target_of_an_intro(
    demo_home: Path,
) -> None:
    state = _ask("c", "role-play John Jacobs for me")["rehearsal"]
    assert (state["role"], state["via"], state["to"]) == ("connector", "John Jacobs", "Harry Smith")
    result = runner.invoke(app, ["ask", "rehearse with John Jacobs as the target"])
    assert "You know John Jacobs directly" in result.output
    assert 'rehearse the call with John Jacobs"' in result.output


def test_a_teammates_route_is_drafted_and_rehearsed_with_the_teammate(demo_home: Path) -> None:
    # "Ask Priya to make the intro": the route starts at Priya, not at the seller, so the
    # person to ask is its first hop (it used to read as "you know Rachel directly").
    routes = _ask("t", "quickest way into Morgan Stanley through the team?")
    first = routes["tool_calls"][0]["result"]["routes"][0]
    assert first["via_teammate"] == "Priya Patel"
    assert [h["name"] for h in first["hops"]] == ["Priya Patel", "Rachel Kim"]
    draft = _ask("t", "draft the email for route 1")["tool_calls"][0]["result"]["draft"]
    assert (draft["via"], draft["to"]) == ("Priya Patel", "Rachel Kim")
    by_name = _ask("t", "write the email to Priya")["tool_calls"][0]["result"]["draft"]
    assert (by_name["via"], by_name["to"]) == ("Priya Patel", "Rachel Kim")
    state = _ask("t", "rehearse route 1")["rehearsal"]
    assert (state["role"], state["via"], state["to"]) == ("connector", "Priya Patel", "Rachel Kim")


def test_drafting_to_an_alumnus_you_know_points_to_the_route_through_them(
    demo_home: Path,
) -> None:
    routes = _ask("a", "quickest way into Goldman Sachs?")["tool_calls"][0]["result"]["routes"]
    direct = next(
        i for i, r in enumerate(routes, 1) if r["kind"] == "alumni" and len(r["hops"]) == 2
    )
    alum = routes[direct - 1]["hops"][-1]["name"]
    onward = next(
        i
        for i, r in enumerate(routes, 1)
        if r["kind"] == "current" and r["hops"][1]["name"] == alum
    )
    answer = _ask("a", f"draft the email for route {direct}")["answer"]
    assert f"You know {alum} directly, and they used to work at Goldman Sachs." in answer
    assert f"or draft route {onward}: {alum} →" in answer
