"""What a command row is: name, arguments, help, typed options, its handler and how it behaves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from core.commands.context import Context
    from core.messages import Reply

OptionType = Literal["string", "integer", "number", "attachment"]
Scope = Literal["any", "private", "group"]
HandlerFn = Callable[["Context"], "list[Reply]"]


@dataclass(frozen=True)
class Option:
    """A typed argument, for platforms with typed command options (Discord).

    ``choices`` fixes the allowed values; ``autocomplete`` asks the platform to
    offer catalog exercise names while typing. An ``attachment`` option with ``marks`` adds
    that ``key=value`` to the typed command when a file is attached (``calendar=upload``).
    """

    name: str
    description: str
    type: OptionType = "string"
    required: bool = False
    choices: tuple[str, ...] = ()
    autocomplete: bool = False
    min_value: int | None = None
    max_value: int | None = None
    marks: str = ""


@dataclass(frozen=True)
class Command:
    """One command: the only place it is registered.

    ``personal``: the answer is for the asker alone (ephemeral where the platform
    can); ``private_only``: in a group chat it is refused, whatever the platform
    (it would act on or show someone's whole data); ``admin_in_groups``: in a
    group chat it may need the sender's admin status;
    ``moves_schedule``: after it the runner's next nudge moment may have moved;
    ``hidden``: for operators (``RUNLIFT_OPERATORS``) in a direct message only — listed
    nowhere (/help, menus, slash commands, "did you mean") and unknown to everyone else.
    """

    name: str
    args: str
    summary: str
    example: str
    handler: HandlerFn
    scope: Scope = "any"
    options: tuple[Option, ...] = ()
    admin_in_groups: bool = False
    personal: bool = False
    private_only: bool = False
    moves_schedule: bool = False
    hidden: bool = False

    @property
    def usage(self) -> str:
        return f"/{self.name} {self.args}".rstrip()
