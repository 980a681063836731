"""The preparation form: who the packet is for and by whom, the day of the conversation,
the patient's situation (the patient app's form), whether hospice has been discussed,
the current treatment and the parts of the conversation to cover.

Every field has a visible label. Any change posts ``PrepForm.Changed`` (the screen then
asks before throwing the form away). Below ~100 columns the groups stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, RadioSet

from botcore.export import Prepared
from botcore.packet import SECTION_NAMES, PatientSituation
from botcore.schema import PACKET_SECTIONS
from tui.widgets.prompt import SafePrompt
from tui.widgets.situation import FORM_CSS, Choice, SituationForm, Tick, form_label

HOSPICE_CHOICES = (("hospice-unknown", "Not sure / skip", None),
                   ("hospice-yes", "Discussed", True),
                   ("hospice-no", "Not yet", False))


class PrepForm(Vertical):
    DEFAULT_CSS = FORM_CSS + """
    PrepForm { height: auto; }
    PrepForm .prep-row { height: auto; }
    PrepForm .prep-field { width: 1fr; height: auto; margin: 0 1 0 0; }
    PrepForm #prep-topics { height: auto; border: tall $border-blurred; padding: 0 1; }
    PrepForm #prep-topics Checkbox { border: none; padding: 0; height: 1; }
    PrepForm #prep-hospice:focus-within, PrepForm #prep-topics:focus-within {
        border: thick $accent;
    }
    PrepForm #prep-assemble { width: 100%; margin: 1 0 0 0; }
    """

    @dataclass
    class Changed(Message):
        """Something in the form changed."""

    def __init__(self, *, today: date | None = None, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.today = today or date.today()

    def compose(self) -> ComposeResult:
        with Horizontal(classes="prep-row"):
            with Vertical(classes="prep-field"):
                yield form_label("Prepared for (optional)")
                yield SafePrompt(placeholder="patient / family", id="prep-for",
                                 max_length=120)
            with Vertical(classes="prep-field"):
                yield form_label("Prepared by (optional)")
                yield SafePrompt(placeholder="your name", id="prep-by", max_length=120)
            with Vertical(classes="prep-field"):
                yield form_label("Day of the conversation")
                yield SafePrompt(value=self.today.isoformat(), id="prep-on", max_length=10)
        yield SituationForm(id="prep-situation-form")
        with Horizontal(classes="prep-row", id="prep-row-plan"):
            with Vertical(classes="prep-field"):
                yield form_label("Hospice discussed")
                yield RadioSet(*(Choice(label, value=ident == "hospice-unknown", id=ident)
                                 for ident, label, _ in HOSPICE_CHOICES), id="prep-hospice")
            with Vertical(classes="prep-field"):
                yield form_label("Parts to cover")
                with Vertical(id="prep-topics"):
                    for section in PACKET_SECTIONS:
                        yield Tick(SECTION_NAMES[section], value=True, id=f"topic-{section}")
            with Vertical(classes="prep-field"):
                yield form_label("Current treatment (optional)")
                yield SafePrompt(placeholder="e.g. dabrafenib and trametinib",
                                 id="prep-treatment", max_length=200)
                yield Button("Assemble the packet", id="prep-assemble", variant="primary")

    # -- what the form says -------------------------------------------------------------------
    @property
    def situation(self) -> PatientSituation:
        tags = self.query_one(SituationForm).value
        pressed = self.query_one("#prep-hospice", RadioSet).pressed_button
        hospice = next((value for ident, _, value in HOSPICE_CHOICES
                        if pressed is not None and pressed.id == ident), None)
        return PatientSituation.from_tags(
            tags, hospice, self.query_one("#prep-treatment", SafePrompt).value)

    @property
    def topics(self) -> list[str]:
        return [s for s in PACKET_SECTIONS if self.query_one(f"#topic-{s}", Checkbox).value]

    @property
    def day(self) -> date | None:
        """The day typed (YYYY-MM-DD), or None when it is not a date."""
        try:
            return date.fromisoformat(self.query_one("#prep-on", SafePrompt).value.strip())
        except ValueError:
            return None

    @property
    def prepared(self) -> Prepared:
        return Prepared(self.query_one("#prep-for", SafePrompt).value,
                        self.query_one("#prep-by", SafePrompt).value, self.day)

    def set_prepared_by(self, name: str) -> None:
        self.query_one("#prep-by", SafePrompt).value = name

    # -- changes ------------------------------------------------------------------------------
    @on(Input.Changed)
    @on(RadioSet.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Changed())
