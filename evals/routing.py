"""Routing: does the planted best route come first, past the decoys?

50 generated worlds (seeds 1-50; see ``_worlds.py`` for what each plants). Per world:

- **you alone**: the best route is you → C → X; decoys are the stale tie (D), the
  ex-employee (E, and E's old colleague W), the LinkedIn hub (H); no route may use
  the teammate P (team routes only with ``via_team``);
- **whole team**: the teammate's route P → Q must come first;
- **exclusions**: excluding C and H by name, and C's company, no route may touch them.

Metrics: best route first / in the top 3 (over both queries), routes through excluded
people, loop-free routes, and an ex-employee never shown as a current route.
"""

from __future__ import annotations

from carson.graph import find_routes
from carson.models import Route, RouteKind
from carson.store import Store
from evals._core import EvalContext, Metric, SuiteResult, Timer, rate
from evals._worlds import NOW, WorldTruth, build_world

NAME = "routing"
SEEDS = range(1, 51)
FAST_SEEDS = range(1, 11)


def _describe(routes: list[Route], truth: WorldTruth) -> str:
    out = []
    for r in routes[:3]:
        roles = [truth.role_of(p) or ("me" if p == truth.me else "bg") for p in r.path]
        out.append(f"{'→'.join(roles)} {r.probability:.2f}")
    return "; ".join(out)


def run(ctx: EvalContext) -> SuiteResult:
    timer = Timer()
    res = SuiteResult(NAME)
    seeds = FAST_SEEDS if ctx.fast else SEEDS
    top1 = top3 = queries = 0
    routes_seen = loop_free = 0
    excl_checked = excl_bad = 0
    team_leaks = alumni_as_current = 0
    decoy_first: dict[str, int] = {}
    for seed in seeds:
        home = ctx.home(f"routing-{seed}")
        truth = build_world(home, seed)
        with Store(home) as store:
            user = find_routes(store, target_company=truth.target, now=NOW)
            team = find_routes(store, target_company=truth.target, via_team=True, now=NOW)
            excluded = {truth.ids["C"], truth.ids["H"]}
            excl = find_routes(
                store,
                target_company=truth.target,
                exclude=[truth.names["C"], truth.names["H"], truth.connector_org],
                now=NOW,
            )
            org = store.organization_named(truth.connector_org)
            assert org is not None and org.id is not None
            excluded |= {e.person_id for e in store.employments(org_id=org.id, current=True)}
        for kind, routes, want in (("user", user, truth.truth), ("team", team, truth.team_truth)):
            current = [r for r in routes if r.kind == RouteKind.current]
            queries += 1
            paths = [r.path for r in current]
            if paths and paths[0] == want:
                top1 += 1
            else:
                first = current[0].path if current else []
                roles = {truth.role_of(p) for p in first} - {None, "C", "X", "P", "Q"}
                for role in roles or {"background"}:
                    decoy_first[str(role)] = decoy_first.get(str(role), 0) + 1
                res.failures.append(
                    f"seed {seed} ({kind}): first routes were {_describe(current, truth)}"
                )
            if want in paths[:3]:
                top3 += 1
        for r in user:
            if truth.ids["P"] in r.path:
                team_leaks += 1
                res.failures.append(f"seed {seed}: a you-alone route uses teammate P")
        for r in user + team + excl:
            routes_seen += 1
            loop_free += len(set(r.path)) == len(r.path)
            if r.kind == RouteKind.current and r.path[-1] == truth.ids["E"]:
                alumni_as_current += 1
        for r in excl:
            excl_checked += 1
            if excluded & set(r.path):
                excl_bad += 1
                res.failures.append(f"seed {seed}: route {_describe([r], truth)} uses excluded")
    res.metrics = [
        Metric("best route first", rate(top1, queries), ">=", 0.90, "%", f"{queries} queries"),
        Metric("best route in top 3", rate(top3, queries), ">=", 0.98, "%"),
        Metric("routes through excluded", float(excl_bad), "==", 0, note=f"of {excl_checked}"),
        Metric("loop-free routes", rate(loop_free, routes_seen), "==", 1.0, "%"),
        Metric("team routes without --team", float(team_leaks), "==", 0),
        Metric("ex-employee shown as current", float(alumni_as_current), "==", 0),
    ]
    res.details = {"worlds": len(seeds), "decoys_ranked_first": decoy_first}
    res.seconds = timer.seconds
    return res
