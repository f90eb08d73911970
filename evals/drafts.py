"""Drafts: are the intro emails and phone scripts true, complete, personal only when the
store says so, and not one text with the names swapped?

30 (route, reason) pairs on the demo network: the best route with an intermediary into
each of the 30 companies with the most staff, every other one with a reason the seller
typed, the rest with the reason Carson derives. For each pair, an email and a phone
script with the chosen brain. Metrics:

- **grounded**: the draft passes the product's grounding check *and* this suite's own
  reading: no full name of anyone in the store other than the seller, connector and
  target, and no year that the facts behind the draft do not hold;
- **structure**: the email asks for the introduction by name, carries the business
  reason, offers something back, has a forwardable blurb of 3-4 sentences and a body of
  120-200 words; the phone script has objections with answers and a close;
- **personal details**: every family / hobby / health / life-event word in a draft is in
  the store (the connector's or target's notes, or the ties' evidence);
- **variety**: word-level similarity (difflib ratio) between emails to different
  people, with every name, company and title masked: mean and worst pair.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import Counter

from carson.drafting import draft_call, draft_email
from carson.graph import find_routes
from carson.models import Draft, Route
from carson.store import Store
from evals._core import EvalContext, Metric, SuiteResult, Timer, carson_home, rate

NAME = "drafts"
PAIRS = 30
FAST_PAIRS = 8
WORST_PAIR = 0.85
"""Two emails to different people this alike (names masked) are one text, names swapped;
a few such pairs happen by chance with phrase banks, a systematic share must not."""
REASONS = [
    "their payroll team is consolidating vendors this year",
    "we cut month-end close time in half for two similar firms",
    "I'd like to learn how they run global payroll across regions",
    "our compliance reporting could save their team a week each quarter",
]
PERSONAL = frozenset(
    re.findall(
        r"\w+",
        """wife husband daughter son kids children child baby newborn twins wedding married
    engaged honeymoon anniversary birthday graduation marathon triathlon golf tennis
    climbing skiing hiking surfing yoga sailing fishing dog puppy vacation surgery knee
    retired retiring sabbatical pregnant divorce funeral""",
    )
)
ASK = re.compile(r"\b(introduc\w*|intro|connect\w*|put me in touch|pass (it|this) on)\b", re.I)
GIVE = re.compile(
    r"\b(return the favou?r|in return|repay|owe you|anything i can do|"
    r"introduce you to|introduction for you|happy to help|glad to help|drinks are on me)\b",
    re.I,
)
OBJECTION = re.compile(r"(objection|if they say|push ?back|if \w+ says)", re.I)
CLOSE = re.compile(r"\b(close|next step|does that work|sound good|i'll send)\b", re.I)
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def pairs(store: Store, n: int) -> list[tuple[Route, str | None]]:
    """The best route with an intermediary into each of the ``n`` biggest companies."""
    staff = Counter(e.org_id for e in store.employments(current=True))
    me = store.me()
    mine = {e.org_id for e in store.employments(person_id=me.id or 0)} if me else set()
    names = {o.id: o.name for o in store.organizations()}
    out: list[tuple[Route, str | None]] = []
    seen: set[tuple[int, int]] = set()
    for oid, _ in staff.most_common():
        if len(out) >= n:
            break
        if oid in mine:
            continue
        for r in find_routes(store, target_company=names[oid], k=5, alumni=0):
            if len(r.path) < 3 or (r.path[1], r.path[2]) in seen:
                continue
            seen.add((r.path[1], r.path[2]))
            reason = REASONS[len(out) // 2 % len(REASONS)] if len(out) % 2 else None
            out.append((r, reason))
            break
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text.lower())


def _store_text(store: Store, ids: list[int]) -> str:
    """Everything the store holds about these people: notes and tie evidence."""
    parts = [n.text for pid in ids for n in store.notes(person_id=pid)]
    for pid in ids:
        for t in store.ties(person_id=pid):
            parts += [e.text for e in t.evidence]
    return " ".join(parts).lower()


class _Reader:
    """This suite's own reading of a draft against the store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.full_names = {p.name for p in store.people()}

    def leaks(self, text: str, allowed: set[str]) -> list[str]:
        """Full names of stored people who have no business in this draft."""
        found = []
        for name in self.full_names - allowed:
            if (
                len(name.split()) >= 2
                and name in text
                and re.search(rf"\b{re.escape(name)}\b", text)
            ):
                found.append(name)
        return found

    def years(self, text: str, draft: Draft, route: Route) -> list[str]:
        known = " ".join(f.text for f in draft.facts_used)
        known += " ".join(e.text for h in route.hops for e in h.evidence)
        ids = route.path
        for pid in ids:
            for e in self.store.employments(person_id=pid):
                known += f" {e.start} {e.end}"
        known += _store_text(self.store, ids)
        return [y for y in YEAR.findall(text) if y not in known]


def _mask(text: str, draft: Draft, store: Store, route: Route) -> list[str]:
    names: set[str] = set()
    for pid in route.path:
        p = store.get_person(pid)
        if p is not None:
            names |= {w.lower() for w in p.name.split()}
    for h in route.hops:
        for part in (h.company, h.title):
            names |= {w.lower() for w in (part or "").split()}
    names |= set(_words(draft.reason or ""))
    return ["_" if w in names else w for w in _words(text)]


