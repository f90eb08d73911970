"""Top-k warm-intro routes to a company or a person, ranked by meeting probability.

Pure functions over the store and its :class:`Network`; nothing here writes except
:func:`log_outcome`. ``max_hops`` counts intermediaries between the asker and the target
(3 by default, so up to 4 ties); a team route starts with asking a teammate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import datetime

from carson.errors import NoRouteError, UnknownOrganizationError, UnknownPersonError, UsageError
from carson.graph._load import load_network
from carson.graph._search import Found
from carson.graph.explain import summarize
from carson.graph.network import Network, hop_probability, seniority
from carson.graph.probability import (
    Calibration,
    calibration_from_outcomes,
    interval,
    route_raw_probability,
)
from carson.models import Hop, Organization, Outcome, OutcomeKind, Route, RouteKind
from carson.resolve import Resolver
from carson.store import Store

_SENIORITY_RANK = {"other": 0.0, "director": 1.0, "vp": 2.0, "md": 3.0, "c-level": 4.0}


def _calibration(store: Store, net: Network) -> Calibration:
    return calibration_from_outcomes(store.outcomes(), net.weights)


def _title_matcher(pattern: str | None) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(pattern, re.I)
    except re.error:
        return re.compile(re.escape(pattern), re.I)


def _blocked(store: Store, net: Network, resolver: Resolver, exclude: Sequence[str]) -> set[int]:
    out: set[int] = set()
    for name in exclude:
        name = name.strip()
        if not name:
            continue
        try:
            out.add(int(resolver.person(name).id or 0))
            continue
        except UnknownPersonError as person_err:
            try:
                org = resolver.organization(name)
            except UnknownOrganizationError:
                raise person_err from None
        assert org.id is not None
        out.update(net.staff.get(org.id, ()))
    return out


def _sources(net: Network, via_team: bool) -> list[tuple[int, float]]:
    snap = net.snapshot
    if net.me_id is None:
        raise UsageError(
            "Carson doesn't know which person in the store is you.",
            "Import your own contacts first (carson import), or try `carson demo`.",
        )
    out = [(snap.index_of(net.me_id), 0.0)]
    if via_team:
        start = -math.log(net.weights.team_ask)
        out += [(snap.index_of(t), start) for t in net.team_ids]
    return out


def _search(
    net: Network,
    targets: Sequence[int],
    *,
    k: int,
    max_hops: int,
    blocked: set[int],
    via_team: bool,
    diverse: bool = True,
) -> list[Found]:
    snap = net.snapshot
    # Teammates' networks are used only with via_team, where teammates start their own
    # routes; routing *through* a teammate (or, for them, through you) would duplicate them.
    own = set(net.team_ids)
    if via_team and net.me_id is not None:
        own.add(net.me_id)
    blocked = blocked | (own - set(targets))
    with net._lock:
        return net.router.top_k(
            _sources(net, via_team),
            snap.indices_of(sorted(set(targets))),
            k=k,
            max_edges=max_hops + 1,
            blocked=snap.indices_of(sorted(blocked)),
            max_per_first=net.weights.max_per_first_contact if diverse else None,
            primary=snap.index_of(net.me_id) if net.me_id is not None else None,
            bound_blocked=snap.indices_of(sorted(own)),
        )


def _route(
    net: Network,
    found: Found,
    cal: Calibration,
    *,
    org: Organization | None,
    kind: RouteKind = RouteKind.current,
    left: str | None = None,
) -> Route:
    w = net.weights
    ids = [int(net.snapshot.ids[i]) for i in found.path]
    hops: list[Hop] = []
    hop_ps: list[float] = []
    strengths: list[float] = []
    stale_notes: list[str] = []
    for i, pid in enumerate(ids):
        info = net.people[pid]
        title, company, company_id = info.title, info.company, info.org_id
        if i == len(ids) - 1 and org is not None and org.id is not None and kind == "current":
            title, company, company_id = net.titles.get((pid, org.id), title), org.name, org.id
        hop = Hop(
            person_id=pid, name=info.name, title=title, company=company, company_id=company_id
        )
        if i > 0:
            tie = net.tie(ids[i - 1], pid)
            assert tie is not None
            hop_p = hop_probability(tie.strength, w)
            hop.relationship = tie.context
            hop.evidence = list(tie.evidence)
            hop.strength = round(float(tie.strength), 3)
            hop.probability = round(hop_p, 4)
            hop.stale = bool(tie.stale)
            hop_ps.append(hop_p)
            strengths.append(float(tie.strength))
            if tie.stale:
                prev = net.people[ids[i - 1]].name
                when = (
                    f"last in touch {_age_words(net.now, tie.last_contact)}"
                    if tie.last_contact
                    else "no recorded contact"
                )
                stale_notes.append(f"stale tie — {prev} and {info.name}: {when}")
        hops.append(hop)
    asker = net.people[ids[0]]
    teammate = asker.name if ids[0] != net.me_id else None
    target_title = hops[-1].title
    target_p = w.seniority[seniority(target_title)]
    start_p = w.team_ask if teammate else 1.0
    raw = route_raw_probability(hop_ps, target_p, start_p)
    if kind == RouteKind.alumni:
        raw *= w.alumni_factor
    p = cal(raw)
    lo, hi = interval(p, w.prior_strength + cal.n, w.interval)
    labels = []
    if left:
        labels.append(left)
    labels += stale_notes
    route = Route(
        kind=kind,
        hops=hops,
        target_org_id=org.id if org else None,
        target_org=org.name if org else None,
        via_teammate=teammate,
        probability=round(p, 4),
        low=lo,
        high=hi,
        cost=round(found.cost, 6),
        summary="",
        label="; ".join(labels) or None,
        features={
            "raw": round(raw, 6),
            "hops": float(len(hops) - 1),
            "min_strength": round(min(strengths), 4) if strengths else 0.0,
            "mean_strength": round(sum(strengths) / len(strengths), 4) if strengths else 0.0,
            "team": 1.0 if teammate else 0.0,
            "alumni": 1.0 if kind == RouteKind.alumni else 0.0,
            "stale_hops": float(len(stale_notes)),
            "seniority": _SENIORITY_RANK[seniority(target_title)],
        },
    )
    route.summary = summarize(route)
    return route


def _age_words(now: datetime, then: datetime) -> str:
    from carson.graph.strength import humanize_age

    return humanize_age(max(0.0, (now - then.replace(tzinfo=None)).total_seconds() / 86400))


def _left_label(net: Network, org: Organization, pid: int) -> str:
    ends = [end for p, end in net.former.get(org.id or -1, []) if p == pid]
    years = sorted(e.year for e in ends if e is not None)
    when = f" in {years[-1]}" if years else ""
    return f"left {org.name}{when} — may still know the team"


def _rank(routes: list[Route]) -> list[Route]:
    # Cost order is probability order (calibration is monotone); keep it stable.
    return sorted(routes, key=lambda r: (-r.probability, r.cost))


def find_routes(
    store: Store,
    *,
    target_company: str | None = None,
    target_person: str | None = None,
    k: int = 5,
    max_hops: int = 3,
    exclude: Sequence[str] = (),
    title_filter: str | None = None,
    via_team: bool = False,
    alumni: int = 2,
    now: datetime | None = None,
    network: Network | None = None,
) -> list[Route]:
    """The top ``k`` routes into a company (or to a person), then up to ``alumni`` routes
    to people who used to work there (``kind="alumni"``).

    Raises ``UnknownOrganizationError`` / ``UnknownPersonError`` (with "did you mean") for
    names that match nothing, ``NoRouteError`` (naming the nearest alternatives) when no
    route fits within ``max_hops`` intermediaries.
    """
    if (target_company is None) == (target_person is None):
        raise UsageError(
            "Name either a company or a person to route to.",
            'e.g. carson routes "Goldman Sachs", or carson routes --person "Harry Smith".',
        )
    if k < 1 or max_hops < 0:
        raise UsageError("k must be at least 1 and max hops at least 0.")
    net = network or load_network(store, now=now)
    resolver = Resolver(store)
    blocked = _blocked(store, net, resolver, exclude)
    cal = _calibration(store, net)
    org: Organization | None = None
    if target_company is not None:
        org = resolver.organization(target_company)
        assert org.id is not None
        staff = net.staff.get(org.id, [])
        rx = _title_matcher(title_filter)
        targets = [p for p in staff if rx is None or rx.search(net.titles.get((p, org.id)) or "")]
        if not targets:
            what = f'nobody whose title matches "{title_filter}"' if rx else "nobody"
            raise NoRouteError(
                f"{what.capitalize()} at {org.name} is in your network.",
                "Import more contacts, or drop the title filter."
                if rx
                else "Import contacts who work there, or ask teammates for theirs.",
            )
    else:
        person = resolver.person(target_person or "")
        assert person.id is not None
        if person.id == net.me_id:
            raise UsageError("That's you.", "Name someone else to route to.")
        targets = [person.id]
    # Without a title filter a route ends at the first employee it reaches (every one is a
    # target). With one, the other staff may introduce you inside: a Goldman associate who
    # knows the Managing Director well is the warmest way to that MD.
    own_blocked = blocked
    found = _search(net, targets, k=k, max_hops=max_hops, blocked=own_blocked, via_team=via_team)
    routes = [_route(net, f, cal, org=org) for f in found]
    alumni_routes: list[Route] = []
    if org is not None and alumni > 0:
        former = [p for p, _ in net.former.get(org.id or -1, []) if p not in blocked]
        if former:
            # Someone on staff now is a current route of their own, never a stepping stone
            # to a former employee: block every current employee (title filter or not).
            inside = blocked | set(net.staff.get(org.id or -1, ()))
            af = _search(
                net, former, k=alumni, max_hops=max_hops, blocked=inside, via_team=via_team
            )
            alumni_routes = [
                _route(
                    net,
                    f,
                    cal,
                    org=org,
                    kind=RouteKind.alumni,
                    left=_left_label(net, org, int(net.snapshot.ids[f.path[-1]])),
                )
                for f in af
            ]
    if not routes and not alumni_routes:
        raise _no_route(net, targets, org, target_person, max_hops, via_team, own_blocked)
    return _rank(routes) + _rank(alumni_routes)


def _no_route(
    net: Network,
    targets: Sequence[int],
    org: Organization | None,
    person_name: str | None,
    max_hops: int,
    via_team: bool,
    blocked: set[int],
) -> NoRouteError:
    what = org.name if org else (person_name or "them")
    ideas: list[str] = []
    longer = _search(net, targets, k=1, max_hops=max_hops + 2, blocked=blocked, via_team=True)
    if longer:
        n = len(longer[0].path) - 2
        ideas.append(f"a route with {n} intermediaries exists (try --max-hops {n})")
    if not via_team and net.team_ids:
        team = _search(net, targets, k=1, max_hops=max_hops, blocked=blocked, via_team=True)
        if team:
            name = net.people[int(net.snapshot.ids[team[0].path[0]])].name
            ideas.append(f"teammate {name} has one (try --team)")
    if org is not None and org.parent_id is not None:
        parent = net.orgs.get(org.parent_id)
        if parent is not None and net.staff.get(parent.id or -1):
            ideas.append(f"people at its parent company {parent.name}")
    if org is not None and net.former.get(org.id or -1):
        names = [net.people[p].name for p, _ in net.former[org.id or -1][:2]]
        ideas.append("former employees: " + ", ".join(names))
    hint = (
        "Nearest alternatives: " + "; ".join(ideas) + "."
        if ideas
        else ("Import more of your network (carson import), or ask teammates for their exports.")
    )
    return NoRouteError(
        f"No route to {what} within {max_hops} intermediar{'y' if max_hops == 1 else 'ies'}.",
        hint,
    )


def how_do_i_know(
    store: Store,
    person: str,
    *,
    k: int = 3,
    max_hops: int = 3,
    now: datetime | None = None,
    network: Network | None = None,
) -> list[Route]:
    """The user's best paths to one person, each hop with its evidence."""
    return find_routes(
        store, target_person=person, k=k, max_hops=max_hops, alumni=0, now=now, network=network
    )


