"""Phone scripts: every section, objections with answers, grounded in the store."""

from __future__ import annotations

from carson.drafting import draft_call
from carson.store import Store

SECTIONS = [
    "Before you dial",
    "1. Opener",
    "2. Context",
    "3. The ask",
    "4. If they say…",
    "5. Close",
    "6. After the call",
]


def test_john_to_harry_script_has_every_section_in_order(demo_store: Store) -> None:
    d = draft_call(demo_store, via="John Jacobs", to="Harry Smith")
    assert d.kind == "call"
    positions = [d.body.index(s) for s in SECTIONS]
    assert positions == sorted(positions)
    assert "roommates" in d.body
    assert "How well do you know Harry" in d.body
    assert "I don't know Harry that well anymore." in d.body
    assert d.body.count('  "') >= 3  # each objection has an answer
    assert "forward" in d.body.split("5. Close")[1]
    assert "Log what happened" in d.body
    assert d.grounding.ok, d.grounding.flagged


def test_loose_ties_lead_with_the_dont_know_them_objection(demo_store: Store) -> None:
    close = draft_call(demo_store, via="John Jacobs", to="Harry Smith", save=False)
    loose = draft_call(demo_store, via="Derek Lawson", to="Wendy Peterson", save=False)

    def first_objection(body: str) -> str:
        return body.split("4. If they say…\n- ")[1].splitlines()[0]

    assert "that well anymore" in first_objection(loose.body)
    assert "that well anymore" not in first_objection(close.body)
    assert "too long" in loose.body  # a stale tie opens by reconnecting


def test_teammate_script_handles_the_account_overlap(demo_store: Store) -> None:
    d = draft_call(demo_store, via="Priya Patel", to="Rachel Kim", save=False)
    assert "already talking to Morgan Stanley" in d.body
    assert "cover one of your calls" in d.body
    assert d.grounding.ok, d.grounding.flagged
