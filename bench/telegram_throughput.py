"""Benchmark: /log throughput and latency of the full bot against a bare python-telegram-bot echo bot.

All run as subprocesses against the same fake Bot API server on 127.0.0.1. Each of
100 group chats keeps one command in flight (the next is queued as soon as the reply
to the previous one arrives), so throughput and latency are measured together.

    .venv/bin/python -m bench.telegram_throughput [--messages 2000] [--chats 100] [--rtt-ms 0]

Rows: the echo bot sequential (PTB's default) and with 16 concurrent updates; the
Runlift adapter with a hub that answers at once (the adapter's own cost); the full bot;
and the core alone (Runlift.handle on SQLite, no Telegram) to show what limits the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.botproc import BotProcess
from tests.e2e.fake_telegram import Call, FakeTelegram, group_chat, user

GOAL = 0.75
RUNLIFT = ("-m", "bot.cli", "run")
ECHO = ("-m", "bench.telegram_throughput", "echo")
ADAPTER = ("-m", "bench.telegram_throughput", "adapter")


@dataclass(frozen=True)
class Result:
    name: str
    messages: int
    seconds: float
    latencies: tuple[float, ...]

    @property
    def rate(self) -> float:
        return self.messages / self.seconds

    def row(self) -> str:
        ordered = sorted(self.latencies)
        median = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        return f"{self.name:<34} {self.messages:>6} {self.rate:>10.0f} {median:>10.1f} {p99:>10.1f}"


async def drive(fake: FakeTelegram, messages: int, chats: int, timeout: float) -> tuple[float, list[float]]:
    """Send ``messages`` /log commands over ``chats`` group chats, one in flight per chat."""
    groups = [group_chat(-1_000_000 - i, f"Crew {i}") for i in range(chats)]
    people = [[user(10_000 + 3 * i + j, f"Runner{i}-{j}") for j in range(3)] for i in range(chats)]
    pending: dict[int, tuple[int, float]] = {}
    latencies: list[float] = []
    sent = 0
    done = asyncio.Event()

    def send_next(chat: int) -> None:
        nonlocal sent
        if sent >= messages:
            return
        sent += 1
        who = people[chat][sent % 3]
        update = fake.send(f"/log squat 3x8 @{20 + sent % 40}kg", who, groups[chat])
        pending[update["message"]["message_id"]] = (chat, time.perf_counter())

    def on_call(call: Call) -> None:
        entry = pending.pop(call.reply_to, None) if call.method == "sendMessage" and call.reply_to else None
        if entry is None:
            return
        latencies.append(call.at - entry[1])
        if len(latencies) == messages:
            done.set()
        send_next(entry[0])

    fake.listeners.append(on_call)
    started = time.perf_counter()
    try:
        for chat in range(chats):
            send_next(chat)
        await asyncio.wait_for(done.wait(), timeout)
    except TimeoutError:
        print(f"  timed out after {timeout:.0f} s with {len(latencies)}/{messages} answered", file=sys.stderr)
    finally:
        fake.listeners.remove(on_call)
    return time.perf_counter() - started, latencies


async def measure(
    fake: FakeTelegram,
    name: str,
    workdir: Path,
    command: tuple[str, ...],
    env: dict[str, str],
    args: argparse.Namespace,
) -> Result:
    process = BotProcess(
        fake, workdir, env={"LOG_LEVEL": "WARNING", "TELEGRAM_LIMITS": "none", **env}, command=command
    )
    await process.start(timeout=60)
    try:
        await drive(fake, args.chats * 3, args.chats, args.timeout)  # warm-up: every runner exists
        seconds, latencies = await drive(fake, args.messages, args.chats, args.timeout)
    finally:
        await process.stop()
    if "Traceback" in process.output:
        print(process.output[-3000:], file=sys.stderr)
    return Result(name, len(latencies), seconds, tuple(latencies))


async def run(args: argparse.Namespace) -> int:
    # The bots' own speed is measured: the fake applies no flood limits and the bot paces nothing
    # (with Telegram's limits every bot is held to ~30 messages a second, whatever its speed).
    fake = FakeTelegram(flood_limits=False)
    if args.rtt_ms:
        fake.delays["sendMessage"] = args.rtt_ms / 1000
    await fake.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            results = [
                await measure(
                    fake, "echo bot (PTB, sequential)", root / "echo1", ECHO, {"ECHO_CONCURRENCY": "1"}, args
                ),
                await measure(fake, "echo bot (PTB, 16 concurrent)", root / "echo16", ECHO, {}, args),
                await measure(fake, "runlift adapter + instant hub", root / "adapter", ADAPTER, {}, args),
                await measure(fake, "runlift (full bot, SQLite)", root / "runlift", RUNLIFT, {}, args),
            ]
            results.append(core_alone(root / "core", args))
    finally:
        await fake.stop()
    print(
        f"\n/log across {args.chats} group chats, one command in flight per chat, fake Bot API on 127.0.0.1"
    )
    print(f"{'bot':<34} {'msgs':>6} {'updates/s':>10} {'median ms':>10} {'p99 ms':>10}")
    for result in results:
        print(result.row())
    best_echo = max(results[:2], key=lambda r: r.rate)
    adapter, full, core = results[2:]
    ratio = full.rate / best_echo.rate
    verdict = "meets" if ratio >= GOAL else "misses"
    print(f"\nratio runlift / best echo = {ratio:.2f} ({verdict} the goal of {GOAL})")
    print(f"ratio adapter alone / best echo = {adapter.rate / best_echo.rate:.2f}")
    print(
        f"core alone costs {1000 / core.rate:.2f} ms per /log; the library {1000 / best_echo.rate:.2f} ms per update"
    )
    return 0


def core_alone(workdir: Path, args: argparse.Namespace) -> Result:
    """The same /log commands straight into Runlift.handle on SQLite: no Telegram at all."""
    from datetime import UTC, datetime

    from adapters.store.engine import make_engine, migrate
    from adapters.store.unit_of_work import SqlStore
    from core.commands.context import CoreConfig
    from core.messages import Incoming
    from core.service import Runlift

    workdir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(f"sqlite:///{workdir / 'runlift.db'}")
    migrate(engine)
    core = Runlift(SqlStore(engine), CoreConfig(default_tz="UTC"))

    def log(i: int) -> float:
        chat = i % args.chats
        incoming = Incoming(
            "telegram",
            str(10_000 + 3 * chat + i % 3),
            "Runner",
            str(-1_000_000 - chat),
            True,
            f"/log squat 3x8 @{20 + i % 40}kg",
            datetime.now(UTC),
            event_id=f"bench:{i}",
        )
        started = time.perf_counter()
        core.handle(incoming)
        return time.perf_counter() - started

    for i in range(args.chats * 3):
        log(i)
    started = time.perf_counter()
    latencies = [log(i) for i in range(args.chats * 3, args.chats * 3 + args.messages // 2)]
    seconds = time.perf_counter() - started
    engine.dispose()
    return Result("core alone (Runlift.handle, SQLite)", len(latencies), seconds, tuple(latencies))


def echo() -> None:
    """A bare python-telegram-bot echo bot: the library's own cost, for comparison."""
    from telegram import ReplyParameters, Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    root = os.environ["TELEGRAM_API_URL"]
    builder = ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"]).job_queue(None)
    builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    app = builder.concurrent_updates(int(os.environ.get("ECHO_CONCURRENCY", "16"))).build()

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        await context.bot.send_message(
            message.chat_id, message.text, reply_parameters=ReplyParameters(message.message_id)
        )

    app.add_handler(MessageHandler(filters.TEXT, answer))
    app.run_polling(allowed_updates=[Update.MESSAGE], drop_pending_updates=False)


