"""Shared fixtures. User folders are redirected to a temporary path for every test, the
network is disabled for the whole run (pytest-socket, see pyproject), and the real
bundled model is loaded once per session for engine, eval and end-to-end tests."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

import pytest

from botcore.config import Settings, bundled_corpus_dir, force_offline
from botcore.embedder import HashingEmbedder

force_offline()

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATC_GUIDE_DATA_DIR", str(tmp_path / "user-data"))
    monkeypatch.setenv("ATC_GUIDE_CACHE_DIR", str(tmp_path / "user-cache"))
    monkeypatch.setenv("ATC_GUIDE_DOCUMENTS_DIR", str(tmp_path / "user-documents"))


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("index-cache")


@pytest.fixture(scope="session")
def real_engine(session_cache: Path, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """The engine on the bundled corpus and the real all-MiniLM-L6-v2 model."""
    from botcore.engine import Engine

    settings = Settings(cache_dir=session_cache, data_dir=tmp_path_factory.mktemp("data"))
    return Engine.load(settings)


@pytest.fixture(scope="session")
def triage():  # noqa: ANN201
    """The screen on the approved lexicon (``corpus/triage.yaml``), compiled once per run
    for every test module that screens text without an engine (a module may override it)."""
    from botcore.triage import Triage, load_lexicon

    return Triage(load_lexicon(REPO / "corpus" / "triage.yaml"))


@pytest.fixture(scope="session")
def fake_engine(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """The same engine with a hashing embedder: fast, for logic that does not need meaning."""
    from botcore.engine import Engine

    settings = Settings(cache_dir=tmp_path_factory.mktemp("fake-cache"),
                        data_dir=tmp_path_factory.mktemp("fake-data"))
    return Engine.load(settings, embedder=HashingEmbedder())


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus, for tests that edit or damage it."""
    target = tmp_path / "corpus"
    shutil.copytree(bundled_corpus_dir(), target)
    return target


_MODEL_FIXTURES = {"real_engine"}
"""Fixtures that load the real embedding model: a test that uses one is a `model` test."""


_APP_FIXTURES = {"snap_compare"}
"""Fixtures that drive a whole Textual app: a test that uses one is an `app` test."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs the real model (`model`) and every test that drives a
    Textual app through Pilot or a snapshot (`app`: an async test or one using
    ``snap_compare``), so `make test-fast` (``-m "not model and not app"``) is the quick
    unit tier, `make test-app` the app tier, and `make test` still runs everything."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if _MODEL_FIXTURES & names:
            item.add_marker(pytest.mark.model)
        function = getattr(item, "function", None)
        function = getattr(function, "__wrapped__", function)  # the async plugin wraps it
        if _APP_FIXTURES & names or inspect.iscoroutinefunction(function) \
                or item.get_closest_marker("asyncio") is not None:
            item.add_marker(pytest.mark.app)
