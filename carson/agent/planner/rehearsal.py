"""What a message means to a running rehearsal: a line in character, the end, or an aside.

While a rehearsal runs, every message is the seller's next line to the persona, except:

- the end: ``/end`` (``/stop``, ``/done``, ``/feedback``, ``/quit``), "end the rehearsal",
  "stop rehearsing", "how did I do?", "give me my feedback" — Carson judges the call;
- an aside to Carson: a message starting with "Carson," (or ``/ask``) goes to the agent
  and the rehearsal carries on after it.

These are rules, not the intent classifier: a seller's line is free text ("Could you
introduce me to Harry?" reads like a request to Carson), so only wording no one says on a
real call leaves the character. With no rehearsal running, the end phrasings get a plain
"no rehearsal is running" instead of starting one ("stop rehearsing" says "rehearsing").
"""

from __future__ import annotations

import re

_ACTIVITY = (
    r"(rehearsal|rehearsing|practi[cs]e|practi[cs]ing|role[ -]?play(ing)?|mock call|dry[ -]run)"
)

END = re.compile(
    r"^\s*/(end|stop|done|feedback|finish|quit|exit)\b"
    r"|\b(end|stop|finish|wrap up|quit|exit|cancel|close|conclude)\s+"
    rf"(the\s+|this\s+|our\s+|my\s+)?(call\s+)?{_ACTIVITY}\b"
    rf"|\b(stop|quit|done|finished|enough|no more)\s+(with\s+(the\s+|this\s+)?)?{_ACTIVITY}\b"
    r"|\bhow(\s+did|['’]d)\s+i\s+(do|go)\b|^\s*(so,?\s+|ok,?\s+)?how was i[\s?!.]*$"
    r"|\b(give me|what['’]?s|what is|show me|can i (get|have))\s+(my\s+|the\s+|some\s+)?"
    r"(feedback|score)\b|\bfeedback,? please\b"
    r"|^\s*(end|stop|done)\s*[.!]*\s*$",
    re.IGNORECASE,
)
ASIDE = re.compile(r"^\s*(?:/ask\b|carson\s*[,:;—–-])\s*(?P<question>\S.*)$", re.I | re.S)

NO_REHEARSAL = "No rehearsal is running, so there is nothing to end."
START_HINT = (
    'Start one with "rehearse the call with John Jacobs" (or after routes, "let\'s rehearse '
    'the call").'
)


def is_end(text: str) -> bool:
    """True when ``text`` asks to finish the rehearsal (and hear the feedback)."""
    return bool(END.search(text))


def aside(text: str) -> str | None:
    """The question in "Carson, …" / "/ask …", meant for Carson rather than the persona."""
    m = ASIDE.match(text)
    return m.group("question").strip() if m else None


def no_rehearsal_reply(example_via: str | None = None) -> str:
    """The answer to an end phrase when nothing is being rehearsed."""
    hint = START_HINT
    if example_via:
        hint = f'Start one with "rehearse the call with {example_via}".'
    return f"{NO_REHEARSAL} {hint}"
