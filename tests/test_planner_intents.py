"""Which tool a request wants, for wordings the labelled examples do not cover."""

from __future__ import annotations

from typing import Any

import pytest

from carson.agent.planner import Planner
from carson.agent.planner.slots import Gazetteer
from carson.resolve import Resolver
from carson.store import Store


def _plan(store: Store, text: str) -> tuple[str | None, dict[str, Any] | str | None]:
    plan = Planner(store).plan(text)
    if not plan.calls:
        return None, plan.reply
    return plan.calls[0].name, plan.calls[0].args


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("hw do i kno wendy peterson", "Wendy Peterson"),
        ("hw do I knw Marcus Chen", "Marcus Chen"),
        ("how d i know olivia grant", "Olivia Grant"),
    ],
)
def test_typos_in_how_do_i_know(demo_store: Store, text: str, person: str) -> None:
    assert _plan(demo_store, text) == ("how_do_i_know", {"person": person})


def test_a_typo_before_a_name_is_not_part_of_the_name(demo_store: Store) -> None:
    spans = Gazetteer(Resolver(demo_store)).scan("hw do i kno wendy peterson")
    assert [(s.text, s.name) for s in spans] == [("wendy peterson", "Wendy Peterson")]


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("when did I last talk to Harry Smith?", "Harry Smith"),
        ("last time I talked to Sarah Lee?", "Sarah Lee"),
        ("when was my last call with John Jacobs", "John Jacobs"),
    ],
)
def test_when_did_i_last_talk_to_someone_is_their_profile(
    demo_store: Store, text: str, person: str
) -> None:
    assert _plan(demo_store, text) == ("person_profile", {"person": person})


@pytest.mark.parametrize(
    ("text", "via", "to"),
    [
        ("talk track for asking John to introduce me to Harry", "John Jacobs", "Harry Smith"),
        (
            "what should I say when I call priya to ask for an intro to rachel kim",
            "Priya Patel",
            "Rachel Kim",
        ),
        (
            "give me talking points to ask Sarah Lee for an intro to Marcus",
            "Sarah Lee",
            "Marcus Chen",
        ),
    ],
)
def test_talk_tracks_are_phone_scripts_with_both_ends(
    demo_store: Store, text: str, via: str, to: str
) -> None:
    assert _plan(demo_store, text) == ("draft_phone_script", {"via": via, "to": to})


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "I want to rehearse with John, but you play the target this time",
            {"role": "target", "via": "John Jacobs"},
        ),
        (
            "rehearse getting past the gatekeeper, John is making the intro",
            {"role": "gatekeeper", "via": "John Jacobs"},
        ),
        (
            "practise the target call, the intro comes via Priya",
            {"role": "target", "via": "Priya Patel"},
        ),
        # the person named is the one Carson plays, not the connector
        ("can we do a mock call with Harry as the target", {"role": "target", "to": "Harry Smith"}),
        ("rehearse with Harry's assistant", {"role": "gatekeeper", "to": "Harry Smith"}),
        ("rehearse with Harry, he's the target", {"role": "target", "to": "Harry Smith"}),
    ],
)
def test_a_rehearsal_keeps_the_connector_named_beside_the_role(
    demo_store: Store, text: str, want: dict[str, Any]
) -> None:
    assert _plan(demo_store, text) == ("rehearse", want)


@pytest.mark.parametrize(
    "text",
    [
        "who won the game last night?",
        "what's the capital of France?",
        "any good dinner recipes for tonight?",
        "who is the best basketball player ever?",
    ],
)
def test_out_of_scope_questions_get_what_carson_does_and_no_tool(
    demo_store: Store, text: str
) -> None:
    tool, reply = _plan(demo_store, text)
    assert tool is None
    assert isinstance(reply, str) and "I can help with" in reply


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("who am I neglecting?", "reconnect_suggestions"),  # no network words, near its examples
        ("who complained about onboarding", "search_notes"),
        ("recconect suggestions", "reconnect_suggestions"),
    ],
)
def test_unusual_wordings_of_real_requests_stay_in_scope(
    demo_store: Store, text: str, tool: str
) -> None:
    assert _plan(demo_store, text)[0] == tool


def test_an_unknown_name_still_gets_did_you_mean_not_out_of_scope(demo_store: Store) -> None:
    tool, reply = _plan(demo_store, "who is Bob Fakename?")
    assert tool is None and isinstance(reply, str) and "couldn't find a person" in reply


def test_a_request_that_opens_with_rehearse_is_a_rehearsal_whatever_follows(
    demo_store: Store,
) -> None:
    assert _plan(demo_store, "rehearse it: you're Harry's gatekeeper and Priya made the intro") == (
        "rehearse",
        {"role": "gatekeeper", "to": "Harry Smith", "via": "Priya Patel"},
    )
    assert _plan(demo_store, "Priya made the intro") == (
        "log_outcome",
        {"outcome": "intro_made", "via": "Priya Patel"},
    )


def test_when_did_i_last_email_someone_is_their_profile_not_a_draft(demo_store: Store) -> None:
    assert _plan(demo_store, "when did I last email Brian Holloway?") == (
        "person_profile",
        {"person": "Brian Holloway"},
    )
    assert _plan(demo_store, "email Brian Holloway about meeting Harry")[0] == "draft_intro_email"


@pytest.mark.parametrize(
    "text",
    [
        "go ahead and send it to him",
        "just email Derek Lawson for me and tell him I'm in town",
        "can you call John for me?",
        "forward the blurb to Priya",
        "text Sarah Lee and tell her I'm running late",
        "book me a flight to Boston for the Goldman meeting",
    ],
)
def test_carson_never_acts_for_the_seller_it_only_drafts(demo_store: Store, text: str) -> None:
    plan = Planner(demo_store).plan(text)
    assert plan.calls == [] and plan.reply is not None
    assert "I draft, and you send" in plan.reply


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("write something I can send John so he'll intro me to Harry", "draft_intro_email"),
        ("write an email for me to John asking him to introduce me to Harry", "draft_intro_email"),
        ("can you draft a call script for me: John about Harry", "draft_phone_script"),
    ],
)
def test_sending_words_inside_a_draft_request_still_draft(
    demo_store: Store, text: str, tool: str
) -> None:
    assert _plan(demo_store, text) == (tool, {"via": "John Jacobs", "to": "Harry Smith"})


@pytest.mark.parametrize(
    "text", ["what's the share price of Goldman Sachs?", "write me a poem about payroll"]
)
def test_off_topic_requests_naming_a_company_are_still_off_topic(
    demo_store: Store, text: str
) -> None:
    plan = Planner(demo_store).plan(text)
    assert plan.calls == [] and "outside what I do" in (plan.reply or "")


def test_names_typed_loosely_resolve_where_a_name_belongs(demo_store: Store) -> None:
    # a first-name typo in a name's place, a company's unique first word after "at",
    # and teammates asked to route rather than targeted
    assert _plan(demo_store, "write an email to jhon asking for an intro to harry") == (
        "draft_intro_email",
        {"via": "John Jacobs", "to": "Harry Smith"},
    )
    assert _plan(demo_store, "anyone who can get me in at kingfisher?") == (
        "find_routes",
        {"target_company": "Kingfisher Hotels"},
    )
    assert _plan(demo_store, "could Tom or Aisha get me in at Stripe?") == (
        "find_routes",
        {"target_company": "Stripe", "via_team": True},
    )
    plan = Planner(demo_store).plan("who could intro me to someone at fieldstone")
    assert plan.calls == [] and "could be several companies" in (plan.reply or "")
