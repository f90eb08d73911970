"""The brain factory: offline by default, OpenAI or a compatible server when configured."""

from __future__ import annotations

from pathlib import Path

import httpx
import openai
import pytest

from carson.agent import brains
from carson.agent.brains import brain_spec, make_brain, translate_error
from carson.agent.loop import ToolsUnsupportedError
from carson.agent.planner import OfflineBrain
from carson.config import Settings
from carson.errors import LLMUnavailableError, UsageError
from carson.store import Store


def test_offline_is_the_default_without_a_key(carson_home: Path) -> None:
    assert brain_spec(Settings()) == ("offline", None)
    assert brain_spec(Settings(openai_api_key="sk-x")) == ("openai", "gpt-4o-mini")
    assert brain_spec(Settings(openai_api_key="sk-x"), "offline") == ("offline", None)
    assert brain_spec(Settings(), "openai:gpt-4.1") == ("openai", "gpt-4.1")
    assert brain_spec(Settings(openai_base_url="http://127.0.0.1:8080/v1"), "qwen3") == (
        "openai",
        "qwen3",
    )
    with pytest.raises(UsageError):
        brain_spec(Settings(), "ollama:llama3")


def test_make_brain_offline_is_the_planner(store: Store) -> None:
    assert isinstance(make_brain(Settings(home=store.home), store), OfflineBrain)


def test_real_model_clients_are_blocked_in_tests(store: Store) -> None:
    with pytest.raises(RuntimeError, match="fake_chat"):
        make_brain(Settings(home=store.home, openai_api_key="sk-test"), store)


def test_openai_brain_gets_base_url_timeout_and_retries(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(brains, "ALLOW_MODEL_REQUESTS", True)  # builds, never calls
    s = Settings(home=store.home, openai_base_url="http://127.0.0.1:9/v1", model="tiny")
    llm = make_brain(s, store)
    assert llm.model_name == "tiny"  # type: ignore[attr-defined]
    assert llm.openai_api_base == "http://127.0.0.1:9/v1"  # type: ignore[attr-defined]
    assert llm.request_timeout == brains.TIMEOUT  # type: ignore[attr-defined]
    assert llm.max_retries == brains.RETRIES  # type: ignore[attr-defined]


def test_a_model_name_without_key_or_server_is_a_clear_error(store: Store) -> None:
    with pytest.raises(LLMUnavailableError, match="OPENAI_API_KEY"):
        make_brain(Settings(home=store.home), store, model="openai:gpt-4o")


def _req() -> httpx.Request:
    return httpx.Request("POST", "http://127.0.0.1:11434/v1/chat/completions")


def test_client_errors_become_readable_carson_errors() -> None:
    down = translate_error(openai.APIConnectionError(request=_req()))
    assert isinstance(down, LLMUnavailableError)
    assert (
        down.message == "Can't reach model at http://127.0.0.1:11434: start the server or unset it."
    )

    slow = translate_error(openai.APITimeoutError(request=_req()))
    assert isinstance(slow, LLMUnavailableError) and "in time" in slow.message

    resp = httpx.Response(400, request=_req())
    ollama = openai.BadRequestError("llama3 does not support tools", response=resp, body=None)
    assert isinstance(translate_error(ollama), ToolsUnsupportedError)
    other = openai.BadRequestError("context length exceeded", response=resp, body=None)
    assert isinstance(translate_error(other), LLMUnavailableError)
    assert translate_error(ValueError("not a client error")) is None
