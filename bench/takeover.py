"""Benchmark: how long Telegram goes unpolled when the leader of two `runlift run` processes (RUNLIFT_HA=on,
one PostgreSQL) is ended — from the end until the standby polls as the new leader.

    .venv/bin/python -m bench.takeover [--kills 10] [--how kill,term,cut]

Traffic runs through every round: 20 runners send /log before and after the leader goes, and the
fake server counts the 429 answers (flood control) it gave — the outbound budget's measure, with
only the leader sending. Each round ends whichever process leads (``kill``: SIGKILL; ``term``: SIGTERM, a clean stop;
``cut``: pg_terminate_backend on its lock connection), times the takeover, and starts a new
standby in place of a killed or stopped one, so every round begins with a leader and a standby.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
os.environ.setdefault("TEST_DATABASE_URL", PG_URL)
os.environ.setdefault("TEST_PG_SCHEMA", "runlift_bench_takeover")

from sqlalchemy import text  # noqa: E402

from adapters.store.engine import make_engine  # noqa: E402
from tests.conftest import database_url_for  # noqa: E402
from tests.e2e.fake_telegram import FakeTelegram, user  # noqa: E402
from tests.e2e.hacluster import HaBot, end  # noqa: E402

RUNNING = "Telegram: running as"
RUNNERS = 20


def traffic(fake: FakeTelegram, start: int) -> int:
    for k in range(3):
        for i in range(RUNNERS):
            fake.send(f"/log squat 1x{start + k} @20kg", user(80_000 + i, f"T{i}"))
    return 3 * RUNNERS


async def quiet(fake: FakeTelegram, seconds: float = 1.5, timeout: float = 60) -> None:
    """Until the bot has sent nothing for ``seconds`` (the replies owed are out)."""
    deadline = time.monotonic() + timeout
    seen, since = len(fake.calls), time.monotonic()
    while time.monotonic() - since < seconds and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        if len(fake.calls) != seen:
            seen, since = len(fake.calls), time.monotonic()


async def _until(condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.01)


async def rounds(how: str, kills: int, tmp: Path) -> tuple[list[float], int, int]:
    fake = FakeTelegram()
    fake.flood.allowed = 10_000  # counted, not refused: the figure is how many there were
    await fake.start()
    url = database_url_for(tmp / how)
    made = 0

    def new_bot() -> HaBot:
        nonlocal made
        made += 1
        return HaBot(fake, tmp / f"{how}-{made}", url)

    bots = [new_bot(), new_bot()]
    took: list[float] = []
    sent = 0
    try:
        await bots[0].start()
        await bots[0].until_leader()
        await _until(lambda: RUNNING in bots[0].output, 20)
        await bots[1].start()
        for _ in range(kills):
            leader = next(b for b in bots if b.running and RUNNING in b.output[b.output.rfind("HA: ") :])
            standby = next(b for b in bots if b is not leader)
            mark = standby.output.count(RUNNING)
            sent += traffic(fake, 3 * len(took) + 1)
            await asyncio.sleep(0.3)
            ended = time.perf_counter()
            await end(leader, how)
            await _until(lambda s=standby, m=mark: s.output.count(RUNNING) > m, 30)  # type: ignore[misc]
            took.append(time.perf_counter() - ended)
            sent += traffic(fake, 1000 + 3 * len(took))
            await quiet(fake)
            print(f"  {how}: {took[-1]:.2f} s", flush=True)
            if how == "cut":  # it lives on as a standby (after resting a few seconds)
                await _until(
                    lambda b=leader: "HA: standby" in b.output[b.output.rfind("leadership lost") :], 20
                )  # type: ignore[misc]
            else:
                bots[bots.index(leader)] = replacement = new_bot()
                await replacement.start()
    finally:
        for bot in bots:
            await bot.stop()
        await fake.stop()
    assert fake.conflicts == 0, "two pollers at once"
    return took, sent, fake.flood.refused


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--how", default="kill,term,cut")
    args = parser.parse_args(argv)
    results: dict[str, tuple[list[float], int, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for how in args.how.split(","):
                results[how] = asyncio.run(rounds(how, args.kills, Path(tmp)))
        finally:
            admin = make_engine(PG_URL)
            with admin.connect() as conn:
                schemas = conn.execute(
                    text("select nspname from pg_namespace where nspname like 'runlift_bench_takeover%'")
                ).scalars()
                for schema in list(schemas):
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                conn.commit()
            admin.dispose()
    print(
        f"\n{'ended by':<10}{'rounds':>7}{'median s':>10}{'min s':>8}{'max s':>8}{'/log sent':>11}{'429s':>6}"
    )
    for how, (took, sent, refused) in results.items():
        print(
            f"{how:<10}{len(took):>7}{statistics.median(took):>10.2f}{min(took):>8.2f}{max(took):>8.2f}"
            f"{sent:>11}{refused:>6}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
