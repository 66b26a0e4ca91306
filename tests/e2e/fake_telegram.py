"""A fake Telegram Bot API server on 127.0.0.1 that queues updates and records every call."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from core.clock import Clock
from tests.e2e.scene import scene_clock
from tests.e2e.telegram_checks import SENDS, Flood, check

TOKEN = "123456789:AAF-fake-SECRET-token_0123456789abcd"
BOT = {"id": 123456789, "is_bot": True, "first_name": "Runlift", "username": "runlift_test_bot"}
JSON_FIELDS = {"reply_markup", "reply_parameters", "commands", "scope", "allowed_updates", "entities"}
ADMIN_RIGHTS = (
    *("can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages", "can_manage_video_chats"),
    *("can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users"),
    *("can_post_stories", "can_edit_stories", "can_delete_stories"),
)


@dataclass
class Call:
    """One request the bot made: the method, its decoded parameters and when it arrived."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def chat_id(self) -> int:
        return int(self.params.get("chat_id", 0))

    @property
    def reply_to(self) -> int | None:
        thread = self.params.get("reply_parameters")
        return thread.get("message_id") if isinstance(thread, dict) else None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]


def user(user_id: int, first_name: str, username: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}
    if username:
        out["username"] = username
    return out


def private_chat(who: dict[str, Any]) -> dict[str, Any]:
    return {"id": who["id"], "type": "private", "first_name": who["first_name"]}


def group_chat(chat_id: int, title: str) -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": title}


