"""Reconnect suggestions: who is overdue for a check-in, for their kind of relationship."""

from __future__ import annotations

from datetime import datetime, timedelta

from carson.config import Settings
from carson.models import Channel, Interaction, Note, Person, Tie, TieContext
from carson.store import Store
from carson.tools import ToolContext, run_tool


def _world(store: Store) -> dict[str, int]:
    now = datetime.now()
    ago = {  # name: (context, days since the last call, or None for no contact on record)
        "Faded Friend": (TieContext.friend, 420),
        "Recent Friend": (TieContext.friend, 10),
        "Quiet Colleague": (TieContext.colleague, 200),
        "Old Classmate": (TieContext.classmate, None),
        "Linked Stranger": (TieContext.linkedin, 900),
        "Busy Client": (TieContext.client, 100),
    }
    with store.write():
        me = store.add_person(Person(name="Jordan Reyes", is_me=True)).id or 0
        ids = {}
        for name, (context, days) in ago.items():
            pid = store.add_person(Person(name=name)).id or 0
            ids[name] = pid
            store.add_tie(Tie(a=me, b=pid, context=context, owner_id=me))
            if days is not None:
                store.add_interaction(
                    Interaction(
                        at=now - timedelta(days=days), channel=Channel.call, participants=[me, pid]
                    )
                )
        store.add_note(
            Note(
                text="Faded Friend's son just started at Cornell, she was thrilled.",
                at=now - timedelta(days=420),
                people=[ids["Faded Friend"]],
            )
        )
    return ids


def _suggest(store: Store, k: int = 10) -> list[dict[str, object]]:
    run = run_tool(ToolContext(store, Settings(home=store.home)), "reconnect_suggestions", {"k": k})
    assert run.ok, run.result
    suggestions: list[dict[str, object]] = run.result["suggestions"]
    return suggestions


def test_overdue_close_ties_first_and_nobody_who_is_not_due(store: Store) -> None:
    _world(store)
    names = [s["name"] for s in _suggest(store)]
    # A friend quiet for 14 months has decayed to a weak tie, and is exactly who to call;
    # a client 100 days quiet is overdue too; a colleague at 200 days is due but matters
    # less; a classmate with no contact on record comes after anyone known to be overdue.
    assert names[:2] == ["Faded Friend", "Busy Client"]
    assert names.index("Quiet Colleague") < names.index("Old Classmate")
    assert "Recent Friend" not in names  # talked ten days ago
    assert "Linked Stranger" not in names  # a LinkedIn connection is not a relationship to keep


def test_each_suggestion_says_why_and_how_to_open(store: Store) -> None:
    _world(store)
    first = _suggest(store)[0]
    assert first["why"] == "last in touch 14 months ago (worth a check-in every 6 weeks)"
    assert "Cornell" in str(first["opener"])
    classmate = next(s for s in _suggest(store) if s["name"] == "Old Classmate")
    assert classmate["why"] == "no contact on record"
