"""A fake Discord for end-to-end tests: the REST routes and the gateway discord.py uses, on 127.0.0.1.

Records every REST call; tests inject gateway events (interactions), drop the gateway
connection, and make the next REST call answer 429 with a retry-after.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.e2e import fake_discord_objects as obj
from tests.e2e.discord_checks import check_commands, check_message
from tests.e2e.fake_discord_gateway import FakeGateway, shard_of

Handler = Callable[[web.Request, re.Match[str], "Call"], Awaitable[web.Response]]


@dataclass
class Call:
    """One REST call the bot made; ``json`` is the JSON body (or multipart ``payload_json``)."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[tuple[str, bytes]] = field(default_factory=list)
    status: int = 0  # 0 until answered
    at: float = field(default_factory=time.monotonic)


def _response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py parses a body as JSON only when Content-Type is exactly application/json.
    limit = {
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": "49",
        "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
        "X-RateLimit-Reset-After": "1.000",
        "X-RateLimit-Bucket": "fakebucket",
    }
    limit.update(headers or {})
    if status == 204:
        return web.Response(status=204, headers=limit)
    limit["Content-Type"] = "application/json"
    return web.Response(body=json.dumps(data).encode(), status=status, headers=limit)


def _error(status: int, code: int, message: str) -> web.Response:
    return _response({"message": message, "code": code}, status)


