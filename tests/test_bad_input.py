"""Bad input, end to end (safety.md §5, S1-S10, privacy §4).

Every category of §5 has a fixture file in ``tests/fixtures/bad_input/``; each case has
the decision the safety spec gives. Every case runs through the engine API and through
``atc-guide ask --json`` as a subprocess (one process per category file), and both must
give that decision, never crash, exit 0, show only approved passages byte for byte, echo
back a question with no escape, C1, bidi or invisible character, and print no traceback.

Then: property tests of the decision path (hypothesis, lone surrogates included), and
privacy: no user text in logs or in validation errors, no network socket.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import subprocess
import sys
import warnings
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from bad_input_cases import ALL_CASES, CATEGORIES, FIXTURES, Case, load_category
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from botcore.answer import Answer, Session, Turn
from botcore.engine import Engine
from botcore.ledger import sha256_text
from botcore.triage.decision import hold_in_force

REPO = Path(__file__).resolve().parent.parent

STATUSES = ("answered", "abstained", "escalated")
EXPECT_KEYS = {"status", "reason", "tier", "message", "snippets", "passages", "not_escalated"}
CASE_KEYS = {"id", "text", "build", "py_escape", "expect", "known_gap"}

# What must never come back in the echoed question: C0 controls (tab and newline too: the
# question is one line), DEL, C1, bidi controls, zero-width and other format characters,
# tag characters, lone surrogates.
UNSAFE_IN_QUESTION = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
    "\ud800-\udfff\U000e0000-\U000e0fff]")
# Never in a fixture or test source file as a raw character (write an escape instead).
RAW_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
    "\U000e0000-\U000e0fff]")

MESSAGE_REASON = {"empty": "empty", "language": "language", "out-of-scope": "out-of-scope",
                  "weak-evidence": "weak-evidence", "fallback": "fault",
                  "redirect-dosing": "redirect", "redirect-decision": "redirect",
                  "redirect-prognosis": "redirect"}
MESSAGE_TIER = {"crisis": "crisis", "emergency-airway": "emergency",
                "emergency-bleeding": "emergency", "emergency-general": "emergency",
                "urgent-care-team": "urgent"}


def cli_skip_reason(mode: str, text: str) -> str | None:
    """Why a case cannot be carried by the CLI in this mode, or None."""
    if mode == "stdin" and ("\n" in text or "\r" in text):
        return "a line break: one-question-per-line stdin would split it (engine only)"
    if mode == "args" and "\x00" in text:
        return "NUL cannot be passed in a command-line argument (engine only)"
    if mode == "args" and len(text.encode("utf-8", "surrogatepass")) > 100_000:
        return "longer than one command-line argument may be (engine only)"
    return None


# -- what an answer is checked for ------------------------------------------------------------

@dataclass
class Seen:
    """One answer, from the engine API or from the CLI's JSON, in one shape."""

    status: str
    message: str | None
    message_id: str | None
    reason: str | None
    tier: str | None
    question: str
    snippets: list[tuple[str, str]] = field(default_factory=list)
    """(passage_id, text) of every snippet, in order."""

    @classmethod
    def from_answer(cls, answer: Answer) -> Seen:
        return cls(answer.status, answer.message, answer.message_id, answer.reason, answer.tier,
                   answer.question, [(s.passage_id, s.text) for s in answer.snippets])

    @classmethod
    def from_json(cls, row: dict[str, Any], engine: Engine) -> Seen:
        by_text = {m.text: mid for mid, m in engine.corpus.messages.items()}
        message = _without_safety_parts(row["message"], engine)
        message_id = by_text.get(message) if message is not None else None
        if row["status"] == "answered":
            reason = "answered"
        elif row["status"] == "escalated":
            reason = "escalated"
        else:
            reason = MESSAGE_REASON.get(message_id or "")
        return cls(row["status"], message, message_id, reason, MESSAGE_TIER.get(message_id or "")
                   if row["status"] == "escalated" else None, row["question"],
                   [(s["passage_id"], s["text"]) for s in row["snippets"]])


