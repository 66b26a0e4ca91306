"""Files runners send with a command (``/import``): fetched by each adapter, bounded, failures said once."""

from __future__ import annotations

import re
from pathlib import Path

from core.imports.model import MAX_BYTES
from core.messages import Upload

TOO_BIG = f"That file is over {MAX_BYTES // (1024 * 1024)} MB — export a shorter range and send it again."
FAILED = "I couldn't download that file (the platform didn't hand it over in time) — send it again."
DOWNLOAD_TIMEOUT = 30.0
_WORDS = frozenset({"confirm", "yes", "import", "cancel", "undo"})
_IMPORT = re.compile(r"/import(?:@\w+)?\s+(?P<rest>.+)", re.IGNORECASE | re.DOTALL)


def path_argument(text: str) -> str | None:
    """The path in a console ``/import PATH`` (not one of the command's words)."""
    match = _IMPORT.fullmatch(text.strip())
    if match is None:
        return None
    rest = match["rest"].strip().strip('"').strip("'")
    if rest.lower() in _WORDS or rest.lower().replace(" ", "").startswith("unit="):
        return None
    return rest


def read_path(path: str) -> Upload:
    """A local file as an upload (the console): bounded like a download."""
    file = Path(path).expanduser()
    name = file.name or "file"
    try:
        if file.stat().st_size > MAX_BYTES:
            return Upload(name, error=TOO_BIG)
        with file.open("rb") as handle:
            return Upload(name, handle.read(MAX_BYTES + 1))
    except FileNotFoundError:
        return Upload(
            name, error=f"There's no file at {path} — give the path of your export, e.g. /import ~/strong.csv"
        )
    except (IsADirectoryError, PermissionError, OSError):
        return Upload(
            name, error=f"I can't read {path} — give the path of a CSV export, e.g. /import ~/strong.csv"
        )
