"""LinkedIn imports: Connections.csv quirks, re-import idempotence, job moves, teammates."""

from __future__ import annotations

import zipfile
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest

from carson.errors import ImportFormatError
from carson.ingest import import_path
from carson.models import TieContext
from carson.store import Store

DATA = Path(__file__).parent / "data" / "ingest"


def _imp(store: Store, name: str, **kw: object):  # type: ignore[no-untyped-def]
    return import_path(store, DATA / name, index_notes=False, **kw)  # type: ignore[arg-type]


def _person(store: Store, name: str):  # type: ignore[no-untyped-def]
    found = store.people_named(name)
    assert len(found) == 1, [p.name for p in found]
    return found[0]


def test_connections_make_people_employments_and_linkedin_ties(store: Store) -> None:
    report = _imp(store, "linkedin_connections.csv", me_emails=["sam@seller.example"])
    harry = _person(store, "Harry Smith")
    assert harry.urls == ["https://www.linkedin.com/in/harry-smith-01"]
    [job] = store.employments(person_id=harry.id)
    org = store.get_organization(job.org_id)
    assert org is not None and org.name == "Goldman Sachs"
    assert job.title == "Managing Director" and job.current
    me = store.me()
    assert me is not None and me.emails == ["sam@seller.example"]
    [tie] = store.ties(person_id=harry.id)
    assert tie.context == TieContext.linkedin
    assert tie.owner_id == me.id and tie.since == date(2026, 2, 8)
    assert tie.evidence[0].text == "Connected on LinkedIn on 08 Feb 2026"
    # a comma inside a quoted company; the ?trk= tail dropped from the URL
    maria = _person(store, "Maria Lopez")
    assert maria.urls == ["https://www.linkedin.com/in/marialopez"]
    assert maria.emails == ["maria@lopez.example"]
    assert store.organization_named("Nestwise, Inc.") is not None
    # same name, different profile URLs: two people, never merged
    assert len(store.people_named("Dev Patel")) == 2
    # the hidden-profile row is skipped with its line; the bad date is only a warning
    assert report.skipped == 1
    assert report.problems[0].line == 9 and "hidden profile" in report.problems[0].reason
    assert any(w.line == 10 and "Connected On" in w.reason for w in report.warnings)


def test_control_characters_are_stripped_from_names(store: Store) -> None:
    _imp(store, "linkedin_connections.csv")
    names = [p.name for p in store.people()]
    assert "Evil Name" in names
    assert not any("\x1b" in n for n in names)


def test_reimporting_the_same_file_changes_nothing(store: Store) -> None:
    _imp(store, "linkedin_connections.csv")
    before = asdict(store.counts())
    ties_before = store.ties()
    people_before = store.people()
    again = _imp(store, "linkedin_connections.csv")
    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert again.unchanged == 5
    assert asdict(store.counts()) == before
    assert store.ties() == ties_before
    assert store.people() == people_before


def test_newer_export_with_a_new_company_records_a_job_move(store: Store) -> None:
    _imp(store, "linkedin_connections.csv")
    report = _imp(store, "linkedin_connections_newer.csv")
    assert report.updated == 1 and report.unchanged == 1
    harry = _person(store, "Harry Smith")
    jobs = {store.get_organization(e.org_id).name: e for e in store.employments(person_id=harry.id)}  # type: ignore[union-attr]
    old, new = jobs["Goldman Sachs"], jobs["Morgan Stanley"]
    assert not old.current and old.end is not None
    assert new.current and new.title == "Partner" and new.end is None
    # the old employment stays, so former colleagues remain linked through it
    gs = store.organization_named("Goldman Sachs")
    assert gs is not None
    assert harry.id in {e.person_id for e in store.employments(org_id=gs.id)}


def test_older_export_without_url_column_and_short_dates(store: Store) -> None:
    _imp(store, "linkedin_old_nourl.csv")
    olga = _person(store, "Olga Petrova")
    assert olga.emails == ["olga@petrova.example"] and olga.urls == []
    [tie] = store.ties(person_id=olga.id)
    assert tie.since == date(2024, 1, 15)


def test_teammate_export_becomes_their_ties(store: Store) -> None:
    _imp(store, "linkedin_connections.csv", owner="Priya Patel")
    priya = _person(store, "Priya Patel")
    assert priya.is_team
    harry = _person(store, "Harry Smith")
    [tie] = store.ties(person_id=harry.id)
    assert tie.owner_id == priya.id and {tie.a, tie.b} == {priya.id, harry.id}
    me = store.me()
    assert me is not None
    assert any(t.context == TieContext.teammate for t in store.ties(person_id=me.id))


