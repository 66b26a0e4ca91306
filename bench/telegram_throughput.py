"""Benchmark: /log throughput of the full bot (SQLite and PostgreSQL) against a bare python-telegram-bot echo bot.

All run as subprocesses against the same fake Bot API server on 127.0.0.1. Each of
100 group chats keeps one command in flight (the next is queued as soon as the reply
to the previous one arrives), so throughput and latency are measured together. Every
/log is a group message with an update id, as Telegram sends it, and no runner logs the
same sets twice (so none is asked "did you mean to log that again?").

    .venv/bin/python -m bench.telegram_throughput [--messages 2000] [--chats 100] [--rounds 5]

The series are interleaved — echo, SQLite, PostgreSQL, echo, … and a last echo — and
each round's ratio is the bot's rate over the mean of the echo runs before and after it;
the median of the rounds is reported, with the CPU time spent per message (utime + stime
from /proc/<pid>/stat): the bot's two processes together (the event loop's and its core
process, RUNLIFT_CORE_PROCESS) and the event loop's alone. The adapter with a hub that
answers at once, the bot with its core on the event loop's process, and the core alone
(Runlift.handle on SQLite, no Telegram) show where the time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.botproc import BotProcess
from tests.e2e.fake_telegram import Call, FakeTelegram, group_chat, user

GOALS = {"sqlite": 0.8, "postgresql": 0.6}
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_SCHEMA = "runlift_bench_throughput"
RUNLIFT = ("-m", "bot.cli", "run")
ECHO = ("-m", "bench.telegram_throughput", "echo")
ADAPTER = ("-m", "bench.telegram_throughput", "adapter")
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Result:
    name: str
    messages: int
    seconds: float
    latencies: tuple[float, ...]
    cpu_seconds: float = 0.0
    loop_cpu_seconds: float = 0.0  # the event loop's process alone (the rest: its core process)

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds / self.messages * 1000 if self.messages else 0.0

    @property
    def loop_cpu_ms(self) -> float:
        return self.loop_cpu_seconds / self.messages * 1000 if self.messages else 0.0

    def row(self) -> str:
        ordered = sorted(self.latencies) or [0.0]
        median = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        cpu = f"{self.cpu_ms:>9.2f}" if self.cpu_seconds else f"{'':>9}"
        loop = f"{self.loop_cpu_ms:>9.2f}" if self.loop_cpu_seconds else f"{'':>9}"
        return (
            f"{self.name:<36} {self.messages:>6} {self.rate:>10.0f} {median:>10.1f} {p99:>10.1f} {cpu} {loop}"
        )


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15)


def children(pid: int) -> list[int]:
    """The live child processes of ``pid`` (the bot's core process), from /proc."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def cpu_all(pid: int) -> dict[int, float]:
    """CPU seconds so far of a process and of each of its children, by pid."""
    return {p: cpu_seconds(p) for p in [pid, *children(pid)]}


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(p, 0.0) for p, seconds in after.items())


class Traffic:
    """The chats and runners of a run, and how many times each runner has logged (so every
    /log is new: 8 rep counts × 5 loads before a runner's sets come round again)."""

    def __init__(self, chats: int) -> None:
        self.groups = [group_chat(-1_000_000 - i, f"Crew {i}") for i in range(chats)]
        self.people = [[user(10_000 + 3 * i + j, f"Runner{i}-{j}") for j in range(3)] for i in range(chats)]
        self.logged: Counter[int] = Counter()

    def text(self, who: dict[str, object]) -> str:
        k = self.logged[int(who["id"])]  # type: ignore[call-overload]
        self.logged[int(who["id"])] += 1  # type: ignore[call-overload]
        return f"/log squat 3x{5 + k % 8} @{40 + (k // 8) % 5 * 2.5:g}kg"


async def drive(
    fake: FakeTelegram, traffic: Traffic, messages: int, timeout: float
) -> tuple[float, list[float]]:
    """Send ``messages`` /log commands over the chats, one in flight per chat."""
    pending: dict[int, tuple[int, float]] = {}
    latencies: list[float] = []
    sent = 0
    done = asyncio.Event()

    def send_next(chat: int) -> None:
        nonlocal sent
        if sent >= messages:
            return
        sent += 1
        who = traffic.people[chat][sent % 3]
        update = fake.send(traffic.text(who), who, traffic.groups[chat])
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
        for chat in range(len(traffic.groups)):
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
    traffic = Traffic(args.chats)
    await process.start(timeout=60)
    try:
        await drive(fake, traffic, args.chats * 3, args.timeout)  # warm-up: every runner exists
        pid = process.pid
        cpu_before = cpu_all(pid)
        seconds, latencies = await drive(fake, traffic, args.messages, args.timeout)
        cpu_after = cpu_all(pid)
        cpu = spent(cpu_before, cpu_after)
        loop_cpu = cpu_after[pid] - cpu_before[pid]
    finally:
        await process.stop()
    if "Traceback" in process.output:
        print(process.output[-3000:], file=sys.stderr)
    return Result(name, len(latencies), seconds, tuple(latencies), cpu, loop_cpu)


def _pg_database(round_: int) -> str | None:
    """A fresh schema of the PostgreSQL on 127.0.0.1 for one run, or None when none answers."""
    try:
        from tests.conftest import fresh_pg_schema

        return fresh_pg_schema(PG_URL, f"{PG_SCHEMA}_{round_}")
    except Exception as error:  # no PostgreSQL here: the SQLite series still runs
        print(f"  PostgreSQL series skipped: {type(error).__name__}: {error}"[:200], file=sys.stderr)
        return None


