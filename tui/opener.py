"""Opening a file the app wrote, where the person is.

In a terminal the file opens in this computer's default viewer (``xdg-open`` on Linux,
``open`` on macOS, the Windows shell), where it can be read and printed. In browser
mode (``atc-guide serve``) the file is on the server, so it is delivered to the
browser through Textual's ``deliver_binary``: opened in a new tab, or downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Literal

from textual.app import App

How = Literal["open", "download"]


def _default_viewer(path: Path) -> bool:
    """Open ``path`` with the system's default application; False when there is none."""
    try:
        if sys.platform.startswith("win"):
            os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606 - our own file
            return True
        tool = "open" if sys.platform == "darwin" else "xdg-open"
        if shutil.which(tool) is None:
            return False
        subprocess.Popen([tool, str(path)], stdin=subprocess.DEVNULL,  # noqa: S603
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
        return True
    except OSError:
        return False


def deliver(app: App[object], path: Path, how: How = "open") -> bool:
    """Show or hand over ``path``: True when it was opened or sent to the browser."""
    if app.is_web:
        app.deliver_binary(path, open_method="browser" if how == "open" else "download")
        return True
    if how == "download":  # in a terminal the file is already on this computer
        return True
    return _default_viewer(path)
