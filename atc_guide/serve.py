"""``atc-guide serve``: the same app in a web browser, on this computer only.

textual-serve runs the app (this Python, ``-m atc_guide app``) once per browser tab and
streams it to the page. Each tab has a session of its own: the page keeps a random tab
id in the tab's ``sessionStorage`` (it survives a reload, not a new tab) and connects
to ``/ws/tab/<id>``; the app for that connection runs with ``--session <id>`` and keeps
its notes in ``sessions/tab-<id>.json``. So one tab's "start a new session" or "delete
this session" never touches another tab's notes. ``--care-team`` serves the care
team's app instead (``-m atc_guide care-team``).

Warm tabs: serve also starts a launcher (:mod:`atc_guide.launcher`) that imports the app
and loads the engine once; once it is ready, a tab's command is a light client
(:mod:`atc_guide.tabclient`) and the tab's app is a fork of the launcher, ready in a
fraction of a second and sharing the engine's memory. Until then, or if the launcher is
gone, a tab starts the app itself as before.

It listens on a loopback address only: the app holds a person's questions and notes and
has no log-in, so it is never offered to the network. The page is served from the
package's own template, which fetches nothing from the internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import shlex
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from atc_guide.cli.errors import EXIT_FAILED, CliError
from atc_guide.launcher import READY as LAUNCHER_READY
from atc_guide.launcher import is_tab_id
from botcore.config import Settings

TEMPLATES = Path(__file__).resolve().parent / "serve_templates"
TITLE = "ATC Guide"
log = logging.getLogger("atc_guide.serve")


def app_command(python: str | None = None, *, care_team: bool = False,
                session: str | None = None) -> str:
    """The shell command textual-serve runs for a browser tab."""
    command = f"{shlex.quote(python or sys.executable)} -m atc_guide "
    if care_team:
        return command + "care-team"
    if session is not None:
        if not is_tab_id(session):
            raise ValueError("a tab id is 32 hexadecimal characters")
        return command + f"app --session {session}"
    return command + "app"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_address(host: str, port: int) -> None:
    if not is_loopback(host):
        raise CliError(f"atc-guide serve: '{host}' is not a loopback address; the app is "
                       "served on this computer only (use 127.0.0.1 or localhost)")
    if not 1 <= port <= 65535:
        raise CliError(f"atc-guide serve: port {port} is not between 1 and 65535")


def tab_command(socket_path: Path, session: str, python: str | None = None) -> str:
    """A browser tab's command when the warm launcher runs: a light client that hands the
    tab's streams to it (:mod:`atc_guide.tabclient`; it runs the app itself when the
    launcher is not there)."""
    if not is_tab_id(session):
        raise ValueError("a tab id is 32 hexadecimal characters")
    return (f"{shlex.quote(python or sys.executable)} -m atc_guide.tabclient "
            f"{shlex.quote(str(socket_path))} --session {session}")


class Launcher:
    """The warm launcher process (:mod:`atc_guide.launcher`) that serve keeps beside it:
    started with the environment textual-serve gives every app, in a private folder."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="atc-guide-serve-"))  # 0700
        self.socket = self.folder / "launcher.sock"
        self.process: asyncio.subprocess.Process | None = None
        self.ready = False

    async def start(self, environment: dict[str, str]) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "atc_guide.launcher", str(self.socket),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL, env=environment)
        asyncio.get_running_loop().create_task(self._watch())

    async def _watch(self) -> None:
        """Note READY (tabs opened before it run the app themselves), then drain."""
        assert self.process is not None and self.process.stdout is not None
        async for line in self.process.stdout:
            if line.decode("utf-8", "replace").strip() == LAUNCHER_READY:
                self.ready = True
                log.info("warm launcher ready")
        self.ready = False

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.terminate()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.process.wait(), 5)
            if self.process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def _app_environment(service: Any, download_manager: Any) -> dict[str, str]:
    """The environment textual-serve gives each app it runs (its web driver, colours,
    frame rate): the launcher imports Textual with it, as each app would."""

    async def nothing(*_: object) -> None:
        return None

    probe = service("", write_bytes=nothing, write_str=nothing, close=nothing,
                    download_manager=download_manager)
    return dict(probe._build_environment())  # noqa: SLF001 - textual-serve's own recipe


def make_server(host: str, port: int, *, care_team: bool = False, warm: bool = True) -> Any:
    """A textual-serve server whose websocket route ``/ws/tab/<id>`` gives each browser
    tab its own app process and session (the patient app; the care team's app has no
    per-person session to keep apart)."""
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    class TabServer(Server):  # type: ignore[misc]
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.router.add_get("/ws/tab/{tab}", self.handle_tab_websocket)
            return app

        launcher: Launcher | None = None

        async def on_startup(self, app: web.Application) -> None:
            if warm and not care_team:
                self.launcher = Launcher()
                await self.launcher.start(_app_environment(AppService, self.download_manager))
            # textual-serve's banner prints the internal command; say what this is.
            self.console.print(f"ATC Guide in your browser: {self.public_url}  "
                               "(this computer only; Ctrl+C stops it)")

        async def handle_tab_websocket(self, request: web.Request) -> web.WebSocketResponse:
            tab = request.match_info.get("tab", "")
            if not is_tab_id(tab):
                raise web.HTTPBadRequest(text="bad tab id")
            launcher = self.launcher
            if launcher is not None and launcher.ready and not care_team:
                command = tab_command(launcher.socket, tab)
            else:
                command = app_command(care_team=care_team, session=None if care_team else tab)
            return await self._run(request, command, AppService, to_int)

        async def on_shutdown(self, app: web.Application) -> None:
            await super().on_shutdown(app)
            if self.launcher is not None:
                await self.launcher.stop()

        async def _run(self, request: web.Request, command: str, service: Any,
                       to_int: Any) -> web.WebSocketResponse:
            # textual-serve's handle_websocket, with the command chosen per tab.
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            app_service = None
            try:
                await websocket.prepare(request)
                app_service = service(command, write_bytes=websocket.send_bytes,
                                      write_str=websocket.send_str, close=websocket.close,
                                      download_manager=self.download_manager,
                                      debug=self.debug)
                await app_service.start(width, height)
                try:
                    await self._process_messages(websocket, app_service)
                finally:
                    await app_service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:  # noqa: BLE001 - one tab's failure, logged
                log.warning("browser tab failed: %s", type(error).__name__)
            finally:
                if app_service is not None:
                    await app_service.stop()
            return websocket

    return TabServer(app_command(care_team=care_team), host=host, port=port,
                     title=f"{TITLE} (care team)" if care_team else TITLE,
                     templates_path=TEMPLATES)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, *,
          care_team: bool = False) -> int:
    """Serve until interrupted. ``settings`` reach each app through the environment
    (``ATC_GUIDE_*``), like any other run of the app."""
    check_address(host, port)
    server = make_server(host, port, care_team=care_team)
    try:
        server.serve()
    except OSError as exc:  # e.g. the port is in use
        raise CliError(f"atc-guide serve: cannot listen on {host}:{port}: "
                       f"{exc.strerror or type(exc).__name__}", EXIT_FAILED) from None
    return 0
