"""What a command handler gets: the runner, the unit of work, the message and the time."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.messages import Incoming
from core.model import Runner
from core.ports import UnitOfWork


class UserError(Exception):
    """Bad input: the message is the whole reply, and nothing is written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CoreConfig:
    default_tz: str = "UTC"
    bot_name: str = "Runlift"


@dataclass
class Context:
    uow: UnitOfWork
    incoming: Incoming
    runner: Runner
    command: str
    args: str
    config: CoreConfig = field(default_factory=CoreConfig)
    notices: list[str] = field(default_factory=list)

    @property
    def now(self) -> datetime:
        return self.incoming.at

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.runner.profile.tz)

    @property
    def local_now(self) -> datetime:
        return self.incoming.at.astimezone(self.zone)

    @property
    def today(self) -> date:
        return self.local_now.date()

    @property
    def in_group(self) -> bool:
        return self.incoming.is_group

    @property
    def answers_privately(self) -> bool:
        """A personal answer (setup, export) reaches only the asker here."""
        return not self.incoming.is_group or self.incoming.private_reply

    def new_batch(self) -> str:
        """A sortable id for what this command writes, so /undo can remove it whole.

        Ordered by when the bot handled the command (not the message's own time,
        which may be seconds coarse or set by ``--at``).
        """
        return f"{time.time_ns():020d}{secrets.token_hex(4)}"
