"""Which tool a request wants: rules, then nearest labelled examples.

Three layers, cheapest first:

1. rules: unambiguous wording ("phone script", "rehearse", "declined") decides at once;
2. nearest examples by character n-grams (robust to typos, microseconds);
3. nearest examples in the packaged sentence-embedding model (``carson.notes``), only
   when the n-gram neighbours disagree or are far: it understands paraphrases, but
   loading it costs most of a second, so confident requests never pay for it.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carson.agent.planner.examples import EXAMPLES

INTENTS = tuple(EXAMPLES)

# Highest priority first. Text is lower-cased, names replaced by PERSON / COMPANY.
RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(rx, re.IGNORECASE))
    for intent, rx in (
        (
            "log_note",
            r"^\s*(please\s+)?(note|remember|jot|log a note|add a note|make a note|take a note|"
            r"record (a note|that)|save a note|note down|write down that)\b|^\s*note\s*:"
            r"|\b(make|take|add|save|keep|log) (a |this as a )?note( of (that|this|it))?[\s.!]*$"
            r"|\b(add|put|save|write|log|keep)( this| that| it)? (in|into|to|on) (my |the )?notes\b"
            r"|^\s*(please\s+)?(save|log|store|file)( this| that)?\s*[:—–-]"
            r"|^\s*(please\s+)?save that\b|\b(jot|note|write) (this|that) down\b",
        ),
        (
            "rehearse",  # "rehearse it: … Priya made the intro" is a rehearsal, not an outcome
            r"^\s*((ok|so|right),?\s+)?(let'?s\s+|can we\s+|i want to\s+|i'?d like to\s+)?"
            r"(rehears\w*|practi[cs]\w*|role[ -]?play\w*|do a mock call|dry[ -]run)\b",
        ),
        (
            "log_outcome",
            r"\b(made the intro(duction)?|did the intro|intro(duction)? (was|got) made|"
            r"introduced (me|us)\b|connected us|declined|said no|turned (me|it|us) down|"
            r"passed on (it|making|doing|introducing|the intro)|refused|"
            r"won'?t (do|make) the intro|no (response|reply|answer)|"
            r"(never|hasn'?t|didn'?t|has not|did not) (replied|reply|respond(ed)?|answer(ed)?|"
            r"got(ten)? back)|never heard back|ghosted|went nowhere|"
            r"(meeting|call) (is |was |got )?(booked|scheduled|set up|confirmed)|"
            r"(booked|scheduled|landed|got) (a|the) (meeting|call)|on the calendar|"
            r"intro (made|happened|done))\b",
        ),
        (
            "rehearse",
            r"\b(rehears\w*|practi[cs]\w*|role[ -]?play\w*|mock call|dry[ -]run|"
            r"pretend (to be|you'?re)|play (the )?(connector|target|gatekeeper|assistant)|"
            r"run through the (call|conversation)|act as|play PERSON)\b",
        ),
        (
            "person_profile",  # the profile lists the last interactions
            r"\b((when|how long ago) (did|have|was) (i|we) (last )?(talk|talked|speak|spoke|"
            r"spoken|meet|met|see|saw|seen|email|emailed|hear|heard|chat|chatted|call|called)|"
            r"(the )?last time (i|we) (talked|spoke|met|saw|emailed|heard|chatted|called)|"
            r"when was (my|our|the) last (call|meeting|chat|conversation|email|touchpoint|"
            r"interaction))\b.*\bPERSON\b",
        ),
        (
            "draft_phone_script",
            r"\b(phone script|call script|script|talking points|talk(ing)? tracks?|"
            r"call (plan|prep|outline)|what (do|should|can) i say (when|on|if|to)|"
            r"what to say (when|on|if)|(when|before) i (call|ring|phone)|"
            r"prep me for (the|my) (phone )?call)\b",
        ),
        (
            "draft_intro_email",
            r"\b(draft|compose|e-?mail|write (up |out )?(a |an |the )?(note|message|email|"
            r"intro|request|ask|to)|write (it|him|her|them)|intro (email|request|ask)|"
            r"message PERSON)\b",
        ),
        (
            "help_first",
            r"\b(help first|help (out )?PERSON|(who|whom) (could|can|should) i (help|introduce)|"
            r"introductions? (that )?i (could|can) make|intros? i (could|can) make|"
            r"give (first|before)|do (someone|somebody) a favou?r|introduce to each other|"
            r"introduce each other|who should meet each other|be useful to)\b",
        ),
        (
            "reconnect_suggestions",
            r"\b(reconnect|re-connect|lost touch|lose touch|out of touch|catch up with|"
            r"check in with|touch base|going cold|gone (cold|quiet)|haven'?t (talked|spoken)|"
            r"not (talked|spoken) to .* (while|ages)|dormant|neglect(ing|ed)?|drift(ing|ed) apart|"
            r"(who|whom) (have|did) i (forget|forgotten|ignore|ignored)|overdue)\b",
        ),
        (
            "how_do_i_know",
            r"\b(how (do|did) (i|we) (know|meet)|"
            r"h[ow]{1,2} d[oi]?d? (i|we) (k?nn?ow?|knw|kow|meet|met)|"  # "hw do i kno"
            r"how (am i|are we) (connected|linked|related)|"
            r"(my|our) (connection|link|relationship) (to|with)|how i know|"
            r"am i connected to|why do i know)\b",
        ),
        (
            "search_notes",
            r"\b(notes?|mentioned|who (talked|spoke|complained)|what did PERSON (say|tell|"
            r"mention)|search (my|the)?|anything (on|about)|written down|what do (i|we) know "
            r"about PERSON'?s)\b",
        ),
        (
            "person_profile",
            r"^\s*(so\s+)?(who'?s|who is|whos|tell me (more )?about|background on|rundown on|"
            r"profile (of|for)|pull up|remind me who|what does PERSON do|where does PERSON "
            r"work|info on)\b|\bwho is PERSON\b",
        ),
        (
            "find_routes",
            r"\b(way (in|into)|ways? in\b|routes?|paths?|get (me )?(in|into|a meeting|"
            r"introduced|in front)|intro(duction)?s? (to|into|at)|warm intro|"
            r"(can|could) (get|introduce|connect)|reach|foot in the door|break into|"
            r"connect me|know anyone|anyone at|who do (i|we) know|in at|meet PERSON|"
            r"(can|could) (intro|introduce) me|connections? (in|into|at)|"
            r"access to|inroads?|door into)\b",
        ),
        ("smalltalk", r"^\s*(hi|hello|hey|thanks|thank you|help|what can you do)\b[\s!.?]*$"),
    )
)


def rule_intent(text: str) -> str | None:
    for intent, rx in RULES:
        if rx.search(text):
            return intent
    return None


def _grams(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for word in re.findall(r"[a-z0-9']+", text.lower()):
        w = f" {word} "
        for n in (3, 4):
            for i in range(len(w) - n + 1):
                out[w[i : i + n]] += 1
        out[f"w:{word}"] += 2
    return out


@dataclass
class Scored:
    intent: str
    score: float
    margin: float
    how: str


class NgramKNN:
    """Cosine similarity of character n-gram TF-IDF vectors to labelled examples."""

    def __init__(self, examples: dict[str, tuple[str, ...]]) -> None:
        self.rows: list[tuple[str, Counter[str]]] = [
            (intent, _grams(text)) for intent, texts in examples.items() for text in texts
        ]
        df: Counter[str] = Counter()
        for _, g in self.rows:
            df.update(g.keys())
        n = len(self.rows)
        self.idf = {k: math.log((n + 1) / (v + 1)) + 1 for k, v in df.items()}
        self.vecs = [(intent, self._weigh(g)) for intent, g in self.rows]

    def _weigh(self, g: Counter[str]) -> dict[str, float]:
        v = {k: c * self.idf.get(k, math.log(len(self.rows) + 1) + 1) for k, c in g.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {k: x / norm for k, x in v.items()}

    def scores(self, text: str) -> dict[str, float]:
        q = self._weigh(_grams(text))
        best: dict[str, float] = {}
        for intent, v in self.vecs:
            s = sum(w * v.get(k, 0.0) for k, w in q.items())
            if s > best.get(intent, -1.0):
                best[intent] = s
        return best


class EmbeddingKNN:
    """Nearest labelled examples in the packaged sentence-embedding model."""

    def __init__(self, examples: dict[str, tuple[str, ...]], cache_dir: Path | None) -> None:
        self.labels = [intent for intent, texts in examples.items() for _ in texts]
        self.texts = [t for texts in examples.values() for t in texts]
        self.cache_dir = cache_dir
        self._matrix: Any = None
        self._embedder: Any = None

    def _load(self) -> None:
        import numpy as np

        from carson.notes import get_embedder

        self._embedder = get_embedder()
        digest = hashlib.sha256("\n".join(self.texts).encode()).hexdigest()[:16]
        info = self._embedder.info()
        tag = re.sub(r"[^A-Za-z0-9_.-]", "_", str(getattr(info, "name", "model")))
        path = self.cache_dir / f"planner-intents-{tag}-{digest}.npy" if self.cache_dir else None
        if path is not None and path.exists():
            self._matrix = np.load(path)
            return
        self._matrix = np.asarray(self._embedder.embed(self.texts), dtype="float32")
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                np.save(path, self._matrix)
            except OSError:
                pass

    def scores(self, text: str) -> dict[str, float]:
        if self._matrix is None:
            self._load()
        q = self._embedder.embed_one(text)
        sims = self._matrix @ q
        best: dict[str, float] = {}
        for label, s in zip(self.labels, sims.tolist(), strict=True):
            if s > best.get(label, -1.0):
                best[label] = float(s)
        return best


def _top(scores: dict[str, float]) -> tuple[str, float, float]:
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    top, s1 = ranked[0]
    s2 = ranked[1][1] if len(ranked) > 1 else 0.0
    return top, s1, s1 - s2


class IntentClassifier:
    # n-gram neighbours decide alone above this similarity and margin
    NGRAM_SURE = 0.55
    NGRAM_MARGIN = 0.08

    def __init__(self, cache_dir: Path | None = None, *, use_embeddings: bool = True) -> None:
        self.ngrams = NgramKNN(EXAMPLES)
        self.embeddings = EmbeddingKNN(EXAMPLES, cache_dir) if use_embeddings else None

    def classify(self, text: str) -> Scored:
        """``text`` has names replaced by PERSON / COMPANY."""
        rule = rule_intent(text)
        if rule is not None:
            return Scored(rule, 1.0, 1.0, "rule")
        intent, score, margin = _top(self.ngrams.scores(text))
        if (score >= self.NGRAM_SURE and margin >= self.NGRAM_MARGIN) or self.embeddings is None:
            return Scored(intent, score, margin, "ngram")
        try:
            e_intent, e_score, e_margin = _top(self.embeddings.scores(text))
        except Exception:  # no model available: the n-gram answer stands
            return Scored(intent, score, margin, "ngram")
        return Scored(e_intent, e_score, e_margin, "embedding")
