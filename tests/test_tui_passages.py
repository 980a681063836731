"""Every approved passage, mounted on a card, renders exactly its approved text (safety.md
§2: verbatim display), and that text is the one the approval's hash was made on."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from botcore.config import Settings
from botcore.corpus import Corpus
from botcore.ledger import sha256_text
from tui.terms import TermIndex
from tui.widgets.passage_card import PassageCard


class CardHost(App[None]):
    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="cards")


def test_every_approved_passage_renders_its_approved_text() -> None:
    corpus = Corpus(Settings().corpus_dir)  # the bundled corpus (or ATC_GUIDE_CORPUS_DIR)
    passages = corpus.approved_passages()
    assert len(passages) >= 40
    terms = TermIndex(corpus.approved_glossary())

    async def body() -> None:
        app = CardHost()
        async with app.run_test(size=(90, 40)) as pilot:
            holder = app.query_one("#cards", VerticalScroll)
            cards = [PassageCard(corpus.snippet(p.id, 1.0), terms) for p in passages]
            await holder.mount_all(cards)
            await pilot.pause()
            for passage, card in zip(passages, cards, strict=True):
                record = corpus.passage_status(passage).record
                assert record is not None and record.decision == "approved"
                shown = card.shown_text
                assert shown == passage.text, passage.id
                assert sha256_text(shown) == record.sha256, passage.id
                # What is drawn, line by line, is the same words in the same order.
                text_widget = card.query_one(".card-text", Static)
                assert text_widget.size.height > 0
                drawn = " ".join(text_widget.render_line(y).text
                                 for y in range(text_widget.size.height))
                assert drawn.split() == passage.text.split(), passage.id

    asyncio.run(body())
