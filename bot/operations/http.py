"""The operator's HTTP port (``RUNLIFT_HTTP``): /healthz, /readyz and /metrics, on the bot's own event loop."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.operations.health import Check

log = logging.getLogger(__name__)

Readiness = Callable[[], Awaitable[list[Check]]]


class OperationsServer:
    """A small aiohttp server; every answer is computed without blocking the loop."""

    def __init__(self, host: str, port: int, readiness: Readiness, exposition: Callable[[], bytes]) -> None:
        self.host, self.port = host, port
        self._readiness = readiness
        self._exposition = exposition
        self._runner: web.AppRunner | None = None

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)
        return app

    async def start(self) -> None:
        # No access log: a health check every few seconds would drown everything else.
        runner = web.AppRunner(self.make_app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = sockets[0].getsockname()[1]
        log.info("operations HTTP on http://%s:%d (/healthz /readyz /metrics)", self.host, self.port)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def healthz(self, _request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(self, _request: web.Request) -> web.Response:
        checks = await self._readiness()
        failing = [c.name for c in checks if not c.ok]
        head = "ready" if not failing else "not ready: " + ", ".join(failing)
        body = "\n".join([head, *(c.line() for c in checks)]) + "\n"
        return web.Response(text=body, status=503 if failing else 200)

    async def metrics(self, _request: web.Request) -> web.Response:
        response = web.Response(body=self._exposition())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response
