"""``python -m atc_guide``: the same as the ``atc-guide`` command."""

from __future__ import annotations

from atc_guide.cli import entry

if __name__ == "__main__":
    entry()
