"""The phone script for asking the connector, composed from store facts.

Sections: before you dial (facts to have in mind), opener, context (ask how well
they know the target before asking), the ask with its one-line reason, likely
objections with answers, the close (confirm the next step, offer something back),
and what to log afterwards. Which objections come first depends on the ties: a
stale or loose tie to the target leads with "I don't know them that well anymore".
"""

from __future__ import annotations

from dataclasses import dataclass

from carson.drafting import _phrasing as ph
from carson.drafting import _templates
from carson.drafting.facts import DraftFacts


@dataclass
class ScriptText:
    title: str
    body: str
    checkpoints: dict[str, str]
    """Checkpoint → the scripted line that meets it (for rehearsal feedback)."""


def _values(facts: DraftFacts) -> dict[str, object]:
    channel = ph.channel_words(facts)
    v: dict[str, object] = {
        "me_first": facts.me_first,
        "via_first": facts.via_first,
        "via_name": facts.via.name,
        "to_first": facts.to_first,
        "to_name": facts.to.name,
        "reason": facts.reason.strip().rstrip("."),
    }
    for key, value in (
        ("to_title", facts.to_job.title),
        ("to_org", facts.to_job.org_name),
        ("how", ph.how_they_know(facts)),
        ("when", ph.when(facts)),
        ("touch", channel),
        ("target_company", facts.target_company),
    ):
        if value:
            v[key] = value
    if facts.business:
        v["why_now"] = facts.business[0][0]
    return v


def compose(facts: DraftFacts) -> ScriptText:
    bank = _templates.load("phone_script")
    v = _values(facts)
    s = ph.seed(facts.via.id, facts.to.id, "call")
    tone = ph.my_tone(facts)
    rec = ph.recency(facts)

    def pick(key: str, salt: int = 0) -> str:
        return bank.pick(key, s + salt, **v)

    title = pick("title")
    prep = [pick("prep.when") if "when" in v else pick("prep.none")]
    prep.append(pick("prep.how") if "how" in v else pick("prep.howunknown"))
    for d in facts.details[:2]:
        prep.append(bank.pick("prep.note", s, **{**v, "detail": d.text}))
    if "why_now" in v:
        prep.append(pick("prep.why_now"))

    if rec == "stale":
        opener = [pick("open.stale")]
    else:
        opener = [pick(f"open.{tone}" if tone in {"close", "team"} else "open.default")]
    detail = ph.detail_line(facts)
    if detail is not None and tone != "team":
        line = _templates.load("detail_lines").pick(detail.key, s, **detail.values)
        opener.append(bank.pick("warm.detail", s, **{**v, "detail": line}))
    elif "when" in v:
        opener.append(pick("warm.when", 1))

    context = pick("context.known" if "how" in v else "context.unknown", 2)
    if facts.target_company:
        ask = pick("ask.stepping", 3)
    else:
        ask = pick("ask.senior" if facts.senior_target else "ask.default", 3)
    reason = pick("reason", 4)
    ask_lines = [ask, reason] + ([pick("why_now")] if "why_now" in v else [])

    objections = _objections(facts, tone)
    close = pick("close", 5)
    give = pick(f"give.{tone}" if tone in {"close", "team"} else "give.default", 6)
    log = [pick("log.send"), pick("log.outcome"), pick("log.note"), pick("log.followup")]

    head = {k: pick(f"head.{k}") for k in ("prep", "opener", "context", "ask", "objections")}
    head |= {k: pick(f"head.{k}") for k in ("close", "after")}
    lines = [title, "", head["prep"], *(f"- {x}" for x in prep)]
    lines += ["", head["opener"], *opener, "", head["context"], context]
    lines += ["", head["ask"], *ask_lines, "", head["objections"]]
    for q, a in objections:
        lines += [f"- {q}", f"  {a}"]
    lines += ["", head["close"], close, give, "", head["after"], *(f"- {x}" for x in log)]
    body = "\n".join(lines) + "\n"
    checkpoints = {
        "clear ask": ask,
        "business reason": reason,
        "reciprocity offered": give,
        "next step confirmed": close,
    }
    return ScriptText(title=title, body=body, checkpoints=checkpoints)


def _objections(facts: DraftFacts, tone: str) -> list[tuple[str, str]]:
    bank = _templates.load("phone_script")
    v = _values(facts)
    s = ph.seed(facts.via.id, facts.to.id, "objections")
    keys = ["stale", "what", "direct"]
    if not ph.close_tie(facts) or ph.recency(facts) == "stale":
        keys = ["stale", "direct", "what"]
    else:
        keys = ["what", "stale", "direct"]
    if facts.senior_target:
        keys.insert(1, "busy")
    if tone == "team" and "to_org" in v:
        keys.insert(0, "team")
    if tone == "client":
        keys.append("client")
    return [
        (bank.pick(f"obj.{k}.q", s, **v), bank.pick(f"obj.{k}.a", s + i, **v))
        for i, k in enumerate(keys)
    ]
