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
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, OptionList, Static, Tab, Tabs
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
    word_diff,
)
from botcore.sanitize import display_safe
from tui.safe import safe, safe_join
from tui.widgets.prompt import SafePrompt

STATES = ("pending", "changed", "approved", "rejected")
STATE_NAMES = {"pending": "Pending", "changed": "Changed", "approved": "Approved",
               "rejected": "Rejected"}
KIND_LABELS = {"passage": "Passage", "prompt": "Prompt", "glossary": "Glossary",
               "message": "Message", "lexicon": "Lexicon"}


def one_line(text: str) -> str:
    return " ".join(display_safe(text).split())


class ReviewScreen(Screen[bool]):
    CSS_PATH = "review.tcss"

    @dataclass
    class DiffReady(Message):
        """The earlier approved text of an item, recovered in a worker."""

        item: str
        old: str | None
        where: str
    AUTO_FOCUS = "#review-items"

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+n", "next_state", "Next list"),
    ]

    def __init__(self, corpus_dir: Path, sources_dir: Path | None, *,
                 state: str | None = None) -> None:
        """``state``: the list to open (default: pending, or changed when nothing is
        pending, or approved when nothing awaits review)."""
        super().__init__()
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
        yield Header(icon="?")
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
            yield SafePrompt(placeholder="Your name", id="review-name", max_length=120)
            yield SafePrompt(placeholder="Your role, e.g. head and neck oncology nurse",
                             id="review-role", max_length=80)
            yield SafePrompt(placeholder="Note (optional)", id="review-note", max_length=1000)
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
            return
        corpus = self.corpus
        meaning = meaning_for(corpus, item.item)
        title.update(safe_join((item.title, "bold"), f"\n{item.item}  \u00b7  ",
                               (item.status.state.upper(), "reverse"),
                               f"  \u00b7  approval meaning: {meaning}"))
        text.update(safe(readable(corpus, item.item, current_hashed_text(corpus, item.item)
                                  or item.text)))
        kind, _, ident = item.item.partition(":")
        if kind == "passage" and ident in corpus.passages:
            cite.update(safe_join(("Source: ", "bold"), corpus.citation(corpus.passages[ident])))
        elif kind == "prompt" and ident in corpus.prompts:
            prompt = corpus.prompts[ident]
            refs = "; ".join(f"{corpus.sources[c.source].short}, {c.section}" for c in prompt.cites)
            cite.update(safe_join(("Written from: ", "bold"), refs))
        else:
            cite.update(Content(""))
        records = history(corpus, item.item)
        if records:
            lines = [f"{r.at:%Y-%m-%d %H:%M} UTC  {r.decision} by {one_line(r.reviewer)} "
                     f"({one_line(r.role)})" + ("  [demonstration]" if r.demonstration else "")
                     + (f"  - {one_line(r.note)}" if r.note else "") for r in records]
            hist.update(safe_join(("Decisions recorded in the ledger:\n", "bold"),
                                  "\n".join(lines)))
        else:
            hist.update(safe_join(("Decisions recorded in the ledger: ", "bold"), "none yet"))
        self._show_source(item)
        previous = item.status.previous
        if item.status.state == "changed" and previous is not None:
            diff.update(safe_join(("What changed since it was approved: ", "bold"),
                                  "looking for the approved text..."))
            self._recover(item.item, previous.sha256)
        else:
            diff.update(Content(""))

    def _show_source(self, item: ReviewItem) -> None:
        source = self.query_one("#review-source-text", Static)
        assert self.corpus is not None
        excerpts = source_excerpts(self.corpus, item.item, self.sources_dir)
        if not excerpts:
            source.update(Content("This item cites no section of the reviews."))
            return
        content = Content("")
        for excerpt in excerpts:
            content = content + safe(excerpt.heading, "bold") + Content("\n")
            content = content + safe(excerpt.text if excerpt.text is not None
                                     else excerpt.problem) + Content("\n\n")
        source.update(content)

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
        diff = self.query_one("#review-diff", Static)
        heading = ("What changed since it was approved ", "bold")
        if event.old is None:
            diff.update(safe_join(heading, ("(diff unavailable): ", "bold"), event.where))
            return
        current = readable(self.corpus, event.item,
                           current_hashed_text(self.corpus, event.item) or "")
        if event.old == current:
            diff.update(safe_join(heading, "(", event.where, "):\nThe text is the same; what "
                                  "is shown with it (title, audience, citations or conditions) "
                                  "changed."))
            return
        content = safe_join(heading, "(", event.where, "). ",
                            ("[-removed-]", "strike"), " ", ("{+added+}", "bold underline"), "\n")
        for op, text in word_diff(event.old, current):
            if op == "same":
                content = content + safe(text)
            elif op == "removed":
                content = content + Content("[-") + safe(text, "strike") + Content("-]")
            else:
                content = content + Content("{+") + safe(text, "bold underline") + Content("+}")
        diff.update(content)

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
        """Record a decision on the item on screen; returns whether it was recorded."""
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
        # Bind the decision to the text on screen: refuse if the file changed meanwhile.
        self.reload(keep=shown.item)
        if self.corpus is None:
            return False
        try:
            record_decision(self.corpus, shown, "approved" if decision == "approved"
                            else "rejected", name, role, note=note)
        except StaleItem:
            self.notify("This item changed on disk while you were reading it. It has been "
                        "reloaded: please read it again.", severity="warning", markup=False)
            return False
        except (DecisionRefused, OSError) as exc:
            self.notify(f"The decision could not be recorded: {display_safe(str(exc))}",
                        severity="error", markup=False)
            return False
        fresh = shown
        self.decisions += 1
        self.query_one("#review-note", SafePrompt).value = ""
        self.notify(f"{decision.capitalize()}: {one_line(fresh.title)[:80]}", markup=False)
        self.reload()
        return True

    def action_next_state(self) -> None:
        index = (STATES.index(self.state) + 1) % len(STATES)
        self.query_one(Tabs).active = f"tab-{STATES[index]}"

    def action_close(self) -> None:
        self.dismiss(self.decisions > 0)
