"""The optional "your situation" form: stage, BRAF result, tracheostomy. Every choice
defaults to "Not sure / skip"; what is chosen ranks matching passages first and stays in
this session only."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import RadioButton, RadioSet

from botcore.schema import SITUATION_GROUPS

GROUP_TITLES = {"stage": "Stage", "braf": "BRAF test", "trach": "Tracheostomy"}
SHORT_NAMES = {"stage-iva": "Stage IVA", "stage-ivb": "Stage IVB", "stage-ivc": "Stage IVC",
               "braf-v600e": "BRAF V600E", "braf-negative": "BRAF negative",
               "trach": "Has a trach", "no-trach": "No trach"}
"""Short interface names for the form's buttons (the documents use SITUATION_NAMES)."""

GROUPS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = tuple(
    (group, GROUP_TITLES[group], tuple((tag, SHORT_NAMES[tag]) for tag in tags))
    for group, tags in SITUATION_GROUPS.items())
"""The form's questions, from the one situation vocabulary (``botcore.schema``)."""


class Choice(RadioButton):
    """A radio button whose state shows as a shape ("●" chosen, "○" not), not colour alone."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual's name for the glyph
        return "\u25cf" if self.value else "\u25cb"


class SituationForm(Horizontal):
    DEFAULT_CSS = """
    SituationForm { height: auto; }
    SituationForm RadioSet { width: 1fr; margin: 0 1 0 0; }
    SituationForm RadioSet:focus-within { border: thick $accent; }
    """

    def __init__(self, situations: Iterable[str] = (), *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.initial = set(situations)

    def compose(self) -> ComposeResult:
        for group, title, choices in GROUPS:
            chosen = next((tag for tag, _ in choices if tag in self.initial), None)
            buttons = [Choice("Not sure / skip", value=chosen is None, id=f"sit-{group}-none")]
            buttons += [Choice(label, value=tag == chosen, id=f"sit-{tag}")
                        for tag, label in choices]
            radio = RadioSet(*buttons, id=f"sit-{group}")
            radio.border_title = title
            yield radio

    @property
    def value(self) -> set[str]:
        chosen: set[str] = set()
        for group, _, choices in GROUPS:
            pressed = self.query_one(f"#sit-{group}", RadioSet).pressed_button
            tags = {f"sit-{tag}": tag for tag, _ in choices}
            if pressed is not None and pressed.id in tags:
                chosen.add(tags[pressed.id])
        return chosen
