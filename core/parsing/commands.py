"""The command word of a message: ``/log@bot squat 3x8`` → ``("log", "squat 3x8")``, and the nearest known one."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches


def split_command(text: str) -> tuple[str, str] | None:
    """The command name (lower case, ``@botname`` dropped) and its arguments; ``None`` for plain chat."""
    text = text.strip()
    if not text.startswith("/"):
        return None
    head, _, rest = text[1:].partition(" ")
    if "\n" in head:
        head, _, more = head.partition("\n")
        rest = more + (" " + rest if rest else "")
    name = head.split("@", 1)[0].lower()
    return name, rest.strip()


def nearest_command(name: str, known: Iterable[str]) -> str | None:
    """The known command a typo most likely meant (``strek`` → ``streak``), if one is close enough."""
    if not name or len(name) > 40:
        return None
    names = list(known)
    close = get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return close[0]
    prefixed = [n for n in names if n.startswith(name)] if len(name) >= 2 else []
    return prefixed[0] if len(prefixed) == 1 else None
