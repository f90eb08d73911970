"""Fuzzing every parser: whatever the bytes, only Carson's own ImportFormatError escapes."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carson.errors import ImportFormatError
from carson.ingest import _text, carson_csv, google, ics, linkedin, mbox, vcard
from carson.ingest.records import Record

DATA = Path(__file__).parent / "data" / "ingest"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _drain(parse: Callable[[str, str], Iterator[Record]], text: str) -> None:
    try:
        for _ in parse(text, "fuzz"):
            pass
    except ImportFormatError:
        pass


def _mutations(seed: str) -> st.SearchStrategy[str]:
    """Real-looking input with random damage: cut, spliced, or with junk inserted."""
    junk = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
    return st.one_of(
        st.text(max_size=300),
        st.builds(lambda n: seed[:n], st.integers(0, len(seed))),
        st.builds(lambda i, j: seed[:i] + j + seed[i:], st.integers(0, len(seed)), junk),
        st.builds(
            lambda i, k: seed[:i] + seed[i + k :], st.integers(0, len(seed)), st.integers(0, 50)
        ),
    )


def _seed(name: str) -> str:
    return _text.read_text(DATA / name)[0]


@FUZZ
@given(_mutations(_seed("linkedin_connections.csv")))
def test_linkedin_connections(text: str) -> None:
    _drain(linkedin.parse_connections, text)


@FUZZ
@given(_mutations(_seed("linkedin_messages.csv")))
def test_linkedin_messages(text: str) -> None:
    _drain(linkedin.parse_messages, text)


@FUZZ
@given(_mutations(_seed("google_new.csv")))
def test_google(text: str) -> None:
    _drain(google.parse, text)


@FUZZ
@given(_mutations(_seed("contacts.vcf")))
def test_vcard(text: str) -> None:
    _drain(vcard.parse, text)


@FUZZ
@given(_mutations(_seed("meetings.ics")))
def test_ics(text: str) -> None:
    _drain(ics.parse, text)


@FUZZ
@given(_mutations(_seed("ties.csv")))
def test_carson_csv(text: str) -> None:
    _drain(carson_csv.parse_csv, text)
    _drain(carson_csv.parse_json, "{" + text)


@FUZZ
@given(st.binary(max_size=400) | _mutations(_seed("mail.mbox")).map(str.encode))
def test_mbox(data: bytes) -> None:
    try:
        for _ in mbox.parse_stream(io.BytesIO(data), "fuzz", with_bodies=True):
            pass
    except ImportFormatError:
        pass


@FUZZ
@given(st.binary(max_size=400))
def test_decode_never_fails(data: bytes) -> None:
    text, _ = _text.decode(data)
    assert isinstance(text, str)


@FUZZ
@given(
    st.text(alphabet=st.sampled_from("abcXYZ019-_/?#\\ %.\t\u00e9"), max_size=20),
    st.sampled_from(["https://www.linkedin.com/in/", "https://www.linkedin.com/", "http://x.io/"]),
)
def test_the_canonical_profile_url_shortcut_changes_nothing(slug: str, prefix: str) -> None:
    """``url``'s shortcut for https://www.linkedin.com/in/slug gives what the full path gives."""
    assert _text.url(prefix + slug) == _text._url(prefix + slug)
