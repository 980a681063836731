"""The review screen on a small host app (Pilot), and what it is built on
(``botcore.review``): coverage, the cited source section, the approved text
recovered from git, the word diff, and decisions recorded in the ledger.

The issue's requirement end to end: editing an approved passage's text makes it
disappear from answers until it is approved again in the review screen, and the ledger
shows both records.
"""

from __future__ import annotations

import asyncio
import functools
import re
import subprocess
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import OptionList, Tabs

from botcore.config import Settings
from botcore.corpus import Corpus
from botcore.embedder import HashingEmbedder
from botcore.errors import CorpusError
from botcore.ledger import sha256_text
from botcore.review import (
    awaiting_review,
    coverage,
    diff_as_text,
    recover_approved_text,
    source_excerpts,
    word_diff,
)
from tui.screens.review import ReviewScreen
from tui.widgets.prompt import SafePrompt

PASSAGE = "trach-what-is"
ITEM = f"passage:{PASSAGE}"
NEW_SENTENCE = "A speaking valve may help some people talk."
MARKUP = "[@click=app.quit]x[/]"
SIZE = (120, 40)


def run_async(test):  # noqa: ANN001, ANN201 - a plain runner: no async plugin needed
    @functools.wraps(test)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return asyncio.run(test(*args, **kwargs))

    return wrapper


class Host(App[None]):
    """A small host app: the review screen is pushed on it, its result kept."""

    def __init__(self, screen: ReviewScreen) -> None:
        super().__init__()
        self.review = screen
        self.result: bool | None = None

    def on_mount(self) -> None:
        def done(result: bool | None) -> None:
            self.result = result

        self.push_screen(self.review, done)


async def settle(pilot) -> None:  # noqa: ANN001
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                   cwd=repo, check=True, capture_output=True, timeout=30)


def edit_passage(corpus_dir: Path, passage_id: str, sentence: str) -> None:
    """Prepend a sentence to a passage's text in its YAML file."""
    for path in (corpus_dir / "passages").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        pattern = rf"(- id: {re.escape(passage_id)}\n(?:.*\n)*?  text: >-\n    )"
        edited, count = re.subn(pattern, lambda m: m[1] + sentence + " ", text, count=1)
        if count:
            path.write_text(edited, encoding="utf-8")
            return
    raise AssertionError(f"passage {passage_id} not found")


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A reviewer's copy of the reviews (made up here: the project never ships them)."""
    folder = tmp_path / "my-reviews"
    folder.mkdir()
    for name in ("review-atc-treatment.txt", "review-maniakas-2022.txt"):
        lines = [f"{name} line {n}: words of the review." for n in range(1, 201)]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def git_corpus(tmp_path: Path, corpus_copy: Path) -> Path:
    """The corpus copy in a git checkout with one commit (the approved texts)."""
    repo = corpus_copy.parent
    git(repo, "init", "-q")
    git(repo, "add", "corpus")
    git(repo, "commit", "-q", "-m", "corpus as approved")
    return corpus_copy


