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

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from devtools import CHROMIUM, DevTools, free_port, stop, wait_http

from atc_guide.serve import app_command, check_address, is_loopback

QUESTION = "What is a tracheostomy?"


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
    port = free_port()
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
        page = wait_http(base + "/", server, server_log)
        assert "ATC Guide" in page and "googleapis" not in page

        browser = DevTools(tmp_path / "chromium-profile", tmp_path / "chromium.log")
        browser.open_page(base + "/")
        # The welcome screen with the approved disclaimer (the corpus has loaded).
        browser.wait_for_screen("Welcome to ATC Guide", "automated tool", timeout=90)
        browser.evaluate("window.__atcTerms[0].focus()")
        browser.press_enter()  # "Start" has the focus
        # The prompt takes a question at once; it is answered once the engine (model and
        # index, built on a first run) has loaded in the served app.
        browser.wait_for_screen("Type your question", timeout=120)
        browser.type_text(QUESTION)
        browser.press_enter()
        screen = browser.wait_for_screen("What is a tracheostomy?", "Source:", timeout=300)
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
        stop(server)


@pytest.mark.model
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_two_browser_tabs_keep_their_own_sessions(tmp_path: Path, session_cache: Path) -> None:
    """m15: each tab has its own session: two tabs at once write two session files; a
    reload continues the tab's own session; a new tab starts empty; one tab starting
    over never deletes the other's."""
    if not CHROMIUM.exists():
        pytest.skip(f"chromium not installed: {CHROMIUM} is missing")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    data = tmp_path / "data"
    env = dict(os.environ, ATC_GUIDE_CACHE_DIR=str(session_cache), ATC_GUIDE_DATA_DIR=str(data))
    server_log = tmp_path / "server.log"
    with server_log.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "atc_guide", "serve", "--port", str(port)], env=env,
            stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
            start_new_session=True)
    browsers: list[DevTools] = []
    try:
        wait_http(base + "/", server, server_log)
        for name in ("a", "b"):
            browser = DevTools(tmp_path / f"profile-{name}", tmp_path / f"chromium-{name}.log")
            browsers.append(browser)
            browser.open_page(base + "/")
        for browser, question in zip(browsers, ("what is hospice", "what is a stoma"),
                                     strict=True):
            browser.wait_for_screen("Welcome to ATC Guide", "automated tool", timeout=120)
            browser.evaluate("window.__atcTerms[0].focus()")
            browser.press_enter()  # Start
            browser.wait_for_screen("Type your question", timeout=120)
            time.sleep(1)  # a person takes a moment too
            browser.type_text(question)
            browser.press_enter()
            browser.wait_for_screen(f"You asked: {question}", timeout=300)
        files = sorted((data / "sessions").glob("tab-*.json"))
        assert len(files) == 2, files
        before = {f.name: f.read_text() for f in files}
        a, b = browsers
        # Tab b reloads and starts over; tab a's session is untouched.
        b.send("Page.reload")
        b.wait_for_screen("Start a new session", "Continue my saved session", timeout=120)
        b.evaluate("window.__atcTerms[0].focus()")
        b.press_shift_tab()  # from "Continue" to "Start a new session"
        b.press_enter()
        b.wait_for_screen("Type your question", timeout=120)
        after = {f.name: f.read_text() for f in (data / "sessions").glob("tab-*.json")}
        assert set(after) == set(before)
        changed = [name for name in before if after[name] != before[name]]
        assert len(changed) == 1  # b's own file started over; a's is as it was
        # Tab a reloads: it continues its own session.
        a.send("Page.reload")
        a.wait_for_screen("Continue my saved session", timeout=120)
        # A new tab has nothing to continue.
        c = DevTools(tmp_path / "profile-c", tmp_path / "chromium-c.log")
        browsers.append(c)
        c.open_page(base + "/")
        screen = c.wait_for_screen("Welcome to ATC Guide", timeout=120)
        assert "Continue my saved session" not in screen
    finally:
        for browser in browsers:
            browser.close()
        stop(server)