def run(ctx: EvalContext) -> SuiteResult:
    timer = Timer()
    res = SuiteResult(NAME)
    home = ctx.demo_copy("drafts")
    brain = ctx.brain_model()
    counts: Counter[str] = Counter()
    masked: list[tuple[tuple[int, int], list[str]]] = []
    lengths: list[int] = []
    with carson_home(home), Store(home) as store:
        reader = _Reader(store)
        chosen = pairs(store, FAST_PAIRS if ctx.fast else PAIRS)
        for route, reason in chosen:
            email = draft_email(store, route=route, reason=reason, brain=brain, save=False)
            call = draft_call(store, route=route, reason=reason, brain=brain, save=False)
            tag = f"{email.via} → {email.to} ({'user' if reason else 'derived'} reason)"
            allowed = {store.get_person(p).name for p in route.path if store.get_person(p)}  # type: ignore[union-attr]
            me = store.me()
            allowed.add(me.name if me else "")
            about = _store_text(store, route.path[1:3])
            for d in (email, call):
                counts["drafts"] += 1
                text = f"{d.subject or ''}\n{d.body}\n{d.blurb or ''}"
                problems = list(d.grounding.flagged) if not d.grounding.ok else []
                if not d.grounding.ok and not problems:
                    problems.append("grounding check failed")
                problems += [f"names {n}" for n in reader.leaks(text, allowed)]
                problems += [f"year {y}" for y in reader.years(text, d, route)]
                if problems:
                    res.failures.append(f"{d.kind} {tag}: ungrounded {problems[:5]}")
                else:
                    counts["grounded"] += 1
                personal = {w for w in _words(text) if w in PERSONAL} - set(_words(about))
                if personal:
                    res.failures.append(f"{d.kind} {tag}: personal words not in store {personal}")
                else:
                    counts["personal ok"] += 1
            body = email.body
            n_words = len(_words(body))
            lengths.append(n_words)
            blurb_sentences = len(re.findall(r"[.!?](\s|$)", (email.blurb or "").strip()))
            to_first = email.to.split()[0]
            checks = {
                "ask": bool(ASK.search(body)) and to_first in body,
                "business reason": _reason_present(email, body),
                "reciprocity": bool(GIVE.search(body)),
                "blurb": bool(email.blurb) and 3 <= blurb_sentences <= 4,
                "120-200 words": 120 <= n_words <= 200,
            }
            call_checks = {
                "objections": bool(OBJECTION.search(call.body))
                and call.body.count("?") + call.body.count("“") >= 2,
                "close": bool(CLOSE.search(call.body)),
            }
            for key, ok in {**checks, **call_checks}.items():
                counts[f"has {key}"] += ok
            missing = [k for k, ok in {**checks, **call_checks}.items() if not ok]
            if missing:
                res.failures.append(f"{tag}: missing {missing} ({n_words} words)")
            else:
                counts["structured"] += 1
            masked.append(((route.path[1], route.path[2]), _mask(body, email, store, route)))
    scored = [
        (difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(), ka, kb)
        for (ka, a), (kb, b) in itertools.combinations(masked, 2)
        if ka[0] != kb[0] and ka[1] != kb[1]
    ]
    sims = [x[0] for x in scored]
    worst_pair = ""
    if scored:
        worst = max(scored)
        worst_pair = f"via person {worst[1][0]} and via person {worst[2][0]}: {worst[0]:.2f}"
    n = len(masked)
    res.metrics = [
        Metric(
            "grounded",
            rate(counts["grounded"], counts["drafts"]),
            "==",
            1.0,
            "%",
            f"{counts['drafts']} drafts",
        ),
        Metric(
            "structure complete",
            rate(counts["structured"], n),
            "==",
            1.0,
            "%",
            f"{n} email+script pairs",
        ),
        Metric(
            "personal details only from notes",
            rate(counts["personal ok"], counts["drafts"]),
            "==",
            1.0,
            "%",
        ),
        Metric(
            "similarity, mean (names masked)",
            round(sum(sims) / len(sims), 3) if sims else None,
            "<=",
            0.6,
        ),
        Metric("similarity, worst pair", round(max(sims), 3) if sims else None),
        Metric(
            f"near-duplicate pairs (similarity > {WORST_PAIR})",
            rate(sum(x > WORST_PAIR for x in sims), len(sims)),
            "<=",
            0.02,
            "%",
            f"of {len(sims)} pairs",
        ),
    ]
    res.details = {
        "pairs": n,
        "checks": {k: v for k, v in counts.items() if k.startswith("has ")},
        "email_words": {"min": min(lengths, default=0), "max": max(lengths, default=0)},
        "most_alike_emails": worst_pair,
    }
    res.seconds = timer.seconds
    return res


def _reason_present(draft: Draft, body: str) -> bool:
    """The reason (as typed, or as derived) is in the email or the blurb."""
    reason = (draft.reason or "").rstrip(".").strip()
    if not reason:
        return False
    text = f"{body}\n{draft.blurb or ''}".lower()
    head = " ".join(reason.lower().split()[:6])
    return head in text
