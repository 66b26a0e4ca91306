"""Merging two accounts that both imported or connected a calendar (see core/ledger/accounts.py for the
rules): no set counted twice, nothing raises, /import undo takes back the right import, and /me unlink
gives each account back exactly its own logbook, imports and calendar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from adapters.feeds.feed_http import FeedLimits, FeedReader
from core.calendar.link import CalendarLink
from core.imports.model import ImportRecord
from core.messages import Upload
from core.training.model import Entry
from tests.conftest import empty_store
from tests.export_files import strong_file
from tests.fakes import Conversation
from tests.memory_store import MemoryStore

MONDAY = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
START = date(2026, 10, 5)  # a Monday: the exports' first week
CALENDARS = Path(__file__).parent.parent / "fixtures" / "calendars"
LIFTS = 5  # lifts a workout of tests.export_files holds, each with its working sets


@pytest.fixture(params=["sql", "memory"])
def any_store(request: pytest.FixtureRequest, engine: Engine) -> Any:
    return empty_store(engine) if request.param == "sql" else MemoryStore()


@dataclass(frozen=True)
class Account:
    """What one account holds: its logbook, its last import, its imported keys and its calendar."""

    entries: tuple[Entry, ...]
    last_import: ImportRecord | None
    keys: frozenset[str]
    calendar: CalendarLink | None
    plan: object
    screens: tuple[str, ...]

    @property
    def sets(self) -> int:
        return sum(len(e.sets) for e in self.entries)


class Pair:
    """Ana on Telegram (the account that gives the code, kept) and Dana on Discord, one person."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.tg = Conversation(store, at=MONDAY, platform="telegram", calendar_reader=_reader())
        self.dc = Conversation(store, at=MONDAY, platform="discord", calendar_reader=_reader())
        self.tg.say("/start", user="ana")
        self.dc.say("/start", user="dana")

    def sides(self) -> tuple[tuple[Conversation, str], tuple[Conversation, str]]:
        return (self.tg, "ana"), (self.dc, "dana")

    def imported(self, side: int, data: bytes, name: str = "strong.csv") -> str:
        conv, user = self.sides()[side]
        preview = conv.say("/import", user=user, upload=Upload(name, data))
        if "Nothing new" in preview:
            return preview
        answer = conv.say("/import confirm", user=user)
        assert "Imported" in answer, answer
        return answer

    def calendar(self, side: int, fixture: str = "runna.ics") -> None:
        conv, user = self.sides()[side]
        upload = Upload(fixture, (CALENDARS / fixture).read_bytes())
        answer = conv.say("/setup calendar=upload", user=user, upload=upload)
        assert "Calendar connected" in answer, answer

    def logged(self, side: int, text: str) -> None:
        conv, user = self.sides()[side]
        assert "went wrong" not in conv.say(f"/log {text}", user=user)

    def merge(self) -> str:
        found = re.search(r"Your code: ([A-Z0-9]{6})", self.tg.say("/me link", user="ana"))
        assert found
        answer = self.dc.say(f"/me link {found.group(1)} confirm", user="dana")
        assert "Linked" in answer, answer
        return answer

    def split(self) -> None:
        assert "separate again" in self.tg.say("/me unlink", user="ana")

    def account(self, side: int, screens: bool = True) -> Account:
        platform, user = (("telegram", "ana"), ("discord", "dana"))[side]
        with self.store.unit() as uow:
            found = uow.runners.find(platform, user)
            assert found is not None
            runner = found[0]
            account = Account(
                tuple(uow.logbook.all_entries(runner.id)),
                uow.imports.last(runner.id),
                frozenset(uow.imports.keys(runner.id)),
                uow.calendars.get(runner.id),
                runner.profile.calendar,
                (),
            )
        if not screens:
            return account
        conv, name = self.sides()[side]
        shown = tuple(conv.say(c, user=name) for c in ("/history", "/streak", "/badges", "/progress squat"))
        return Account(
            *[getattr(account, f) for f in ("entries", "last_import", "keys", "calendar", "plan")], shown
        )


def _id(uow: Any, platform: str, user: str) -> int:
    found = uow.runners.find(platform, user)
    assert found is not None
    return int(found[0].id)


def _reader() -> FeedReader:
    return FeedReader(lambda: MONDAY.date(), FeedLimits(timeout=2.0))


