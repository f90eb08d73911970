"""The offline planner: intent by rules and nearest labelled examples, names and companies
by the store's gazetteer, answers composed from tool results.

    PlannerChatModel.for_store(store) -> BaseChatModel
    Planner(store).plan(text, history) -> Plan(calls=[Call(name, args)], reply=...)
"""

from __future__ import annotations

from carson.agent.planner.model import PlannerChatModel
from carson.agent.planner.plan import Call, Context, Plan, Planner

__all__ = ["Call", "Context", "Plan", "Planner", "PlannerChatModel"]
