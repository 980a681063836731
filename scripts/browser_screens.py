"""Browser-mode screenshots (``atc-guide serve`` in headless Chromium): ``docs/screens/``.

    .venv/bin/python scripts/browser_screens.py [--out docs/screens]

Starts ``atc-guide serve`` on a free loopback port with a temporary data folder, opens
it in headless Chromium (driven over its debugging pipe, as the browser test does),
asks three questions, and saves what a person sees at each step. Not a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from devtools import DevTools, free_port, screenshot, stop, wait_http  # noqa: E402
from make_screens import shrink  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="docs/screens")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = dict(os.environ, ATC_GUIDE_DATA_DIR=f"{tmp}/data",
                   ATC_GUIDE_DOCUMENTS_DIR=f"{tmp}/documents")
        log = Path(tmp) / "server.log"
        with log.open("wb") as log_file:
            server = subprocess.Popen(
                [sys.executable, "-m", "atc_guide", "serve", "--port", str(port)], env=env,
                stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                start_new_session=True)
        browser = None
        try:
            wait_http(base + "/", server, log)
            browser = DevTools(Path(tmp) / "profile", Path(tmp) / "chromium.log")
            browser.open_page(base + "/")

            def shot(name: str) -> None:
                time.sleep(1.0)
                path = out / f"b{name}.png"
                screenshot(browser, path)
                shrink(path)
                print(path.name)

            browser.wait_for_screen("Welcome to ATC Guide", "automated tool", timeout=120)
            shot("01_browser_welcome")
            browser.evaluate("window.__atcTerms[0].focus()")
            browser.press_enter()
            browser.wait_for_screen("Type your question", timeout=240)
            for question in ("what is a tracheostomy", "what are the side effects of treatment"):
                browser.type_text(question)
                browser.press_enter()
                browser.wait_for_screen(f"You asked: {question}", timeout=120)
            shot("02_browser_second_answer_in_view")
            browser.type_text("his trach came out and he cant breathe")
            browser.press_enter()
            browser.wait_for_screen("EMERGENCY", timeout=60)
            shot("03_browser_emergency")
        finally:
            if browser is not None:
                browser.close()
            stop(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
