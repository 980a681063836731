"""A turn that only thanks or acknowledges asks nothing (round 6): it is not carried as a
follow-up, so the last answer's passages are not shown again as if they answered it."""

from __future__ import annotations

import pytest

from botcore.answer import Session
from botcore.turn_kinds import is_acknowledgement


@pytest.mark.parametrize("text", ["thanks", "Thank you so much!", "ok got it", "ok", "k",
                                  "great thanks", "thx", "OK, thanks again"])
def test_an_acknowledgement_alone_is_one(text: str) -> None:
    assert is_acknowledgement(text)


@pytest.mark.parametrize("text", ["", "thanks, what about side effects", "ok so how long",
                                  "and after that?", "i see", "no", "got it, is it painful",
                                  "great, can she still eat"])
def test_a_turn_that_asks_something_is_not(text: str) -> None:
    assert not is_acknowledgement(text)


@pytest.mark.model
def test_thanks_does_not_show_the_last_passages_again(real_engine) -> None:  # noqa: ANN001
    session = Session()
    first = real_engine.ask("what is a flexible laryngoscopy", session)
    assert first.status == "answered"
    shown = {s.passage_id for s in first.snippets}
    thanks = real_engine.ask("thanks", session)
    assert not ({s.passage_id for s in thanks.snippets} & shown)
    follow = real_engine.ask("does it hurt", session)  # a real follow-up still carries
    assert follow.searched != "does it hurt"
