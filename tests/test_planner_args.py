"""The arguments sellers give in passing: counts, exclusions, title filters, follow-ups."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import BaseMessage

from carson.agent.loop import Agent
from carson.agent.planner import OfflineBrain
from carson.agent.planner.words import FINANCE_LEADERS, count, title_filter
from carson.config import Settings
from carson.store import Store
from carson.tools import ToolContext


def _plan(store: Store, text: str, *context: str) -> tuple[str | None, dict[str, Any]]:
    """The planner's first call for ``text`` after ``context`` ran through the real agent."""
    brain = OfflineBrain(store)
    agent = Agent(brain, ToolContext(store, Settings(home=store.home)))
    history: list[BaseMessage] = []
    for earlier in context:
        history += agent.run(earlier, history).messages
    plan = brain.planner.plan(text, history)
    if not plan.calls:
        return None, {"reply": plan.reply}
    return plan.calls[0].name, plan.calls[0].args


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("just one route into Stripe", 1),
        ("I'd like 7 of them", 7),
        ("top 10 notes about payroll", 10),
        ("a couple of intros I could make", 2),
        ("the 3 most relevant notes on audit findings", 3),
        ("which 6 of my ties have gone quiet?", 6),
        ("routes into Workday, 7 please", 7),
        ("within 2 hops", None),
        ("at most 2 people in between", None),
        ("note that the Q3 budget is 10 million", None),
        ("what did Harry say about the 2 acquisitions", None),
    ],
)
def test_a_count_is_a_number_of_results(text: str, n: int | None) -> None:
    found = count(text)
    assert (found[0] if found else None) == n


def test_counts_reach_every_tool_that_takes_k(demo_store: Store) -> None:
    assert _plan(demo_store, "only one route into Deloitte please") == (
        "find_routes",
        {"target_company": "Deloitte", "k": 1},
    )
    assert _plan(demo_store, "routes into Stripe within 2 hops, 4 of them") == (
        "find_routes",
        {"target_company": "Stripe", "k": 4, "max_hops": 2},
    )
    tool, args = _plan(demo_store, "show me 8 notes mentioning ADP")
    assert (tool, args["k"]) == ("search_notes", 8)
    assert "8" not in args["query"].split() and "ADP" in args["query"]
    assert _plan(demo_store, "name 4 relationships that are going cold") == (
        "reconnect_suggestions",
        {"k": 4},
    )
    assert _plan(demo_store, "two introductions I could make for Priya") == (
        "help_first",
        {"person": "Priya Patel", "k": 2},
    )


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "way into Morgan Stanley, skip anybody at JPMorgan",
            {"target_company": "Morgan Stanley", "exclude": ["JPMorgan Chase"]},
        ),
        (
            "path to Harry Smith that doesn't go through John",
            {"target_person": "Harry Smith", "exclude": ["John Jacobs"]},
        ),
        (
            "quickest way into Goldman Sachs, without going through anyone who works at Citi",
            {"target_company": "Goldman Sachs", "exclude": ["Citigroup"]},
        ),
        (
            "leaving out Derek Lawson, what's the best way into Goldman?",
            {"target_company": "Goldman Sachs", "exclude": ["Derek Lawson"]},
        ),
        (
            "path to Rachel Kim not via Priya or Sarah Lee",
            {"target_person": "Rachel Kim", "exclude": ["Priya Patel", "Sarah Lee"]},
        ),
        ("I'm not sure how to get into Goldman", {"target_company": "Goldman Sachs"}),
    ],
)
def test_exclusions_keep_people_and_companies_out_of_the_routes(
    demo_store: Store, text: str, want: dict[str, Any]
) -> None:
    assert _plan(demo_store, text) == ("find_routes", want)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ('only people with "Head of" in their title', "Head of"),
        ("someone whose title says 'Payroll Manager'", "Payroll Manager"),
        ("routes into Goldman Sachs, only VPs", "VP|Vice President"),
        ("just VPs at Workday", "VP|Vice President"),
        ("I need someone in finance leadership at Salesforce", FINANCE_LEADERS),
        ("warm intro to a VP at Goldman", "VP|Vice President"),
        ("head of payroll at Brightwater Logistics - who can intro me?", "Head of Payroll"),
        ("I want to meet with the CFO at Stripe", "CFO|Chief Financial Officer"),
        # a title word in passing is not whom they want to reach
        ("get me into Brightwater Logistics, their payroll is a mess", None),
        ("who do I know at Deloitte? I heard their HR team is drowning", None),
        ("a way into Stripe, they are struggling with payroll", None),
        ("I don't want to annoy anyone, just need routes into Stripe", None),
    ],
)
def test_a_title_filter_only_when_it_names_whom_to_reach(text: str, want: str | None) -> None:
    assert title_filter(text) == want


