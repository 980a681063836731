"""Every approved passage, mounted on a card, renders exactly its approved text (safety.md
§2: verbatim display), and that text is the one the approval's hash was made on."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

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
                # What is drawn, line by line, holds the same words in the same order.
                assert card.size.height > 0
                drawn = " ".join(card.render_line(y).text
                                 for y in range(card.size.height)).split()
                words = passage.text.split()
                assert any(drawn[i:i + len(words)] == words for i in range(len(drawn))), \
                    passage.id

    asyncio.run(body())
