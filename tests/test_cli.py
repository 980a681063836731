"""The command line as a subprocess: the JSON contract, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model  # every test runs the real CLI, which loads the model

REPO = Path(__file__).resolve().parent.parent


def run(args: list[str], env_extra: dict[str, str], stdin: str | None = None,
        timeout: float = 240) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-m", "atc_guide", *args], input=stdin, text=True,
                          capture_output=True, env=env, cwd=REPO, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def cli_env(session_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    # Shares the session's index cache with the real_engine fixture: built once per run.
    return {"ATC_GUIDE_CACHE_DIR": str(session_cache),
            "ATC_GUIDE_DATA_DIR": str(tmp_path_factory.mktemp("cli-data"))}


def test_ask_json_contract_arguments_and_stdin(cli_env: dict[str, str], real_engine) -> None:  # noqa: ANN001
    result = run(["ask", "--json", "what is a tracheostomy", "how do I bake bread"], cli_env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert set(first) == {"question", "status", "tier", "safety_note", "message", "snippets",
                          "suggestions"}
    assert first["tier"] is None and first["safety_note"] is None
    assert first["question"] == "what is a tracheostomy" and first["status"] == "answered"
    assert first["message"] is None
    snippet = first["snippets"][0]
    assert set(snippet) == {
        "passage_id", "title", "text", "citation", "score", "approved_by", "approved_on",
    }
    assert second["status"] == "abstained" and second["message"] and second["snippets"] == []

    piped = run(["ask", "--json"], cli_env, stdin="what is hospice\nmy dad cant breathe\n\n")
    rows = [json.loads(line) for line in piped.stdout.splitlines()]
    assert [r["status"] for r in rows] == ["answered", "escalated", "abstained"]
    assert rows[1]["snippets"] == [] and "911" in rows[1]["message"]
    assert rows[1]["tier"] == "emergency" and rows[0]["tier"] is None


def test_ask_plain_text_shows_citation_and_label(cli_env: dict[str, str], real_engine) -> None:  # noqa: ANN001
    result = run(["ask", "what is hospice"], cli_env)
    assert result.returncode == 0
    assert "Source:" in result.stdout and "Approval:" in result.stdout


def test_usage_errors_are_one_line_exit_2(cli_env: dict[str, str]) -> None:
    for args in (["frobnicate"], ["ask", "--situation", "stage-v"],
                 ["review", "approve", "passage:x"]):
        result = run(args, cli_env)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr


def test_bad_corpus_is_one_line_exit_2(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = run(["corpus", "check"], {**cli_env, "ATC_GUIDE_CORPUS_DIR": str(tmp_path / "nope")})
    assert result.returncode == 2
    assert "corpus folder not found" in result.stderr and "Traceback" not in result.stderr


def test_corpus_json_lists_every_passage(cli_env: dict[str, str]) -> None:
    result = run(["corpus", "--json"], cli_env)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) >= 80
    assert set(rows[0]) == {"id", "topic", "audience", "title", "text", "citation", "approved"}
    assert all(r["approved"] for r in rows)


def test_corpus_check_and_verify_pass(cli_env: dict[str, str]) -> None:
    check = run(["corpus", "check"], cli_env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "corpus check: passed" in check.stdout
    verify = run(["corpus", "verify"], cli_env)
    assert verify.returncode == 0 and "0 problems" in verify.stdout


def test_review_approve_flow(cli_env: dict[str, str], corpus_copy: Path) -> None:
    import yaml

    path = corpus_copy / "passages" / "airway.yaml"
    entries = yaml.safe_load(path.read_text())
    entries[0]["text"] += " A new sentence for review."
    path.write_text(yaml.safe_dump(entries, sort_keys=False))
    env = {**cli_env, "ATC_GUIDE_CORPUS_DIR": str(corpus_copy)}
    item = f"passage:{entries[0]['id']}"
    listed = run(["review", "list", "--state", "changed"], env)
    assert item in listed.stdout
    approve = run(["review", "approve", item, "--reviewer", "Dr Test", "--role", "oncologist"], env)
    assert approve.returncode == 0, approve.stderr
    assert item not in run(["review", "list", "--state", "changed"], env).stdout
    ledger = (corpus_copy / "approvals.jsonl").read_text().splitlines()
    last = json.loads(ledger[-1])
    assert last["item"] == item and last["reviewer"] == "Dr Test"
    assert run(["corpus", "verify"], env).returncode == 0


def test_index_command_reports(cli_env: dict[str, str], real_engine) -> None:  # noqa: ANN001
    result = run(["index"], cli_env)
    assert result.returncode == 0, result.stderr
    assert "approved passages indexed" in result.stdout


def test_eval_no_sealed_computes_no_sealed_set(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    """`atc-guide eval --no-sealed` (for whoever is tuning) hands the eval only the tuned
    held-out sets, so no sealed figure is computed or printed; without it, all of them."""
    import evals.evaluate as evaluate_module
    from atc_guide.cli import front_doors
    from evals.figures.held_out import load_sets, unsealed_sets

    seen: list[object] = []

    def fake_run(engine: object, out_dir: Path, gate: bool = False, progress: object = None,
                 held_out: object = None) -> tuple[object, int]:
        seen.append(held_out)
        raise SystemExit(0)

    monkeypatch.setattr(evaluate_module, "run_and_write", fake_run)
    monkeypatch.setattr(front_doors, "load_engine", lambda settings: object())
    from atc_guide.cli import build_parser
    from botcore.config import Settings

    for argv in (["eval", "--out", str(tmp_path), "--no-sealed"], ["eval", "--out", str(tmp_path)]):
        args = build_parser().parse_args(argv)
        with pytest.raises(SystemExit):
            args.func(args, Settings())
    unsealed, everything = seen
    assert everything is None  # the default: every listed set
    assert unsealed == unsealed_sets()
    assert {s.role for s in unsealed} == {"tuned"}  # type: ignore[attr-defined]
    assert {s.role for s in load_sets()} == {"tuned", "sealed"}
