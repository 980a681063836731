"""The review screen: clinicians approve or reject what ATC Guide may show.

Lists pending, changed, approved and rejected items (passages, prompts, glossary terms,
messages, the red-flag lexicon) with approval coverage at a glance. The selected item
shows its exact text and citation, the decisions recorded so far, what changed since it
was approved (recovered from git; the ledger keeps only hashes) and, beside it, the
cited section of the source review from the reviewer's own copy (the project never
ships the reviews' text). A decision records the reviewer's name, role and an optional
note in the ledger, bound to the hash of the text on screen.

Dismissed with ``True`` when at least one decision was recorded (the app then reloads
the approved library), ``False`` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, OptionList, Static, Tab, Tabs
from textual.widgets.option_list import Option

from botcore.corpus import Corpus, ReviewItem
from botcore.errors import CorpusError
from botcore.review import (
    Coverage,
    DecisionRefused,
    StaleItem,
    check_reviewer,
    coverage,
    current_hashed_text,
    history,
    item_kind,
    meaning_for,
    readable,
    record_decision,
    recover_approved_text,
    source_excerpts,
)
from botcore.sanitize import display_safe
from tui.safe import safe, safe_join
from tui.screens.review_text import (
    citation_content,
    diff_content,
    history_content,
    one_line,
    source_content,
)
from tui.widgets.header import AppHeader
from tui.widgets.prompt import SafePrompt
from tui.widgets.situation import FORM_CSS, Tick, form_label

STATES = ("pending", "changed", "approved", "rejected")
STATE_NAMES = {"pending": "Pending", "changed": "Changed", "approved": "Approved",
               "rejected": "Rejected"}
KIND_LABELS = {"passage": "Passage", "prompt": "Prompt", "glossary": "Glossary",
               "message": "Message", "lexicon": "Lexicon"}


class ReviewScreen(Screen[bool]):
    CSS_PATH = "review.tcss"
    DEFAULT_CSS = FORM_CSS

    @dataclass
    class DiffReady(Message):
        """The earlier approved text of an item, recovered in a worker."""

        item: str
        old: str | None
        where: str
    AUTO_FOCUS = "#review-items"

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f2", "next_state", "Next list"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, corpus_dir: Path, sources_dir: Path | None, *,
                 state: str | None = None, reviewer: str = "", role: str = "") -> None:
        """``state``: the list to open (default: pending, or changed when nothing is
        pending, or approved when nothing awaits review). ``reviewer`` and ``role``: who
        is reviewing, as entered on the care team's home screen (editable here)."""
        super().__init__()
        self.reviewer, self.role = reviewer, role
        self.corpus_dir = corpus_dir
        self.sources_dir = sources_dir
        self.corpus: Corpus | None = None
        self.load_error = ""
        self.items: dict[str, ReviewItem] = {}
        self.selected: ReviewItem | None = None
        self.decisions = 0
        self.coverage: Coverage | None = None
        self._read()
        if state not in STATES:
            present = {i.status.state for i in self.items.values()}
            state = next((s for s in ("pending", "changed") if s in present), "approved")
        self.state: str = state

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static("", id="review-coverage", markup=False)
        yield Tabs(*(Tab(STATE_NAMES[s], id=f"tab-{s}") for s in STATES),
                   active=f"tab-{self.state}", id="review-tabs")
        with Horizontal(id="review-body"):
            yield OptionList(id="review-items")
            with VerticalScroll(id="review-detail") as detail:
                detail.border_title = "Item"
                yield Static("", id="review-title", markup=False)
                yield Static("", id="review-diff", markup=False)
                yield Static("", id="review-text", markup=False)
                yield Static("", id="review-cite", markup=False)
                yield Static("", id="review-history", markup=False)
            with VerticalScroll(id="review-source") as source:
                source.border_title = "Cited section of the source review"
                yield Static("", id="review-source-text", markup=False)
        with Horizontal(id="review-form"):
            with Vertical(classes="review-field"):
                yield form_label("Your name")
                yield SafePrompt(value=self.reviewer, placeholder="as it should be recorded",
                                 id="review-name", max_length=120)
            with Vertical(classes="review-field"):
                yield form_label("Your role")
                yield SafePrompt(value=self.role, placeholder="e.g. oncology nurse",
                                 id="review-role", max_length=80)
            with Vertical(classes="review-field"):
                yield form_label("Note (optional)")
                yield SafePrompt(placeholder="what you checked", id="review-note",
                                 max_length=1000)
            with Vertical(id="review-actions"):
                yield Tick("Care team only (nurse-only)", id="review-nurse-only")
                with Horizontal(id="review-buttons"):
                    yield Button("Approve", id="review-approve", variant="success")
                    yield Button("Reject", id="review-reject", variant="error")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Review content"
        self.sub_title = "approve or reject what ATC Guide may show"
        self._refresh()

    # -- data ---------------------------------------------------------------------------------
    def _read(self) -> None:
        """Read the corpus and the ledger (a small corpus: milliseconds)."""
        try:
            self.corpus = Corpus(self.corpus_dir)
        except CorpusError as exc:
            self.corpus, self.items, self.coverage = None, {}, None
            self.load_error = str(exc)
            return
        self.load_error = ""
        items = self.corpus.review_items()
        self.items = {i.item: i for i in items}
        self.coverage = coverage(self.corpus, items)

    def reload(self, keep: str | None = None) -> None:
        """Read the corpus and the ledger again and refresh every list."""
        self._read()
        self._refresh(keep)

    def _refresh(self, keep: str | None = None) -> None:
        if self.corpus is None or self.coverage is None:
            self.query_one("#review-coverage", Static).update(
                safe_join(("The corpus cannot be reviewed: ", "bold"), self.load_error))
            self._fill_list()
            return
        self.query_one("#review-coverage", Static).update(safe(self.coverage.summary()))
        items = list(self.items.values())
        counts = {s: sum(1 for i in items if i.status.state == s) for s in STATES}
        tabs = self.query_one(Tabs)
        for state in STATES:
            tab = tabs.query_one(f"#tab-{state}", Tab)
            tab.label = Content(f"{STATE_NAMES[state]} ({counts[state]})")
        self._fill_list(keep)

    @property
    def awaiting(self) -> int:
        return self.coverage.awaiting if self.coverage is not None else 0

    def _fill_list(self, keep: str | None = None) -> None:
        options = self.query_one("#review-items", OptionList)
        options.clear_options()
        shown = [i for i in self.items.values() if i.status.state == self.state]
        for item in shown:
            kind = item_kind(item.item)
            label = item.text if kind == "prompt" else item.title
            options.add_option(Option(
                safe_join((f"{KIND_LABELS.get(kind, kind)}: ", "bold"), one_line(label)[:90]),
                id=item.item))
        options.border_title = f"{STATE_NAMES[self.state]}: {len(shown)}"
        if not shown:
            self._show(None)
            return
        index = next((n for n, i in enumerate(shown) if i.item == keep), 0)
        options.highlighted = index
        self._show(shown[index])

    # -- showing one item ---------------------------------------------------------------------
    def _show(self, item: ReviewItem | None) -> None:
        self.selected = item
        title = self.query_one("#review-title", Static)
        text = self.query_one("#review-text", Static)
        cite = self.query_one("#review-cite", Static)
        diff = self.query_one("#review-diff", Static)
        hist = self.query_one("#review-history", Static)
        source = self.query_one("#review-source-text", Static)
        buttons = (self.query_one("#review-approve", Button),
                   self.query_one("#review-reject", Button))
        for button in buttons:
            button.disabled = item is None
        if item is None or self.corpus is None:
            title.update(Content(f"No {STATE_NAMES[self.state].lower()} items."))
            for widget in (text, cite, diff, hist, source):
                widget.update(Content(""))
            diff.add_class("-empty")
            return
        corpus = self.corpus
        meaning = meaning_for(corpus, item.item)
        self.query_one("#review-nurse-only", Checkbox).value = meaning == "nurse-only"
        title.update(safe_join((item.title, "bold"), f"\n{item.item}  \u00b7  ",
                               (item.status.state.upper(), "reverse"),
                               f"  \u00b7  meaning: {meaning} (by its audience)"))
        text.update(safe(readable(corpus, item.item, current_hashed_text(corpus, item.item)
                                  or item.text)))
        cite.update(citation_content(corpus, item.item))
        hist.update(history_content(history(corpus, item.item)))
        self.query_one("#review-source-text", Static).update(
            source_content(source_excerpts(corpus, item.item, self.sources_dir)))
        previous = item.status.previous
        diff.set_class(not (item.status.state == "changed" and previous is not None), "-empty")
        if item.status.state == "changed" and previous is not None:
            diff.update(safe_join(("What changed since it was approved: ", "bold"),
                                  "looking for the approved text..."))
            self._recover(item.item, previous.sha256)
        else:
            diff.update(Content(""))

    @work(thread=True, exclusive=True, group="review-diff", exit_on_error=False)
    def _recover(self, item: str, sha: str) -> None:
        corpus = self.corpus
        if corpus is None:
            return
        found = recover_approved_text(corpus, item, sha)
        old = readable(corpus, item, found.text) if found.text is not None else None
        self.post_message(self.DiffReady(item, old, found.where))

    @on(DiffReady)
    def _diff_ready(self, event: DiffReady) -> None:
        event.stop()
        if self.selected is None or self.selected.item != event.item or self.corpus is None:
            return
        current = readable(self.corpus, event.item,
                           current_hashed_text(self.corpus, event.item) or "")
        self.query_one("#review-diff", Static).update(
            diff_content(event.old, current, event.where))

    @property
    def diff_text(self) -> str:
        return self.query_one("#review-diff", Static).visual.plain  # type: ignore[attr-defined]

    @property
    def source_text(self) -> str:
        return self.query_one("#review-source-text", Static).visual.plain  # type: ignore[attr-defined]

    # -- events -------------------------------------------------------------------------------
    @on(Tabs.TabActivated, "#review-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        event.stop()
        state = (event.tab.id or "tab-pending").removeprefix("tab-")
        if state != self.state:
            self.state = state
            self._fill_list()

    @on(OptionList.OptionHighlighted, "#review-items")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        item = self.items.get(event.option.id or "")
        if item is not None and (self.selected is None or self.selected.item != item.item):
            self._show(item)

    def select(self, item: str) -> None:
        """Show ``item`` (switching to its list)."""
        found = self.items.get(item)
        if found is None:
            return
        self.state = found.status.state
        self.query_one(Tabs).active = f"tab-{self.state}"
        self._fill_list(keep=item)

    @on(Button.Pressed, "#review-approve")
    def _approve(self, event: Button.Pressed) -> None:
        event.stop()
        self.decide("approved")

    @on(Button.Pressed, "#review-reject")
    def _reject(self, event: Button.Pressed) -> None:
        event.stop()
        self.decide("rejected")

    def decide(self, decision: str) -> bool:
        """Record a decision on the item on screen; returns whether it was recorded.

        Then: a toast saying what was recorded, and the next item of the same list is
        shown (the one decided has left the list)."""
        shown = self.selected
        if shown is None or self.corpus is None:
            return False
        name = self.query_one("#review-name", SafePrompt).value
        role = self.query_one("#review-role", SafePrompt).value
        note = self.query_one("#review-note", SafePrompt).value
        try:
            check_reviewer(name, role)
        except DecisionRefused as exc:
            self.notify(f"{str(exc).capitalize()} first.", severity="warning", markup=False)
            self.query_one("#review-name" if len(one_line(name)) < 2 else "#review-role").focus()
            return False
        position = self._position(shown.item)
        nurse_only = self.query_one("#review-nurse-only", Checkbox).value
        default = meaning_for(self.corpus, shown.item) == "nurse-only"
        meaning = None if nurse_only == default else ("nurse-only" if nurse_only
                                                       else "patient-facing")
        try:
            # A fresh read of the files: the decision is bound to the text on screen and
            # refused when the file changed meanwhile.
            record_decision(Corpus(self.corpus_dir), shown, "approved" if decision == "approved"
                            else "rejected", name, role, note=note, meaning=meaning)
        except StaleItem:
            self.reload(keep=shown.item)
            self.notify("This item changed on disk while you were reading it. It has been "
                        "reloaded: please read it again.", severity="warning", markup=False)
            return False
        except (DecisionRefused, CorpusError, OSError) as exc:
            self.notify(f"The decision could not be recorded: {display_safe(str(exc))}",
                        severity="error", markup=False)
            return False
        self.decisions += 1
        self.query_one("#review-note", SafePrompt).value = ""
        self.notify(f"{decision.capitalize()}: {one_line(shown.title)[:80]}", markup=False)
        self.reload()
        self._show_at(position)
        return True

    def _position(self, item: str) -> int:
        shown = [i.item for i in self.items.values() if i.status.state == self.state]
        return shown.index(item) if item in shown else 0

    def _show_at(self, position: int) -> None:
        """Highlight the item now at ``position`` of the list (the next one)."""
        options = self.query_one("#review-items", OptionList)
        if options.option_count:
            index = min(position, options.option_count - 1)
            options.highlighted = index
            option_id = options.get_option_at_index(index).id
            item = self.items.get(option_id or "")
            if item is not None:
                self._show(item)

    def action_next_state(self) -> None:
        index = (STATES.index(self.state) + 1) % len(STATES)
        self.query_one(Tabs).active = f"tab-{STATES[index]}"

    def action_close(self) -> None:
        self.dismiss(self.decisions > 0)
