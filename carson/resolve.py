"""Turning what people type into people and organisations in the store.

Exact (case- and accent-insensitive) matches win; a typo resolves only when one
candidate is clearly best; anything else raises ``UnknownPersonError`` /
``UnknownOrganizationError`` with "did you mean" suggestions rather than a wrong
guess. Organisation aliases ("GS", "Goldman", "JPM") count as names.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property

from rapidfuzz import fuzz, process

from carson.errors import UnknownOrganizationError, UnknownPersonError
from carson.models import Organization, Person
from carson.store import Store

# A typo resolves on its own only above this score, and this far ahead of the next candidate.
CONFIDENT = 90.0
MARGIN = 6.0
# Candidates at or above this score are offered as "did you mean".
SUGGEST = 60.0

_ORG_SUFFIXES = re.compile(
    r"\b(inc|incorporated|llc|ltd|limited|plc|corp|corporation|co|company|group|the|gmbh|ag|sa)\b"
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


class AmbiguousPersonError(UnknownPersonError):
    """Several people match the name equally well."""

    title = "Which one?"

    def __init__(self, name: str, candidates: list[str]):
        super().__init__(name, candidates)
        self.message = f'"{name}" could be several people in your network.'
        self.hint = "Did you mean " + " or ".join(f'"{c}"' for c in candidates[:4]) + "?"


def normalize(text: str) -> str:
    """Casefold, strip accents and punctuation, collapse spaces."""
    if not text.isascii():  # ASCII has no accents to strip (most names: skip the slow part)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def normalize_org(text: str) -> str:
    text = normalize(text.replace("&", " "))
    stripped = " ".join(_ORG_SUFFIXES.sub(" ", text).split())
    return stripped or text


class Resolver:
    """Name lookups over one store, loaded once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._orgs: dict[str, list[int]] = defaultdict(list)
        self._org_names: dict[int, str] = {}
        for org in store.organizations():
            assert org.id is not None
            self._org_names[org.id] = org.name
            for label in [org.name, *org.aliases]:
                key = normalize_org(label)
                if key and org.id not in self._orgs[key]:
                    self._orgs[key].append(org.id)
        self._org_keys = list(self._orgs)

    # ------------------------------------------------------------------ people

    @cached_property
    def _index(self) -> tuple[dict[str, list[int]], dict[int, str]]:
        """Normalised names → ids, and ids → names: read on the first people lookup, so a
        company query on a million-person store never pays for it (6.6 s there)."""
        people: dict[str, list[int]] = defaultdict(list)
        names: dict[int, str] = {}
        for pid, name in self.store.person_names():
            names[pid] = name
            people[normalize(name)].append(pid)
        return people, names

    @property
    def _people(self) -> dict[str, list[int]]:
        return self._index[0]

    @property
    def _names(self) -> dict[int, str]:
        return self._index[1]

    @cached_property
    def _people_keys(self) -> list[str]:
        return list(self._people)

    def person(self, name: str, *, among: Iterable[int] | None = None) -> Person:
        """The one person ``name`` means; ``among`` breaks ties in favour of those ids."""
        ids = self.person_ids(name, among=among)
        if len(ids) == 1:
            person = self.store.get_person(ids[0])
            assert person is not None
            return person
        if ids:
            raise AmbiguousPersonError(name, [self._describe(i) for i in ids])
        raise UnknownPersonError(name, self.suggest_people(name))

    def person_ids(self, name: str, *, among: Iterable[int] | None = None) -> list[int]:
        """Ids ``name`` resolves to: one when clear, several when ambiguous, none if unknown."""
        key = normalize(name)
        if not key:
            return []
        preferred = set(among or ())
        exact = self._people.get(key, [])
        if not exact:
            exact = self._partial(key)
        if len(exact) > 1 and preferred:
            narrowed = [i for i in exact if i in preferred]
            if narrowed:
                exact = narrowed
        if exact:
            return list(exact)
        best = process.extract(key, self._people_keys, scorer=fuzz.WRatio, limit=2)
        if not best:
            return []
        top_key, top_score, _ = best[0]
        runner_up = best[1][1] if len(best) > 1 else 0.0
        if (
            top_score >= CONFIDENT
            and top_score - runner_up >= MARGIN
            and len(self._people[top_key]) == 1
            and self._plausible_typo(key, top_key)
        ):
            return list(self._people[top_key])
        return []

    def _partial(self, key: str) -> list[int]:
        """One word ("Harry") or "First L." forms: the people whose names start or end that way."""
        words = key.split()
        if len(words) == 1:
            word = words[0]
            return [
                pid
                for full, ids in self._people.items()
                for pid in ids
                if full.split()[0] == word or full.split()[-1] == word
            ]
        if len(words) == 2 and len(words[1]) == 1:
            first, initial = words
            return [
                pid
                for full, ids in self._people.items()
                for pid in ids
                if full.split()[0] == first and full.split()[-1].startswith(initial)
            ]
        return []

    @staticmethod
    def _plausible_typo(typed: str, candidate: str) -> bool:
        # WRatio rewards substrings ("Harry" ~ "Harry Smith"); a typo keeps the word count.
        return len(typed.split()) == len(candidate.split()) and fuzz.ratio(typed, candidate) >= 80

    def suggest_people(self, name: str, limit: int = 3) -> list[str]:
        key = normalize(name)
        out: list[str] = []
        for cand, score, _ in process.extract(key, self._people_keys, scorer=fuzz.WRatio, limit=8):
            if score < SUGGEST:
                break
            for pid in self._people[cand]:
                label = self._names[pid]
                if label not in out:
                    out.append(label)
        return out[:limit]

    def _describe(self, pid: int) -> str:
        name = self._names[pid]
        jobs = self.store.employments(person_id=pid, current=True)
        if jobs:
            org = self._org_names.get(jobs[0].org_id)
            if jobs[0].title and org:
                return f"{name} ({jobs[0].title}, {org})"
            if org:
                return f"{name} ({org})"
        return name

    def people_in_text(self, text: str) -> list[Person]:
        """People whose full names (or unambiguous "First L." forms) appear in ``text``."""
        words = [normalize(m.group()) for m in _WORD.finditer(text)]
        words = [w for w in words if w]
        found: list[int] = []
        i = 0
        while i < len(words):
            matched = 0
            for size in (4, 3, 2):
                if i + size > len(words):
                    continue
                key = " ".join(words[i : i + size])
                ids = self._people.get(key)
                if ids is None and size == 2 and len(words[i + 1]) == 1:
                    ids = self._partial(key) or None
                if ids and len(ids) == 1:
                    if ids[0] not in found:
                        found.append(ids[0])
                    matched = size
                    break
            i += matched or 1
        people = [self.store.get_person(pid) for pid in found]
        return [p for p in people if p is not None]

    # ----------------------------------------------------------- organisations

    def organization(self, name: str) -> Organization:
        key = normalize_org(name)
        ids = self._orgs.get(key, []) if key else []
        if not ids and key and len(key) > 3:
            best = process.extract(key, self._org_keys, scorer=fuzz.WRatio, limit=2)
            if best:
                top_key, top_score, _ = best[0]
                runner_up = best[1][1] if len(best) > 1 else 0.0
                if top_score >= CONFIDENT and top_score - runner_up >= MARGIN:
                    ids = self._orgs[top_key]
        if len(ids) == 1:
            org = self.store.get_organization(ids[0])
            assert org is not None
            return org
        if len(ids) > 1:
            raise UnknownOrganizationError(name, [self._org_names[i] for i in ids])
        raise UnknownOrganizationError(name, self.suggest_organizations(name))

    def suggest_organizations(self, name: str, limit: int = 3) -> list[str]:
        key = normalize_org(name)
        out: list[str] = []
        for cand, score, _ in process.extract(key, self._org_keys, scorer=fuzz.WRatio, limit=8):
            if score < SUGGEST:
                break
            for oid in self._orgs[cand]:
                label = self._org_names[oid]
                if label not in out:
                    out.append(label)
        return out[:limit]

    def organization_names(self) -> dict[str, list[int]]:
        """Normalised names and aliases → organisation ids (the gazetteer the planner scans)."""
        return dict(self._orgs)

    def person_keys(self) -> dict[str, list[int]]:
        """Normalised full names → person ids."""
        return dict(self._people)
