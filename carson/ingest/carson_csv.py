"""Carson's own CSV/JSON for what no export has: ties and notes the user writes down.

CSV, one tie a row, header optional::

    John Jacobs, Harry Smith, college roommates, strong

or notes, with a header naming ``people`` and ``note`` (people separated by ``;``)::

    people,note,date
    Harry Smith; John Jacobs,Harry's daughter starts at Yale in the fall,2026-03-01

JSON: ``{"ties": [{"a", "b", "context", "strength", "since"}], "notes": [{"people", "text",
"at"}]}``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from carson.errors import ImportFormatError
from carson.ingest import _text
from carson.ingest.records import NoteRecord, Problem, Record, TieRecord
from carson.models import TieContext

_CONTEXT_WORDS = (
    ("roommate", TieContext.roommate),
    ("room mate", TieContext.roommate),
    ("flatmate", TieContext.roommate),
    ("family", TieContext.family),
    ("brother", TieContext.family),
    ("sister", TieContext.family),
    ("cousin", TieContext.family),
    ("spouse", TieContext.family),
    ("married", TieContext.family),
    ("classmate", TieContext.classmate),
    ("college", TieContext.classmate),
    ("school", TieContext.classmate),
    ("university", TieContext.classmate),
    ("mba", TieContext.classmate),
    ("friend", TieContext.friend),
    ("colleague", TieContext.colleague),
    ("coworker", TieContext.colleague),
    ("co-worker", TieContext.colleague),
    ("worked", TieContext.colleague),
    ("work", TieContext.colleague),
    ("teammate", TieContext.teammate),
    ("client", TieContext.client),
    ("customer", TieContext.client),
    ("met once", TieContext.met_once),
    ("met at", TieContext.met_once),
)
_STRENGTH = {"strong": 0.9, "close": 0.9, "medium": 0.6, "ok": 0.6, "weak": 0.3, "loose": 0.3}


def context_of(text: str) -> TieContext:
    low = text.lower()
    try:
        return TieContext(low.strip())
    except ValueError:
        pass
    for word, ctx in _CONTEXT_WORDS:
        if word in low:
            return ctx
    return TieContext.acquaintance


def strength_of(text: str) -> float | None:
    low = text.strip().lower()
    if not low:
        return None
    if low in _STRENGTH:
        return _STRENGTH[low]
    if "very strong" in low or "very close" in low:
        return 1.0
    for word, value in _STRENGTH.items():
        if word in low.split():
            return value
    try:
        value = float(low)
    except ValueError:
        return None
    return value if 0 <= value <= 1 else None


def _date(value: Any) -> date | None:
    if not value:
        return None
    return _text.parse_date(str(value)[:10])


def _tie(
    a: str,
    b: str,
    how: str,
    strength: str,
    since: Any,
    line: int | None,
    record: int | None,
    file: str,
) -> TieRecord | Problem:
    a, b, how = _text.clean(a), _text.clean(b), _text.clean(how)
    if not a or not b:
        return Problem(file, "a tie needs two names", line, record)
    s = strength_of(strength)
    if strength.strip() and s is None:
        return Problem(
            file,
            f'strength "{_text.clean(strength)}" is not strong/medium/weak or 0–1',
            line,
            record,
        )
    text = how or "known to each other"
    if strength.strip():
        text += f" ({_text.clean(strength)})"
    return TieRecord(a, b, context_of(how), text, s, _date(since), line, record)


def parse_csv(text: str, file: str) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    header: list[str] | None = None
    line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Problem(file, f"broken CSV quoting ({exc}); the rest was not read", line + 1)
            return
        row_line, line = line + 1, reader.line_num
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        low = [c.lower() for c in cells]
        if header is None and (
            ("note" in low or "text" in low)
            or low[:2]
            in (["a", "b"], ["person_a", "person_b"], ["person", "other"], ["from", "to"])
        ):
            header = low
            continue
        if header and ("note" in header or "text" in header):
            row = dict(zip(header, cells, strict=False))
            note = _text.clean_note(row.get("note") or row.get("text") or "")
            people = [
                _text.clean(p)
                for p in (row.get("people") or row.get("person") or "").split(";")
                if _text.clean(p)
            ]
            if not note or not people:
                yield Problem(file, "a note needs some text and at least one person", row_line)
                continue
            yield NoteRecord(note, people, _when(row.get("date") or row.get("at")), row_line)
            continue
        if len(cells) < 2:
            yield Problem(
                file, "expected: name, name, how they know each other, strength", row_line
            )
            continue
        cells += ["", "", ""]
        yield _tie(cells[0], cells[1], cells[2], cells[3], cells[4], row_line, None, file)


def _when(value: Any) -> datetime | None:
    d = _date(value)
    return datetime(d.year, d.month, d.day) if d else None


def parse_json(text: str, file: str) -> Iterator[Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{file}: not valid JSON (line {exc.lineno}: {exc.msg}).",
            "Fix the JSON, or export it again.",
        ) from exc
    if not isinstance(data, dict):
        raise ImportFormatError(f'{file}: expected an object with "ties" and/or "notes".')
    for i, t in enumerate(data.get("ties") or [], 1):
        if not isinstance(t, dict):
            yield Problem(file, "a tie must be an object", record=i)
            continue
        yield _tie(
            str(t.get("a") or ""),
            str(t.get("b") or ""),
            str(t.get("context") or ""),
            str(t.get("strength") or ""),
            t.get("since"),
            None,
            i,
            file,
        )
    for i, n in enumerate(data.get("notes") or [], 1):
        if not isinstance(n, dict) or not isinstance(n.get("people"), list):
            yield Problem(file, "a note must be an object with a people list", record=i)
            continue
        text = _text.clean_note(str(n.get("text") or ""))
        people = [_text.clean(p) for p in n["people"] if isinstance(p, str) and _text.clean(p)]
        if not text or not people:
            yield Problem(file, "a note needs some text and at least one person", record=i)
            continue
        yield NoteRecord(text, people, _when(n.get("at")), record=i)
