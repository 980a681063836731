"""Small modules with one job: no module of the app (``tui/``) or of the care-team
governance and packet code over 400 lines, no function over 80 (HELPERS.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
OWNED = sorted([*(REPO / "tui").rglob("*.py"), REPO / "botcore" / "review.py",
                REPO / "botcore" / "packet.py", REPO / "botcore" / "packet_plan.py",
                REPO / "atc_guide" / "serve.py", *(REPO / "atc_guide" / "cli").glob("*.py"),
                *(REPO / "botcore" / "export").glob("*.py")])


@pytest.mark.parametrize("path", OWNED, ids=lambda p: str(p.relative_to(REPO)))
def test_module_and_function_sizes(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 400, f"{path.name}: over 400 lines"
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            assert length <= 80, f"{path.name}: {node.name} is {length} lines"
