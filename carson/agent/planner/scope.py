"""Whether a request is about the seller's network at all.

The intent classifier always names some tool, so "who won the game last night?" would
start a rehearsal. A request that names no one, is far from every labelled example (or
matched only the bare "who is …" rule), and uses none of the words Carson's work is made
of (routes, intros, notes, calls, people …, typos allowed) gets a polite "I can help
with …" instead of a tool call. Both signals must agree: an unusual wording of a real
request ("who am I neglecting?") is near its examples even without the vocabulary.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from carson.agent.planner.intents import Scored

STEMS = tuple(
    """
    rout path way inroad door access warm intro introduc connect link know knew met meet
    reach email e-mail mail draft write wrote message call phone ring script talk spoke
    speak say said rehears practi roleplay role-play mock pretend gatekeeper assistant
    target connector note mention remember jot log record reconnect touch cold quiet
    dormant catch check help favo useful contact network relationship tie people person
    someone somebody anyone anybody everyone colleague team teammate coworker compan firm
    account prospect customer client buyer vendor outcome declin meeting repl respond
    response ghost profile background rundown work job title vp cfo ceo coo cto
    chief head director manager executive leader payroll hr finance find search suggest
    hop via through exclude skip avoid pitch sell deal lead intro referral refer
    """.split()  # noqa: SIM905
)

OUT_OF_SCOPE = (
    "That's outside what I do. I can help with your network: the warmest routes into a "
    'company or person ("quickest way into Goldman Sachs?"), how you know someone, what '
    "your notes say, intro emails and phone scripts, rehearsing a call, and who to "
    "reconnect with."
)


DO_NOT_ACT = (
    "I don't send emails or texts, make calls or book anything for you: I draft, and you "
    'send. I can draft the email or a phone script ("draft an email to John Jacobs about '
    'Harry Smith"), or rehearse the call with you first.'
)

_CONTACT_VERB = (
    r"(send|forward|text|call|phone|ring|dial|e-?mail|message|dm|whatsapp|ping|book|schedule)"
)
ACT_FOR_ME = re.compile(
    # "call John for me", "email Derek on my behalf"
    rf"\b{_CONTACT_VERB}\b.{{0,60}}\b(for me|on my behalf)\b"
    # "send it to him", "forward the blurb to Priya" (not "something I can send John")
    r"|(?<!i can )(?<!i could )(?<!i'll )(?<!i will )(?<!to )(?<!and i )"
    r"\b(send|forward|submit|e-?mail|text)\s+(it|that|this|them|"
    r"the (e-?mail|draft|blurb|message|note|script|intro(duction)?))\b"
    r"|^\W*((please|ok(ay)?|great|cool|perfect|thanks|just|now|go ahead and|then)\W+)*"
    r"(send|forward)\b(?! me\b)"
    # "email Derek and tell him I'm in town"
    r"|\b(e-?mail|text|message|call)\b.{0,40}\b(and |to )tell (him|her|them)\b"
    # "book me a flight", "book a table"
    r"|\bbook (me |us )?(a |an |the )?(flight|hotel|table|room|car|cab|uber|train|ticket|"
    r"restaurant)",
    re.IGNORECASE,
)
"""A request for Carson to act in the world on the seller's behalf: it only drafts."""
OFF_TOPIC = re.compile(
    r"\b((stock|share) (price|prices|quote)|stock market|weather|forecast|poems?|haikus?|"
    r"limericks?|jokes?|recipes?|lyrics|translat(e|ion)|sports? scores?)\b",
    re.IGNORECASE,
)
"""Topics no one asks a relationship map about, whoever else the request names."""


_DRAFTING = re.compile(
    r"\b(draft|write|wrote|compose|script|prep(are)?|outline|template|talking points|"
    r"rehears\w*|practi[cs]\w*)\b",
    re.IGNORECASE,
)
"""Wording that asks for a draft: "write an email for me to John" is one, not an errand."""


def act_or_off_topic(text: str) -> str | None:
    """The reply for a request Carson must not carry out, or None."""
    if ACT_FOR_ME.search(text) and not _DRAFTING.search(text):
        return DO_NOT_ACT
    if OFF_TOPIC.search(text):
        return OUT_OF_SCOPE
    return None


def in_scope(masked: str) -> bool:
    """``masked`` (names replaced by PERSON / COMPANY) is about the seller's network."""
    if "PERSON" in masked or "COMPANY" in masked:
        return True
    for word in re.findall(r"[a-z][a-z'-]*", masked.lower()):
        if word.startswith(STEMS):
            return True
        if len(word) >= 5 and process.extractOne(word, STEMS, scorer=fuzz.ratio, score_cutoff=80):
            return True  # "recconect", "introdution"
    return False


FAR = {"embedding": 0.36, "ngram": 0.45}
"""Below these similarities to the nearest labelled example a request is far from all of
them (out-of-scope questions score 0.1–0.34 in the embedding model, real ones 0.39+)."""


def out_of_scope(masked: str, scored: Scored) -> bool:
    """Nothing in the request (names already ruled out) is about the seller's network."""
    if scored.how == "rule":
        far = scored.intent == "person_profile"  # "who is the best player ever?"
    else:
        far = scored.score < FAR.get(scored.how, 0.0)
    return far and not in_scope(masked)
