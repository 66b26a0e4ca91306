"""The fake platform server for a test module: each module names its class as ``FAKE``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest


@pytest.fixture
async def fake(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    server = request.module.FAKE()
    await server.start()
    yield server
    await server.stop()
