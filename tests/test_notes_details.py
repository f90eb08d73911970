"""Personal details: recent, specific, about this person, each citing its note."""

from __future__ import annotations

from datetime import datetime

import pytest

from carson.models import Note, Person
from carson.notes import personal_details
from carson.notes.details import DetailKind
from carson.store import Store

NOW = datetime(2025, 6, 1)


@pytest.fixture
def harry(store: Store) -> tuple[int, int, dict[str, int]]:
    with store.write():
        h = store.add_person(Person(name="Harry Smith")).id or 0
        b = store.add_person(Person(name="Bob Jones")).id or 0
        ids = {}
        for key, text, at, people in [
            ("marathon", "Harry is training for the Boston marathon in April", (2025, 1, 20), [h]),
            (
                "daughter",
                "Harry's daughter just started at Michigan; he was proud",
                (2025, 2, 2),
                [h],
            ),
            (
                "payroll",
                "Call with Harry. Payroll runs late every month and finance is fed up",
                (2025, 5, 1),
                [h],
            ),
            (
                "bob",
                "Met Harry and Bob Jones. Bob loves golf and his wife is expecting twins",
                (2025, 5, 3),
                [h, b],
            ),
            ("old", "Harry went skiing in Aspen with his brother", (2022, 1, 1), [h]),
            ("dull", "Quick sync with Harry about the proposal", (2025, 5, 10), [h]),
            ("future", "Harry mentioned his wedding anniversary dinner", (2025, 9, 1), [h]),
        ]:
            ids[key] = store.add_note(Note(text=text, at=datetime(*at), people=people)).id or 0
    return h, b, ids


def test_details_are_recent_specific_and_cite_their_note(store: Store, harry) -> None:
    h, _, ids = harry
    details = personal_details(store, h, now=NOW, limit=5)
    by_kind = {d.kind: d for d in details}
    assert set(by_kind) == {DetailKind.family, DetailKind.hobby, DetailKind.pain}
    assert by_kind[DetailKind.hobby].text == "Harry is training for the Boston marathon in April"
    assert by_kind[DetailKind.hobby].source == f"note:{ids['marathon']}"
    assert by_kind[DetailKind.hobby].date.isoformat() == "2025-01-20"
    assert by_kind[DetailKind.family].note_id == ids["daughter"]
    assert by_kind[DetailKind.pain].note_id == ids["payroll"]
    cited = {d.note_id for d in details}
    # not the stale skiing trip, not the dull sync, not a note dated after `now`,
    # and not Bob's golf and twins though the note is linked to Harry too
    assert not cited & {ids["old"], ids["dull"], ids["future"], ids["bob"]}


def test_limit_keeps_the_best_and_one_per_kind_first(store: Store, harry) -> None:
    h, _, _ = harry
    details = personal_details(store, h, now=NOW, limit=2)
    assert len(details) == 2
    assert len({d.kind for d in details}) == 2
    assert details[0].score >= details[1].score


def test_details_about_the_other_person_in_a_shared_note(store: Store, harry) -> None:
    _, b, ids = harry
    details = personal_details(store, b, now=NOW)
    assert [d.note_id for d in details] == [ids["bob"]]
    assert "twins" in details[0].text


def test_no_notes_no_details(store: Store) -> None:
    with store.write():
        pid = store.add_person(Person(name="Nobody Known")).id or 0
    assert personal_details(store, pid, now=NOW) == []
    assert personal_details(store, 999, now=NOW) == []


def test_json_shape(store: Store, harry) -> None:
    h, _, _ = harry
    data = personal_details(store, h, now=NOW, limit=1)[0].to_json()
    assert set(data) == {"text", "kind", "date", "note_id", "source", "cue"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Her team dreads running two payrolls through Q3", DetailKind.pain),
        ("Harry says the close keeps running late this quarter", DetailKind.pain),
        ("Harry has taken up running before work, 5 miles a day", DetailKind.hobby),
    ],
)
def test_running_is_a_hobby_only_as_the_sport(store: Store, text: str, kind: DetailKind) -> None:
    with store.write():
        h = store.add_person(Person(name="Harry Smith")).id or 0
        store.add_note(Note(text=text, at=datetime(2025, 5, 1), people=[h]))
    [detail] = personal_details(store, h, now=NOW)
    assert detail.kind == kind
