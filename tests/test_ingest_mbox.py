"""Mailbox imports: mailing-list traffic never makes people or co-recipient ties."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from carson.ingest import import_path
from carson.models import TieContext
from carson.store import Store

ME = ["sam@seller.example"]


def _msg(n: int, headers: str) -> str:
    return (
        f"From someone@example.com Mon Nov  3 09:0{n}:00 2025\n"
        f"{headers.strip()}\n"
        f"Date: Mon, 3 Nov 2025 09:0{n}:00 +0000\n"
        f"Message-ID: <m{n}@test.example>\n"
        f"Subject: Message {n}\n\nBody {n}\n\n"
    )


LISTS = "".join(
    [
        # a list post, cross-posted to a second list at the same host, one person cc'd
        _msg(
            1,
            "From: Alice Ames <alice@ames.example>\n"
            "To: <dev-list@lists.example.org>, <other-list@lists.example.org>\n"
            "Cc: Bob Berg <bob@berg.example>\n"
            "List-Id: Developers <dev-list.lists.example.org>\n"
            "Precedence: list",
        ),
        # only the Sender/Errors-To owner address says this is a list
        _msg(
            2,
            "From: Carol Cruz <carol@cruz.example>\n"
            "To: announce@lists.example.net, Dana Diaz <dana@diaz.example>\n"
            "Sender: announce-bounces@lists.example.net\n"
            "Errors-To: announce-bounces@lists.example.net",
        ),
        # old-style list headers
        _msg(
            3,
            "From: Gus Gray <gus@gray.example>\n"
            "To: linux-thing@vger.example.org, Hana Hill <hana@hill.example>\n"
            "X-Mailing-List: <linux-thing@vger.example.org>",
        ),
        _msg(
            4,
            "From: Ivy Iles <ivy@iles.example>\n"
            "To: team@groups.example.com, Jon Jay <jon@jay.example>\n"
            "Mailing-List: list team@groups.example.com; contact team-owner@groups.example.com",
        ),
        # bulk mail to a -request address, and a bounce from the list software itself
        _msg(
            5,
            "From: Kim Kerr <kim@kerr.example>\n"
            "To: news-request@lists.example.com, Lee Lam <lee@lam.example>\n"
            "Precedence: bulk",
        ),
        _msg(6, "From: dev-list-bounces@lists.example.org\nTo: sam@seller.example"),
        # an ordinary message: its recipients do know each other
        _msg(
            7,
            "From: Sam Seller <sam@seller.example>\n"
            "To: Erin Eyre <erin@eyre.example>, Finn Ford <finn@ford.example>",
        ),
        _msg(
            8,
            "From: Erin Eyre <erin@eyre.example>\n"
            "To: Finn Ford <finn@ford.example>, Sam Seller <sam@seller.example>",
        ),
    ]
)


def _import(store: Store, tmp_path: Path, text: str = LISTS):  # type: ignore[no-untyped-def]
    path = tmp_path / "lists.mbox"
    path.write_text(text, encoding="utf-8")
    return import_path(store, path, me_emails=ME, index_notes=False)


def test_list_addresses_never_become_people(store: Store, tmp_path: Path) -> None:
    _import(store, tmp_path)
    emails = {e for p in store.people() for e in p.emails}
    for lst in (
        "dev-list@lists.example.org",
        "other-list@lists.example.org",
        "announce@lists.example.net",
        "announce-bounces@lists.example.net",
        "linux-thing@vger.example.org",
        "team@groups.example.com",
        "news-request@lists.example.com",
        "dev-list-bounces@lists.example.org",
    ):
        assert lst not in emails
    # the people who wrote or were copied directly are people
    assert {"alice@ames.example", "bob@berg.example", "dana@diaz.example"} <= emails


def test_list_messages_are_not_evidence_that_recipients_know_each_other(
    store: Store, tmp_path: Path
) -> None:
    _import(store, tmp_path)
    names = {p.id: p.name for p in store.people()}
    co = {
        frozenset((names[t.a], names[t.b])): t
        for t in store.ties()
        if t.context == TieContext.co_recipient
    }
    # only the ordinary thread gives co-recipient evidence, counted over both messages
    assert set(co) == {frozenset(("Erin Eyre", "Finn Ford"))}
    [evidence] = co[frozenset(("Erin Eyre", "Finn Ford"))].evidence
    assert evidence.text.startswith("Both on 2 emails, latest")
    # the list posts still record that the user received them
    alice = store.people_named("Alice Ames")[0]
    assert [i.subject for i in store.interactions(person_id=alice.id)] == ["Message 1"]


def test_reimporting_a_mailbox_changes_nothing(store: Store, tmp_path: Path) -> None:
    _import(store, tmp_path)
    before, ties = asdict(store.counts()), store.ties()
    again = _import(store, tmp_path)
    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert asdict(store.counts()) == before
    assert store.ties() == ties


def test_a_second_mailbox_adds_evidence_to_the_same_pair_once(store: Store, tmp_path: Path) -> None:
    _import(store, tmp_path)
    more = _msg(9, "From: Finn Ford <finn@ford.example>\nTo: Erin Eyre <erin@eyre.example>, "
                "Gus Gray <gus@gray.example>")  # fmt: skip
    other = tmp_path / "more.mbox"
    other.write_text(more, encoding="utf-8")
    for _ in range(2):
        import_path(store, other, me_emails=ME, index_notes=False)
    erin, finn = store.people_named("Erin Eyre")[0], store.people_named("Finn Ford")[0]
    [tie] = [
        t
        for t in store.ties(person_id=erin.id)
        if t.context == TieContext.co_recipient and finn.id in (t.a, t.b)
    ]
    texts = [e.text for e in tie.evidence]
    assert len(texts) == 2  # the first mailbox's count, then the second's: each once
    assert texts[0].startswith("Both on 2 emails") and texts[1].startswith("Both on the email")
