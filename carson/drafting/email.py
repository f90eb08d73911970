"""The intro-request email to the connector, with a forwardable blurb.

Offline, the email is composed from the ``prompts/intro_email.md`` and
``prompts/forwardable_blurb.md`` phrase banks filled with store facts; which slots
appear and in what order depends on the relationship (close friend, teammate, client,
colleague, loose tie), how recently the seller and the connector talked, the target's
seniority and whether the notes hold a personal detail. With a brain (a LangChain chat
model) the model writes the draft from the same facts; both pass the grounding check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from carson.drafting import _phrasing as ph
from carson.drafting import _templates
from carson.drafting.facts import DraftFacts

WORDS_MIN = 120
WORDS_MAX = 200


@dataclass
class EmailText:
    subject: str
    body: str
    blurb: str


def word_count(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def _values(facts: DraftFacts) -> dict[str, object]:
    v: dict[str, object] = {
        "me_first": facts.me_first,
        "via_first": facts.via_first,
        "to_first": facts.to_first,
        "to_name": facts.to.name,
        "reason": _sentence_tail(facts.reason),
    }
    if facts.to_job.org_name:
        v["to_org"] = facts.to_job.org_name
    if facts.to_job.title:
        v["to_title"] = facts.to_job.title
    if facts.target_company:
        v["target_company"] = facts.target_company
    how = ph.how_they_know(facts)
    if how:
        v["how"] = how
    when = ph.when(facts)
    touch = ph.last_touch(facts)
    if when:
        v["when"] = when
    if touch:
        v["touch"] = touch
    if facts.business:
        v["why_now"] = facts.business[0][0]
    return v


def _sentence_tail(reason: str) -> str:
    """A reason as the tail of a sentence: no final stop, first letter as written."""
    return reason.strip().rstrip(".")


def compose(facts: DraftFacts) -> EmailText:
    """The offline email: phrase-bank slots chosen and ordered by the relationship."""
    bank = _templates.load("intro_email")
    v = _values(facts)
    s = ph.seed(facts.via.id, facts.to.id, "email")
    tone = ph.my_tone(facts)
    rec = ph.recency(facts)

    def pick(key: str, salt: int = 0, **extra: object) -> str:
        return bank.pick(key, s + salt, **v, **extra)

    subject_key = f"subject.{tone}"
    subject = pick(subject_key if "to_org" in v else "subject.client")

    greet = pick("greet.close" if tone in {"close", "team"} else "greet.default")

    # Opener: a team note gets to the point; others start from the last real contact.
    opener: list[str] = []
    if tone == "team":
        opener.append(pick("open.team"))
    elif rec == "recent" and "touch" in v:
        opener.append(pick("open.recent.close" if tone == "close" else "open.recent.default"))
    elif rec in {"while", "stale"}:
        opener.append(pick(f"open.{rec}"))
    else:
        opener.append(pick("open.none.close" if tone == "close" else "open.none.default"))
    detail = ph.detail_line(facts)
    if detail is not None and tone != "team":
        opener.append(_templates.load("detail_lines").pick(detail.key, s, **detail.values))

    know = pick("know.known" if "how" in v else "know.unknown", 1)
    if facts.target_company:
        ask = pick("ask.stepping", 2)
    elif "to_title" in v and "to_org" in v:
        # A derived reason already names the role; then the ask doesn't repeat it.
        key = "ask.senior" if facts.senior_target else "ask.default"
        if facts.reason_source == "derived":
            ask = bank.pick(key, s + 2, **{k: x for k, x in v.items() if k != "to_title"})
        else:
            ask = pick(key, 2)
    else:
        ask = pick("ask.notitle", 2) if "to_org" in v else pick("ask.stepping", 2)
    reason = pick("reason", 3)
    why_now = pick("why_now", 4) if "why_now" in v else None
    easy = pick("easy.blurb", 5)
    out = pick("easy.out", 6) if rec == "stale" or not ph.close_tie(facts) else None
    give = pick(f"give.{tone}" if tone in {"close", "team", "client"} else "give.default", 7)
    sign = pick("sign.close" if tone in {"close", "team"} else "sign.default", 8)

    # Paragraph order varies with the relationship: close ties check in before asking;
    # senior targets get the reason straight after the ask; teammates get it short.
    if tone == "team":
        paras = [[*opener, know], [ask, reason, *([why_now] if why_now else [])], [easy, give]]
    elif facts.senior_target:
        paras = [opener, [know], [ask, reason, *([why_now] if why_now else [])], [easy, give]]
    else:
        paras = [[*opener, know], [reason, ask], [*([why_now] if why_now else []), easy, give]]
    if out:
        paras[-1].append(out)

    body = _assemble(greet, paras, sign, facts.me_first)
    # Keep the body inside 120-200 words: drop optional lines first, then pad with the
    # opt-out line (true, and good practice) when short.
    for optional in (out, why_now):
        if word_count(body) > WORDS_MAX and optional:
            paras = [[x for x in p if x != optional] for p in paras]
            body = _assemble(greet, paras, sign, facts.me_first)
    pads = ([] if out else [pick("easy.out", 6)]) + [pick("pad", 9), pick("pad.more", 10)]
    while word_count(body) < WORDS_MIN and pads:
        paras[-1].insert(-1, pads.pop(0))
        body = _assemble(greet, paras, sign, facts.me_first)
    return EmailText(subject=subject, body=body, blurb=compose_blurb(facts))


def _assemble(greet: str, paras: list[list[str]], sign: str, me_first: str) -> str:
    blocks = [greet] + [" ".join(p) for p in paras if p] + [f"{sign}\n{me_first}"]
    return "\n\n".join(blocks) + "\n"


def compose_blurb(facts: DraftFacts) -> str:
    """3-4 sentences the connector can forward to the target as is (double opt-in)."""
    bank = _templates.load("forwardable_blurb")
    s = ph.seed(facts.via.id, facts.to.id, "blurb")
    v: dict[str, object] = {
        "to_first": facts.to_first,
        "me_name": facts.me.name,
        "me_first": facts.me_first,
        "my_org": facts.my_job.org_name or "my company",
        "reason": _sentence_tail(facts.reason),
        "via_first": facts.via_first,
    }
    if facts.my_job.title:
        v["my_title"] = facts.my_job.title
    if facts.product:
        v["product"] = facts.product.lower()
    if facts.former is not None and facts.former.org_name:
        v["to_org"] = facts.former.org_name  # what an alumnus can speak to is the old team
    elif facts.to_job.org_name:
        v["to_org"] = facts.to_job.org_name
    who = bank.pick("who" if "my_title" in v else "who.notitle", s, **v)
    if facts.reason_source == "user" or "product" not in v or "to_org" not in v:
        why = bank.pick("why.user", s + 1, **v)
    else:
        why = bank.pick("why.derived", s + 1, **v)
    time = bank.pick("time", s + 2, **v)
    optin = bank.pick("optin", s + 3, **v)
    return " ".join([who, why, time, optin]) + "\n"
