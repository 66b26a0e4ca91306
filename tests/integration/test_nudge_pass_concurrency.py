"""Exactly once: two passes at the same minute, on two connections to one database, never send twice."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

from adapters.store.unit_of_work import SqlStore
from core.messages import Outgoing
from core.nudges.passes import refresh_next_nudge, run_nudge_pass
from core.training.model import Runner
from core.training.profile import Profile
from tests.fakes import Conversation

CREATED = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
WEDNESDAY = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
ZONES = ("Europe/Berlin", "Asia/Kathmandu", "America/St_Johns", "Pacific/Kiritimati", "UTC")
RUNNERS = 150


def seed(store: SqlStore) -> None:
    with store.unit() as uow:
        for i in range(RUNNERS):
            tz = ZONES[i % len(ZONES)]
            runner = uow.runners.add(
                Runner(
                    0, "test", f"r{i}", f"R{i}", Profile(tz=tz), created_at=CREATED, created_on=CREATED.date()
                )
            )
            refresh_next_nudge(uow, runner.id, CREATED)
            if i < 12:
                group = uow.groups.find("test", f"crew{i % 3}") or uow.groups.add(
                    "test", f"crew{i % 3}", f"Crew {i % 3}", tz, CREATED
                )
                uow.groups.add_member(group.id, runner.id, CREATED.date(), CREATED)
        uow.commit()
    # One session done midweek: Saturday's check has one to go, and Sunday (a planned lift) to do it.
    # With none done it would need Saturday and Sunday back to back, which the rules never suggest.
    chat = Conversation(store, at=WEDNESDAY)
    for i in range(RUNNERS):
        chat.say("/done", user=f"r{i}")


def race(store: SqlStore, at: datetime) -> list[Outgoing]:
    """Two passes released together, each on its own connection and transactions, each
    deciding and then draining the outbox with its own delivery."""
    start = threading.Barrier(2)
    delivered: list[list[Outgoing]] = [[], []]
    errors: list[BaseException] = []

    def one_pass(sent: list[Outgoing]) -> None:
        try:
            start.wait()
            run_nudge_pass(store, at, sent.append, chunk=7, batch=5)
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=one_pass, args=(sent,)) for sent in delivered]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return delivered[0] + delivered[1]


def test_two_concurrent_passes_deliver_each_nudge_exactly_once(store: SqlStore) -> None:
    seed(store)
    delivered: list[Outgoing] = []
    # Tuesday and Sunday are lift days, Saturday brings the streak check, Sunday evening the recaps.
    at = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    while at < datetime(2026, 12, 7, 12, 0, tzinfo=UTC):
        delivered += race(store, at)
        at += timedelta(minutes=15)
    keys = Counter((o.address.chat_id, o.kind, o.meta.get("local_date", "")) for o in delivered)
    recaps = [o for o in delivered if o.kind == "recap"]
    assert [key for key, n in keys.items() if n > 1] == []
    assert sum(1 for o in delivered if o.kind == "lift") == 2 * RUNNERS
    assert sum(1 for o in delivered if o.kind == "streak") == RUNNERS
    assert sorted(o.address.chat_id for o in recaps) == ["crew0", "crew1", "crew2"]
