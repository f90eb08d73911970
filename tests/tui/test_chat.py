"""Pilot tests: the real chat app, driven by keyboard on the demo network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from carson.config import Settings
from carson.models import DraftKind
from carson.tui.app import CarsonApp, build_app
from carson.tui.screens.chat import ChatScreen
from carson.tui.screens.draft import DraftScreen
from carson.tui.screens.help import HelpScreen, all_sections, help_content
from carson.tui.screens.rehearsal import RehearsalScreen
from carson.tui.widgets.draft_panel import DraftPanel
from carson.tui.widgets.feedback import FeedbackPanel
from carson.tui.widgets.message import CarsonMessage, ErrorMessage, UserMessage
from carson.tui.widgets.prompt import PromptArea
from carson.tui.widgets.route_card import RouteCard
from carson.tui.widgets.status_bar import StatusBar

pytestmark = pytest.mark.anyio

SIZE = (100, 32)


async def settle(app: CarsonApp, pilot: Any) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def say(app: CarsonApp, pilot: Any, text: str, *, typed: bool = False) -> None:
    """Enter ``text`` at the focused prompt (key by key with ``typed``) and send it."""
    if typed:
        await pilot.press(*[{" ": "space"}.get(c, c) for c in text])
    else:
        prompt = app.focused
        assert isinstance(prompt, PromptArea)
        prompt.insert(text)
    await pilot.press("enter")
    await settle(app, pilot)


def app_on(home: Path) -> CarsonApp:
    return build_app(Settings(home=home), home_label="~/demo")


async def ask_goldman(app: CarsonApp, pilot: Any) -> list[RouteCard]:
    await settle(app, pilot)
    await say(app, pilot, "show me the quickest way into Goldman Sachs", typed=True)
    return list(app.screen.query(RouteCard))


async def test_goldman_question_shows_route_cards_then_a_grounded_email(demo_home: Path) -> None:
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        cards = await ask_goldman(app, pilot)
        assert len(cards) >= 3
        first = cards[0]
        assert app.focused is first, "the first route card is selected after a route answer"
        hops = first.route.hops
        assert (hops[1].name, hops[-1].name) == ("John Jacobs", "Harry Smith")
        body = str(first.query_one(".body").render())
        assert "John Jacobs" in body and "Harry Smith" in body and "█" in body
        assert f"{round(first.route.probability * 100)}%" in str(first.border_title)

        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, DraftScreen)
        draft = app.screen.query_one(DraftPanel).draft
        assert draft.kind == DraftKind.email
        assert (draft.via, draft.to) == ("John Jacobs", "Harry Smith")
        assert draft.grounding.ok
        assert "✓ Grounded" in str(app.screen.query_one("#grounding").render())
        assert draft.blurb and "Harry" in draft.blurb

        await pilot.press("ctrl+g")
        assert app.clipboard.startswith(f"Subject: {draft.subject}")
        assert "forwardable blurb" in app.clipboard

        await pilot.press("end", *"PS", "ctrl+s")
        saved = Path(app.screen.saved_to or "")
        assert saved.parent == demo_home / "drafts"
        assert "PS" in saved.read_text(), "the saved file holds the edited text"


async def test_route_card_details_show_all_evidence(demo_home: Path) -> None:
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        first = (await ask_goldman(app, pilot))[0]
        evidence = [e.text for h in first.route.hops[1:] for e in h.evidence]
        assert len(evidence) > 2
        await pilot.press("enter")
        body = str(first.query_one(".body").render())
        assert all(text in body for text in evidence)
        assert first.route.summary.split(";")[0] in body


async def test_phone_script_from_the_second_key(demo_home: Path) -> None:
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        await ask_goldman(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, DraftScreen)
        draft = app.screen.query_one(DraftPanel).draft
        assert draft.kind == DraftKind.call
        assert draft.via == "John Jacobs"
        assert "Harry" in app.screen.query_one(DraftPanel).text()
        await pilot.press("escape")
        assert isinstance(app.screen, ChatScreen)
        users = [str(m.render()) for m in app.screen.query(UserMessage)]
        assert users[-1].endswith("/call 1"), "the card's key shows up as the command it ran"


async def test_three_turn_rehearsal_ends_with_feedback_quoting_the_seller(
    demo_home: Path,
) -> None:
    app = app_on(demo_home)
    lines = [
        "Hi John, how well do you know Harry these days?",
        "Could you introduce me to Harry? Goldman is reworking payroll and we help banks.",
        "Happy to return the favour. I'll send you a short blurb by Friday, does that work?",
    ]
    async with app.run_test(size=SIZE) as pilot:
        await ask_goldman(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RehearsalScreen)
        assert screen.opening.speaker == "John Jacobs"
        for line in lines:
            await say(app, pilot, line)
        persona_lines = [m for m in screen.query(CarsonMessage) if m.border_title]
        assert len(persona_lines) == 4, "the opening plus one answer per seller line"
        await say(app, pilot, "/end")
        panel = screen.query_one(FeedbackPanel)
        fb = panel.feedback
        names = {c.name for c in fb.checkpoints}
        assert {"clear ask", "business reason", "reciprocity offered"} <= names
        assert {"next step confirmed"} <= names
        met = [c for c in fb.checkpoints if c.met]
        assert met and all(c.quote in lines for c in met)
        assert f'you said "{met[0].quote}"' in str(panel.render())


async def test_a_rehearsal_asked_for_in_words_opens_the_screen_with_that_persona(
    demo_home: Path,
) -> None:
    # The agent's rehearse tool starts the call; the screen takes that very call over, and
    # the chat's next question goes back to the agent, not to the persona.
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await say(app, pilot, "pretend to be Harry Smith")
        screen = app.screen
        assert isinstance(screen, RehearsalScreen)
        assert screen.opening.speaker == "Harry Smith"
        assert app.manager.rehearsal is not None and app.manager.rehearsal.role == "target"
        engine = app.manager.engine
        assert engine.conv.rehearsal is None, "the conversation handed the call to the screen"
        await say(app, pilot, "Hi Harry, John suggested I call. I'd value 20 minutes.")
        assert len([m for m in screen.query(CarsonMessage) if m.border_title]) == 2


async def test_a_teammates_route_card_rehearses_the_call_with_the_teammate(
    demo_home: Path,
) -> None:
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await say(app, pilot, "quickest way into Morgan Stanley through the team?")
        assert app.screen.query(RouteCard)
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, RehearsalScreen)
        assert app.screen.opening.speaker == "Priya Patel"


async def test_poor_rehearsal_gets_advice_not_praise(demo_home: Path) -> None:
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        await ask_goldman(app, pilot)
        await pilot.press("escape")  # from the cards back to the prompt
        await say(app, pilot, "/rehearse 1")
        assert isinstance(app.screen, RehearsalScreen)
        await say(app, pilot, "hey")
        await pilot.press("ctrl+e")
        fb = app.screen.query_one(FeedbackPanel).feedback
        assert not any(c.met for c in fb.checkpoints[1:])
        shown = str(app.screen.query_one(FeedbackPanel).render())
        assert "✗ clear ask" in shown
        # a missed checkpoint quotes the line where it belonged, as `carson rehearse` does
        missed = [c for c in fb.checkpoints if not c.met and c.said]
        assert missed and all(c.said == "hey" for c in missed)
        assert f'✗ {missed[0].name}: you said "hey"' in shown


async def test_opening_the_chat_names_who_is_overdue_for_a_check_in(demo_home: Path) -> None:
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        messages = [m.source for m in app.screen.query(CarsonMessage)]
        assert len(messages) == 2 and messages[1].startswith("Worth a check-in")
        assert "quiet" in messages[1] and "who should I reconnect with?" in messages[1]
        # the seller's turn came from nowhere: the conversation has no call to refer to
        assert app.manager.engine.conv.history == []


async def test_upkeep_commands_answer_in_the_chat(demo_home: Path) -> None:
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await say(app, pilot, "/reconnect")
        answer = list(app.screen.query(CarsonMessage))[-1].source
        assert answer.startswith("Worth a check-in before you need them:")
        assert "last in touch" in answer
        await say(app, pilot, "/give Sarah Lee")
        answer = list(app.screen.query(CarsonMessage))[-1].source
        assert answer.startswith("Introductions you could make") and "Sarah Lee" in answer


async def test_unknown_company_gets_did_you_mean(demo_home: Path) -> None:
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await say(app, pilot, "quickest way into Acme?")
        answer = list(app.screen.query(CarsonMessage))[-1].source
        assert 'Did you mean "Acme' in answer
        assert not app.screen.query(RouteCard)

        await say(app, pilot, "/routes Acme")
        errors = list(app.screen.query(ErrorMessage))
        assert len(errors) == 1
        text = str(errors[0].render())
        assert 'No company called "Acme"' in text
        assert 'Did you mean "Acme' in text
        assert "Traceback" not in text
        await say(app, pilot, "/routes Goldman Sachs")
        assert app.screen.query(RouteCard), "the app keeps working after an error"


async def test_errors_are_messages_and_the_app_keeps_running(demo_home: Path) -> None:
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await say(app, pilot, "/draft")
        await say(app, pilot, "/bogus")
        errors = [e.error for e in app.screen.query(ErrorMessage)]
        assert [e.message for e in errors] == [
            "There is no route to draft for yet.",
            "There is no /bogus command.",
        ]
        assert all(e.hint for e in errors)
        assert app.is_running


async def test_status_bar_shows_brain_home_counts(demo_home: Path) -> None:
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = str(app.screen.query_one(StatusBar).render())
        assert text.startswith("offline · ~/demo · 1,520 people")
        assert "last import" in text


async def test_prompt_history_multiline_and_clear(demo_home: Path) -> None:
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        prompt = app.screen.query_one(PromptArea)
        assert app.focused is prompt, "the prompt is usable straight away"
        await say(app, pilot, "/model")
        await pilot.press("escape")
        await pilot.press(*"one", "ctrl+j", *"two")
        assert prompt.text == "one\ntwo"
        await pilot.press("ctrl+a")  # start of line; nothing to lose
        prompt.load_text("")
        await pilot.press("up")
        assert prompt.text == "/model"
        await pilot.press("down")
        assert prompt.text == ""
        await say(app, pilot, "/clear")
        assert not list(app.screen.query(CarsonMessage))


async def test_help_lists_every_binding_and_command(demo_home: Path) -> None:
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await say(app, pilot, "/help")
        assert isinstance(app.screen, HelpScreen)
    keys = {line.split()[0] for line in help_content(all_sections()).plain.splitlines() if line}
    for key in ("e", "c", "r", "enter", "ctrl+g", "ctrl+s", "ctrl+r", "ctrl+e", "f1", "ctrl+j"):
        assert key in keys
    for command in (
        "/routes", "/draft", "/call", "/rehearse", "/end", "/note", "/reconnect", "/give", "/model"
    ):  # fmt: skip
        assert command in keys


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_theme_toggle(demo_home: Path, theme: str) -> None:
    app = build_app(Settings(home=demo_home), theme=theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        assert app.theme != theme


async def test_typing_on_a_card_goes_to_the_prompt(demo_home: Path) -> None:
    app = app_on(demo_home)
    async with app.run_test(size=SIZE) as pilot:
        await ask_goldman(app, pilot)
        assert isinstance(app.focused, RouteCard)
        await pilot.press("w", "h")
        prompt = app.screen.query_one(PromptArea)
        assert app.focused is prompt and prompt.text == "wh"
        assert isinstance(app.screen, ChatScreen), "'h' and 'w' are not card keys"
