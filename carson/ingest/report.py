"""The summary an import prints: created / updated / merged / skipped, and the problems."""

from __future__ import annotations

from dataclasses import dataclass, field

from carson.ingest.records import Problem


@dataclass
class ImportReport:
    created: int = 0
    """Records that became new people (or new interactions, notes, ties)."""
    updated: int = 0
    """Records that changed someone already stored from the same source."""
    merged: int = 0
    """Records folded into someone already stored from another source."""
    skipped: int = 0
    """Records not imported; each has a problem saying why."""
    unchanged: int = 0
    """Records already in the store exactly as they are (a re-import)."""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """Caveats about records that did import (an unreadable date, an encoding guess)."""
    new: dict[str, int] = field(default_factory=dict)
    """What the store gained: people, organizations, employments, ties, interactions, notes."""
    files: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)

    def skip(self, problem: Problem) -> None:
        self.skipped += 1
        self.problems.append(problem)

    def extend(self, other: ImportReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.merged += other.merged
        self.skipped += other.skipped
        self.unchanged += other.unchanged
        self.problems += other.problems
        self.warnings += other.warnings
        for k, v in other.new.items():
            self.new[k] = self.new.get(k, 0) + v
        self.files += other.files
        self.formats += other.formats

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.merged)

    def as_dict(self) -> dict[str, object]:
        return {
            "created": self.created,
            "updated": self.updated,
            "merged": self.merged,
            "skipped": self.skipped,
            "unchanged": self.unchanged,
            "problems": [p.as_dict() for p in self.problems],
            "warnings": [p.as_dict() for p in self.warnings],
            "new": self.new,
            "files": self.files,
            "formats": self.formats,
        }

    def lines(self) -> list[str]:
        """A human summary, one line each."""
        out = [
            f"{self.created:,} created, {self.updated:,} updated, {self.merged:,} merged, "
            f"{self.skipped:,} skipped, {self.unchanged:,} unchanged"
        ]
        gained = ", ".join(f"{v:,} {k}" for k, v in self.new.items() if v)
        if gained:
            out.append(f"New in your map: {gained}.")
        for p in self.problems + self.warnings:
            where = f"line {p.line}" if p.line is not None else f"record {p.record}"
            out.append(f"  {p.file}, {where}: {p.reason}")
        return out
