"""Finding people and companies in free text, against the store's gazetteer.

Exact names and aliases ("GS", "jpm") match directly; single first or last names match
when they look like names (capitalised, or someone just shown); typos ("Goldmn Sachs",
"Hary Smith") go to ``carson.resolve.Resolver``, which resolves only a clearly best
candidate and otherwise offers "did you mean" suggestions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from carson.errors import UnknownPersonError
from carson.resolve import Resolver, normalize, normalize_org

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*\.?", re.UNICODE)

STOP = frozenset(
    """
    a an the i me my we our us you your he him his she her they them their it its to into
    at in on of for from via through with and or but not no yes is are was were be been do
    did does done can could would should will shall may might must please show find get
    give tell who whom what when where why how which that this those these there here about
    again just also some any all one two three four five first second third last next best
    top quickest fastest way ways route routes path paths intro email call script note
    notes team know meet draft write let lets rehearse practice practise company people
    person someone anyone everyone him her whats who's what's hey hi hello thanks thank ok
    okay sure morning today week month year ago new old good great well mark may will
    bill grant rose april june august
    """.split()  # noqa: SIM905
)


_NAME_SLOT = re.compile(
    r"\b(to|via|through|thru|ask|asking|with|from|e-?mail|call|ring|phone|text|for|and|"
    r"about|meet|know|play|be)\s+$",
    re.I,
)
"""Words after which a lower-case word is a name: "email jon", "ask jhon about harry"."""
_ORG_SLOT = re.compile(r"\b(at|into|in|from|with|for|inside|over at)\s+$", re.I)
"""Words after which a word is a company: "someone at wells"."""


@dataclass
class Span:
    kind: Literal["person", "org"]
    start: int
    end: int
    text: str
    """As typed."""
    name: str | None = None
    """Canonical name when resolved."""
    ids: list[int] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return self.name is not None


@dataclass
class _Tok:
    text: str
    norm: str
    start: int
    end: int

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper()


def tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _WORD.finditer(text):
        raw = m.group().rstrip(".") if not re.fullmatch(r"[A-Z]\.", m.group()) else m.group()
        norm = normalize(raw)
        if norm:
            out.append(_Tok(raw, norm, m.start(), m.start() + len(raw)))
    return out


class Gazetteer:
    """The store's people and organisation names, ready for scanning text."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.org_keys = resolver.organization_names()
        self._add_first_words()
        self.person_keys = resolver.person_keys()
        self.first_last: set[str] = set()
        firsts: set[str] = set()
        for key in self.person_keys:
            parts = key.split()
            if parts:
                self.first_last.update({parts[0], parts[-1]})
                firsts.add(parts[0])
        self.first_names = sorted(firsts)
        self._org_list = list(self.org_keys)
        self._person_list = list(self.person_keys)
        self.org_names = {
            oid: name for name, ids in self.org_keys.items() for oid in ids if len(ids) == 1
        }

    def _add_first_words(self) -> None:
        """ "wells" for Wells Fargo, "fieldstone" for Fieldstone Health: a name's first word
        (5+ letters) stands for it where a company goes ("someone at wells"); when several
        start with it ("fieldstone") the planner asks which."""
        firsts: dict[str, set[int]] = {}
        for key, ids in self.org_keys.items():
            words = key.split()
            if len(words) >= 2 and len(words[0]) >= 5 and words[0] not in STOP:
                firsts.setdefault(words[0], set()).update(ids)
        self.org_firsts = {w: sorted(ids) for w, ids in firsts.items() if w not in self.org_keys}

    # ------------------------------------------------------------------ helpers

    def _org(self, phrase: str) -> Span | None:
        key = normalize_org(phrase)
        ids = self.org_keys.get(key)
        if ids and len(ids) == 1:
            org = self.resolver.store.get_organization(ids[0])
            return Span("org", 0, 0, phrase, org.name if org else phrase, list(ids))
        return None

    def _person_exact(self, phrase: str, among: set[int]) -> Span | None:
        key = normalize(phrase)
        ids = self.person_keys.get(key)
        if not ids:
            return None
        return self._person_span(phrase, ids, among)

    def _person_partial(self, word: str, among: set[int]) -> Span | None:
        ids = self.resolver.person_ids(word, among=among or None)
        if not ids:
            return None
        return self._person_span(word, ids, among)

    def _person_span(self, phrase: str, ids: list[int], among: set[int]) -> Span:
        """A person span for ``ids``, narrowed to ``among`` when that leaves anyone."""
        if len(ids) > 1 and among:
            narrowed = [i for i in ids if i in among]
            ids = narrowed or ids
        span = Span("person", 0, 0, phrase, ids=list(ids))
        if len(ids) == 1:
            span.name = self.resolver._names[ids[0]]
        else:
            span.suggestions = [self.resolver._describe(i) for i in ids[:4]]
        return span

    def _fuzzy(self, phrase: str, kind: str) -> Span | None:
        key = normalize_org(phrase) if kind == "org" else normalize(phrase)
        if len(key.replace(" ", "")) < 5:
            return None
        choices = self._org_list if kind == "org" else self._person_list
        hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=82)
        if hit is None:
            return None
        if kind == "org":
            try:
                org = self.resolver.organization(phrase)
            except UnknownPersonError as exc:
                return Span("org", 0, 0, phrase, suggestions=exc.suggestions)
            return Span("org", 0, 0, phrase, org.name, [org.id or 0])
        ids = self.resolver.person_ids(phrase)
        if len(ids) == 1:
            return Span("person", 0, 0, phrase, self.resolver._names[ids[0]], ids)
        return Span("person", 0, 0, phrase, suggestions=self.resolver.suggest_people(phrase))

    def _exact_at(
        self,
        text: str,
        toks: list[_Tok],
        i: int,
        ctx: set[int],
        ctx_words: set[str],
        lower_text: bool,
    ) -> tuple[Span | None, int]:
        for n in range(min(5, len(toks) - i), 0, -1):
            chunk = toks[i : i + n]
            phrase = text[chunk[0].start : chunk[-1].end]
            words = [t.norm for t in chunk]
            if (
                n == 1
                and words[0] in STOP
                and not (chunk[0].text.isupper() or (chunk[0].capital and i > 0))
            ):
                continue
            if all(w in STOP for w in words) and not (chunk[0].capital and i > 0):
                continue
            found = self._org(phrase) or self._person_exact(phrase, ctx)
            if found is None and n == 1:
                t = chunk[0]
                looks_like_name = t.capital or lower_text or t.norm in ctx_words
                if looks_like_name and t.norm in self.first_last and t.norm not in STOP:
                    found = self._person_partial(t.norm, ctx)
                elif t.capital and t.norm not in STOP and ctx_words and len(t.norm) >= 3:
                    # "Jon" for John, when John was just shown
                    near = process.extractOne(t.norm, sorted(ctx_words), scorer=fuzz.ratio)
                    if near is not None and near[1] >= 80:
                        found = self._person_partial(near[0], ctx)
                if found is None and len(t.norm) >= 3 and t.norm not in STOP:
                    found = self._first_name_typo(text, t)
                if found is None and t.norm in self.org_firsts:
                    found = self._org_first_word(text, t)
            if found is not None:
                found.start, found.end, found.text = chunk[0].start, chunk[-1].end, phrase
                return found, n
        return None, 0

    def _org_first_word(self, text: str, tok: _Tok) -> Span | None:
        if not _ORG_SLOT.search(text[: tok.start]):
            return None
        ids = self.org_firsts[tok.norm]
        orgs = [self.resolver.store.get_organization(i) for i in ids]
        names = [o.name for o in orgs if o is not None]
        if len(ids) == 1 and names:
            return Span("org", 0, 0, tok.text, names[0], ids)
        return Span("org", 0, 0, tok.text, ids=ids, suggestions=sorted(names)[:4])

    def _first_name_typo(self, text: str, tok: _Tok) -> Span | None:
        """ "jon" or "jhon" for John Jacobs, in a name's place ("email jon", "ask jhon"), when
        one first name is that close and one person has it."""
        if tok.norm in self.first_last or not _NAME_SLOT.search(text[: tok.start]):
            return None
        if re.match(r"[\s-]*[A-Z]", text[tok.end :]):
            return None  # "Hary Smoth-Jones": a longer name, which the fuzzy scan judges
        best = process.extract(
            tok.norm,
            self.first_names,
            scorer=OSA.normalized_similarity,
            score_cutoff=0.75,
            limit=2,
        )
        if not best or (len(best) > 1 and best[1][1] == best[0][1]):
            return None
        ids = self.resolver.person_ids(best[0][0])
        if len(ids) != 1:
            return None
        return Span("person", 0, 0, tok.text, self.resolver._names[ids[0]], ids)

    def _fuzzy_at(
        self, text: str, toks: list[_Tok], i: int, ctx_words: set[str], lower_text: bool
    ) -> tuple[Span | None, int]:
        for n in range(min(3, len(toks) - i), 0, -1):
            chunk = toks[i : i + n]
            words = [t.norm for t in chunk]
            if any(w in STOP for w in (words[0], words[-1])):
                continue
            if not lower_text and not all(t.capital or t.text.isupper() for t in chunk):
                continue
            phrase = text[chunk[0].start : chunk[-1].end]
            found = self._fuzzy(phrase, "org")
            if found is None and n in (2, 3):
                found = self._fuzzy(phrase, "person")
            if found is not None:
                found.start, found.end, found.text = chunk[0].start, chunk[-1].end, phrase
                return found, n
        return None, 0

    # --------------------------------------------------------------------- scan

    def scan(self, text: str, among: Iterable[int] = ()) -> list[Span]:
        """Every person and company mentioned in ``text``, left to right."""
        ctx = set(among)
        ctx_words = {w for pid in ctx for w in normalize(self.resolver._names.get(pid, "")).split()}
        toks = tokens(text)
        # typed in lower case but for "I" and a capital first letter: names may be lower case
        plain = re.sub(r"\bI(?=\b|['’])", "i", text[:1].lower() + text[1:])
        lower_text = plain == plain.lower()
        spans: list[Span] = []
        i = 0
        while i < len(toks):
            found, size = self._exact_at(text, toks, i, ctx, ctx_words, lower_text)
            if found is None and (
                i + 1 >= len(toks)
                or self._exact_at(text, toks, i + 1, ctx, ctx_words, lower_text)[0] is None
            ):
                # a near match only where no exact name starts at the next word: "kno wendy
                # peterson" is a typo ("know") before Wendy Peterson, not a three-word name
                found, size = self._fuzzy_at(text, toks, i, ctx_words, lower_text)
                if found is not None and not lower_text:
                    # "Morgan Stanly Partners Group": a typo followed by more of a name is
                    # some other company; offer the near match instead of guessing
                    extra = i + size
                    while (
                        extra < len(toks)
                        and toks[extra].capital
                        and (toks[extra].start - toks[extra - 1].end <= 1)
                    ):
                        extra += 1
                    if extra > i + size:
                        phrase = text[toks[i].start : toks[extra - 1].end]
                        found = Span(
                            found.kind,
                            toks[i].start,
                            toks[extra - 1].end,
                            phrase,
                            suggestions=[found.name] if found.name else found.suggestions,
                        )
                        size = extra - i
            if found is not None:
                spans.append(found)
                i += size
            else:
                i += 1
        return spans