def _same_calendar(a: CalendarLink | None, b: CalendarLink | None) -> bool:
    """The same feed of the same runner (when it is read next may differ: a link comes back read anew)."""
    return (a is None) == (b is None) and (a is None or (a.runner_id, a.source) == (b.runner_id, b.source))  # type: ignore[union-attr]


def assert_restored(before: Account, after: Account) -> None:
    assert after.entries == before.entries
    assert after.last_import == before.last_import
    assert after.keys == before.keys
    assert _same_calendar(after.calendar, before.calendar)
    assert after.plan == before.plan
    assert after.screens == before.screens


def sets_of(weeks: int, per_lift: int) -> int:
    """Working sets and warm-ups of ``weeks`` of two workouts (as tests.export_files writes them)."""
    return weeks * 2 * LIFTS * (per_lift + 1)


# (kept account's import: weeks, sets per lift), (the other's), sets the merged logbook holds
CASES = {
    "the same file on both": ((4, 3), (4, 3), sets_of(4, 3)),
    "overlapping exports": ((2, 3), (4, 3), sets_of(4, 3)),
    "a workout edited between exports": ((2, 2), (2, 3), sets_of(2, 3)),
    "only the other imported": (None, (3, 3), sets_of(3, 3)),
    "only the kept imported": ((3, 3), None, sets_of(3, 3)),
}


@pytest.mark.parametrize("case", list(CASES))
def test_merging_imports_counts_each_set_once_and_unlink_gives_both_back(any_store: Any, case: str) -> None:
    kept, other, merged_sets = CASES[case]
    pair = Pair(any_store)
    for side, spec in enumerate((kept, other)):
        if spec is not None:
            pair.imported(side, strong_file(START, *spec))
    pair.logged(0, "squat 3x5 @40kg")
    pair.logged(1, "pushups 10,10,8")
    before = pair.account(0), pair.account(1)

    pair.merge()
    one = pair.account(0, screens=False)
    assert one.sets == merged_sets + 3 + 3  # the hand-logged sets of both join too
    assert pair.tg.say("/history", user="ana") == pair.dc.say("/history", user="dana")
    assert len(one.keys) == merged_sets  # every imported set once
    if case == "the same file on both":  # nothing of the other's import joined: it stays theirs
        assert pair.account(1, screens=False).last_import == before[1].last_import
    if case == "only the other imported":  # the import came along with its sets
        assert one.last_import == before[1].last_import
    if case == "a workout edited between exports":  # each workout split: its new sets joined
        with any_store.unit() as uow:
            merge = uow.merges.of(_id(uow, "telegram", "ana"))
            assert merge is not None and len(merge.aside) == 4

    pair.split()
    assert_restored(before[0], pair.account(0))
    assert_restored(before[1], pair.account(1))


def test_import_undo_after_a_merge_takes_back_the_last_import_whole(any_store: Any) -> None:
    pair = Pair(any_store)
    pair.imported(0, strong_file(START, 2))
    pair.imported(1, strong_file(START, 4))  # weeks 1–2 again, and two more
    kept_alone = pair.account(0)
    pair.merge()
    assert pair.account(0, screens=False).sets == sets_of(4, 3)
    assert "Removed the import" in pair.dc.say("/import undo", user="dana")  # the other's, the later one
    assert pair.account(0, screens=False).sets == sets_of(2, 3)
    pair.split()
    assert_restored(kept_alone, pair.account(0))
    dana = pair.account(1, screens=False)
    assert dana.sets == 0 and dana.last_import is None and not dana.keys  # undone is undone


def test_a_merge_of_two_imports_of_one_file_then_undo_leaves_the_other_copy_for_unlink(
    any_store: Any,
) -> None:
    pair = Pair(any_store)
    data = strong_file(START, 3)
    pair.imported(0, data)
    pair.imported(1, data)
    other_alone = pair.account(1)
    pair.merge()
    assert "Removed the import" in pair.tg.say("/import undo", user="ana")
    assert pair.account(0, screens=False).sets == 0
    assert "no import to undo" in pair.tg.say("/import undo", user="ana")
    pair.split()
    assert_restored(other_alone, pair.account(1))
    assert pair.account(0, screens=False).sets == 0


