"""The database work behind each hub call, as plain functions of the store: run on the database
thread, or in the core process (bot/core_process.py) when the bot runs on more than one CPU."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from core.ledger import membership
from core.messages import REPLY_LEASE, InboxEvent, Incoming, Reply
from core.ports import Store, UnitOfWork
from core.service import Runlift

log = logging.getLogger(__name__)

# The hub calls that run here, by name (the core process is asked for them by these names).
CALLS = frozenset(
    {
        "handle",
        "member_left",
        "chat_closed",
        "chat_moved",
        "unreachable",
        "receive",
        "pending",
        "settled",
        "replied",
        "holding",
    }
)


class HubWork:
    """What each hub call does to the database; every instant comes in from the caller's clock."""

    def __init__(self, store: Store, core: Runlift) -> None:
        self.store = store
        self.core = core

    def handle(self, incoming: Incoming, now: datetime) -> list[Reply]:
        return self.core.handle(incoming, now)

    def member_left(self, platform: str, chat_id: str, user_id: str, event_id: str, now: datetime) -> None:
        with self.store.unit() as uow:
            if _claim(uow, event_id, now):
                membership.member_left(uow, platform, chat_id, user_id, now)
                uow.commit()

    def chat_closed(self, platform: str, chat_id: str, event_id: str, now: datetime) -> None:
        with self.store.unit() as uow:
            if _claim(uow, event_id, now):
                membership.chat_closed(uow, platform, chat_id, now)
                uow.commit()

    def chat_moved(
        self, platform: str, old_chat_id: str, new_chat_id: str, event_id: str, now: datetime
    ) -> None:
        with self.store.unit() as uow:
            if _claim(uow, event_id, now):
                if membership.chat_moved(uow, platform, old_chat_id, new_chat_id):
                    log.info(
                        "%s chat %s is now %s: its group moved with it", platform, old_chat_id, new_chat_id
                    )
                uow.commit()

    def unreachable(self, platform: str, user_id: str, event_id: str, now: datetime) -> None:
        with self.store.unit() as uow:
            if _claim(uow, event_id, now):
                uow.runners.set_unreachable(platform, user_id, True)
                uow.commit()

    def receive(self, events: Sequence[InboxEvent], now: datetime) -> None:
        with self.store.unit() as uow:
            uow.inbox.add(events)
            uow.commit()

    def pending(self, platform: str, chat_id: str | None, now: datetime) -> list[InboxEvent]:
        with self.store.unit() as uow:
            return uow.inbox.pending(platform, chat_id)

    def replied(self, event_ids: Sequence[str], now: datetime) -> None:
        with self.store.unit() as uow:
            uow.replies.done(event_ids)
            uow.commit()

    def holding(self, event_ids: Sequence[str], now: datetime) -> None:
        with self.store.unit() as uow:
            uow.replies.hold(event_ids, now + REPLY_LEASE)
            uow.commit()

    def settled(self, event_id: str, now: datetime) -> None:
        with self.store.unit() as uow:
            _claim(uow, event_id, now)
            uow.commit()


def _claim(uow: UnitOfWork, event_id: str, now: datetime) -> bool:
    """The event is handled in this transaction (false: it was, before)."""
    return not event_id or uow.events.claim(event_id, now)
