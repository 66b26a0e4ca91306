"""Group challenges over linked chats: started by an admin, progress in both chats, the end told once in each."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from core.messages import Outgoing
from core.nudges.passes import run_nudge_pass
from core.parsing.challenge import ChallengeSpec, parse_challenge
from core.parsing.errors import ParseError
from tests.conftest import empty_store
from tests.integration.test_linked_chats import DC, TG, Club, linked

MONDAY = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
START = '/challenge start "Winter block" until 2026-12-13 goal=6'


@pytest.fixture(params=["sql", "memory"])
def any_store(request: pytest.FixtureRequest, engine: Engine) -> Any:
    from tests.memory_store import MemoryStore

    return empty_store(engine) if request.param == "sql" else MemoryStore()


@pytest.fixture
def club(any_store: Any) -> Club:
    c = Club(any_store)
    for user in ("ana", "ben"):
        c.tg.say("/join", user=user, chat=TG)
    for user in ("cy", "dee"):
        c.dc.say("/join", user=user, chat=DC)
    return linked(c)


def test_a_challenge_counts_sessions_from_both_chats_and_shows_them_in_each(club: Club) -> None:
    assert "Only a group admin" in club.dc.say(START, user="dee", chat=DC, admin=False)
    streak_before = club.tg.say("/streak", user="ana")
    assert "“Winter block” is on, until Sun 13 Dec: 6 sessions together" in club.tg.say(
        START, user="ana", chat=TG, admin=True
    )
    assert club.tg.say("/streak", user="ana") == streak_before  # a challenge never touches a streak
    for day, who, conv, chat in ((0, "ana", club.tg, TG), (0, "cy", club.dc, DC), (1, "ana", club.tg, TG)):
        club.at(MONDAY + timedelta(days=day))
        conv.say("/done", user=who, chat=chat)
    club.dc.say("/hide", user="cy")
    view_tg, view_dc = (
        club.tg.say("/challenge", user="ben", chat=TG),
        club.dc.say("/challenge", user="dee", chat=DC),
    )
    assert view_tg == view_dc
    [image] = club.tg.last[0].attachments
    assert image.kind == "image" and image.data.startswith(b"\x89PNG")
    assert "▓▓▓▓▓░░░░░ 3/6 sessions (50%)" in view_tg and "13 days left" in view_tg
    assert "• Ana — 2" in view_tg and "Cy" not in view_tg  # hidden: counted, not named
    assert "one challenge at a time" in club.tg.say(START, user="ana", chat=TG, admin=True)


def test_a_member_who_joins_mid_challenge_counts_from_their_join(club: Club) -> None:
    club.tg.say(START, user="ana", chat=TG, admin=True)
    club.at(MONDAY + timedelta(days=1)).dc.say("/done", user="eve")  # before joining: not counted
    club.at(MONDAY + timedelta(days=2)).dc.say("/join", user="eve", chat=DC)
    club.at(MONDAY + timedelta(days=3)).dc.say("/done", user="eve", chat=DC)
    assert "• Eve — 1" in club.dc.say("/challenge", user="eve", chat=DC)


def test_the_end_is_told_once_in_every_linked_chat(club: Club, any_store: Any) -> None:
    club.tg.say(START.replace("goal=6", "goal=3"), user="ana", chat=TG, admin=True)
    for day, who, conv, chat in ((0, "ana", club.tg, TG), (1, "ben", club.tg, TG), (2, "cy", club.dc, DC)):
        club.at(MONDAY + timedelta(days=day))
        conv.say("/done", user=who, chat=chat)
    sent: list[Outgoing] = []
    run_nudge_pass(any_store, datetime(2026, 12, 13, 22, 0, tzinfo=UTC), sent.append)  # the last day still
    assert [o for o in sent if o.kind == "challenge"] == []
    for minutes in (0, 1, 60):
        run_nudge_pass(any_store, datetime(2026, 12, 14, 8, minutes % 60, tzinfo=UTC), sent.append)
    ends = [o for o in sent if o.kind == "challenge"]
    assert sorted((o.address.platform, o.address.chat_id) for o in ends) == [
        ("discord", DC),
        ("telegram", TG),
    ]
    assert "goal met" in ends[0].reply.text and "Ana, Ben, Cy" in ends[0].reply.text
    assert "No challenge running" in club.tg.say("/challenge", user="ana", chat=TG)


TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'start "Winter block" until 2027-02-28 goal=120',
            ChallengeSpec("Winter block", date(2027, 2, 28), 120, None),
        ),
        ("start “Spring” until 2027-01-10 each=8", ChallengeSpec("Spring", date(2027, 1, 10), None, 8)),
        ('START "Both" until 2027-01-10 goal=50 each=4', ChallengeSpec("Both", date(2027, 1, 10), 50, 4)),
        ('start "No goal" until 2027-02-28', "goal=N"),
        ('start "Past" until 2026-11-30 goal=5', "after today"),
        ('start "Far" until 2028-01-01 goal=5', "within a year"),
        ('start "Bad" until 2027-02-30 goal=5', "isn't a date"),
        ('start "Zero" until 2027-02-28 goal=0', "whole number"),
        ('start "Twice" until 2027-02-28 goal=5 goal=6', "once"),
        ("start Winter until 2027-02-28 goal=5", "e.g. /challenge start"),
        ("", "e.g. /challenge start"),
    ],
)
def test_the_challenge_form_is_read_once(text: str, expected: ChallengeSpec | str) -> None:
    found = parse_challenge(text, TODAY)
    if isinstance(expected, str):
        assert isinstance(found, ParseError) and expected in found.message and "e.g." in found.message
    else:
        assert found == expected
