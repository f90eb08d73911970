"""Entity resolution: which stored person an imported contact is.

Order of evidence: profile URL, then email, then phone, then normalised name plus
organisation. Identifier matches and exact name + same organisation are merged
automatically; near misses are left for ``carson dedupe`` (see ``dedupe.py``).
Two records with different LinkedIn profile URLs are never the same person.

The index is loaded once per import and kept in step with every write, so a file
of any size resolves with dictionary lookups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from carson.resolve import normalize as _normalize
from carson.resolve import normalize_org as _normalize_org
from carson.store import Store

# Names and companies repeat across rows and files: normalise each once.
normalize = lru_cache(maxsize=200_000)(_normalize)
normalize_org = lru_cache(maxsize=50_000)(_normalize_org)
_LINKEDIN = "linkedin.com/"


class EntityIndex:
    """Per person, small lists rather than sets: one is made for every new person, and
    a set costs several times a list to make."""

    def __init__(self, store: Store) -> None:
        self.by_ident: dict[tuple[str, str], int] = {}
        self.idents_of: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self._linkedin: dict[int, list[str]] = {}
        for kind, value, pid in store.identifier_rows():
            self.add_ident(pid, kind, value)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.name_of: dict[int, str] = {}
        for pid, name in store.person_names():
            self.add_name(pid, name)
        self.org_ids: dict[str, int] = {}
        # company names exactly as files write them -> organisation: one lookup a row
        self._org_by_label: dict[str, int] = {}
        self.org_key_of: dict[int, str] = {}
        for org in store.organizations():
            assert org.id is not None
            for label in [org.name, *org.aliases]:
                self.org_ids.setdefault(normalize_org(label), org.id)
            self.org_key_of[org.id] = normalize_org(org.name)
        self.orgs_of: dict[int, list[int]] = defaultdict(list)
        # (name key, org id) -> people: name + organisation matches without scanning namesakes
        self.by_name_org: dict[tuple[str, int], list[int]] = defaultdict(list)
        for _eid, pid, oid, *_ in store.employment_rows():
            self.add_job(pid, oid)

    # ------------------------------------------------------------- keeping in step

    def add_name(self, pid: int, name: str) -> None:
        self.name_of[pid] = name
        self.by_name[normalize(name)].append(pid)

    def add_job(self, pid: int, oid: int) -> None:
        """Someone works (or worked) at an organisation."""
        orgs = self.orgs_of[pid]
        if oid in orgs:
            return
        orgs.append(oid)
        name = self.name_of.get(pid)
        if name is not None:
            self.by_name_org[(normalize(name), oid)].append(pid)

    def add_person(
        self, pid: int, name: str, idents: list[tuple[str, str]], oid: int | None
    ) -> None:
        """Someone new: ``add_name``, ``add_ident`` for each identifier, ``add_job`` at ``oid``.

        ``idents`` (distinct, none known yet) becomes the index's own list: don't reuse it.
        """
        key = normalize(name)
        self.name_of[pid] = name
        self.by_name[key].append(pid)
        if idents:
            by_ident = self.by_ident
            for ident in idents:
                by_ident[ident] = pid
                if ident[0] == "url" and _LINKEDIN in ident[1]:
                    self._linkedin.setdefault(pid, []).append(ident[1])
            self.idents_of[pid] = idents
        if oid is not None:
            self.orgs_of[pid] = [oid]
            self.by_name_org[(key, oid)].append(pid)

    def add_ident(self, pid: int, kind: str, value: str) -> None:
        """A new identifier (one no one has yet) for someone."""
        self.by_ident[(kind, value)] = pid
        self.idents_of[pid].append((kind, value))
        if kind == "url" and _LINKEDIN in value:
            self._linkedin.setdefault(pid, []).append(value)

    def add_org(self, oid: int, name: str) -> None:
        key = normalize_org(name)
        self.org_ids.setdefault(key, oid)
        self.org_key_of[oid] = key

    # -------------------------------------------------------------------- lookups

    def org_id(self, name: str) -> int | None:
        oid = self._org_by_label.get(name)
        if oid is None:
            oid = self.org_ids.get(normalize_org(name))
            if oid is not None:  # organisations are only ever added, so a found one stays
                self._org_by_label[name] = oid
        return oid

    def linkedin_urls(self, pid: int) -> set[str]:
        return set(self._linkedin.get(pid, ()))

    def conflicts(self, pid: int, urls: Sequence[str]) -> bool:
        """Both have LinkedIn profiles and they differ: two different people."""
        theirs = self._linkedin.get(pid)
        if not theirs:
            return False
        mine = [u for u in urls if _LINKEDIN in u]
        return bool(mine) and not any(u in theirs for u in mine)

    def match(
        self,
        *,
        name: str,
        emails: Sequence[str] = (),
        phones: Sequence[str] = (),
        urls: Sequence[str] = (),
        organization: str | None = None,
    ) -> tuple[int | None, str | None]:
        """(person id, how) for an exact match, else (None, None)."""
        by_ident = self.by_ident
        for v in urls:
            pid = by_ident.get(("url", v))
            if pid is not None:
                return pid, "url"
        for v in emails:
            pid = by_ident.get(("email", v))
            if pid is not None:
                return pid, "email"
        for v in phones:
            pid = by_ident.get(("phone", v))
            if pid is not None:
                return pid, "phone"
        key = normalize(name)
        if organization is not None:
            oid = self.org_id(organization)
            if oid is None:
                return None, None
            for pid in self.by_name_org.get((key, oid), ()):
                if not self.conflicts(pid, urls):
                    return pid, "name+org"
            return None, None
        for pid in self.by_name.get(key, ()):
            if not self.orgs_of.get(pid) and not self.conflicts(pid, urls):
                return pid, "name+org"
        return None, None