def log_outcome(
    store: Store,
    outcome: OutcomeKind | str,
    *,
    route: Route | None = None,
    via: str | None = None,
    to: str | None = None,
    at: datetime | None = None,
    now: datetime | None = None,
    network: Network | None = None,
) -> Outcome:
    """Record what happened when an intro was asked along a route (or via X to Y).

    With ``via``/``to`` the route is the best current one from you (or your team) to ``to``
    that goes through ``via``; its features and shown probability are stored with the
    outcome, so calibration learns from it.
    """
    kind = OutcomeKind(outcome)
    if route is None:
        if not to:
            raise UsageError(
                "Say who the intro was to.", 'e.g. carson outcome --to "Harry Smith" meeting_booked'
            )
        net = network or load_network(store, now=now)
        resolver = Resolver(store)
        target = resolver.person(to)
        via_id = resolver.person(via).id if via else None
        candidates = find_routes(
            store,
            target_person=to,
            k=20,
            max_hops=4,
            via_team=True,
            alumni=0,
            now=now,
            network=net,
        )
        chosen = [r for r in candidates if via_id is None or via_id in r.path]
        if not chosen:
            names = via or "anyone"
            raise NoRouteError(
                f"No route to {target.name} through {names} in your network.",
                "Check the names, or record the tie first (carson import).",
            )
        route = chosen[0]
    out = Outcome(
        at=at or datetime.now(),
        path=route.path,
        target_org_id=route.target_org_id,
        outcome=kind,
        predicted=route.probability,
        features=dict(route.features),
    )
    with store.write():
        return store.add_outcome(out)


def routes_as_json(routes: Sequence[Route]) -> list[dict[str, object]]:
    return [r.model_dump(mode="json") for r in routes]


__all__ = ["find_routes", "how_do_i_know", "log_outcome", "routes_as_json"]
