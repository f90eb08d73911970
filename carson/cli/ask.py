"""``carson ask "..."``: one question to the agent, answered from your network.

``--session NAME`` continues a saved conversation, so follow-ups work from the shell:

    carson ask --session gs "what's the quickest way into Goldman Sachs?"
    carson ask --session gs "what about Morgan Stanley?"

A rehearsal runs in a session the same way: after "rehearse the call with John", each
``carson ask -s NAME "…"`` is your next line to John, and ``/end`` (or "how did I do?")
gives the feedback. ``--json`` then carries ``rehearsal`` (who Carson plays and their
latest line) while it runs, and ``feedback`` on the turn that ends it.
"""

from __future__ import annotations

import shlex
import sys

import typer

from carson.cli import _common


def ask(
    question: str = typer.Argument(..., help="What to ask, in your own words."),
    session: str | None = typer.Option(
        None, "--session", "-s", help="Continue (and save) the named conversation."
    ),
    model: str | None = typer.Option(
        None,
        "--model",
        "-m",
        help="Brain: offline, openai:<model>, or a model on OPENAI_BASE_URL (default: "
        "CARSON_MODEL, else offline unless a key is set).",
    ),
    stream: bool = typer.Option(
        False, "--stream", help="Print the answer as it is written (model brains)."
    ),
    json_out: bool = _common.json_option,
) -> None:
    """Ask Carson: routes, people, notes, drafts, rehearsal, reconnects, notes and outcomes."""
    from carson.agent.conversation import Conversation
    from carson.agent.safety import strip_control

    s = _common.settings()
    with _common.open_store(s, create=False) as store:
        conv = Conversation(s, store, model=model, session=session)
        streamed = False

        def on_token(text: str) -> None:
            nonlocal streamed
            streamed = True
            sys.stdout.write(text)
            sys.stdout.flush()

        result = conv.ask(question, on_token=on_token if stream and not json_out else None)
    if result.rehearsal is not None and session is None:
        r = result.rehearsal
        flags = f"--via {shlex.quote(r['via'])}"
        if r.get("role", "connector") != "connector":
            flags += f" --to {shlex.quote(r['to'])} --role {r['role']}"
        hint = (
            "A rehearsal carries on only in a saved conversation: "
            f"carson ask -s call {shlex.quote(question)}, then your lines; "
            f"or carson rehearse {flags}."
        )
        result.notice = f"{result.notice} {hint}" if result.notice else hint
    if json_out:
        data = result.as_json()
        data["brain"] = conv.brain_label
        if session:
            data["session"] = session
        _common.print_json(data)
        return
    if result.notice:
        typer.echo(strip_control(result.notice), err=True)
    if streamed:
        typer.echo("")
    else:
        typer.echo(result.answer)


def register(app: typer.Typer) -> None:
    app.command("ask")(ask)