def _without_safety_parts(message: str | None, engine: Engine) -> str | None:
    """The contract's message minus a safety note's resources in front and the decline
    reminder at the end (each an approved text, joined by a blank line): what is left is
    the one message the engine chose, or None."""
    if message is None:
        return None
    texts = engine.corpus.messages
    reminder = "\n\n" + texts["safety-reminder"].text
    message = message.removesuffix(reminder)
    for note in ("safety-note-crisis", "safety-note-emergency"):
        if message.startswith(texts[note].text):
            message = message.removeprefix(texts[note].text).removeprefix("\n\n")
    return message or None


def _one_of(value: object, allowed: object) -> bool:
    return value in allowed if isinstance(allowed, list) else value == allowed


def expectation_problems(case: Case, seen: Seen) -> list[str]:
    """How ``seen`` misses the case's expected decision (empty when it meets it)."""
    want, out = case.expect, []
    for key in ("status", "reason", "tier"):
        if key in want and not _one_of(getattr(seen, key), want[key]):
            out.append(f"{key} {getattr(seen, key)!r}, expected {want[key]!r}")
    if "message" in want and seen.message_id != want["message"]:
        out.append(f"message {seen.message_id!r}, expected {want['message']!r}")
    if want.get("not_escalated") and seen.status == "escalated":
        out.append(f"escalated ({seen.tier}, {seen.message_id}), expected no escalation")
    if want.get("snippets") == "none" and seen.snippets:
        out.append(f"passages shown {[p for p, _ in seen.snippets]}, expected none")
    if "passages" in want and not {p for p, _ in seen.snippets} & set(want["passages"]):
        out.append(f"passages {[p for p, _ in seen.snippets]}, expected one of {want['passages']}")
    return out


def invariant_problems(seen: Seen, engine: Engine) -> list[str]:
    """What must hold for every answer to every input, expected decision or not."""
    corpus, out = engine.corpus, []
    if seen.status not in STATUSES:
        out.append(f"unknown status {seen.status!r}")
    if seen.status == "escalated" and seen.tier in ("emergency", "crisis") and seen.snippets:
        out.append(f"{seen.tier} answer carries passages {[p for p, _ in seen.snippets]}")
    if seen.status == "answered" and (not seen.snippets or seen.message is not None):
        out.append("answered without passages, or with a message")
    if seen.status != "answered" and (seen.message_id is None
                                      or seen.message != corpus.message(seen.message_id)):
        out.append(f"message is not an approved message text: {seen.message!r:.80}")
    for pid, text in seen.snippets:
        passage = corpus.passages.get(pid)
        if passage is None or not corpus.is_approved(pid):
            out.append(f"passage {pid!r} is not an approved passage")
            continue
        record = corpus.passage_status(passage).record
        if text != passage.text or record is None or record.sha256 != sha256_text(text):
            out.append(f"passage {pid!r} is not byte-identical to its approved text")
    if len({p for p, _ in seen.snippets}) != len(seen.snippets):
        out.append("a passage is shown twice")
    if (bad := UNSAFE_IN_QUESTION.search(seen.question)) is not None:
        out.append(f"echoed question holds {bad.group()!r}")
    if len(seen.question) > 500:
        out.append(f"echoed question is {len(seen.question)} characters long")
    return out


# -- the fixture files themselves --------------------------------------------------------------

def test_one_fixture_file_per_category_and_well_formed() -> None:
    files = {p.stem for p in FIXTURES.glob("*.yaml")}
    assert files == set(CATEGORIES)
    for name in CATEGORIES:
        data = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
        assert data["category"] == name and data["cli"] in ("stdin", "args"), name
        assert len(data["cases"]) >= 10, name
        ids = [str(c["id"]) for c in data["cases"]]
        assert len(ids) == len(set(ids)), f"{name}: an id is used twice"
        for raw in data["cases"]:
            assert set(raw) <= CASE_KEYS and ("text" in raw) != ("build" in raw), raw["id"]
            want = raw["expect"]
            assert want and set(want) <= EXPECT_KEYS, raw["id"]
            statuses = want.get("status", [])
            assert all(s in STATUSES for s in
                       (statuses if isinstance(statuses, list) else [statuses])), raw["id"]


