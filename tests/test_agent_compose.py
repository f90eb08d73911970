"""The offline planner's route answers state each figure and label once."""

from __future__ import annotations

from carson.agent.planner.compose import compose


def _route(summary: str, label: str | None = None) -> dict[str, object]:
    return {
        "summary": summary,
        "label": label,
        "probability": 0.13,
        "low": 0.06,
        "high": 0.38,
        "hops": [
            {"name": "Jordan Reyes", "evidence": []},
            {"name": "Derek Lawson", "stale": True, "evidence": [{"text": "40 emails"}]},
        ],
    }


def test_a_summary_with_its_probability_and_label_is_not_repeated() -> None:
    label = "stale tie — last in touch 3 years ago"
    summary = (
        "Reach out directly to Derek Lawson (acquaintance). Probability of getting a meeting: "
        f"13% (6%–38%). Note: {label}."
    )
    answer = compose(
        [("find_routes", {"target": "Goldman Sachs", "routes": [_route(summary, label)]}, True)]
    )
    assert answer.count("13%") == 1
    assert answer.count(label) == 1
    assert "· Derek Lawson: 40 emails [gone cold]" in answer


def test_a_bare_summary_gets_its_probability_and_label() -> None:
    answer = compose(
        [
            (
                "find_routes",
                {"target": "Stripe", "routes": [_route("Ask Ana", "left Stripe in 2025")]},
                True,
            )
        ]
    )
    assert "1. 13% (6%–38%) Ask Ana" in answer
    assert "(left Stripe in 2025)" in answer
