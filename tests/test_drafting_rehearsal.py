"""Call rehearsal: turn by turn without a terminal, feedback quoting the seller's lines."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from carson.cli import app
from carson.drafting import Rehearsal
from carson.errors import UsageError
from carson.store import Store

GOOD = [
    "Hi John, good to hear your voice. How is Emma finding Michigan?",
    "Quick one: how well do you know Harry these days?",
    "Would you be open to introducing me to Harry?",
    "We help payroll teams cut errors, and Harry would know who owns payroll at Goldman.",
    "Totally fair. Happy to return the favour any time, just say the word.",
    "Great, I'll send you a short note tonight that you can forward. Does that work?",
]
POOR = [
    "Hey John.",
    "So I need you to get me a meeting with Harry.",
    "Just do it, please.",
]


def test_a_good_rehearsal_meets_every_checkpoint_with_quotes(demo_store: Store) -> None:
    r = Rehearsal.start(demo_store, via="John Jacobs")
    assert r.facts.to.name == "Harry Smith"  # John's closest contact: his college roommate
    assert r.opening
    replies = [r.reply(line) for line in GOOD]
    assert all(replies)
    assert "roommates" in replies[1]  # John answers from the store's tie
    fb = r.end()
    assert fb.score == fb.out_of == 5
    quotes = {c.name: c.quote for c in fb.checkpoints}
    assert quotes["clear ask"] == GOOD[2]
    assert quotes["business reason"] == GOOD[3]
    assert quotes["reciprocity offered"] == GOOD[4]
    assert quotes["next step confirmed"] == GOOD[5]
    assert f'"{GOOD[2]}"' in fb.render()


def test_a_poor_rehearsal_gets_different_feedback_with_script_lines(demo_store: Store) -> None:
    r = Rehearsal.start(demo_store, via="John Jacobs")
    for line in POOR:
        r.reply(line)
    fb = r.end()
    missed = {c.name for c in fb.checkpoints if not c.met}
    assert {"reciprocity offered", "next step confirmed", "checked the relationship"} <= missed
    assert fb.score <= 2
    text = fb.render()
    assert "✗ reciprocity offered" in text and "e.g." in text
    good = Rehearsal.start(demo_store, via="John Jacobs")
    for line in GOOD:
        good.reply(line)
    assert good.end().score > fb.score


def test_the_connector_asks_why_when_the_ask_has_no_reason(demo_store: Store) -> None:
    r = Rehearsal.start(demo_store, via="John Jacobs")
    answer = r.reply("Could you introduce me to Harry?")
    assert "about" in answer.lower()


@pytest.mark.parametrize("role", ["target", "gatekeeper"])
def test_other_roles_play_and_judge_the_referral(demo_store: Store, role: str) -> None:
    r = Rehearsal.start(demo_store, via="John Jacobs", to="Harry Smith", role=role)
    assert "Harry" in r.opening or "John" in r.opening
    r.reply("John Jacobs suggested I get in touch.")
    r.reply("Could I get 20 minutes with him? We help payroll teams cut errors.")
    fb = r.end()
    names = {c.name: c.met for c in fb.checkpoints}
    assert names["named the referral"] and names["clear ask"]


@pytest.mark.parametrize("role", ["target", "gatekeeper"])
def test_a_missed_ask_to_the_target_or_gatekeeper_is_advised_as_asking_for_time(
    demo_store: Store, role: str
) -> None:
    r = Rehearsal.start(demo_store, via="John Jacobs", to="Harry Smith", role=role)
    r.reply("Hello, this is Jordan.")
    advice = {c.name: c.advice for c in r.end().checkpoints}["clear ask"]
    assert "20 minutes" in advice and "Harry" in advice
    assert "introduc" not in advice.lower()  # only the connector is asked for an introduction


def test_an_unknown_role_is_a_usage_error(demo_store: Store) -> None:
    with pytest.raises(UsageError):
        Rehearsal.start(demo_store, via="John Jacobs", role="barista")


def test_an_ended_rehearsal_refuses_more_lines(demo_store: Store) -> None:
    r = Rehearsal.start(demo_store, via="John Jacobs")
    r.end()
    with pytest.raises(UsageError):
        r.reply("hello?")


def test_cli_rehearse_reads_turns_from_stdin(demo_home: object) -> None:
    result = CliRunner().invoke(
        app, ["rehearse", "--via", "John Jacobs"], input="\n".join([*GOOD, "/end"]) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "John Jacobs:" in result.output
    assert "5/5 checkpoints met" in result.output
    assert f'you said "{GOOD[2]}"' in result.output


def test_a_resumed_rehearsal_carries_on_exactly(demo_store: Store) -> None:
    live = Rehearsal.start(demo_store, via="John Jacobs")
    for line in GOOD[:3]:
        live.reply(line)
    state = live.snapshot()
    assert state.transcript[0] == ("John Jacobs", live.opening)
    resumed = Rehearsal.resume(demo_store, type(state).model_validate_json(state.model_dump_json()))
    assert resumed.transcript == live.transcript
    assert resumed.state.hits == live.state.hits
    assert [resumed.reply(x) for x in GOOD[3:]] == [live.reply(x) for x in GOOD[3:]]
    assert resumed.end() == live.end()


def test_a_resumed_rehearsal_keeps_the_persona_lines_as_said(demo_store: Store) -> None:
    """A model's lines are restored, not regenerated (offline, the judge still replays)."""
    r = Rehearsal.start(demo_store, via="John Jacobs")
    state = r.snapshot()
    state.transcript += [("you", GOOD[2]), ("John Jacobs", "Harry? Sure, what's it about?")]
    resumed = Rehearsal.resume(demo_store, state, brain=object())  # never called
    assert resumed.transcript[-1] == ("John Jacobs", "Harry? Sure, what's it about?")
    assert resumed.last_line == "Harry? Sure, what's it about?"
    assert resumed.state.hits == {"clear ask": GOOD[2]}


def test_missed_checkpoints_are_set_against_the_sellers_own_lines(demo_store: Store) -> None:
    lines = ["Hey John.", "So I need you to get me a meeting with Harry.", "Just do it, please."]
    r = Rehearsal.start(demo_store, via="John Jacobs")
    for line in lines:
        r.reply(line)
    fb = r.end()
    said = {c.name: c.said for c in fb.checkpoints}
    assert fb.score == 0
    assert said == {
        "checked the relationship": lines[0],  # the opener, before any ask
        "clear ask": lines[1],  # the line closest to an ask
        "business reason": lines[1],
        "reciprocity offered": lines[1],
        "next step confirmed": lines[2],  # how the call ended
    }
    assert f'✗ clear ask: you said "{lines[1]}"\n      Ask plainly, e.g.' in fb.render()