def adapter_alone() -> None:
    """The Telegram adapter with a hub that answers at once: the adapter's own cost."""
    import signal

    from adapters.telegram_chat import TelegramChat
    from core.messages import InboxEvent, Incoming, Reply

    class InstantHub:
        async def handle(self, incoming: Incoming) -> list[Reply]:
            return [Reply(f"Logged {incoming.text}")]

        async def member_left(self, platform: str, chat_id: str, user_id: str, event_id: str = "") -> None:
            return None

        async def chat_closed(self, platform: str, chat_id: str, event_id: str = "") -> None:
            return None

        async def chat_moved(self, platform: str, old: str, new: str, event_id: str = "") -> None:
            return None

        async def unreachable(self, platform: str, user_id: str, event_id: str = "") -> None:
            return None

        async def receive(self, events: Sequence[InboxEvent]) -> None:
            return None

        async def pending(self, platform: str) -> list[InboxEvent]:
            return []

        async def settled(self, event_id: str) -> None:
            return None

    async def serve() -> None:
        chat = TelegramChat(os.environ["TELEGRAM_BOT_TOKEN"], os.environ["TELEGRAM_API_URL"], paced=False)
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        await chat.start(InstantHub())
        await stop.wait()
        await chat.stop()

    asyncio.run(serve())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", choices=("bench", "echo", "adapter"), default="bench")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--rtt-ms", type=float, default=0.0, help="simulated Bot API latency per sendMessage")
    args = parser.parse_args(argv)
    if args.mode == "echo":
        echo()
        return 0
    if args.mode == "adapter":
        adapter_alone()
        return 0
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
