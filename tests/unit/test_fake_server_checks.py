"""The fake servers refuse what the real ones refuse (the end-to-end tests rely on it)."""

from __future__ import annotations

import pytest

from tests.e2e.telegram_checks import Flood, check


@pytest.mark.parametrize(
    ("method", "params", "refused"),
    [
        ("sendMessage", {"text": "hi"}, ""),
        ("sendMessage", {"text": ""}, "message text is empty"),
        ("sendMessage", {"text": "x" * 4097}, "message is too long"),
        ("sendMessage", {"text": "<b>" + "x" * 4096 + "</b>", "parse_mode": "HTML"}, ""),  # tags don't count
        ("sendMessage", {"text": "&lt;" * 4096, "parse_mode": "HTML"}, ""),  # an entity is one character
        ("sendMessage", {"text": "<b>bold", "parse_mode": "HTML"}, "can't find end tag"),
        ("sendMessage", {"text": "<b><i>x</b></i>", "parse_mode": "HTML"}, "Unexpected end tag"),
        ("sendMessage", {"text": "<h1>x</h1>", "parse_mode": "HTML"}, "Unsupported start tag"),
        ("sendMessage", {"text": "fish & chips", "parse_mode": "HTML"}, "unescaped &"),
        ("sendPhoto", {"caption": "x" * 1025}, "caption is too long"),
        (
            "sendMessage",
            {"text": "t", "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "x" * 65}]]}},
            "BUTTON_DATA_INVALID",
        ),
        (
            "sendMessage",
            {"text": "t", "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "é" * 33}]]}},
            "BUTTON_DATA_INVALID",
        ),
        ("setMyCommands", {"commands": [{"command": "Log", "description": "x"}]}, "BOT_COMMAND_INVALID"),
        ("setMyCommands", {"commands": [{"command": "log", "description": ""}]}, "DESCRIPTION_INVALID"),
        (
            "setMyCommands",
            {"commands": [{"command": f"c{i}", "description": "x"} for i in range(101)]},
            "too many",
        ),
    ],
)
def test_the_fake_bot_api_refuses_what_telegram_refuses(method: str, params: dict, refused: str) -> None:  # type: ignore[type-arg]
    problem = check(method, params)
    assert (refused in problem) if refused else problem == ""


def test_the_fake_bot_api_answers_a_flood_with_retry_after() -> None:
    flood = Flood()
    assert [flood.retry_after(1, False) for _ in range(5)] == [0] * 5
    assert flood.retry_after(1, False) >= 1  # a sixth message to one chat within seconds
    assert flood.retry_after(2, True) == 0  # another chat is not held back
    group = Flood()
    sends = [group.retry_after(-100 - i % 5, True) for i in range(25)]  # spread over five groups
    assert sends == [0] * 25
    assert flood.refused == 1
