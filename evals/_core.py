"""What every suite shares: metrics with thresholds, suite results, the run context.

A suite is a module with ``NAME`` and ``run(ctx: EvalContext) -> SuiteResult``. A metric
carries its value, an optional threshold (``op`` and ``bound``) and whether it passed;
a metric without a threshold is reported, not judged. A suite whose subject has not
landed yet returns ``SuiteResult.unavailable(...)``: the table says so, the run goes on.
"""

from __future__ import annotations

import operator
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
}

DEMO_SEED = 7


@dataclass
class Metric:
    """One number a suite measured, and the bar it must clear (if any)."""

    name: str
    value: float | None
    op: str | None = None
    bound: float | None = None
    unit: str = ""
    """"%" shows value and bound as percentages; "" shows them as they are."""
    note: str = ""

    @property
    def judged(self) -> bool:
        return self.op is not None and self.bound is not None

    @property
    def passed(self) -> bool | None:
        if not self.judged:
            return None
        if self.value is None:
            return False
        assert self.op is not None and self.bound is not None
        return _OPS[self.op](round(self.value, 6), self.bound)

    def fmt(self, x: float | None) -> str:
        if x is None:
            return "—"
        if self.unit == "%":
            return f"{x * 100:.1f}%"
        if float(x).is_integer():
            return f"{int(x):,}"
        return f"{x:.4f}"

    @property
    def threshold(self) -> str:
        return f"{self.op} {self.fmt(self.bound)}" if self.judged else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "threshold": {"op": self.op, "bound": self.bound} if self.judged else None,
            "passed": self.passed,
            "unit": self.unit,
            "note": self.note,
        }


@dataclass
class SuiteResult:
    name: str
    metrics: list[Metric] = field(default_factory=list)
    available: bool = True
    reason: str = ""
    """Why the suite could not run (when not available)."""
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    """Readable descriptions of the cases that failed (for the report)."""
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def unavailable(cls, name: str, reason: str) -> SuiteResult:
        return cls(name=name, available=False, reason=reason)

    @property
    def passed(self) -> bool | None:
        """True when every judged metric passed; None when the suite did not run."""
        if not self.available:
            return None
        return all(m.passed is not False for m in self.metrics)

    def metric(self, name: str) -> Metric:
        for m in self.metrics:
            if m.name == name:
                return m
        raise KeyError(name)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "available": self.available,
            "reason": self.reason,
            "passed": self.passed,
            "seconds": round(self.seconds, 2),
            "metrics": [m.as_json() for m in self.metrics],
            "failures": self.failures[:50],
            "details": self.details,
        }


@dataclass
class EvalContext:
    """What a suite may use: the brain, the subset flag, a scratch folder, the demo."""

    brain: str = "offline"
    """``offline`` or ``openai:<model>`` (a compatible server when OPENAI_BASE_URL is set)."""
    fast: bool = False
    """Run the small subset the test suite runs (same thresholds, fewer cases)."""
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="carson-evals-")))
    _demo: Path | None = None

    def demo_template(self) -> Path:
        """The demo network, generated once per run into a template home (do not write)."""
        if self._demo is None:
            from carson.demo import load_demo

            home = self.workdir / "demo-template"
            load_demo(home, seed=DEMO_SEED)
            self._demo = home
        return self._demo

    def demo_copy(self, name: str) -> Path:
        """A fresh, writable copy of the demo network under ``workdir/name``."""
        home = self.workdir / name
        if home.exists():
            shutil.rmtree(home)
        shutil.copytree(self.demo_template(), home)
        for lock in home.glob("*.lock"):
            lock.unlink()
        return home

    def home(self, name: str) -> Path:
        """An empty data home under ``workdir/name``."""
        home = self.workdir / name
        if home.exists():
            shutil.rmtree(home)
        home.mkdir(parents=True)
        return home

    def brain_model(self) -> Any:
        """A LangChain chat model for drafting with the chosen brain (None: offline)."""
        if self.brain == "offline":
            return None
        from carson.agent.brains import make_openai
        from carson.config import Settings

        name = self.brain.split(":", 1)[1] if ":" in self.brain else self.brain
        return make_openai(Settings(), name)

    def cleanup(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


@contextmanager
def carson_home(home: Path) -> Iterator[Path]:
    """Point ``CARSON_HOME`` at ``home`` for the duration (Settings read it)."""
    old = os.environ.get("CARSON_HOME")
    os.environ["CARSON_HOME"] = str(home)
    try:
        yield home
    finally:
        if old is None:
            os.environ.pop("CARSON_HOME", None)
        else:
            os.environ["CARSON_HOME"] = old


def rate(hits: int, total: int) -> float | None:
    return hits / total if total else None


class Timer:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started
