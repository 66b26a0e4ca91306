"""The fake Discord gateway: HELLO, heartbeats, IDENTIFY → READY, RESUME, zlib-stream, injected events."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from typing import Any

from aiohttp import WSMsgType, web

from tests.e2e.fake_discord_objects import snowflake

HEARTBEAT_MS = 41250

# Called on IDENTIFY with the new session id, the shard and the shard count; returns the events that
# follow: READY, then the GUILD_CREATEs of the shard's guilds.
Greeting = Callable[[str, int, int], list[tuple[str, dict[str, Any]]]]


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


def shard_of(guild_id: str | int | None, count: int) -> int:
    """The shard Discord sends a guild's events to: ``(guild_id >> 22) % count``; DMs go to shard 0."""
    return (int(guild_id) >> 22) % count if guild_id else 0


class FakeGateway:
    """One session per shard (one in all when the bot does not shard); events dispatched while a
    shard is disconnected are replayed on its RESUME. A guild's events go to the shard that owns it.

    Checked as Discord does: a shard id outside ``[0, count)`` or a count other than the live
    sessions' is refused (close 4010, "Invalid shard").
    """

    def __init__(self, token: str, greeting: Greeting) -> None:
        self._token = token
        self._greeting = greeting
        self.identifies = 0
        self.resumes = 0
        self.concurrent = 0  # IDENTIFYs for a shard while another session of it was still open
        self.intents: int | None = None
        self.shard_count = 1
        self.shards_identified: list[tuple[int, int]] = []
        self.invalid_shards = 0
        self._sockets: dict[int, _Socket] = {}
        self._sessions: dict[int, str] = {}
        self._seq: dict[int, int] = {}
        self._missed: dict[int, list[dict[str, Any]]] = {}

    def _live(self, socket: _Socket | None) -> bool:
        return socket is not None and not socket.ws.closed and socket.request.transport is not None

    async def dispatch(self, event: str, data: dict[str, Any], shard: int | None = None) -> None:
        if shard is None:
            shard = shard_of(data.get("guild_id"), self.shard_count)
        self._seq[shard] = self._seq.get(shard, 0) + 1
        payload = {"op": 0, "t": event, "s": self._seq[shard], "d": data}
        socket = self._sockets.get(shard)
        if socket is None or socket.ws.closed:
            self._missed.setdefault(shard, []).append(payload)
        else:
            await socket.send(payload)

    async def drop(self) -> None:
        """Cut every connection without a close frame, like a network failure."""
        sockets, self._sockets = list(self._sockets.values()), {}
        for socket in sockets:
            if socket.request.transport is not None:
                socket.request.transport.close()

    async def close(self) -> None:
        for socket in list(self._sockets.values()):
            await socket.ws.close()

    def live_shards(self) -> list[int]:
        return sorted(k for k, socket in self._sockets.items() if self._live(socket))

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
        for shard, held in list(self._sockets.items()):
            if held is socket:
                del self._sockets[shard]
        return ws

    async def _identify(self, socket: _Socket, d: dict[str, Any]) -> None:
        if d.get("token") != self._token:
            await socket.ws.close(code=4004, message=b"Authentication failed.")
            return
        shard, count = d.get("shard") or [0, 1]
        others = [k for k in self.live_shards() if self._sockets[k] is not socket and k != shard]
        if not 0 <= shard < count or (others and count != self.shard_count):
            self.invalid_shards += 1
            await socket.ws.close(code=4010, message=b"Invalid shard.")
            return
        self.identifies += 1
        self.shards_identified.append((shard, count))
        if self._live(self._sockets.get(shard)) and self._sockets[shard] is not socket:
            self.concurrent += 1
        self.shard_count = count
        self.intents = d.get("intents")
        session = snowflake()
        self._sockets[shard], self._sessions[shard], self._seq[shard], self._missed[shard] = (
            socket,
            session,
            0,
            [],
        )
        for event, data in self._greeting(session, shard, count):
            await self.dispatch(event, data, shard)

    async def _resume(self, socket: _Socket, d: dict[str, Any]) -> None:
        shard = next((k for k, sid in self._sessions.items() if sid == d.get("session_id")), None)
        if d.get("token") != self._token or shard is None:
            await socket.send(_op(9, False))  # not resumable: the client identifies afresh
            return
        self.resumes += 1
        self._sockets[shard] = socket
        missed, self._missed[shard] = self._missed.get(shard, []), []
        for payload in missed:
            await socket.send(payload)
        await self.dispatch("RESUMED", {}, shard)
