"""Linked chats: a Telegram group and a Discord channel as one buddy group, on the SQL store and the fake."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from core.ledger import membership
from core.messages import Outgoing
from core.nudges.passes import run_nudge_pass
from tests.conftest import empty_store
from tests.fakes import Conversation
from tests.memory_store import MemoryStore

MONDAY = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
SUNDAY_SEVEN = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)
TG, DC = "-100777", "900100"


@pytest.fixture(params=["sql", "memory"])
def any_store(request: pytest.FixtureRequest, engine: Engine) -> Any:
    return empty_store(engine) if request.param == "sql" else MemoryStore()


class Club:
    """The same store seen from Telegram and from Discord, at one instant."""

    def __init__(self, store: Any) -> None:
        self.tg = Conversation(store, at=MONDAY, platform="telegram")
        self.dc = Conversation(store, at=MONDAY, platform="discord")

    def at(self, when: datetime) -> Club:
        self.tg.at(when)
        self.dc.at(when)
        return self

    def code(self, admin: bool = True) -> str:
        answer = self.tg.say("/group link", user="ana", chat=TG, admin=admin)
        found = re.search(r"Link code: ([A-Z0-9]{6})", answer)
        assert found, answer
        return found.group(1)


@pytest.fixture
def club(any_store: Any) -> Club:
    c = Club(any_store)
    for user in ("ana", "ben"):
        c.tg.say("/join", user=user, chat=TG)
    for user in ("cy", "dee"):
        c.dc.say("/join", user=user, chat=DC)
    return c


def linked(club: Club) -> Club:
    answer = club.dc.say(f"/group link {club.code()}", user="cy", chat=DC, admin=True)
    assert "Linked" in answer and "4 members" in answer and "2 members came along" in answer
    return club


def test_a_code_links_a_discord_channel_into_a_telegram_group_with_one_member_list(club: Club) -> None:
    linked(club)
    for view in (club.tg.say("/group", user="ben", chat=TG), club.dc.say("/group", user="dee", chat=DC)):
        assert all(name in view for name in ("Ana", "Ben", "Cy", "Dee"))
        assert "0/4 have hit this week" in view
    board_tg = club.tg.say("/leaderboard", user="ana", chat=TG)
    assert board_tg == club.dc.say("/leaderboard", user="cy", chat=DC)


def test_a_log_in_either_chat_posts_there_with_the_shared_tally(club: Club) -> None:
    linked(club)
    club.tg.say("/done", user="ana", chat=TG)
    club.dc.say("/done", user="cy", chat=DC)
    club.at(MONDAY + timedelta(days=1))
    assert "Ana: 2/2 this week ✓ · Group: 1/4 have hit this week." in club.tg.say(
        "/done", user="ana", chat=TG
    )
    assert "Cy: 2/2 this week ✓ · Group: 2/4 have hit this week." in club.dc.say("/done", user="cy", chat=DC)
    assert "2/4 have hit this week" in club.tg.say("/group", user="ben", chat=TG)


def test_the_recap_is_posted_in_every_linked_chat_once(club: Club, any_store: Any) -> None:
    linked(club)
    for day in (0, 1):
        club.at(MONDAY + timedelta(days=day))
        for conv, user, chat in ((club.tg, "ana", TG), (club.dc, "cy", DC)):
            conv.say("/done", user=user, chat=chat)
    sent: list[Outgoing] = []
    for minutes in (0, 1, 30):
        run_nudge_pass(any_store, SUNDAY_SEVEN + timedelta(minutes=minutes), sent.append)
    recaps = [o for o in sent if o.kind == "recap"]
    assert sorted((o.address.platform, o.address.chat_id) for o in recaps) == [
        ("discord", DC),
        ("telegram", TG),
    ]
    assert recaps[0].reply == recaps[1].reply
    assert (
        "2/4 hit target." in recaps[0].reply.text and "On target: Ana (2/2), Cy (2/2)" in recaps[0].reply.text
    )


@pytest.mark.parametrize(
    ("code", "why"),
    [("ZZZZZZ", "unknown"), ("", "used"), ("", "expired"), ("", "not an admin")],
)
def test_a_bad_code_or_a_non_admin_gets_one_short_answer_and_nothing_links(
    club: Club, code: str, why: str
) -> None:
    good = club.code()
    admin = True
    if why == "used":
        assert "Linked" in club.dc.say(f"/group link {good}", user="cy", chat=DC, admin=True)
        club.dc.say("/join", user="eve", chat="elsewhere")
        conv, user, chat = club.dc, "eve", "elsewhere"
    else:
        conv, user, chat = club.dc, "cy", DC
    if why == "expired":
        club.at(MONDAY + timedelta(minutes=10, seconds=1))
    if why == "not an admin":
        admin = False
    answer = conv.say(f"/group link {code or good}", user=user, chat=chat, admin=admin)
    assert len(answer) < 200 and "Linked" not in answer
    assert ("Only a group admin" in answer) if why == "not an admin" else ("doesn't work" in answer)
    if why != "used":
        assert "Ana" not in club.dc.say("/group", user="cy", chat=DC)


def test_a_non_admin_gets_no_code(club: Club) -> None:
    assert "Only a group admin" in club.tg.say("/group link", user="ben", chat=TG, admin=False)


def test_a_code_sent_by_a_non_admin_is_still_good_for_an_admin(club: Club) -> None:
    code = club.code()
    assert "Only a group admin" in club.dc.say(f"/group link {code}", user="dee", chat=DC, admin=False)
    assert "Linked" in club.dc.say(f"/group link {code.lower()}", user="cy", chat=DC, admin=True)


def test_unlink_splits_the_chat_off_with_its_own_members(club: Club) -> None:
    linked(club)
    assert "Only a group admin" in club.dc.say("/group unlink", user="dee", chat=DC, admin=False)
    answer = club.dc.say("/group unlink", user="cy", chat=DC, admin=True)
    assert "group of its own again, with the 2 members" in answer
    dc_view, tg_view = club.dc.say("/group", user="cy", chat=DC), club.tg.say("/group", user="ana", chat=TG)
    assert "Cy" in dc_view and "Dee" in dc_view and "Ana" not in dc_view
    assert "Ana" in tg_view and "Cy" not in tg_view
    assert "isn't linked" in club.dc.say("/group unlink", user="cy", chat=DC, admin=True)


def test_the_groups_own_chat_can_split_off_and_the_linked_chat_keeps_the_group(club: Club) -> None:
    linked(club)
    club.tg.say("/reward pizza night", user="ana", chat=TG, admin=True)
    assert "group of its own again, with the 2 members" in club.tg.say(
        "/group unlink", user="ana", chat=TG, admin=True
    )
    dc_view, tg_view = club.dc.say("/group", user="cy", chat=DC), club.tg.say("/group", user="ana", chat=TG)
    assert "No group reward yet" not in dc_view and "• Ana" not in dc_view and "• Dee" in dc_view
    assert (
        "• Ana" in tg_view
        and "• Ben" in tg_view
        and "• Cy" not in tg_view
        and "No group reward yet" in tg_view
    )
    # and they link again, the other way round
    code = re.search(r"Link code: (\w+)", club.dc.say("/group link", user="cy", chat=DC, admin=True))
    assert code and "4 members" in club.tg.say(
        f"/group link {code.group(1)}", user="ana", chat=TG, admin=True
    )


def test_a_joiner_in_a_linked_chat_counts_once_and_leaves_with_that_chat(club: Club) -> None:
    linked(club)
    assert "5 in the group" in club.dc.say("/join", user="eve", chat=DC)
    assert "already in" in club.dc.say("/join", user="eve", chat=DC)
    club.dc.say("/group unlink", user="cy", chat=DC, admin=True)
    assert "Eve" not in club.tg.say("/group", user="ana", chat=TG)


def test_link_and_unlink_answer_plainly_outside_a_group(club: Club) -> None:
    assert "group chat" in club.tg.say("/group link", user="ana")
    assert "No buddy group here" in club.tg.say("/group link", user="ana", chat="empty", admin=True)
    assert "No buddy group here" in club.tg.say("/group unlink", user="ana", chat="empty", admin=True)
    assert "e.g. /group link" in club.tg.say("/group link A B", user="ana", chat=TG, admin=True)
    assert "in that group already" in club.tg.say(
        f"/group link {club.code()}", user="ana", chat=TG, admin=True
    )


def test_the_bot_removed_from_a_linked_chat_takes_only_that_chat_and_its_members(
    club: Club, any_store: Any
) -> None:
    linked(club)
    with any_store.unit() as uow:
        assert membership.chat_closed(uow, "discord", DC, MONDAY)
        uow.commit()
    view = club.tg.say("/group", user="ana", chat=TG)
    assert "• Ana" in view and "• Cy" not in view and "0/2 have hit" in view
    assert "No buddy group here" in club.dc.say("/group", user="cy", chat=DC)


def test_a_linked_chat_that_gets_a_new_id_stays_linked(club: Club, any_store: Any) -> None:
    linked(club)
    with any_store.unit() as uow:
        assert membership.chat_moved(uow, "discord", DC, "900200")
        uow.commit()
    assert "0/4 have hit" in club.dc.say("/group", user="cy", chat="900200")


def test_the_chats_that_stay_are_told_once_which_chat_left_and_how_many_remain(
    club: Club, any_store: Any
) -> None:
    linked(club)
    club.tg.say("/join", user="eve", chat="-100888")
    assert "5 members" in club.tg.say(f"/group link {club.code()}", user="eve", chat="-100888", admin=True)
    answer = club.dc.say("/group unlink", user="cy", chat=DC, admin=True)
    assert "group of its own again, with the 2 members" in answer  # the leaving chat: its own answer
    sent: list[Outgoing] = []
    for minutes in (1, 2):  # a second pass tells no one again
        run_nudge_pass(any_store, MONDAY + timedelta(minutes=minutes), sent.append)
    told = sorted(
        (o.address.platform, o.address.chat_id, o.reply.text) for o in sent if o.kind == "chat_left"
    )
    line = "↔️ 900100 (Discord) left this group; it has 3 members now."
    assert told == [("telegram", "-100777", line), ("telegram", "-100888", line)]
    # Unlinked again later the same day: that split is told too (each split once).
    club.dc.say(f"/group link {club.code()}", user="cy", chat=DC, admin=True)
    club.tg.say("/group unlink", user="eve", chat="-100888", admin=True)
    run_nudge_pass(any_store, MONDAY + timedelta(minutes=3), sent.append)
    again = sorted((o.address.chat_id, o.reply.text) for o in sent if o.kind == "chat_left")
    line = "↔️ -100888 (Telegram) left this group; it has 4 members now."
    assert [a for a in again if "-100888 (Telegram)" in a[1]] == [("-100777", line), (DC, line)]
