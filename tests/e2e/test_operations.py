"""Running it for a club, end to end: /healthz, /readyz and /metrics of a real `runlift run`, JSON logs at
DEBUG that never hold a token or a calendar URL, /admin status for operators only, and /readyz naming
what is wrong (a rejected token, a database gone)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from adapters.store.engine import make_engine, migrate, normalize_url
from adapters.store.unit_of_work import SqlStore
from core.commands.context import CoreConfig
from core.service import Runlift
from tests.conftest import database_url_for
from tests.e2e.botproc import BotProcess
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.fake_telegram import FakeTelegram, private_chat, user
from tests.e2e.scene import SCENE_NOW
from tests.e2e.test_both_platforms import _midday_zone, _runner_due_now
from tests.feed_server import feed_server

pytestmark = pytest.mark.e2e

ANA = user(4242, "Ana")
BEN = user(777, "Ben")
CALENDAR_PATH = "/private/CALSECRET-7f3a9/basic.ics"


@pytest.fixture
def calendar_url() -> Iterator[str]:
    """A calendar feed on a local server (no test reaches the internet), its path the secret."""
    with feed_server() as feeds:
        yield feeds.serve_fixture(CALENDAR_PATH, "runna.ics")


class OpsBot(BotProcess):
    """Ready once its HTTP port is open (the adapters may be failing: that is what /readyz is for)."""

    def _mark(self) -> object:
        return len(self.output)

    def _ready(self, mark: object) -> bool:
        return "operations HTTP on" in self.output[mark:]  # type: ignore[index]

    @property
    def port(self) -> int:
        found = re.search(r"operations HTTP on http://127\.0\.0\.1:(\d+)", self.output)
        assert found, self.output
        return int(found.group(1))


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


async def get(bot: OpsBot, path: str) -> tuple[int, str]:
    return await asyncio.to_thread(fetch, f"http://127.0.0.1:{bot.port}{path}")


async def until(bot: OpsBot, path: str, condition: object, timeout: float = 20) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    status, body = 0, ""
    while time.monotonic() < deadline:
        status, body = await get(bot, path)
        if condition(status, body):  # type: ignore[operator]
            return status, body
        await asyncio.sleep(0.2)
    raise AssertionError(f"{path} never matched: {status}\n{body}\n--- bot output:\n{bot.output}")


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample (0 when absent) in Prometheus text format."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        head, _, value = line.rpartition(" ")
        if all(f'{k}="{v}"' in head for k, v in labels.items()):
            return float(value)
    return 0.0


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTelegram, FakeDiscord]]:
    telegram, discord = FakeTelegram(), FakeDiscord()
    await telegram.start()
    await discord.start()
    yield telegram, discord
    await discord.stop()
    await telegram.stop()


async def test_a_full_run_is_observable_and_its_debug_json_logs_hold_no_secret(
    fakes: tuple[FakeTelegram, FakeDiscord], tmp_path: Path, calendar_url: str
) -> None:
    telegram, discord = fakes
    dana, olga = discord.add_user("Dana"), discord.add_user("Olga")
    engine = make_engine(database_url_for(tmp_path))
    migrate(engine)
    _runner_due_now(
        Runlift(SqlStore(engine), CoreConfig()), "telegram", "4242", SCENE_NOW, _midday_zone(SCENE_NOW)
    )
    engine.dispose()
    telegram.fail_next("sendMessage", 429, retry_after=1)  # the first send (the nudge) meets flood control
    bot = OpsBot(
        telegram,
        tmp_path,
        env={
            "RUNLIFT_HTTP": "127.0.0.1:0",
            "RUNLIFT_OPERATORS": f"telegram:4242,discord:{olga['id']}",
            "LOG_LEVEL": "DEBUG",
            "LOG_FORMAT": "json",
            "DISCORD_BOT_TOKEN": discord.token,
            "DISCORD_API_URL": discord.api_url,
            "DISCORD_GATEWAY_URL": discord.gateway_url,
            "DISCORD_GUILD_ID": discord.guild_id,
        },
    )
    await bot.start()
    try:
        assert await get(bot, "/healthz") == (200, "ok\n")
        _, ready = await until(bot, "/readyz", lambda s, b: s == 200)
        assert ready.startswith("ready\n") and "telegram: ok" in ready and "discord: ok" in ready
        nudge = await telegram.wait_for(
            lambda c: c.method == "sendMessage" and "Speed day" in c.text, timeout=20
        )
        assert nudge.chat_id == 4242
        telegram.send("/today", ANA, private_chat(ANA))
        telegram.send(f"/setup calendar={calendar_url}", ANA, private_chat(ANA))
        telegram.send("/admin status", ANA, private_chat(ANA))
        telegram.send("/admin status", BEN, private_chat(BEN))
        status = await telegram.wait_for(
            lambda c: c.method == "sendMessage" and "Runlift status" in c.text, timeout=20
        )
        assert status.chat_id == 4242 and "schema: " in status.text and "telegram (connected)" in status.text
        connected = await telegram.wait_for(
            lambda c: c.method == "sendMessage" and "Calendar connected" in c.text, timeout=20
        )
        assert connected.chat_id == 4242 and "127.0.0.1 …asic" in connected.text
        assert "CALSECRET" not in connected.text
        refused = await telegram.wait_for(
            lambda c: c.method == "sendMessage" and c.chat_id == 777, timeout=20
        )
        assert "don't know /admin" in refused.text and "status" not in refused.text.lower()
        await discord.slash("today", {}, dana, dm=True)
        await discord.direct_message("/admin status", dana)  # Dana is no operator
        await discord.direct_message("/admin status", olga)
        said = await discord.wait_for(
            lambda c: c.method == "POST" and "Runlift status" in str(c.json), timeout=20
        )
        assert "discord (connected)" in str(said.json)
        dm = next(c for c in discord.calls if c.method == "POST" and "don't know /admin" in str(c.json))
        assert discord.dm_channels[dana["id"]]["id"] in dm.path
        _, metrics = await until(
            bot,
            "/metrics",
            lambda s, b: (
                metric(b, "runlift_commands_handled_total", platform="discord") >= 1
                and metric(b, "runlift_nudge_pass_seconds_count") >= 1
                # the gauge is what the last count saw: it comes to 0 once the sender has caught up
                and metric(b, "runlift_outbox_depth", platform="telegram") == 0
            ),
        )
        assert metric(metrics, "runlift_nudges_sent_total", platform="telegram", kind="lift") == 1
        assert metric(metrics, "runlift_nudges_due_total", kind="lift") == 1
        assert metric(metrics, "runlift_platform_rate_limited_total", platform="telegram") == 1
        assert metric(metrics, "runlift_platform_retries_total", platform="telegram") >= 1
        assert metric(metrics, "runlift_commands_handled_total", platform="telegram", command="today") == 1
        assert metric(metrics, "runlift_commands_handled_total", platform="telegram", command="admin") == 1
        assert metric(metrics, "runlift_updates_received_total", platform="telegram") >= 4
        assert metric(metrics, "runlift_updates_received_total", platform="discord") >= 3
        assert metric(metrics, "runlift_commands_handled_total", platform="discord", command="admin") == 1
        assert metric(metrics, "runlift_command_seconds_count", platform="telegram", command="today") == 1
        assert metric(metrics, "runlift_command_errors_total", platform="telegram", command="today") == 0
        assert metric(metrics, "runlift_nudge_pass_seconds_count") >= 1
        assert metric(metrics, "runlift_outbox_depth", platform="telegram") == 0
        assert metric(metrics, "runlift_db_pool_size") >= 1
    finally:
        code = await bot.stop()
    assert code == 0, bot.output
    # /admin status asks the event loop's process while its command holds the database: answered
    # at once, never after the database's lock timeout (a deadlock while answers were being marked).
    took = [int(ms) for ms in re.findall(r"/admin handled in (\d+) ms", bot.output)]
    assert took and max(took) < 5000, took
    bot.assert_clean()
    assert discord.token not in bot.output
    assert "CALSECRET" not in bot.output and calendar_url not in bot.output
    records = [json.loads(line) for line in bot.output.splitlines() if line.strip()]
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert any(r["level"] == "DEBUG" for r in records), "the run logged at DEBUG"
    handled = [r for r in records if r.get("command") == "today" and r.get("platform") == "telegram"]
    assert handled and {"chat", "user", "duration_ms"} <= set(handled[0])
    assert handled[0]["user"] != "4242" and "4242" not in json.dumps(handled[0])


async def test_readyz_names_a_rejected_token(tmp_path: Path) -> None:
    telegram = FakeTelegram()
    await telegram.start()
    bot = OpsBot(
        telegram,
        tmp_path,
        env={"RUNLIFT_HTTP": "127.0.0.1:0", "TELEGRAM_BOT_TOKEN": "999:wrong-token-0123456789"},
    )
    try:
        await bot.start()
        assert (await get(bot, "/healthz"))[0] == 200
        status, body = await until(bot, "/readyz", lambda s, b: "scheduler: ok" in b)
        assert status == 503 and body.startswith("not ready: telegram")
        assert "telegram: FAILING — not connected: Telegram: cannot start" in body
        assert "database: ok" in body and "wrong-token" not in body
    finally:
        code = await bot.stop()
        await telegram.stop()
    assert code == 0
    assert "wrong-token" not in bot.output


class Proxy:
    """A TCP relay to PostgreSQL that the test can cut, as if the database went away."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.server: asyncio.Server | None = None
        self.links: list[asyncio.StreamWriter] = []

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        self.links += [writer, up_writer]

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for link in self.links:
            link.close()
        await self.server.wait_closed()


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL only")
async def test_readyz_names_the_database_when_postgresql_goes_away(tmp_path: Path) -> None:
    url = make_url(normalize_url(database_url_for(tmp_path)))
    proxy = Proxy(url.port or 5432)
    relayed = url.set(host="127.0.0.1", port=await proxy.start()).render_as_string(hide_password=False)
    telegram = FakeTelegram()
    await telegram.start()
    bot = OpsBot(telegram, tmp_path, env={"RUNLIFT_HTTP": "127.0.0.1:0", "DATABASE_URL": relayed})
    try:
        await bot.start()
        await until(bot, "/readyz", lambda s, b: s == 200)
        await proxy.cut()
        _, body = await until(bot, "/readyz", lambda s, b: s == 503, timeout=30)
        assert body.startswith("not ready: database") and "database: FAILING — unreachable" in body
        assert "telegram: ok" in body
    finally:
        await bot.stop()
        await telegram.stop()
    assert (SCENE_NOW + timedelta(0)).tzinfo is not None
