"""What the real Bot API refuses, so the fake refuses it too: lengths, HTML, buttons, commands, flood limits."""

from __future__ import annotations

import re
import time
from collections import defaultdict, deque
from html import unescape
from html.parser import HTMLParser
from typing import Any

TEXT_MAX = 4096
CAPTION_MAX = 1024
CALLBACK_MAX = 64
COMMANDS_MAX = 100
COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
DESCRIPTION_MAX = 256
# Telegram's HTML: these tags only, properly nested; & only as an entity.
TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")
SENDS = {"sendMessage", "sendPhoto", "sendDocument"}


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.error = ""
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.error = self.error or f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = self.error or f'Unexpected end tag "{tag}"'
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed_text(text: str, html: bool) -> tuple[str, str]:
    """The text as Telegram counts it (entities parsed out), and a parse error if it has one."""
    if not html:
        return text, ""
    stripped = re.sub(r"<[^>]*>", "", text)
    bare = [m for m in re.finditer(r"&", stripped) if not _ENTITY.match(stripped, m.start())]
    if bare:
        return "", "Can't parse entities: unescaped &"
    parser = _Html()
    parser.feed(text)
    parser.close()
    if parser.error:
        return "", f"Can't parse entities: {parser.error}"
    if parser.stack:
        return (
            "",
            f"Can't parse entities: can't find end tag corresponding to start tag \"{parser.stack[-1]}\"",
        )
    return unescape("".join(parser.text)), ""


def check(method: str, params: dict[str, Any]) -> str:
    """The Bad Request description for a call the real server refuses, or ``""``."""
    html = params.get("parse_mode") == "HTML"
    if method == "sendMessage" or method == "editMessageText":
        text, error = parsed_text(str(params.get("text", "")), html)
        if error:
            return error
        if not text.strip():
            return "message text is empty"
        if len(text) > TEXT_MAX:
            return "message is too long"
    if method in ("sendPhoto", "sendDocument") and params.get("caption") is not None:
        caption, error = parsed_text(str(params["caption"]), html)
        if error:
            return error
        if len(caption) > CAPTION_MAX:
            return "message caption is too long"
    markup = params.get("reply_markup")
    if isinstance(markup, dict):
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if not button.get("text"):
                    return "text buttons are unallowed in the inline keyboard"
                if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_MAX:
                    return "BUTTON_DATA_INVALID"
    if "message_thread_id" in params and not str(params["message_thread_id"]).isdigit():
        return "message thread not found"
    if method == "setMyCommands":
        commands = params.get("commands") or []
        if len(commands) > COMMANDS_MAX:
            return "too many commands"
        for c in commands:
            if not COMMAND.match(str(c.get("command", ""))):
                return "BOT_COMMAND_INVALID"
            if not 1 <= len(str(c.get("description", ""))) <= DESCRIPTION_MAX:
                return "BOT_COMMAND_DESCRIPTION_INVALID"
    return ""


class Flood:
    """Telegram's flood limits, a little more lenient than the ones the bot paces itself by.

    Every send: 35 in any second. Per chat: about one a second, a burst of five allowed
    (a token bucket). Per group chat: 20 in any minute.
    """

    ALL = (35, 1.0)
    GROUP = (20, 59.5)
    CHAT_BURST = 5
    CHAT_RATE = 1.0  # tokens a second

    def __init__(self) -> None:
        self._sent: dict[tuple[str, int], deque[float]] = defaultdict(deque)
        self._tokens: dict[int, tuple[float, float]] = {}
        self.refused = 0
        # A restarted bot starts pacing afresh while the server remembers: a test that restarts
        # the bot may allow a few refusals (the bot waits as told and sends again).
        self.allowed = 0

    def _over(self, key: tuple[str, int], limit: tuple[int, float], now: float) -> float:
        window = self._sent[key]
        count, seconds = limit
        while window and now - window[0] >= seconds:
            window.popleft()
        return seconds - (now - window[0]) if len(window) >= count else 0.0

    def retry_after(self, chat_id: int, is_group: bool) -> int:
        """Seconds to wait when this send is over a limit (and it is refused), else 0 (and it counts)."""
        now = time.monotonic()
        keys = [(("all", 0), self.ALL)]
        if is_group:
            keys.append((("group", chat_id), self.GROUP))
        tokens, at = self._tokens.get(chat_id, (float(self.CHAT_BURST), now))
        tokens = min(float(self.CHAT_BURST), tokens + (now - at) * self.CHAT_RATE)
        wait = max([self._over(key, limit, now) for key, limit in keys] + [(1 - tokens) / self.CHAT_RATE])
        if wait > 0:
            self.refused += 1
            return max(1, int(wait + 0.999))
        self._tokens[chat_id] = (tokens - 1, now)
        for key, _ in keys:
            self._sent[key].append(now)
        return 0
