"""Intro-request emails on the demo network: structure, facts, variety, saving."""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from carson import locations
from carson.drafting import draft_call, draft_email
from carson.drafting.email import WORDS_MAX, WORDS_MIN, word_count
from carson.store import Store

# Five different routes: close friend, teammate, loose acquaintance, client, stale tie.
ROUTES = [
    ("John Jacobs", "Harry Smith"),
    ("Priya Patel", "Rachel Kim"),
    ("Carlos Mendez", "Olivia Grant"),
    ("Sarah Lee", "Neil Rossi"),
    ("Derek Lawson", "Wendy Peterson"),
]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


def test_john_to_harry_email_reads_like_a_real_ask(demo_store: Store) -> None:
    d = draft_email(demo_store, via="John Jacobs", to="Harry Smith")
    assert d.kind == "email"
    assert d.subject and "Harry" in d.subject
    assert d.body.startswith(("Hi John", "Hey John"))
    assert WORDS_MIN <= word_count(d.body) <= WORDS_MAX
    # How John knows Harry, from the store's tie.
    assert "roommates" in d.body
    # The personal detail the notes hold (Emma at Michigan), and the last call.
    assert "Emma" in d.body and "Michigan" in d.body
    assert "last month" in d.body
    # The ask, the one-line business reason, the blurb, something back, the sign-off.
    assert "introduc" in d.body
    assert "Paylane builds payroll software" in d.body
    assert "below" in d.body
    assert re.search(r"favour|in return|owe you", d.body)
    assert d.body.rstrip().endswith("Jordan")
    assert d.grounding.ok, d.grounding.flagged


def test_blurb_is_forwardable_and_double_opt_in(demo_store: Store) -> None:
    d = draft_email(demo_store, via="John Jacobs", to="Harry Smith")
    assert d.blurb is not None
    assert 3 <= len(_sentences(d.blurb)) <= 5
    assert d.blurb.startswith(("Hi Harry", "Harry"))
    assert "Jordan Reyes" in d.blurb
    assert re.search(r"open to it|if you're interested", d.blurb)


def test_facts_used_carry_their_store_sources(demo_store: Store) -> None:
    d = draft_email(demo_store, via="John Jacobs", to="Harry Smith")
    sources = {f.source.split(":")[0] for f in d.facts_used}
    assert {"employment", "tie", "interaction", "note"} <= sources
    tie = next(f for f in d.facts_used if "roommates" in f.text)
    tie_id = int(tie.source.split(":")[1])
    assert any(t.id == tie_id for t in demo_store.ties())
    note = next(f for f in d.facts_used if f.source.startswith("note:"))
    stored = demo_store.get_note(int(note.source.split(":")[1]))
    assert stored is not None and "Emma" in stored.text


def test_reason_overrides_the_default(demo_store: Store) -> None:
    reason = "Goldman's payroll team is consolidating vendors and we run payroll for banks"
    d = draft_email(demo_store, via="John Jacobs", to="Harry Smith", reason=reason)
    assert reason in d.body
    assert "Paylane builds payroll software, and as" not in d.body
    assert any(f.source == "user" for f in d.facts_used)
    assert d.grounding.ok, d.grounding.flagged


def test_no_personal_detail_when_the_notes_hold_none(demo_store: Store) -> None:
    d = draft_email(demo_store, via="Carlos Mendez", to="Olivia Grant")
    assert not any(f.source.startswith("note:") for f in d.facts_used)
    for word in ("daughter", "son", "marathon", "wedding", "kids", "family"):
        assert word not in d.body.lower().split()


def _masked(text: str, names: tuple[str, str]) -> str:
    for name in names:
        for part in name.split():
            text = text.replace(part, "NAME")
    return re.sub(r"\s+", " ", text)


def test_five_routes_give_visibly_different_emails(demo_store: Store) -> None:
    drafts = [draft_email(demo_store, via=v, to=t, save=False) for v, t in ROUTES]
    bodies = [_masked(d.body, r) for d, r in zip(drafts, ROUTES, strict=True)]
    ratios = [
        SequenceMatcher(None, a, b).ratio() for i, a in enumerate(bodies) for b in bodies[i + 1 :]
    ]
    # Names masked, so a one-template-with-names-swapped set would score ~1.0.
    print(f"email similarity: max {max(ratios):.2f}, mean {sum(ratios) / len(ratios):.2f}")
    assert max(ratios) < 0.6
    assert len({d.subject for d in drafts}) == len(drafts)
    structures = {tuple(len(p.split()) // 10 for p in d.body.split("\n\n")) for d in drafts}
    assert len(structures) >= 4


@pytest.mark.parametrize(("via", "to"), ROUTES)
def test_every_demo_draft_passes_grounding(demo_store: Store, via: str, to: str) -> None:
    email = draft_email(demo_store, via=via, to=to, save=False)
    call = draft_call(demo_store, via=via, to=to, save=False)
    assert email.grounding.ok, email.grounding.flagged
    assert call.grounding.ok, call.grounding.flagged
    assert WORDS_MIN <= word_count(email.body) <= WORDS_MAX


def test_drafts_are_saved_under_the_data_home(demo_store: Store, demo_home: Path) -> None:
    d = draft_email(demo_store, via="John Jacobs", to="Harry Smith")
    assert d.path is not None
    md = Path(d.path)
    assert md.parent == locations.drafts_dir(demo_home)
    assert d.body.splitlines()[0] in md.read_text()
    saved = json.loads(md.with_suffix(".json").read_text())
    assert saved["subject"] == d.subject and saved["grounding"]["ok"] is True


def test_a_route_stands_in_for_names(demo_store: Store) -> None:
    from carson.models import Hop, Route

    people = {p.name: p for p in demo_store.people() if p.is_me or p.name in ROUTES[0]}
    me = next(p for p in people.values() if p.is_me)
    hops = [Hop(person_id=p.id or 0, name=p.name) for p in (me, *(people[n] for n in ROUTES[0]))]
    route = Route(hops=hops, probability=0.4, low=0.3, high=0.5, summary="via John")
    d = draft_email(demo_store, route=route, save=False)
    assert (d.via, d.to) == ROUTES[0]


@pytest.mark.parametrize(("via", "to"), ROUTES[:3])  # the demo's named clear cases
def test_a_short_reason_still_makes_120_words(demo_store: Store, via: str, to: str) -> None:
    email = draft_email(demo_store, via=via, to=to, reason="a quick question", save=False)
    assert WORDS_MIN <= word_count(email.body) <= WORDS_MAX, email.body
    assert email.grounding.ok, email.grounding.flagged


def test_an_alumni_route_asks_for_what_the_alumnus_knows_of_the_old_team(
    demo_store: Store,
) -> None:
    # Dominic left Goldman: the reason to meet him is what he knows of Goldman, not his
    # current employer, and the blurb says so too.
    from carson.graph import find_routes
    from carson.models import RouteKind

    routes = find_routes(demo_store, target_company="Goldman Sachs", k=5)
    alumni = next(r for r in routes if r.kind == RouteKind.alumni and len(r.hops) == 3)
    target = alumni.hops[-1]
    assert target.company != "Goldman Sachs"
    draft = draft_email(demo_store, route=alumni)
    assert draft.to == target.name
    first = target.name.split()[0]
    assert re.search(
        rf"{first} worked at Goldman Sachs (from \d{{4}} to|until) \d{{4}}", draft.body
    )
    assert "how Goldman Sachs handles it" in (draft.blurb or "")
    assert draft.grounding.ok, draft.grounding.flagged
    assert any(f.source.startswith("employment:") and "Goldman" in f.text for f in draft.facts_used)
