"""Robustness of import: damaged files, damaged rows, and imports killed mid-way.

1. **200 damaged files**: valid fixtures of every format (LinkedIn, Google old and new,
   vCard, calendar, mailbox, Carson CSV) mutated deterministically — truncated, lines
   dropped or doubled, junk and NUL bytes and broken UTF-8 spliced in, quotes and
   delimiters broken, emptied. Each is imported (format detected from content) into a
   fresh home; only Carson's ``ImportFormatError`` or a report may come back.
2. **damaged rows**: a LinkedIn and a Carson CSV file with 20 good rows and 5 bad
   rows at known lines; every bad line is reported and every good row is stored.
3. **20 SIGKILLs**: ``carson import`` of a 2,000-card vCard with 120 notes runs in a
   subprocess and is killed with SIGKILL after a random delay; then ``PRAGMA
   integrity_check`` must say ok, re-running the import (in this process) must leave no
   duplicate people, and the rebuilt notes index (what ``carson reindex`` does) must give
   the same top-5 notes for five queries as a home that imported the file without a kill.
4. **8 stops mid-write**: ``carson import`` of a 20,000-row LinkedIn CSV (big enough
   to be written in several batches of one transaction) gets a
   Ctrl-C (SIGINT) or a SIGKILL, alternately, after a random delay; the store must pass
   ``integrity_check`` and hold all of the file or none of it.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from carson.errors import ImportFormatError
from carson.store import Store
from evals._core import EvalContext, Metric, SuiteResult, Timer, carson_home, rate

NAME = "import_robustness"
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "data" / "ingest"
SEEDS = [
    "linkedin_connections.csv",
    "linkedin_messages.csv",
    "google_new.csv",
    "google_old.csv",
    "contacts.vcf",
    "meetings.ics",
    "mail.mbox",
    "ties.csv",
]
FILES, FAST_FILES = 200, 40
KILLS, FAST_KILLS = 20, 1
STOPS, FAST_STOPS = 8, 1
QUERIES = ["payroll vendor switch", "marathon training", "new baby", "budget for next year", "golf"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One random, realistic kind of damage."""
    lines = data.split(b"\n")
    kind = rng.randrange(10)
    if kind == 0:
        return data[: rng.randrange(len(data) + 1)]
    if kind == 1 and len(lines) > 1:
        del lines[rng.randrange(len(lines))]
        return b"\n".join(lines)
    if kind == 2:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
        return b"\n".join(lines)
    if kind == 3:
        i = rng.randrange(len(data) + 1)
        return data[:i] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 40))) + data[i:]
    if kind == 4:
        i = rng.randrange(len(data) + 1)
        return data[:i] + rng.choice([b"\x00", b"\xff\xfe", b"\xc3", b"\xe2\x82"]) + data[i:]
    if kind == 5:
        return data.replace(b",", b";", rng.randint(1, 20))
    if kind == 6:
        i = rng.randrange(len(data) + 1)
        return data[:i] + b'"' + data[i:]
    if kind == 7:
        return rng.choice([b"", b"\n", lines[0], b"\xef\xbb\xbf"])
    if kind == 8:
        i = rng.randrange(len(data) + 1)
        return data[:i] + b"x" * rng.randint(10_000, 200_000) + data[i:]
    out = bytearray(data)
    for _ in range(rng.randint(1, 30)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _damaged_files(ctx: EvalContext, res: SuiteResult, n: int) -> tuple[int, int, int]:
    from carson.ingest import import_path

    rng = random.Random(10)
    folder = ctx.workdir / "damaged"
    folder.mkdir(parents=True, exist_ok=True)
    uncaught = refused = imported = 0
    for i in range(n):
        seed = SEEDS[i % len(SEEDS)]
        path = folder / f"{i:03d}-{seed}"
        path.write_bytes(mutate((FIXTURES / seed).read_bytes(), rng))
        home = ctx.home(f"damaged-{i % 4}")
        with carson_home(home), Store(home) as store:
            try:
                import_path(store, path, index_notes=False)
                imported += 1
            except ImportFormatError:
                refused += 1
            except Exception as exc:
                uncaught += 1
                res.failures.append(f"{path.name}: uncaught {type(exc).__name__}: {exc}"[:300])
    return uncaught, refused, imported


def _row_files() -> dict[str, tuple[str, list[int], int]]:
    """name → (text, bad line numbers, good rows) for files with planted bad rows."""
    out: dict[str, tuple[str, list[int], int]] = {}
    good = [(f"Good{i}", f"Person{i}") for i in range(20)]
    bad_at = [3, 8, 13, 18, 23]  # positions among the 25 data rows

    def build(header: list[str], good_row, bad_row, pre: list[str]) -> tuple[str, list[int], int]:  # type: ignore[no-untyped-def]
        lines, bad_lines = [*pre, ",".join(header)], []
        g = iter(good)
        for k in range(25):
            if k in bad_at:
                lines.append(bad_row(k))
                bad_lines.append(len(lines))
            else:
                lines.append(good_row(*next(g)))
        return "\n".join(lines) + "\n", bad_lines, 20

    out["Connections.csv"] = build(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
        lambda f, last: f"{f},{last},https://www.linkedin.com/in/{f}-{last},,Acme,VP,08 Feb 2026",
        lambda k: ",,,,,,08 Feb 2026",
        ["Notes:", '"When exporting your connection data..."', ""],
    )
    out["ties.csv"] = build(
        ["a", "b", "how", "strength"],
        lambda f, last: f"Me,{f} {last},friend,strong",
        lambda k: f"Lonely{k}",
        [],
    )
    return out


def _damaged_rows(ctx: EvalContext, res: SuiteResult) -> tuple[int, int]:
    from carson.ingest import import_path

    files_ok = 0
    folder = ctx.workdir / "rows"
    folder.mkdir(parents=True, exist_ok=True)
    cases = _row_files()
    for name, (text, bad_lines, n_good) in cases.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        home = ctx.home(f"rows-{name}")
        with carson_home(home), Store(home) as store:
            report = import_path(store, path, index_notes=False)
            reported = sorted(p.line for p in report.problems if p.line is not None)
            kept = len([p for p in store.people() if p.name.startswith("Good")])
        if reported == bad_lines and kept == n_good:
            files_ok += 1
        else:
            res.failures.append(
                f"{name}: bad lines {bad_lines}, reported {reported}; kept {kept} of {n_good} good"
            )
    return files_ok, len(cases)


def _vcard(path: Path) -> None:
    rng = random.Random(3)
    topics = [
        "is switching payroll vendors next quarter",
        "is training for the Boston marathon",
        "just had a new baby",
        "is setting the budget for next year",
        "plays golf most weekends",
        "wants a demo of our reporting",
    ]
    cards = []
    for i in range(2000):
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:Card Person{i}", f"N:Person{i};Card;;;"]
        lines.append(f"EMAIL:card{i}@example.com")
        lines.append(f"ORG:Company {i % 150}")
        if i % 17 == 0:
            lines.append(f"NOTE:Card Person{i} {rng.choice(topics)} (note {i}).")
        lines.append("END:VCARD")
        cards.append("\n".join(lines))
    path.write_text("\n".join(cards) + "\n", encoding="utf-8")


def _import_cmd(path: Path) -> list[str]:
    return [sys.executable, "-m", "carson", "import", str(path), "--json", "--name", "Eval Me"]


def _top5(home: Path) -> list[list[str]]:
    from carson.notes import reindex, search_notes

    with carson_home(home), Store(home) as store:
        reindex(store)
        return [[h.text for h in search_notes(store, q, k=5)] for q in QUERIES]


def _interrupt(path: Path, home: Path, how: signal.Signals, delay: float) -> tuple[bool, bool]:
    """``carson import path`` into ``home``, sent ``how`` after ``delay`` seconds if still
    running: (it was still running, it ended within 60 s after)."""
    env = {**os.environ, "CARSON_HOME": str(home)}
    proc = subprocess.Popen(
        _import_cmd(path), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(delay)
    running = proc.poll() is None
    if running:
        proc.send_signal(how)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return running, False
    return running, True


def _kills(ctx: EvalContext, res: SuiteResult, n: int) -> dict[str, int]:
    from carson.ingest import import_path

    path = ctx.workdir / "big.vcf"
    _vcard(path)
    ref_home = ctx.home("kill-reference")
    env = {**os.environ, "CARSON_HOME": str(ref_home)}
    subprocess.run(_import_cmd(path), env=env, check=True, capture_output=True, timeout=300)
    reference = _top5(ref_home)
    rng = random.Random(5)
    counts: Counter[str] = Counter()
    for i in range(n):
        home = ctx.home(f"kill-{i}")
        delay = rng.uniform(0.3, 3.0)
        killed, _ = _interrupt(path, home, signal.SIGKILL, delay)
        counts["killed mid-way"] += killed
        with Store(home) as store:
            ok = store.integrity_check() == "ok"
        counts["integrity ok"] += ok
        error = ""
        with carson_home(home), Store(home) as store:
            try:
                import_path(store, path, me_name="Eval Me")
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
            names = Counter(p.name for p in store.people())
        dupes = sum(c - 1 for c in names.values() if c > 1)
        counts["no duplicates"] += not error and dupes == 0
        same = _top5(home) == reference
        counts["same top-5"] += same
        if not (ok and dupes == 0 and same and not error):
            res.failures.append(
                f"kill {i} after {delay:.2f} s: integrity {'ok' if ok else 'BAD'}, {dupes} "
                f"duplicates, re-import {error[:200] or 'ok'}, "
                f"top-5 {'same' if same else 'DIFFERENT'}"
            )
    return dict(counts)


def _connections(path: Path, rows: int) -> None:
    lines = ["Notes:", '"When exporting your connection data..."', ""]
    lines.append("First Name,Last Name,URL,Email Address,Company,Position,Connected On")
    for i in range(rows):
        mail = f"stop{i}@example.com" if i % 4 == 0 else ""
        lines.append(
            f"Stop{i % 97},Person{i},https://www.linkedin.com/in/stop-{i},{mail},"
            f"Company {i % 300},Director,{1 + i % 28:02d} Feb 2024"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _stops(ctx: EvalContext, res: SuiteResult, n: int) -> dict[str, int]:
    """Ctrl-C or SIGKILL while a file's batches are being written."""
    rows = 20_000
    path = ctx.workdir / "Connections.csv"
    _connections(path, rows)
    rng = random.Random(6)
    counts: Counter[str] = Counter()
    for i in range(n):
        how = signal.SIGINT if i % 2 == 0 else signal.SIGKILL
        delay = rng.uniform(0.5, 2.5)
        home = ctx.home(f"stop-{i}")
        stopped, ended = _interrupt(path, home, how, delay)
        if not ended:
            res.failures.append(f"stop {i}: the import did not end within 60 s of {how.name}")
            continue
        counts["stopped mid-way"] += stopped
        with Store(home) as store:
            ok = store.integrity_check() == "ok"
            people = store.counts().people
        whole = people in (0, rows + 1)  # nothing, or every row and the user
        counts["all or nothing"] += ok and whole
        if not (ok and whole):
            res.failures.append(
                f"stop {i} ({how.name} after {delay:.2f} s): integrity {'ok' if ok else 'BAD'},"
                f" {people} people (expected 0 or {rows + 1})"
            )
    return dict(counts)


def run(ctx: EvalContext) -> SuiteResult:
    timer = Timer()
    try:
        import carson.ingest  # noqa: F401
    except ImportError as exc:
        return SuiteResult.unavailable(NAME, f"the importers have not landed ({exc.name})")
    res = SuiteResult(NAME)
    n_files = FAST_FILES if ctx.fast else FILES
    n_kills = FAST_KILLS if ctx.fast else KILLS
    uncaught, refused, imported = _damaged_files(ctx, res, n_files)
    rows_ok, rows_total = _damaged_rows(ctx, res)
    kills = _kills(ctx, res, n_kills)
    n_stops = FAST_STOPS if ctx.fast else STOPS
    stops = _stops(ctx, res, n_stops)
    res.metrics = [
        Metric("uncaught exceptions", float(uncaught), "==", 0,
               note=f"{n_files} damaged files: {imported} imported, {refused} refused"),
        Metric("bad rows reported, good rows kept", rate(rows_ok, rows_total), "==", 1.0, "%",
               note=f"{rows_total} files"),
        Metric("integrity ok after SIGKILL", float(kills.get("integrity ok", 0)), "==",
               float(n_kills), note=f"{kills.get('killed mid-way', 0)} of {n_kills} killed"),
        Metric("no duplicates after re-import", float(kills.get("no duplicates", 0)), "==",
               float(n_kills)),
        Metric("same top-5 after reindex", float(kills.get("same top-5", 0)), "==",
               float(n_kills)),
        Metric("all or nothing after Ctrl-C/SIGKILL mid-write",
               float(stops.get("all or nothing", 0)), "==", float(n_stops),
               note=f"{stops.get('stopped mid-way', 0)} of {n_stops} stopped"),
    ]  # fmt: skip
    res.seconds = timer.seconds
    return res
