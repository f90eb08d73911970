"""The offline planner's answers, composed from tool results (never from thin air)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _pct(p: float | None) -> str:
    return "?" if p is None else f"{round(p * 100)}%"


def _error(name: str, result: dict[str, Any]) -> str:
    msg = result.get("error", f"{name} failed.")
    sug = result.get("suggestions")
    if sug:
        return f"{msg} Did you mean " + " or ".join(f'"{s}"' for s in sug[:3]) + "?"
    hint = result.get("hint")
    return f"{msg} {hint}" if hint else str(msg)


def _routes(result: dict[str, Any], *, know: bool = False) -> str:
    routes = result.get("routes") or []
    target = result.get("target", "them")
    if not routes:
        return f"I found no route to {target}."
    head = (
        f"How you know {target}:"
        if know
        else f"Your best routes into {target}, ranked by meeting probability:"
    )
    lines = [head]
    for i, r in enumerate(routes, 1):
        summary = r.get("summary") or ""
        if "probability" not in summary.lower():
            rng = f"{_pct(r.get('low'))}–{_pct(r.get('high'))}"
            summary = f"{_pct(r.get('probability'))} ({rng}) {summary}".rstrip()
        lines.append(f"{i}. {summary}")
        if r.get("label") and r["label"] not in summary:
            lines.append(f"   ({r['label']})")
        for hop in (r.get("hops") or [])[1:]:
            ev = hop.get("evidence") or []
            if ev:
                stale = " [gone cold]" if hop.get("stale") else ""
                lines.append(f"   · {hop.get('name')}: {ev[0].get('text')}{stale}")
    if not know:
        lines.append(
            'Next: "draft the email for route 1", "phone script for the second route", or '
            '"let\'s rehearse the call".'
        )
    return "\n".join(lines)


def _profile(r: dict[str, Any]) -> str:
    head = r["name"]
    role = ", ".join(x for x in (r.get("title"), r.get("company")) if x)
    lines = [
        f"{head}"
        + (f" — {role}" if role else "")
        + (f" ({r['location']})" if r.get("location") else "")
    ]
    past = [j for j in r.get("jobs", []) if not j.get("current")]
    if past:
        lines.append(
            "Before: " + "; ".join(f"{j.get('title') or '?'} at {j['company']}" for j in past[:3])
        )
    you = r.get("you")
    if you:
        ev = (you.get("evidence") or [{}])[0].get("text", "")
        lines.append(f"You: {you['relationship']}, strength {you.get('strength')}. {ev}".strip())
    ties = [t for t in r.get("ties", []) if not you or t["name"] != you["name"]][:3]
    if ties:
        lines.append(
            "Closest ties: "
            + "; ".join(f"{t['name']} ({t['relationship']}, {t.get('strength')})" for t in ties)
        )
    last = r.get("last_interactions") or []
    if last:
        it = last[0]
        lines.append(f"Last interaction: {it['channel']} on {str(it['at'])[:10]}")
    details = r.get("details") or []
    if details:
        lines.append("From your notes:")
        lines += [f"- {d['kind']}: {d['text']} ({str(d['date'])[:10]})" for d in details]
    return "\n".join(lines)


def _notes(r: dict[str, Any]) -> str:
    res = r.get("results") or []
    about = f" about {r['person']}" if r.get("person") else ""
    if not res:
        return f'No notes{about} match "{r.get("query")}".'
    if r.get("fallback") == "details":
        lines = [f"What your notes say about {r['person']}'s {' and '.join(r['kinds'])}:"]
    elif r.get("fallback") == "latest":
        lines = [f'No note about {r["person"]} matches "{r.get("query")}"; the latest ones:']
    else:
        lines = [f'Notes{about} matching "{r.get("query")}":']
    for n in res:
        who = f" ({', '.join(n['people'])})" if n.get("people") else ""
        lines.append(f"- {str(n['date'])[:10]}{who}: {n['text']}")
    return "\n".join(lines)


def _draft(r: dict[str, Any]) -> str:
    d = r["draft"]
    lines = []
    if d.get("kind") == "email":
        lines.append(f"Draft email to {d.get('via')} (about {d.get('to')}). Nothing was sent.")
        lines.append(f"Subject: {d.get('subject')}")
        lines.append("")
        lines.append(d.get("body", ""))
        if d.get("blurb"):
            lines += ["", "Forwardable blurb:", d["blurb"]]
    else:
        lines.append(f"Phone script for calling {d.get('via')} about {d.get('to')}:")
        lines.append("")
        lines.append(d.get("body", ""))
    g = d.get("grounding") or {}
    if g and not g.get("ok", True):
        lines.append("")
        lines.append("Check before sending: " + ", ".join(g.get("flagged", [])))
    if d.get("path"):
        lines.append(f"(saved to {d['path']})")
    return "\n".join(lines)


def _rehearse(r: dict[str, Any]) -> str:
    who = {
        "target": f"I'll play {r['speaker']}, whom you want to meet; {r['via']} made the intro.",
        "gatekeeper": f"I'll play {r['speaker']}, who guards {r['to']}'s calendar; "
        f"{r['via']} made the intro.",
    }.get(r["role"], f"I'll play {r['speaker']} (connector); you're asking about {r['to']}.")
    return (
        f"Rehearsal: {who}\n"
        f'{r["speaker"]}: "{r["opening"]}"\n'
        f"I'll check for: {', '.join(r.get('checkpoints', []))}.\n{r.get('next_step', '')}"
    ).strip()


def _reconnect(r: dict[str, Any]) -> str:
    s = r.get("suggestions") or []
    if not s:
        return "Nobody close has gone quiet: your strong ties are all recent."
    lines = ["Worth a check-in before you need them:"]
    for x in s:
        role = ", ".join(v for v in (x.get("title"), x.get("company")) if v)
        lines.append(f"- {x['name']} ({role}): {x['relationship']}, {x['why']}")
        if x.get("opener"):
            lines.append(f"  - open with: {x['opener']}")
    return "\n".join(lines)


def _help_first(r: dict[str, Any]) -> str:
    ideas = r.get("ideas") or []
    if not ideas:
        return "I found no introductions you could make right now."
    lines = ["Introductions you could make (give first):"]
    for i in ideas:
        lines.append(f"- Introduce {i['introduce']} to {i['to']}: {i['why']}")
    return "\n".join(lines)


def _note(r: dict[str, Any]) -> str:
    who = f" (linked to {', '.join(r['people'])})" if r.get("people") else ""
    return f"Noted{who}: {r['text']}"


def _outcome(r: dict[str, Any]) -> str:
    path = " → ".join(r.get("path", []))
    pred = f" Carson had predicted {_pct(r.get('predicted'))}." if r.get("predicted") else ""
    return f"Logged {r['outcome'].replace('_', ' ')} for {path}.{pred} Future odds learn from it."


COMPOSERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "find_routes": _routes,
    "how_do_i_know": lambda r: _routes(r, know=True),
    "person_profile": _profile,
    "search_notes": _notes,
    "draft_intro_email": _draft,
    "draft_phone_script": _draft,
    "rehearse": _rehearse,
    "reconnect_suggestions": _reconnect,
    "help_first": _help_first,
    "log_note": _note,
    "log_outcome": _outcome,
}


def compose(results: list[tuple[str, dict[str, Any], bool]]) -> str:
    """One answer from this turn's (tool name, result, ok) triples."""
    parts = []
    for name, result, ok in results:
        if not ok or "error" in result:
            parts.append(_error(name, result))
            continue
        fn = COMPOSERS.get(name)
        parts.append(fn(result) if fn else str(result))
    return "\n\n".join(parts) or "Done."
