"""Group challenges over linked chats: started by an admin, progress in both chats, the end told once in each."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from core.ledger.restore import restore
from core.messages import Outgoing
from core.nudges.passes import run_nudge_pass
from core.parsing.challenge import ChallengeSpec, parse_challenge
from core.parsing.errors import ParseError
from tests.conftest import empty_store
from tests.integration.test_linked_chats import DC, TG, Club, linked
from tests.ledger_check import check_caches

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


def _end(store: Any, sent: list[Outgoing] | None = None) -> list[Outgoing]:
    """The passes of the morning after the last day (Sun 13 Dec): the end told, badges given."""
    out: list[Outgoing] = [] if sent is None else sent
    for minutes in (0, 1):
        run_nudge_pass(store, datetime(2026, 12, 14, 8, minutes, tzinfo=UTC), out.append)
    return [o for o in out if o.kind == "challenge"]


def _log(club: Club, plan: tuple[tuple[int, str], ...]) -> None:
    for day, who in plan:
        conv, chat = (club.tg, TG) if who in ("ana", "ben") else (club.dc, DC)
        club.at(MONDAY + timedelta(days=day))
        conv.say("/done", user=who, chat=chat)


def _rebuilt(store: Any, now: datetime) -> None:
    """Every runner's caches made again from the record, as an upgrade does."""
    with store.unit() as uow:
        for runner_id in uow.runners.ids():
            found = uow.runners.get(runner_id)
            assert found is not None
            restore(uow, found[0], now)
        uow.commit()


def test_a_met_goal_gives_every_contributor_the_challenge_badge_that_a_rebuild_keeps(
    club: Club, any_store: Any
) -> None:
    club.tg.say(START.replace("goal=6", "goal=3"), user="ana", chat=TG, admin=True)
    _log(club, ((0, "ana"), (1, "ben"), (2, "cy")))
    streaks = {who: conv.say("/streak", user=who) for who, conv in (("ana", club.tg), ("cy", club.dc))}
    ends = _end(any_store)
    assert len(ends) == 2
    assert "🏅 Badge “Winter block” for Ana, Ben, Cy" in ends[0].reply.text
    assert ends[0].reply.text == ends[1].reply.text
    after = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)
    club.at(after)
    for who, conv in (("ana", club.tg), ("ben", club.tg), ("cy", club.dc)):
        mine = conv.say("/badges", user=who)
        assert mine.count("🏅 Winter block — ") == 1, mine
        assert "“Winter block” challenge" in mine
    assert "Winter block" not in club.dc.say("/badges", user="dee")  # no session, no badge
    # A challenge never changes a streak: the weeks read as before the end.
    assert club.tg.say("/streak", user="ana").split("\n")[0] == streaks["ana"].split("\n")[0]
    assert club.dc.say("/streak", user="cy").split("\n")[0] == streaks["cy"].split("\n")[0]
    before = club.tg.say("/badges", user="ana")
    _rebuilt(any_store, after)
    _rebuilt(any_store, after)  # twice: nothing is lost, nothing doubles
    assert club.tg.say("/badges", user="ana") == before
    check_caches(any_store, after)
    assert _end(any_store) == []  # told once; a later pass gives nothing again


