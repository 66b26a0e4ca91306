"""A small HTTP load balancer on 127.0.0.1, as nginx or a cloud balancer stands before the webhook.

Round robin over the backends; a backend that refuses the connection or drops it mid-request is
passed over and the request tried on the next one (nginx's ``proxy_next_upstream error``). What a
backend answers — 200, 401, 503 — goes back to the caller unchanged. ``sent`` counts the requests
each backend answered.
"""

from __future__ import annotations

import itertools
from collections import Counter

from aiohttp import ClientError, ClientSession, ClientTimeout, web

HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection"}


class LoopbackBalancer:
    def __init__(self, backends: list[int]) -> None:
        self.backends = backends
        self.sent: Counter[int] = Counter()
        self.passed_over = 0
        self.port = 0
        self._turn = itertools.count()
        self._runner: web.AppRunner | None = None
        self._session: ClientSession | None = None

    async def start(self) -> None:
        self._session = ClientSession(timeout=ClientTimeout(total=20))
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = getattr(site, "_server", None)
        self.port = int(server.sockets[0].getsockname()[1])  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        first = next(self._turn)
        for i in range(len(self.backends)):
            port = self.backends[(first + i) % len(self.backends)]
            url = f"http://127.0.0.1:{port}{request.path_qs}"
            try:
                async with self._session.request(request.method, url, data=body, headers=headers) as answer:
                    text = await answer.read()
                    self.sent[port] += 1
                    return web.Response(status=answer.status, body=text)
            except (ClientError, OSError):
                self.passed_over += 1
                continue
        return web.Response(status=502, text="no backend answered")
