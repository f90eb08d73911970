"""Meeting probability: priors, intervals, and calibration that learns from outcomes."""

from __future__ import annotations

import random

from carson.graph.probability import (
    beta_cdf,
    fit_calibration,
    interval,
    logit,
    reliability,
    route_raw_probability,
    sigmoid,
)


def test_route_probability_multiplies_hops() -> None:
    assert route_raw_probability([0.8, 0.5], 0.7) == 0.8 * 0.5 * 0.7
    assert route_raw_probability([0.8], 0.7, start_p=0.9) < route_raw_probability([0.8], 0.7)


def test_interval_contains_p_and_narrows_with_evidence() -> None:
    lo8, hi8 = interval(0.37, 8)
    lo500, hi500 = interval(0.37, 500)
    assert lo8 < 0.37 < hi8
    assert lo500 < 0.37 < hi500
    assert hi500 - lo500 < (hi8 - lo8) / 3


def test_beta_cdf_matches_known_values() -> None:
    assert abs(beta_cdf(0.5, 2, 2) - 0.5) < 1e-9
    assert abs(beta_cdf(0.3, 1, 1) - 0.3) < 1e-9
    assert abs(beta_cdf(0.2, 2, 3) - 0.1808) < 1e-4


def test_no_outcomes_means_identity() -> None:
    cal = fit_calibration([], [])
    assert abs(cal(0.37) - 0.37) < 1e-9


def _simulate(n: int, rng: random.Random) -> tuple[list[float], list[int]]:
    """Raw priors are over-confident: truth is sigmoid(0.6 * logit(raw) - 0.4)."""
    raws, ys = [], []
    for _ in range(n):
        raw = rng.uniform(0.03, 0.8)
        true = sigmoid(0.6 * logit(raw) - 0.4)
        raws.append(raw)
        ys.append(1 if rng.random() < true else 0)
    return raws, ys


def test_calibration_error_falls_as_outcomes_accumulate() -> None:
    rng = random.Random(11)
    test_raw, test_y = _simulate(20_000, rng)
    trials = [_simulate(1_000, rng) for _ in range(12)]
    eces = {}
    for n in (0, 50, 200, 1000):
        total = 0.0
        for train_raw, train_y in trials:
            cal = fit_calibration(train_raw[:n], train_y[:n])
            total += reliability([cal(r) for r in test_raw], test_y)[0]
        eces[n] = total / len(trials)
    print("mean ECE by outcomes logged:", {n: round(e, 4) for n, e in eces.items()})
    assert eces[0] > 0.05
    assert eces[0] > eces[50] > eces[200] > eces[1000]
    assert eces[1000] < 0.02


def test_calibration_keeps_order() -> None:
    rng = random.Random(3)
    raws, ys = _simulate(300, rng)
    cal = fit_calibration(raws, ys)
    grid = [i / 100 for i in range(1, 100)]
    vals = [cal(p) for p in grid]
    assert vals == sorted(vals)