# -- the requirement end to end -------------------------------------------------------------
@run_async
async def test_edit_withdraws_until_approved_again_in_the_screen(
        git_corpus: Path, sources: Path, tmp_path: Path) -> None:
    from botcore.engine import Engine

    before = Corpus(git_corpus)
    original = before.passages[PASSAGE].text
    earlier = len([r for r in before.ledger.records if r.item == ITEM])  # the bundled history
    edit_passage(git_corpus, PASSAGE, NEW_SENTENCE)
    settings = Settings(corpus_dir=git_corpus, cache_dir=tmp_path / "cache",
                        data_dir=tmp_path / "data")

    # 1. The edited passage disappears from answers.
    engine = Engine.load(settings, embedder=HashingEmbedder())
    assert not engine.corpus.is_approved(PASSAGE)
    with pytest.raises(CorpusError):
        engine.snippet(PASSAGE)
    ranking = engine.retrieve("What is a tracheostomy?", k=20)
    assert PASSAGE not in ranking.passage_ids
    answer = engine.ask("What is a tracheostomy?")
    assert PASSAGE not in {s.passage_id for s in answer.snippets}
    assert awaiting_review(engine.corpus) == 1

    # 2. The review screen lists it as changed, with the diff and the cited source.
    screen = ReviewScreen(git_corpus, sources)
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert screen.awaiting == 1
        tabs = screen.query_one(Tabs)
        assert "Changed (1)" in str(tabs.query_one("#tab-changed").label)
        screen.select(ITEM)
        await settle(pilot)
        assert screen.state == "changed" and screen.selected is not None
        assert screen.selected.item == ITEM
        assert f"{{+{NEW_SENTENCE} +}}" in screen.diff_text
        body = screen.diff_text.split("\n", 1)[1]  # after the heading and legend
        assert body.startswith(f"{{+{NEW_SENTENCE} +}}") and "[-" not in body
        assert "commit" in screen.diff_text
        assert "review-atc-treatment.txt line 17: words of the review." in screen.source_text
        assert "line 16:" not in screen.source_text and "line 21:" not in screen.source_text

        # 3. Approve it: name, role, note; recorded in the ledger.
        screen.query_one("#review-name", SafePrompt).value = "Dr. A. Reviewer"
        screen.query_one("#review-role", SafePrompt).value = "head and neck surgeon"
        screen.query_one("#review-note", SafePrompt).value = "Checked against section 3"
        await pilot.click("#review-approve")
        await settle(pilot)
        assert screen.decisions == 1 and screen.awaiting == 0
        await pilot.press("escape")
        await settle(pilot)
    assert app.result is True

    # 4. Both records are in the ledger; the passage is served again, as edited.
    corpus = Corpus(git_corpus)
    records = [r for r in corpus.ledger.records if r.item == ITEM]
    assert len(records) == earlier + 1
    assert records[-2].sha256 == sha256_text(original) and records[-2].demonstration
    assert records[-1].sha256 == sha256_text(corpus.passages[PASSAGE].text)
    assert (records[-1].reviewer, records[-1].role, records[-1].note) == (
        "Dr. A. Reviewer", "head and neck surgeon", "Checked against section 3")
    assert records[-1].decision == "approved" and not records[-1].demonstration
    assert corpus.ledger.problems == []
    engine = Engine.load(settings, embedder=HashingEmbedder())
    snippet = engine.snippet(PASSAGE)
    assert snippet.text.startswith(NEW_SENTENCE)
    assert "Dr. A. Reviewer" in snippet.approved_by


# -- the screen -----------------------------------------------------------------------------
@run_async
async def test_coverage_lists_and_no_decision_without_name_and_role(
        corpus_copy: Path, sources: Path) -> None:
    screen = ReviewScreen(corpus_copy, sources, state="approved")
    app = Host(screen)
    before = len(Corpus(corpus_copy).ledger.records)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        summary = str(screen.query_one("#review-coverage").visual.plain)  # type: ignore[attr-defined]
        assert "Awaiting review: 0" in summary and "passages" in summary and "prompts" in summary
        options = screen.query_one("#review-items", OptionList)
        assert options.option_count == len(Corpus(corpus_copy).review_items())
        await pilot.press("ctrl+n")  # to "Rejected" (empty)
        await settle(pilot)
        assert screen.state == "rejected" and options.option_count == 0
        assert screen.query_one("#review-approve").disabled
        await pilot.press("ctrl+n")  # round to "Pending"
        await settle(pilot)
        assert screen.state == "pending"
        screen.select("message:crisis")
        await settle(pilot)
        assert not screen.decide("rejected")  # no name or role yet
        await pilot.press("escape")
        await settle(pilot)
    assert app.result is False
    assert len(Corpus(corpus_copy).ledger.records) == before


@run_async
async def test_reject_records_and_withholds(corpus_copy: Path, sources: Path) -> None:
    edit_passage(corpus_copy, "hospice-what-is", "An extra sentence here.")
    screen = ReviewScreen(corpus_copy, sources, state="changed")
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert screen.selected is not None and screen.selected.item == "passage:hospice-what-is"
        # Not a git checkout: the diff is unavailable, and says why.
        assert "diff unavailable" in screen.diff_text and "git" in screen.diff_text
        screen.query_one("#review-name", SafePrompt).value = "Nurse B"
        screen.query_one("#review-role", SafePrompt).value = "palliative care nurse"
        await pilot.click("#review-reject")
        await settle(pilot)
        assert "Rejected (1)" in str(screen.query_one(Tabs).query_one("#tab-rejected").label)
    corpus = Corpus(corpus_copy)
    assert corpus.passage_status(corpus.passages["hospice-what-is"]).state == "rejected"
    assert not corpus.is_approved("hospice-what-is")


