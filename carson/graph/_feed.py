"""The rows a whole build read, kept beside the graph cache, so a later build starts from
them instead of reading the store whole again.

Reading every tie, interaction, job and person out of SQLite is most of a whole build
(~10 s of ~14 s at 1M people; the sums, strengths and snapshot take ~3.5 s). Those rows
depend on the store's state and on the code that reads them, not on the weights or on the
code that scores and packs them. So after a whole read they are saved as read, as a
``feed`` entry of ``_cache`` (``<home>/cache/feed/``: checked, written whole, the newest
one kept), with the state they were read at: the rowid marks and rows a graph entry keeps.

When no graph entry of the same code and weights is there (Carson was upgraded, or the
weights changed), ``_load`` builds from the newest feed entry of the same feed code and
schema, then grows that build by what changed in the store since the feed was read, as it
grows a graph entry (``_grow.grow``). Only when that can't be done or is not worth it (no
feed entry, a damaged one, too many edits since, more rows added since than it holds) is
the store read whole, and a new feed entry saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from carson.graph import _cache
from carson.graph._columns import CONTEXTS
from carson.graph._tables import JobColumns, Strings, read_people
from carson.store import Store, graph_edits, graph_feed

SOURCES = (
    "_feed.py",
    "_cache.py",
    "_columns.py",
    "_tables.py",
    "../_par.py",
    "../store/graph_feed.py",
    "../store/graph_edits.py",
    "../store/_sql_columns.py",
)
"""The modules that decide what a feed entry holds (its code digest)."""

KIND = "feed"

_People = tuple[np.ndarray, np.ndarray, Strings]


@dataclass
class Feed:
    """Everything a whole build reads from the store but the notes (read every time)."""

    ties: tuple[np.ndarray, np.ndarray, np.ndarray]
    interactions: graph_feed.InteractionColumns
    jobs: JobColumns
    people: _People

    @classmethod
    def read(cls, store: Store, twin: Store | None = None) -> Feed:
        """Read from the store (``twin``: see ``graph_feed.twin_of``)."""
        return cls(
            ties=graph_feed.tie_columns(store, CONTEXTS, twin=twin),
            interactions=graph_feed.interaction_columns(store, twin=twin),
            jobs=JobColumns.read(store, twin=twin),
            people=read_people(store, twin=twin),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        it, (ids, flags, names) = self.interactions, self.people
        return {
            "tie_a": self.ties[0],
            "tie_b": self.ties[1],
            "tie_context": self.ties[2],
            "it_id": it.id,
            "it_at": it.at,
            "it_channel": it.channel,
            "it_direction": it.direction,
            "it_person": it.person,
            "people_id": ids,
            "people_flags": flags,
            "people_name_buf": names.buf,
            "people_name_start": names.start,
            **self.jobs.arrays(),
        }

    @classmethod
    def from_arrays(cls, a: Mapping[str, np.ndarray], channels: list[str]) -> Feed:
        """ValueError (or KeyError) if the columns do not fit together."""
        ties = (a["tie_a"], a["tie_b"], a["tie_context"])
        it = graph_feed.InteractionColumns(
            id=a["it_id"],
            at=a["it_at"],
            channel=a["it_channel"],
            direction=a["it_direction"],
            person=a["it_person"],
            channels=[str(c) for c in channels],
        )
        people = (
            a["people_id"],
            a["people_flags"],
            Strings(buf=a["people_name_buf"], start=a["people_name_start"]),
        )
        n, m = people[0].size, it.id.size
        if not (
            ties[0].size == ties[1].size == ties[2].size
            and it.at.size == it.channel.size == it.direction.size == it.person.size == m
            and people[1].size == n
            and people[2].start.size == n + 1
            and int(people[2].start[-1]) == people[2].buf.size
            and int(it.channel.max(initial=-1)) < len(it.channels)
        ):
            raise ValueError("cached feed columns do not fit together")
        return cls(ties, it, JobColumns.from_arrays(a), people)


def _lineage(sig: tuple[int, int]) -> dict[str, object]:
    return {"format": _cache.FORMAT, "code": _cache.code_digest(SOURCES), "schema": sig[1]}


def save(home: Path, sig: tuple[int, int], feed: Feed, state: Mapping[str, Any]) -> bool:
    """Save ``feed``, read at store signature ``sig`` in ``state`` (marks and rows, see
    ``_load._rebuild``), in place of any older feed entry."""
    key = {**_lineage(sig), "marker": sig[0]}
    full = {**state, "channels": feed.interactions.channels}
    return _cache.save(home, key, feed.arrays(), full, kind=KIND, keep=1)


def newest(home: Path, sig: tuple[int, int]) -> tuple[Feed, int, dict[str, Any]] | None:
    """The newest feed entry saved by this code for this schema, checked: the feed, the
    write marker it was read at, and its state; None if there is none or it is damaged."""
    entry = _cache.newest(home, _lineage(sig), kind=KIND)
    cols = None if entry is None else entry.columns()
    if entry is None or cols is None:
        return None
    try:
        feed = Feed.from_arrays(cols, list(entry.state["channels"]))
        marks = {str(t): int(m) for t, m in entry.state["marks"].items()}
        marker = int(entry.key["marker"])  # type: ignore[call-overload]
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
    return feed, marker, {**entry.state, "marks": marks}


def worth_growing(read_at: Mapping[str, int], now: Mapping[str, int]) -> bool:
    """Whether a build from rows read at the rowid marks ``read_at`` should be grown to the
    store's marks ``now``, rather than everything read again: not when more rows came
    since than were there (a grow reads those on one connection, a whole read on two)."""
    old = sum(int(read_at.get(t, 0)) for t in graph_edits.FED)
    added = sum(max(0, int(now[t]) - int(read_at.get(t, 0))) for t in graph_edits.FED)
    return added <= old
