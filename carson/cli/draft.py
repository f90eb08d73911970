"""``carson draft email|call``: an intro-request email or a phone script for one ask."""

from __future__ import annotations

from typing import Any

import typer

from carson.cli import _common

draft_app = typer.Typer(
    help="Draft an intro-request email (with a forwardable blurb) or a phone script.",
    no_args_is_help=True,
)

_VIA = typer.Option(..., "--via", help="Who you are asking for the introduction.")
_TO = typer.Option(..., "--to", help="Whom you want to be introduced to.")
_REASON = typer.Option(None, "--reason", help="The business reason, in one sentence.")


def _brain(s: Any) -> Any:
    """The configured chat model, or None for offline drafts."""
    from carson.agent.brains import brain_spec, make_openai

    kind, name = brain_spec(s)
    if kind == "offline" or name is None:
        return None
    return make_openai(s, name)


def _show(draft: Any, json_out: bool) -> None:
    from carson.drafting import render_text

    if json_out:
        _common.print_json(draft)
        return
    typer.echo(render_text(draft), nl=False)
    if draft.grounding.ok:
        typer.echo("\n✓ Grounded: every name, company, date and detail is in your store.")
    else:
        typer.echo("\n! Check before sending — not found in your store:")
        for item in draft.grounding.flagged:
            typer.echo(f"  - {item}")
    typer.echo(f"Saved to {draft.path}")


@draft_app.command("email")
def email(
    via: str = _VIA,
    to: str = _TO,
    reason: str | None = _REASON,
    json_out: bool = _common.json_option,
) -> None:
    """The email asking VIA to introduce you to TO, with a blurb they can forward."""
    from carson.drafting import draft_email

    s = _common.settings()
    with _common.open_store(s, create=False) as store:
        draft = draft_email(store, via=via, to=to, reason=reason, brain=_brain(s))
    _show(draft, json_out)


@draft_app.command("call")
def call(
    via: str = _VIA,
    to: str = _TO,
    reason: str | None = _REASON,
    json_out: bool = _common.json_option,
) -> None:
    """A phone script for asking VIA to introduce you to TO."""
    from carson.drafting import draft_call

    s = _common.settings()
    with _common.open_store(s, create=False) as store:
        draft = draft_call(store, via=via, to=to, reason=reason, brain=_brain(s))
    _show(draft, json_out)


def register(app: typer.Typer) -> None:
    app.add_typer(draft_app, name="draft")
