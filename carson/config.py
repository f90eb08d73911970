"""Carson's settings: one pydantic-settings class, ``CARSON_`` environment prefix.

``OPENAI_API_KEY`` and ``OPENAI_BASE_URL`` are read under the names the OpenAI SDK uses.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from carson import locations


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CARSON_", extra="ignore")

    home: Path = Field(default_factory=locations.data_home)
    """The data home: the SQLite store, the notes index, drafts and saved sessions."""

    model: str | None = None
    """The brain: ``offline``, ``openai:<model>`` or a model name on an OpenAI-compatible
    server. Unset: ``offline`` unless an OpenAI key or base URL is configured."""

    openai_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "CARSON_OPENAI_API_KEY")
    )
    """Key for OpenAI (or a compatible server that wants one)."""

    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "CARSON_OPENAI_BASE_URL")
    )
    """An OpenAI-compatible server (Ollama, vLLM, llama.cpp server)."""

    lock_timeout: float = 1.0
    """Seconds a writer waits for another Carson process to finish writing."""

    me_emails: list[str] = Field(default_factory=list)
    """The user's own email addresses (for mailbox and calendar imports)."""

    embedder: str = "local"
    """Notes embeddings: ``local`` (the packaged offline MiniLM model) or ``openai[:model]``."""

    @property
    def brain(self) -> str:
        """A short label for the active brain, as the status bar shows it."""
        if self.model and self.model != "offline":
            if self.openai_base_url and not self.model.startswith("openai:"):
                return f"{self.model} @ {self.openai_base_url}"
            return self.model if ":" in self.model else f"openai:{self.model}"
        if self.model == "offline":
            return "offline"
        if self.openai_base_url:
            return f"compatible @ {self.openai_base_url}"
        if self.openai_api_key:
            return "openai:gpt-4o-mini"
        return "offline"