def test_no_raw_control_or_invisible_characters_in_sources() -> None:
    """Fixtures (and this file) write every control, bidi, zero-width and tag character as
    an escape, so that what a reviewer reads is what is tested."""
    for path in [*FIXTURES.glob("*.yaml"), Path(__file__)]:
        text = path.read_bytes().decode("utf-8")
        found = RAW_FORBIDDEN.search(text)
        assert found is None, f"{path.name}: raw {found.group()!r} at offset {found.start()}"


def test_fixtures_cover_every_trick_the_spec_names() -> None:
    texts = {c.category: [] for c in ALL_CASES}
    for c in ALL_CASES:
        texts[c.category].append(c.text)
    unicode_text = "".join(texts["unicode"])
    for char in ("\u200b", "\u202e", "\U000e0072", "\u0301", "\uff48", "\u0430"):
        assert char in unicode_text, repr(char)
    assert any(re.search("[\ud800-\udfff]", t) for t in texts["unicode"])
    assert any("\x1b]" in t for t in texts["control"])
    assert any("\x1b[" in t for t in texts["control"])
    assert max(len(t) for t in texts["huge"]) >= 1_000_000
    assert {"None", "NaN", "%s%n%x%d%p", "$(whoami)"} <= set(texts["reserved"])
    assert any(t.startswith("=HYPERLINK(") for t in texts["sink"])
    assert any("<script>" in t for t in texts["sink"]) and any("\n" in t for t in texts["sink"])
    spanish = [c for c in ALL_CASES if c.category == "language" and c.id.startswith("es-")]
    assert sum(c.expect.get("status") == "escalated" for c in spanish) >= 10


# -- the engine API ----------------------------------------------------------------------------

@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.key)
def test_engine_gives_the_expected_decision(real_engine: Engine, case: Case) -> None:
    answer = real_engine.ask(case.text)  # never raises (S7); a crash fails the test here
    seen = Seen.from_answer(answer)
    assert invariant_problems(seen, real_engine) == []
    problems = expectation_problems(case, seen)
    if case.known_gap:
        if problems:
            pytest.xfail(f"known gap: {case.known_gap}")
        pytest.fail(f"known gap now passes, update the fixture: {case.known_gap}")
    assert problems == [], f"{case.key}: {problems}"
    assert answer.reason != "fault", "a stage failed on this input (fail-closed fallback)"


# -- the command line, one subprocess per category file ---------------------------------------

def _cli_command() -> list[str]:
    script = Path(sys.executable).with_name("atc-guide")
    return [str(script)] if script.exists() else [sys.executable, "-m", "atc_guide"]


