"""One runner on two platforms: /me link, the merged streak, nudges where chosen, /me unlink within 7 days."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from core.messages import Outgoing
from core.nudges.passes import run_nudge_pass
from tests.conftest import empty_store
from tests.fakes import Conversation
from tests.memory_store import MemoryStore

MONDAY = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
STREAK = re.compile(r"Streak: (\d+) week")


@pytest.fixture(params=["sql", "memory"])
def any_store(request: pytest.FixtureRequest, engine: Engine) -> Any:
    return empty_store(engine) if request.param == "sql" else MemoryStore()


class Runner2:
    """Ana on Telegram and Dana (the same person) on Discord, over one store."""

    def __init__(self, store: Any) -> None:
        self.tg = Conversation(store, at=MONDAY, platform="telegram")
        self.dc = Conversation(store, at=MONDAY, platform="discord")

    def at(self, when: datetime) -> Runner2:
        self.tg.at(when)
        self.dc.at(when)
        return self

    def streaks(self) -> tuple[int, int]:
        found = [STREAK.search(c.say("/streak", user=u)) for c, u in ((self.tg, "ana"), (self.dc, "dana"))]
        assert found[0] and found[1]
        return int(found[0].group(1)), int(found[1].group(1))

    def code(self) -> str:
        found = re.search(r"Your code: ([A-Z0-9]{6})", self.tg.say("/me link", user="ana"))
        assert found
        return found.group(1)


@pytest.fixture
def both(any_store: Any) -> Runner2:
    """Week one logged on Telegram, week two on Discord: a streak of 1 on each."""
    r = Runner2(any_store)
    for day in (0, 1):
        r.at(MONDAY + timedelta(days=day)).tg.say("/done", user="ana")
    for day in (7, 8):
        r.at(MONDAY + timedelta(days=day)).dc.say("/done", user="dana")
    return r


def merged(both: Runner2) -> Runner2:
    code = both.code()
    preview = both.dc.say(f"/me link {code}", user="dana")
    assert "Kept: Telegram (Ana): 2 log entries, streak 1 wk" in preview
    assert "Joined in: Discord (Dana): 2 log entries" in preview
    assert both.dc.last[0].buttons[0][0].command == f"/me link {code} confirm"
    assert both.streaks() == (1, 1)  # nothing changed before the confirmation
    assert "streak 2 wk" in both.dc.say(f"/me link {code} confirm", user="dana")
    return both


def test_merging_two_accounts_makes_one_runner_with_one_streak(both: Runner2) -> None:
    merged(both)
    assert both.streaks() == (2, 2)
    both.tg.say("/log squat 3x5 @40kg", user="ana")
    history = both.dc.say("/history", user="dana")
    assert "squat" in history.lower() and history == both.tg.say("/history", user="ana")
    assert "Telegram + Discord" in both.dc.say("/me", user="dana")


def test_unlink_within_7_days_gives_each_account_its_own_logbook_back(both: Runner2) -> None:
    merged(both)
    both.tg.say("/log squat 3x5 @40kg", user="ana")
    assert "separate again" in both.tg.say("/me unlink", user="ana")
    assert both.streaks() == (1, 1)
    assert "squat" in both.tg.say("/history", user="ana").lower()
    assert "squat" not in both.dc.say("/history", user="dana").lower()
    assert "aren't linked" in both.dc.say("/me unlink", user="dana")


def test_after_7_days_the_link_is_kept_for_good(both: Runner2) -> None:
    merged(both)
    both.at(MONDAY + timedelta(days=15, hours=1))
    assert "kept for good" in both.dc.say("/me unlink", user="dana")
    assert both.streaks()[0] == both.streaks()[1]


def test_nudges_go_where_the_runner_wrote_last_or_chose(both: Runner2, any_store: Any) -> None:
    merged(both)  # the confirmation came from Discord
    both.at(MONDAY + timedelta(days=9, hours=-18))  # Wednesday, midnight UTC
    assert "Saved" in both.tg.say("/setup runs=wed:speed remind=18:00 tz=UTC", user="ana")
    assert "Discord" in both.tg.say("/remind via=discord", user="ana")
    sent: list[Outgoing] = []
    run_nudge_pass(any_store, MONDAY + timedelta(days=9), sent.append)
    nudges = [o for o in sent if o.kind != "recap"]
    assert [(o.address.platform, o.address.chat_id) for o in nudges] == [("discord", "dana")]
    assert "Telegram" in both.dc.say("/remind via=telegram", user="dana")
    assert "via=telegram or via=discord" in both.dc.say("/remind via=signal", user="dana")


@pytest.mark.parametrize("why", ["unknown", "own", "same platform", "expired", "used", "in a group"])
def test_a_bad_code_gets_one_short_answer_and_merges_nothing(both: Runner2, why: str) -> None:
    code = both.code()
    conv, user, chat = both.dc, "dana", None
    if why == "unknown":
        code = "ZZZZZZ"
    if why == "own":
        conv, user = both.tg, "ana"
    if why == "same platform":
        conv, user = both.tg, "ben"
    if why == "expired":
        both.at(both.tg.clock.now() + timedelta(minutes=10))
    if why == "used":
        assert "Linked" in both.dc.say(f"/me link {code} confirm", user="dana")
        conv, user = both.dc, "eve"
    if why == "in a group":
        chat = "club"
    answer = conv.say(f"/me link {code} confirm", user=user, chat=chat)
    assert "Linked" not in answer and len(answer) < 200
    if why != "used":
        assert both.streaks() == (1, 1)


def test_me_without_a_link_explains_and_nonsense_gets_the_usage(both: Runner2) -> None:
    assert "One account so far" in both.tg.say("/me", user="ana")
    assert "e.g. /me link" in both.tg.say("/me merge now please", user="ana")
    assert "/me link joins them first" in both.tg.say("/remind via=discord", user="ana")
