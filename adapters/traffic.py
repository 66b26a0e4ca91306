"""What crosses the wire with each platform, as events: updates received, rate limits, retries.

The adapters report; whoever listens (the metrics) counts. Reporting never fails a send.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import aiohttp

log = logging.getLogger(__name__)

Event = Literal["update", "rate_limited", "retry"]
Listener = Callable[[str, Event], None]

_listeners: list[Listener] = []


def listen(listener: Listener) -> Callable[[], None]:
    """Call ``listener(platform, event)`` for every event from now on; returns how to stop."""
    _listeners.append(listener)

    def stop() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return stop


def report(platform: str, event: Event) -> None:
    for listener in list(_listeners):
        try:
            listener(platform, event)
        except Exception:  # counting must never break a delivery
            log.exception("a traffic listener failed")


# Status codes discord.py answers by waiting and trying the same request again.
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504, 524})


def http_trace(platform: str) -> aiohttp.TraceConfig:
    """An aiohttp trace that reports 429s and the responses the client library retries."""
    import aiohttp

    trace = aiohttp.TraceConfig()

    async def on_request_end(_session: Any, _context: Any, params: aiohttp.TraceRequestEndParams) -> None:
        status = params.response.status
        if status == 429:
            report(platform, "rate_limited")
        if status in RETRIED_STATUSES:
            report(platform, "retry")

    trace.on_request_end.append(on_request_end)
    return trace
