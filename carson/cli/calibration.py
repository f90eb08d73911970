"""``carson calibration``: how well Carson's meeting probabilities matched logged outcomes."""

from __future__ import annotations

import typer

from carson.cli import _common


def calibration(json_out: bool = _common.json_option) -> None:
    """Print the Brier score, expected calibration error and a reliability table."""
    from carson.graph import calibration_report

    s = _common.settings()
    with _common.open_store(s, create=False) as store:
        report = calibration_report(store.outcomes())
    if json_out:
        _common.print_json(report)
        return
    typer.echo(f"Outcomes logged: {report.outcomes} ({report.labelled} with a final result)")
    if report.brier is None:
        typer.echo("No final results yet: meeting probabilities use the documented priors.")
        typer.echo(
            'Log one with: carson outcome --via "John Jacobs" --to "Harry Smith" meeting_booked'
        )
        return
    typer.echo(f"Brier score:  {report.brier:.3f}   (0 is perfect; always saying 50% scores 0.25)")
    typer.echo(f"ECE:          {report.ece:.3f}   (mean gap between shown and observed rates)")
    typer.echo(f"Platt curve:  slope {report.slope:.2f}, intercept {report.intercept:+.2f}")
    typer.echo("")
    typer.echo(f"{'shown':>11}  {'n':>5}  {'mean shown':>10}  {'observed':>8}")
    for row in report.table:
        band = f"{row.low:.0%}–{row.high:.0%}"
        typer.echo(f"{band:>11}  {row.n:>5}  {row.predicted:>10.0%}  {row.observed:>8.0%}")


def register(app: typer.Typer) -> None:
    app.command("calibration")(calibration)
