"""The offline planner: intent and arguments on the labelled phrasing set, context,
and "did you mean" instead of a wrong guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from carson.agent.conversation import Conversation
from carson.agent.phrasings import args_match, evaluate, load
from carson.config import Settings
from carson.store import Store

PHRASINGS = Path(__file__).resolve().parent.parent / "evals" / "phrasings"


@pytest.mark.slow
@pytest.mark.parametrize("split", ["dev", "test"])
def test_planner_scores_at_least_95_percent_on_its_phrasings(demo_store: Store, split: str) -> None:
    items = load(PHRASINGS / f"{split}.jsonl")
    report = evaluate(demo_store, items)
    failures = "\n".join(
        f"{o.id} {o.text!r}: want {o.expected} got {o.got}" for o in report.failures()
    )
    assert report.accuracy >= 0.95, f"{report.table()}\n{failures}"


def test_phrasing_set_is_big_and_covers_every_tool() -> None:
    items = load(PHRASINGS / "dev.jsonl") + load(PHRASINGS / "test.jsonl")
    assert len(items) >= 150
    assert len({i["text"] for i in items}) >= 150
    tools = {i["tool"] for i in items}
    assert tools >= {
        "find_routes", "person_profile", "how_do_i_know", "search_notes", "draft_intro_email",
        "draft_phone_script", "rehearse", "reconnect_suggestions", "help_first", "log_note",
        "log_outcome", None,
    }  # fmt: skip
    assert any(i.get("context") for i in items)  # follow-ups


def test_free_text_arguments_need_only_the_expected_words() -> None:
    assert args_match({"query": "payroll problems"}, {"query": "payroll problems team"})
    assert not args_match({"query": "payroll problems"}, {"query": "payroll"})
    assert not args_match({"person": "Harry Smith"}, {"person": "Harry Smith", "k": 3})


def _conv(store: Store, session: str | None = None) -> Conversation:
    return Conversation(Settings(home=store.home), store, session=session)


def test_follow_ups_resolve_from_context(demo_store: Store) -> None:
    conv = _conv(demo_store)
    first = conv.ask("what's the quickest way into Goldman Sachs?")
    assert first.tool_calls[0].args == {"target_company": "Goldman Sachs"}
    assert "41%" in first.answer or "%" in first.answer
    assert "John Jacobs" in first.answer

    second = conv.ask("what about Morgan Stanley?")
    assert [(c.name, c.args) for c in second.tool_calls] == [
        ("find_routes", {"target_company": "Morgan Stanley"})
    ]
    third = conv.ask("how do I know Harry Smith?")
    assert [(c.name, c.args) for c in third.tool_calls] == [
        ("how_do_i_know", {"person": "Harry Smith"})
    ]
    conv.ask("routes into GS")
    draft = conv.ask("draft the email for the second route")
    [call] = draft.tool_calls
    assert call.args == {"route_index": 2}
    second_route = conv.agent.ctx.recent_routes[1]
    if len(second_route.hops) >= 3:
        assert call.ok, call.result
        assert call.result["draft"]["via"] == second_route.hops[1].name
    else:  # a direct route: nobody to ask for an intro, and the tool says so
        assert not call.ok and "directly" in call.result["error"]


def test_unknown_names_get_did_you_mean_not_a_guess(demo_store: Store) -> None:
    conv = _conv(demo_store)
    typo = conv.ask("how do I know Harold Smithers?")
    assert typo.tool_calls == []
    assert "Did you mean" in typo.answer
    unknown = conv.ask("quickest way into Acme Rockets Inc")
    assert unknown.tool_calls == []
    assert "couldn't find a company" in unknown.answer
    near = conv.ask("routes into goldmn sachs")  # a clear typo resolves
    assert near.tool_calls[0].args == {"target_company": "Goldman Sachs"}


def test_abbreviations_resolve(demo_store: Store) -> None:
    conv = _conv(demo_store)
    assert conv.ask("get me into jpm").tool_calls[0].args == {"target_company": "JPMorgan Chase"}
    assert conv.ask("routes into GS").tool_calls[0].args == {"target_company": "Goldman Sachs"}


def test_a_session_carries_context_across_processes(demo_store: Store) -> None:
    _conv(demo_store, "deal").ask("what's the quickest way into Goldman Sachs?")
    again = _conv(demo_store, "deal")  # a new process would do exactly this
    result = again.ask("draft the email to John")
    assert result.tool_calls[0].args == {"via": "John Jacobs"}
    assert result.tool_calls[0].result["draft"]["to"] == "Harry Smith"


def test_log_note_writes_and_is_searchable(demo_store: Store) -> None:
    conv = _conv(demo_store)
    before = demo_store.counts().notes
    result = conv.ask("note that Harry Smith is training for the Berlin marathon")
    [call] = result.tool_calls
    assert call.name == "log_note" and call.ok, call.result
    assert demo_store.counts().notes == before + 1
    assert call.result["people"] == ["Harry Smith"]
    found = conv.ask("what do my notes say about Harry Smith's marathon")
    assert any("Berlin" in r["text"] for r in found.tool_calls[0].result["results"])


def test_the_langchain_chat_model_answers_exactly_as_the_light_brain(demo_store: Store) -> None:
    from langchain_core.language_models import BaseChatModel

    from carson.agent.loop import Agent
    from carson.agent.planner import OfflineBrain, PlannerChatModel
    from carson.tools import ToolContext

    settings = Settings(home=demo_store.home)
    chat_model = PlannerChatModel.for_store(demo_store)
    assert isinstance(chat_model, BaseChatModel)
    runs = []
    for brain in (chat_model, OfflineBrain(demo_store)):
        agent = Agent(brain, ToolContext(demo_store, settings))
        history: list = []  # type: ignore[type-arg]
        answers = []
        for text in ("quickest way into GS", "what about Morgan Stanley?", "who is Harry?"):
            result = agent.run(text, history)
            history += result.messages
            answers.append((result.answer, [(c.name, c.args) for c in result.tool_calls]))
        runs.append(answers)
    assert runs[0] == runs[1]
