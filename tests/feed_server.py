"""A local calendar server on 127.0.0.1 for the feed tests: serves what a test puts on a path, with
the ETag / Last-Modified / 304 rules a real server keeps, and records every request it got."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "calendars"


@dataclass
class Route:
    """What a path answers: a body with its type; ``status`` other than 200 answers only that;
    ``delay`` seconds before answering (a feed that never answers); ``chunked`` sends no length."""

    body: bytes = b""
    content_type: str = "text/calendar; charset=utf-8"
    status: int = 200
    delay: float = 0.0
    chunked: bool = False
    last_modified: str = "Tue, 01 Dec 2026 06:00:00 GMT"

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Seen:
    path: str
    if_none_match: str | None
    if_modified_since: str | None
    status: int


@dataclass
class FeedServer:
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve_fixture(self, path: str, name: str) -> str:
        self.routes[path] = Route((FIXTURES / name).read_bytes())
        return self.url(path)


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            route = server.routes.get(self.path.split("?")[0])
            inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if route is None:
                status = 404
            elif route.status != 200:
                status = route.status
            elif inm is not None:
                status = 304 if inm == route.etag else 200  # If-None-Match wins over the date (RFC 9110)
            elif ims is not None and ims == route.last_modified:
                status = 304
            else:
                status = 200
            server.seen.append(Seen(self.path, inm, ims, status))
            if route is not None and route.delay:
                time.sleep(route.delay)
            if status != 200:
                self.send_response(status)
                if route is not None and status == 304:
                    self.send_header("ETag", route.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            assert route is not None
            self.send_response(200)
            self.send_header("Content-Type", route.content_type)
            self.send_header("ETag", route.etag)
            self.send_header("Last-Modified", route.last_modified)
            if route.chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    for i in range(0, len(route.body), 65536):
                        part = route.body[i : i + 65536]
                        self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the reader stopped at its size limit
                return
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(route.body)

    return Handler


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    state = FeedServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
