"""The build's fast paths give what their plain forms give: title codes, the current-job
sort, the CSR pack, the adaptive word sort, direction bins and the passes shared among
threads (``_par``)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carson import _par
from carson.graph._snapshot import Snapshot, sort_words
from carson.graph._stats import _dir_bins
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


def _csr_reference(
    n: int, a: np.ndarray, b: np.ndarray, cost: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each node's row: the edges where it is ``a`` in input order, then where it is ``b``."""
    rows: list[list[tuple[int, float, int]]] = [[] for _ in range(n)]
    for k in range(a.size):
        rows[int(a[k])].append((int(b[k]), float(cost[k]), k))
    for k in range(a.size):
        rows[int(b[k])].append((int(a[k]), float(cost[k]), k))
    indptr = np.cumsum([0] + [len(r) for r in rows])
    flat = [x for r in rows for x in r]
    return (
        indptr,
        np.array([x[0] for x in flat], dtype=np.int64),
        np.array([x[1] for x in flat]),
        np.array([x[2] for x in flat], dtype=np.int64),
    )


@settings(max_examples=60)
@given(
    st.integers(2, 12).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40),
            st.booleans(),
        )
    )
)
def test_packed_csr_lists_each_nodes_a_edges_then_its_b_edges(
    case: tuple[int, set[tuple[int, int]], bool],
) -> None:
    n, pairs, in_order = case
    edges = sorted((min(x, y), max(x, y)) for x, y in pairs if x != y)
    edges = list(dict.fromkeys(edges))
    if not in_order:  # some other order, either end first: no slot → pair map
        edges = [(y, x) if k % 3 == 0 else (x, y) for k, (x, y) in enumerate(edges[::-1])]
    a = np.array([x for x, _ in edges], dtype=np.int32)
    b = np.array([y for _, y in edges], dtype=np.int32)
    cost = np.arange(a.size, dtype=np.float64) / 7
    snap = Snapshot.from_edges(np.arange(n), a, b, cost)
    indptr, indices, costs, rows = _csr_reference(n, a, b, cost)
    assert snap.indptr.tolist() == indptr.tolist()
    assert snap.indices.tolist() == indices.tolist()
    assert snap.cost.tolist() == costs.tolist()
    if edges == sorted(set(edges)) and all(x < y for x, y in edges):
        assert snap.edge is not None and snap.edge.tolist() == rows.tolist()
    else:
        assert snap.edge is None


def test_both_runs_each_call_on_its_own_thread_and_keeps_their_order() -> None:
    names = _par.both(*(lambda: threading.current_thread().name for _ in range(3)))
    assert len(set(names)) == (3 if _par.WAYS > 1 else 1)
    assert _par.both(lambda: 1, lambda: 2, lambda: 3) == [1, 2, 3]


def test_both_raises_a_calls_error_once_all_have_ended() -> None:
    done = []

    def fail() -> None:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        _par.both(fail, lambda: done.append(1))
    assert done == [1]


@pytest.mark.parametrize("ways", [1, 2])
def test_chunks_cover_every_item_once(monkeypatch: pytest.MonkeyPatch, ways: int) -> None:
    monkeypatch.setattr(_par, "WAYS", ways)
    seen = np.zeros(1003, dtype=np.int64)
    spans: list[tuple[int, int]] = []

    def work(lo: int, hi: int) -> None:
        spans.append((lo, hi))
        seen[lo:hi] += 1

    _par.chunks(work, 1003, 100)
    assert (seen == 1).all()
    assert sorted(spans) == [(lo, min(1003, lo + 100)) for lo in range(0, 1003, 100)]


@given(st.lists(st.integers(0, 2**40), unique=True, max_size=200), st.integers(0, 200))
def test_sorting_words_nearly_in_order_or_not_gives_the_sorted_words(
    values: list[int], shuffled: int
) -> None:
    words = np.array(sorted(values), dtype=np.uint64)
    rng = np.random.default_rng(shuffled)
    swap = rng.integers(0, max(1, words.size), size=(shuffled, 2))
    for i, j in swap if words.size else []:  # a few swaps (nearly sorted) up to shuffled
        words[[i, j]] = words[[j, i]]
    want = np.sort(words)
    sort_words(words)
    assert words.tolist() == want.tolist()


@pytest.mark.parametrize("dtype", [np.int8, np.int64])
def test_direction_bins_are_one_out_two_in_zero_else(dtype: type[np.integer]) -> None:
    d = np.array([0, 1, 2, 3, -1, 2, 1, 100], dtype=dtype)
    assert _dir_bins(d).tolist() == [0, 1, 2, 0, 0, 2, 1, 0]


def test_both_keeps_small_passes_on_the_calling_thread() -> None:
    me = threading.current_thread().name
    names = _par.both(*(lambda: threading.current_thread().name for _ in range(2)), items=10)
    assert names == [me, me]