def run_cli(mode: str, texts: list[str], env: dict[str, str],
            timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
    """``atc-guide ask --json`` with the questions on stdin (one per line) or as arguments.
    Lone surrogates go as their raw bytes (invalid UTF-8), as a broken paste arrives."""
    raw = [t.encode("utf-8", "surrogatepass") for t in texts]
    args = [*_cli_command(), "ask", "--json"]
    if mode == "args":
        return subprocess.run([*args, "--", *raw], env=env, cwd=REPO, capture_output=True,
                              timeout=timeout, check=False, stdin=subprocess.DEVNULL)
    return subprocess.run(args, input=b"".join(r + b"\n" for r in raw), env=env, cwd=REPO,
                          capture_output=True, timeout=timeout, check=False)


def as_the_cli_reads_it(text: str) -> str:
    """The text the CLI's Python receives: a lone surrogate was sent as its raw bytes and
    arrives as three escaped bytes (which the sanitizer turns into three U+FFFD)."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogateescape")


@pytest.fixture(scope="module")
def cli_env(session_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATC_GUIDE_")}
    env.update(ATC_GUIDE_CACHE_DIR=str(session_cache),  # the index real_engine built
               ATC_GUIDE_DATA_DIR=str(tmp_path_factory.mktemp("bad-input-cli-data")))
    return env


# The unicode category runs under a strict UTF-8 locale (the default on most desktops,
# where Python's stdin is "strict"): a lone surrogate arrives as invalid UTF-8 bytes.
CLI_ENV_EXTRA = {"unicode": {"PYTHONIOENCODING": "utf-8:strict"}}

CliRun = tuple[list[Case], "Future[subprocess.CompletedProcess[bytes]]"]


@pytest.fixture(scope="module")
def cli_runs(real_engine: Engine, cli_env: dict[str, str]) -> Iterator[dict[str, CliRun]]:
    """One ``atc-guide ask --json`` process per category file, started together (a few at
    a time) once the index cache exists; each test waits for its own."""
    pool = ThreadPoolExecutor(max_workers=3)
    runs: dict[str, CliRun] = {}
    for category in CATEGORIES:
        mode, cases = load_category(category)
        sent = [c for c in cases if cli_skip_reason(mode, c.text) is None]
        env = {**cli_env, **CLI_ENV_EXTRA.get(category, {})}
        runs[category] = (sent, pool.submit(run_cli, mode, [c.text for c in sent], env))
    yield runs
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize("category", CATEGORIES)
def test_cli_gives_the_same_decisions(real_engine: Engine, cli_runs: dict[str, CliRun],
                                      category: str) -> None:
    _, cases = load_category(category)
    sent, future = cli_runs[category]
    assert len(sent) >= len(cases) // 2, "most of a category must go through the CLI"
    result = future.result()
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, stderr[-2000:]
    assert "Traceback" not in stderr and "Error" not in stderr, stderr[-2000:]
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) == len(sent), f"{len(lines)} answers for {len(sent)} questions"

    session = Session()  # the CLI keeps one session for all its questions: replay it
    problems: list[str] = []
    for case, line in zip(sent, lines, strict=True):
        row = json.loads(line)
        assert set(row) == {"question", "status", "tier", "safety_note", "message", "snippets",
                            "suggestions"}  # the contract (design.md), as tests/test_cli.py
        if row["status"] == "abstained":
            assert row["message"].endswith(real_engine.corpus.message("safety-reminder"))
        seen = Seen.from_json(row, real_engine)
        problems += [f"{case.id}: {p}" for p in invariant_problems(seen, real_engine)]
        hold = hold_in_force(session.turns)  # an earlier line's escalation may still hold
        held_here = hold is not None and seen.status == "escalated" and seen.tier == hold.tier
        if not case.known_gap and not held_here:
            problems += [f"{case.id}: {p}" for p in expectation_problems(case, seen)]
        replay = Seen.from_answer(real_engine.ask(as_the_cli_reads_it(case.text), session))
        if (seen.status, seen.message, seen.snippets) != (replay.status, replay.message,
                                                          replay.snippets):
            problems.append(f"{case.id}: CLI and engine API disagree "
                            f"({seen.status}/{seen.message_id} vs {replay.status}/"
                            f"{replay.message_id})")
        if seen.question != replay.question:
            problems.append(f"{case.id}: echoed question differs from the engine's")
    assert problems == []


def test_cli_under_an_ascii_locale(cli_env: dict[str, str], real_engine: Engine) -> None:
    """An ASCII locale (LC_ALL=C without Python's UTF-8 mode): the JSON is escaped, not
    a UnicodeEncodeError, and Spanish typed in UTF-8 is still read as Spanish."""
    env = {**cli_env, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}
    env.pop("PYTHONIOENCODING", None)
    texts = ["se salió la cánula", "¿Qué es el cáncer anaplásico de tiroides?",
             "what is hospice", "he can't breathe \udced\udca0"]
    result = run_cli("stdin", texts, env)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.stdout.isascii()
    rows = [json.loads(line) for line in result.stdout.decode("ascii").splitlines()]
    assert [r["status"] for r in rows] == ["escalated", "abstained", "answered", "escalated"]
    assert rows[0]["question"] == "se salió la cánula"
    # after the emergency on the line before, the resources come first (a safety note)
    assert rows[1]["message"].endswith(real_engine.corpus.message("language") + "\n\n"
                                       + real_engine.corpus.message("safety-reminder"))
    hospice = real_engine.corpus.passages[rows[2]["snippets"][0]["passage_id"]]
    assert rows[2]["snippets"][0]["text"] == hospice.text


# -- property tests of the decision path (fast hashing embedder) ------------------------------

RED_FLAG_TEXTS = [c.text for c in ALL_CASES if c.category in ("redflags", "crisis")
                  and c.expect.get("status") == "escalated" and not c.known_gap]
ANY_TEXT = st.text(alphabet=st.characters(), max_size=200)  # lone surrogates included
QUESTIONS = st.one_of(
    ANY_TEXT,
    st.tuples(ANY_TEXT, st.sampled_from(RED_FLAG_TEXTS), ANY_TEXT).map(" ".join),
    st.sampled_from([c.text for c in ALL_CASES if len(c.text) < 2000]),
)


def _assert_sound(engine: Engine, answer: Answer) -> None:
    assert isinstance(answer, Answer)
    assert invariant_problems(Seen.from_answer(answer), engine) == []
    if answer.status == "escalated":
        assert answer.tier in ("emergency", "urgent", "crisis")
        assert answer.message == engine.corpus.message(answer.message_id or "")
    if answer.reason == "fault":
        assert answer.snippets == []


@settings(max_examples=150, deadline=None)
@given(question=QUESTIONS)
def test_ask_never_raises_and_shows_only_approved_text(fake_engine: Engine, question: str) -> None:
    _assert_sound(fake_engine, fake_engine.ask(question))


@settings(max_examples=150, deadline=None)
@given(flag=st.sampled_from(RED_FLAG_TEXTS), before=ANY_TEXT, after=ANY_TEXT)
@example(flag="his oxygen is 82", before="", after="7")  # the low-oxygen rule once skipped "82 7"
@example(flag="his oxygen is 82", before="", after="L")  # and read a next line's "L" as litres
def test_noise_never_removes_an_escalation(fake_engine: Engine, flag: str, before: str,
                                           after: str) -> None:
    alone = fake_engine.ask(flag)
    noisy = fake_engine.ask(f"{before}\n{flag}\n{after}")
    _assert_sound(fake_engine, noisy)
    assert alone.status == "escalated" and noisy.status == "escalated"
    rank = {"urgent": 1, "emergency": 2, "crisis": 3}
    assert rank[noisy.tier or "urgent"] >= rank[alone.tier or "urgent"]
    if noisy.tier in ("emergency", "crisis"):
        assert noisy.snippets == []


@settings(max_examples=60, deadline=None)
@given(turns=st.lists(QUESTIONS, min_size=1, max_size=5))
def test_a_conversation_of_anything_never_raises(fake_engine: Engine, turns: list[str]) -> None:
    session = Session()
    for question in turns:
        _assert_sound(fake_engine, fake_engine.ask(question, session))
    assert len(session.turns) == len(turns)
    for turn in session.turns:
        assert UNSAFE_IN_QUESTION.search(turn.question) is None


# -- privacy (safety.md §4) --------------------------------------------------------------------

SECRET = "Marguerite Okonkwo-Villanueva DOB 1951-03-14 MRN 88412207"
"""A distinctive question: if any of it reaches a log or an error message, it leaked."""


def _raiser(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError(f"stage failed while handling {SECRET!r}")  # the worst case: the
    # exception message itself carries the user's text


@pytest.mark.parametrize("stage", ["retriever.rank", "triage.screen", "triage.scope",
                                   "index.embedder.encode", "index.bm25_scores"])
def test_logs_never_contain_the_users_text(fake_engine: Engine, stage: str,
                                           monkeypatch: pytest.MonkeyPatch,
                                           caplog: pytest.LogCaptureFixture) -> None:
    *path, attr = stage.split(".")
    target: Any = fake_engine
    for name in path:
        target = getattr(target, name)
    monkeypatch.setattr(target, attr, _raiser)
    caplog.set_level(logging.DEBUG)  # every logger, every level
    question = f"what is hospice for {SECRET}"
    answer = fake_engine.ask(question)
    assert answer.reason == "fault" and answer.snippets == []
    assert caplog.records, "the failure was not logged at all"
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records)
    for fragment in ("Okonkwo", "Marguerite", "88412207", "hospice for"):
        assert fragment not in logged, logged
    assert all(r.exc_info is None for r in caplog.records), "a traceback (with locals) was logged"


def test_normal_answers_log_nothing_of_the_users_text(fake_engine: Engine,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for text in (SECRET, f"he can't breathe {SECRET}", f"should {SECRET} get the trach",
                 f"\x1b]0;{SECRET}\x07", f"qué es {SECRET}"):
        fake_engine.ask(text, Session())
    assert "Okonkwo" not in caplog.text


@pytest.mark.parametrize(("model", "data"), [
    (Answer, {"question": SECRET, "status": SECRET}),
    (Answer, {"question": [SECRET], "status": "answered"}),
    (Turn, {"question": SECRET, "status": SECRET}),
    (Session, {"turns": [{"question": SECRET, "status": SECRET}]}),
    (Session, {"situations": [SECRET]}),
])
def test_validation_errors_do_not_repeat_the_input(model: type[BaseModel],
                                                   data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    for shown in (str(info.value), repr(info.value), info.value.json(include_input=False)):
        assert "Okonkwo" not in shown, shown
    assert model.model_config.get("hide_input_in_errors") is True


def test_the_validation_check_would_catch_a_leak() -> None:
    """Without hide_input_in_errors, pydantic repeats the input: the test above is real."""
    class Leaky(BaseModel):
        status: int

    with pytest.raises(ValidationError) as info:
        Leaky.model_validate({"status": SECRET})
    assert "Okonkwo" in str(info.value)


def test_sockets_are_disabled_for_the_whole_suite() -> None:
    """The guard is on (pytest-socket, see pyproject): any attempt to reach the network
    from the code under test raises instead of connecting."""
    from pytest_socket import SocketBlockedError

    with warnings.catch_warnings():  # pytest-socket also warns; the suite makes that an error
        warnings.simplefilter("ignore")
        with pytest.raises(SocketBlockedError):
            socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        with pytest.raises(SocketBlockedError):
            socket.create_connection(("127.0.0.1", 9), timeout=1)
        with pytest.raises(SocketBlockedError):
            socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)


# Runs in a fresh interpreter with an audit hook installed before anything is imported:
# it records every socket the process creates or uses, even one a library would catch and
# ignore (pytest-socket only raises, and a library that swallows the error would hide it).
_AUDIT = r"""
import sys
import socket
events = []
LOCAL = {"socket.gethostname"}  # asks the kernel for this machine's name: no network
def hook(event, args):
    if not event.startswith("socket.") or event in LOCAL:
        return
    if event == "socket.__new__" and len(args) > 1 and args[1] == socket.AF_UNIX:
        return  # a local pipe, not the network
    events.append((event, repr(args)[:120]))
sys.addaudithook(hook)
import botcore.engine
from botcore.config import Settings
engine = botcore.engine.Engine.load(Settings())
answer = engine.ask("what is hospice")
print(answer.status, engine.report.model)
print("SOCKET-EVENTS", events)
"""


def test_import_and_load_open_no_network_socket(cli_env: dict[str, str],
                                                real_engine: Engine) -> None:
    env = {k: v for k, v in cli_env.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    result = subprocess.run([sys.executable, "-c", _AUDIT], env=env, cwd=REPO, text=True,
                            capture_output=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    status, *_ = result.stdout.split()
    assert status == "answered" and "all-MiniLM-L6-v2" in result.stdout
    assert result.stdout.strip().endswith("SOCKET-EVENTS []"), result.stdout
