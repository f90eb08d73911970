"""Calibration: do the meeting probabilities Carson shows match what happens?

A known generating model stands in for the world: a route whose prior (raw) probability
is ``r`` really books a meeting with probability ``sigmoid(0.7 * logit(r) - 0.6)`` —
Carson's priors are optimistic, more so for the routes it likes most. Outcomes are drawn
from that model and logged through the graph's API (``log_outcome`` with the route, so
its features travel with it), 0, 50, 200 and 1,000 of them; after each amount the
probabilities Carson would now show (``calibration_report``'s Platt slope and intercept
applied to the raw probability) are scored on 20,000 fresh routes from the same world.

Metrics: Brier score and expected calibration error (10 equal-width bins) after each
amount; the bar is ECE ≤ 0.05 after 1,000 outcomes. The Brier score of the true
probabilities is reported as the floor no model can beat.
"""

from __future__ import annotations

import math

import numpy as np

from carson.graph import calibration_report, log_outcome
from carson.models import Hop, OutcomeKind, Route
from carson.store import Store
from evals._core import EvalContext, Metric, SuiteResult, Timer

NAME = "calibration"
TRUE_SLOPE = 0.7
TRUE_INTERCEPT = -0.6
AMOUNTS = (0, 50, 200, 1000)
HELD_OUT = 20_000
REPEATS = 3


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def true_probability(raw: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(TRUE_SLOPE * _logit(raw) + TRUE_INTERCEPT)))


def draw_raw(rng: np.random.Generator, n: int) -> np.ndarray:
    """Prior probabilities shaped like real route lists: mostly low, some warm routes."""
    return np.clip(rng.beta(1.6, 2.6, n), 0.01, 0.95)


def ece(preds: np.ndarray, ys: np.ndarray, bins: int = 10) -> float:
    which = np.minimum((preds * bins).astype(int), bins - 1)
    total = 0.0
    for i in range(bins):
        m = which == i
        if m.any():
            total += m.sum() / preds.size * abs(preds[m].mean() - ys[m].mean())
    return float(total)


def _route(raw: float) -> Route:
    hops = [Hop(person_id=1, name="You"), Hop(person_id=2, name="Connector")]
    hops.append(Hop(person_id=3, name="Target"))
    return Route(
        hops=hops,
        probability=raw,
        low=raw,
        high=raw,
        summary="simulated route",
        features={"raw": raw},
    )


def _one(ctx: EvalContext, rep: int) -> dict[int, tuple[float, float]]:
    rng = np.random.default_rng(1000 + rep)
    test_raw = draw_raw(rng, HELD_OUT)
    test_y = (rng.random(HELD_OUT) < true_probability(test_raw)).astype(float)
    train_raw = draw_raw(rng, max(AMOUNTS))
    train_y = rng.random(train_raw.size) < true_probability(train_raw)
    out: dict[int, tuple[float, float]] = {}
    home = ctx.home(f"calibration-{rep}")
    with Store(home) as store:
        logged = 0
        for amount in AMOUNTS:
            while logged < amount:
                kind = OutcomeKind.meeting_booked if train_y[logged] else OutcomeKind.no_response
                log_outcome(store, kind, route=_route(round(float(train_raw[logged]), 6)))
                logged += 1
            report = calibration_report(store.outcomes())
            z = report.slope * _logit(test_raw) + report.intercept
            shown = 1 / (1 + np.exp(-z))
            out[amount] = (float(np.mean((shown - test_y) ** 2)), ece(shown, test_y))
    return out


def run(ctx: EvalContext) -> SuiteResult:
    timer = Timer()
    res = SuiteResult(NAME)
    reps = [_one(ctx, r) for r in range(1 if ctx.fast else REPEATS)]
    rng = np.random.default_rng(1)
    raw = draw_raw(rng, HELD_OUT)
    truth = true_probability(raw)
    ys = (rng.random(HELD_OUT) < truth).astype(float)
    floor = float(np.mean((truth - ys) ** 2))
    for amount in AMOUNTS:
        b = sum(r[amount][0] for r in reps) / len(reps)
        e = sum(r[amount][1] for r in reps) / len(reps)
        res.metrics.append(Metric(f"Brier after {amount:,}", round(b, 4)))
        bar = ("<=", 0.05) if amount == max(AMOUNTS) else (None, None)
        res.metrics.append(Metric(f"ECE after {amount:,}", round(e, 4), *bar))
    res.metrics.append(Metric("Brier of true probabilities", round(floor, 4), note="floor"))
    res.details = {
        "generating_model": f"sigmoid({TRUE_SLOPE} * logit(raw) + {TRUE_INTERCEPT})",
        "repeats": len(reps),
        "held_out": HELD_OUT,
    }
    if not math.isfinite(res.metrics[-2].value or math.nan):
        res.failures.append("ECE after 1,000 is not a number")
    res.seconds = timer.seconds
    return res
