"""The `runlift` command: run | console | nudges | status | backup | restore."""

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
    sub.add_parser("status", help="schema version, counts, the last nudge pass, adapters configured")
    backup = sub.add_parser("backup", help="write a consistent snapshot of the live database to PATH")
    backup.add_argument("path", type=Path)
    restore = sub.add_parser("restore", help="restore a backup into an empty database, then migrate it")
    restore.add_argument("path", type=Path)
    restore.add_argument("--force", action="store_true", help="replace what a non-empty database holds")
    return parser


def _status(settings: Settings) -> int:
    from adapters.store.engine import make_engine
    from bot.operations.status import gather, render

    now = settings.clock().now()
    engine = make_engine(settings.database_url)
    try:
        facts = gather(settings, engine, now)
    finally:
        engine.dispose()
    sys.stdout.write(render(facts, now) + "\n")
    return 1 if facts.error else 0


def _backup(settings: Settings, path: Path, restore: bool, force: bool = False) -> int:
    from bot.operations import backup

    try:
        if restore:
            outcome = backup.restore(settings.database_url, path, force=force)
            sys.stdout.write(outcome.summary("restored") + "; migrated to the newest schema\n")
        else:
            outcome = backup.backup(settings.database_url, path)
            sys.stdout.write(outcome.summary("wrote") + "\n")
    except backup.BackupError as error:
        sys.stderr.write(f"runlift: {error}\n")
        return 2
    return 0


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

    log.info("starting: opening the database")
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
    try:
        settings.http_address()
        settings.core_process()
        if args.verb == "run" and settings.telegram_bot_token:
            settings.webhook()  # webhook mode needs its secret
        if args.verb == "run" and settings.discord_bot_token:
            settings.shards()
        if settings.ha() and args.verb == "run":
            from bot.leadership import libpq_url

            libpq_url(settings.database_url)  # refuses SQLite with the reason and the fix
    except ValueError as error:
        sys.stderr.write(f"runlift: {error}\n")
        return 2
    from bot.operations.logs import configure

    secrets = (settings.telegram_bot_token, settings.discord_bot_token, settings.telegram_webhook_secret)
    configure(settings.log_level, settings.log_format, secrets)
    if args.verb in ("status", "backup", "restore"):
        logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))
        if args.verb == "status":
            return _status(settings)
        return _backup(settings, args.path, args.verb == "restore", getattr(args, "force", False))
    if args.verb == "console":
        logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
        return _console(settings, args.user, args.chat, args.at)
    if args.verb == "nudges":
        from bot.nudge_cli import run_pass

        return run_pass(settings, args.at, args.dry_run)
    return _run(settings)


if __name__ == "__main__":
    sys.exit(main())
