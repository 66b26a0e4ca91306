"""No text after any command makes the bot fail: every answer is a reply, never the apology."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import texts
from core.commands.table import COMMANDS
from tests.fakes import Conversation

WORDS = st.sampled_from(
    [
        "squat",
        "rdl",
        "3x8",
        "@",
        "@16kg",
        "x",
        ";",
        "\n",
        "yesterday",
        "2026-11-30",
        "after",
        "-1",
        "0",
        "lb",
        "tz=",
        "runs=",
        "tue:speed",
        "remind=07:00",
        "confirm",
        "recap",
        "http://",
        "9" * 30,
        "é",
        "🏃",
    ]
)
ARGS = st.one_of(st.text(max_size=60), st.lists(WORDS, max_size=8).map(" ".join))
NAMES = [c.name for c in COMMANDS if c.name not in ("forget",)]  # /forget confirm would reset the runner


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(NAMES), args=ARGS, in_group=st.booleans())
def test_any_arguments_to_any_command_get_an_answer_and_never_the_apology(
    store: object, name: str, args: str, in_group: bool
) -> None:
    chat = Conversation(store, at=datetime(2026, 12, 1, 19, 0, tzinfo=UTC))
    replies = chat.replies(f"/{name} {args}", chat="club" if in_group else None, admin=True)
    answer = "\n".join(r.full_text() for r in replies)
    assert replies and answer.strip(), (name, args)
    assert texts.APOLOGY not in answer, (name, args)
