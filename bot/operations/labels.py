"""How a message is named in metrics and logs: only known command names (typed junk makes no series)."""

from __future__ import annotations

from core.commands.table import BY_NAME, HIDDEN
from core.messages import Incoming
from core.parsing.commands import split_command


def command_label(incoming: Incoming, operators: frozenset[str] = frozenset()) -> str | None:
    """The command a message names (``None`` for plain chat, ``unknown`` for a name we do not know);
    a hidden command counts as itself only for an operator in a DM (for anyone else it is unknown)."""
    parsed = split_command(incoming.text)
    if parsed is None:
        return None
    name = parsed[0]
    if name in BY_NAME:
        return name
    operator = f"{incoming.platform}:{incoming.user_id}" in operators and not incoming.is_group
    return name if name in HIDDEN and operator else "unknown"
