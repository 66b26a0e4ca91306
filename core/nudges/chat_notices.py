"""A line told in every chat of a group through the outbox — a challenge's end, a chat that left —
the way the recap reaches linked chats: one entry per chat, each chat once (the claim's key)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from core.ledger.model import GroupChat
from core.messages import ChatAddress, Reply
from core.nudges.outbox import OutboxEntry
from core.nudges.rules import RULES, NudgeRules
from core.nudges.schedule import NudgeClaim

CHALLENGE_END = "challenge"
CHAT_LEFT = "chat_left"


def chat_key(chat: GroupChat) -> str:
    """The chat within its group: ``""`` for the group's own chat, ``:REF`` for a linked one."""
    return f":{chat.ref}" if chat.ref is not None else ""


def notices(
    chats: Iterable[GroupChat],
    reply: Reply,
    recipient: str,
    kind: str,
    day: date,
    now: datetime,
    rules: NudgeRules = RULES,
) -> list[OutboxEntry]:
    """``reply`` for each of ``chats``, due now; ``recipient`` (plus the chat's key) makes each once."""
    return [
        OutboxEntry(
            claim=NudgeClaim(f"{recipient}{chat_key(chat)}"[:40], kind, day),
            address=ChatAddress(chat.platform, chat.chat_id, True),
            title=reply.title,
            text=reply.text,
            runner_id=None,
            due_at=now,
            expires_at=now + rules.late_window,
        )
        for chat in chats
    ]
