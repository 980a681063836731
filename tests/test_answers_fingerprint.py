"""tools/answers_fingerprint.py reads only the dev sets, by name, from either location.

The files here are empty stand-ins in a temporary folder: nothing of a real case file is
read, and the sealed names exist only to prove they are never picked."""

from __future__ import annotations

from pathlib import Path

from tools.answers_fingerprint import conversation_files, safety_files


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("", encoding="utf-8")
    return path


def test_only_conversation_sets_a_to_f_are_picked_never_a_sealed_one(tmp_path: Path) -> None:
    sealed = tmp_path / "sealed"
    for s in "ABCDEFGHIJ":
        _touch(sealed / f"conv-{s}.yaml")
    _touch(sealed / "conv-extra.yaml")
    assert [p.name for p in conversation_files(sealed)] == [
        f"conv-{s}.yaml" for s in "ABCDEF"]


def test_safety_e_and_f_come_from_the_writers_folder_else_the_sealed_one(tmp_path: Path) -> None:
    sealed, writers = tmp_path / "sealed", tmp_path / "writers"
    for s in "EFGHI":
        _touch(sealed / f"safety-{s}.yaml")
    assert safety_files(sealed, writers) == [("safety-E", sealed / "safety-E.yaml"),
                                             ("safety-F", sealed / "safety-F.yaml")]
    for s in "EFG":  # main moves E, F (and G) to the writers' folder
        _touch(writers / f"s{s}" / "cases.yaml")
    (sealed / "safety-E.yaml").unlink()
    assert safety_files(sealed, writers) == [("safety-E", writers / "sE" / "cases.yaml"),
                                             ("safety-F", writers / "sF" / "cases.yaml")]


def test_no_set_found_is_no_file(tmp_path: Path) -> None:
    assert conversation_files(tmp_path) == [] and safety_files(tmp_path, tmp_path) == []
