"""The core in a process of its own: the hub's database work runs beside the event loop, not under its GIL.

``runlift run`` on a machine with more than one CPU (``RUNLIFT_CORE_PROCESS=auto``) starts
``python -m bot.core_process`` as a child. The event loop's process keeps the platforms, the
replies, the scheduler and the senders; each hub call (a command, a member who left, the inbox)
goes to the child as one length-prefixed pickle on its standard input and comes back the same
way on a duplicate of its standard output (its own standard output goes to standard error, so a
stray print cannot corrupt a frame). The child has no clock of its own: every call carries the
parent's instant. ``/status`` is asked back of the parent, which knows the live state.

Frames: parent → child ``("call", id, name, args, now)`` and ``("answer", id, value)``;
child → parent ``("ready",)``, ``("done", id, value)``, ``("error", id, exception)`` and
``("ask", id, "status")``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import signal
import struct
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import IO, Any

from bot.settings import Settings

log = logging.getLogger(__name__)

_HEADER = struct.Struct("!I")
_HIGH_WATER = 1 << 20  # bytes queued to the child before a caller waits for the pipe to drain
START_TIMEOUT_S = 60.0


class CoreGone(RuntimeError):
    """The core process ended while a call was in flight."""


def _frame(message: object) -> bytes:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(body)) + body


class CoreProcess:
    """The parent's side: starts the child, sends it calls, and starts it again if it dies."""

    def __init__(self, settings: Settings, status: Callable[[], Awaitable[str]]) -> None:
        self._settings = settings
        self._status = status
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        # Calls in flight, with the child each was sent to: a child that ends fails only its own.
        self._waiting: dict[int, tuple[asyncio.subprocess.Process, asyncio.Future[Any]]] = {}
        self._next = 0
        self._closing = False
        self._starting: asyncio.Lock | None = None
        self.restarts = 0
        self._answering: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.core_process",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=1 << 24,
        )
        assert self._proc.stdin is not None
        self._proc.stdin.write(_frame(self._settings))
        proc = self._proc
        self._reader = asyncio.create_task(self._read(proc, ready))
        try:
            await asyncio.wait_for(asyncio.shield(ready), START_TIMEOUT_S)
        except Exception:
            await self._abandon(proc)
            raise
        log.info("core process %d is serving", self._proc.pid)

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    async def call(self, name: str, *args: object, now: datetime) -> Any:
        """Run one hub call in the child and return its result (or raise what it raised)."""
        proc = await self._running()
        assert proc.stdin is not None
        self._next += 1
        ident = self._next
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting[ident] = (proc, future)
        proc.stdin.write(_frame(("call", ident, name, args, now)))
        transport = proc.stdin.transport
        if transport.get_write_buffer_size() > _HIGH_WATER:
            await proc.stdin.drain()
        return await future

    async def _running(self) -> asyncio.subprocess.Process:
        """The live child; one that died is replaced (calls in flight were failed with CoreGone)."""
        if (
            self._proc is not None
            and self._proc.returncode is None
            and self._reader
            and not self._reader.done()
        ):
            return self._proc
        if self._closing:
            raise CoreGone("the core process is stopping")
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if (
                self._proc is None
                or self._proc.returncode is not None
                or not self._reader
                or self._reader.done()
            ):
                self.restarts += 1
                log.warning("core process ended; starting it again")
                await self.start()
        assert self._proc is not None
        return self._proc

    async def _read(self, proc: asyncio.subprocess.Process, ready: asyncio.Future[None]) -> None:
        assert proc.stdout is not None
        try:
            while True:
                header = await proc.stdout.readexactly(_HEADER.size)
                (size,) = _HEADER.unpack(header)
                message = pickle.loads(await proc.stdout.readexactly(size))
                kind = message[0]
                if kind == "done" or kind == "error":
                    held = self._waiting.pop(message[1], None)
                    future = held[1] if held is not None else None
                    if future is not None and not future.done():
                        if kind == "done":
                            future.set_result(message[2])
                        else:
                            future.set_exception(message[2])
                elif kind == "ask":
                    task = asyncio.create_task(self._answer(proc, message[1]))
                    self._answering.add(task)
                    task.add_done_callback(self._answering.discard)
                elif kind == "ready" and not ready.done():
                    ready.set_result(None)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            gone = CoreGone("the core process ended during the call")
            if not ready.done():
                ready.set_exception(gone)
            # Only this child's calls: ones already sent to its successor are that one's to answer.
            for ident, (sent_to, future) in list(self._waiting.items()):
                if sent_to is proc:
                    del self._waiting[ident]
                    if not future.done():
                        future.set_exception(gone)

    async def _answer(self, proc: asyncio.subprocess.Process, ident: int) -> None:
        try:
            value: object = await self._status()
        except Exception as error:  # the child is told, and says so to the operator
            log.exception("status for the core process failed")
            value = f"status unavailable: {type(error).__name__}"
        if proc.stdin is not None and proc.returncode is None:
            proc.stdin.write(_frame(("answer", ident, value)))

    async def _abandon(self, proc: asyncio.subprocess.Process) -> None:
        """A child that never said it was serving is ended (a later call starts another)."""
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        if self._proc is proc:
            self._proc = None

    async def close(self) -> None:
        """End the child after the calls it holds; it closes its database first."""
        self._closing = True
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.stdin is not None and not proc.stdin.is_closing():
            proc.stdin.close()
        try:
            await asyncio.wait_for(proc.wait(), 15)
        except TimeoutError:
            proc.kill()
            await proc.wait()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)


