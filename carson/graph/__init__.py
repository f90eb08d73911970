"""The relationship graph: tie strength with evidence, top-k intro routes, meeting odds.

Public API (everything else in this package is internal)::

    load_network(store, *, now=None) -> Network          # cached per store state
    wait_saved()                                          # its cache entry is on disk
    Network.tie(a, b) -> TieInfo | None                   # strength, context, evidence
    find_routes(store, *, target_company=None, target_person=None, k=5, max_hops=3,
                exclude=(), title_filter=None, via_team=False, alumni=2, now=None)
        -> list[Route]
    how_do_i_know(store, person, *, k=3, max_hops=3) -> list[Route]
    log_outcome(store, outcome, *, route=None, via=None, to=None) -> Outcome
    calibration_report(store.outcomes()) -> CalibrationReport
"""

from carson.graph._load import build_network, invalidate, load_network, wait_saved
from carson.graph.network import Network
from carson.graph.probability import CalibrationReport, calibration_report
from carson.graph.routes import find_routes, how_do_i_know, log_outcome
from carson.graph.strength import TieInfo
from carson.graph.weights import GraphWeights

__all__ = [
    "CalibrationReport",
    "GraphWeights",
    "Network",
    "TieInfo",
    "build_network",
    "calibration_report",
    "find_routes",
    "how_do_i_know",
    "invalidate",
    "load_network",
    "log_outcome",
    "wait_saved",
]