def test_export_zip_reads_connections_and_messages(store: Store, tmp_path: Path) -> None:
    z = tmp_path / "Basic_LinkedInDataExport.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(DATA / "linkedin_connections.csv", "Connections.csv")
        zf.write(DATA / "linkedin_messages.csv", "messages.csv")
    report = import_path(store, z, index_notes=False)
    assert report.formats == ["linkedin-zip"]
    harry = _person(store, "Harry Smith")
    msgs = store.interactions(person_id=harry.id)
    assert len(msgs) == 2
    me = store.me()
    assert me is not None
    # the owner of the messages ("Sam Seller", in every conversation) is the user
    assert all(m.participants[0] == me.id for m in msgs)
    assert {m.direction.value for m in msgs} == {"inbound", "outbound"}
    assert import_path(store, z, index_notes=False).created == 0


def test_a_file_without_a_header_is_a_clear_error_and_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    bad = tmp_path / "Connections.csv"
    bad.write_text("hello,world\n1,2\n")
    before = asdict(store.counts())
    with pytest.raises(ImportFormatError, match=r"Connections\.csv"):
        import_path(store, bad, fmt="linkedin", index_notes=False)
    assert asdict(store.counts()) == before


_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def _write(path: Path, rows: str) -> Path:
    path.write_text("Notes:\n\n" + _HEADER + rows, encoding="utf-8")
    return path


def _jobs(store: Store, name: str) -> dict[str, object]:
    person = _person(store, name)
    return {
        store.get_organization(e.org_id).name: e  # type: ignore[union-attr]
        for e in store.employments(person_id=person.id)
    }


def test_an_older_export_never_moves_people_back(store: Store, tmp_path: Path) -> None:
    # the same connections (same Connected On); the newer export also has a newer one
    harry = "Harry,Smith,https://www.linkedin.com/in/harry-smith-01,,"
    olga = "Olga,Petrova,https://www.linkedin.com/in/olga,,"
    newer = _write(
        tmp_path / "newer.csv",
        f"{harry}Morgan Stanley,Partner,08 Feb 2023\n{olga}Stripe,CFO,01 Jan 2020\n"
        "Zoe,Ito,,,Acme,CEO,08 Feb 2026\n",
    )
    older = _write(
        tmp_path / "older.csv",
        f"{harry}Goldman Sachs,Managing Director,08 Feb 2023\n{olga}Stripe,Treasurer,01 Jan 2020\n",
    )
    import_path(store, newer, index_notes=False)
    report = import_path(store, older, index_notes=False)
    jobs = _jobs(store, "Harry Smith")
    assert jobs["Morgan Stanley"].current and jobs["Morgan Stanley"].end is None  # type: ignore[attr-defined]
    # the older job is kept as history (former colleagues stay linked), not as now
    assert not jobs["Goldman Sachs"].current  # type: ignore[attr-defined]
    olga = _jobs(store, "Olga Petrova")["Stripe"]
    assert olga.title == "CFO"  # type: ignore[attr-defined]
    assert report.updated == 1 and report.unchanged == 1
    before = asdict(store.counts())
    again = import_path(store, older, index_notes=False)
    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert asdict(store.counts()) == before


def test_the_newer_export_still_moves_people_after_an_older_one(
    store: Store, tmp_path: Path
) -> None:
    harry = "Harry,Smith,https://www.linkedin.com/in/harry-smith-01,,"
    older = _write(tmp_path / "older.csv", f"{harry}Goldman Sachs,MD,08 Feb 2023\n")
    newer = _write(
        tmp_path / "newer.csv",
        f"{harry}Morgan Stanley,Partner,08 Feb 2023\nZoe,Ito,,,Acme,CEO,08 Feb 2026\n",
    )
    import_path(store, older, index_notes=False)
    import_path(store, newer, index_notes=False)
    jobs = _jobs(store, "Harry Smith")
    assert jobs["Morgan Stanley"].current  # type: ignore[attr-defined]
    assert jobs["Goldman Sachs"].end == date(2026, 2, 8)  # type: ignore[attr-defined]
    assert jobs["Morgan Stanley"].start == date(2026, 2, 8)  # type: ignore[attr-defined]


def test_a_zip_export_is_dated_by_its_own_files(store: Store, tmp_path: Path) -> None:
    """Connected On dates can be old; the zip says when LinkedIn wrote the export."""
    harry = "Harry,Smith,https://www.linkedin.com/in/harry-smith-01,,"
    zpath = tmp_path / "export.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        info = zipfile.ZipInfo("Connections.csv", date_time=(2026, 3, 1, 12, 0, 0))
        zf.writestr(info, f"Notes:\n\n{_HEADER}{harry}Morgan Stanley,Partner,08 Feb 2019\n")
    import_path(store, zpath, index_notes=False)
    csv = _write(
        tmp_path / "csv.csv", f"{harry}Goldman Sachs,MD,08 Feb 2019\nZoe,Ito,,,A,B,01 Mar 2025\n"
    )
    import_path(store, csv, index_notes=False)
    assert _jobs(store, "Harry Smith")["Morgan Stanley"].current  # type: ignore[attr-defined]