def test_a_missed_goal_gives_no_badge(club: Club, any_store: Any) -> None:
    club.tg.say(START, user="ana", chat=TG, admin=True)
    _log(club, ((0, "ana"), (1, "cy")))
    [end, _] = _end(any_store)
    assert "wasn't reached" in end.reply.text and "🏅" not in end.reply.text
    club.at(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    assert "Winter block" not in club.tg.say("/badges", user="ana")


def test_with_a_goal_for_each_member_the_badge_goes_to_those_who_reached_their_own(
    club: Club, any_store: Any
) -> None:
    club.tg.say('/challenge start "Pairs" until 2026-12-13 each=2', user="ana", chat=TG, admin=True)
    _log(club, ((0, "ana"), (1, "ana"), (2, "ben"), (3, "cy"), (4, "cy")))
    [end, _] = _end(any_store)
    assert "2 of 4 members reached their 2" in end.reply.text
    assert "🏅 Badge “Pairs” for Ana, Cy —" in end.reply.text
    club.at(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    assert "🏅 Pairs — " in club.tg.say("/badges", user="ana")
    assert "Pairs" not in club.tg.say(
        "/badges", user="ben"
    )  # one session of two: no badge, no cost to others


def test_a_hidden_earner_gets_the_badge_and_is_counted_not_named(club: Club, any_store: Any) -> None:
    club.tg.say(START.replace("goal=6", "goal=2"), user="ana", chat=TG, admin=True)
    _log(club, ((0, "ana"), (1, "cy")))
    club.dc.say("/hide", user="cy")
    [end, _] = _end(any_store)
    assert "🏅 Badge “Winter block” for Ana and 1 more" in end.reply.text and "Cy" not in end.reply.text
    club.at(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    assert "🏅 Winter block — " in club.dc.say("/badges", user="cy")


def test_an_admin_stops_a_challenge_early_told_once_in_each_chat_and_no_badge(
    club: Club, any_store: Any
) -> None:
    assert "No challenge running here — nothing to stop." in club.tg.say(
        "/challenge stop", user="ana", chat=TG, admin=True
    )
    club.tg.say(START.replace("goal=6", "goal=2"), user="ana", chat=TG, admin=True)
    _log(club, ((0, "ana"), (1, "cy")))  # the goal is met already: a stop still gives no badge
    club.at(MONDAY + timedelta(days=2))
    assert "Only a group admin can stop a challenge" in club.dc.say(
        "/challenge stop", user="dee", chat=DC, admin=False
    )
    answer = club.dc.say("/challenge STOP", user="cy", chat=DC, admin=True)
    assert "“Winter block” was stopped early by an admin. No badge for a stopped challenge" in answer
    assert "No challenge running" in club.tg.say("/challenge", user="ben", chat=TG)
    sent: list[Outgoing] = []
    run_nudge_pass(any_store, MONDAY + timedelta(days=2, minutes=1), sent.append)
    told = [o for o in sent if o.kind == "challenge"]
    assert [(o.address.platform, o.address.chat_id) for o in told] == [("telegram", TG)]  # the other chat
    assert "stopped early" in told[0].reply.text
    assert "“Spring” is on" in club.tg.say(
        START.replace("Winter block", "Spring"), user="ana", chat=TG, admin=True
    )  # a new one may start at once
    club.tg.say("/challenge stop", user="ana", chat=TG, admin=True)
    run_nudge_pass(any_store, MONDAY + timedelta(days=2, minutes=2), sent.append)
    told = [o for o in sent if o.kind == "challenge"][1:]
    assert [(o.address.chat_id, "🛑 “Spring” was stopped early" in o.reply.text) for o in told] == [
        (DC, True)
    ]
    assert _end(any_store) == []  # their last day passes without a second word
    club.at(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    assert "Winter block" not in club.tg.say("/badges", user="ana")


def test_a_badge_outlives_its_group_when_the_chat_links_into_another(club: Club, any_store: Any) -> None:
    """The badge is the runner's record: the group it came from may go (a chat linking elsewhere)."""
    club.tg.say("/group unlink", user="ana", chat=TG, admin=True)
    club.dc.say(START.replace("goal=6", "goal=1"), user="cy", chat=DC, admin=True)
    _log(club, ((0, "cy"),))
    _end(any_store)
    club.at(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    answer = club.tg.say("/group link", user="ana", chat=TG, admin=True)
    code = answer.split("Link code: ")[1][:6]
    assert "Linked" in club.dc.say(f"/group link {code}", user="cy", chat=DC, admin=True)
    _rebuilt(any_store, datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    assert "🏅 Winter block — " in club.dc.say("/badges", user="cy")