def test_after_a_merge_a_new_import_adds_only_what_neither_account_had(any_store: Any) -> None:
    pair = Pair(any_store)
    pair.imported(0, strong_file(START, 1))
    pair.imported(1, strong_file(START, 2))
    pair.merge()
    assert "Imported" in pair.imported(0, strong_file(START, 3))
    assert pair.account(0, screens=False).sets == sets_of(3, 3)
    assert "Nothing new" in pair.imported(1, strong_file(START, 3))


# (kept account's calendar, the other's) → the kept runner's feed while merged
CALENDAR_CASES = {
    "only the other has one": (None, "runna.ics", "file:runna.ics"),
    "both have one": ("trainingpeaks.ics", "runna.ics", "file:trainingpeaks.ics"),
    "only the kept has one": ("trainingpeaks.ics", None, "file:trainingpeaks.ics"),
    "neither": (None, None, None),
}


@pytest.mark.parametrize("case", list(CALENDAR_CASES))
def test_the_kept_feed_stays_the_other_feed_fills_in_and_unlink_gives_it_back(
    any_store: Any, case: str
) -> None:
    kept, other, merged = CALENDAR_CASES[case]
    pair = Pair(any_store)
    for side, fixture in enumerate((kept, other)):
        if fixture is not None:
            pair.calendar(side, fixture)
    before = pair.account(0), pair.account(1)
    pair.merge()
    one = pair.account(0, screens=False)
    assert (one.calendar.source if one.calendar else None) == merged
    assert (one.plan is not None) == (merged is not None)
    if merged:
        assert "From your calendar" in pair.dc.say("/plan", user="dana")
    pair.split()
    assert_restored(before[0], pair.account(0))
    assert_restored(before[1], pair.account(1))


def test_a_feed_changed_while_merged_stays_with_the_kept_account(any_store: Any) -> None:
    pair = Pair(any_store)
    pair.calendar(1, "runna.ics")
    pair.merge()
    pair.calendar(0, "trainingpeaks.ics")  # the runner switched feeds while linked
    pair.split()
    assert pair.account(0, screens=False).calendar.source == "file:trainingpeaks.ics"  # type: ignore[union-attr]
    assert pair.account(1, screens=False).calendar.source == "file:runna.ics"  # type: ignore[union-attr]


imports = st.none() | st.tuples(st.integers(1, 3), st.integers(1, 3))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.sampled_from(["sql", "memory"]),
    imports,
    imports,
    st.integers(0, 3),
    st.integers(0, 3),
    st.booleans(),
    st.booleans(),
)
def test_merge_then_unlink_gives_back_both_logbooks_and_never_raises(
    engine: Engine,
    kind: str,
    kept: tuple[int, int] | None,
    other: tuple[int, int] | None,
    kept_logs: int,
    other_logs: int,
    kept_feed: bool,
    other_feed: bool,
) -> None:
    pair = Pair(empty_store(engine) if kind == "sql" else MemoryStore())
    for side, spec, logs, feed in ((0, kept, kept_logs, kept_feed), (1, other, other_logs, other_feed)):
        if spec is not None:
            pair.imported(side, strong_file(START, *spec))
        for n in range(logs):
            pair.tg.at(MONDAY + timedelta(hours=n))
            pair.dc.at(MONDAY + timedelta(hours=n))
            pair.logged(side, f"goblet squat 3x{8 + n} @16kg")
        if feed:
            pair.calendar(side, ("trainingpeaks.ics", "runna.ics")[side])
    before = pair.account(0), pair.account(1)
    pair.merge()
    one = pair.account(0, screens=False)
    assert one.keys == before[0].keys | before[1].keys
    assert one.sets == len(one.keys) + 3 * (kept_logs + other_logs)  # imported once each, every hand log
    pair.split()
    assert_restored(before[0], pair.account(0))
    assert_restored(before[1], pair.account(1))


def test_the_preview_says_what_counts_once_and_which_feed_comes_along(any_store: Any) -> None:
    pair = Pair(any_store)
    pair.imported(0, strong_file(START, 1))
    pair.imported(1, strong_file(START, 2))
    pair.calendar(1, "runna.ics")
    found = re.search(r"Your code: ([A-Z0-9]{6})", pair.tg.say("/me link", user="ana"))
    assert found
    preview = pair.dc.say(f"/me link {found.group(1)}", user="dana")
    assert f"{sets_of(1, 3)} imported sets are in both logbooks" in preview
    assert "The calendar feed of your Discord account comes along" in preview
