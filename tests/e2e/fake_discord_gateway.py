"""The fake Discord gateway: HELLO, heartbeats, IDENTIFY → READY, RESUME, zlib-stream, injected events."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from typing import Any

from aiohttp import WSMsgType, web

from tests.e2e.fake_discord_objects import snowflake

HEARTBEAT_MS = 41250

# Called on IDENTIFY with the new session id; returns the events that follow: READY, then GUILD_CREATEs.
Greeting = Callable[[str], list[tuple[str, dict[str, Any]]]]


class _Socket:
    """One connection; payloads are zlib-stream compressed (one Z_SYNC_FLUSH each) when the client asks."""

    def __init__(self, ws: web.WebSocketResponse, request: web.Request, compress: bool) -> None:
        self.ws = ws
        self.request = request
        self._z = zlib.compressobj() if compress else None

    async def send(self, payload: dict[str, Any]) -> None:
        text = json.dumps(payload)
        if self._z is None:
            await self.ws.send_str(text)
        else:
            await self.ws.send_bytes(self._z.compress(text.encode()) + self._z.flush(zlib.Z_SYNC_FLUSH))


def _op(op: int, d: Any = None) -> dict[str, Any]:
    return {"op": op, "d": d, "s": None, "t": None}


class FakeGateway:
    """One bot session at a time; events dispatched while disconnected are replayed on RESUME."""

    def __init__(self, token: str, greeting: Greeting) -> None:
        self._token = token
        self._greeting = greeting
        self.identifies = 0
        self.resumes = 0
        self.concurrent = 0  # IDENTIFYs while another session's socket was still open (two bots at once)
        self.intents: int | None = None
        self._socket: _Socket | None = None
        self._session_id = ""
        self._seq = 0
        self._missed: list[dict[str, Any]] = []

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self._seq += 1
        payload = {"op": 0, "t": event, "s": self._seq, "d": data}
        if self._socket is None or self._socket.ws.closed:
            self._missed.append(payload)
        else:
            await self._socket.send(payload)

    async def drop(self) -> None:
        """Cut the connection without a close frame, like a network failure."""
        socket, self._socket = self._socket, None
        if socket is not None and socket.request.transport is not None:
            socket.request.transport.close()

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.ws.close()

    async def handler(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        socket = _Socket(ws, request, request.query.get("compress") == "zlib-stream")
        await socket.send(_op(10, {"heartbeat_interval": HEARTBEAT_MS}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            op, d = payload.get("op"), payload.get("d")
            if op == 1:
                await socket.send(_op(11))
            elif op == 2:
                await self._identify(socket, d)
            elif op == 6:
                await self._resume(socket, d)
        if self._socket is socket:
            self._socket = None
        return ws

    async def _identify(self, socket: _Socket, d: dict[str, Any]) -> None:
        if d.get("token") != self._token:
            await socket.ws.close(code=4004, message=b"Authentication failed.")
            return
        self.identifies += 1
        live = self._socket
        if (
            live is not None
            and live is not socket
            and not live.ws.closed
            and live.request.transport is not None
        ):
            self.concurrent += 1
        self.intents = d.get("intents")
        self._socket, self._session_id, self._seq, self._missed = socket, snowflake(), 0, []
        for event, data in self._greeting(self._session_id):
            await self.dispatch(event, data)

    async def _resume(self, socket: _Socket, d: dict[str, Any]) -> None:
        if d.get("token") != self._token or d.get("session_id") != self._session_id:
            await socket.send(_op(9, False))  # not resumable: the client identifies afresh
            return
        self.resumes += 1
        self._socket = socket
        missed, self._missed = self._missed, []
        for payload in missed:
            await socket.send(payload)
        await self.dispatch("RESUMED", {})