@run_async
async def test_refuses_a_decision_on_text_that_changed_while_reading(
        corpus_copy: Path, sources: Path) -> None:
    edit_passage(corpus_copy, "hospice-what-is", "First edit.")
    screen = ReviewScreen(corpus_copy, sources, state="changed")
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        edit_passage(corpus_copy, "hospice-what-is", "Second edit.")  # on disk, meanwhile
        screen.query_one("#review-name", SafePrompt).value = "Dr. C"
        screen.query_one("#review-role", SafePrompt).value = "oncologist"
        assert not screen.decide("approved")
        await settle(pilot)
    corpus = Corpus(corpus_copy)
    assert corpus.passage_status(corpus.passages["hospice-what-is"]).state == "changed"


@run_async
async def test_text_is_shown_literally_never_as_markup(corpus_copy: Path, sources: Path) -> None:
    edit_passage(corpus_copy, "hospice-what-is", MARKUP)
    screen = ReviewScreen(corpus_copy, None, state="changed")
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = screen.query_one("#review-text").visual.plain  # type: ignore[attr-defined]
        assert shown.startswith(MARKUP)
        # Without the reviewer's copy of the reviews, the screen says how to set it up.
        assert "ATC_GUIDE_SOURCES_DIR" in screen.source_text
        await pilot.press("escape")
        await settle(pilot)
    assert app.result is False


@run_async
async def test_a_broken_corpus_is_reported_in_one_line(corpus_copy: Path) -> None:
    (corpus_copy / "sources.yaml").write_text("- : [\n", encoding="utf-8")
    screen = ReviewScreen(corpus_copy, None)
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        summary = screen.query_one("#review-coverage").visual.plain  # type: ignore[attr-defined]
        assert "cannot be reviewed" in summary and "sources.yaml" in summary
        assert screen.query_one("#review-approve").disabled


# -- the pieces -----------------------------------------------------------------------------
def test_word_diff() -> None:
    runs = word_diff("The tube sits in the opening.", "The short tube sits in an opening.")
    assert diff_as_text(runs) == "The{+ short+} tube sits in [-the-]{+an+} opening."
    assert word_diff("same", "same") == [("same", "same")]


def test_recover_from_git_history_and_glossary(git_corpus: Path) -> None:
    corpus = Corpus(git_corpus)
    term = next(iter(corpus.glossary.values()))
    glossary = corpus.glossary_status(term).record
    assert glossary is not None
    found = recover_approved_text(corpus, f"glossary:{term.id}", glossary.sha256)
    assert found.text is not None and term.definition in found.text
    lexicon = recover_approved_text(corpus, "lexicon:triage", sha256_text(corpus.lexicon_text()))
    assert lexicon.text == corpus.lexicon_text()
    missing = recover_approved_text(corpus, ITEM, "0" * 64)
    assert missing.text is None and "no version" in missing.where


def test_source_excerpts_and_coverage(corpus_copy: Path, sources: Path) -> None:
    corpus = Corpus(corpus_copy)
    excerpts = source_excerpts(corpus, "passage:goals-what-is", sources)
    assert len(excerpts) == 1 and "lines 105-109" in excerpts[0].heading
    assert excerpts[0].text is not None
    assert excerpts[0].text.splitlines()[0].endswith("line 105: words of the review.")
    assert excerpts[0].text.splitlines()[-1].endswith("line 109: words of the review.")
    assert source_excerpts(corpus, "message:crisis", sources) == []
    missing = source_excerpts(corpus, "passage:goals-what-is", sources / "nowhere")
    assert missing[0].text is None and "not found" in missing[0].problem
    cov = coverage(corpus)
    assert cov.awaiting == 0 and set(cov.by_kind) >= {"passage", "prompt", "message"}
    edit_passage(corpus_copy, "goals-what-is", "New.")
    assert awaiting_review(Corpus(corpus_copy)) == 1