def test_a_team_in_passing_is_not_routing_through_my_team(demo_store: Store) -> None:
    _, args = _plan(demo_store, "who do I know at Deloitte? I heard their HR team is drowning")
    assert args == {"target_company": "Deloitte"}
    _, args = _plan(demo_store, "routes into Deloitte through my team")
    assert args == {"target_company": "Deloitte", "via_team": True}


GS = "what's the quickest way into Goldman Sachs?"


@pytest.mark.parametrize(
    ("context", "text", "want"),
    [
        ((GS,), "same but leave out Derek", {"exclude": ["Derek Lawson"]}),
        ((GS,), "show me 10 of them", {"k": 10}),
        ((GS,), "only VPs", {"title_filter": "VP|Vice President"}),
        ((GS,), "redo that within 2 hops", {"max_hops": 2}),
        (
            (GS, "same but leave out Derek"),
            "now without Priya",
            {"exclude": ["Derek Lawson", "Priya Patel"]},
        ),
    ],
)
def test_a_change_after_routes_reruns_them_with_the_change(
    demo_store: Store, context: tuple[str, ...], text: str, want: dict[str, Any]
) -> None:
    assert _plan(demo_store, text, *context) == (
        "find_routes",
        {"target_company": "Goldman Sachs", **want},
    )


def test_a_new_target_after_routes_is_a_new_question_unless_it_follows_on(
    demo_store: Store,
) -> None:
    assert _plan(demo_store, "what about Stripe, skipping Derek?", GS) == (
        "find_routes",
        {"target_company": "Stripe", "exclude": ["Derek Lawson"]},
    )
    ctx = (GS, "same but leave out Derek")
    assert _plan(demo_store, "top 3 routes into Stripe", *ctx) == (
        "find_routes",
        {"target_company": "Stripe", "k": 3},
    )
    assert _plan(demo_store, "draft the 2nd one", GS) == ("draft_intro_email", {"route_index": 2})


def test_wordings_outside_the_first_lists(demo_store: Store) -> None:
    """Dozens, w/o, thru, "route me through", "heads of HR", "hops … max 2"."""
    assert _plan(demo_store, "give me a dozen routes into Stripe")[1]["k"] == 12
    assert _plan(demo_store, "way into Citi but don't route me through Priya")[1]["exclude"] == [
        "Priya Patel"
    ]
    _, args = _plan(demo_store, "how can I reach Harry Smith w/o going thru Derek Lawson")
    assert args == {"target_person": "Harry Smith", "exclude": ["Derek Lawson"]}
    assert title_filter("routes into Goldman, targeting heads of HR") == "Head of HR"
    assert _plan(demo_store, "fewer hops please, max 2", GS) == (
        "find_routes",
        {"target_company": "Goldman Sachs", "max_hops": 2},
    )


@pytest.mark.parametrize(
    ("text", "context", "want"),
    [
        (
            "I don't want to go through Derek Lawson, how else can I get into Goldman?",
            (),
            {"target_company": "Goldman Sachs", "exclude": ["Derek Lawson"]},
        ),
        (
            "best way to Rachel Kim, except via Priya",
            (),
            {"target_person": "Rachel Kim", "exclude": ["Priya Patel"]},
        ),
        (
            "cut Priya out of those",
            (GS,),
            {"target_company": "Goldman Sachs", "exclude": ["Priya Patel"]},
        ),
    ],
)
def test_exclusions_said_around_the_name(
    demo_store: Store, text: str, context: tuple[str, ...], want: dict[str, Any]
) -> None:
    assert _plan(demo_store, text, *context) == ("find_routes", want)
