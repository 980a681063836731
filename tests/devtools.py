"""A minimal DevTools-protocol client for headless Chromium over its debugging pipe, and
the helpers to start and stop ``atc-guide serve``: used by the browser test and by
``scripts/browser_screens.py``.

The terminal in the page (xterm.js) draws on a canvas, so what is on screen is read from
xterm's own buffer, caught by a small script added before the page's scripts run.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-pipe", "--window-size=1280,1000",
)

# Runs before the page's own scripts: keeps a reference to each xterm.js Terminal that
# textual-serve's page creates (it assigns it to a ``terminal`` property).
CATCH_TERMINAL = """
(() => {
  window.__atcTerms = [];
  Object.defineProperty(Object.prototype, "terminal", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "terminal",
        {value, writable: true, configurable: true, enumerable: true});
      if (value && typeof value.loadAddon === "function") window.__atcTerms.push(value);
    },
  });
})();
"""
SCREEN_TEXT = """
(() => {
  const t = (window.__atcTerms || [])[0];
  if (!t) return "";
  const b = t.buffer.active, out = [];
  for (let i = 0; i < t.rows; i++) {
    const line = b.getLine(b.viewportY + i);
    out.push(line ? line.translateToString(true) : "");
  }
  return out.join("\\n");
})()
"""


class DevTools:
    """A minimal, synchronous DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, user_data: Path, log: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4. Move the child's
        # ends above them first, so that redirecting one cannot clobber the other.
        to_browser_r, from_browser_w = (_above(to_browser_r), _above(from_browser_w))
        argv = [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={user_data}", "about:blank"]
        launcher = ("import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
                    "os.execv(sys.argv[3], sys.argv[3:])")
        with log.open("wb") as log_file:
            self.process = subprocess.Popen(
                [sys.executable, "-c", launcher, str(to_browser_r), str(from_browser_w), *argv],
                pass_fds=(to_browser_r, from_browser_w), stdin=subprocess.DEVNULL,
                stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply from Chromium")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 16)
                if not chunk:
                    raise RuntimeError("Chromium closed the debugging pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None, *,
             browser: bool = False, timeout: float = 30) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session and not browser:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def open_page(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, browser=True)
        attached = self.send("Target.attachToTarget",
                             {"targetId": target["targetId"], "flatten": True}, browser=True)
        self.session = attached["sessionId"]
        self.send("Network.enable")
        self.send("Page.enable")
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_TERMINAL})
        self.send("Page.navigate", {"url": url})

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    def screen(self) -> str:
        return self.evaluate(SCREEN_TEXT) or ""

    def wait_for_screen(self, *needles: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            flat = " ".join(text.split())  # words wrapped onto the next line still match
            if all(" ".join(n.split()) in flat for n in needles):
                return text
            time.sleep(0.5)
        raise AssertionError(f"never saw {needles!r} on screen; last screen:\n{text}")

    def type_text(self, text: str) -> None:
        self.send("Input.insertText", {"text": text})

    def press_enter(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {
                "type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13,
                "nativeVirtualKeyCode": 13, **({"text": "\r"} if kind == "keyDown" else {})})

    def press_shift_tab(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {
                "type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9,
                "nativeVirtualKeyCode": 9, "modifiers": 8})

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.send("Browser.close", browser=True, timeout=5)
        stop(self.process)
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)


def _above(fd: int, minimum: int = 10) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, minimum)
    os.close(fd)
    return high


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process this test started, and its process group (it was started in a new
    session, so the group is exactly it and its children)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
    else:
        with contextlib.suppress(ProcessLookupError):  # children may outlive the leader
            os.killpg(process.pid, signal.SIGTERM)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, server: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return response.read().decode("utf-8")
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the server did not answer at {url}")


def screenshot(browser: DevTools, path: Path) -> None:
    """The page as PNG."""
    shot = browser.send("Page.captureScreenshot", {"format": "png"})
    path.write_bytes(base64.b64decode(shot["data"]))
