"""Prompts are files: ``prompts/<name>.md`` with front matter, loaded by name.

Front matter (between ``---`` lines) holds ``name``, ``version`` and ``variables`` (a
list). :func:`render` fills ``{variable}`` fields and rejects missing or unknown ones, so
a prompt and the code that sends it cannot drift apart silently. The files live in the
top-level ``prompts/`` folder of a source checkout and ship inside the wheel as
``carson/_prompts``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from carson.errors import CarsonError

_FIELD = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")


class PromptError(CarsonError):
    """A prompt file is missing, malformed, or rendered with the wrong variables."""

    title = "Prompt"


class Prompt(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: int
    variables: list[str] = Field(default_factory=list)
    description: str | None = None
    text: str

    def render(self, **values: object) -> str:
        """Fill the template; every declared variable must be given, and nothing else."""
        missing = sorted(set(self.variables) - set(values))
        unknown = sorted(set(values) - set(self.variables))
        if missing or unknown:
            raise PromptError(
                f"Prompt {self.name!r} rendered with missing {missing} / unknown {unknown}.",
                "Pass exactly the variables its front matter declares.",
            )
        return _FIELD.sub(
            lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), self.text
        )


def prompts_dirs() -> list[Path]:
    """Where prompt files are looked for: installed package first, then the source tree."""
    here = Path(__file__).resolve().parent.parent  # carson/
    return [here / "_prompts", here.parent / "prompts"]


def _parse_front_matter(raw: str, path: Path) -> tuple[dict[str, object], str]:
    if not raw.startswith("---"):
        raise PromptError(f"{path} has no front matter.", "Start it with name/version/variables.")
    try:
        _, head, body = raw.split("---", 2)
    except ValueError as exc:
        raise PromptError(f"{path}: unterminated front matter.", "Close it with ---.") from exc
    meta: dict[str, object] = {}
    for line in head.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise PromptError(f"{path}: bad front matter line {line!r}.", "Use `key: value`.")
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            meta[key.strip()] = [
                v.strip().strip("'\"") for v in value[1:-1].split(",") if v.strip()
            ]
        else:
            meta[key.strip()] = value.strip("'\"")
    return meta, body.lstrip("\n")


@cache
def load_prompt(name: str) -> Prompt:
    """The prompt called ``name`` (file ``<name>.md``), validated."""
    for folder in prompts_dirs():
        path = folder / f"{name}.md"
        if path.is_file():
            meta, body = _parse_front_matter(path.read_text(encoding="utf-8"), path)
            prompt = Prompt(**meta, text=body)  # type: ignore[arg-type]
            declared = set(prompt.variables)
            used = set(_FIELD.findall(body))
            if used != declared:
                raise PromptError(
                    f"{path}: template fields {sorted(used)} differ from declared "
                    f"variables {sorted(declared)}.",
                    "Declare exactly the {fields} the text uses.",
                )
            if prompt.name != name:
                raise PromptError(f"{path} declares name {prompt.name!r}.", f"Call it {name!r}.")
            return prompt
    raise PromptError(
        f"No prompt called {name!r}.", f"Add prompts/{name}.md (looked in {prompts_dirs()})."
    )
