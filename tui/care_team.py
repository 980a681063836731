"""ATC Guide for the care team: ``atc-guide care-team`` (or ``atc-guide serve --care-team``).

Kept apart from the patient app on purpose: preparing a goals-of-care packet and
reviewing content are reached through their own entry, never one key away in a
patient's session. The home screen asks who is using it (name and role, recorded with
every review decision and printed as "prepared by" on packets), then offers the two
tools. Packets go to ``Documents/ATC Guide/Packets`` under dated names; this session
records them, and "Delete this session" removes them from this computer.

No model is loaded: both tools read the corpus only.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from botcore.config import Settings
from botcore.errors import CorpusError
from botcore.storage import ensure_private_dir, write_atomic
from tui.palette import keep_textual_command
from tui.safe import safe
from tui.themes import CALM, HIGH_CONTRAST, THEMES
from tui.widgets.header import AppHeader
from tui.widgets.prompt import SafePrompt
from tui.widgets.situation import FORM_CSS, form_label

EXIT_OK, EXIT_FAILED = 0, 1


class CareTeamStore:
    """The packets this care-team session wrote (file names only), kept so that they can
    be deleted; ``<data_dir>/care-team/session.json`` (0700 / 0600)."""

    def __init__(self, data_dir: Path, packets_dir: Path) -> None:
        self.folder = data_dir / "care-team"
        self.path = self.folder / "session.json"
        self.packets_dir = packets_dir

    def packets(self) -> list[str]:
        try:
            names = json.loads(self.path.read_text(encoding="utf-8")).get("packets", [])
        except (OSError, ValueError, AttributeError):
            return []
        return [n for n in names if isinstance(n, str) and Path(n).name == n
                and not n.startswith(".")]

    def record(self, paths: list[Path]) -> None:
        names = self.packets() + [p.name for p in paths if p.parent == self.packets_dir]
        ensure_private_dir(self.folder)
        write_atomic(self.path, json.dumps({"packets": sorted(set(names))}, ensure_ascii=True))

    def delete(self) -> list[Path]:
        """Remove every packet this session wrote and the session record."""
        removed = []
        for name in self.packets():
            with contextlib.suppress(FileNotFoundError):
                (self.packets_dir / name).unlink()
                removed.append(self.packets_dir / name)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
            removed.append(self.path)
        for folder in (self.packets_dir, self.folder):
            with contextlib.suppress(OSError):
                folder.rmdir()
        return removed


class CareTeamHome(Screen[None]):
    DEFAULT_CSS = FORM_CSS + """
    CareTeamHome #care-body { padding: 0 2; }
    CareTeamHome #care-title { text-style: bold; margin: 1 0; }
    CareTeamHome #care-who { height: auto; }
    CareTeamHome .care-field { width: 1fr; height: auto; margin: 0 1 0 0; }
    CareTeamHome #care-tools, CareTeamHome #care-danger { height: auto; margin: 1 0; }
    CareTeamHome #care-tools Button, CareTeamHome #care-danger Button { margin: 0 2 0 0; }
    CareTeamHome.-narrow #care-who, CareTeamHome.-narrow #care-tools { layout: vertical; }
    CareTeamHome #care-status { color: $text; }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    AUTO_FOCUS = "#care-name"

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with VerticalScroll(id="care-body"):
            yield Static(Content("ATC Guide for the care team"), id="care-title", markup=False)
            yield Static("", id="care-trust", markup=False)
            with Horizontal(id="care-who"):
                with Vertical(classes="care-field"):
                    yield form_label("Your name")
                    yield SafePrompt(placeholder="as it should be recorded", id="care-name",
                                     max_length=120)
                with Vertical(classes="care-field"):
                    yield form_label("Your role")
                    yield SafePrompt(placeholder="e.g. head and neck oncology nurse",
                                     id="care-role", max_length=80)
            yield Static(Content("Your name and role are recorded with every review "
                                 "decision, and printed as \u201cprepared by\u201d on packets. "
                                 "A decision is refused without them."),
                         classes="help", markup=False)
            with Horizontal(id="care-tools"):
                yield Button("Prepare a conversation (packet)", id="care-prepare",
                             variant="primary")
                yield Button("Review content", id="care-review")
            yield Static("", id="care-status", markup=False)
            with Horizontal(id="care-danger"):
                yield Button("Delete this session (its packets)", id="care-delete",
                             variant="error")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "ATC Guide"
        self.sub_title = "for the care team"
        self.refresh_status()

    def refresh_status(self) -> None:
        app = self.app
        assert isinstance(app, CareTeamApp)
        self.query_one("#care-status", Static).update(safe(app.status_line()))
        self.query_one("#care-trust", Static).update(safe(app.trust_line()))

    @property
    def who(self) -> tuple[str, str]:
        return (" ".join(self.query_one("#care-name", SafePrompt).value.split()),
                " ".join(self.query_one("#care-role", SafePrompt).value.split()))

    @on(Button.Pressed, "#care-prepare")
    def _prepare(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.call_later(self.app.run_action, "prepare")

    @on(Button.Pressed, "#care-review")
    def _review(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.call_later(self.app.run_action, "review")

    @on(Button.Pressed, "#care-delete")
    def _delete(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.call_later(self.app.run_action, "delete_session")


class CareTeamApp(App[int]):
    """Packet preparation and content review, for the care team only."""

    CSS_PATH = "app.tcss"
    TITLE = "ATC Guide"
    SUB_TITLE = "for the care team"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("f8", "toggle_contrast", "Contrast"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, settings: Settings, *, high_contrast: bool = False,
                 cursor_blink: bool = True) -> None:
        super().__init__()
        self.settings = settings
        self.high_contrast = high_contrast
        self.cursor_blink = cursor_blink
        self.packets_dir = settings.documents_dir / "Packets"
        self.store = CareTeamStore(settings.data_dir, self.packets_dir)
        self.corpus = None
        self.load_error = ""

    def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = HIGH_CONTRAST.name if self.high_contrast else CALM.name
        self._read_corpus()
        self.push_screen(CareTeamHome())

    def _read_corpus(self) -> None:
        from botcore.corpus import Corpus

        try:
            self.corpus = Corpus(self.settings.corpus_dir)
            self.load_error = ""
        except CorpusError as exc:
            self.corpus, self.load_error = None, str(exc)

    def status_line(self) -> str:
        if self.corpus is None:
            return f"The corpus cannot be read: {self.load_error}"
        from botcore.review import awaiting_review

        packets = len(self.store.packets())
        return (f"{awaiting_review(self.corpus)} items await review. "
                f"{packets} packet file{'s' if packets != 1 else ''} written in this session, "
                f"in {self.packets_dir}.")

    def trust_line(self) -> str:
        if self.corpus is None:
            return ""
        from botcore.trust import trust

        return trust(self.corpus).line or ""

    def _home(self) -> CareTeamHome | None:
        return next((s for s in self.screen_stack if isinstance(s, CareTeamHome)), None)

    def _who(self) -> tuple[str, str]:
        home = self._home()
        return home.who if home is not None else ("", "")

    def action_prepare(self) -> None:
        if self.corpus is None:
            self.notify(f"The corpus cannot be read: {self.load_error}", markup=False)
            return
        from tui.screens.prep import PrepScreen

        self.push_screen(PrepScreen(self.corpus, self.packets_dir,
                                    prepared_by=self._who()[0], record=self._recorded))

    def _recorded(self, paths: list[Path]) -> None:
        try:
            self.store.record(paths)
        except OSError as exc:
            self.notify(f"This session could not note the packet ({type(exc).__name__}).",
                        severity="warning", markup=False)
        home = self._home()
        if home is not None:
            home.refresh_status()

    def action_review(self) -> None:
        from tui.screens.review import ReviewScreen

        name, role = self._who()

        def done(_changed: bool | None) -> None:
            self._read_corpus()
            home = self._home()
            if home is not None:
                home.refresh_status()

        self.push_screen(ReviewScreen(self.settings.corpus_dir, self.settings.sources_dir,
                                      reviewer=name, role=role), done)

    def action_delete_session(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        count = len(self.store.packets())

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete()

        self.push_screen(ConfirmScreen(
            "Delete this session?",
            f"This removes from this computer the {count} packet file"
            f"{'s' if count != 1 else ''} prepared in this session and its record. Review "
            "decisions stay in the approvals ledger.", yes="Delete", no="Keep"), answered)

    def _delete(self) -> None:
        removed = self.store.delete()
        self.notify(f"This session was deleted ({len(removed)} files removed).", markup=False)
        home = self._home()
        if home is not None:
            home.refresh_status()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(care_team=True, closing=self.trust_line()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Keyboard help", "All the keys (F1)", self.action_help)
        yield SystemCommand("High contrast", "Turn high-contrast colours on or off (F8)",
                            self.action_toggle_contrast)
        yield SystemCommand("Prepare a conversation", "Goals-of-care packet",
                            self.action_prepare)
        yield SystemCommand("Review content", "Approve or reject what ATC Guide may show",
                            self.action_review)
        yield SystemCommand("Delete this session", "Remove the packets prepared here",
                            self.action_delete_session)
        yield from filter(keep_textual_command, super().get_system_commands(screen))

    def action_toggle_contrast(self) -> None:
        self.high_contrast = self.theme != HIGH_CONTRAST.name
        self.theme = HIGH_CONTRAST.name if self.high_contrast else CALM.name


def run_care_team(settings: Settings) -> int:
    """Run the care team's app in this terminal; returns the exit code."""
    from botcore.config import force_offline

    force_offline()
    app = CareTeamApp(settings, high_contrast="NO_COLOR" in os.environ)
    result = app.run()
    if isinstance(result, int):
        return result
    return EXIT_FAILED if app.return_code else EXIT_OK
