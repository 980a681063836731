"""The package graph, checked two ways (harlequin's import-hygiene pattern).

Statically, import-linter's contracts in ``pyproject.toml``: botcore below the front
doors, tui and evals apart, atc_guide on top. At run time, in a fresh interpreter: every
headless module, and the headless commands themselves, load no UI library. The static
check cannot see what a command imports lazily; the run-time check can.
"""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
UI_LIBRARIES = ("textual", "textual_serve", "rich")
MODEL_LIBRARIES = ("torch", "sentence_transformers", "transformers")


def _modules(package: str) -> list[str]:
    root = REPO / package
    found = [package]
    for info in pkgutil.walk_packages([str(root)], prefix=f"{package}."):
        if not info.name.endswith("__main__"):
            found.append(info.name)
    return sorted(found)


def _loaded_after(code: str, forbidden: tuple[str, ...], cwd: Path) -> list[str]:
    probe = (f"{code}\nimport sys\n"
             f"print('LOADED:' + ','.join(m for m in {forbidden!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("LOADED:")]
    assert lines, done.stdout[-2000:]
    return [m for m in lines[-1].removeprefix("LOADED:").split(",") if m]


def test_import_linter_contracts_are_kept() -> None:
    exe = Path(sys.executable).parent / "lint-imports"
    command = [str(exe)] if exe.is_file() else [shutil.which("lint-imports") or "lint-imports"]
    done = subprocess.run([*command, "--no-cache"], cwd=REPO, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


@pytest.mark.parametrize("package", ["botcore", "evals"])
def test_headless_modules_load_no_ui_library(package: str) -> None:
    """Every module of the package, imported one after another in one fresh interpreter;
    a UI library that appears is charged to the first module that brought it in."""
    modules = _modules(package)
    code = (
        "import importlib, sys\n"
        f"forbidden = {UI_LIBRARIES!r}\n"
        "charged = []\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    charged += [f'{name}->{m}' for m in forbidden if m in sys.modules\n"
        "                and not any(c.endswith('->' + m) for c in charged)]\n"
        "print('LOADED:' + ','.join(charged))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("LOADED:")]
    assert lines, done.stdout[-2000:]
    leaked = [c for c in lines[-1].removeprefix("LOADED:").split(",") if c]
    assert len(modules) > 10 and not leaked, f"{package} modules loaded a UI library: {leaked}"


def test_import_botcore_loads_no_model_library() -> None:
    leaked = _loaded_after("import botcore", UI_LIBRARIES + MODEL_LIBRARIES, REPO)
    assert not leaked, f"import botcore loaded {leaked}"


def test_packet_command_loads_no_ui_and_no_model(tmp_path: Path) -> None:
    out = tmp_path / "packet"
    code = ("from atc_guide.cli import main\n"
            f"assert main(['packet', '--stage', 'ivc', '--out', {str(out)!r}]) == 0")
    leaked = _loaded_after(code, UI_LIBRARIES + MODEL_LIBRARIES, tmp_path)
    assert not leaked, f"atc-guide packet loaded {leaked}"
    assert (out / "packet.html").is_file()


@pytest.mark.model
def test_ask_command_loads_no_ui_library(tmp_path: Path, session_cache: Path, real_engine: object,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """``atc-guide ask`` answers without Textual (tests/test_onnx_embedder.py also checks
    that it loads no torch or scipy). The session's cache holds the exported model."""
    monkeypatch.setenv("ATC_GUIDE_CACHE_DIR", str(session_cache))
    code = ("import io, sys\nfrom atc_guide.cli import main\n"
            "sys.stdout = io.StringIO()\n"
            "assert main(['ask', '--json', 'what is a tracheostomy']) == 0\n"
            "sys.stdout = sys.__stdout__")
    leaked = _loaded_after(code, ("textual", "textual_serve"), tmp_path)
    assert not leaked, f"atc-guide ask loaded {leaked}"


def test_eval_help_loads_no_ui_library(tmp_path: Path) -> None:
    code = ("from atc_guide.cli import main\n"
            "try:\n    main(['eval', '--help'])\nexcept SystemExit:\n    pass")
    leaked = _loaded_after(code, UI_LIBRARIES + MODEL_LIBRARIES, tmp_path)
    assert not leaked, f"atc-guide eval --help loaded {leaked}"
