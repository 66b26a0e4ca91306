"""Reading an export as a stream: decode, find the dialect and header, then yield sets and skipped rows.

Nothing is held but the current row (and the set counts of the last few workouts), so
memory does not grow with the file; the same bytes read again give the same sets.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

from core.imports.header import Header, recognise
from core.imports.model import FORMS, MAX_BYTES, BadFile, Skip, SourceSet
from core.imports.rows import ROW_READERS, Row

_SAMPLE = 64 * 1024
_DELIMITERS = ",;\t"
_RECENT_WORKOUTS = 256
csv.field_size_limit(1024 * 1024)


@dataclass(frozen=True)
class Export:
    """A readable export: its header and the bytes to stream sets from (as often as needed)."""

    header: Header
    data: bytes
    encoding: str
    dialect: type[csv.Dialect] | csv.Dialect

    @property
    def format(self) -> str:
        return self.header.format

    def rows(self) -> Iterator[SourceSet | Skip]:
        """Every data row once, in file order: a set, or the reason it was left out."""
        text = io.TextIOWrapper(io.BytesIO(self.data), encoding=self.encoding, errors="replace", newline="")
        reader = csv.reader(text, self.dialect)
        next(reader, None)
        read = ROW_READERS[self.header.format]
        counts: OrderedDict[str, dict[str, int]] = OrderedDict()
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                yield Skip(reader.line_num, "unreadable")
                continue
            if not any(c.strip() for c in cells):
                continue
            found = read(Row(reader.line_num, cells), self.header)
            if isinstance(found, Skip):
                yield found
                continue
            workout = counts.get(found.workout)
            if workout is None:
                workout = counts[found.workout] = {}
                if len(counts) > _RECENT_WORKOUTS:
                    counts.popitem(last=False)
            name = found.exercise.casefold()
            workout[name] = workout.get(name, 0) + 1
            yield found.numbered(workout[name])


def _encoding(sample: bytes) -> str:
    """UTF-16 with its BOM (a spreadsheet's "Unicode text"), UTF-8 (with or without a BOM) when the
    start decodes as it, else Windows-1252."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > max(4, len(sample) // 100)


def _dialects(sample: str) -> list[type[csv.Dialect] | csv.Dialect]:
    """The sniffed dialect first, then each common delimiter with the excel quoting rules."""
    found: list[type[csv.Dialect] | csv.Dialect] = []
    with contextlib.suppress(csv.Error):
        found.append(csv.Sniffer().sniff(sample, delimiters=_DELIMITERS))
    for delimiter in _DELIMITERS:

        class Guess(csv.excel):
            pass

        Guess.delimiter = delimiter
        found.append(Guess)
    return found


def open_export(data: bytes) -> Export | BadFile:
    """The export in ``data``, or the one answer why it cannot be read."""
    if len(data) > MAX_BYTES:
        return BadFile(
            f"That file is over {MAX_BYTES // (1024 * 1024)} MB — export a shorter range and send it."
        )
    sample_bytes = data[:_SAMPLE]
    if not sample_bytes.strip():
        return BadFile(f"That file is empty. I read CSV exports from {FORMS}.")
    encoding = _encoding(sample_bytes)
    if encoding != "utf-16" and _looks_binary(sample_bytes):
        return BadFile(f"That isn't a CSV file (it looks binary — a zip or a spreadsheet?). I read {FORMS}.")
    sample = sample_bytes[: len(sample_bytes) - len(sample_bytes) % 2].decode(encoding, errors="replace")
    head = sample.splitlines()[0] if sample.splitlines() else ""
    for dialect in _dialects(sample):
        try:
            cells = next(csv.reader(io.StringIO(head), dialect), [])
        except csv.Error:
            continue
        header = recognise(cells)
        if header is not None:
            return Export(header, data, encoding, dialect)
    if not any(d in head for d in _DELIMITERS):
        return BadFile(f"That isn't a CSV export I know. I read {FORMS}.")
    return BadFile(f"I don't know that header ({head[:60].strip()}…). I read {FORMS}.")
