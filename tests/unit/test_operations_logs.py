"""Operator logs: one JSON object per line with the fields an operator filters on, ids pseudonymised,
and no token or calendar URL in any format or level."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.operations.logs import Redactor, configure, pseudonym

TOKEN = "123456789:AAF-very-SECRET-token_0123456789abcd"
DISCORD = "MTIzNDU2Nzg5MDEyMzQ1Njc4.discord-SECRET.token"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize(
    "message",
    [
        f"POST https://api.telegram.org/bot{TOKEN}/sendMessage",
        "url-encoded: bot123456789%3AAAF-very-SECRET-token_0123456789abcd/getMe",
        "only the secret half: AAF-very-SECRET-token_0123456789abcd",
        f"Authorization: Bot {DISCORD}",
        "/setup calendar=https://cal.example.org/u/SECRET-feed.ics tz=Europe/Berlin",
        "Update(message=Message(text='/setup calendar=webcal://cal.example.org/SECRET'))",
        "{'name': 'calendar', 'value': 'https://cal.example.org/SECRET.ics'}",
        '{"name": "calendar", "value": "https://cal.example.org/SECRET.ics"}',
        "subscribed to webcals://cal.example.org/SECRET/feed",
    ],
)
def test_secrets_are_replaced_in_any_shape(message: str) -> None:
    clean = Redactor([TOKEN, DISCORD]).redact(message)
    assert "SECRET" not in clean and "cal.example.org" not in clean


def test_calendar_off_and_ordinary_text_stay_as_they_are() -> None:
    redactor = Redactor([TOKEN])
    for text in ("/setup calendar=off", "/log squat 3x8 @20kg", "https://example.com/my-lifting-mix"):
        assert redactor.redact(text) == text


def test_json_lines_carry_the_operator_fields_and_hide_secrets_at_every_level(restore_logging: None) -> None:
    out = io.StringIO()
    configure("DEBUG", "json", [TOKEN, DISCORD], stream=out)
    log = logging.getLogger("runlift.test")
    log.debug("calling %s", f"https://api.telegram.org/bot{TOKEN}/getUpdates")
    log.info(
        "/today handled in 3 ms",
        extra={
            "platform": "telegram",
            "command": "today",
            "chat": pseudonym("telegram:42"),
            "user": pseudonym("telegram:42"),
            "duration_ms": 3.2,
        },
    )
    try:
        raise RuntimeError(f"calendar=https://cal.example.org/SECRET.ics failed with {TOKEN}")
    except RuntimeError:
        log.exception("boom")
    lines = out.getvalue().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["level"] for r in records] == ["DEBUG", "INFO", "ERROR"]
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert records[0]["time"].endswith("+00:00") and records[0]["logger"] == "runlift.test"
    handled = records[1]
    assert (handled["platform"], handled["command"], handled["duration_ms"]) == ("telegram", "today", 3.2)
    assert handled["chat"] == handled["user"] != "42" and len(handled["user"]) == 12
    assert "SECRET" not in out.getvalue() and "exc_info" in records[2]


def test_text_lines_are_redacted_too(restore_logging: None) -> None:
    out = io.StringIO()
    configure("INFO", "text", [TOKEN], stream=out)
    logging.getLogger("runlift.test.http").info("GET https://api.telegram.org/bot%s/getMe", TOKEN)
    assert "SECRET" not in out.getvalue() and "<token>" in out.getvalue()
    assert " INFO runlift.test.http: GET" in out.getvalue()


def test_pseudonyms_are_stable_per_install_and_differ_between_installs(restore_logging: None) -> None:
    configure("INFO", "text", [TOKEN], stream=io.StringIO())
    first = pseudonym("telegram:42")
    assert pseudonym("telegram:42") == first != pseudonym("telegram:43")
    configure("INFO", "text", ["another:token-of-another-club"], stream=io.StringIO())
    assert pseudonym("telegram:42") != first
    assert len(pseudonym("console:b\udcffn")) == 12  # a name made of undecodable bytes
