"""Reading a runner's calendar feed: a conditional GET (ETag / Last-Modified) with a short timeout
and a size limit, or a local ``.ics`` file; blocking, so callers run it off the event loop.

The URL is a secret: nothing here logs it, and no problem text names it.
"""

from __future__ import annotations

import logging
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from adapters.feeds.ics_reader import parse_ics
from core.calendar.plan import window
from core.calendar.reading import FeedRead, failed

log = logging.getLogger(__name__)

USER_AGENT = "Runlift calendar reader (+https://github.com/runlift)"


@dataclass(frozen=True)
class FeedLimits:
    """``timeout`` seconds for the whole answer; at most ``max_bytes`` of it."""

    timeout: float = 10.0
    max_bytes: int = 5_000_000


def _too_big(limits: FeedLimits) -> str:
    return f"the calendar is larger than {limits.max_bytes // 1_000_000} MB"


class _NoRedirectSecrets(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) (never to file: or ftp:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if not newurl.lower().startswith(("http://", "https://")):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class FeedReader:
    """The core's :class:`~core.ports.CalendarReader` over HTTP and local files.

    ``today`` gives the date the read's window is around (the application's clock).
    """

    def __init__(self, today: Callable[[], date], limits: FeedLimits | None = None) -> None:
        self.today = today
        self.limits = limits or FeedLimits()
        self.opener = urllib.request.build_opener(_NoRedirectSecrets())

    def read(self, url: str, etag: str = "", last_modified: str = "") -> FeedRead:
        if not url.lower().startswith(("http://", "https://")):
            return failed("a calendar feed is an https:// or webcal:// address")
        headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = urllib.request.Request(url, headers=headers)
        try:
            with self.opener.open(request, timeout=self.limits.timeout) as response:
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.limits.max_bytes:
                    return failed(_too_big(self.limits))
                body = response.read(self.limits.max_bytes + 1)
                new_etag = response.headers.get("ETag", "") or ""
                new_modified = response.headers.get("Last-Modified", "") or ""
        except urllib.error.HTTPError as error:
            if error.code == 304:
                return FeedRead("unchanged", etag=etag, last_modified=last_modified)
            log.info("calendar feed answered HTTP %s", error.code)
            return failed(f"the calendar server answered {error.code}")
        except TimeoutError:
            return failed(f"the calendar server did not answer within {self.limits.timeout:g} s")
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError | socket.timeout):
                return failed(f"the calendar server did not answer within {self.limits.timeout:g} s")
            log.info("calendar feed unreachable: %s", type(reason).__name__)
            return failed("the calendar server could not be reached")
        if len(body) > self.limits.max_bytes:
            return failed(_too_big(self.limits))
        return replace(self._parse(body), etag=new_etag, last_modified=new_modified)

    def read_file(self, path: str) -> FeedRead:
        file = Path(path).expanduser()
        try:
            if file.stat().st_size > self.limits.max_bytes:
                return failed(_too_big(self.limits))
            body = file.read_bytes()
        except OSError:
            return failed("no readable file at that path")
        return self._parse(body)

    def read_bytes(self, body: bytes) -> FeedRead:
        if len(body) > self.limits.max_bytes:
            return failed(_too_big(self.limits))
        return self._parse(body)

    def _parse(self, body: bytes) -> FeedRead:
        first, stop = window(self.today())
        return parse_ics(body, first, stop)
