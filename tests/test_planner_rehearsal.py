"""The wording that ends a rehearsal or steps out of it, and the planner's answer to it."""

from __future__ import annotations

import pytest

from carson.agent.planner import Planner
from carson.agent.planner.rehearsal import aside, is_end
from carson.store import Store

ENDS = [
    "/end",
    "/END ",
    "/stop",
    "end the rehearsal",
    "end rehearsal",
    "stop rehearsing",
    "OK, that's enough practice",
    "let's wrap up the rehearsal",
    "I'm done practising",
    "how did I do?",
    "How'd I do",
    "give me my feedback",
    "what’s my score?",
    "Done.",
    "OK, how was I?",
]
LINES = [  # things a seller says on a call: lines in character, not the end
    "Hi John, good to hear your voice.",
    "Could you introduce me to Harry? We help payroll teams cut errors.",
    "Stop by next week and I'll buy the coffee.",
    "How did it go with Harry's team?",
    "I'm done with the payroll project, so timing is good.",
    "Could you end up introducing me to him?",
    "Carson Wentz is a friend of mine.",
    "How was I supposed to know Harry had moved to Goldman?",
]


@pytest.mark.parametrize("text", ENDS)
def test_end_phrasings_end(text: str) -> None:
    assert is_end(text)


@pytest.mark.parametrize("text", LINES)
def test_lines_in_character_stay_in_character(text: str) -> None:
    assert not is_end(text)
    assert aside(text) is None


def test_an_aside_is_addressed_to_carson() -> None:
    assert aside("Carson, who is Harry Smith?") == "who is Harry Smith?"
    assert aside("carson: what should I say next?") == "what should I say next?"
    assert aside("/ask how do I know Harry?") == "how do I know Harry?"
    assert aside("Carson,") is None


@pytest.mark.parametrize("text", ["/end", "stop rehearsing", "end the rehearsal", "how did I do?"])
def test_the_planner_says_no_rehearsal_is_running(demo_store: Store, text: str) -> None:
    plan = Planner(demo_store, use_embeddings=False).plan(text)
    assert not plan.calls  # "stop rehearsing" must not start a rehearsal
    assert plan.reply and plan.reply.startswith("No rehearsal is running")
