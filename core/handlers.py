"""The command name → handler map the service dispatches on."""

from __future__ import annotations

from collections.abc import Callable

from core import accountability_commands, data_commands, group_commands, log_commands, training_commands
from core.context import Context
from core.messages import Reply
from core.weekly_upkeep import with_upkeep

HandlerFn = Callable[[Context], list[Reply]]

# Every command first closes the runner's finished weeks (a spent freeze is announced
# at the next interaction, whatever it is) and releases group news in group chats.
HANDLERS: dict[str, HandlerFn] = {
    name: with_upkeep(handler)
    for name, handler in {
        **training_commands.HANDLERS,
        **log_commands.HANDLERS,
        **data_commands.HANDLERS,
        **accountability_commands.HANDLERS,
        **group_commands.HANDLERS,
    }.items()
}
