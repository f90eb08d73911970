from __future__ import annotations

import pytest

from carson.errors import UnknownOrganizationError, UnknownPersonError
from carson.models import Employment, Organization, Person
from carson.resolve import AmbiguousPersonError, Resolver, normalize
from carson.store import Store


@pytest.fixture
def world(store: Store) -> Store:
    with store.write():
        gs = store.add_organization(
            Organization(name="Goldman Sachs", aliases=["GS", "Goldman"], domain="gs.com")
        )
        store.add_organization(Organization(name="JPMorgan Chase", aliases=["JPM", "Chase"]))
        store.add_organization(Organization(name="Morgan Stanley", aliases=["MS"]))
        harry = store.add_person(Person(name="Harry Smith"))
        store.add_person(Person(name="Harry Jones"))
        store.add_person(Person(name="Sarah Lee"))
        store.add_person(Person(name="José Álvarez"))
        assert harry.id is not None and gs.id is not None
        store.add_employment(Employment(person_id=harry.id, org_id=gs.id, title="MD"))
    return store


def test_exact_names_resolve_case_and_accent_insensitively(world: Store) -> None:
    r = Resolver(world)
    assert r.person("harry smith").name == "Harry Smith"
    assert r.person("Jose Alvarez").name == "José Álvarez"
    assert r.person("Sarah Lee's").name == "Sarah Lee"


def test_a_clear_typo_resolves_but_a_vague_one_suggests(world: Store) -> None:
    r = Resolver(world)
    assert r.person("Harry Smtih").name == "Harry Smith"
    with pytest.raises(UnknownPersonError) as info:
        r.person("Harold Smithers")
    assert "Harry Smith" in info.value.suggestions
    assert "Did you mean" in (info.value.hint or "")


def test_first_name_alone_is_ambiguous_when_two_share_it(world: Store) -> None:
    r = Resolver(world)
    with pytest.raises(AmbiguousPersonError) as info:
        r.person("Harry")
    assert "Harry Smith (MD, Goldman Sachs)" in info.value.suggestions
    assert r.person("Sarah").name == "Sarah Lee"
    smith = r.person("Harry Smith")
    assert r.person("Harry", among=[smith.id or 0]).name == "Harry Smith"


def test_unknown_name_gets_no_wrong_guess(world: Store) -> None:
    with pytest.raises(UnknownPersonError) as info:
        Resolver(world).person("Zebulon Quartz")
    assert info.value.suggestions == []


def test_organizations_resolve_by_name_alias_and_typo(world: Store) -> None:
    r = Resolver(world)
    assert r.organization("goldman").name == "Goldman Sachs"
    assert r.organization("GS").name == "Goldman Sachs"
    assert r.organization("Goldman Sachs & Co.").name == "Goldman Sachs"
    assert r.organization("jpm").name == "JPMorgan Chase"
    assert r.organization("Goldmann Sachs").name == "Goldman Sachs"
    with pytest.raises(UnknownOrganizationError) as info:
        r.organization("Morgan Stanly Bank of Nowhere")
    assert "Morgan Stanley" in info.value.suggestions


def test_people_in_text_finds_full_names_only(world: Store) -> None:
    found = Resolver(world).people_in_text(
        "Coffee with Sarah Lee — her team is moving off ADP; Harry mentioned it too."
    )
    assert [p.name for p in found] == ["Sarah Lee"]


def test_normalize() -> None:
    assert normalize("  O’Brien's   Team ") == "o brien team"
