"""Import speed: a generated 20,000-row LinkedIn CSV and a 200,000-message mbox.

    .venv/bin/python tools/bench/import_bench.py [--rows 20000] [--messages 200000] [--runs 3]
        [--compare-with DIR]   # also time the Carson checkout in DIR (e.g. a git worktree)

What is timed. Every import runs in a fresh child process, as one ``carson import`` does,
so nothing is warm from an earlier run (caches, allocator). The headline figure is
parse + resolve + store: ``import_path`` from opening the file to the committed
transaction. Not in it, and printed beside it: the child's ``import carson.ingest``
(Python start-up plus module imports, paid once by every command before a byte is read),
and, for LinkedIn, the whole ``carson import FILE --json`` command end to end (start-up,
CLI, import, summary), which is what a user waits for.

Baselines, measured in the same run and interleaved with the candidate: for LinkedIn,
the same rows written one at a time through
``Store.add_person``/``add_tie`` with a fresh identifier lookup per row (no in-memory
index); for mail, the stdlib ``mailbox`` with a
store lookup per address (on a smaller file: it is slow). The mbox import is timed at two
file sizes with its peak RSS (peak memory must not grow with the file). Medians and the
slowest run are printed, with rates per CPU-second, and the load average at start and end
(the machine is shared).
Targets (2-core machine): >= 20,000 contacts/s; mbox headers >= 5,000 msgs/s, RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST = [
    "Harry",
    "Maria",
    "Dev",
    "Linh",
    "Omar",
    "Chloe",
    "Kenji",
    "Olga",
    "Sam",
    "Priya",
    "John",
    "Ana",
    "Lucas",
    "Mei",
    "Ravi",
    "Sara",
    "Tom",
    "Yuki",
    "Zoe",
    "Ivan",
]
LAST = [
    "Smith",
    "Lopez",
    "Patel",
    "Nguyen",
    "Haddad",
    "Martin",
    "Sato",
    "Petrova",
    "Kim",
    "Jacobs",
    "Rossi",
    "Chen",
    "Singh",
    "Berg",
    "Novak",
    "Silva",
    "Cohen",
    "Ito",
]
ORGS = [f"Company {i}" for i in range(800)] + ["Goldman Sachs", "Stripe", "Acme Corp"]


def make_linkedin(path: Path, rows: int) -> None:
    rng = random.Random(1)
    lines = [
        "Notes:",
        '"Some emails may be missing."',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    for i in range(rows):
        f, la = rng.choice(FIRST), rng.choice(LAST)
        email = f"{f}.{la}.{i}@example.com".lower() if i % 4 == 0 else ""
        lines.append(
            f"{f},{la},https://www.linkedin.com/in/{f}-{la}-{i},{email},"
            f'"{rng.choice(ORGS)}",Director,{rng.randint(1, 28):02d} Feb 2024'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_mbox(path: Path, messages: int) -> None:
    rng = random.Random(2)
    people = [f"user{i}@corp{i % 50}.example" for i in range(3000)]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(messages):
            sender = "me@seller.example" if i % 5 == 0 else rng.choice(people)
            to = rng.sample(people, rng.randint(1, 3))
            fh.write(
                f"From {sender} Mon Nov  3 09:00:00 2025\n"
                f"From: Person {i % 977} <{sender}>\nTo: {', '.join(to)}\n"
                f"Cc: me@seller.example\nSubject: Thread {i % 5000}\n"
                f"Date: Mon, 3 Nov 2025 {i % 24:02d}:{i % 60:02d}:00 +0000\n"
                f"Message-ID: <m{i}@bench.example>\n\n"
                "Hello,\nThis is the body of a generated message.\n"
                ">From a quoted line\nRegards\n\n"
            )


def _child_linkedin(csv_path: str) -> dict[str, float]:
    """One import into a fresh home; the caller runs this in a fresh process."""
    t0 = time.perf_counter()
    from carson.ingest import import_path
    from carson.store import Store

    startup = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as home, Store(Path(home)) as store:
        t, c = time.perf_counter(), time.process_time()
        report = import_path(store, Path(csv_path), index_notes=False)
        dt, dc = time.perf_counter() - t, time.process_time() - c
        assert report.created > 0
    return {"wall": dt, "cpu": dc, "startup": startup}


def _child_naive(csv_path: str) -> dict[str, float]:
    """Baseline: per-row lookups and writes through the store, no index or caching."""
    import csv as _csv

    from carson.models import Employment, Evidence, Organization, Person, Tie, TieContext
    from carson.store import Store

    with tempfile.TemporaryDirectory() as home, Store(Path(home)) as store:
        t, c = time.perf_counter(), time.process_time()
        with store.write():
            me = store.add_person(Person(name="Me", is_me=True))
            lines = Path(csv_path).read_text().splitlines()[3:]
            for row in _csv.DictReader(lines):
                url = row["URL"]
                p = store.person_by_identifier("url", url)
                if p is None:
                    p = store.add_person(
                        Person(
                            name=f"{row['First Name']} {row['Last Name']}",
                            urls=[url],
                            emails=[row["Email Address"]] if row["Email Address"] else [],
                        )
                    )
                org = store.organization_named(row["Company"]) or store.add_organization(
                    Organization(name=row["Company"])
                )
                assert me.id is not None and p.id is not None and org.id is not None
                store.add_employment(
                    Employment(person_id=p.id, org_id=org.id, title=row["Position"])
                )
                store.add_tie(
                    Tie(
                        a=me.id,
                        b=p.id,
                        context=TieContext.linkedin,
                        evidence=[Evidence(text="Connected on LinkedIn")],
                    )
                )
        return {"wall": time.perf_counter() - t, "cpu": time.process_time() - c}


def _child_naive_mbox(mbox_path: str, limit: int) -> dict[str, float]:
    """Baseline: the stdlib ``mailbox`` and one store lookup/insert per address and message."""
    import mailbox
    from email.utils import getaddresses, parsedate_to_datetime

    from carson.models import Channel, Direction, Interaction, Person
    from carson.store import Store

    with tempfile.TemporaryDirectory() as home, Store(Path(home)) as store:
        t, c = time.perf_counter(), time.process_time()
        with store.write():
            me = store.add_person(Person(name="Me", is_me=True, emails=["me@seller.example"]))
            for n, msg in enumerate(mailbox.mbox(mbox_path)):
                if n >= limit:
                    break
                ids = []
                for name, addr in getaddresses(msg.get_all("from", []) + msg.get_all("to", [])):
                    p = store.person_by_identifier("email", addr.lower())
                    if p is None:
                        p = store.add_person(Person(name=name or addr, emails=[addr]))
                    if p.id != me.id and p.id not in ids:
                        ids.append(p.id)
                store.add_interaction(
                    Interaction(
                        at=parsedate_to_datetime(msg["date"]).replace(tzinfo=None),
                        channel=Channel.email,
                        direction=Direction.inbound,
                        participants=[me.id, *ids],  # type: ignore[list-item]
                        subject=msg["subject"],
                        source="mbox",
                        source_id=msg["message-id"],
                    )
                )
        return {"wall": time.perf_counter() - t, "cpu": time.process_time() - c}


def _child_mbox(mbox_path: str) -> dict[str, float]:
    t0 = time.perf_counter()
    from carson.ingest import import_path
    from carson.store import Store

    startup = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as home, Store(Path(home)) as store:
        t, c = time.perf_counter(), time.process_time()
        report = import_path(
            store, Path(mbox_path), me_emails=["me@seller.example"], index_notes=False
        )
        dt, dc = time.perf_counter() - t, time.process_time() - c
        assert report.created > 0
    return {"wall": dt, "cpu": dc, "startup": startup}


def _child(kind: str, path: Path, code: str | None = None, *extra: str) -> dict[str, float]:
    """Run one ``_child_*`` in a fresh interpreter (on the Carson checkout ``code``)."""
    env = dict(os.environ)
    if code:
        env["PYTHONPATH"] = code
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path), *extra],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=code or None,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def _cli(path: Path, code: str | None = None) -> float:
    """Wall seconds of the whole ``carson import PATH --json`` command, into a fresh home."""
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, CARSON_HOME=home)
        if code:
            env["PYTHONPATH"] = code
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "carson", "import", str(path), "--json"],
            capture_output=True,
            check=True,
            env=env,
            cwd=code or None,
        )
        return time.perf_counter() - t


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _line(label: str, unit: str, n: int, runs: list[dict[str, float]], extra: str = "") -> None:
    rates = [n / r["wall"] for r in runs]
    cpu = [n / r["cpu"] for r in runs]
    print(
        f"  {label:<26} median {statistics.median(rates):>8,.0f} {unit}/s"
        f"  slowest {min(rates):>8,.0f}/s"
        f"  per CPU-second {statistics.median(cpu):>8,.0f}{extra}"
    )


def _startup(runs: list[dict[str, float]]) -> str:
    return f"  (+ start-up {statistics.median(r['startup'] for r in runs):.2f} s)"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--messages", type=int, default=200_000)
    ap.add_argument("--naive-messages", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--compare-with",
        metavar="DIR",
        help="another Carson checkout (e.g. `git worktree add /tmp/old HEAD~3`) timed alongside",
    )
    args = ap.parse_args()
    codes: list[tuple[str, str | None]] = [("carson import", None)]
    if args.compare_with:
        other = str(Path(args.compare_with).resolve())
        codes.append((f"carson import ({Path(other).name})", other))
    print(f"load average at start: {_load()} ({os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, mbox_path = Path(tmp) / "Connections.csv", Path(tmp) / "mail.mbox"
        make_linkedin(csv_path, args.rows)
        runs: dict[str, list[dict[str, float]]] = {}
        cli: dict[str, list[float]] = {}
        jobs: list[tuple[str, str, str | None]] = [
            *((label, "linkedin", code) for label, code in codes),
            ("naive baseline", "naive", None),
        ]
        for i in range(args.runs):  # interleaved, so all see the same load, and rotated:
            # the first process of a round ran measurably slower here, whichever it was
            for label, kind, code in jobs[i % len(jobs) :] + jobs[: i % len(jobs)]:
                runs.setdefault(label, []).append(_child(kind, csv_path, code))
            for label, code in codes:
                cli.setdefault(label, []).append(_cli(csv_path, code))
        print(f"LinkedIn CSV, {args.rows:,} rows, parse + resolve + store (fresh process each):")
        for label, _code in codes:
            _line(label, "contacts", args.rows, runs[label], _startup(runs[label]))
        _line("naive baseline", "contacts", args.rows, runs["naive baseline"])
        print("  the whole `carson import Connections.csv --json` command, end to end:")
        for label, _code in codes:
            walls = cli[label]
            print(
                f"  {label:<26} median {args.rows / statistics.median(walls):>8,.0f} contacts/s"
                f"  ({statistics.median(walls):.2f} s; slowest {max(walls):.2f} s)"
            )
        print(f"load average now: {_load()}")
        small = Path(tmp) / "small.mbox"
        make_mbox(small, args.naive_messages)
        make_mbox(mbox_path, args.messages)
        size_mb = mbox_path.stat().st_size / 1e6
        big: dict[str, list[dict[str, float]]] = {}
        little: dict[str, list[dict[str, float]]] = {}
        base: list[dict[str, float]] = []
        for _ in range(args.runs):
            for label, code in codes:
                big.setdefault(label, []).append(_child("mbox", mbox_path, code))
                little.setdefault(label, []).append(_child("mbox", small, code))
            base.append(_child("naive-mbox", small, None, str(args.naive_messages)))
        print(f"mbox, {args.messages:,} messages ({size_mb:,.0f} MB), headers only:")
        for label, _code in codes:
            rss = f"  peak RSS max {max(r['rss'] for r in big[label]):,.0f} MB"
            _line(label, "msgs", args.messages, big[label], rss + _startup(big[label]))
        print(f"mbox, {args.naive_messages:,} messages, headers only (the same generator):")
        for label, _code in codes:
            rss = f"  peak RSS max {max(r['rss'] for r in little[label]):,.0f} MB"
            _line(label, "msgs", args.naive_messages, little[label], rss)
        _line("naive baseline", "msgs", args.naive_messages, base)
    print(f"load average at end: {_load()}")


def _child_main(kind: str, path: str, *extra: str) -> None:
    if kind == "linkedin":
        result = _child_linkedin(path)
    elif kind == "naive":
        result = _child_naive(path)
    elif kind == "mbox":
        result = _child_mbox(path)
    else:
        result = _child_naive_mbox(path, int(extra[0]))
    result["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--child":
        _child_main(*sys.argv[2:])
    else:
        main()
