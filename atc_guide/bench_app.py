"""The app's answer-to-screen time: from Enter to the new answer on screen, at the 1st
and the Nth answer of one conversation (a benchmark, never a timed test).

``python -m atc_guide.bench_app [--answers 30] [--fake] [--json]`` prints the figures;
``evals.bench`` runs it as a subprocess (evals never import the app). Each question is
put into the real prompt of the real app (headless, 100x32) and Enter is delivered as a
terminal delivers it; the clock stops when the new answer's "You asked" line is laid out
inside the visible part of the conversation (the frame being painted). ``--fake``
answers from a fixed list of approved passages without the model, to show the app's own
share of the time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from botcore.config import Settings, force_offline

QUESTIONS = (
    "what is a tracheostomy", "what is hospice", "what are the side effects of treatment",
    "how is atc treated", "what does stage ivc mean", "what is palliative care",
    "how do we clean the trach", "what is a clinical trial", "what is braf",
    "how do we talk about what matters most",
)


TIMEOUT_S = 10.0
"""An answer not in view after this long is a failure, not a figure."""


class _FixedEngine:
    """Answers every question with three approved passages, in turn (no model)."""

    def __init__(self, settings: Settings) -> None:
        from botcore.corpus import Corpus

        self.corpus = Corpus(settings.corpus_dir)
        self._ids = [p.id for p in self.corpus.approved_passages()]
        self._n = 0

    def ask(self, question: str, session: Any = None) -> Any:
        from botcore.answer import Answer, Turn

        start = (3 * self._n) % max(1, len(self._ids) - 3)
        self._n += 1
        snippets = [self.corpus.snippet(pid, 0.8) for pid in self._ids[start:start + 3]]
        answer = Answer(question=question, status="answered", snippets=snippets,
                        suggestions=[s.title for s in snippets[:2]])
        if session is not None:
            session.turns.append(Turn(question=question, status="answered"))
        return answer


async def _drive(app: Any, answers: int, size: tuple[int, int]) -> list[float]:
    from textual import events

    from tui.screens.main import MainScreen
    from tui.widgets.answer import AnswerBlock
    from tui.widgets.chat import ChatView

    times: list[float] = []
    async with app.run_test(size=size) as pilot:
        app.start_session(set(), resume=False)
        for _ in range(5):
            await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        chat = main.query_one(ChatView)
        prompt = chat.query_one("#prompt")
        transcript = chat.query_one("#transcript")
        for n in range(answers):
            question = f"{QUESTIONS[n % len(QUESTIONS)]} ({n + 1})"
            prompt.focus()
            prompt.value = question  # typing itself is not what is measured
            await pilot.pause()
            started = time.perf_counter()
            # The key as a terminal delivers it (Pilot.press would add its own idle waits).
            app.post_message(events.Key("enter", None))
            deadline = started + TIMEOUT_S
            while time.perf_counter() < deadline:
                blocks = list(chat.query(AnswerBlock))
                last = blocks[-1] if blocks else None
                if (last is not None and last.answer.question.startswith(question)
                        and last.region.height > 0
                        and transcript.region.contains_point(last.region.offset)):
                    break
                await asyncio.sleep(0.001)
            else:
                raise RuntimeError(f"answer {n + 1} never came into view")
            # Its region is the compositor's: laid out for the frame being painted.
            times.append((time.perf_counter() - started) * 1000)
            await pilot.pause()
            if isinstance(app.screen, MainScreen) is False:  # an emergency modal
                app.pop_screen()
                await pilot.pause()
    return times


def measure(answers: int = 30, *, fake: bool = False, size: tuple[int, int] = (100, 32),
            settings: Settings | None = None, keep: int | None = None) -> dict[str, Any]:
    """Answer ``answers`` questions in one conversation; the ms from Enter to screen.

    ``keep``: how many answers stay laid out in full (default: the app's own bound), to
    compare with an unbounded transcript (``keep=answers``)."""
    force_offline()
    import tui.widgets.chat
    from tui.app import build_app

    if keep is not None:
        tui.widgets.chat.KEEP_IN_FULL = keep
    with tempfile.TemporaryDirectory() as data:
        base = settings or Settings()
        settings = base.model_copy(update={"data_dir": Path(data)})
        if fake:
            engine: Any = _FixedEngine(settings)
        else:
            from botcore.engine import Engine

            engine = Engine.load(settings)
        app = build_app(settings, engine, high_contrast=False, cursor_blink=False)
        times = asyncio.run(_drive(app, answers, size))
    first = times[:3]
    last = times[-3:]
    return {
        "answers": answers, "engine": "fixed (no model)" if fake else "real",
        "kept_in_full": tui.widgets.chat.KEEP_IN_FULL,
        "size": f"{size[0]}x{size[1]}",
        "answer_to_screen_ms_first": round(times[0], 1),
        "answer_to_screen_ms_last": round(times[-1], 1),
        "median_ms_first3": round(statistics.median(first), 1),
        "median_ms_last3": round(statistics.median(last), 1),
        "range_ms_last3": [round(min(last), 1), round(max(last), 1)],
        "all_ms": [round(t, 1) for t in times],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m atc_guide.bench_app",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=30)
    parser.add_argument("--fake", action="store_true", help="no model: fixed answers")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.add_argument("--keep", type=int, help="answers laid out in full (default: the app's)")
    args = parser.parse_args(argv)
    result = measure(args.answers, fake=args.fake, keep=args.keep)
    if args.json:
        print(json.dumps({k: v for k, v in result.items()}))
    else:
        print(f"app answer-to-screen ({result['engine']}, {result['size']}, "
              f"{result['kept_in_full']} in full): "
              f"1st answer {result['answer_to_screen_ms_first']} ms, "
              f"{args.answers}th {result['answer_to_screen_ms_last']} ms "
              f"(median of last 3: {result['median_ms_last3']} ms, range "
              f"{result['range_ms_last3'][0]}-{result['range_ms_last3'][1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
