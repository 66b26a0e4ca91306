"""The one error value every command-argument parser returns instead of raising."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParseError:
    """One short line: what is wrong, the right form and an example."""

    message: str


def quoted(text: str, limit: int = 30) -> str:
    """User text echoed back in an error, cut to a chat-sized length."""
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 1]}…'"
