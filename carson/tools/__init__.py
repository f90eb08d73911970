"""The agent's tools: typed arguments in, structured results out.

Each tool is a thin wrapper over a domain API (``carson.graph``, ``carson.notes``,
``carson.drafting``). Tools are read-only except ``log_note`` and ``log_outcome``;
nothing ever sends anything. Names and argument names are a contract with the evals
and every face: add optional arguments freely, never rename.

    registry() -> dict[str, Tool]
    run_tool(ctx, name, args) -> ToolRun
    ToolContext(store, settings)
"""

from __future__ import annotations

from carson.tools.base import Tool, ToolContext, ToolError, ToolRun, registry, run_tool

__all__ = ["Tool", "ToolContext", "ToolError", "ToolRun", "registry", "run_tool"]
