"""The command name → handler map the service dispatches on."""

from __future__ import annotations

from collections.abc import Callable

from core import data_commands, log_commands, training_commands
from core.context import Context
from core.messages import Reply

HandlerFn = Callable[[Context], list[Reply]]

HANDLERS: dict[str, HandlerFn] = {
    **training_commands.HANDLERS,
    **log_commands.HANDLERS,
    **data_commands.HANDLERS,
}
