"""Load draft templates and personas from ``prompts/*.md`` and fill them safely.

A minimal loader in the format of ``prompts/README.md`` (front matter with ``name``,
``version`` and ``variables``), kept here until ``carson.agent.prompts`` lands. A file's
body is either free text (a prompt sent to a model) or a *phrase bank*: ``## key``
sections, each a list of ``- alternative`` lines. Every ``{placeholder}`` in a file must
be declared in ``variables``; filling one rejects a missing or an unknown variable.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import carson

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


class TemplateError(Exception):
    """A template file is malformed or was filled with the wrong variables (a programmer error)."""


def prompts_dir() -> Path:
    """``carson/_prompts`` inside a wheel, else the repository's top-level ``prompts/``."""
    pkg = Path(carson.__file__).parent
    shipped = pkg / "_prompts"
    return shipped if shipped.is_dir() else pkg.parent / "prompts"


def placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@dataclass(frozen=True)
class Template:
    name: str
    version: int
    variables: tuple[str, ...]
    body: str
    sections: dict[str, list[str]] = field(default_factory=dict)

    def fill(self, text: str, values: dict[str, object]) -> str:
        unknown = set(values) - set(self.variables)
        if unknown:
            raise TemplateError(f"{self.name}: unknown variables {sorted(unknown)}")
        missing = placeholders(text) - set(values)
        if missing:
            raise TemplateError(f"{self.name}: missing variables {sorted(missing)}")
        return text.format_map(values)

    def render(self, **values: object) -> str:
        """The whole body filled in (for prompts sent to a model)."""
        return self.fill(self.body, values)

    def options(self, key: str) -> list[str]:
        try:
            return self.sections[key]
        except KeyError:
            raise TemplateError(f"{self.name}: no section {key!r}") from None

    def has(self, key: str) -> bool:
        return key in self.sections

    def pick(self, key: str, seed: int, **values: object) -> str:
        """One alternative of section ``key`` (chosen by ``seed``), filled in.

        Alternatives whose placeholders are not all provided are skipped, so a bank
        can hold richer lines that apply only when a fact is known.
        """
        usable = [o for o in self.options(key) if placeholders(o) <= set(values)]
        if not usable:
            raise TemplateError(f"{self.name}: no alternative of {key!r} fits {sorted(values)}")
        return self.fill(usable[seed % len(usable)], values)


def _front_matter(text: str, path: Path) -> tuple[dict[str, str], str]:
    match = _FRONT.match(text)
    if not match:
        raise TemplateError(f"{path}: missing front matter (---\\nname: …\\n---)")
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        if line.strip():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
    return meta, text[match.end() :]


def _sections(body: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif line.startswith("- ") and current is not None:
            current.append(line[2:].strip())
        elif line.startswith("  ") and current:
            current[-1] += " " + line.strip()
    return sections


def parse(text: str, path: Path) -> Template:
    meta, body = _front_matter(text, path)
    for key in ("name", "version", "variables"):
        if key not in meta:
            raise TemplateError(f"{path}: front matter needs {key!r}")
    raw = meta["variables"].strip().strip("[]")
    variables = tuple(v.strip() for v in raw.split(",") if v.strip())
    undeclared = placeholders(body) - set(variables)
    if undeclared:
        raise TemplateError(f"{path}: undeclared variables {sorted(undeclared)}")
    return Template(
        name=meta["name"],
        version=int(meta["version"]),
        variables=variables,
        body=body.strip() + "\n",
        sections=_sections(body),
    )


@cache
def load(name: str) -> Template:
    """The template ``prompts/<name>.md``."""
    path = prompts_dir() / f"{name}.md"
    if not path.is_file():
        raise TemplateError(f"no template {name!r} in {path.parent}")
    return parse(path.read_text(encoding="utf-8"), path)
