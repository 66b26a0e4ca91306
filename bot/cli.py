"""The `runlift` command: run | console | nudges."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.settings import Settings

log = logging.getLogger("runlift")

NO_TOKEN = (
    "No TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN set: starting the console chat.\n"
    "Add a token to .env (see .env.example) to run on Telegram or Discord. Type /help; Ctrl-D quits.\n"
)


def parse_instant(text: str) -> datetime:
    """ISO 8601; an instant without an offset is UTC."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 instant: {text!r} (e.g. 2026-12-01T18:00)"
        ) from error
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="runlift", description="Runlift: strength training for runners.")
    sub = parser.add_subparsers(dest="verb", required=True)
    sub.add_parser("run", help="start every adapter with a token (the console chat when none)")
    console = sub.add_parser("console", help="a local chat on standard input and output")
    console.add_argument("--user", default="you", help="who is typing (default: you)")
    console.add_argument("--chat", default=None, help="a group chat's name (default: a direct message)")
    console.add_argument("--at", type=parse_instant, default=None, help="the instant of every message")
    nudges = sub.add_parser("nudges", help="run one scheduler pass as of an instant")
    nudges.add_argument("--at", type=parse_instant, required=True)
    nudges.add_argument("--dry-run", action="store_true", help="print without recording")
    return parser


def _console(settings: Settings, user: str, chat: str | None, at: datetime | None, banner: str = "") -> int:
    from adapters.console_chat import ConsoleChat
    from bot.app import App

    app = App(settings)
    fixed = at
    chat_adapter = ConsoleChat(
        user=user,
        chat=chat,
        at=(lambda: fixed) if fixed is not None else None,
        files_dir=Path(settings.runlift_files),
    )

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
    from bot.app import App

    app = App(settings)
    adapters = app.build_adapters()
    if not adapters:
        app.close()
        return _console(settings, "you", None, None, banner=NO_TOKEN)
    asyncio.run(app.serve(adapters))
    return 0


def _nudges(settings: Settings, at: datetime, dry_run: bool) -> int:
    from bot.nudge_cli import run_pass

    return run_pass(settings, at, dry_run)


def main(argv: list[str] | None = None) -> int:
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
        return _nudges(settings, args.at, args.dry_run)
    return _run(settings)


if __name__ == "__main__":
    sys.exit(main())
