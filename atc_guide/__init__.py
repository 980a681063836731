"""ATC Guide's composition root: the ``atc-guide`` command and browser mode.

The only package that imports ``botcore``, ``tui`` and ``evals`` together; nothing
imports it (the import contracts in ``pyproject.toml`` keep it that way).
"""

from __future__ import annotations

__version__ = "0.2.0"
