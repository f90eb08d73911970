"""Shared fixtures: a temporary data home for every test, and the demo network.

Every test runs with ``CARSON_HOME`` pointing at its own temporary directory, so no
test ever touches a real user's data. The demo network is generated once per test
session (it is deterministic) and copied into a test's home when the test asks
for it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from carson.store import Store

DEMO_SEED = 7


@pytest.fixture(autouse=True)
def carson_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "carson-home"
    monkeypatch.setenv("CARSON_HOME", str(home))
    for var in ("CARSON_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "CARSON_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def store(carson_home: Path) -> Iterator[Store]:
    s = Store(carson_home)
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo network, generated once per session into a read-only template home."""
    from carson.demo import load_demo

    home = tmp_path_factory.mktemp("demo-template")
    load_demo(home, seed=DEMO_SEED)
    return home


@pytest.fixture
def demo_home(demo_template: Path, carson_home: Path) -> Path:
    """A fresh copy of the demo network in this test's own home."""
    shutil.copytree(demo_template, carson_home, dirs_exist_ok=True)
    for lock in carson_home.glob("*.lock"):
        lock.unlink()
    return carson_home


@pytest.fixture
def demo_store(demo_home: Path) -> Iterator[Store]:
    s = Store(demo_home)
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _no_real_models(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Building a real model client fails the test, except in tests marked ``e2e``."""
    if request.node.get_closest_marker("e2e") is None:
        from carson.agent import brains

        monkeypatch.setattr(brains, "ALLOW_MODEL_REQUESTS", False)


@pytest.fixture
def fake_chat() -> Iterator[object]:
    """A strict scripted chat model; fails the test if a scripted reply goes unused."""
    from carson.agent.testing import ScriptedChatModel

    fake = ScriptedChatModel()
    yield fake
    fake.assert_done()
