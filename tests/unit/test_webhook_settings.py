"""Webhook mode's settings: the secret is required and must be what Telegram accepts, max_connections
is 1–100, `runlift run` refuses a webhook without a secret with the fix, and the secret is never
shown in the settings the bot logs."""

from __future__ import annotations

import pytest

from bot import cli
from bot.settings import Settings

URL = "https://bot.example.org/telegram/hook"


def load(**env: str) -> Settings:
    return Settings.load({"TELEGRAM_WEBHOOK_URL": URL, **env}, dotenv=None)


def test_long_polling_needs_no_webhook_settings() -> None:
    assert Settings.load({}, dotenv=None).webhook() is None
    assert Settings.load({"TELEGRAM_WEBHOOK_SECRET": "x"}, dotenv=None).webhook() is None


@pytest.mark.parametrize(
    ("secret", "connections", "expected"),
    [
        ("s3cret", None, ("s3cret", 40)),
        ("A-z_09", "1", ("A-z_09", 1)),
        ("x" * 256, "100", ("x" * 256, 100)),
        (" padded ", " 12 ", ("padded", 12)),
    ],
)
def test_a_webhook_takes_its_secret_and_max_connections(
    secret: str, connections: str | None, expected: tuple[str, int]
) -> None:
    env = {"TELEGRAM_WEBHOOK_SECRET": secret}
    if connections is not None:
        env["TELEGRAM_WEBHOOK_MAX_CONNECTIONS"] = connections
    assert load(**env).webhook() == expected


@pytest.mark.parametrize("secret", ["", "   ", "has space", "semi;colon", "ünï", "x" * 257, "a/b"])
def test_a_webhook_without_a_secret_telegram_accepts_is_refused_with_an_example(secret: str) -> None:
    with pytest.raises(ValueError, match=r"TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET.*e\.g\."):
        load(TELEGRAM_WEBHOOK_SECRET=secret).webhook()


@pytest.mark.parametrize("connections", ["0", "101", "-1", "forty", "4.5"])
def test_max_connections_out_of_telegrams_range_is_refused_with_an_example(connections: str) -> None:
    with pytest.raises(ValueError, match=r"TELEGRAM_WEBHOOK_MAX_CONNECTIONS must be .* 1 to 100 \(e\.g\."):
        load(TELEGRAM_WEBHOOK_SECRET="ok", TELEGRAM_WEBHOOK_MAX_CONNECTIONS=connections).webhook()


def test_run_refuses_a_webhook_without_its_secret_before_starting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    for name in ("TELEGRAM_WEBHOOK_SECRET", "RUNLIFT_HA", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", URL)
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_WEBHOOK_SECRET" in err and err.count("\n") == 1


def test_the_secret_is_hidden_in_the_logged_settings() -> None:
    shown = load(TELEGRAM_WEBHOOK_SECRET="very-secret", TELEGRAM_BOT_TOKEN="1:t").redacted()
    assert shown["telegram_webhook_secret"] == "***" and "very-secret" not in str(shown)


@pytest.mark.parametrize(
    ("count", "ids", "expected"),
    [
        ("", "", None),
        ("1", "", (1, (0,))),
        ("4", "", (4, (0, 1, 2, 3))),
        ("4", "0,2", (4, (0, 2))),
        ("4", "2, 0", (4, (0, 2))),
        ("4", "1-3", (4, (1, 2, 3))),
        ("8", "0-1,6,7", (8, (0, 1, 6, 7))),
        ("4", "3,3", (4, (3,))),
    ],
)
def test_discord_shards_are_read_as_a_count_and_the_shards_this_process_may_run(
    count: str, ids: str, expected: tuple[int, tuple[int, ...]] | None
) -> None:
    env = {"DISCORD_SHARD_COUNT": count, "DISCORD_SHARD_IDS": ids}
    assert Settings.load(env, dotenv=None).shards() == expected


@pytest.mark.parametrize(
    ("count", "ids", "message"),
    [
        ("0", "", r"DISCORD_SHARD_COUNT must be a whole number from 1 to 1024 \(e\.g\."),
        ("two", "", r"DISCORD_SHARD_COUNT must be"),
        ("5000", "", r"DISCORD_SHARD_COUNT must be"),
        ("", "0,1", r"DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT.*\(e\.g\."),
        ("4", "4", r"DISCORD_SHARD_IDS must list shards from 0 to 3 .*\(e\.g\. DISCORD_SHARD_IDS=0,2"),
        ("4", "3-1", r"DISCORD_SHARD_IDS must list"),
        ("4", "a,b", r"DISCORD_SHARD_IDS must list"),
        ("4", "-1", r"DISCORD_SHARD_IDS must list"),
        ("4", "0,,1", r"DISCORD_SHARD_IDS must list"),
    ],
)
def test_discord_shards_that_make_no_sense_are_refused_with_an_example(
    count: str, ids: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Settings.load({"DISCORD_SHARD_COUNT": count, "DISCORD_SHARD_IDS": ids}, dotenv=None).shards()
