"""Unit tests run the core against the dict-backed store: no database, milliseconds each."""

from __future__ import annotations

import pytest

from tests.memory_store import MemoryStore


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()
