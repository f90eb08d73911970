"""``python -m evals``: run the suites, print the score table, write ``results/latest.json``.

    python -m evals                        every suite, offline brain
    python -m evals --fast                 the subset the test suite runs
    python -m evals --suite routing --suite drafts
    python -m evals --brain openai:gpt-4o-mini     (or set OPENAI_BASE_URL)

Exit status: 0 when every threshold is met, 1 when one is not (suites that could not run
yet are shown as "not available" and do not fail the run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals import SUITES, run_suites
from evals._core import EvalContext, SuiteResult

RESULTS = Path(__file__).parent / "results" / "latest.json"


def machine() -> dict[str, Any]:
    """Cores, RAM and CPU model of this machine (timings and model runs depend on them)."""
    cpu, ram_gib = platform.processor() or platform.machine(), None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gib = round(int(line.split()[1]) / 1024**2, 1)
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "ram_gib": ram_gib,
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def default_brain() -> str:
    """``offline``, unless OPENAI_BASE_URL (or CARSON_MODEL) names a model server."""
    model = os.environ.get("CARSON_MODEL", "").strip()
    if model and model not in ("offline", "auto"):
        return model if model.startswith("openai:") else f"openai:{model}"
    if os.environ.get("OPENAI_BASE_URL"):
        return "openai:" + (model if model not in ("", "auto") else "gpt-4o-mini")
    return "offline"


def table(results: list[SuiteResult], brain: str) -> Any:
    from rich.table import Table

    t = Table(title=f"Carson evals — brain: {brain}", show_lines=False)
    for col in ("suite", "metric", "value", "threshold", "result"):
        t.add_column(col, justify="right" if col in ("value", "threshold") else "left")
    for r in results:
        if not r.available:
            t.add_row(r.name, "—", "—", "—", f"[yellow]not available[/] ({r.reason})")
            continue
        for i, m in enumerate(r.metrics):
            verdict = {True: "[green]pass[/]", False: "[red]FAIL[/]", None: ""}[m.passed]
            name = m.name + (f" [dim]({m.note})[/]" if m.note else "")
            t.add_row(r.name if i == 0 else "", name, m.fmt(m.value), m.threshold, verdict)
        t.add_section()
    return t


def report(results: list[SuiteResult], brain: str, fast: bool) -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "brain": brain,
        "fast": fast,
        "machine": machine(),
        "passed": all(r.passed is not False for r in results),
        "suites": [r.as_json() for r in results],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals", description=__doc__.split("\n")[0])
    ap.add_argument("--brain", default=None, help="offline (default) or openai:<model>")
    ap.add_argument("--suite", action="append", choices=SUITES, help="run only this suite")
    ap.add_argument("--fast", action="store_true", help="the subset the test suite runs")
    ap.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    ap.add_argument("--keep", action="store_true", help="keep the scratch homes")
    args = ap.parse_args(argv)
    brain = args.brain or default_brain()
    if brain != "offline" and not brain.startswith("openai:"):
        ap.error("--brain is offline or openai:<model>")
    from rich.console import Console

    console = Console()
    ctx = EvalContext(brain=brain, fast=args.fast)
    try:
        results = []
        for name in args.suite or SUITES:
            with console.status(f"running {name}…"):
                results += run_suites([name], ctx)
            r = results[-1]
            state = "not available" if not r.available else ("ok" if r.passed else "FAILED")
            console.print(f"{name}: {state} in {r.seconds:.1f} s")
    finally:
        if not args.keep:
            ctx.cleanup()
        else:
            console.print(f"scratch homes kept in {ctx.workdir}")
    console.print(table(results, brain))
    for r in results:
        for f in r.failures[:8]:
            console.print(f"[red]{r.name}[/]: {f.splitlines()[0] if f else f}", highlight=False)
    data = report(results, brain, args.fast)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    console.print(f"wrote {args.out}")
    return 0 if data["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
