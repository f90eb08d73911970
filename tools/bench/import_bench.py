"""Import speed: a generated 20,000-row LinkedIn CSV and a 200,000-message mbox.

    .venv/bin/python tools/bench/import_bench.py [--rows 20000] [--messages 200000] [--runs 3]

Prints medians (and the slowest run) for parse + resolve + store, next to a naive
baseline measured in the same run, interleaved: the same rows written one at a time
through ``Store.add_person``/``add_tie`` with a fresh identifier lookup per row (no
in-memory index); for mail, the stdlib ``mailbox`` with a store lookup per address
(on a smaller file: it is slow). The mbox import runs in a child process so its
peak RSS is its own, at two file sizes (peak memory must not grow with the file).
The machine is shared: the load average is printed, and rates per CPU-second too.
Targets (2-core machine): >= 20,000 contacts/s; mbox headers >= 5,000 msgs/s, RSS < 300 MB.
"""

from __future__ import annotations

import argparse
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


def _run_linkedin(csv_path: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one import into a fresh home."""
    from carson.ingest import import_path
    from carson.store import Store

    with tempfile.TemporaryDirectory() as home, Store(Path(home)) as store:
        t, c = time.perf_counter(), time.process_time()
        report = import_path(store, csv_path, index_notes=False)
        dt, dc = time.perf_counter() - t, time.process_time() - c
        assert report.created > 0
    return dt, dc


def _run_naive(csv_path: Path) -> float:
    """Baseline: per-row lookups and writes through the store, no index or caching."""
    import csv as _csv

    from carson.models import Employment, Evidence, Organization, Person, Tie, TieContext
    from carson.store import Store

    with tempfile.TemporaryDirectory() as home, Store(Path(home)) as store:
        t, c = time.perf_counter(), time.process_time()
        with store.write():
            me = store.add_person(Person(name="Me", is_me=True))
            lines = csv_path.read_text().splitlines()[3:]
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
                store.add_employment(
                    Employment(
                        person_id=p.id,
                        org_id=org.id,  # type: ignore[arg-type]
                        title=row["Position"],
                    )
                )
                store.add_tie(
                    Tie(
                        a=me.id,
                        b=p.id,
                        context=TieContext.linkedin,  # type: ignore[arg-type]
                        evidence=[Evidence(text="Connected on LinkedIn")],
                    )
                )
        return time.perf_counter() - t, time.process_time() - c


def _run_naive_mbox(mbox_path: Path, limit: int) -> tuple[float, float]:
    """Baseline: the stdlib ``mailbox`` and one store lookup/insert per address and message."""
    import mailbox
    from email.utils import getaddresses, parsedate_to_datetime

    from carson.models import Channel, Direction, Interaction, Person
    from carson.store import Store

    with tempfile.TemporaryDirectory() as home, Store(Path(home)) as store:
        t, c = time.perf_counter(), time.process_time()
        with store.write():
            me = store.add_person(Person(name="Me", is_me=True, emails=["me@seller.example"]))
            for n, msg in enumerate(mailbox.mbox(str(mbox_path))):
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
        return time.perf_counter() - t, time.process_time() - c


def _child_mbox(mbox_path: str) -> None:
    from carson.ingest import import_path
    from carson.store import Store

    with tempfile.TemporaryDirectory() as home, Store(Path(home)) as store:
        t, c = time.perf_counter(), time.process_time()
        report = import_path(
            store, Path(mbox_path), me_emails=["me@seller.example"], index_notes=False
        )
        dt, dc = time.perf_counter() - t, time.process_time() - c
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{dt} {dc} {rss_mb} {report.created}")


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _line(label: str, unit: str, rates: list[float], cpu: list[float], extra: str = "") -> None:
    print(
        f"  {label:<22} median {statistics.median(rates):>8,.0f} {unit}/s"
        f"  p95-slowest {_pct(rates, 0.05):>8,.0f}/s"
        f"  per CPU-second {statistics.median(cpu):>8,.0f}{extra}"
    )


def _mbox_child(mbox_path: Path, n: int) -> tuple[float, float, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child-mbox", str(mbox_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return n / float(out[0]), n / float(out[1]), float(out[2])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--messages", type=int, default=200_000)
    ap.add_argument("--naive-messages", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
          f" ({os.cpu_count()} CPUs)")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, mbox_path = Path(tmp) / "Connections.csv", Path(tmp) / "mail.mbox"
        make_linkedin(csv_path, args.rows)
        fast, naive = [], []
        for _ in range(args.runs):  # interleaved, so both see the same load
            fast.append(_run_linkedin(csv_path))
            naive.append(_run_naive(csv_path))
        print(f"LinkedIn CSV, {args.rows:,} rows (parse + resolve + store):")
        for label, runs in (("carson import", fast), ("naive baseline", naive)):
            _line(label, "contacts", [args.rows / w for w, _ in runs],
                  [args.rows / c for _, c in runs])  # fmt: skip
        small = Path(tmp) / "small.mbox"
        make_mbox(small, args.naive_messages)
        make_mbox(mbox_path, args.messages)
        size_mb = mbox_path.stat().st_size / 1e6
        big, base, little = [], [], []
        for _ in range(args.runs):
            big.append(_mbox_child(mbox_path, args.messages))
            little.append(_mbox_child(small, args.naive_messages))
            w, c = _run_naive_mbox(small, args.naive_messages)
            base.append((args.naive_messages / w, args.naive_messages / c))
        print(f"mbox, {args.messages:,} messages ({size_mb:,.0f} MB), headers only:")
        _line("carson import", "msgs", [r[0] for r in big], [r[1] for r in big],
              f"  peak RSS max {max(r[2] for r in big):,.0f} MB")  # fmt: skip
        print(f"mbox, {args.naive_messages:,} messages, headers only (the same generator):")
        _line("carson import", "msgs", [r[0] for r in little], [r[1] for r in little],
              f"  peak RSS max {max(r[2] for r in little):,.0f} MB")  # fmt: skip
        _line("naive baseline", "msgs", [r[0] for r in base], [r[1] for r in base])
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child-mbox":
        _child_mbox(sys.argv[2])
    else:
        main()
