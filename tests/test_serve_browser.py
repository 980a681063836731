"""``atc-guide serve`` in a real headless browser: the page loads, a question typed into
the app is answered with a citation, and the page fetches nothing from anywhere but
this computer.

Chromium (Debian's package, installed by ``.ci/run``) is driven through the DevTools
protocol over ``--remote-debugging-pipe``: no extra Python package and no debugging
port. The terminal in the page (xterm.js) draws on a canvas, so the test reads what is
on screen from xterm's own buffer, caught by a small script added before the page's
scripts run. Without Chromium the test skips and says why.

Sockets: only connections to 127.0.0.1 are allowed (``allow_hosts``; ``enable_socket``
would lift that restriction, so it is not used).
"""

from __future__ import annotations

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

import pytest

from atc_guide.serve import app_command, check_address, is_loopback

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-pipe", "--window-size=1280,1000",
)
QUESTION = "What is a tracheostomy?"

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

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.send("Browser.close", browser=True, timeout=5)
        _stop(self.process)
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)


def _above(fd: int, minimum: int = 10) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, minimum)
    os.close(fd)
    return high


def _stop(process: subprocess.Popen[bytes]) -> None:
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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_http(url: str, server: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> str:
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


# -- no browser needed ----------------------------------------------------------------------
def test_serve_only_on_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    from atc_guide.cli.errors import CliError

    with pytest.raises(CliError, match="loopback"):
        check_address("0.0.0.0", 8000)
    with pytest.raises(CliError, match="port"):
        check_address("127.0.0.1", 70000)
    command = app_command("/opt/my python/bin/python")
    assert command == "'/opt/my python/bin/python' -m atc_guide app"


def test_serve_refuses_a_network_address_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from atc_guide.cli import main

    assert main(["serve", "--host", "0.0.0.0", "--port", "8123"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "loopback" in err[0]


# -- in a real browser ----------------------------------------------------------------------
@pytest.mark.model
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_browser_loads_the_app_and_answers_with_a_citation(
        tmp_path: Path, session_cache: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"chromium not installed: {CHROMIUM} is missing "
                    "(Debian: apt-get install -y chromium; .ci/run installs it)")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, ATC_GUIDE_CACHE_DIR=str(session_cache),
               ATC_GUIDE_DATA_DIR=str(tmp_path / "data"))
    server_log = tmp_path / "server.log"
    with server_log.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "atc_guide", "serve", "--host", "127.0.0.1",
             "--port", str(port)],
            env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
            start_new_session=True)
    browser: DevTools | None = None
    try:
        page = _wait_http(base + "/", server, server_log)
        assert "ATC Guide" in page and "googleapis" not in page

        browser = DevTools(tmp_path / "chromium-profile", tmp_path / "chromium.log")
        browser.open_page(base + "/")
        # The welcome screen with the approved disclaimer (the corpus has loaded).
        browser.wait_for_screen("Welcome to ATC Guide", "automated tool", timeout=90)
        browser.evaluate("window.__atcTerms[0].focus()")
        browser.press_enter()  # "Start" has the focus
        # The engine (model and index) loads in the served app; then the prompt is ready.
        browser.wait_for_screen("Type your question", timeout=240)
        browser.type_text(QUESTION)
        browser.press_enter()
        screen = browser.wait_for_screen("What is a tracheostomy?", "Source:", timeout=60)
        assert "Approval:" in screen
        assert "Anaplastic thyroid carcinoma" in screen or "ATC treatment review" in screen

        # Offline: every request the page made went to this computer.
        urls = [e["params"]["request"]["url"] for e in browser.events
                if e.get("method") == "Network.requestWillBeSent"]
        assert urls, "no requests were recorded"
        outside = [u for u in urls if not u.startswith((base, "data:", "blob:", "about:"))]
        assert not outside, f"the page fetched from elsewhere: {outside}"
    finally:
        if browser is not None:
            browser.close()
        _stop(server)
