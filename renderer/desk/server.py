"""Serving the desk with waitress: a pure-Python server that runs the same on Linux, macOS and
Windows (a clinic's PC), with a bounded number of threads and its own limit on a request's size."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from renderer.desk.app import Desk, create_app
from renderer.desk.settings import DeskSettings
from renderer.errors import UsageError

THREADS = 8  # requests served at once; renders run in the pool, not in these
SWEEP_SECONDS = 60.0


def address(settings: DeskSettings, port: int) -> str:
    host = settings.host
    shown = f"[{host}]" if ":" in host else host
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else shown}:{port}/"


@contextlib.contextmanager
def running(settings: DeskSettings) -> Iterator[tuple[Any, Desk]]:
    """The desk's server, listening (not yet serving: call its `run()`), and the desk; both
    closed and every upload removed when the block ends."""
    from waitress.server import create_server

    desk = Desk(settings)
    try:
        app = create_app(desk)
        try:
            server = create_server(
                app,
                host=settings.host,
                port=settings.port,
                threads=THREADS,
                # The app refuses a request over the limit with a page saying so; this stops
                # one that lies about its size before it fills the disk.
                max_request_body_size=settings.max_request_bytes + 1024 * 1024,
                ident="renderer-desk",
                clear_untrusted_proxy_headers=True,
            )
        except OSError as error:
            raise UsageError(
                f"cannot listen on {settings.host}:{settings.port}: {error.strerror or error} "
                "(choose another with --port)"
            ) from None
        try:
            with desk.workspace.sweeping(min(SWEEP_SECONDS, settings.keep_minutes * 60 / 4)):
                yield server, desk
        finally:
            server.close()
    finally:
        desk.close()


def serve(settings: DeskSettings, ready: Callable[[str], None]) -> None:
    """Serve until Ctrl-C (KeyboardInterrupt) or SIGTERM; `ready` is told the address."""
    with running(settings) as (server, _):
        ready(address(settings, server.effective_port))
        server.run()
