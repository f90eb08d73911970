"""The grounding check rejects invented names, companies, dates and personal details."""

from __future__ import annotations

import pytest

from carson.drafting import check_grounding, draft_email, gather
from carson.store import Store


@pytest.fixture
def john_harry(demo_store: Store):  # type: ignore[no-untyped-def]
    facts = gather(demo_store, via="John Jacobs", to="Harry Smith")
    draft = draft_email(demo_store, via="John Jacobs", to="Harry Smith", save=False)
    return facts, draft


def test_the_real_draft_passes(demo_store: Store, john_harry) -> None:  # type: ignore[no-untyped-def]
    facts, draft = john_harry
    assert check_grounding(demo_store, facts, draft.subject, draft.body, draft.blurb).ok


@pytest.mark.parametrize(
    ("invented", "flag"),
    [
        ("Bob Thornton mentioned you two play golf.", "Bob Thornton"),  # a name, and a detail
        ("I gather Harry is talking to Vandelay Industries too.", "Vandelay Industries"),
        ("Harry Smith at Morgan Stanley would be ideal.", "no such job"),  # wrong company
        ("Hope your son's wedding went well.", "wedding"),  # a personal detail
        ("We spoke on March 3, 2019 about this.", "March 3, 2019"),  # a date
        ("We cut payroll errors by 37% for banks.", "37%"),  # a figure
        ("Say hi to Tom for me.", "Tom"),  # a first name alone
    ],
)
def test_an_invented_fact_is_flagged(
    demo_store: Store,
    john_harry,  # type: ignore[no-untyped-def]
    invented: str,
    flag: str,
) -> None:
    facts, draft = john_harry
    body = draft.body.replace("\n\nCheers", f" {invented}\n\nCheers").replace(
        "\n\nThanks", f" {invented}\n\nThanks"
    )
    assert invented in body
    result = check_grounding(demo_store, facts, draft.subject, body, draft.blurb)
    assert not result.ok
    assert any(flag in item for item in result.flagged), result.flagged


def test_store_facts_in_any_casing_pass(demo_store: Store, john_harry) -> None:  # type: ignore[no-untyped-def]
    facts, _ = john_harry
    text = (
        "Hi John, you and Harry were college roommates (2021-03-04, per my notes). "
        "How is Emma finding Michigan? Goldman Sachs and GS are the same company. "
        "Thanks, Jordan"
    )
    result = check_grounding(demo_store, facts, text)
    assert result.ok, result.flagged


def test_a_month_at_a_line_end_is_not_read_with_the_next_line(
    demo_store: Store,
    john_harry,  # type: ignore[no-untyped-def]
) -> None:
    """A phone script's "due in October." followed by "1. Opener" is not "October 1"."""
    facts, _ = john_harry
    month = next(f.at for f in facts.facts if f.at is not None).strftime("%B")
    text = f'- Last in touch in {month}.\n\n1. Opener\n"Hi John, Jordan here."'
    assert check_grounding(demo_store, facts, text).ok
    assert not check_grounding(demo_store, facts, f"See you {month} 31, 1999.").ok


def test_detail_lines_add_no_day_or_month_the_note_did_not_give() -> None:
    """A note saying only "golf" must not come out as "golf on Saturdays"."""
    from carson.drafting import _templates
    from carson.drafting.grounding import MONTHS

    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    words = {*days, *(d + "s" for d in days), *MONTHS, "weekend", "weekends"} - {"may"}
    bank = _templates.load("detail_lines")
    for key, lines in bank.sections.items():
        for line in lines:
            said = {w.strip(".,?!").lower() for w in line.split()}
            if key != "detail.lake":  # "bought a lake house": weekends there are the point
                assert not said & words, (key, line)


def test_a_month_a_note_names_is_grounded(demo_store: Store) -> None:
    """A phone script quoting "expecting a baby in January" from a note passes."""
    from carson.drafting.facts import Fact

    facts = gather(demo_store, via="John Jacobs", to="Harry Smith")
    facts.facts.append(Fact("detail", "John is expecting a baby in January.", "note:1"))
    assert check_grounding(demo_store, facts, "John is expecting a baby in January.").ok
    assert not check_grounding(demo_store, facts, "Let's talk in February.").ok


def test_a_name_a_note_gives_in_the_possessive_is_grounded(demo_store: Store) -> None:
    """A note's "Sam's soccer season" lets a draft say "Hope Sam's season is going well"."""
    from carson.drafting.facts import Fact

    facts = gather(demo_store, via="John Jacobs", to="Harry Smith")
    facts.facts.append(Fact("detail", "John coaches Sam's soccer team.", "note:1"))
    assert check_grounding(demo_store, facts, "Hope Sam's soccer season is going well.").ok
    assert not check_grounding(demo_store, facts, "Hope Zed's soccer season is going well.").ok
