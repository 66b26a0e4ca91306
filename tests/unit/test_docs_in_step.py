"""The README, .env.example and /help stay in step with what the code reads and does."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from bot.settings import Settings
from core.commands.table import BY_NAME, COMMANDS, HIDDEN, TABLE, help_text

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_listed_in_env_example_and_the_readme() -> None:
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    for f in fields(Settings):
        assert f"\n{f.name.upper()}=" in example, f.name
        assert f"`{f.name.upper()}`" in readme, f.name


def test_env_example_names_no_setting_the_code_does_not_read() -> None:
    known = {f.name.upper() for f in fields(Settings)}
    names = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert names == known


def test_help_is_generated_from_the_command_table() -> None:
    text = help_text()
    assert text.count("\n") + 1 == len(COMMANDS)
    for command in COMMANDS:
        assert command.example in text


def test_hidden_rows_are_in_the_table_but_in_no_list_anyone_sees() -> None:
    assert HIDDEN and set(HIDDEN) == {c.name for c in TABLE if c.hidden}
    assert [c for c in TABLE if not c.hidden] == list(COMMANDS)
    text = help_text()
    for name in HIDDEN:
        assert name not in BY_NAME and f"/{name}" not in text


def test_the_telegram_menu_shows_every_visible_command_and_no_hidden_one() -> None:
    from adapters.telegram_render import bot_commands

    private, group = bot_commands()
    menu = {c.command for c in private} | {c.command for c in group}
    assert menu == {c.name for c in COMMANDS}
    assert not menu & set(HIDDEN)


def test_settings_come_from_the_environment_with_defaults_and_tokens_are_redacted() -> None:
    settings = Settings.load({"TELEGRAM_BOT_TOKEN": "123:secret", "RUNLIFT_TZ": "Europe/Berlin"}, dotenv=None)
    assert settings.database_url == "sqlite:///runlift.db"
    assert settings.runlift_tz == "Europe/Berlin"
    assert settings.redacted()["telegram_bot_token"] == "***"


def test_operations_settings_are_read_and_checked() -> None:
    settings = Settings.load(
        {"RUNLIFT_OPERATORS": " Telegram:42, discord:7,,junk, console: ", "RUNLIFT_HTTP": ":9090"},
        dotenv=None,
    )
    assert settings.operators() == frozenset({"telegram:42", "discord:7"})
    assert settings.http_address() == ("127.0.0.1", 9090)
    assert Settings.load({}, dotenv=None).http_address() is None
    assert Settings.load({"RUNLIFT_BACKUP_KEEP": "zero"}, dotenv=None).backup_keep() == 7
    try:
        Settings.load({"RUNLIFT_HTTP": "localhost"}, dotenv=None).http_address()
    except ValueError as error:
        assert "host:port" in str(error)
    else:
        raise AssertionError("a bad RUNLIFT_HTTP was accepted")
