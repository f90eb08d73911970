"""The build's fast paths give what their plain forms give: title codes and the
current-job sort."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from carson.graph._tables import _by_person_day, _codes

_NO_DAY = np.iinfo(np.int64).min


def _codes_reference(values: list[str | None]) -> tuple[list[int], list[str]]:
    index: dict[str, int] = {}
    distinct: list[str] = []
    codes = []
    for v in values:
        if v is None:
            codes.append(-1)
            continue
        if v not in index:
            index[v] = len(distinct)
            distinct.append(v)
        codes.append(index[v])
    return codes, distinct


@given(st.lists(st.one_of(st.none(), st.sampled_from(["", "CEO", "Ingénieur", "a\x00b"]))))
def test_title_codes_are_first_seen_indices_and_none_is_minus_one(
    values: list[str | None],
) -> None:
    codes, distinct = _codes(values)
    want_codes, want_distinct = _codes_reference(values)
    assert codes.dtype == np.int32
    assert codes.tolist() == want_codes
    assert distinct == want_distinct


@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.one_of(st.just(_NO_DAY), st.integers(-30_000, 30_000))),
        max_size=60,
    )
)
def test_current_jobs_sort_by_person_then_day_then_row_as_lexsort(
    rows: list[tuple[int, int]],
) -> None:
    person = np.array([p for p, _ in rows], dtype=np.int64)
    day = np.array([d for _, d in rows], dtype=np.int64)
    got = _by_person_day(person, day.copy())
    want = np.lexsort((np.arange(person.size), day, person))
    assert got.tolist() == want.tolist()


def test_current_jobs_sort_falls_back_for_ids_too_wide_to_pack() -> None:
    person = np.array([2**61, 3, 2**61, 3], dtype=np.int64)
    day = np.array([5, _NO_DAY, 1, 7], dtype=np.int64)
    got = _by_person_day(person, day)
    assert got.tolist() == np.lexsort((np.arange(4), day, person)).tolist()
