"""Tie strength moves the right way, all else equal, and keeps checkable evidence."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from carson.graph.strength import StrengthModel
from carson.graph.weights import GraphWeights
from carson.models import Employment, Evidence, Note, Tie, TieContext

NOW = datetime(2026, 3, 1)
W = GraphWeights()


def rows(
    owner: int, other: int, days: list[float], channel: str = "email", direction: str = "mutual"
) -> list[tuple[int, str, str, str, int, int]]:
    out = []
    for i, d in enumerate(days):
        at = (NOW - timedelta(days=d)).isoformat()
        out += [(i, at, channel, direction, owner, 0), (i, at, channel, direction, other, 1)]
    return out


def strength(
    days: list[float],
    channel: str = "email",
    direction: str = "mutual",
    context: TieContext | None = None,
    extra_rows: list[tuple[int, str, str, str, int, int]] | None = None,
) -> float:
    m = StrengthModel(W, NOW)
    if context is not None:
        m.add_ties([Tie(a=1, b=2, context=context)])
    m.add_interaction_rows(rows(1, 2, days, channel, direction) + (extra_rows or []))
    return m.score((1, 2)).strength


def test_more_recent_is_stronger() -> None:
    assert strength([10, 20, 30]) > strength([200, 210, 220]) > strength([900, 910, 920])


def test_two_way_beats_one_way() -> None:
    two_way = strength([10, 20, 30, 40])
    one_way = strength([10, 20, 30, 40], direction="outbound")
    assert two_way > one_way
    m = StrengthModel(W, NOW)
    mixed = rows(1, 2, [10, 20], direction="outbound")
    mixed += [(9 + r[0], *r[1:3], "inbound", *r[4:]) for r in rows(1, 2, [15, 25])]
    m.add_interaction_rows(mixed)
    assert m.score((1, 2)).strength > one_way


def test_stale_ties_decay_and_say_so() -> None:
    fresh = strength([5], context=TieContext.friend)
    stale = strength([800], context=TieContext.friend)
    assert fresh > stale
    m = StrengthModel(W, NOW)
    m.add_interaction_rows(rows(1, 2, [800]))
    info = m.score((1, 2))
    assert info.stale
    assert "2 years ago" in info.evidence[-1].text


def test_long_ago_burst_does_not_outrank_recent_friend() -> None:
    burst = strength([3 * 365 + i for i in range(60)], direction="outbound")
    friend = strength([30], channel="meeting", context=TieContext.friend)
    assert friend > burst


def test_channel_order_meeting_call_email_message() -> None:
    by = {c: strength([10, 40], channel=c) for c in ("meeting", "call", "email", "message")}
    assert by["meeting"] > by["call"] > by["email"] > by["message"]


def test_linkedin_alone_is_weak_and_contexts_rank() -> None:
    def ctx(c: TieContext) -> float:
        m = StrengthModel(W, NOW)
        m.add_ties([Tie(a=1, b=2, context=c)])
        return m.score((1, 2)).strength

    assert ctx(TieContext.family) > ctx(TieContext.friend) > ctx(TieContext.colleague)
    assert ctx(TieContext.colleague) > ctx(TieContext.met_once) > ctx(TieContext.linkedin)
    assert ctx(TieContext.linkedin) < 0.1


def test_evidence_sentences() -> None:
    m = StrengthModel(W, NOW)
    m.add_ties(
        [
            Tie(
                a=1,
                b=2,
                context=TieContext.roommate,
                evidence=[Evidence(text="college roommates (note, 2021-03-04)", source="note")],
            )
        ]
    )
    m.add_interaction_rows(rows(1, 2, [21] + [30 + i for i in range(13)]))
    m.add_employments(
        [
            Employment(
                person_id=1, org_id=9, start=date(2015, 1, 1), end=date(2019, 1, 1), current=False
            ),
            Employment(
                person_id=2, org_id=9, start=date(2014, 6, 1), end=date(2020, 1, 1), current=False
            ),
        ],
        {9: "Deloitte"},
    )
    m.add_notes([Note(id=4, text="Dinner with both, they go way back", people=[1, 2], at=NOW)])
    texts = [e.text for e in m.score((1, 2)).evidence]
    assert "college roommates (note, 2021-03-04)" in texts
    assert "worked together at Deloitte 2015–2019 (4 years)" in texts
    assert "14 emails, last one 3 weeks ago, both directions" in texts
    assert any(t.startswith("Dinner with both") for t in texts)


def test_colleague_overlap_adds_strength() -> None:
    def with_overlap(years: int) -> float:
        m = StrengthModel(W, NOW)
        m.add_ties([Tie(a=1, b=2, context=TieContext.colleague)])
        m.add_employments(
            [
                Employment(
                    person_id=1,
                    org_id=9,
                    start=date(2010, 1, 1),
                    end=date(2020, 1, 1),
                    current=False,
                ),
                Employment(
                    person_id=2,
                    org_id=9,
                    start=date(2020 - years, 1, 1),
                    end=date(2021, 1, 1),
                    current=False,
                ),
            ],
            {9: "Deloitte"},
        )
        return m.score((1, 2)).strength

    assert with_overlap(5) > with_overlap(1)


def test_co_attendance_creates_a_weak_tie() -> None:
    m = StrengthModel(W, NOW)
    at = (NOW - timedelta(days=20)).isoformat()
    m.add_interaction_rows([(1, at, "meeting", "mutual", p, i) for i, p in enumerate([1, 2, 3])])
    info = m.score((2, 3))
    assert info.context == TieContext.co_attendee
    assert 0 < info.strength < m.score((1, 2)).strength
