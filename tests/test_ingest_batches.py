"""Batched writes: the same store whatever the batch size, and nothing half-written."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path

import pytest

from carson.ingest import _mail, apply, export, import_path
from carson.store import Store

ME = ["me@seller.example"]
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def _linkedin(path: Path) -> Path:
    rows = []
    for i in range(40):
        rows.append(
            f"P{i % 13},Q{i % 7},{f'https://www.linkedin.com/in/p-{i}' if i % 2 else ''},"
            f"{f'p{i}@x.example' if i % 3 == 0 else ''},Org {i % 5},Title {i % 4},"
            f"{1 + i % 27:02d} Feb 2024\n"
        )
    path.write_text("Notes:\n\n" + HEADER + "".join(rows), encoding="utf-8")
    return path


def _mbox(path: Path) -> Path:
    out = []
    for i in range(30):
        mid = i % 11  # the same Message-ID again, in a later batch
        out.append(
            f"From x@y Mon Nov  3 09:00:00 2025\nFrom: Person {i % 4} <u{i % 4}@corp.example>\n"
            f"To: u{(i + 1) % 6}@corp.example, me@seller.example\n"
            f"Cc: Other {i % 3} <o{i % 3}@corp.example>\nSubject: S{i % 5}\n"
            f"Date: Mon, 3 Nov 2025 {i % 24:02d}:00:00 +0000\nMessage-ID: <{mid}@t>\n\nb\n\n"
        )
    path.write_text("".join(out), encoding="utf-8")
    return path


def _snapshot(store: Store) -> dict[str, object]:
    data = export.dump(store)
    data.pop("exported_at")
    return data


def _run(home: Path, files: list[Path]) -> tuple[dict[str, object], list[dict[str, object]]]:
    with Store(home) as store:
        reports = [import_path(store, f, me_emails=ME, index_notes=False).as_dict() for f in files]
        return _snapshot(store), reports


def test_small_batches_give_the_same_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = [_linkedin(tmp_path / "c.csv"), _mbox(tmp_path / "m.mbox")]
    files += files  # and a re-import of both
    expected = _run(tmp_path / "big", files)
    monkeypatch.setattr(apply, "_BATCH", 3)
    monkeypatch.setattr(_mail, "_MAIL_BATCH", 2)
    assert _run(tmp_path / "small", files) == expected
    _, reports = expected
    assert reports[1]["created"] == 11 and reports[1]["unchanged"] == 19  # 11 distinct ids
    assert all(r["created"] == r["updated"] == r["merged"] == 0 for r in reports[2:])


def test_a_person_twice_in_one_file_is_one_person(store: Store, tmp_path: Path) -> None:
    """The last row wins, the earlier one is reported, and a re-import changes nothing."""
    path = tmp_path / "c.csv"
    path.write_text(
        "Notes:\n\n"
        + HEADER
        + "Ana,Silva,https://www.linkedin.com/in/ana,ana@acme.example,Acme,CTO,"
        "01 Feb 2024\nBo,Li,https://www.linkedin.com/in/bo,,Beta,Eng,01 Feb 2024\n"
        "Ana,Silva,https://www.linkedin.com/in/ana,,Acme,CEO,03 Feb 2024\n",
        encoding="utf-8",
    )
    report = import_path(store, path, index_notes=False)
    [ana] = store.people_named("Ana Silva")
    assert ana.emails == ["ana@acme.example"]  # only the earlier row had it
    [job] = store.employments(person_id=ana.id)
    assert job.title == "CEO" and job.current
    [tie] = [t for t in store.ties(person_id=ana.id) if not t.owner_id or t.b == ana.id]
    assert [e.text for e in tie.evidence] == ["Connected on LinkedIn on 03 Feb 2024"]
    assert (report.created, report.updated, report.merged, report.skipped) == (2, 0, 0, 1)
    [dup] = report.problems
    assert dup.line == 4 and "line 6" in dup.reason and "profile URL" in dup.reason
    before = _snapshot(store)
    for _ in range(2):
        again = import_path(store, path, index_notes=False)
        assert (again.created, again.updated, again.merged) == (0, 0, 0)
        assert again.unchanged == 2 and [p.line for p in again.problems] == [4]
        assert _snapshot(store) == before


def test_a_person_twice_at_two_companies_moves_once(store: Store, tmp_path: Path) -> None:
    """Two companies for one profile in one file: the later row is where they work."""
    path = tmp_path / "c.csv"
    path.write_text(
        "Notes:\n\n" + HEADER + "Ana,Silva,https://www.linkedin.com/in/ana,,Beta,VP,01 Feb 2024\n"
        "Ana,Silva,https://www.linkedin.com/in/ana,,Acme,CEO,01 Feb 2024\n",
        encoding="utf-8",
    )
    first = import_path(store, path, index_notes=False)
    [ana] = store.people_named("Ana Silva")
    [job] = store.employments(person_id=ana.id)
    assert (job.title, job.current) == ("CEO", True)
    assert store.get_organization(job.org_id).name == "Acme"  # type: ignore[union-attr]
    assert (first.created, first.updated, first.skipped) == (1, 0, 1)
    before = _snapshot(store)
    again = import_path(store, path, index_notes=False)
    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert _snapshot(store) == before


def test_the_same_name_at_the_same_company_without_profiles_is_folded(
    store: Store, tmp_path: Path
) -> None:
    """Rows the importer would match by name + company fold too; differing profiles don't."""
    path = tmp_path / "c.csv"
    path.write_text(
        "Notes:\n\n" + HEADER + "Ana,Silva,,,Acme,CTO,01 Feb 2024\n"
        "Ana,Silva,,,Acme,CEO,01 Feb 2024\n"
        "Priya,Shah,https://www.linkedin.com/in/p1,,Acme,PM,01 Feb 2024\n"
        "Priya,Shah,https://www.linkedin.com/in/p2,,Acme,QA,01 Feb 2024\n",
        encoding="utf-8",
    )
    first = import_path(store, path, index_notes=False)
    assert (first.created, first.skipped) == (3, 1)
    assert "same name and company" in first.problems[0].reason
    [ana] = store.people_named("Ana Silva")
    assert [j.title for j in store.employments(person_id=ana.id)] == ["CEO"]
    assert len(store.people_named("Priya Shah")) == 2
    again = import_path(store, path, index_notes=False)
    assert (again.created, again.updated, again.merged) == (0, 0, 0)


