"""Logging an operator can use: text or one JSON object per line, ids pseudonymised, secrets never written.

Every record passes one filter on its way out, whatever its logger or level: the bot
tokens (plain and URL-encoded) and calendar feed URLs are replaced before formatting.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO
from urllib.parse import quote

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}
HIDDEN = "<hidden>"

# A calendar feed URL is a secret of its owner: `calendar=URL` in a command, a Discord option
# {"name": "calendar", "value": URL} in a payload, or any webcal:// address.
CALENDAR_PATTERNS = (
    re.compile(r"(?i)(calendar\s*=\s*)(?!off\b)[^\s'\",;}\]]+"),
    re.compile(r"(?i)(['\"]name['\"]\s*:\s*['\"]calendar['\"]\s*,\s*['\"]value['\"]\s*:\s*)(['\"])[^'\"]*\2"),
    re.compile(r"(?i)()webcals?://[^\s'\",;}\]]+"),
)

_key = b"runlift"


def pseudonym(value: str) -> str:
    """A short keyed hash of a chat or user id: the same id gives the same text, the id is not shown."""
    return hmac.new(_key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:12]


class Redactor(logging.Filter):
    """Replaces secrets in the message, its arguments, the traceback and the stack of a record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        found: set[str] = set()
        for secret in secrets:
            if len(secret) >= 6:
                found |= {secret, quote(secret, safe=""), secret.replace(":", "%3A")}
                found |= {part for part in secret.split(":") if len(part) >= 16}  # the secret half
        self.secrets = sorted(found, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, "<token>")
        for pattern in CALENDAR_PATTERNS:
            text = pattern.sub(lambda m: m.group(1) + HIDDEN if m.group(1) else HIDDEN, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        clean = self.redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class _Redacting(logging.Formatter):
    """The line as written, whatever went into it (a traceback too), passes the redactor last."""

    def __init__(self, inner: logging.Formatter, redactor: Redactor) -> None:
        super().__init__()
        self.inner, self.redactor = inner, redactor

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor.redact(self.inner.format(record))


def formatter(kind: str, redactor: Redactor | None = None) -> logging.Formatter:
    """``json``: one object per line with time, level, logger, message and any extra fields."""
    inner: logging.Formatter
    if kind.strip().lower() == "json":
        from pythonjsonlogger.json import JsonFormatter  # imported only when asked for

        class Json(JsonFormatter):
            def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
                return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")

        inner = Json(JSON_FIELDS, rename_fields=RENAMED, json_ensure_ascii=False)
    else:
        inner = logging.Formatter(TEXT_FORMAT)
    return _Redacting(inner, redactor or Redactor())


def configure(
    level: str = "INFO", kind: str = "text", secrets: Iterable[str] = (), stream: TextIO | None = None
) -> logging.Handler:
    """One handler on the root logger, writing to ``stream`` (standard error) through the redactor."""
    global _key
    secrets = [s for s in secrets if s]
    _key = hashlib.sha256(("runlift-logs\n" + "\n".join(sorted(secrets))).encode()).digest()
    handler = logging.StreamHandler(stream or sys.stderr)
    redactor = Redactor(secrets)
    handler.addFilter(redactor)
    handler.setFormatter(formatter(kind, redactor))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.strip().upper(), logging.INFO))
    return handler
