"""The fake platform server for a test module: each module names its class as ``FAKE``.

After each test the fake must have refused nothing a real server would refuse (a test
that provokes a refusal on purpose clears what it expected).
"""

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
    assert getattr(server, "refused", []) == [], f"a real server would have refused: {server.refused}"
    flood = getattr(server, "flood", None)
    assert flood is None or flood.refused <= flood.allowed, (
        f"{flood.refused} sends went over the flood limits"
    )
