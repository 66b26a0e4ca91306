"""The nudge pass on a real store: delivery, exactly-once records, failures, pauses, recaps."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from adapters.store.tables import nudge_schedule, runners
from adapters.store.unit_of_work import SqlStore
from core.messages import ChatAddress, DeliveryError, Outgoing, RecipientUnreachable
from core.nudges.outbox import OutboxEntry
from core.nudges.passes import RunReport, refresh_next_nudge, run_nudge_pass
from core.nudges.schedule import NudgeClaim, NudgeRules
from tests.fakes import Conversation

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TUESDAY_SIX_BERLIN = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


class Inbox:
    """A deliver callback that records, or fails the way a platform would."""

    def __init__(self, unreachable: set[str] | None = None, failures: int = 0) -> None:
        self.sent: list[Outgoing] = []
        self.attempts = 0
        self.unreachable = unreachable or set()
        self.failures = failures
        self.lock = threading.Lock()

    def __call__(self, outgoing: Outgoing) -> None:
        with self.lock:
            self.attempts += 1
            if outgoing.address.chat_id in self.unreachable:
                raise RecipientUnreachable("bot was blocked by the user")
            if self.failures:
                self.failures -= 1
                raise DeliveryError("timed out")
            self.sent.append(outgoing)

    def texts(self, kind: str | None = None) -> list[str]:
        return [o.reply.full_text() for o in self.sent if kind is None or o.kind == kind]


def run(store: SqlStore, at: datetime, inbox: Inbox, **kwargs: object) -> RunReport:
    return run_nudge_pass(store, at, inbox, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def chat(store: SqlStore) -> Conversation:
    chat = Conversation(store, at=MONDAY)
    chat.say("/setup tz=Europe/Berlin runs=tue:speed,thu:easy,sun:long")
    return chat


def test_the_lift_day_nudge_reaches_the_runners_dm_once(store: SqlStore, chat: Conversation) -> None:
    inbox = Inbox()
    assert run(store, TUESDAY_SIX_BERLIN - timedelta(minutes=1), inbox).sent == 0
    report = run(store, TUESDAY_SIX_BERLIN, inbox)
    assert (report.queued, report.sent) == (1, 1)
    [nudge] = inbox.sent
    assert (nudge.address.platform, nudge.address.chat_id, nudge.address.is_group) == ("test", "ana", False)
    assert nudge.reply.text.startswith("Speed day: lift after your run — 5 moves, ~")
    assert run(store, TUESDAY_SIX_BERLIN, inbox).sent == 0
    assert run(store, TUESDAY_SIX_BERLIN + timedelta(minutes=1), inbox).sent == 0
    assert len(inbox.sent) == 1


def test_a_pass_only_looks_at_runners_whose_moment_has_come(store: SqlStore, chat: Conversation) -> None:
    for user in ("ben", "cy"):
        chat.say("/setup tz=America/Los_Angeles", user=user)
    report = run(store, TUESDAY_SIX_BERLIN, Inbox())
    assert report.candidates == 1
    with store.unit() as uow:
        assert uow.nudges.due(TUESDAY_SIX_BERLIN + timedelta(minutes=1), None, 10) == []


def test_the_playlist_rides_along(store: SqlStore, chat: Conversation) -> None:
    chat.say("/playlist https://example.com/lifting-mix")
    inbox = Inbox()
    run(store, TUESDAY_SIX_BERLIN, inbox)
    assert inbox.texts()[0].endswith("\nYour playlist: https://example.com/lifting-mix")


def test_no_nudge_when_the_session_is_already_done(store: SqlStore, chat: Conversation) -> None:
    chat.at(TUESDAY_SIX_BERLIN - timedelta(hours=6)).say("/done")
    inbox = Inbox()
    run(store, TUESDAY_SIX_BERLIN, inbox)
    assert inbox.sent == []


def test_pause_silences_nudges_until_it_ends(store: SqlStore, chat: Conversation) -> None:
    chat.say("/pause 1")
    inbox = Inbox()
    for day in range(7):
        run(store, TUESDAY_SIX_BERLIN + timedelta(days=day), inbox)
    assert inbox.sent == []
    run(store, TUESDAY_SIX_BERLIN + timedelta(days=7), inbox)
    assert [o.kind for o in inbox.sent] == ["lift"]


def test_remind_off_silences_and_a_new_time_is_followed(store: SqlStore, chat: Conversation) -> None:
    chat.say("/remind off")
    inbox = Inbox()
    run(store, TUESDAY_SIX_BERLIN, inbox)
    assert inbox.sent == []
    chat.say("/remind 07:30")
    run(store, datetime(2026, 12, 6, 6, 30, tzinfo=UTC), inbox)  # Sunday 07:30 Berlin
    assert [o.reply.text.split(" —")[0] for o in inbox.sent] == ["Long-run day: lift after your run"]


def test_an_unreachable_runner_is_marked_and_skipped_until_they_write(
    store: SqlStore, chat: Conversation
) -> None:
    inbox = Inbox(unreachable={"ana"})
    report = run(store, TUESDAY_SIX_BERLIN, inbox)
    assert (report.unreachable, report.sent, inbox.sent) == (1, 0, [])
    with store.unit() as uow:
        row = uow.conn.execute(
            select(runners.c.unreachable, nudge_schedule.c.next_at).join(
                nudge_schedule, nudge_schedule.c.runner_id == runners.c.id
            )
        ).one()
    assert row == (True, None)
    sunday = datetime(2026, 12, 6, 17, 0, tzinfo=UTC)
    run(store, sunday, inbox)
    assert inbox.attempts == 1
    inbox.unreachable.clear()
    chat.at(sunday - timedelta(hours=3)).say("/today")
    run(store, sunday, inbox)
    assert [o.kind for o in inbox.sent] == ["lift"]


def test_a_transient_failure_is_retried_within_the_window(store: SqlStore, chat: Conversation) -> None:
    inbox = Inbox(failures=1)
    first = run(store, TUESDAY_SIX_BERLIN, inbox)
    assert (first.retried, first.sent) == (1, 0)
    assert run(store, TUESDAY_SIX_BERLIN + timedelta(minutes=1), inbox).candidates == 0
    run(store, TUESDAY_SIX_BERLIN + timedelta(minutes=5), inbox)
    assert len(inbox.sent) == 1
    run(store, TUESDAY_SIX_BERLIN + timedelta(minutes=10), inbox)
    assert len(inbox.sent) == 1


def test_a_nudge_failing_for_two_hours_is_dropped(store: SqlStore, chat: Conversation) -> None:
    inbox = Inbox(failures=10_000)
    for minutes in range(0, 150, 5):
        run(store, TUESDAY_SIX_BERLIN + timedelta(minutes=minutes), inbox)
    assert inbox.attempts == 24  # every five minutes while less than two hours late
    inbox.failures = 0
    run(store, TUESDAY_SIX_BERLIN + timedelta(minutes=155), inbox)
    assert inbox.sent == []


@pytest.mark.parametrize(("late", "delivered"), [(timedelta(minutes=119), 1), (timedelta(minutes=120), 0)])
def test_after_downtime_a_missed_nudge_is_sent_only_if_under_two_hours_late(
    store: SqlStore, chat: Conversation, late: timedelta, delivered: int
) -> None:
    inbox = Inbox()
    run(store, TUESDAY_SIX_BERLIN + late, inbox)
    for minutes in range(1, 60):
        run(store, TUESDAY_SIX_BERLIN + late + timedelta(minutes=minutes), inbox)
    assert len(inbox.sent) == delivered


def test_at_most_two_nudges_a_day(store: SqlStore, chat: Conversation) -> None:
    with store.unit() as uow:
        [(_, runner)] = uow.nudges.due(TUESDAY_SIX_BERLIN, None, 10)
        earlier = [
            OutboxEntry(
                NudgeClaim(f"runner:{runner.id}", kind, date(2026, 12, 1)),
                ChatAddress("test", "ana", False),
                "",
                kind,
                runner.id,
                MONDAY,
                MONDAY,
            )
            for kind in ("badge", "reward")
        ]
        assert uow.outbox.enqueue(earlier) == 2
        uow.commit()
    inbox = Inbox()
    run(store, TUESDAY_SIX_BERLIN, inbox)
    assert inbox.sent == []


def test_the_streak_nudge_comes_saturday_evening_when_one_session_is_missing(
    store: SqlStore, chat: Conversation
) -> None:
    chat.at(TUESDAY_SIX_BERLIN + timedelta(hours=1)).say("/done")
    inbox = Inbox()
    saturday = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
    run(store, saturday - timedelta(minutes=1), inbox)
    run(store, saturday, inbox)
    assert [o.kind for o in inbox.sent] == ["streak"]
    assert "one more session makes 2 this week" in inbox.texts()[0]


WORLD = {
    "Pacific/Kiritimati": datetime(2026, 12, 1, 4, 0, tzinfo=UTC),
    "Asia/Kathmandu": datetime(2026, 12, 1, 12, 15, tzinfo=UTC),
    "Europe/Berlin": datetime(2026, 12, 1, 17, 0, tzinfo=UTC),
    "America/St_Johns": datetime(2026, 12, 1, 21, 30, tzinfo=UTC),
    "Pacific/Pago_Pago": datetime(2026, 12, 2, 5, 0, tzinfo=UTC),
}


def test_every_runner_is_nudged_at_six_in_their_own_zone(store: SqlStore) -> None:
    chat = Conversation(store, at=MONDAY)
    for i, tz in enumerate(WORLD):
        chat.say(f"/setup tz={tz}", user=f"r{i}")
    inbox = Inbox()
    when: dict[str, datetime] = {}
    at = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    while at < datetime(2026, 12, 2, 12, 0, tzinfo=UTC):
        before = len(inbox.sent)
        run(store, at, inbox)
        for outgoing in inbox.sent[before:]:
            when[outgoing.address.chat_id] = at
        at += timedelta(minutes=15)
    assert when == {f"r{i}": instant for i, instant in enumerate(WORLD.values())}
    assert len(inbox.sent) == len(WORLD)


def test_on_the_spring_forward_sunday_six_pm_is_an_hour_earlier_in_utc(store: SqlStore) -> None:
    chat = Conversation(store, at=datetime(2026, 3, 27, 9, 0, tzinfo=UTC))
    chat.say("/setup tz=Europe/Berlin")
    inbox = Inbox()
    for hour in range(12, 22):
        run(store, datetime(2026, 3, 29, hour, 0, tzinfo=UTC), inbox)
    assert [(o.kind, o.meta["local_date"]) for o in inbox.sent] == [("lift", "2026-03-29")]
    with store.unit() as uow:
        assert uow.conn.execute(select(nudge_schedule.c.next_at)).scalar_one() is not None
    inbox.sent.clear()
    chat.at(datetime(2026, 10, 23, 9, 0, tzinfo=UTC)).say("/today")
    run(store, datetime(2026, 10, 25, 16, 59, tzinfo=UTC), inbox)
    assert inbox.sent == []
    run(store, datetime(2026, 10, 25, 17, 0, tzinfo=UTC), inbox)  # 18:00 CET, back on winter time
    assert [o.kind for o in inbox.sent] == ["lift"]


def _set_remind(store: SqlStore, user: str, remind: time, now: datetime) -> None:
    """A reminder inside quiet hours, as an older version might have stored it."""
    with store.unit() as uow:
        found = uow.runners.find("test", user)
        assert found is not None
        runner = found[0]
        runner.profile = replace(runner.profile, remind=remind)
        uow.runners.save(runner)
        refresh_next_nudge(uow, runner.id, now)
        uow.commit()


def test_through_the_repeated_hour_a_pass_every_minute_sends_once(store: SqlStore) -> None:
    start = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)
    Conversation(store, at=start).say("/setup tz=America/New_York")
    _set_remind(store, "ana", time(1, 30), start)
    inbox = Inbox()
    relaxed = NudgeRules(quiet_start=None)
    at = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
    while at < datetime(2026, 11, 1, 9, 0, tzinfo=UTC):
        run(store, at, inbox, rules=relaxed)
        at += timedelta(minutes=1)
    assert [(o.kind, o.meta["local_date"]) for o in inbox.sent] == [("lift", "2026-11-01")]
    assert inbox.attempts == 1


def test_quiet_hours_hold_a_night_time_reminder(store: SqlStore) -> None:
    start = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
    Conversation(store, at=start).say("/setup tz=Europe/Berlin")
    _set_remind(store, "ana", time(2, 30), start)
    inbox = Inbox()
    at = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    while at < datetime(2026, 3, 29, 4, 0, tzinfo=UTC):
        run(store, at, inbox)
        at += timedelta(minutes=5)
    assert inbox.sent == []


def test_the_group_recap_is_posted_sunday_at_seven_in_the_groups_zone(store: SqlStore) -> None:
    chat = Conversation(store, at=MONDAY)
    chat.say("/setup tz=Europe/Berlin")
    chat.say("/join", chat="crew")
    chat.say("/join", user="ben", chat="crew")
    inbox = Inbox()
    seven = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)
    run(store, seven - timedelta(minutes=1), inbox)
    assert inbox.texts("recap") == []
    run(store, seven, inbox)
    run(store, seven + timedelta(minutes=1), inbox)
    run(store, seven + timedelta(hours=1), inbox)
    [recap] = [o for o in inbox.sent if o.kind == "recap"]
    assert (recap.address.chat_id, recap.address.is_group) == ("crew", True)
    assert recap.reply.title.startswith("Week of Mon 30 Nov")


def test_a_recap_missed_by_more_than_two_hours_is_dropped(store: SqlStore) -> None:
    chat = Conversation(store, at=MONDAY)
    chat.say("/setup tz=Europe/Berlin")
    chat.say("/join", chat="crew")
    inbox = Inbox()
    run(store, datetime(2026, 12, 6, 20, 0, tzinfo=UTC), inbox)
    assert inbox.texts("recap") == []


def test_a_dry_run_delivers_but_records_nothing(store: SqlStore, chat: Conversation) -> None:
    inbox = Inbox()
    run(store, TUESDAY_SIX_BERLIN, inbox, dry_run=True)
    run(store, TUESDAY_SIX_BERLIN, inbox, dry_run=True)
    assert len(inbox.sent) == 2
    run(store, TUESDAY_SIX_BERLIN, inbox)
    run(store, TUESDAY_SIX_BERLIN, inbox)
    assert len(inbox.sent) == 3


def test_the_hourly_pass_forgets_handled_events_older_than_three_days(store: SqlStore) -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    with store.unit() as uow:
        assert uow.events.claim("tg:update:1", now - timedelta(days=4))
        assert uow.events.claim("tg:update:2", now - timedelta(hours=20))
        uow.commit()
    run_nudge_pass(store, now, lambda _outgoing: None)
    with store.unit() as uow:
        assert uow.events.claim("tg:update:1", now)  # forgotten: a new event by that id would count
        assert not uow.events.claim("tg:update:2", now)  # still remembered: a redelivery is ignored
