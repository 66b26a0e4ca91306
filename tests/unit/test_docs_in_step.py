"""The README, .env.example and /help stay in step with what the code reads and does."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from bot.settings import Settings
from core.commands.table import COMMANDS, help_text

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


def test_settings_come_from_the_environment_with_defaults_and_tokens_are_redacted() -> None:
    settings = Settings.load({"TELEGRAM_BOT_TOKEN": "123:secret", "RUNLIFT_TZ": "Europe/Berlin"}, dotenv=None)
    assert settings.database_url == "sqlite:///runlift.db"
    assert settings.runlift_tz == "Europe/Berlin"
    assert settings.redacted()["telegram_bot_token"] == "***"