class FakeTelegram:
    """Serves ``/bot<token>/<method>``; tests queue updates, script failures and read ``calls``."""

    def __init__(self, token: str = TOKEN, clock: Clock | None = None, flood_limits: bool = True) -> None:
        self.token = token
        self.clock = clock or scene_clock()  # dates the messages it hands out; settable by a test
        self.calls: list[Call] = []
        self.listeners: list[Callable[[Call], None]] = []
        self.enqueued_at: dict[int, float] = {}
        self._updates: list[tuple[dict[str, Any], bool]] = []
        self._arrived = asyncio.Event()
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._chats: dict[int, dict[str, Any]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._failures: dict[str, list[tuple[int, int]]] = {}
        self.statuses: dict[tuple[int, int], str] = {}
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id → (file_path, content), for getFile
        self.file_delay = 0.0  # seconds a file download takes (a test makes one time out)
        self.downloads: list[str] = []
        self.delays: dict[str, float] = {}
        self.flood = Flood()
        self.flood_limits = flood_limits  # a benchmark measures the bot's own speed, with limits off
        self.refused: list[tuple[str, str]] = []  # what a real server would have refused, and why
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.polls = 0
        self.port = 0
        self._pollers: dict[int, web.Request] = {}  # getUpdates requests in progress
        self.poll_started: list[float] = []  # when each getUpdates began (perf_counter)
        # Sends matching ``stall`` wait, unrecorded, until it stops matching; one whose client went away
        # meanwhile never reached the server (what a leader leased but did not deliver before it died).
        self.stall: Callable[[Call], bool] | None = None
        self.stalled = 0
        self.conflicts = 0  # getUpdates while another client's was still open (409 from the real server)
        self.webhook: dict[str, Any] = {}  # setWebhook's parameters while one is set (getUpdates then 409s)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._endpoint)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        self._closing = True
        self._arrived.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # test hooks

    def enqueue(self, update: dict[str, Any], redeliver: bool = False) -> int:
        """Queue an update (an id is given if it has none); ``redeliver`` ignores the confirmed offset."""
        update.setdefault("update_id", next(self._update_ids))
        for chat in _chats_in(update):
            self._chats[chat["id"]] = chat
        self._updates.append((update, redeliver))
        self.enqueued_at.setdefault(update["update_id"], time.perf_counter())
        self._arrived.set()
        return int(update["update_id"])

    def webhook_update(
        self, text: str, who: dict[str, Any], chat: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A message update with the next update id, to be posted to the webhook (``post_update``)."""
        update = {"update_id": next(self._update_ids), **self.message(text, who, chat)}
        for seen in _chats_in(update):
            self._chats[seen["id"]] = seen
        return update

    async def post_update(self, update: dict[str, Any], retry_s: float = 0.2, within_s: float = 60.0) -> int:
        """Post ``update`` as Telegram does to the webhook set with setWebhook, with its secret token;
        an answer other than 200 (or none) is posted again a little later. Returns the retries."""
        from aiohttp import ClientError, ClientSession, ClientTimeout

        retries, deadline = 0, time.monotonic() + within_s
        async with ClientSession(timeout=ClientTimeout(total=10)) as session:
            while time.monotonic() < deadline:
                hook = dict(self.webhook)
                if hook.get("url"):
                    headers = {"Content-Type": "application/json"}
                    if hook.get("secret_token"):
                        headers["X-Telegram-Bot-Api-Secret-Token"] = str(hook["secret_token"])
                    try:
                        async with session.post(
                            str(hook["url"]), data=json.dumps(update), headers=headers
                        ) as r:
                            if r.status == 200:
                                return retries
                    except (ClientError, OSError):
                        pass
                retries += 1
                await asyncio.sleep(retry_s)
        raise AssertionError(f"update {update['update_id']} was never answered 200")

    def message(self, text: str, who: dict[str, Any], chat: dict[str, Any] | None = None) -> dict[str, Any]:
        """A message update as Telegram builds it, with a bot_command entity when text is a command."""
        msg: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": who,
            "chat": chat or private_chat(who),
            "date": int(self.clock.now().timestamp()),
            "text": text,
        }
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self._messages[(msg["chat"]["id"], msg["message_id"])] = msg
        return {"message": msg}

    def document(
        self,
        caption: str,
        who: dict[str, Any],
        filename: str,
        content: bytes,
        chat: dict[str, Any] | None = None,
        size: int | None = None,
    ) -> dict[str, Any]:
        """A document message as Telegram builds it (caption entities, a file id getFile resolves)."""
        file_id = f"doc-{next(self._file_ids)}"
        self.files[file_id] = (f"documents/{filename}", content)
        msg: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": who,
            "chat": chat or private_chat(who),
            "date": int(self.clock.now().timestamp()),
            "document": {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": filename,
                "mime_type": "text/csv",
                "file_size": len(content) if size is None else size,
            },
        }
        if caption:
            msg["caption"] = caption
            if caption.startswith("/"):
                msg["caption_entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(caption.split()[0])}
                ]
        self._messages[(msg["chat"]["id"], msg["message_id"])] = msg
        return {"message": msg}

    def reply(self, text: str, who: dict[str, Any], to: dict[str, Any]) -> dict[str, Any]:
        """A text message replying to an earlier message update (``to``)."""
        update = self.message(text, who, to["message"]["chat"])
        update["message"]["reply_to_message"] = to["message"]
        return update

    def send_document(
        self,
        data: bytes,
        name: str,
        who: dict[str, Any],
        caption: str | None = None,
        mime: str = "text/calendar",
    ) -> dict[str, Any]:
        """Queue a file sent in a private chat, as Telegram hands it over (its content via getFile)."""
        file_id = f"BQACAgIAAxkBAAI{next(self._file_ids)}"
        self.files[file_id] = (f"documents/file_{len(self.files)}.ics", data)
        msg: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": who,
            "chat": private_chat(who),
            "date": int(self.clock.now().timestamp()),
            "document": {
                "file_id": file_id,
                "file_unique_id": file_id[-8:],
                "file_name": name,
                "mime_type": mime,
                "file_size": len(data),
            },
        }
        if caption is not None:
            msg["caption"] = caption
            if caption.startswith("/"):
                msg["caption_entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(caption.split()[0])}
                ]
        self._messages[(msg["chat"]["id"], msg["message_id"])] = msg
        update = {"message": msg}
        self.enqueue(update)
        return update

    def send(self, text: str, who: dict[str, Any], chat: dict[str, Any] | None = None) -> dict[str, Any]:
        """Queue a message; returns the update (its ``update_id`` and ``message.message_id`` are set)."""
        update = self.message(text, who, chat)
        self.enqueue(update)
        return update

    def press(self, call: Call, data: str, who: dict[str, Any]) -> dict[str, Any]:
        """Queue a button press on the message a recorded sendMessage call produced."""
        sent = self._messages[(call.chat_id, int(call.params["_message_id"]))]
        query = {
            "id": str(next(self._file_ids)),
            "from": who,
            "message": sent,
            "chat_instance": "1",
            "data": data,
        }
        update = {"callback_query": query}
        self.enqueue(update)
        return update

    def member_update(self, chat: dict[str, Any], who: dict[str, Any], old: str, new: str, mine: bool) -> int:
        """A chat_member (or my_chat_member when ``mine``) status change."""
        member: dict[str, Any] = {"status": new, "user": BOT if mine else who}
        if new == "kicked":
            member["until_date"] = 0
        change = {
            "chat": chat,
            "from": who,
            "date": int(self.clock.now().timestamp()),
            "old_chat_member": {"status": old, "user": BOT if mine else who},
            "new_chat_member": member,
        }
        return self.enqueue({"my_chat_member" if mine else "chat_member": change})

    def fail_next(self, method: str, status: int, retry_after: int = 1) -> None:
        """The next call of ``method`` answers 403 (blocked) or 429 (flood control)."""
        self._failures.setdefault(method, []).append((status, retry_after))

    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    async def wait_for(
        self, predicate: Callable[[Call], bool], timeout: float = 10.0, count: int = 1
    ) -> Call:
        """The ``count``-th recorded call matching ``predicate``, waiting up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls if predicate(c)]
            if len(found) >= count:
                return found[count - 1]
            if time.monotonic() > deadline:
                seen = [(c.method, c.text[:60]) for c in self.calls[-15:]]
                raise AssertionError(f"no call matched in {timeout}s; last calls: {seen}")
            await asyncio.sleep(0.02)

    # the API

    async def _endpoint(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        call = Call(method, params)
        problem = check(method, params)
        if problem:
            self.refused.append((method, problem))
            return _error(400, f"Bad Request: {problem}")
        if self.flood_limits and method in SENDS and "chat_id" in params:
            chat_id = int(params["chat_id"])
            group = self._chats.get(chat_id, {}).get("type") in ("group", "supergroup")
            wait = self.flood.retry_after(chat_id, group)
            if wait:
                return _error(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        if self.stall is not None and self.stall(call):
            self.stalled += 1
            while self.stall is not None and self.stall(call):
                if request.transport is None or request.transport.is_closing():
                    return _error(500, "the client went away")  # nobody reads it
                await asyncio.sleep(0.02)
        if method != "getUpdates":  # calls the server accepted, as the tests see them
            self.calls.append(call)
            for listener in self.listeners:
                listener(call)
        if method in self.delays:
            await asyncio.sleep(self.delays[method])
        failures = self._failures.get(method)
        if failures:
            status, retry_after = failures.pop(0)
            if status == 429:
                return _error(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
            return _error(status, "Forbidden: bot was blocked by the user")
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        if method == "getUpdates":
            return await self._poll(request, params)
        result = await handler(params)
        return web.json_response({"ok": True, "result": result})

    async def _poll(self, request: web.Request, params: dict[str, Any]) -> web.Response:
        """Telegram serves one poller per token: a getUpdates while another client's is still open is a
        conflict (the real server answers 409 and the bot instances fight over the updates)."""
        if self.webhook:
            conflict = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
            self.refused.append(("getUpdates", conflict))
            return _error(409, conflict)
        live = [r for r in self._pollers.values() if r.transport is not None and not r.transport.is_closing()]
        if live:
            self.conflicts += 1
            conflict = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
            self.refused.append(("getUpdates", conflict))
            return _error(409, conflict)
        self._pollers[id(request)] = request
        self.poll_started.append(time.perf_counter())
        try:
            result = await self._api_getUpdates(params)
        finally:
            self._pollers.pop(id(request), None)
        return web.json_response({"ok": True, "result": result})

    async def _api_getMe(self, params: dict[str, Any]) -> Any:
        return {**BOT, "can_join_groups": True, "can_read_all_group_messages": False}

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        self.polls += 1
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            self._updates = [(u, again) for u, again in self._updates if again or u["update_id"] >= offset]
            if self._updates or self._closing or time.monotonic() >= deadline:
                break
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        batch = self._updates[:limit]
        once = {id(u) for u, again in batch if again}
        self._updates = [(u, again) for u, again in self._updates if id(u) not in once]
        return [u for u, _ in batch]

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = {}
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> Any:
        """Checked as the Bot API does: a URL, a secret of 1–256 of A-Z a-z 0-9 _ -, max_connections 1–100."""
        url = str(params.get("url") or "")
        if not url:  # an empty URL removes the webhook
            self.webhook = {}
            return True
        if not url.startswith(("https://", "http://127.0.0.1")):
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad_request("secret token contains unallowed characters")
        connections = int(params.get("max_connections") or 40)
        if not 1 <= connections <= 100:
            raise _bad_request("bad webhook: max_connections must be between 1 and 100")
        self.webhook = dict(params)
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_close(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_logOut(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        return self._sent(params, text=params.get("text", ""))

    async def _api_sendPhoto(self, params: dict[str, Any]) -> Any:
        upload = params.get("photo")
        size = upload.get("size", 0) if isinstance(upload, dict) else 0
        photo = [
            {
                "file_id": self._file_id(),
                "file_unique_id": "p",
                "width": 800,
                "height": 500,
                "file_size": size,
            }
        ]
        return self._sent(params, photo=photo, caption=params.get("caption"))

    async def _api_sendDocument(self, params: dict[str, Any]) -> Any:
        given = params.get("document")
        upload: dict[str, Any] = given if isinstance(given, dict) else {}
        document = {
            "file_id": self._file_id(),
            "file_unique_id": "d",
            "file_name": upload.get("filename", "file"),
            "file_size": upload.get("size", 0),
        }
        return self._sent(params, document=document, caption=params.get("caption"))

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self._messages.get(key)
        if message is None:
            raise web.HTTPBadRequest(
                text=json.dumps(
                    {"ok": False, "error_code": 400, "description": "Bad Request: message not found"}
                ),
                content_type="application/json",
            )
        message = {**message, "text": params["text"], "edit_date": int(self.clock.now().timestamp())}
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._messages[key] = message
        return message

    async def _api_getChatMember(self, params: dict[str, Any]) -> Any:
        user_id = int(params["user_id"])
        status = self.statuses.get((int(params["chat_id"]), user_id), "member")
        return _member(status, user(user_id, f"user{user_id}"))

    async def _api_getChatAdministrators(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        admins = [uid for (cid, uid), s in self.statuses.items() if cid == chat_id and s != "member"]
        return [_member(self.statuses[(chat_id, uid)], user(uid, f"user{uid}")) for uid in admins]

    async def _api_getFile(self, params: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            raise web.HTTPBadRequest(
                text='{"ok": false, "error_code": 400, "description": "Bad Request: invalid file_id"}',
                content_type="application/json",
            )
        path, content = self.files[file_id]
        if len(content) > 20 * 1024 * 1024:  # the Bot API hands out no file over 20 MB
            raise web.HTTPBadRequest(
                text='{"ok": false, "error_code": 400, "description": "Bad Request: file is too big"}',
                content_type="application/json",
            )
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": path,
        }

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        found = next((content for p, content in self.files.values() if p == path), None)
        if found is None:
            return web.Response(status=404)
        self.downloads.append(path)
        self.calls.append(Call("file", {"path": path}))
        if self.file_delay:
            await asyncio.sleep(self.file_delay)
        return web.Response(body=found, content_type="application/octet-stream")

    def _file_id(self) -> str:
        return f"file-{next(self._file_ids)}"

    def _sent(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        chat = self._chats.get(chat_id) or {"id": chat_id, "type": "private", "first_name": "someone"}
        message_id = next(self._message_ids)
        params["_message_id"] = message_id
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": BOT,
            "chat": chat,
            "date": int(self.clock.now().timestamp()),
        }
        message.update({k: v for k, v in content.items() if v is not None})
        answered = params.get("reply_parameters")
        if isinstance(answered, dict) and (chat_id, answered.get("message_id")) in self._messages:
            message["reply_to_message"] = self._messages[(chat_id, answered["message_id"])]
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._messages[(chat_id, message_id)] = message
        return message


def _member(status: str, who: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"status": status, "user": who}
    if status == "administrator":
        out.update(dict.fromkeys(ADMIN_RIGHTS, False) | {"can_manage_chat": True})
    if status == "creator":
        out["is_anonymous"] = False
    return out


def _chats_in(update: dict[str, Any]) -> list[dict[str, Any]]:
    for key in ("message", "my_chat_member", "chat_member"):
        if key in update and "chat" in update[key]:
            return [update[key]["chat"]]
    return []


FILE_DOWNLOAD_MAX = 20 * 1024 * 1024  # what getFile hands a bot to download


def _bad_request(description: str) -> web.HTTPBadRequest:
    body = {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}
    return web.HTTPBadRequest(text=json.dumps(body), content_type="application/json")


def _error(code: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=code)


async def _params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query string and a JSON, urlencoded or multipart body (uploads as name and size)."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
        return params
    if request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = {"filename": value.filename, "size": len(value.file.read())}
            else:
                params[key] = value
    for key in JSON_FIELDS & params.keys():
        if isinstance(params[key], str):
            params[key] = json.loads(params[key])
    return params
