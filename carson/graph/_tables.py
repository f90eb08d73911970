"""Who is who in the graph, as columns: people, who works where now and before, titles.

At 1M people a dict of per-person objects takes seconds to make and as long to restore, so
the network keeps these facts as numpy arrays and packed strings (exactly what the on-disk
cache stores), and hands callers small read-only mapping views over them:
``net.people[pid].name``, ``net.staff.get(org_id, [])``, ``net.former[org_id]``,
``net.titles.get((pid, org_id))`` read as the dicts they replace did.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from carson.graph._snapshot import sort_order
from carson.store import Store, graph_feed

_NO_DAY = np.iinfo(np.int32).min
"""A job end day that is unknown (``None``)."""
_EPOCH_DAY = date(1970, 1, 1)


@dataclass(frozen=True)
class Strings:
    """Strings packed in one UTF-8 buffer: item ``i`` is ``buf[start[i]:start[i + 1]]``."""

    buf: np.ndarray
    """uint8."""
    start: np.ndarray
    """int64, one more than there are strings."""

    @classmethod
    def of(cls, items: Sequence[str]) -> Strings:
        joined = "".join(items)
        raw = joined.encode("utf-8", "surrogatepass")
        n = len(items)
        if len(raw) == len(joined):  # ASCII: a character is a byte
            lens = np.fromiter(map(len, items), dtype=np.int64, count=n)
        else:
            lens = np.fromiter(
                (len(s.encode("utf-8", "surrogatepass")) for s in items), dtype=np.int64, count=n
            )
        start = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lens, out=start[1:])
        return cls(buf=np.frombuffer(raw, dtype=np.uint8), start=start)

    def __len__(self) -> int:
        return int(self.start.size) - 1

    def take(self, rows: np.ndarray) -> Strings:
        """The strings at ``rows`` (indices), in that order."""
        lens = np.diff(self.start)[rows]
        start = np.zeros(lens.size + 1, dtype=np.int64)
        np.cumsum(lens, out=start[1:])
        at = np.repeat(self.start[:-1][rows] - start[:-1], lens)
        at += np.arange(int(start[-1]), dtype=np.int64)
        return Strings(buf=self.buf[at], start=start)

    def __getitem__(self, i: int) -> str:
        lo, hi = int(self.start[i]), int(self.start[i + 1])
        return self.buf[lo:hi].tobytes().decode("utf-8", "surrogatepass")


def _codes(values: Sequence[str | None]) -> tuple[np.ndarray, list[str]]:
    """Each value's index among the distinct values (first-seen order), -1 for None.

    One dict of the distinct values (``dict.fromkeys`` keeps first-seen order), then one
    lookup per value through the bound ``__getitem__``: no Python function runs per row
    (at 1.4M titles, several times faster than a per-row function)."""
    seen = dict.fromkeys(values)
    seen.pop(None, None)
    distinct: list[str] = list(seen)  # type: ignore[arg-type]  # None popped
    index: dict[str | None, int] = dict(zip(distinct, range(len(distinct)), strict=True))
    index[None] = -1
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int32, count=len(values))
    return codes, distinct


@dataclass(frozen=True)
class JobColumns:
    """Every job (``graph_feed.job_rows``, id order) as columns."""

    id: np.ndarray
    person: np.ndarray
    org: np.ndarray
    title: np.ndarray
    """int32 index into ``title_text``, -1 for none."""
    title_text: list[str]
    start: np.ndarray
    """datetime64[D], NaT when unknown."""
    end: np.ndarray
    current: np.ndarray
    """The stored flag (a job with an end date is not current, whatever it says)."""

    @classmethod
    def read(cls, store: Store, since: int = 0, twin: Store | None = None) -> JobColumns:
        """Every job from the store (with an id past ``since``; bulk columns, or row by row
        if a title holds a NUL; ``twin``: see ``graph_feed.twin_of``)."""
        got = graph_feed.job_columns(store, since, twin)
        if got is None:
            return cls.of(graph_feed.job_rows(store, since=since))
        title, title_text = _codes(got.title)

        def days(d: np.ndarray) -> np.ndarray:
            out = d.astype("datetime64[D]")
            out[d == graph_feed.NO_DAY] = np.datetime64("NaT")
            return out

        return cls(
            id=got.id,
            person=got.person,
            org=got.org,
            title=title,
            title_text=title_text,
            start=days(got.start),
            end=days(got.end),
            current=got.current,
        )

    @classmethod
    def of(
        cls, jobs: Sequence[tuple[int, int, int, str | None, str | None, str | None, int]]
    ) -> JobColumns:
        """From ``graph_feed.job_rows`` rows."""
        m = len(jobs)
        title, title_text = _codes([j[3] for j in jobs])
        return cls(
            id=np.fromiter((j[0] for j in jobs), dtype=np.int64, count=m),
            person=np.fromiter((j[1] for j in jobs), dtype=np.int64, count=m),
            org=np.fromiter((j[2] for j in jobs), dtype=np.int64, count=m),
            title=title,
            title_text=title_text,
            start=np.array([j[4] for j in jobs], dtype="datetime64[D]"),
            end=np.array([j[5] for j in jobs], dtype="datetime64[D]"),
            current=np.fromiter((j[6] for j in jobs), dtype=bool, count=m),
        )

    @classmethod
    def of_people(cls, store: Store, people: np.ndarray) -> JobColumns:
        """These people's jobs, read by index."""
        return cls.of(graph_feed.job_rows(store, people=people.tolist()))

    def take(self, rows: np.ndarray) -> JobColumns:
        """The jobs at ``rows`` (indices or a mask), in that order."""
        return replace(
            self,
            id=self.id[rows],
            person=self.person[rows],
            org=self.org[rows],
            title=self.title[rows],
            start=self.start[rows],
            end=self.end[rows],
            current=self.current[rows],
        )

    def concat(self, more: JobColumns) -> JobColumns:
        """These jobs, then ``more`` (its titles recoded into these)."""
        if more.person.size == 0:
            return self
        index = {t: i for i, t in enumerate(self.title_text)}
        text = list(self.title_text)
        remap = np.empty(len(more.title_text) + 1, dtype=np.int32)
        remap[-1] = -1  # no title stays no title
        for i, t in enumerate(more.title_text):
            got = index.get(t)
            if got is None:
                got = index[t] = len(text)
                text.append(t)
            remap[i] = got
        return JobColumns(
            id=np.concatenate((self.id, more.id)),
            person=np.concatenate((self.person, more.person)),
            org=np.concatenate((self.org, more.org)),
            title=np.concatenate((self.title, remap[more.title])),
            title_text=text,
            start=np.concatenate((self.start, more.start)),
            end=np.concatenate((self.end, more.end)),
            current=np.concatenate((self.current, more.current)),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """Every column by name (what the cache writes)."""
        titles = Strings.of(self.title_text)
        return {
            "jobs_id": self.id,
            "jobs_person": self.person,
            "jobs_org": self.org,
            "jobs_title": self.title,
            "jobs_title_buf": titles.buf,
            "jobs_title_start": titles.start,
            "jobs_start": self.start,
            "jobs_end": self.end,
            "jobs_current": self.current,
        }

    @classmethod
    def from_arrays(cls, a: Mapping[str, np.ndarray]) -> JobColumns:
        titles = Strings(a["jobs_title_buf"], a["jobs_title_start"])
        out = cls(
            id=a["jobs_id"],
            person=a["jobs_person"],
            org=a["jobs_org"],
            title=a["jobs_title"],
            title_text=[titles[i] for i in range(len(titles))],
            start=a["jobs_start"],
            end=a["jobs_end"],
            current=a["jobs_current"],
        )
        m = out.person.size
        if not (
            out.id.size == out.org.size == out.title.size == out.start.size == out.end.size == m
            and out.current.size == m
            and int(out.title.max(initial=-1)) < len(out.title_text)
        ):
            raise ValueError("cached jobs do not fit together")
        return out


def read_people(
    store: Store, since: int = 0, ids: np.ndarray | None = None, twin: Store | None = None
) -> tuple[np.ndarray, np.ndarray, Strings]:
    """(ids, flags, names) of everyone (with an id past ``since``; or with one of ``ids``,
    read by index), in id order."""
    got = None if ids is not None else graph_feed.people_columns(store, since, twin)
    if got is None:
        rows = graph_feed.people_rows(store, since, None if ids is None else ids.tolist())
        n = len(rows)
        return (
            np.fromiter((p[0] for p in rows), dtype=np.int64, count=n),
            np.fromiter(((p[2] and 1) | (p[3] and 2) for p in rows), np.uint8, count=n),
            Strings.of([p[1] for p in rows]),
        )
    start = np.zeros(got.name_len.size + 1, dtype=np.int64)
    np.cumsum(got.name_len, out=start[1:])
    return got.id, got.flags, Strings(buf=got.name_buf, start=start)


def concat_people(
    old: tuple[np.ndarray, np.ndarray, Strings], more: tuple[np.ndarray, np.ndarray, Strings]
) -> tuple[np.ndarray, np.ndarray, Strings]:
    """People ``old`` then ``more`` (ids, flags, names; ``more``'s ids all come after)."""
    if more[0].size == 0:
        return old
    names = Strings(
        buf=np.concatenate((old[2].buf, more[2].buf)),
        start=np.concatenate((old[2].start[:-1], more[2].start + old[2].start[-1])),
    )
    return np.concatenate((old[0], more[0])), np.concatenate((old[1], more[1])), names


@dataclass(frozen=True)
class Groups:
    """Rows grouped by a key: the rows of ``keys[g]`` are ``ptr[g]:ptr[g + 1]`` of the
    value columns (in the order they were added)."""

    keys: np.ndarray
    """int64, sorted, distinct."""
    ptr: np.ndarray
    """int64, one more than there are keys."""

    @classmethod
    def by(cls, key: np.ndarray) -> tuple[Groups, np.ndarray]:
        """The groups of ``key`` and the row order (stable) that lays the values out."""
        order = sort_order(key) if key.size else np.empty(0, dtype=np.int64)
        k = key[order]
        first = np.ones(k.size, dtype=bool)
        np.not_equal(k[1:], k[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        ptr = np.empty(starts.size + 1, dtype=np.int64)
        ptr[:-1] = starts
        ptr[-1] = k.size
        return cls(keys=k[starts].astype(np.int64), ptr=ptr), order

    def span(self, key: int) -> tuple[int, int] | None:
        i = int(np.searchsorted(self.keys, key))
        if i >= self.keys.size or int(self.keys[i]) != key:
            return None
        return int(self.ptr[i]), int(self.ptr[i + 1])


def _by_person_day(person: np.ndarray, day: np.ndarray) -> np.ndarray:
    """``np.lexsort((np.arange(n), day, person))``: rows by person, then day, then row.
    When a person and the rank of a day fit in one word together, one sort of the packed
    words (``sort_order``) gives it, several times faster than ``lexsort``."""
    n = int(person.size)
    if n == 0 or int(person.min()) < 0:
        return np.lexsort((np.arange(n), day, person))
    known = day != np.iinfo(np.int64).min  # unknown days come first
    lo = int(day[known].min(initial=0))
    span = int(day.max()) - lo + 2 if bool(known.any()) else 1
    bits = span.bit_length()
    if int(person.max()).bit_length() + bits > 62:
        return np.lexsort((np.arange(n), day, person))
    key = person << bits
    rank = day - (lo - 1)
    rank[~known] = 0
    key |= rank
    return sort_order(key)


@dataclass(frozen=True)
class Tables:
    """Everything the network knows about people and jobs, as arrays (see the module doc)."""

    ids: np.ndarray
    """int64 person ids, sorted."""
    names: Strings
    """One per person, aligned with ``ids``."""
    flags: np.ndarray
    """uint8 per person: 1 is the user, 2 on the user's team."""
    org: np.ndarray
    """int64 per person: the organisation of their current job (latest start), -1 if none."""
    title: np.ndarray
    """int32 per person: their current title, an index into ``title_text`` (-1 none)."""
    title_text: Strings
    """Distinct job titles."""
    staff: Groups
    """Organisation id → the current staff, ``staff_pid`` (in job order)."""
    staff_pid: np.ndarray
    former: Groups
    """Organisation id → people who used to work there (and not now), in job order."""
    former_pid: np.ndarray
    former_end: np.ndarray
    """int32 days since 1970 the job ended; ``_NO_DAY`` when unknown."""
    job_key: np.ndarray
    """int64 ``person * job_base + org``, sorted, distinct: every (person, org) with a job."""
    job_title: np.ndarray
    """int32 title of the last such job in job order (index into ``title_text``, -1 none)."""
    job_base: int

    @classmethod
    def read(cls, store: Store, jobs: JobColumns) -> Tables:
        """Everyone from the store (bulk columns; row by row if a name holds a NUL)."""
        return cls.build(*read_people(store), jobs)

    def people(self) -> tuple[np.ndarray, np.ndarray, Strings]:
        """(ids, flags, names): what :meth:`build` was given about people."""
        return self.ids, self.flags, self.names

    @classmethod
    def build(cls, ids: np.ndarray, flags: np.ndarray, names: Strings, jobs: JobColumns) -> Tables:
        """From everyone's ids (ascending), flags (1 the user, 2 on the team) and names, and
        every job."""
        n = int(ids.size)
        if n > 1 and not bool((ids[1:] > ids[:-1]).all()):
            raise ValueError("people must come in id order")
        person, org, title, title_text = jobs.person, jobs.org, jobs.title, jobs.title_text
        start, end = jobs.start, jobs.end
        m = int(person.size)
        current = jobs.current & np.isnat(end)

        # Current staff, in job order per organisation.
        now_rows = np.flatnonzero(current)
        staff, order = Groups.by(org[now_rows])
        staff_pid = person[now_rows[order]]
        # Former staff: jobs that ended, minus people on staff at the same organisation now.
        past = np.flatnonzero(~current)
        if past.size and now_rows.size:
            base = int(max(person.max(), org.max())) + 1
            on_staff = np.sort(org[now_rows] * base + person[now_rows])
            k = org[past] * base + person[past]
            pos = np.minimum(np.searchsorted(on_staff, k), on_staff.size - 1)
            past = past[on_staff[pos] != k]
        former, order = Groups.by(org[past])
        former_pid = person[past[order]]
        ended = end[past[order]]
        former_end = np.where(
            np.isnat(ended), _NO_DAY, ended.astype("datetime64[D]").astype(np.int64)
        ).astype(np.int32)

        # Each person's current job: the one with the latest start (unknown counts as
        # earliest), the later row on equal starts.
        day = start.astype("datetime64[D]").astype(np.int64)
        day[np.isnat(start)] = np.iinfo(np.int64).min
        cur_person, cur_day = person[now_rows], day[now_rows]
        pick = _by_person_day(cur_person, cur_day)
        last = np.ones(pick.size, dtype=bool)
        last[:-1] = cur_person[pick][1:] != cur_person[pick][:-1]
        best = now_rows[pick[last]]
        at = np.searchsorted(ids, person[best]) if ids.size else np.zeros(0, dtype=np.int64)
        ok = at < n
        ok[ok] = ids[at[ok]] == person[best[ok]]
        p_org = np.full(n, -1, dtype=np.int64)
        p_title = np.full(n, -1, dtype=np.int32)
        p_org[at[ok]] = org[best[ok]]
        p_title[at[ok]] = title[best[ok]]

        # (person, org) → title of the last job there, in job order.
        job_base = int(org.max()) + 1 if m else 1
        key = person * job_base + org
        order = np.lexsort((np.arange(m), key))
        ks = key[order]
        last = np.ones(m, dtype=bool)
        last[:-1] = ks[1:] != ks[:-1]
        return cls(
            ids=ids,
            names=names,
            flags=flags,
            org=p_org,
            title=p_title,
            title_text=Strings.of(title_text),
            staff=staff,
            staff_pid=staff_pid,
            former=former,
            former_pid=former_pid,
            former_end=former_end,
            job_key=ks[last],
            job_title=title[order[last]],
            job_base=job_base,
        )

    # ------------------------------------------------------------ arrays and back

    def arrays(self) -> dict[str, np.ndarray]:
        """Every column by name (what the cache writes)."""
        return {
            "people_ids": self.ids,
            "people_name_buf": self.names.buf,
            "people_name_start": self.names.start,
            "people_flags": self.flags,
            "people_org": self.org,
            "people_title": self.title,
            "title_buf": self.title_text.buf,
            "title_start": self.title_text.start,
            "staff_keys": self.staff.keys,
            "staff_ptr": self.staff.ptr,
            "staff_pid": self.staff_pid,
            "former_keys": self.former.keys,
            "former_ptr": self.former.ptr,
            "former_pid": self.former_pid,
            "former_end": self.former_end,
            "job_key": self.job_key,
            "job_title": self.job_title,
            "job_base": np.array([self.job_base], dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, a: Mapping[str, np.ndarray]) -> Tables:
        t = cls(
            ids=a["people_ids"],
            names=Strings(a["people_name_buf"], a["people_name_start"]),
            flags=a["people_flags"],
            org=a["people_org"],
            title=a["people_title"],
            title_text=Strings(a["title_buf"], a["title_start"]),
            staff=Groups(a["staff_keys"], a["staff_ptr"]),
            staff_pid=a["staff_pid"],
            former=Groups(a["former_keys"], a["former_ptr"]),
            former_pid=a["former_pid"],
            former_end=a["former_end"],
            job_key=a["job_key"],
            job_title=a["job_title"],
            job_base=int(a["job_base"][0]),
        )
        t.check()
        return t

    def check(self) -> None:
        """Raise ValueError unless the columns fit together (a damaged cache must not
        be used)."""
        n = self.ids.size
        sizes_ok = (
            self.names.start.size == n + 1
            and self.flags.size == self.org.size == self.title.size == n
            and self.staff.ptr.size == self.staff.keys.size + 1
            and self.former.ptr.size == self.former.keys.size + 1
            and self.former_pid.size == self.former_end.size
            and self.job_key.size == self.job_title.size
        )
        ends_ok = sizes_ok and (
            int(self.names.start[-1]) == self.names.buf.size
            and int(self.title_text.start[-1]) == self.title_text.buf.size
            and int(self.staff.ptr[-1]) == self.staff_pid.size
            and int(self.former.ptr[-1]) == self.former_pid.size
        )
        if not ends_ok:
            raise ValueError("graph tables do not fit together")

    # ------------------------------------------------------------------- lookups

    def row(self, pid: int) -> int:
        """Index of a person id, or -1."""
        i = int(np.searchsorted(self.ids, pid))
        return i if i < self.ids.size and int(self.ids[i]) == pid else -1

    def title_of(self, code: int) -> str | None:
        return None if code < 0 else self.title_text[code]

    def me_id(self) -> int | None:
        got = np.flatnonzero(self.flags & 1)
        return int(self.ids[got[0]]) if got.size else None

    def team_ids(self) -> list[int]:
        """Teammates other than the user, sorted."""
        team = ((self.flags & 2) != 0) & ((self.flags & 1) == 0)
        return [int(x) for x in self.ids[team]]


class PeopleView(Mapping[int, Any]):
    """Person id → ``PersonInfo`` (made on access) over the tables."""

    def __init__(self, tables: Tables, org_names: Mapping[int, str], make: Any) -> None:
        self._t, self._org_names, self._make = tables, org_names, make

    def __getitem__(self, pid: int) -> Any:
        t = self._t
        i = t.row(pid)
        if i < 0:
            raise KeyError(pid)
        oid = int(t.org[i])
        flags = int(t.flags[i])
        return self._make(
            id=int(t.ids[i]),
            name=t.names[i],
            title=t.title_of(int(t.title[i])),
            company=self._org_names.get(oid) if oid >= 0 else None,
            org_id=oid if oid >= 0 else None,
            is_me=bool(flags & 1),
            is_team=bool(flags & 2),
        )

    def __contains__(self, pid: object) -> bool:
        return isinstance(pid, int | np.integer) and self._t.row(int(pid)) >= 0

    def __iter__(self) -> Iterator[int]:
        return iter(self._t.ids.tolist())

    def __len__(self) -> int:
        return int(self._t.ids.size)


class StaffView(Mapping[int, list[int]]):
    """Organisation id → ids of the people who work there now (job order)."""

    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def __getitem__(self, oid: int) -> list[int]:
        span = self._t.staff.span(oid)
        if span is None:
            raise KeyError(oid)
        return [int(x) for x in self._t.staff_pid[span[0] : span[1]]]

    def __iter__(self) -> Iterator[int]:
        return iter(self._t.staff.keys.tolist())

    def __len__(self) -> int:
        return int(self._t.staff.keys.size)


class FormerView(Mapping[int, list[tuple[int, date | None]]]):
    """Organisation id → (person id, end date) of people who used to work there."""

    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def __getitem__(self, oid: int) -> list[tuple[int, date | None]]:
        t = self._t
        span = t.former.span(oid)
        if span is None:
            raise KeyError(oid)
        lo, hi = span
        return [
            (int(p), None if e == _NO_DAY else _EPOCH_DAY + timedelta(days=int(e)))
            for p, e in zip(t.former_pid[lo:hi].tolist(), t.former_end[lo:hi].tolist(), strict=True)
        ]

    def __iter__(self) -> Iterator[int]:
        return iter(self._t.former.keys.tolist())

    def __len__(self) -> int:
        return int(self._t.former.keys.size)


class TitlesView(Mapping[tuple[int, int], str | None]):
    """(person id, org id) → their title there (the last job's), for every job held."""

    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def _at(self, key: tuple[int, int]) -> int:
        t = self._t
        pid, oid = key
        if not 0 <= oid < t.job_base or pid < 0:
            return -1
        k = pid * t.job_base + oid
        i = int(np.searchsorted(t.job_key, k))
        return i if i < t.job_key.size and int(t.job_key[i]) == k else -1

    def __getitem__(self, key: tuple[int, int]) -> str | None:
        i = self._at(key)
        if i < 0:
            raise KeyError(key)
        return self._t.title_of(int(self._t.job_title[i]))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 2 and self._at(key) >= 0

    def __iter__(self) -> Iterator[tuple[int, int]]:
        base = self._t.job_base
        return ((int(k) // base, int(k) % base) for k in self._t.job_key.tolist())

    def __len__(self) -> int:
        return int(self._t.job_key.size)
