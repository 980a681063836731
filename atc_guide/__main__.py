"""``python -m atc_guide``: the same as the ``atc-guide`` command."""

from __future__ import annotations

import sys

from atc_guide.cli import main

if __name__ == "__main__":
    sys.exit(main())
