"""Scoring the planner's phrasings: an argument stated at its default counts as omitted."""

from __future__ import annotations

from carson.agent.phrasings import args_match, tool_defaults


def test_a_stated_default_matches_an_omitted_one_both_ways() -> None:
    assert args_match(
        {"via": "John Jacobs"}, {"role": "connector", "via": "John Jacobs"}, "rehearse"
    )
    assert args_match(
        {"role": "connector", "via": "John Jacobs"}, {"via": "John Jacobs"}, "rehearse"
    )
    assert args_match({"target_company": "Stripe", "k": 5}, {"target_company": "Stripe"})
    assert args_match(
        {"target_company": "Stripe"},
        {"target_company": "Stripe", "exclude": [], "max_hops": 3, "via_team": False},
        "find_routes",
    )


def test_a_value_other_than_the_default_still_counts() -> None:
    assert not args_match(
        {"via": "John Jacobs"}, {"role": "target", "via": "John Jacobs"}, "rehearse"
    )
    assert not args_match({"target_company": "Stripe"}, {"target_company": "Stripe", "k": 3})
    assert not args_match({"role": "gatekeeper"}, {}, "rehearse")


def test_defaults_come_from_the_tools_argument_models() -> None:
    assert tool_defaults("find_routes", ["k", "max_hops", "target_company"]) == {
        "k": 5,
        "max_hops": 3,
        "target_company": None,
    }
    assert tool_defaults("search_notes", ["query"]) == {}  # required: no default
    assert tool_defaults(None, ["role"]) == {"role": "connector"}  # only rehearse has it
    assert tool_defaults("no_such_tool", ["k"]) == {}


def test_a_title_filter_matches_when_it_names_every_expected_title() -> None:
    assert args_match({"title_filter": "CFO"}, {"title_filter": "CFO|Chief Financial Officer"})
    assert args_match({"title_filter": "HR|Finance"}, {"title_filter": "HR|People|Finance|CFO"})
    assert not args_match({"title_filter": "payroll|HR"}, {"title_filter": "Payroll"})
