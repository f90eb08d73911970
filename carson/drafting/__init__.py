"""Drafts a seller would send: the intro-request email (with a forwardable blurb), the
phone script, and call rehearsal.

Public API (the CLI, the agent's tools and the TUI call these)::

    draft_email(store, *, via, to, route=None, reason=None, brain=None, now=None) -> Draft
    draft_call(store, *, via, to, route=None, reason=None, brain=None, now=None) -> Draft
    Rehearsal.start(store, via=..., role="connector", to=None, brain=None)
        .reply(seller_line) -> str     .end() -> Feedback
    check_grounding(store, facts, *texts) -> Grounding

``via``/``to`` are names (resolved with did-you-mean) or ``Person`` objects; a ``Route``
can stand in for both. Offline (``brain=None``) drafts come from the phrase banks in
``prompts/``; with a LangChain chat model the model writes them from the same facts.
Either way the grounding check runs, and every draft is saved under the data home.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from carson import locations
from carson.drafting import _phrasing as ph
from carson.drafting import email as _email
from carson.drafting import script as _script
from carson.drafting.facts import DraftFacts, Fact, gather
from carson.drafting.grounding import check as check_grounding
from carson.drafting.rehearsal import Feedback, Rehearsal
from carson.models import Draft, DraftKind, FactRef, Grounding, Person, Route
from carson.store import Store

__all__ = [
    "Draft",
    "DraftFacts",
    "Feedback",
    "Rehearsal",
    "check_grounding",
    "draft_call",
    "draft_email",
    "gather",
    "save_draft",
]


def draft_email(
    store: Store,
    *,
    via: str | Person | None = None,
    to: str | Person | None = None,
    route: Route | None = None,
    reason: str | None = None,
    brain: Any = None,
    now: datetime | None = None,
    save: bool = True,
) -> Draft:
    """The intro-request email to ``via`` about ``to``, with a forwardable blurb."""
    facts = gather(store, via=via, to=to, route=route, reason=reason, now=now)
    if brain is None:
        text = _email.compose(facts)
        grounding = check_grounding(store, facts, text.subject, text.body, text.blurb)
        label = "offline"
    else:
        from carson.drafting import _llm

        text, grounding, label = _llm.write_email(store, facts, brain)
    return _finish(
        store,
        facts,
        DraftKind.email,
        text.subject,
        text.body,
        text.blurb,
        grounding,
        label,
        save=save,
    )


def draft_call(
    store: Store,
    *,
    via: str | Person | None = None,
    to: str | Person | None = None,
    route: Route | None = None,
    reason: str | None = None,
    brain: Any = None,
    now: datetime | None = None,
    save: bool = True,
) -> Draft:
    """The phone script for asking ``via`` to introduce the seller to ``to``."""
    facts = gather(store, via=via, to=to, route=route, reason=reason, now=now)
    if brain is None:
        text = _script.compose(facts)
        title, body = text.title, text.body
        grounding = check_grounding(store, facts, body)
        label = "offline"
    else:
        from carson.drafting import _llm

        title, body, grounding, label = _llm.write_script(store, facts, brain)
    return _finish(store, facts, DraftKind.call, title, body, None, grounding, label, save=save)


def _finish(
    store: Store,
    facts: DraftFacts,
    kind: DraftKind,
    subject: str | None,
    body: str,
    blurb: str | None,
    grounding: Grounding,
    brain: str,
    *,
    save: bool,
) -> Draft:
    """The draft with the facts its text uses, saved under the data home unless told not to."""
    draft = Draft(
        kind=kind,
        subject=subject,
        body=body,
        blurb=blurb,
        facts_used=used_facts(facts, "\n".join(t for t in (subject, body, blurb) if t)),
        grounding=grounding,
        via=facts.via.name,
        to=facts.to.name,
        reason=facts.reason,
        brain=brain,
        created_at=facts.now,
    )
    return save_draft(store.home, draft) if save else draft


def _mentioned(fact: Fact, text: str, facts: DraftFacts) -> bool:
    low = text.lower()
    if fact.kind == "detail":
        caps = {w for w in re.findall(r"\b[A-Z][a-z]{2,}\b", fact.text)} - {facts.via_first}
        return fact.text in text or any(w.lower() in low for w in caps)
    if fact.kind == "business":
        return fact.text in text
    if fact.kind == "interaction":
        when = ph.when(facts)
        return bool(when and when in text)
    if fact.kind == "connection":
        how = ph.how_they_know(facts)
        return bool(how and how.lower() in low) or facts.to_first in text
    return True


def used_facts(facts: DraftFacts, text: str) -> list[FactRef]:
    """The facts a draft's text draws on, each with its store source."""
    return [
        FactRef(text=f.text, source=f.source) for f in facts.facts if _mentioned(f, text, facts)
    ]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def render_text(draft: Draft) -> str:
    """The draft as a person reads it (what the CLI prints and the .md file holds)."""
    parts: list[str] = []
    if draft.kind is DraftKind.email:
        parts += [f"Subject: {draft.subject}", "", draft.body.rstrip()]
        if draft.blurb:
            parts += ["", "--- forwardable blurb ---", draft.blurb.rstrip()]
    else:
        parts += [draft.body.rstrip()]
    return "\n".join(parts) + "\n"


def save_draft(home: Path, draft: Draft) -> Draft:
    """Write the draft as ``.md`` (readable) and ``.json`` under the data home's drafts dir."""
    folder = locations.drafts_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    stem = f"{stamp}-{draft.kind}-{_slug(draft.via)}-to-{_slug(draft.to)}"
    md = folder / f"{stem}.md"
    draft = draft.model_copy(update={"path": str(md)})
    md.write_text(render_text(draft), encoding="utf-8")
    (folder / f"{stem}.json").write_text(
        json.dumps(draft.model_dump(mode="json"), indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return draft


def grounding_ok(draft: Draft) -> Grounding:
    return draft.grounding
