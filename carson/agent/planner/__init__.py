"""The offline planner: intent by rules and nearest labelled examples, names and companies
by the store's gazetteer, answers composed from tool results.

    OfflineBrain(store)                   the brain ``make_brain`` gives the loop
    PlannerChatModel.for_store(store)     the same, as a LangChain ``BaseChatModel``
    Planner(store).plan(text, history) -> Plan(calls=[Call(name, args)], reply=...)

Imported lazily: ``PlannerChatModel`` pulls in LangChain's chat-model stack (~0.5 s).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Call": "carson.agent.planner.plan",
    "Context": "carson.agent.planner.plan",
    "Plan": "carson.agent.planner.plan",
    "Planner": "carson.agent.planner.plan",
    "OfflineBrain": "carson.agent.planner.respond",
    "respond": "carson.agent.planner.respond",
    "PlannerChatModel": "carson.agent.planner.model",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'carson.agent.planner' has no attribute {name!r}")
    return getattr(import_module(module), name)
