"""Browser mode's warm launcher (issue 13): a tab's app is a fork of one process that has
loaded the app and the engine; the light client hands it the tab's streams and exits with
the app's code; without a launcher the client runs the app itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from atc_guide import launcher, tabclient
from atc_guide.serve import tab_command
from evals.bench_tabs import WEB_DRIVER_ENV, quit_packet, read_until


def test_tab_ids_are_checked_again_at_the_launcher() -> None:
    assert launcher.valid_session("ab" * 16) and launcher.valid_session(None)
    for bad in ("AB" * 16, "ab" * 15, "../../etc/passwd", 7, "ab" * 16 + "\n"):
        assert not launcher.valid_session(bad)
        assert not launcher.is_tab_id(bad)  # the one rule serve checks URLs with too


def test_tab_command_quotes_the_socket_and_refuses_a_bad_id(tmp_path: Path) -> None:
    command = tab_command(tmp_path / "a b" / "l.sock", "cd" * 16, python="/opt/py thon")
    assert command == (f"'/opt/py thon' -m atc_guide.tabclient '{tmp_path}/a b/l.sock' "
                       f"--session {'cd' * 16}")
    with pytest.raises(ValueError):
        tab_command(tmp_path / "l.sock", "x; rm -rf /")


def test_without_a_launcher_the_client_runs_the_app_itself(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[list[str]] = []

    def execv(path: str, argv: list[str]) -> None:
        ran.append(argv)
        raise SystemExit(0)

    monkeypatch.setattr(os, "execv", execv)
    with pytest.raises(SystemExit):
        tabclient.main([str(tmp_path / "no-launcher.sock"), "--session", "ef" * 16])
    assert ran == [[sys.executable, "-m", "atc_guide", "app", "--session", "ef" * 16]]


def test_the_client_says_how_to_use_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert tabclient.main([]) == 2
    assert "usage:" in capsys.readouterr().err


@pytest.mark.model
def test_a_forked_tab_paints_the_app_and_exits_with_its_code(
        tmp_path: Path, session_cache: Path) -> None:
    sock = tmp_path / "run" / "launcher.sock"
    sock.parent.mkdir(mode=0o700)
    env = dict(os.environ, **WEB_DRIVER_ENV, ATC_GUIDE_CACHE_DIR=str(session_cache),
               ATC_GUIDE_DATA_DIR=str(tmp_path / "data"))
    warm = subprocess.Popen([sys.executable, "-m", "atc_guide.launcher", str(sock)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        assert warm.stdout is not None
        assert warm.stdout.readline().decode().strip() == launcher.READY
        assert sock.stat().st_mode & 0o077 == 0  # the socket is the owner's only
        for tab in ("01" * 16, "02" * 16):  # two tabs, one after the other, same launcher
            client = subprocess.Popen(
                [sys.executable, "-m", "atc_guide.tabclient", str(sock), "--session", tab],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
            assert client.stdin is not None and client.stdout is not None
            shown = read_until(client.stdout.fileno(), b"Welcome", 120)
            assert b"Welcome" in shown
            client.stdin.write(quit_packet())
            client.stdin.close()
            client.stdout.read()  # the stream ends when the forked app ends
            client.stdout.close()
            assert client.wait(timeout=60) == 0
        assert warm.poll() is None  # the launcher outlives its tabs
    finally:
        warm.terminate()
        warm.wait(timeout=30)
        if warm.stdout is not None:
            warm.stdout.close()


@pytest.mark.model
def test_the_launcher_ends_when_serve_is_killed(tmp_path: Path, session_cache: Path) -> None:
    """An orphaned launcher would hold the engine and its socket forever."""
    sock = tmp_path / "launcher.sock"
    env = dict(os.environ, ATC_GUIDE_CACHE_DIR=str(session_cache),
               ATC_GUIDE_DATA_DIR=str(tmp_path / "data"))
    parent = subprocess.Popen(  # stands in for serve: starts the launcher, is killed
        [sys.executable, "-c", "import subprocess, sys, time; "
         "p = subprocess.Popen([sys.executable, '-m', 'atc_guide.launcher', sys.argv[1]], "
         "stdout=subprocess.PIPE); print(p.pid, flush=True); p.stdout.readline(); "
         "print('ready', flush=True); time.sleep(600)", str(sock)],
        stdout=subprocess.PIPE, env=env)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert parent.stdout.readline().strip() == b"ready"
    parent.kill()
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Path(f"/proc/{child}").exists():
        status = Path(f"/proc/{child}/stat").read_text(errors="replace") \
            if Path(f"/proc/{child}/stat").exists() else ""
        if ") Z " in status:  # exited, waiting to be reaped by init
            break
        time.sleep(0.2)
    status = Path(f"/proc/{child}/stat").read_text(errors="replace") \
        if Path(f"/proc/{child}/stat").exists() else ""
    assert not status or ") Z " in status
    assert not sock.exists()
