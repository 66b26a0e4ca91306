"""Start-up cost of one `runlift console` call, against a bare `python -c pass` in the same run (the
series interleaved)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 15


def _timed(args: list[str], stdin: str, cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, input=stdin, capture_output=True, text=True, cwd=cwd, env=env, check=True)
    return time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{cwd / 'bench.db'}"}
        env.pop("TELEGRAM_BOT_TOKEN", None)
        env.pop("DISCORD_BOT_TOKEN", None)
        console = [sys.executable, "-m", "bot.cli", "console", "--at", "2026-12-01T19:00"]
        _timed(console, "/help\n", cwd, env)  # first call creates and migrates the database
        bare: list[float] = []
        today: list[float] = []
        log: list[float] = []
        # Interleaved (A B C A B C …), so a slower moment of the machine hits every series alike.
        for i in range(RUNS):
            bare.append(_timed([sys.executable, "-c", "pass"], "", cwd, env))
            today.append(_timed(console, "/today\n", cwd, env))
            log.append(_timed(console, f"/log squat 3x8 @{20 + i}kg\n", cwd, env))
    base = statistics.median(bare)
    print(f"{'call':<28}{'median s':>10}{'× bare python':>15}")
    print(f"{'python -c pass':<28}{base:>10.3f}{1.0:>15.1f}")
    for name, times in (("runlift console: /today", today), ("runlift console: /log", log)):
        med = statistics.median(times)
        print(f"{name:<28}{med:>10.3f}{med / base:>15.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
