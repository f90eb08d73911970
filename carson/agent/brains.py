"""The brain factory: the offline planner, OpenAI, or any OpenAI-compatible server.

``make_brain(settings, store)`` picks by ``--model`` / ``CARSON_MODEL``:

- ``offline`` (the default when no key or base URL is set): the deterministic planner;
- ``openai:<model>``: OpenAI with ``OPENAI_API_KEY`` (``OPENAI_BASE_URL`` if set);
- any other name with ``OPENAI_BASE_URL`` set: that model on a compatible server (Ollama,
  vLLM, llama.cpp server).

``langchain-openai`` is imported only when an OpenAI brain is built (it costs ~1 s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carson.config import Settings
from carson.errors import CarsonError, LLMUnavailableError, UsageError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from carson.agent.planner.respond import OfflineBrain
    from carson.resolve import Resolver
    from carson.store import Store

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
TIMEOUT = 60.0
"""Seconds to wait for a model reply before giving up."""
RETRIES = 2
"""Retries on timeouts, rate limits and 5xx (with the SDK's backoff)."""


def brain_spec(settings: Settings, model: str | None = None) -> tuple[str, str | None]:
    """("offline", None) or ("openai", model name), from ``--model`` or the settings."""
    name = (model or settings.model or "").strip()
    if name in ("", "auto"):
        if settings.openai_api_key or settings.openai_base_url:
            return "openai", DEFAULT_OPENAI_MODEL
        return "offline", None
    if name == "offline":
        return "offline", None
    if name.startswith("openai:"):
        return "openai", name.split(":", 1)[1] or DEFAULT_OPENAI_MODEL
    if ":" in name and not settings.openai_base_url:
        raise UsageError(
            f'Unknown brain "{name}".',
            "Use --model offline, --model openai:<model>, or set OPENAI_BASE_URL for a "
            "compatible server.",
        )
    return "openai", name


def make_brain(
    settings: Settings,
    store: Store,
    *,
    model: str | None = None,
    timeout: float = TIMEOUT,
    resolver: Resolver | None = None,
) -> BaseChatModel | OfflineBrain:
    """The chat model behind the agent for these settings."""
    kind, name = brain_spec(settings, model)
    if kind == "offline":
        return make_planner(store, resolver=resolver)
    assert name is not None
    return make_openai(settings, name, timeout=timeout)


def make_planner(store: Store, *, resolver: Resolver | None = None) -> OfflineBrain:
    """The offline planner, behind the loop's interface without LangChain's chat-model stack
    (``carson.agent.planner.PlannerChatModel`` is the same brain as a ``BaseChatModel``)."""
    from carson.agent.planner.respond import OfflineBrain

    return OfflineBrain(store, resolver=resolver)


def make_openai(
    settings: Settings, model: str, *, timeout: float = TIMEOUT, retries: int = RETRIES
) -> BaseChatModel:
    """``ChatOpenAI`` for OpenAI or a compatible ``base_url``, with timeouts and retries."""
    if not settings.openai_api_key and not settings.openai_base_url:
        raise LLMUnavailableError(
            f"No OpenAI key for the model {model!r}.",
            "Set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server), or use --model offline.",
        )
    _check_allowed()
    from langchain_openai import ChatOpenAI

    kwargs: dict[str, Any] = {
        "model": model,
        "timeout": timeout,
        "max_retries": retries,
        # a local server wants some key; it is never sent anywhere else
        "api_key": settings.openai_api_key or "not-needed",
    }
    if settings.openai_base_url:
        kwargs["base_url"] = settings.openai_base_url
    llm = ChatOpenAI(**kwargs)
    llm.metadata = {"carson_base_url": settings.openai_base_url or "https://api.openai.com/v1"}
    return llm


def _where(exc: BaseException) -> str:
    request = getattr(exc, "request", None)
    url = getattr(request, "url", None)
    if url is not None:
        return f"{url.scheme}://{url.host}" + (f":{url.port}" if url.port else "")
    return "$OPENAI_BASE_URL"


def translate_error(exc: BaseException) -> CarsonError | None:
    """A readable Carson error for a model-client failure, or None if it isn't one."""
    from carson.agent.loop import ToolsUnsupportedError

    try:
        import openai
    except ModuleNotFoundError:  # pragma: no cover - openai is a core dependency
        return None
    if isinstance(exc, openai.APITimeoutError):
        return LLMUnavailableError(
            f"The model at {_where(exc)} did not answer in time.",
            "Check the server is not overloaded, or use --model offline.",
        )
    if isinstance(exc, openai.APIConnectionError):
        return LLMUnavailableError(
            f"Can't reach model at {_where(exc)}: start the server or unset it.",
            "Unset OPENAI_BASE_URL (or use --model offline) to use the offline planner.",
        )
    if isinstance(exc, openai.AuthenticationError):
        return LLMUnavailableError(
            "The model server refused the API key.", "Check OPENAI_API_KEY, or use --model offline."
        )
    if isinstance(exc, openai.NotFoundError):
        return LLMUnavailableError(
            f"The model server has no such model: {exc.message}",
            "Check --model / CARSON_MODEL against the server's model list.",
        )
    if isinstance(exc, openai.APIStatusError) and exc.status_code in (400, 422, 500, 501):
        # Ollama: "does not support tools"; vLLM: "auto tool choice requires ...";
        # llama.cpp without --jinja: "tools param requires --jinja flag" (a 500)
        text = str(exc.message).lower()
        if "tool" in text or "function" in text:
            return ToolsUnsupportedError(
                f"The model can't call tools ({exc.message}).",
                "Use a model with tool calling for full answers.",
            )
    if isinstance(exc, openai.BadRequestError):
        return LLMUnavailableError(f"The model server rejected the request: {exc.message}")
    if isinstance(exc, openai.APIStatusError):
        return LLMUnavailableError(
            f"The model server failed ({exc.status_code}): {exc.message}",
            "Try again, or use --model offline.",
        )
    return None


ALLOW_MODEL_REQUESTS = True
"""Tests set this False (autouse fixture) so an accidental real model call fails loudly."""


def _check_allowed() -> None:
    if not ALLOW_MODEL_REQUESTS:
        raise RuntimeError(
            "A test tried to build a real model client; use the fake_chat fixture, or mark the "
            "test e2e and allow model requests."
        )
