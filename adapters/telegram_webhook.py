"""The webhook Telegram posts updates to: checked, kept in the inbox, answered, then handled.

Every process behind a load balancer serves it (active/active). A post is answered 200 only once
its update is kept in the inbox, so an update is never lost between Telegram and the database: a
process that dies after answering leaves it there for any other process to handle. A post without
the secret Telegram was given (``X-Telegram-Bot-Api-Secret-Token``) is refused before anything is
read; a body that is not an update is refused as a bad request (Telegram does not send it again).
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
BODY_MAX = 1 << 20  # an update is a few kilobytes; Telegram's own limit for a message is 4,096 characters


def parse_update(body: bytes) -> dict[str, Any] | None:
    """The update in a webhook body, or ``None`` when it is not one (no whole ``update_id``)."""
    try:
        raw = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(raw, dict):
        return None
    update_id = raw.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool) or update_id < 0:
        return None
    return raw


class WebhookServer:
    """An aiohttp server on ``host:port`` taking posts at ``path``; ``keep`` must finish before the 200."""

    def __init__(
        self,
        host: str,
        port: int,
        path: str,
        secret: str,
        keep: Callable[[dict[str, Any]], Awaitable[None]],
    ) -> None:
        self.host, self.port = host, port
        self.path = "/" + path.lstrip("/")
        self._secret = secret.encode()
        self._keep = keep
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=BODY_MAX)
        app.router.add_post(self.path, self._post)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, reuse_address=True)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        if self.port == 0:
            server = getattr(site, "_server", None)
            sockets = getattr(server, "sockets", None) or []
            if sockets:
                self.port = int(sockets[0].getsockname()[1])

    @property
    def running(self) -> bool:
        return self._runner is not None

    async def stop(self) -> None:
        """No new posts are taken; one being kept finishes first (aiohttp waits for it)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _post(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            return web.Response(status=401, text="wrong or missing secret token")
        raw = parse_update(await request.read())
        if raw is None:
            return web.Response(status=400, text="not a Telegram update")
        try:
            await self._keep(raw)
        except Exception as error:
            # Telegram posts it again later: nothing was kept, so nothing is lost.
            log.warning(
                "Telegram webhook: update %s not kept (%s); Telegram will resend it", raw["update_id"], error
            )
            return web.Response(status=503, text="try again")
        return web.Response(status=200)
