"""Run every benchmark in turn: `python -m bench` (or `make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHES = (
    "accountability",
    "nudges",
    "telegram_throughput",
    "startup",
    "imports",
    "club",
    "takeover",
    "sharded_pass",
)


def main() -> int:
    here = Path(__file__).parent
    failed = 0
    for name in BENCHES:
        if not (here / f"{name}.py").exists():
            continue
        print(f"\n== bench.{name} ==", flush=True)
        failed |= subprocess.call([sys.executable, "-m", f"bench.{name}", *sys.argv[1:]])
    return failed


if __name__ == "__main__":
    sys.exit(main())
