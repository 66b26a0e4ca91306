"""Bursts of parallel commands, as a busy platform delivers them: every one answered, none doubled, no
false PR — on SQLite and on PostgreSQL (where the bot runs several database threads)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from adapters.store.unit_of_work import SqlStore
from core.messages import Incoming
from core.service import Runlift
from core.texts import APOLOGY

AT = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
THREADS = 8


def message(user: str, text: str, chat: str | None, k: int) -> Incoming:
    return Incoming(
        "test",
        user,
        user.capitalize(),
        chat or user,
        chat is not None,
        text,
        AT + timedelta(milliseconds=k),
        event_id=f"test:burst:{user}:{chat}:{k}",
    )


def burst(core: Runlift, messages: list[Incoming]) -> list[str]:
    with ThreadPoolExecutor(THREADS) as pool:
        return ["\n".join(r.full_text() for r in replies) for replies in pool.map(core.handle, messages)]


def test_new_members_writing_at_once_are_each_answered_and_created_once(store: SqlStore) -> None:
    core = Runlift(store)
    commands = ["/join", "/log squat 3x5 @40kg", "/streak", "/today", "/log rdl 3x8 @30kg"]
    messages = [message(f"new{u}", text, "club", i) for u in range(20) for i, text in enumerate(commands)]
    answers = burst(core, messages)
    assert all(a and APOLOGY not in a for a in answers), [a for a in answers if APOLOGY in a or not a]
    with store.unit() as uow:
        assert len(uow.runners.ids()) == 20
        group = uow.groups.find("test", "club")
        assert group is not None and len(uow.groups.members(group.id)) == 20


def test_one_runner_logging_in_twenty_chats_at_once_gets_unique_set_numbers_and_true_prs(
    store: SqlStore,
) -> None:
    core = Runlift(store)
    core.handle(message("ana", "/log squat 1x5 @40kg", None, 0))
    weights = [40 + (i % 7) * 2.5 for i in range(20)]
    messages = [message("ana", f"/log squat 1x5 @{w}kg", f"chat{i}", i + 1) for i, w in enumerate(weights)]
    answers = burst(core, messages)
    assert all(a.startswith("Logged") for a in answers), answers
    with store.unit() as uow:
        found = uow.runners.find("test", "ana")
        assert found is not None
        sets = uow.logbook.sets_on(found[0].id, AT.date())
        assert sorted(s.set_no for s in sets) == list(range(1, 22))
        prs = [b.weight_kg for b in uow.ledger.bests(found[0].id) if b.is_pr]
    # Every announced PR beat everything logged before it, in the order the logs were kept.
    announced = sorted(float(a.split("New PR: Squat ")[1].split(" kg")[0]) for a in answers if "New PR" in a)
    assert announced == sorted(prs)
    assert len(announced) == len(set(announced)) and max(announced) == max(weights)
