"""Routes on a small hand-built world that mirrors the demo's planted story."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from carson.errors import NoRouteError, UnknownOrganizationError, UnknownPersonError
from carson.graph import find_routes, how_do_i_know, load_network, log_outcome
from carson.models import (
    Channel,
    Direction,
    Employment,
    Evidence,
    Interaction,
    Organization,
    OutcomeKind,
    Person,
    RouteKind,
    Tie,
    TieContext,
)
from carson.store import Store

NOW = datetime(2026, 3, 1, 12, 0)


class World:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.ids: dict[str, int] = {}
        self.orgs: dict[str, int] = {}
        self._n = 0

    def person(self, name: str, org: str | None = None, title: str | None = None, **kw) -> int:
        p = self.store.add_person(Person(name=name, **kw))
        assert p.id is not None
        self.ids[name] = p.id
        if org:
            self.job(name, org, title)
        return p.id

    def org(self, name: str, aliases: list[str] | None = None) -> int:
        if name not in self.orgs:
            o = self.store.add_organization(Organization(name=name, aliases=aliases or []))
            assert o.id is not None
            self.orgs[name] = o.id
        return self.orgs[name]

    def job(
        self,
        name: str,
        org: str,
        title: str | None,
        start: date | None = None,
        end: date | None = None,
    ) -> None:
        self.store.add_employment(
            Employment(
                person_id=self.ids[name],
                org_id=self.org(org),
                title=title,
                start=start,
                end=end,
                current=end is None,
            )
        )

    def tie(
        self, a: str, b: str, ctx: TieContext, evidence: str | None = None, owner: str | None = None
    ) -> None:
        ev = [Evidence(text=evidence, source="note")] if evidence else []
        self.store.add_tie(
            Tie(
                a=self.ids[a],
                b=self.ids[b],
                context=ctx,
                evidence=ev,
                owner_id=self.ids[owner] if owner else None,
            )
        )

    def talk(
        self,
        owner: str,
        other: str,
        days_ago: float,
        channel: Channel = Channel.email,
        direction: Direction = Direction.mutual,
        times: int = 1,
    ) -> None:
        for i in range(times):
            self._n += 1
            self.store.add_interaction(
                Interaction(
                    at=NOW - timedelta(days=days_ago + i),
                    channel=channel,
                    direction=direction,
                    participants=[self.ids[owner], self.ids[other]],
                    source_id=f"i{self._n}",
                )
            )


def build_world(store: Store) -> World:
    w = World(store)
    with store.write():
        w.org("Goldman Sachs", aliases=["GS", "Goldman"])
        w.person("Sam Seller", is_me=True)
        w.person("Priya Patel", is_team=True)
        w.person("John Jacobs", "Acme Corp", "Engineer")
        w.person("Harry Smith", "Goldman Sachs", "Managing Director")
        w.person("Derek Lawson", "Goldman Sachs", "Associate")
        w.person("Marcus Chen", "Stripe", "VP Sales")
        w.job("Marcus Chen", "Goldman Sachs", "VP", date(2019, 1, 1), date(2025, 6, 1))
        w.person("Olivia Grant", "Morgan Stanley", "Head of Payroll")
        w.person("Nina Ross", "Morgan Stanley", "Analyst")
        w.person("Tom Becker", "Initech", "CFO")
        # me - John: friends, talking recently both ways
        w.tie("Sam Seller", "John Jacobs", TieContext.friend)
        w.talk("Sam Seller", "John Jacobs", 30, Channel.meeting)
        w.talk("Sam Seller", "John Jacobs", 40, Channel.email, times=6)
        w.tie(
            "John Jacobs",
            "Harry Smith",
            TieContext.roommate,
            "college roommates (note, 2021-03-04)",
        )
        # the stale decoy: a burst of emails three years ago
        w.talk("Sam Seller", "Derek Lawson", 3 * 365, Channel.email, Direction.outbound, 40)
        # alumni
        w.tie("Sam Seller", "Marcus Chen", TieContext.colleague)
        w.talk("Sam Seller", "Marcus Chen", 60, Channel.call)
        # Priya's strong route into Morgan Stanley; mine is weak
        w.tie("Sam Seller", "Priya Patel", TieContext.teammate)
        w.tie("Priya Patel", "Olivia Grant", TieContext.friend, owner="Priya Patel")
        w.talk("Priya Patel", "Olivia Grant", 10, Channel.meeting, times=3)
        w.tie("Sam Seller", "Nina Ross", TieContext.linkedin)
    return w


@pytest.fixture
def world(store: Store) -> World:
    return build_world(store)


def test_friend_route_beats_stale_decoy(world: World, store: Store) -> None:
    routes = find_routes(store, target_company="Goldman Sachs", now=NOW)
    current = [r for r in routes if r.kind == RouteKind.current]
    assert [h.name for h in current[0].hops] == ["Sam Seller", "John Jacobs", "Harry Smith"]
    decoy = next(r for r in current if r.hops[-1].name == "Derek Lawson")
    assert decoy.probability < current[0].probability
    assert decoy.hops[1].stale
    assert "3 years ago" in (decoy.label or "")
    assert any("40 emails" in e.text for e in decoy.hops[1].evidence)
    assert "college roommates" in current[0].hops[2].evidence[0].text
    assert current[0].low <= current[0].probability <= current[0].high


def test_alumni_routes_are_labelled_and_listed_after(world: World, store: Store) -> None:
    routes = find_routes(store, target_company="goldman", now=NOW)
    kinds = [r.kind for r in routes]
    assert RouteKind.alumni in kinds
    assert kinds.index(RouteKind.alumni) > kinds.index(RouteKind.current)
    alum = next(r for r in routes if r.kind == RouteKind.alumni)
    assert alum.hops[-1].name == "Marcus Chen"
    assert alum.label and alum.label.startswith("left Goldman Sachs in 2025")


def test_team_route_ranks_above_own(world: World, store: Store) -> None:
    mine = find_routes(store, target_company="Morgan Stanley", now=NOW, alumni=0)
    assert all(r.via_teammate is None for r in mine)
    team = find_routes(store, target_company="Morgan Stanley", via_team=True, now=NOW)
    assert team[0].via_teammate == "Priya Patel"
    assert team[0].hops[0].name == "Priya Patel"
    assert team[0].probability > mine[0].probability
    assert team[0].summary.startswith("Ask Priya Patel")


def test_title_filter_and_exclude(world: World, store: Store) -> None:
    routes = find_routes(
        store, target_company="Goldman Sachs", title_filter="managing|MD", now=NOW, alumni=0
    )
    assert {r.hops[-1].name for r in routes} == {"Harry Smith"}
    routes = find_routes(
        store, target_company="Goldman Sachs", exclude=["John Jacobs"], now=NOW, alumni=0
    )
    assert all("John Jacobs" not in [h.name for h in r.hops] for r in routes)
    assert routes[0].hops[-1].name == "Derek Lawson"


def test_routes_are_loop_free_and_ranked(world: World, store: Store) -> None:
    for r in find_routes(store, target_company="Goldman Sachs", k=10, now=NOW, alumni=0):
        assert len(set(r.path)) == len(r.path)
    probs = [
        r.probability
        for r in find_routes(store, target_company="Goldman Sachs", k=10, now=NOW, alumni=0)
    ]
    assert probs == sorted(probs, reverse=True)


def test_hop_limit_and_no_route_error(world: World, store: Store) -> None:
    with pytest.raises(NoRouteError) as err:
        find_routes(
            store,
            target_company="Goldman Sachs",
            title_filter="Managing",
            max_hops=0,
            alumni=0,
            now=NOW,
        )
    assert "within 0 intermediaries" in err.value.message
    assert "--max-hops 1" in (err.value.hint or "")
    with pytest.raises(NoRouteError) as err:
        find_routes(store, target_company="Initech", now=NOW)
    assert "No route to Initech" in err.value.message


def test_unknown_names_suggest(world: World, store: Store) -> None:
    with pytest.raises(UnknownOrganizationError) as err:
        find_routes(store, target_company="Goldfields Bank", now=NOW)
    assert "Goldman Sachs" in (err.value.hint or "")
    with pytest.raises(UnknownPersonError):
        how_do_i_know(store, "Harold Smythe-Jones", now=NOW)


def test_how_do_i_know_and_json(world: World, store: Store) -> None:
    routes = how_do_i_know(store, "Harry Smith", now=NOW)
    assert routes[0].path[1] == world.ids["John Jacobs"]
    data = routes[0].model_dump(mode="json")
    assert data["hops"][2]["relationship"] == "roommate"
    assert data["hops"][2]["evidence"][0]["text"].startswith("college roommates")


def test_log_outcome_stores_route_features(world: World, store: Store) -> None:
    out = log_outcome(
        store, OutcomeKind.meeting_booked, via="John Jacobs", to="Harry Smith", now=NOW
    )
    assert out.id is not None
    stored = store.outcomes()[0]
    assert stored.path == [world.ids[n] for n in ("Sam Seller", "John Jacobs", "Harry Smith")]
    assert stored.predicted is not None and 0 < stored.predicted < 1
    assert stored.features["hops"] == 2.0


def test_network_rebuilds_after_write(world: World, store: Store) -> None:
    net = load_network(store, now=NOW)
    assert load_network(store, now=NOW) is net
    with store.write():
        world.person("Zed Zed", "Goldman Sachs", "Analyst")
        world.tie("Sam Seller", "Zed Zed", TieContext.family)
    net2 = load_network(store, now=NOW)
    assert net2 is not net
    assert net2.graph.has_edge(world.ids["Sam Seller"], world.ids["Zed Zed"])


def test_alumni_routes_never_pass_through_current_staff(world: World, store: Store) -> None:
    with store.write():
        # Lena left Goldman; her cheapest link is Harry Smith, who is at Goldman now.
        world.person("Lena Park", "Fintrix", "COO")
        world.job("Lena Park", "Goldman Sachs", "VP", date(2015, 1, 1), date(2024, 3, 1))
        world.tie("Harry Smith", "Lena Park", TieContext.friend)
        world.talk("Harry Smith", "Lena Park", 5, Channel.meeting, times=5)
        # A weaker way in that does not touch Goldman.
        world.person("Ravi Shah", "Acme Corp", "Analyst")
        world.tie("Sam Seller", "Ravi Shah", TieContext.acquaintance)
        world.tie("Ravi Shah", "Lena Park", TieContext.acquaintance)
    goldman_now = {world.ids["Harry Smith"], world.ids["Derek Lawson"]}
    routes = find_routes(store, target_company="Goldman Sachs", now=NOW, alumni=5, k=10)
    alumni = [r for r in routes if r.kind == RouteKind.alumni]
    assert {r.hops[-1].name for r in alumni} == {"Marcus Chen", "Lena Park"}
    for r in alumni:
        assert not goldman_now & set(r.path)
    lena = next(r for r in alumni if r.hops[-1].name == "Lena Park")
    assert [h.name for h in lena.hops] == ["Sam Seller", "Ravi Shah", "Lena Park"]
    # Current routes end at the first Goldman employee they reach.
    for r in routes:
        if r.kind == RouteKind.current:
            assert not goldman_now & set(r.path[:-1])


def test_exclusions_apply_to_alumni_routes(world: World, store: Store) -> None:
    with store.write():
        world.person("Ravi Shah", "Acme Corp", "Analyst")
        world.person("Lena Park", "Fintrix", "COO")
        world.job("Lena Park", "Goldman Sachs", "VP", date(2015, 1, 1), date(2024, 3, 1))
        world.tie("Sam Seller", "Ravi Shah", TieContext.friend)
        world.tie("Ravi Shah", "Lena Park", TieContext.friend)
    alumni = [
        r
        for r in find_routes(store, target_company="Goldman Sachs", now=NOW, alumni=5)
        if r.kind == RouteKind.alumni
    ]
    assert {r.hops[-1].name for r in alumni} == {"Marcus Chen", "Lena Park"}
    by_person = find_routes(
        store, target_company="Goldman Sachs", now=NOW, alumni=5, exclude=["Ravi Shah"]
    )
    assert all(world.ids["Ravi Shah"] not in r.path for r in by_person)
    assert "Lena Park" not in {r.hops[-1].name for r in by_person}
    by_company = find_routes(
        store, target_company="Goldman Sachs", now=NOW, alumni=5, exclude=["Acme Corp"]
    )
    assert all(world.ids["Ravi Shah"] not in r.path for r in by_company)
    assert "Lena Park" not in {r.hops[-1].name for r in by_company}
    by_alumnus = find_routes(
        store, target_company="Goldman Sachs", now=NOW, alumni=5, exclude=["Marcus Chen"]
    )
    assert "Marcus Chen" not in {h.name for r in by_alumnus for h in r.hops}


def test_title_filtered_routes_may_go_through_a_colleague_inside(
    world: World, store: Store
) -> None:
    with store.write():
        # Derek (a Goldman associate) knows the MD well and the seller meets him often.
        world.tie("Derek Lawson", "Harry Smith", TieContext.friend)
        world.talk("Derek Lawson", "Harry Smith", 2, Channel.meeting, times=8)
        world.talk("Sam Seller", "Derek Lawson", 3, Channel.meeting, times=8)
    derek = world.ids["Derek Lawson"]
    unfiltered = find_routes(store, target_company="Goldman Sachs", now=NOW, alumni=0, k=10)
    # Without a filter Derek is a target himself, never a stepping stone.
    assert all(derek not in r.path[:-1] for r in unfiltered)
    filtered = find_routes(
        store, target_company="Goldman Sachs", title_filter="Managing", now=NOW, alumni=0, k=10
    )
    assert filtered and all(r.hops[-1].name == "Harry Smith" for r in filtered)
    inside = [r for r in filtered if derek in r.path]
    assert inside, "the colleague inside should be offered as an introducer"
    assert [h.name for h in inside[0].hops] == ["Sam Seller", "Derek Lawson", "Harry Smith"]
    assert inside[0].hops[1].company == "Goldman Sachs"


def test_queries_from_the_user_share_one_set_of_forward_bounds(world: World, store: Store) -> None:
    net = load_network(store, now=NOW)
    find_routes(store, target_company="Goldman Sachs", now=NOW, network=net)  # + alumni
    find_routes(
        store, target_company="Goldman Sachs", title_filter="Managing", now=NOW, network=net
    )
    find_routes(store, target_company="Morgan Stanley", now=NOW, network=net)
    how_do_i_know(store, "Harry Smith", now=NOW, network=net)
    assert len(net.router._fwd) == 1
    find_routes(store, target_company="Morgan Stanley", via_team=True, now=NOW, network=net)
    assert len(net.router._fwd) == 2
