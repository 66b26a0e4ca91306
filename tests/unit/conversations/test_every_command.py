"""Every command of the one table has a handler, and its /help example gets a real answer."""

from __future__ import annotations

import pytest

from core import texts
from core.commands.table import COMMANDS
from tests.fakes import Conversation


def test_every_row_of_the_table_names_its_handler_once() -> None:
    assert all(callable(c.handler) for c in COMMANDS)
    assert len({c.name for c in COMMANDS}) == len(COMMANDS)


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
