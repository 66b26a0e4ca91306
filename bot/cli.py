"""The `runlift` command: run | console | nudges."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from datetime import datetime
from pathlib import Path

from bot.settings import Settings
from core.clock import FixedClock, parse_instant
from core.messages import StartFailed

log = logging.getLogger("runlift")

NO_TOKEN = (
    "No TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN set: starting the console chat.\n"
    "Add a token to .env (see .env.example) to run on Telegram or Discord. Type /help; Ctrl-D quits.\n"
)


def instant(text: str) -> datetime:
    """ISO 8601 for ``--at``; an instant without an offset is UTC."""
    try:
        return parse_instant(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 instant: {text!r} (e.g. 2026-12-01T18:00)"
        ) from error


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="runlift", description="Runlift: strength training for runners.")
    sub = parser.add_subparsers(dest="verb", required=True)
    sub.add_parser("run", help="start every adapter with a token (the console chat when none)")
    console = sub.add_parser("console", help="a local chat on standard input and output")
    console.add_argument("--user", default="you", help="who is typing (default: you)")
    console.add_argument("--chat", default=None, help="a group chat's name (default: a direct message)")
    console.add_argument("--at", type=instant, default=None, help="the instant of every message")
    nudges = sub.add_parser("nudges", help="run one scheduler pass as of an instant")
    nudges.add_argument("--at", type=instant, required=True)
    nudges.add_argument("--dry-run", action="store_true", help="print without recording")
    return parser


def _console(settings: Settings, user: str, chat: str | None, at: datetime | None, banner: str = "") -> int:
    from adapters.console_chat import ConsoleChat
    from bot.app import build

    app = build(settings, FixedClock(at) if at is not None else None)
    chat_adapter = ConsoleChat(app.clock, user=user, chat=chat, files_dir=Path(settings.runlift_files))

    async def main() -> None:
        await chat_adapter.start(app)
        app.adapters[chat_adapter.platform] = chat_adapter
        if banner:
            sys.stdout.write(banner)
        await chat_adapter.run()
        await chat_adapter.stop()

    try:
        asyncio.run(main())
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        app.close()
    return 0


def _run(settings: Settings) -> int:
    from bot.app import build

    app = build(settings)
    adapters = app.build_adapters()
    if not adapters:
        app.close()
        return _console(settings, "you", None, None, banner=NO_TOKEN)
    try:
        asyncio.run(app.serve(adapters))
    except StartFailed as error:
        # A platform refused the token or cannot be reached: one clear line, no traceback.
        log.error("%s", error)
        return 1
    return 0


def _stop_early(signum: int, frame: object) -> None:
    """A stop asked for before the bot is serving (migrating, connecting): leave cleanly."""
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    # Installed first, so a SIGTERM at any moment of the start-up ends the process cleanly;
    # once serving, the event loop's own handlers take over.
    signal.signal(signal.SIGTERM, _stop_early)
    args = _parser().parse_args(argv)
    settings = Settings.load()
    logging.basicConfig(
        level=getattr(logging, settings.log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.verb == "console":
        logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
        return _console(settings, args.user, args.chat, args.at)
    if args.verb == "nudges":
        from bot.nudge_cli import run_pass

        return run_pass(settings, args.at, args.dry_run)
    return _run(settings)


if __name__ == "__main__":
    sys.exit(main())
