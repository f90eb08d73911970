"""The evals' fast subset, with the issue's thresholds: CI fails when quality drops.

Each suite runs as ``python -m evals --fast`` runs it (fewer worlds, pairs, files and
kills; the same bars). A suite whose subject has not landed reports "not available".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from evals import SUITES, EvalContext, SuiteResult, run_suite
from evals.__main__ import main, table


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EvalContext]:
    c = EvalContext(fast=True, workdir=tmp_path_factory.mktemp("evals"))
    yield c
    c.cleanup()


def _explain(r: SuiteResult) -> str:
    rows = [f"{m.name}: {m.fmt(m.value)} (want {m.threshold})" for m in r.metrics]
    return "\n".join(rows + r.failures[:10])


# Suites failing because of a known product bug: a strict xfail naming it, so the test
# turns red once the bug is fixed and the entry can go.
KNOWN_PRODUCT_FAILURES: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            n,
            marks=pytest.mark.xfail(reason=KNOWN_PRODUCT_FAILURES[n], strict=True),
        )
        if n in KNOWN_PRODUCT_FAILURES
        else n
        for n in SUITES
    ],
)
def test_suite_meets_its_thresholds(ctx: EvalContext, name: str) -> None:
    r = run_suite(name, ctx)
    if not r.available:
        pytest.skip(f"{name}: not available ({r.reason})")
    assert r.metrics, name
    assert r.passed, _explain(r)


def test_runner_writes_the_table_and_results(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    code = main(["--suite", "calibration", "--fast", "--out", str(out)])
    data = json.loads(out.read_text())
    assert code == 0
    assert data["brain"] == "offline"
    assert {"cores", "ram_gib", "cpu"} <= set(data["machine"])
    assert data["date"]
    (suite,) = data["suites"]
    ece = next(m for m in suite["metrics"] if m["name"] == "ECE after 1,000")
    assert ece["threshold"] == {"op": "<=", "bound": 0.05}
    assert ece["passed"] is True


def test_an_unavailable_suite_is_shown_not_failed() -> None:
    from rich.console import Console

    r = SuiteResult.unavailable("intent", "the agent has not landed")
    assert r.passed is None
    console = Console(width=120, record=True)
    console.print(table([r], "offline"))
    assert "not available" in console.export_text()