class RelayClock:
    """The child's clock: the instant the parent sent with the call being run on this thread,
    running on from there (the parent's clock is the one clock)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def set(self, at: datetime) -> None:
        self._local.at = at
        self._local.since = time.monotonic()

    def now(self) -> datetime:
        at: datetime = self._local.at
        return at + timedelta(seconds=time.monotonic() - self._local.since)


class _Child:
    """The child's side: read calls, run them on the database threads, write the results."""

    def __init__(self, source: IO[bytes], sink: IO[bytes]) -> None:
        self._source = source
        self._sink = sink
        self._writing = threading.Lock()
        self._asked: dict[int, Future[Any]] = {}
        self._next = 0
        self._asking = threading.Lock()

    def read(self) -> Any:
        header = self._source.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return None
        (size,) = _HEADER.unpack(header)
        body = self._source.read(size)
        if len(body) < size:
            return None
        return pickle.loads(body)

    def write(self, message: object) -> None:
        try:
            data = _frame(message)
        except Exception as error:  # an unpicklable result: the caller gets the reason instead
            data = _frame(("error", message[1], CoreGone(f"unpicklable result: {error}")))  # type: ignore[index]
        with self._writing:
            try:
                self._sink.write(data)
                self._sink.flush()
            except (BrokenPipeError, ValueError):  # the parent is gone: its input ends next
                pass

    def ask_status(self) -> str:
        with self._asking:
            self._next += 1
            ident = self._next
            future: Future[Any] = Future()
            self._asked[ident] = future
        self.write(("ask", ident, "status"))
        return str(future.result(timeout=30))

    def answered(self, ident: int, value: object) -> None:
        future = self._asked.pop(ident, None)
        if future is not None:
            future.set_result(value)


def serve() -> int:
    """The child's main loop (``python -m bot.core_process``)."""
    # Its life is its parent's: a service manager's SIGTERM to the group, or Ctrl-C in a terminal, is
    # for the parent, which finishes its calls and then closes this process's input.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sink = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print lands in the log, never inside a frame
    child = _Child(sys.stdin.buffer, sink)
    settings = child.read()
    if not isinstance(settings, Settings):
        return 2
    from bot.operations.logs import configure

    configure(
        settings.log_level, settings.log_format, (settings.telegram_bot_token, settings.discord_bot_token)
    )
    from adapters.feeds.feed_http import FeedLimits, FeedReader
    from adapters.store.engine import make_engine
    from adapters.store.unit_of_work import SqlStore
    from bot.hub_work import CALLS, HubWork
    from core.commands.context import CoreConfig
    from core.service import Runlift

    clock = RelayClock()
    engine = make_engine(settings.database_url)
    store = SqlStore(engine)
    timeout, max_bytes = settings.calendar_limits()
    config = CoreConfig(
        default_tz=settings.runlift_tz,
        operators=settings.operators(),
        status_report=child.ask_status,
        calendar_reader=FeedReader(lambda: clock.now().date(), FeedLimits(timeout, max_bytes)),
    )
    work = HubWork(store, Runlift(store, config))
    # SQLite takes one writer at a time (as the parent's database thread); PostgreSQL runs a few.
    threads = ThreadPoolExecutor(
        max_workers=1 if engine.dialect.name == "sqlite" else 4, thread_name_prefix="runlift-core"
    )

    def run(ident: int, name: str, args: tuple[object, ...], now: datetime) -> None:
        clock.set(now)
        try:
            if name not in CALLS:
                raise CoreGone(f"no such hub call: {name}")
            child.write(("done", ident, getattr(work, name)(*args, now)))
        except Exception as error:
            log.exception("hub call %s failed in the core process", name)
            child.write(("error", ident, _portable(error)))

    from bot.operations.memory import settle_heap

    settle_heap()
    child.write(("ready",))
    try:
        while (message := child.read()) is not None:
            if message[0] == "call":
                _, ident, name, args, now = message
                threads.submit(run, ident, name, args, now)
            elif message[0] == "answer":
                child.answered(message[1], message[2])
    finally:
        threads.shutdown(wait=True)
        engine.dispose()
    return 0


def _portable(error: Exception) -> Exception:
    """The exception itself when it survives pickling, else one that names it."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return CoreGone(f"{type(error).__name__}: {error}")


if __name__ == "__main__":
    # Run as the importable module, so what crosses the pipe (CoreGone) unpickles in the parent.
    from bot.core_process import serve as serve_imported

    sys.exit(serve_imported())
