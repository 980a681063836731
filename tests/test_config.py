"""Settings read from the environment (``ATC_GUIDE_<FIELD>``), without pydantic-settings.

The rule, as pydantic-settings had it: a value passed to ``Settings(...)`` wins over the
environment, which wins over the default; the variable's name is matched in any case; a
bad value is a ValidationError naming the field, and the CLI says so in one line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from botcore.config import ENV_PREFIX, Settings, setting_problem


def test_constructor_wins_over_environment_which_wins_over_default(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ATC_GUIDE_TOP_K", raising=False)
    assert Settings().top_k == 3
    monkeypatch.setenv("ATC_GUIDE_TOP_K", "2")
    monkeypatch.setenv("ATC_GUIDE_CACHE_DIR", str(tmp_path / "c"))
    assert Settings().top_k == 2
    assert Settings().cache_dir == tmp_path / "c"
    assert Settings(top_k=4).top_k == 4
    assert Settings(cache_dir=tmp_path / "d").cache_dir == tmp_path / "d"


def test_the_variable_name_is_matched_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in [k for k in os.environ if k.upper() == "ATC_GUIDE_RRF_K"]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("atc_guide_rrf_k", "7")
    assert Settings().rrf_k == 7


def test_unknown_variables_with_the_prefix_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATC_GUIDE_NOT_A_SETTING", "whatever")
    assert Settings().top_k >= 1


@pytest.mark.parametrize(("name", "value"), [("TOP_K", "abc"), ("TOP_K", "9"),
                                             ("ANSWER_TIMEOUT_S", "-1"), ("RRF_K", "0")])
def test_a_bad_value_names_the_variable_and_not_the_value(
        monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(ENV_PREFIX + name, value)
    with pytest.raises(ValidationError) as caught:
        Settings()
    line = setting_problem(caught.value)
    assert ENV_PREFIX + name in line
    assert "\n" not in line
    assert f"'{value}'" not in line


def test_the_cli_reports_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    env = dict(os.environ, ATC_GUIDE_TOP_K="lots", ATC_GUIDE_DATA_DIR=str(tmp_path / "d"),
               ATC_GUIDE_CACHE_DIR=str(tmp_path / "c"))
    done = subprocess.run([sys.executable, "-m", "atc_guide", "ask", "what is a trach"],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "ATC_GUIDE_TOP_K" in lines[0]
    assert "Traceback" not in done.stderr
