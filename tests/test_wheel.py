"""The built wheel is a whole product: installed into a fresh venv, away from the
checkout, it carries the corpus and the eval cases and answers a question.

The wheel is built offline from this checkout (``--no-build-isolation``, hatchling is a
dev dependency). The fresh venv gets the wheel with ``--no-deps``; its third-party
dependencies are borrowed from the test's own environment through a plain path entry
(not a ``.pth`` walk, so the checkout's editable install does not leak in), which keeps
the test offline while every line of ATC Guide comes from the wheel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.model  # the installed command loads the real model


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", str(out), str(REPO)],
        capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    (found,) = out.glob("atc_guide-*.whl")
    return found


def test_wheel_carries_corpus_cases_and_assets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    corpus = {str(p.relative_to(REPO / "corpus")) for p in (REPO / "corpus").rglob("*")
              if p.is_file()}
    assert {f"botcore/_corpus/{name}" for name in corpus} <= names
    cases = {str(p.relative_to(REPO)) for p in (REPO / "evals" / "cases").rglob("*.yaml")}
    assert cases and cases <= names
    assert "botcore/export/handout.css" in names
    assert "atc_guide/serve_templates/app_index.html" in names
    assert not any(n.startswith("tests/") for n in names)


def test_installed_wheel_answers_a_question(wheel: Path, tmp_path: Path, session_cache: Path) -> None:
    """The index cache is the suite's shared one: its key is the approved texts, the model
    and the settings, so the installed copy of the same corpus reuses it (or builds it)."""
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True, text=True, timeout=600, check=False)
    assert install.returncode == 0, install.stderr[-3000:]
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    env = {**os.environ, "ATC_GUIDE_CACHE_DIR": str(session_cache),
           "ATC_GUIDE_DATA_DIR": str(tmp_path / "data")}
    env.pop("ATC_GUIDE_CORPUS_DIR", None)
    where = subprocess.run(
        [str(python), "-c", "import botcore.config as c; print(c.bundled_corpus_dir())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(Path(site)), where.stdout
    done = subprocess.run([str(venv / "bin" / "atc-guide"), "ask", "--json", "what is a tracheostomy"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.splitlines()[-1])
    assert answer["status"] == "answered" and answer["snippets"]