class FakeDiscord:
    def __init__(self, token: str = "fake-discord-bot-token") -> None:
        self.token = token
        self.app_id = obj.snowflake()
        self.guild_id = obj.snowflake()
        self.channel_id = obj.snowflake()
        self.bot = obj.user(obj.snowflake(), "Runlift", bot=True)
        self.owner = obj.user(obj.snowflake(), "Coach")
        self.channels: dict[str, dict[str, Any]] = {
            self.channel_id: obj.text_channel(self.channel_id, self.guild_id, "lifting-club")
        }
        self.guilds: dict[str, str] = {self.guild_id: "Track Club"}  # guild id -> name
        self.users: dict[str, dict[str, Any]] = {self.owner["id"]: self.owner}
        self.dm_channels: dict[str, dict[str, Any]] = {}  # user id -> DM channel
        self.blocked: set[str] = set()  # users whose DMs answer 50007
        self.refused: list[tuple[str, str]] = []  # what Discord would have refused, and why
        self.calls: list[Call] = []
        self.commands: dict[str | None, list[dict[str, Any]]] = {}
        self.messages: dict[str, dict[str, Any]] = {}
        self.originals: dict[str, str] = {}  # interaction token -> message id
        self.interactions: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, bytes] = {}  # attachment id -> content, served at its URL
        self.downloads: list[str] = []
        self._rate_limits: list[tuple[str, float]] = []
        self.gateway = FakeGateway(token, self._greeting)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("GET", re.compile(r"/users/@me"), self._me),
            ("GET", re.compile(r"/oauth2/applications/@me"), self._application),
            ("GET", re.compile(r"/gateway(/bot)?"), self._gateway_info),
            ("*", re.compile(r"/applications/(\d+)(?:/guilds/(\d+))?/commands"), self._commands),
            ("POST", re.compile(r"/interactions/(\d+)/([^/]+)/callback"), self._callback),
            ("POST", re.compile(r"/webhooks/(\d+)/([^/]+)"), self._followup),
            ("*", re.compile(r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)"), self._webhook_message),
            ("POST", re.compile(r"/channels/(\d+)/messages"), self._channel_message),
            ("POST", re.compile(r"/users/@me/channels"), self._open_dm),
            ("GET", re.compile(r"/users/(\d+)"), self._get_user),
            ("GET", re.compile(r"/channels/(\d+)"), self._get_channel),
        ]

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handler)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        app.router.add_get("/attachments/{id}/{filename}", self._attachment)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- test hooks ------------------------------------------------------------------------

    def add_guild(self, name: str) -> str:
        """Another guild with one text channel; returns the channel's id (``interact(channel_id=…)``)."""
        guild_id, channel_id = obj.snowflake(), obj.snowflake()
        self.guilds[guild_id] = name
        self.channels[channel_id] = obj.text_channel(channel_id, guild_id, f"{name.lower()}-lifting")
        return channel_id

    def add_user(self, name: str) -> dict[str, Any]:
        who = obj.user(obj.snowflake(), name)
        self.users[who["id"]] = who
        return who

    def rate_limit_next(self, path_contains: str = "", retry_after: float = 0.2) -> None:
        """The next REST call whose path contains ``path_contains`` answers 429."""
        self._rate_limits.append((path_contains, retry_after))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        await self.gateway.dispatch(event, data)

    async def drop_gateway(self) -> None:
        await self.gateway.drop()

    @property
    def identifies(self) -> int:
        return self.gateway.identifies

    @property
    def resumes(self) -> int:
        return self.gateway.resumes

    @property
    def intents(self) -> int | None:
        return self.gateway.intents

    async def slash(
        self,
        name: str,
        options: dict[str, Any],
        who: dict[str, Any],
        dm: bool = False,
        admin: bool = False,
        channel_id: str = "",
    ) -> dict[str, Any]:
        data = {"id": self._command_id(name), "name": name, "type": 1}
        if options:
            data["options"] = obj.command_options(options)
        return await self.interact(2, data, who, dm=dm, admin=admin, channel_id=channel_id)

    async def slash_with_file(
        self,
        name: str,
        options: dict[str, Any],
        who: dict[str, Any],
        filename: str,
        content: bytes,
        dm: bool = False,
        served: bool = True,
    ) -> dict[str, Any]:
        """A slash command with an attachment option (``file``), resolved as Discord sends it; the
        attachment's URL is served here, as Discord's CDN serves uploads (a 404 unless ``served``)."""
        att = obj.attachment(filename, len(content), "text/csv")
        att["url"] = att["proxy_url"] = f"http://127.0.0.1:{self.port}/attachments/{att['id']}/{filename}"
        if served:
            self.uploads[att["id"]] = content
        data: dict[str, Any] = {"id": self._command_id(name), "name": name, "type": 1}
        data["options"] = [*obj.command_options(options), {"name": "file", "type": 11, "value": att["id"]}]
        data["resolved"] = {"attachments": {att["id"]: att}}
        return await self.interact(2, data, who, dm=dm)

    async def _attachment(self, request: web.Request) -> web.Response:
        content = self.uploads.get(request.match_info["id"])
        if content is None:
            return web.Response(status=404)
        self.downloads.append(request.match_info["filename"])
        return web.Response(body=content, content_type="text/csv")

    async def autocomplete(
        self, name: str, options: dict[str, Any], focused: str, who: dict[str, Any]
    ) -> dict[str, Any]:
        data = {"id": self._command_id(name), "name": name, "type": 1}
        data["options"] = obj.command_options(options, focused=focused)
        return await self.interact(4, data, who)

    async def direct_message(self, text: str, who: dict[str, Any]) -> dict[str, Any]:
        """Dispatch a MESSAGE_CREATE: ``who`` types ``text`` in their DM with the bot."""
        channel = self._dm_channel(who)
        payload = obj.message(obj.snowflake(), channel["id"], who, {"content": text})
        await self.dispatch("MESSAGE_CREATE", payload)
        return payload

    async def press(self, message_id: str, custom_id: str, who: dict[str, Any]) -> dict[str, Any]:
        message = self.messages[message_id]
        dm = "guild_id" not in message
        return await self.interact(
            3, {"custom_id": custom_id, "component_type": 2}, who, dm=dm, message=message
        )

    async def interact(
        self,
        kind: int,
        data: dict[str, Any],
        who: dict[str, Any],
        dm: bool = False,
        admin: bool = False,
        message: dict[str, Any] | None = None,
        channel_id: str = "",
    ) -> dict[str, Any]:
        """Dispatch an INTERACTION_CREATE from ``who``, in a guild channel (the first guild's unless
        ``channel_id``) or in a DM with the bot; it reaches the shard that owns the guild."""
        channel = self._dm_channel(who) if dm else self.channels[channel_id or self.channel_id]
        payload = obj.interaction(kind, data, who, self.app_id, channel, admin=admin, message=message)
        if message is not None:
            self.originals[payload["token"]] = message["id"]
        self.interactions[payload["id"]] = payload
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    def calls_for(self, interaction: dict[str, Any]) -> list[Call]:
        """REST calls answering this interaction: its callback and its webhook follow-ups and edits."""
        token = interaction["token"]
        return [
            c for c in self.calls if f"/interactions/{interaction['id']}/" in c.path or f"/{token}" in c.path
        ]

    async def wait_for(self, predicate: Callable[[Call], bool], timeout: float = 10.0) -> Call:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for call in self.calls:
                if predicate(call):
                    return call
            await asyncio.sleep(0.02)
        raise AssertionError(
            f"no matching call within {timeout}s; calls: {[(c.method, c.path) for c in self.calls]}"
        )

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError("condition not met in time")
            await asyncio.sleep(0.02)

    def _command_id(self, name: str) -> str:
        for commands in self.commands.values():
            for command in commands:
                if command["name"] == name:
                    return str(command["id"])
        return obj.snowflake()

    def _dm_channel(self, who: dict[str, Any]) -> dict[str, Any]:
        if who["id"] not in self.dm_channels:
            self.dm_channels[who["id"]] = obj.dm_channel(obj.snowflake(), who)
        return self.dm_channels[who["id"]]

    def _greeting(self, session_id: str, shard: int = 0, count: int = 1) -> list[tuple[str, dict[str, Any]]]:
        owned = [g for g in self.guilds if shard_of(g, count) == shard]
        ready = {
            "v": 10,
            "user": self.bot,
            "guilds": [{"id": g, "unavailable": True} for g in owned],
            "session_id": session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": self.app_id, "flags": 0},
            "private_channels": [],
            "relationships": [],
            "shard": [shard, count],
        }
        creates = []
        for g in owned:
            channels = [c for c in self.channels.values() if c.get("guild_id") == g]
            creates.append(
                ("GUILD_CREATE", obj.guild(g, self.guilds[g], self.owner["id"], channels, self.bot))
            )
        return [("READY", ready), *creates]

    # -- REST ------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body, files = await self._body(request)
        call = Call(request.method, path, dict(request.query), body, files)
        self.calls.append(call)
        for i, (needle, retry_after) in enumerate(self._rate_limits):
            if needle in path:
                del self._rate_limits[i]
                call.status = 429
                return self._too_many(retry_after)
        if request.headers.get("Authorization") not in (f"Bot {self.token}", None):
            call.status = 401
            return _error(401, 0, "401: Unauthorized")
        problem = self._refusal(request.method, path, call)
        if problem:
            self.refused.append((path, problem))
            call.status = 400
            return _error(400, 50035, f"Invalid Form Body: {problem}")
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match and method in ("*", request.method):
                response = await handler(request, match, call)
                call.status = response.status
                return response
        call.status = 404
        return _error(404, 0, "404: Not Found")

    def _refusal(self, method: str, path: str, call: Call) -> str:
        """What Discord's validation would refuse in this request, if anything."""
        body = call.json if isinstance(call.json, dict) else None
        if path.endswith("/commands") and method == "PUT":
            return check_commands(call.json or [])
        if path.endswith("/callback") and body is not None and body.get("type") in (4, 7):
            return check_message(body.get("data") or {})
        if method in ("POST", "PATCH") and (
            "/messages" in path or re.fullmatch(r"/webhooks/\d+/[^/]+", path)
        ):
            return check_message(body, needs_mentions=method == "POST")
        return ""

    @staticmethod
    async def _body(request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
        if request.content_type.startswith("multipart/"):
            body: Any = None
            files: list[tuple[str, bytes]] = []
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                data = await part.read()  # type: ignore[union-attr]
                if part.name == "payload_json":  # type: ignore[union-attr]
                    body = json.loads(data)
                else:
                    files.append((part.filename or "", bytes(data)))  # type: ignore[union-attr]
            return body, files
        raw = await request.read()
        return (json.loads(raw) if raw else None), []

    @staticmethod
    def _too_many(retry_after: float) -> web.Response:
        headers = {
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Scope": "user",
            "Retry-After": str(max(1, round(retry_after))),
            "Via": "1.1 google",  # discord.py treats a 429 without it as a Cloudflare ban
        }
        data = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
        return _response(data, 429, headers)

    async def _me(self, request: web.Request, match: re.Match[str], call: Call) -> web.Response:
        if request.headers.get("Authorization") != f"Bot {self.token}":
            return _error(401, 0, "401: Unauthorized")
        return _response(self.bot)

    async def _application(self, request: web.Request, match: re.Match[str], call: Call) -> web.Response:
        return _response(obj.application(self.app_id, self.owner))

    async def _gateway_info(self, request: web.Request, match: re.Match[str], call: Call) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return _response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    async def _commands(self, request: web.Request, match: re.Match[str], call: Call) -> web.Response:
        guild_id = match.group(2)
        if request.method == "PUT":
            stored = []
            for command in call.json or []:
                command = dict(
                    command, id=obj.snowflake(), application_id=self.app_id, version=obj.snowflake()
                )
                if guild_id:
                    command["guild_id"] = guild_id
                stored.append(command)
            self.commands[guild_id] = stored
        return _response(self.commands.get(guild_id, []))

    def _new_message(
        self, channel_id: str, body: dict[str, Any], files: list[tuple[str, bytes]], app: bool
    ) -> dict[str, Any]:
        channel = self.channels.get(channel_id) or next(
            (c for c in self.dm_channels.values() if c["id"] == channel_id), {}
        )
        message = obj.message(
            obj.snowflake(),
            channel_id,
            self.bot,
            body,
            attachments=[obj.attachment(name, len(data), "application/octet-stream") for name, data in files],
            guild_id=channel.get("guild_id"),
            app_id=self.app_id if app else None,
        )
        self.messages[message["id"]] = message
        return message

    def _edit(self, message_id: str, body: dict[str, Any], files: list[tuple[str, bytes]]) -> dict[str, Any]:
        message = self.messages[message_id]
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = body[key] or ([] if key != "content" else "")
        if "attachments" in body or files:
            kept = [
                a
                for a in message["attachments"]
                if any(str(k.get("id")) == a["id"] for k in body.get("attachments", []))
            ]
            message["attachments"] = kept + [
                obj.attachment(n, len(d), "application/octet-stream") for n, d in files
            ]
        if "flags" in body:
            message["flags"] = int(body["flags"] or 0) | (message["flags"] & obj.EPHEMERAL)
        message["edited_timestamp"] = obj.now_iso()
        return message

    async def _callback(self, request: web.Request, match: re.Match[str], call: Call) -> web.Response:
        interaction = self.interactions.get(match.group(1))
        if interaction is None or interaction["token"] != match.group(2):
            return _error(404, 10062, "Unknown interaction")
        if any(0 < c.status < 300 for c in self.calls_for(interaction) if c.path.endswith("/callback")):
            return _error(400, 40060, "Interaction has already been acknowledged.")
        body, files = call.json or {}, call.files
        kind, data = body.get("type"), body.get("data") or {}
        message: dict[str, Any] | None = None
        if kind in (4, 5):
            flags = int(data.get("flags") or 0) | (obj.LOADING if kind == 5 else 0)
            message = self._new_message(interaction["channel_id"], dict(data, flags=flags), files, app=True)
            message["interaction_metadata"] = obj.interaction_metadata(interaction)
            self.originals[interaction["token"]] = message["id"]
        elif kind == 7:
            message = self._edit(self.originals[interaction["token"]], data, files)
        elif kind == 6:
            message = self.messages[self.originals[interaction["token"]]]
        if message is None or request.query.get("with_response") not in ("1", "true"):
            return _response(None, 204)
        resource = {"type": kind, "message": message}
        callback = {
            "id": interaction["id"],
            "type": interaction["type"],
            "response_message_id": message["id"],
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(message["flags"] & obj.EPHEMERAL),
        }
        return _response({"interaction": callback, "resource": resource})

    async def _followup(self, request: web.Request, match: re.Match[str], call: Call) -> web.Response:
        token = match.group(2)
        interaction = next((i for i in self.interactions.values() if i["token"] == token), None)
        if interaction is None:
            return _error(404, 10015, "Unknown Webhook")
        body, files = call.json or {}, call.files
        original = self.messages.get(self.originals.get(token, ""))
        if original is not None and original["flags"] & obj.LOADING:
            # The first follow-up after a deferral replaces the "thinking…" message.
            message = self._edit(original["id"], body, files)
            message["flags"] &= ~obj.LOADING
        else:
            message = self._new_message(interaction["channel_id"], body, files, app=True)
            message["interaction_metadata"] = obj.interaction_metadata(interaction)
        return _response(message)

    async def _webhook_message(self, request: web.Request, match: re.Match[str], call: Call) -> web.Response:
        token, which = match.group(2), match.group(3)
        message_id = self.originals.get(token, "") if which == "@original" else which
        if message_id not in self.messages:
            return _error(404, 10008, "Unknown Message")
        if request.method == "DELETE":
            del self.messages[message_id]
            return _response(None, 204)
        if request.method == "PATCH":
            return _response(self._edit(message_id, call.json or {}, call.files))
        return _response(self.messages[message_id])

    async def _channel_message(self, request: web.Request, match: re.Match[str], call: Call) -> web.Response:
        channel_id = match.group(1)
        dm_owner = next((uid for uid, c in self.dm_channels.items() if c["id"] == channel_id), None)
        if dm_owner is None and channel_id not in self.channels:
            return _error(404, 10003, "Unknown Channel")
        if dm_owner in self.blocked:
            return _error(403, 50007, "Cannot send messages to this user")
        return _response(self._new_message(channel_id, call.json or {}, call.files, app=False))

    async def _open_dm(self, request: web.Request, match: re.Match[str], call: Call) -> web.Response:
        recipient = str((call.json or {}).get("recipient_id", ""))
        if recipient not in self.users:
            return _error(400, 50033, "Invalid Recipients")
        return _response(self._dm_channel(self.users[recipient]))

    async def _get_user(self, request: web.Request, match: re.Match[str], call: Call) -> web.Response:
        who = self.users.get(match.group(1))
        return _response(who) if who else _error(404, 10013, "Unknown User")

    async def _get_channel(self, request: web.Request, match: re.Match[str], call: Call) -> web.Response:
        channel = self.channels.get(match.group(1))
        return _response(channel) if channel else _error(404, 10003, "Unknown Channel")
