"""Every command of the one table has a handler, and its /help example gets a real answer."""

from __future__ import annotations

import pytest

from core import texts
from core.command_table import COMMANDS
from core.handlers import HANDLERS
from tests.fakes import Conversation


def test_the_command_table_and_the_handlers_name_the_same_commands() -> None:
    assert {c.name for c in COMMANDS} == set(HANDLERS)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_each_help_example_is_answered_without_an_error(store: object, command) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(store)
    group = "club" if command.scope == "group" else None
    if group:
        chat.say("/join", chat=group)
    replies = chat.replies(command.example, chat=group)
    assert replies, command.example
    answer = "\n".join(r.full_text() for r in replies)
    assert texts.APOLOGY not in answer
    assert "don't know" not in answer
