"""Carson's exceptions: typed inside, rendered as one readable line at the edge.

Every error carries a ``message`` naming the problem and a ``hint`` naming the fix.
The CLI prints ``Error: message`` and ``hint`` to stderr and exits non-zero; the TUI
shows them as a notification. Tracebacks only appear with ``--debug``.
"""

from __future__ import annotations


class CarsonError(Exception):
    """Base class for every failure a user can see."""

    title = "Carson error"
    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} {self.hint}"


class UsageError(CarsonError):
    """The user asked for something that cannot be done as asked."""

    title = "Usage"
    exit_code = 2


class StoreError(CarsonError):
    """The store could not be read or written."""

    title = "Store"


class StoreLockedError(StoreError):
    """Another process holds the writer lock on the same data home."""

    title = "Store busy"


class ImportFormatError(CarsonError):
    """A file could not be imported; names the file, the record and the problem."""

    title = "Import"


class UnknownPersonError(CarsonError):
    """A name that matches nobody in the store (with "did you mean" suggestions)."""

    title = "Unknown person"

    def __init__(self, name: str, suggestions: list[str] | None = None, kind: str = "person"):
        self.name = name
        self.suggestions = suggestions or []
        self.kind = kind
        if self.suggestions:
            hint = "Did you mean " + " or ".join(f'"{s}"' for s in self.suggestions[:3]) + "?"
        else:
            hint = f"Check the spelling, or add the {kind} by importing contacts (carson import)."
        super().__init__(f'No {kind} called "{name}" in your network.', hint)


class UnknownOrganizationError(UnknownPersonError):
    """A company name that matches no organisation in the store."""

    title = "Unknown company"

    def __init__(self, name: str, suggestions: list[str] | None = None):
        super().__init__(name, suggestions, kind="company")


class LLMUnavailableError(CarsonError):
    """The configured model server cannot be reached or refused the request."""

    title = "Model unavailable"


class NoRouteError(CarsonError):
    """No warm route reaches the target within the hop limit (the hint names alternatives)."""

    title = "No route"
