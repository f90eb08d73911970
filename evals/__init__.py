"""Carson's evals: how good and how safe its advice is, as one score table.

``python -m evals`` (or ``make evals``) runs every suite; ``run_suites`` is what the
runner and ``tests/test_evals_fast.py`` call. Each suite is a module here with ``NAME``
and ``run(ctx) -> SuiteResult``; see ``README.md`` for what each one measures.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from importlib import import_module

from evals._core import EvalContext, Metric, SuiteResult, Timer

SUITES = (
    "routing",
    "calibration",
    "intent",
    "drafts",
    "injection",
    "import_robustness",
    "notes_quality",
)

__all__ = ["SUITES", "EvalContext", "Metric", "SuiteResult", "run_suite", "run_suites"]


def run_suite(name: str, ctx: EvalContext) -> SuiteResult:
    """Run one suite; a crash inside it is a failed suite with the traceback, not a crash."""
    if name not in SUITES:
        raise ValueError(f"unknown suite {name!r}; suites: {', '.join(SUITES)}")
    timer = Timer()
    try:
        result: SuiteResult = import_module(f"evals.{name}").run(ctx)
    except Exception as exc:
        result = SuiteResult(name)
        result.metrics = [Metric("suite ran to the end", 0.0, "==", 1.0, note=type(exc).__name__)]
        result.failures = [f"{type(exc).__name__}: {exc}", traceback.format_exc()[-2000:]]
    result.seconds = timer.seconds
    return result


def run_suites(names: Sequence[str] | None, ctx: EvalContext) -> list[SuiteResult]:
    return [run_suite(n, ctx) for n in (names or SUITES)]