def test_an_import_stopped_half_way_leaves_the_store_as_it_was(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows go out in batches, but all inside the file's one transaction (Ctrl-C, a crash)."""
    import_path(store, _linkedin(tmp_path / "c.csv"), index_notes=False)
    before, people = asdict(store.counts()), store.people()
    big = tmp_path / "big.csv"
    rows = "".join(f"N{i},M{i},https://www.linkedin.com/in/n-{i},,Org {i % 9},T,01 Feb 2024\n"
                   for i in range(1200))  # fmt: skip
    big.write_text("Notes:\n\n" + HEADER + rows, encoding="utf-8")
    monkeypatch.setattr(apply, "_BATCH", 100)  # several batches are written before the stop

    def stop(done: int, total: int) -> None:
        if done > 600:
            assert store.db.execute("SELECT count(*) FROM people").fetchone()[0] > 500
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_path(store, big, index_notes=False, progress=stop)
    assert asdict(store.counts()) == before
    assert store.people() == people


def test_an_import_gets_a_larger_page_cache_and_gives_it_back(store: Store, tmp_path: Path) -> None:
    """A big import's pages stay in memory until the commit; afterwards the default is back."""
    before = store.db.execute("PRAGMA cache_size").fetchone()[0]
    during: list[int] = []

    def watch(done: int, total: int) -> None:
        during.append(store.db.execute("PRAGMA cache_size").fetchone()[0])

    big = tmp_path / "big.csv"
    rows = "".join(f"N{i},M{i},,,Org {i % 9},T,01 Feb 2024\n" for i in range(1200))
    big.write_text("Notes:\n\n" + HEADER + rows, encoding="utf-8")
    import_path(store, big, index_notes=False, progress=watch)
    assert during and all(size == -64 * 1024 for size in during)
    assert store.db.execute("PRAGMA cache_size").fetchone()[0] == before
    with pytest.raises(KeyboardInterrupt), store.large_cache(8):
        raise KeyboardInterrupt  # an interrupted import gives it back too
    assert store.db.execute("PRAGMA cache_size").fetchone()[0] == before


def test_a_card_twice_in_one_vcard_file_is_folded(store: Store, tmp_path: Path) -> None:
    """Phones export one contact as two cards (the same email, the company on one of them)."""
    path = tmp_path / "contacts.vcf"
    card = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:{fn}\r\nEMAIL:ann@example.org\r\n{extra}END:VCARD\r\n"
    path.write_text(
        card.format(fn="Ann Lee", extra="ORG:Acme\r\nTITLE:CFO\r\n")
        + card.format(fn="Ann Lee", extra="ORG:Beta\r\nTITLE:CEO\r\nTEL:+1 415 555 0100\r\n")
        + card.format(fn="ann@example.org", extra=""),
        encoding="utf-8",
    )
    first = import_path(store, path, index_notes=False)
    assert (first.created, first.skipped) == (1, 2)
    assert all("same email" in p.reason for p in first.problems)
    [ann] = store.people_named("Ann Lee")
    assert ann.phones == ["+14155550100"]
    [job] = store.employments(person_id=ann.id)
    assert (store.get_organization(job.org_id).name, job.title) == ("Beta", "CEO")  # type: ignore[union-attr]
    before = _snapshot(store)
    again = import_path(store, path, index_notes=False)
    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert _snapshot(store) == before


def _sql(store: Store) -> list[str]:
    """Every row of the store as SQL, without the clock (migrations, last import, note times)."""
    return [
        re.sub(r"'\d{4}-\d\d-\d\dT[\d:]+'", "'(now)'", line)
        for line in store.db.iterdump()
        if not line.startswith(('INSERT INTO "meta"', 'INSERT INTO "_migrations"'))
    ]


def _files(tmp: Path) -> list[Path]:
    """A LinkedIn export, a newer one (moves, new titles, new people), and an address book."""
    old, new = [], []
    for i in range(240):
        url = f"https://www.linkedin.com/in/p-{i}" if i % 5 else ""
        mail = f"p{i}@x.example" if i % 7 == 0 else ""
        who = f"P{i % 31},Q{i % 17},{url},{mail}"
        row = f"{who},Org {i % 11},Title {i % 4},{1 + i % 27:02d} Feb 2024"
        old.append(row + "\n")
        if i % 3 == 0:  # moved, or a new title
            row = f"{who},Org {(i + i % 2) % 11},Lead,01 Mar 2024"
        new.append(row + "\n")
    new += [f"N{i},M{i},https://www.linkedin.com/in/n-{i},,Org {i % 3},T,02 Mar 2024\n"
            for i in range(60)]  # fmt: skip
    new.append(new[5])  # and one person twice
    a, b = tmp / "old.csv", tmp / "new.csv"
    a.write_text("Notes:\n\n" + HEADER + "".join(old), encoding="utf-8")
    b.write_text("Notes:\n\n" + HEADER + "".join(new), encoding="utf-8")
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P{i % 31} Q{i % 17}\r\nEMAIL:p{i}@x.example\r\n"
        f"TEL:+1 415 555 {i:04d}\r\nORG:Org {i % 11}\r\nBDAY:1980-01-{1 + i % 28:02d}\r\n"
        f"NOTE:met at dinner {i}\r\nEND:VCARD\r\n"
        for i in range(0, 240, 7)
    )
    c = tmp / "book.vcf"
    c.write_text(cards, encoding="utf-8")
    return [a, b, c, a, b, c]


def test_writing_in_small_batches_gives_the_same_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row for row, ids included, whether a file is written in batches of 7 or at once."""
    files = _files(tmp_path)
    dumps, reports = [], []
    for batch in (10**9, 7):
        monkeypatch.setattr(apply, "_BATCH", batch)
        with Store(tmp_path / f"home-{batch}") as store:
            reports.append(
                [import_path(store, f, me_emails=ME, index_notes=False).as_dict() for f in files]
            )
            dumps.append(_sql(store))
    assert dumps[0] == dumps[1] and len(dumps[0]) > 1000
    assert reports[0] == reports[1]
    assert all(r["created"] == r["updated"] == r["merged"] == 0 for r in reports[1][3:])
