"""The user's session: what they saved, wrote down and looked up, kept on their machine.

A session lives in ``<data_dir>/sessions/current.json`` (folder 0700, file 0600, written
atomically after every change); in browser mode each tab has its own
(``sessions/tab-<id>.json``), so one tab never sees or deletes another's. Handouts go
where people can find them (``Documents/ATC Guide/Handouts`` by default), under dated
names that never overwrite each other. "Delete this session" removes the session file
and every handout it wrote, and the folders when they are left empty: nothing of the
session stays behind.

Data minimisation: the engine's turns are kept for their safety state (an emergency a
few turns ago still holds, S6), but without the words the user typed. The questions a
user writes down for the care team are kept, because that is what they asked for.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from botcore.answer import Session, Turn
from botcore.export import HandoutNotes
from botcore.sanitize import display_safe
from botcore.schema import Situation, Topic
from botcore.storage import ensure_private_dir, write_atomic

log = logging.getLogger("atc_guide.tui")

SESSION_FILE = "current.json"
SESSION_NAME = re.compile(r"^[a-f0-9]{16,64}$")
"""A browser tab's session id (hex): the only kind of name a session file may take."""
MAX_QUESTION_CHARS = 500


class StoredSession(BaseModel):
    """The on-disk form of a session (version 1)."""

    model_config = ConfigDict(hide_input_in_errors=True, extra="ignore")

    version: int = 1
    situations: list[Situation] = Field(default_factory=list)
    topic: Topic | None = None
    saved: list[str] = Field(default_factory=list)
    my_questions: list[str] = Field(default_factory=list)
    looked_up: list[str] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)
    exports: list[str] = Field(default_factory=list)
    """File names of handouts written in this session (inside the handouts folder)."""
    safety_message_id: str | None = Field(default=None, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    """The approved emergency or crisis message last shown (its id, never user text), so
    a resumed session repeats the message that was seen."""


class GuideState:
    """Everything the app knows about this session, in memory."""

    def __init__(self) -> None:
        self.session = Session()
        self.saved: list[str] = []
        self.my_questions: list[str] = []
        self.looked_up: list[str] = []
        self.exports: list[str] = []
        self.safety_message_id: str | None = None

    def to_handout_notes(self) -> HandoutNotes:
        """What this session puts in its handout."""
        return HandoutNotes(
            situations=frozenset(self.session.situations), saved=tuple(self.saved),
            looked_up=tuple(self.looked_up), my_questions=tuple(self.my_questions),
        )

    # -- changes ------------------------------------------------------------------------------
    def save_passage(self, passage_id: str) -> bool:
        if passage_id in self.saved:
            return False
        self.saved.append(passage_id)
        return True

    def remove_saved(self, passage_id: str) -> bool:
        if passage_id not in self.saved:
            return False
        self.saved.remove(passage_id)
        return True

    def add_question(self, text: str) -> str | None:
        """Add a question for the care team; returns the stored text (sanitized, one
        line, capped) or None when nothing is left of it."""
        clean = " ".join(display_safe(text).split())[:MAX_QUESTION_CHARS]
        if not clean:
            return None
        self.my_questions.append(clean)
        return clean

    def remove_question(self, index: int) -> bool:
        if 0 <= index < len(self.my_questions):
            del self.my_questions[index]
            return True
        return False

    def note_term(self, term_id: str) -> None:
        if term_id not in self.looked_up:
            self.looked_up.append(term_id)

    def note_export(self, name: str) -> None:
        if name not in self.exports:
            self.exports.append(name)

    @property
    def has_user_content(self) -> bool:
        """Anything the user made that a new session would delete: saved passages, their
        questions, words looked up, handouts."""
        return bool(self.saved or self.my_questions or self.looked_up or self.exports)

    def describe(self) -> str:
        """"2 saved passages, 1 question" (what a new session would delete)."""
        def count(n: int, what: str) -> str:
            return f"{n} {what}{'' if n == 1 else 's'}"

        parts = [count(len(self.saved), "saved passage"), count(len(self.my_questions), "question")]
        if self.exports:
            parts.append(count(len(self.exports), "handout file"))
        return ", ".join(parts)

    @property
    def is_empty(self) -> bool:
        return not (self.saved or self.my_questions or self.looked_up or self.session.turns
                    or self.session.situations)

    # -- (de)serialisation --------------------------------------------------------------------
    def to_stored(self) -> StoredSession:
        turns = [t.model_copy(update={"question": ""}) for t in self.session.turns]
        return StoredSession(
            situations=sorted(self.session.situations), topic=self.session.topic,
            saved=list(self.saved), my_questions=list(self.my_questions),
            looked_up=list(self.looked_up), turns=turns, exports=list(self.exports),
            safety_message_id=self.safety_message_id,
        )

    @classmethod
    def from_stored(cls, stored: StoredSession) -> GuideState:
        state = cls()
        state.session = Session(situations=set(stored.situations), topic=stored.topic,
                                turns=list(stored.turns))
        state.saved = list(dict.fromkeys(stored.saved))
        state.my_questions = [q for q in (" ".join(display_safe(q).split())[:MAX_QUESTION_CHARS]
                                          for q in stored.my_questions) if q]
        state.looked_up = list(dict.fromkeys(stored.looked_up))
        state.exports = [n for n in stored.exports if _plain_name(n)]
        state.safety_message_id = stored.safety_message_id
        return state


def _plain_name(name: str) -> bool:
    """A bare file name (no folders, not hidden): the only kind we will ever delete."""
    return bool(name) and Path(name).name == name and not name.startswith(".")


class SessionStore:
    """Where the session and its handouts live on disk."""

    def __init__(self, data_dir: Path, handouts_dir: Path | None = None,
                 session: str | None = None) -> None:
        """``session``: a browser tab's id (hex), for a session of its own; None for the
        terminal's one session."""
        if session is not None and not SESSION_NAME.match(session):
            raise ValueError("a session id is 16-64 hexadecimal characters")
        self.data_dir = data_dir
        self.sessions_dir = data_dir / "sessions"
        self.handouts_dir = handouts_dir or data_dir / "handouts"
        self.path = self.sessions_dir / (f"tab-{session}.json" if session else SESSION_FILE)

    def exists(self) -> bool:
        return self.path.is_file()

    def save(self, state: GuideState) -> Path:
        ensure_private_dir(self.data_dir)
        ensure_private_dir(self.sessions_dir)
        payload = state.to_stored().model_dump(mode="json")
        write_atomic(self.path, json.dumps(payload, ensure_ascii=True, indent=1, sort_keys=True))
        return self.path

    def load(self) -> GuideState | None:
        """The saved session, or None when there is none or it cannot be read (a damaged
        file is left in place for "delete", never shown half-read)."""
        try:
            raw: Any = json.loads(self.path.read_text(encoding="utf-8"))
            return GuideState.from_stored(StoredSession.model_validate(raw))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValidationError) as exc:
            log.warning("saved session could not be read: %s", type(exc).__name__)
            return None

    def handouts_folder(self) -> Path:
        if self.handouts_dir.parent == self.data_dir:
            ensure_private_dir(self.data_dir)
        else:
            self.handouts_dir.parent.mkdir(parents=True, exist_ok=True)
        return ensure_private_dir(self.handouts_dir)

    def delete(self, state: GuideState | None = None) -> list[Path]:
        """Remove the session file, every handout the session wrote (those recorded in
        ``state`` and in the file on disk), and the folders if empty. Returns what was
        removed."""
        names: set[str] = set(state.exports if state else [])
        on_disk = self.load()
        if on_disk is not None:
            names.update(on_disk.exports)
        removed: list[Path] = []
        for name in sorted(n for n in names if _plain_name(n)):
            target = self.handouts_dir / name
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
                removed.append(target)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
            removed.append(self.path)
        for folder in (self.handouts_dir, self.sessions_dir):  # temp files of a torn write
            for leftover in (folder.glob(".*.tmp") if folder.is_dir() else ()):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
                    removed.append(leftover)
        for folder in (self.handouts_dir, self.sessions_dir):
            with contextlib.suppress(OSError):  # not empty, or not there: leave it
                folder.rmdir()
        return removed
