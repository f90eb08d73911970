"""Meeting probability for a route: documented priors, calibrated by logged outcomes.

Prior: each hop's introduction happens with ``p_min + (p_max - p_min) * strength``; a team
route starts with the teammate agreeing to ask (``team_ask``); the target then takes the
meeting with a chance set by their seniority. The route's raw probability is the product.

Calibration: Platt scaling on the raw probability, ``p = sigmoid(a * logit(raw) + b)``,
fitted by maximum a posteriori over logged outcomes with a Gaussian prior centred on the
identity (``a = 1, b = 0``), so with no outcomes the priors stand and each outcome moves
the curve a little. ``meeting_booked`` is a success; ``declined`` and ``no_response`` are
failures; ``intro_made`` is still open and is not used until a later outcome says more.
The slope stays positive, so calibration never reorders routes.

Uncertainty: an 80% interval of a Beta posterior centred on the calibrated probability
with ``prior_strength + labelled outcomes`` pseudo-observations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from carson.graph.weights import GraphWeights
from carson.models import Outcome, OutcomeKind

_EPS = 1e-6


def logit(p: float) -> float:
    p = min(1 - _EPS, max(_EPS, p))
    return math.log(p / (1 - p))


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)


def label(kind: OutcomeKind) -> int | None:
    """1 for a booked meeting, 0 for declined / no response, None while still open."""
    if kind == OutcomeKind.meeting_booked:
        return 1
    if kind in (OutcomeKind.declined, OutcomeKind.no_response):
        return 0
    return None


# ------------------------------------------------------------ Beta quantiles


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c if abs(c) > tiny else 1.0 + aa / tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c if abs(c) > tiny else 1.0 + aa / tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-12:
            break
    return h


def beta_cdf(x: float, a: float, b: float) -> float:
    """Regularised incomplete beta ``I_x(a, b)``."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    ln = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x)
    ln += b * math.log1p(-x)
    front = math.exp(ln)
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1 - x) / b


def beta_ppf(q: float, a: float, b: float) -> float:
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if beta_cdf(mid, a, b) < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def interval(p: float, n_eff: float, mass: float = 0.8) -> tuple[float, float]:
    """Central ``mass`` interval of Beta(p * n + 1, (1 - p) * n + 1), containing ``p``."""
    a, b = p * n_eff + 1.0, (1 - p) * n_eff + 1.0
    tail = (1 - mass) / 2
    lo, hi = beta_ppf(tail, a, b), beta_ppf(1 - tail, a, b)
    return round(min(lo, p), 4), round(max(hi, p), 4)


# --------------------------------------------------------------- calibration


@dataclass(frozen=True)
class Calibration:
    """Platt parameters and how many labelled outcomes they rest on."""

    a: float = 1.0
    b: float = 0.0
    n: int = 0

    def __call__(self, raw: float) -> float:
        return sigmoid(self.a * logit(raw) + self.b)


def fit_calibration(
    raws: Sequence[float], ys: Sequence[int], *, prior_sd: float = 1.0
) -> Calibration:
    """MAP Platt scaling with a Gaussian prior around the identity; slope kept positive."""
    if not raws:
        return Calibration()
    x = np.array([logit(r) for r in raws])
    y = np.asarray(ys, dtype=float)
    theta = np.array([1.0, 0.0])
    prior = np.array([1.0, 0.0])
    lam = 1.0 / prior_sd**2
    design = np.stack([x, np.ones_like(x)], axis=1)
    for _ in range(50):
        z = design @ theta
        p = 1 / (1 + np.exp(-z))
        grad = design.T @ (p - y) + lam * (theta - prior)
        wts = p * (1 - p)
        hess = design.T @ (design * wts[:, None]) + lam * np.eye(2)
        step = np.linalg.solve(hess, grad)
        theta = theta - step
        if float(np.abs(step).max()) < 1e-9:
            break
    return Calibration(a=max(0.05, float(theta[0])), b=float(theta[1]), n=len(raws))


def calibration_from_outcomes(
    outcomes: Sequence[Outcome], weights: GraphWeights | None = None
) -> Calibration:
    w = weights or GraphWeights()
    raws, ys = [], []
    for o in outcomes:
        y = label(o.outcome)
        raw = o.features.get("raw", o.predicted)
        if y is None or raw is None:
            continue
        raws.append(float(raw))
        ys.append(y)
    return fit_calibration(raws, ys, prior_sd=w.calibration_prior_sd)


def route_raw_probability(hop_ps: Sequence[float], target_p: float, start_p: float = 1.0) -> float:
    """The prior: every hop's intro happens, then the target takes the meeting."""
    p = start_p * target_p
    for h in hop_ps:
        p *= h
    return p


# ------------------------------------------------------------------ metrics


class ReliabilityRow(BaseModel):
    low: float
    high: float
    n: int
    predicted: float
    observed: float


class CalibrationReport(BaseModel):
    """How well shown probabilities matched what happened."""

    outcomes: int
    """Outcomes logged in all."""
    labelled: int
    """Outcomes with a final result (meeting booked, declined, no response)."""
    brier: float | None
    ece: float | None
    """Expected calibration error over 10 equal-width bins."""
    slope: float
    intercept: float
    """Current Platt parameters (1 and 0 mean the priors stand)."""
    table: list[ReliabilityRow]


def brier(preds: Sequence[float], ys: Sequence[int]) -> float:
    p, y = np.asarray(preds, float), np.asarray(ys, float)
    return float(np.mean((p - y) ** 2))


def reliability(
    preds: Sequence[float], ys: Sequence[int], bins: int = 10
) -> tuple[float, list[ReliabilityRow]]:
    """Expected calibration error and the per-bin table."""
    p, y = np.asarray(preds, float), np.asarray(ys, float)
    rows: list[ReliabilityRow] = []
    if p.size == 0:
        return 0.0, rows
    which = np.minimum((p * bins).astype(int), bins - 1)
    ece = 0.0
    for i in range(bins):
        m = which == i
        cnt = int(m.sum())
        if not cnt:
            continue
        pred, obs = float(p[m].mean()), float(y[m].mean())
        ece += cnt / p.size * abs(pred - obs)
        rows.append(
            ReliabilityRow(low=i / bins, high=(i + 1) / bins, n=cnt, predicted=pred, observed=obs)
        )
    return ece, rows


def calibration_report(
    outcomes: Sequence[Outcome], weights: GraphWeights | None = None
) -> CalibrationReport:
    """Brier score, ECE and reliability table of the probabilities Carson showed."""
    cal = calibration_from_outcomes(outcomes, weights)
    preds, ys = [], []
    for o in outcomes:
        y = label(o.outcome)
        shown = o.predicted if o.predicted is not None else o.features.get("raw")
        if y is None or shown is None:
            continue
        preds.append(float(shown))
        ys.append(y)
    ece, table = reliability(preds, ys)
    return CalibrationReport(
        outcomes=len(outcomes),
        labelled=len(ys),
        brier=round(brier(preds, ys), 4) if ys else None,
        ece=round(ece, 4) if ys else None,
        slope=round(cal.a, 4),
        intercept=round(cal.b, 4),
        table=table,
    )
