"""Likely duplicates for the user to confirm (merge) or reject, and merges that can be undone.

Imports merge exact matches on their own (same profile URL, email or phone, or the
same name at the same company). What is left here are the maybes: the same name at a
different (or no) company, and near-identical names at the same company. People with
different LinkedIn profiles are never offered, nor pairs the user has rejected.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from rapidfuzz import fuzz

from carson.errors import UsageError
from carson.ingest.entities import EntityIndex
from carson.resolve import normalize
from carson.store import Store

# Names at the same company this similar (token_sort_ratio) are offered as duplicates.
SIMILAR = 88.0


@dataclass(frozen=True)
class Candidate:
    a: int
    b: int
    a_name: str
    b_name: str
    score: float
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {
            "a": self.a,
            "b": self.b,
            "a_name": self.a_name,
            "b_name": self.b_name,
            "score": round(self.score, 1),
            "reason": self.reason,
        }


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def candidates(store: Store, limit: int = 50) -> list[Candidate]:
    """Likely duplicate pairs, best first."""
    index = EntityIndex(store)
    rejected = store.rejected_duplicates()
    org_names = {o.id: o.name for o in store.organizations()}
    found: dict[tuple[int, int], Candidate] = {}

    def offer(a: int, b: int, score: float, reason: str) -> None:
        a, b = min(a, b), max(a, b)
        if (a, b) in rejected or index.conflicts(a, list(index.linkedin_urls(b))):
            return
        if (a, b) not in found or found[(a, b)].score < score:
            found[(a, b)] = Candidate(a, b, index.name_of[a], index.name_of[b], score, reason)

    for ids in index.by_name.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                shared = set(index.orgs_of.get(a, ())) & set(index.orgs_of.get(b, ()))
                if shared:
                    offer(a, b, 97.0, f"same name, both at {org_names[min(shared)]}")
                else:
                    offer(a, b, 90.0, "same name")
    members: dict[int, list[int]] = defaultdict(list)
    for pid, orgs in index.orgs_of.items():
        for oid in orgs:
            members[oid].append(pid)
    for oid, pids in members.items():
        if len(pids) > 2000:
            continue  # a huge employer: names alone say too little
        keys = [(pid, normalize(index.name_of[pid])) for pid in pids if pid in index.name_of]
        for i, (a, ka) in enumerate(keys):
            for b, kb in keys[i + 1 :]:
                if ka == kb:
                    continue
                score = fuzz.token_sort_ratio(ka, kb)
                if score >= SIMILAR:
                    offer(a, b, score, f"similar names at {org_names[oid]}")
    return sorted(found.values(), key=lambda c: (-c.score, c.a, c.b))[:limit]


def merge(store: Store, keep: int, other: int) -> int:
    """Merge ``other`` into ``keep``; returns the merge id for ``undo``."""
    if keep == other:
        raise UsageError("Can't merge someone with themself.", "Pass two different person ids.")
    for pid in (keep, other):
        if store.get_person(pid) is None:
            raise UsageError(f"No person #{pid}.", "Run `carson dedupe` to see the candidates.")
    with store.write():
        return store.merge_people(keep, other, _now())


def undo(store: Store, merge_id: int | None = None) -> int:
    """Undo a merge (the latest one by default); returns the restored person's id."""
    if merge_id is None:
        live = [m for m in store.merges() if not m["undone_at"]]
        if not live:
            raise UsageError("No merge to undo.", "`carson dedupe history` lists past merges.")
        merge_id = int(live[0]["id"])  # type: ignore[call-overload]
    with store.write():
        return store.undo_merge(merge_id, _now())


def reject(store: Store, a: int, b: int) -> None:
    """Record that two people are different, so they are not offered again."""
    with store.write():
        store.reject_duplicate(a, b, _now())
