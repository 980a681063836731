"""TUI pieces that need no engine: term marking, the sanitizing prompt, the typed
emergency modal on a small host app, the session store, the handout's escaping, and the
import contract (the app module never imports torch)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static
from tui_support import OSC_TITLE, run_async

from botcore.answer import Turn
from botcore.export.document import (
    Card,
    Definitions,
    Document,
    Heading,
    Items,
    Para,
    PassageBlock,
    WriteLines,
)
from botcore.export.html import to_html
from botcore.export.markdown import md_escape, to_markdown
from botcore.export.pdf import to_latin1, to_pdf
from botcore.schema import GlossaryTerm
from tui.screens.emergency import CLOSE_LABEL, EmergencyScreen
from tui.session_store import GuideState, SessionStore
from tui.terms import TermIndex, term_forms
from tui.widgets.prompt import SafePrompt

REPO = Path(__file__).resolve().parent.parent



def _term(tid: str, term: str, lay: tuple[str, ...] = ()) -> GlossaryTerm:
    return GlossaryTerm(id=tid, term=term, definition=f"A plain definition of {term} here.",
                        lay_terms=lay)


# -- terms ------------------------------------------------------------------------------------
def test_term_forms_take_names_and_abbreviations() -> None:
    assert term_forms("Fine-needle aspiration (FNA)") == [
        "Fine-needle aspiration (FNA)", "Fine-needle aspiration", "FNA"]
    assert term_forms("Stage IV (for ATC)") == ["Stage IV (for ATC)", "Stage IV"]
    assert term_forms("Hospice") == ["Hospice"]


def test_terms_marked_once_longest_first_and_text_unchanged() -> None:
    index = TermIndex([_term("thyroid", "Thyroid"), _term("atc", "Anaplastic thyroid cancer (ATC)"),
                       _term("ret", "RET"), _term("trach", "Tracheostomy", ("trach",))])
    text = ("Anaplastic thyroid cancer starts in the thyroid. ATC is rare. A retina is not RET. "
            "Tracheostomies help; a trach is a tube.")
    spans = index.spans(text)
    found = [(text[s.start:s.end], s.term_id) for s in spans]
    assert found == [("Anaplastic thyroid cancer", "atc"), ("thyroid", "thyroid"),
                     ("RET", "ret"), ("Tracheostomies", "trach")]
    marked = index.marked(text)
    assert marked.plain == text  # marking never changes a character
    assert index.marked("[see section 3] " + text).plain.startswith("[see section 3]")


# -- the prompt never holds escape sequences ------------------------------------------------
class PromptHost(App[None]):
    cursor_blink = False

    def compose(self) -> ComposeResult:
        yield SafePrompt(id="p")


@run_async
async def test_prompt_strips_escape_sequences_from_paste_and_typing() -> None:
    app = PromptHost()
    async with app.run_test() as pilot:
        prompt = app.query_one(SafePrompt)
        prompt.focus()
        prompt.post_message(events.Paste(f"he {OSC_TITLE}is \x1b[31mred\x1b[0m\r ok\nline two"))
        await pilot.pause()
        assert prompt.value == "he is red  ok line two"  # every line kept; breaks are spaces
        prompt.value = "a\x07b\x1b]2;title\x1b\\c\u202ed"
        assert prompt.value == "abcd"
        await pilot.press(*"x[/]")
        assert prompt.value.endswith("x[/]")
        assert "\x1b" not in app.export_screenshot()


# -- the emergency modal, on a small host app -----------------------------------------------
class ModalHost(App[None]):
    def __init__(self, message: str, tier: str) -> None:
        super().__init__()
        self.message, self.tier = message, tier
        self.result: bool | None = None

    def compose(self) -> ComposeResult:
        yield Static("behind the modal")

    def on_mount(self) -> None:
        def done(result: bool | None) -> None:
            self.result = result

        self.push_screen(EmergencyScreen(self.message, self.tier), done)


@pytest.mark.parametrize(("tier", "heading"), [("emergency", "EMERGENCY"),
                                               ("crisis", "CRISIS SUPPORT")])
@run_async
async def test_emergency_modal_needs_its_button(tier: str, heading: str) -> None:
    message = "Call 911 now. [link=http://x]988[/link] stays literal."
    app = ModalHost(message, tier)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EmergencyScreen)
        assert screen.shown_text == message
        assert heading in str(screen.query_one("#emergency-heading", Static).visual)
        await pilot.press("escape", "x", "q")  # stray keys never dismiss it
        await pilot.pause()
        assert app.screen is screen and app.result is None
        assert app.focused is not None and str(app.focused.label) == CLOSE_LABEL
        await pilot.press("enter")
        await pilot.pause()
        assert app.result is True
        assert not isinstance(app.screen, EmergencyScreen)


# -- session store: private, atomic, and deleted without a trace ------------------------------
def test_session_files_private_under_permissive_umask(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "data")
    state = GuideState()
    state.save_passage("p-1")
    state.add_question("What should we ask about \x1b[2Jthe trach?")
    state.session.turns.append(Turn(question="he can't breathe", status="escalated",
                                    tier="emergency"))
    old = os.umask(0)
    try:
        path = store.save(state)
        (store.handouts_folder() / "atc-guide-handout.html").write_text("x")
        state.note_export("atc-guide-handout.html")
        store.save(state)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o600
    for folder in (store.data_dir, store.sessions_dir, store.handouts_dir):
        assert folder.stat().st_mode & 0o777 == 0o700
    raw = path.read_text()
    assert "breathe" not in raw  # the typed words of a turn are not kept
    loaded = store.load()
    assert loaded is not None
    assert loaded.saved == ["p-1"]
    assert loaded.my_questions == ["What should we ask about the trach?"]
    assert loaded.session.last_escalation() is not None  # the safety state is kept


def test_delete_leaves_nothing_behind(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "data")
    state = GuideState()
    store.save(state)
    folder = store.handouts_folder()
    for name in ("atc-guide-handout.html", "atc-guide-handout.pdf"):
        (folder / name).write_text("x")
        state.note_export(name)
    (store.sessions_dir / ".current.json.abc.tmp").write_text("torn")
    state.exports.append("../../escape.txt")  # never followed outside the folder
    (tmp_path / "escape.txt").write_text("keep")
    store.save(state)
    store.delete(state)
    assert not store.sessions_dir.exists() and not store.handouts_dir.exists()
    assert (tmp_path / "escape.txt").exists()


def test_damaged_session_file_is_not_loaded(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    store.save(GuideState())
    store.path.write_text('{"saved": [1, 2')
    assert store.load() is None
    store.delete(None)
    assert not store.path.exists()


# -- handout formats escape what they contain -----------------------------------------------
HOSTILE = ("<script>alert(1)</script> [click](http://evil.example) <http://evil.example> "
           "www.evil.example a@evil.example ![img](x.png) **bold** # head " + OSC_TITLE)


def _doc() -> Document:
    return Document(
        title="Handout \u201cquoted\u201d",
        subtitle="Made on 2026-11-21.",
        blocks=(
            Card("Emergency card", "Call 911 \u2014 now."),
            Heading("What you saved"),
            PassageBlock("What is a trach?", "A tube \u2013 in the neck.\nSecond line.",
                         "Review \u201cX\u201d \u2014 section: Airway",
                         "Demo approval (R, 2026-11-21)"),
            Para("Note <b>", note=True),
            Definitions((("Stoma", "The opening."),)),
            Items((HOSTILE,), user_text=True),
            WriteLines(2),
        ),
    )


def test_html_escapes_everything() -> None:
    html = to_html(_doc())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href=' not in html and "\x1b" not in html and "pwned" not in html
    assert "Content-Security-Policy" in html
    assert "Review \u201cX\u201d \u2014 section: Airway" in html


def test_markdown_makes_no_links_from_user_text() -> None:
    md = to_markdown(_doc())
    rendered = MarkdownIt("commonmark").render(md)
    assert "<a " not in rendered and "<script" not in rendered and "<img" not in rendered
    assert "<strong>bold" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    gfm = MarkdownIt("gfm-like").render(md) if _has_linkify() else ""
    assert "<a " not in gfm
    assert md_escape("1. not a list") == "1\\. not a list"
    assert md_escape("- not a bullet") == "\\- not a bullet"


def _has_linkify() -> bool:
    try:
        import linkify_it  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def test_pdf_falls_back_to_latin1_core_font() -> None:
    assert to_latin1("\u201cCan\u2019t\u201d \u2014 caf\u00e9 \u2265 5 \u2026 \u4e2d") == \
        "\"Can't\" - caf\u00e9 >= 5 ... ?"
    data = to_pdf(_doc(), fonts=())
    assert data.startswith(b"%PDF-")
    assert b"Helvetica" in data


# -- import contract ------------------------------------------------------------------------
def test_app_module_imports_no_heavy_libraries() -> None:
    code = ("import sys, tui.app, botcore.export, tui.screens.main; "
            "heavy = [m for m in ('torch', 'sentence_transformers', 'faiss', 'bm25s', "
            "'transformers') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == ""


# -- a failing engine never stalls the conversation (fail closed, S7) -------------------------
class _BrokenEngine:
    def __init__(self) -> None:
        from botcore.config import Settings  # noqa: PLC0415
        from botcore.corpus import Corpus  # noqa: PLC0415

        self.corpus = Corpus(Settings().corpus_dir)
        self.calls = 0

    def ask(self, question: str, session: object = None) -> object:
        self.calls += 1
        raise RuntimeError("boom")


@run_async
async def test_a_failing_engine_shows_the_approved_fallback_and_keeps_going(tmp_path: Path) -> None:
    from botcore.config import Settings  # noqa: PLC0415
    from tui.app import build_app  # noqa: PLC0415
    from tui.widgets.answer import AnswerBlock, MessagePanel  # noqa: PLC0415
    from tui.widgets.chat import ChatView  # noqa: PLC0415

    engine = _BrokenEngine()
    app = build_app(Settings(data_dir=tmp_path / "d"), engine,  # type: ignore[arg-type]
                    cursor_blink=False, high_contrast=False)
    async with app.run_test(size=(100, 32)) as pilot:
        app.start_session(set(), resume=False)
        await pilot.pause()
        chat = app.screen.query_one(ChatView)
        chat.ask("first")
        chat.ask("second")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        blocks = list(app.screen.query(AnswerBlock))
        assert engine.calls == 2 and len(blocks) == 2
        message = blocks[0].query_one(MessagePanel).message_text
        assert message == engine.corpus.message("fallback")
