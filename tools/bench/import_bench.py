"""Import speed: a generated 20,000-row LinkedIn CSV and a 200,000-message mbox.

    .venv/bin/python tools/bench/import_bench.py [--rows 20000] [--messages 200000] [--runs 3]

Prints medians (and p95 over runs) for parse + resolve + store, next to a naive
baseline measured in the same run: the same rows written one at a time through
``Store.add_person``/``add_tie`` with a fresh identifier lookup per row (no
in-memory index). The mbox import runs in a child process so its peak RSS is its own.
Targets (2-core machine): >= 20,000 contacts/s; mbox headers >= 5,000 msgs/s, RSS < 300 MB.
"""

from __future__ import annotations

import argparse
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


def _run_linkedin(csv_path: Path) -> float:
    from carson.ingest import import_path
    from carson.store import Store

    with tempfile.TemporaryDirectory() as home, Store(Path(home)) as store:
        t = time.perf_counter()
        report = import_path(store, csv_path, index_notes=False)
        dt = time.perf_counter() - t
        assert report.created > 0
    return dt


def _run_naive(csv_path: Path) -> float:
    """Baseline: per-row lookups and writes through the store, no index or caching."""
    import csv as _csv

    from carson.models import Employment, Evidence, Organization, Person, Tie, TieContext
    from carson.store import Store

    with tempfile.TemporaryDirectory() as home, Store(Path(home)) as store:
        t = time.perf_counter()
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
        return time.perf_counter() - t


def _child_mbox(mbox_path: str) -> None:
    from carson.ingest import import_path
    from carson.store import Store

    with tempfile.TemporaryDirectory() as home, Store(Path(home)) as store:
        t = time.perf_counter()
        report = import_path(
            store, Path(mbox_path), me_emails=["me@seller.example"], index_notes=False
        )
        dt = time.perf_counter() - t
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{dt} {rss_mb} {report.created}")


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--messages", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, mbox_path = Path(tmp) / "Connections.csv", Path(tmp) / "mail.mbox"
        make_linkedin(csv_path, args.rows)
        fast = [args.rows / _run_linkedin(csv_path) for _ in range(args.runs)]
        naive = [args.rows / _run_naive(csv_path) for _ in range(args.runs)]
        print(f"LinkedIn CSV, {args.rows:,} rows (parse + resolve + store):")
        print(
            f"  carson import   median {statistics.median(fast):>9,.0f} contacts/s"
            f"   p95-slowest {_pct(fast, 0.05):>9,.0f}/s"
        )
        print(
            f"  naive baseline  median {statistics.median(naive):>9,.0f} contacts/s"
            f"   p95-slowest {_pct(naive, 0.05):>9,.0f}/s"
        )
        make_mbox(mbox_path, args.messages)
        size_mb = mbox_path.stat().st_size / 1e6
        rates, peaks = [], []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, __file__, "--child-mbox", str(mbox_path)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            rates.append(args.messages / float(out[0]))
            peaks.append(float(out[1]))
        print(f"mbox, {args.messages:,} messages ({size_mb:,.0f} MB), headers only:")
        print(
            f"  carson import   median {statistics.median(rates):>9,.0f} msgs/s"
            f"   p95-slowest {_pct(rates, 0.05):>9,.0f}/s"
            f"   peak RSS max {max(peaks):,.0f} MB"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child-mbox":
        _child_mbox(sys.argv[2])
    else:
        main()
