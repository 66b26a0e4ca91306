"""Text that can be stored: control characters stripped, unreadable characters refused, lengths bounded."""

from __future__ import annotations

import unicodedata

from core.parsing.errors import ParseError

MAX_ID = 64
MAX_NAME = 200
UNREADABLE = "Some characters in that message can't be read — send it again as plain text, e.g. /today"
_KEEP = frozenset("\n\t")


def _surrogate(c: str) -> bool:
    return 0xD800 <= ord(c) <= 0xDFFF


def _control(c: str) -> bool:
    return c not in _KEEP and unicodedata.category(c) == "Cc"


def clean_text(text: str) -> str | ParseError:
    """A message's text with control characters (NUL and the like) removed; a refusal when it holds
    bytes that were never text (invalid UTF-8 arrives as lone surrogates)."""
    if any(_surrogate(c) for c in text):
        return ParseError(UNREADABLE)
    return "".join(c for c in text if not _control(c))


def clean_name(name: str, fallback: str, limit: int = MAX_NAME) -> str:
    """A display name to store: unreadable and control characters dropped, at most ``limit`` long."""
    kept = " ".join("".join(c for c in name if not _surrogate(c) and not _control(c)).split())
    return (kept or fallback)[:limit]


def clean_id(value: str) -> str | None:
    """A platform id as stored (1–64 printable characters), or ``None`` when it can't be one."""
    if not 1 <= len(value) <= MAX_ID or any(_surrogate(c) or _control(c) or c.isspace() for c in value):
        return None
    return value