def _drop_pg(rounds: int) -> None:
    from sqlalchemy import text

    from adapters.store.engine import make_engine

    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for i in range(rounds):
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}_{i}" CASCADE'))
    admin.dispose()


async def run(args: argparse.Namespace) -> int:
    # The bots' own speed is measured: the fake applies no flood limits and the bot paces nothing
    # (with Telegram's limits every bot is held to ~30 messages a second, whatever its speed).
    fake = FakeTelegram(flood_limits=False)
    if args.rtt_ms:
        fake.delays["sendMessage"] = args.rtt_ms / 1000
    await fake.start()
    echoes: list[Result] = []
    bots: dict[str, list[Result]] = {"sqlite": [], "postgresql": []}
    pg_ok = True
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for i in range(args.rounds):
                echoes.append(
                    await measure(fake, "echo bot (PTB, 16 concurrent)", root / f"e{i}", ECHO, {}, args)
                )
                sqlite = {"DATABASE_URL": f"sqlite:///{root / f's{i}' / 'runlift.db'}"}
                (root / f"s{i}").mkdir()
                bots["sqlite"].append(
                    await measure(fake, "runlift (full bot, SQLite)", root / f"s{i}", RUNLIFT, sqlite, args)
                )
                pg = _pg_database(i) if pg_ok else None
                pg_ok = pg is not None
                if pg is not None:
                    bots["postgresql"].append(
                        await measure(
                            fake,
                            "runlift (full bot, PostgreSQL)",
                            root / f"p{i}",
                            RUNLIFT,
                            {"DATABASE_URL": pg},
                            args,
                        )
                    )
            echoes.append(
                await measure(fake, "echo bot (PTB, 16 concurrent)", root / "e-last", ECHO, {}, args)
            )
            adapter = await measure(
                fake, "runlift adapter + instant hub", root / "adapter", ADAPTER, {}, args
            )
            (root / "inline").mkdir()
            inline = {
                "DATABASE_URL": f"sqlite:///{root / 'inline' / 'runlift.db'}",
                "RUNLIFT_CORE_PROCESS": "off",
            }
            one_process = await measure(
                fake, "runlift (SQLite, no core process)", root / "inline", RUNLIFT, inline, args
            )
            core = core_alone(root / "core", args)
    finally:
        await fake.stop()
        if pg_ok and bots["postgresql"]:
            _drop_pg(args.rounds)
    print(
        f"\n/log across {args.chats} group chats, one command in flight per chat, fake Bot API on 127.0.0.1"
    )
    print(
        f"{'run':<36} {'msgs':>6} {'updates/s':>10} {'median ms':>10} {'p99 ms':>10} {'CPU ms/msg':>9} {'of it loop':>9}"
    )
    for i in range(args.rounds):
        print(echoes[i].row())
        for series in bots.values():
            if i < len(series):
                print(series[i].row())
    print(echoes[-1].row())
    print(adapter.row())
    print(one_process.row())
    print(core.row())
    echo_cpu = statistics.median(e.cpu_ms for e in echoes)
    print(f"\nmedian of {args.rounds} rounds, each against the mean of the echo runs before and after it:")
    failed = 0
    for backend, series in bots.items():
        if not series:
            print(f"  {backend}: not measured (no PostgreSQL on 127.0.0.1:5432)")
            continue
        ratios = [r.rate / ((echoes[i].rate + echoes[i + 1].rate) / 2) for i, r in enumerate(series)]
        ratio = statistics.median(ratios)
        goal = GOALS[backend]
        verdict = "meets" if ratio >= goal else "misses"
        failed |= ratio < goal
        cpu = statistics.median(r.cpu_ms for r in series)
        loop = statistics.median(r.loop_cpu_ms for r in series)
        print(
            f"  runlift on {backend}: {ratio:.2f}× echo ({verdict} the goal of {goal}); rounds "
            + " ".join(f"{x:.2f}" for x in ratios)
            + f"; CPU {cpu:.2f} ms/msg ({loop:.2f} in the event loop's process) against echo's {echo_cpu:.2f}"
        )
    best = statistics.median(e.rate for e in echoes)
    print(
        f"  adapter alone: {adapter.rate / best:.2f}× echo; the bot on SQLite without its core process"
        f" {one_process.rate / best:.2f}× echo; core alone {1000 / core.rate:.2f} ms per /log"
    )
    return 0


def core_alone(workdir: Path, args: argparse.Namespace) -> Result:
    """The same /log commands straight into Runlift.handle on SQLite: no Telegram at all."""
    from adapters.store.engine import make_engine, migrate
    from adapters.store.unit_of_work import SqlStore
    from core.clock import SystemClock
    from core.commands.context import CoreConfig
    from core.messages import Incoming
    from core.service import Runlift

    workdir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(f"sqlite:///{workdir / 'runlift.db'}")
    migrate(engine)
    core = Runlift(SqlStore(engine), CoreConfig(default_tz="UTC"))
    clock = SystemClock()
    traffic = Traffic(args.chats)

    def log(i: int) -> float:
        chat = i % args.chats
        who = traffic.people[chat][i % 3]
        incoming = Incoming(
            "telegram",
            str(who["id"]),
            "Runner",
            str(-1_000_000 - chat),
            True,
            traffic.text(who),
            clock.now(),
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

        async def replied(self, event_ids: Sequence[str]) -> None:
            return None

        async def holding(self, event_ids: Sequence[str]) -> None:
            return None

        async def pending(self, platform: str, chat_id: str | None = None) -> list[InboxEvent]:
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
    parser.add_argument("--rounds", type=int, default=5)
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
