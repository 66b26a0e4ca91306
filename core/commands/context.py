"""What a command handler gets: the runner and their book, the unit of work, the message and the time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from core.ledger.keeper import Keeper
from core.ledger.model import Book, Group, Member
from core.messages import Incoming
from core.ports import CalendarReader, UnitOfWork
from core.training.choosing import Latest, latest_of
from core.training.lexicon import Lexicon
from core.training.model import LoggedSet, Runner
from core.weeks import DAY, zone


class UserError(Exception):
    """Bad input: the message is the whole reply, and nothing is written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CoreConfig:
    """``operators``: ``platform:user_id`` of who may use the hidden commands (in a DM);
    ``status_report``: the operator's status text, supplied by the application;
    ``calendar_reader``: reads calendar feeds (``None``: /setup calendar= is switched off)."""

    default_tz: str = "UTC"
    bot_name: str = "Runlift"
    operators: frozenset[str] = frozenset()
    status_report: Callable[[], str] | None = None
    calendar_reader: CalendarReader | None = None

    def is_operator(self, platform: str, user_id: str) -> bool:
        return f"{platform}:{user_id}" in self.operators


@dataclass
class Context:
    """One command's world. What it reads is read once: the group chat and its members too."""

    uow: UnitOfWork
    incoming: Incoming
    runner: Runner
    book: Book
    keeper: Keeper
    command: str
    args: str
    config: CoreConfig = field(default_factory=CoreConfig)
    notices: list[str] = field(default_factory=list)
    forgotten: bool = False
    _here: tuple[Group, list[Member]] | None = None
    _here_loaded: bool = False
    group_news: bool = False
    _last_days: dict[date, dict[str, list[LoggedSet]]] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        return self.incoming.at

    @property
    def local_now(self) -> datetime:
        return self.incoming.at.astimezone(zone(self.runner.profile.tz))

    @property
    def today(self) -> date:
        return self.keeper.today

    @property
    def in_group(self) -> bool:
        return self.incoming.is_group

    @property
    def answers_privately(self) -> bool:
        """A personal answer (setup, export) reaches only the asker here."""
        return not self.incoming.is_group or self.incoming.private_reply

    def lexicon(self, keys: Iterable[str] = (), full: bool = False) -> Lexicon:
        """The catalog with the runner's own exercises (read once, and only when ``keys`` need them)."""
        return self.keeper.lexicon(list(keys), full)

    def latest(self, before: date) -> Latest:
        """What the runner last logged of some variants, before ``before`` (see :mod:`core.training.choosing`).

        Every exercise's last day is read once, in one statement, however many moves ask.
        """

        def lookup(keys: Sequence[str]) -> Sequence[LoggedSet]:
            if before not in self._last_days:
                self._last_days[before] = self.uow.logbook.last_days(self.runner.id, before)
            return latest_of(self._last_days[before], keys)

        return lookup

    def latest_through_today(self) -> Latest:
        return self.latest(self.today + DAY)

    def here(self) -> tuple[Group, list[Member]] | None:
        """The buddy group of this group chat with its members (the asker's entry shares their book)."""
        if not self._here_loaded and self.in_group:
            self.read_here(self.uow.groups.load(self.incoming.platform, self.incoming.chat_id))
        self._here_loaded = True
        return self._here

    def read_here(self, loaded: tuple[Group, list[Member], bool] | None) -> None:
        """This chat's group as ``groups.load`` gave it (read with the asker, before the command)."""
        self._here_loaded = True
        self._here = None
        if loaded is not None:
            group, members, self.group_news = loaded
            for m in members:
                if m.runner.id == self.runner.id:
                    m.book, m.runner = self.book, self.runner
            self._here = (group, members)
            self.keeper.here = (group.id, members)

    def forget_here(self) -> None:
        """The group or its members changed (join, leave): read them again next time."""
        self._here, self._here_loaded = None, False
        self.keeper.here = None
