"""/import: a preview first, nothing written until confirmed, nothing written twice, undo takes it back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.messages import Upload
from tests.fakes import Conversation, MemoryStore
from tests.memory_store import snapshot

FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "imports"


def upload(name: str) -> Upload:
    return Upload(name, (FIXTURES / name).read_bytes())


@pytest.fixture
def chat() -> Conversation:
    c = Conversation(MemoryStore(), at=datetime(2026, 10, 20, 19, 0, tzinfo=UTC))
    c.say("/start")
    return c


def test_preview_writes_nothing_and_says_what_it_found(chat: Conversation) -> None:
    before = snapshot(chat.core.store).entries
    text = chat.say("/import", upload=upload("strong_current.csv"))
    assert "Strong export · 2026-10-06 → 2026-10-13" in text
    assert "3 workouts, 13 sets" in text
    assert "Squat (Barbell) → Barbell back squat" in text
    assert "Deadlift (Barbell) (a deadlift)" in text
    assert "1 rest timer;" in text and "2 cardio rows" in text
    assert "weights read as kg" in text
    assert [b.command for row in chat.last[0].buttons for b in row] == [
        "/import confirm",
        "/import cancel",
        "/import unit=lb",
    ]
    assert snapshot(chat.core.store).entries == before


def test_confirm_writes_through_the_ledger_and_a_second_import_adds_nothing(chat: Conversation) -> None:
    chat.say("/import", upload=upload("strong_current.csv"))
    assert "Imported 13 sets from 3 workouts" in chat.say("/import confirm")
    history = chat.say("/history")
    assert "Barbell back squat" in history
    assert "85 kg" in chat.say("/progress squat")
    assert "Nothing new in that file" in chat.say("/import", upload=upload("strong_current.csv"))
    assert chat.say("/history") == history
    with chat.core.store.unit() as uow:
        runner, _ = uow.runners.find("test", "ana")
        done = uow.ledger.done_days([runner.id], datetime(2026, 10, 1).date(), datetime(2026, 10, 31).date())
    # every workout is a session on its own date, also 9 Oct with two exercises (and 13 Oct with two)
    assert done[runner.id] == {datetime(2026, 10, d).date() for d in (6, 9, 13)}


def test_warmups_never_count_as_prs(chat: Conversation) -> None:
    chat.say("/import", upload=upload("hevy.csv"))
    chat.say("/import confirm")
    store = chat.core.store
    with store.unit() as uow:
        runner, _ = uow.runners.find("test", "ana")
        bests = uow.ledger.bests(runner.id, ["barbell-back-squat"])
    assert {(b.reps, b.weight_kg) for b in bests} == {
        (5, 90.0),
        (8, 70.0),
    }  # the 40 kg x10 warm-up is not one


def test_unit_switch_then_cancel_writes_nothing(chat: Conversation) -> None:
    chat.say("/import", upload=upload("strong_old.csv"))
    assert "weights read as lb" in chat.say("/import unit=lb")
    assert "nothing was written" in chat.say("/import cancel")
    assert "No import is waiting" in chat.say("/import confirm")
    assert "Nothing logged yet" in chat.say("/history")


def test_undo_takes_the_import_back_and_everything_follows(chat: Conversation) -> None:
    chat.say("/log goblet squat 3x8 @16kg")
    chat.say("/import", upload=upload("fitnotes.csv"))
    chat.say("/import confirm")
    assert "Removed the import of fitnotes.csv: 5 sets" in chat.say("/import undo")
    history = chat.say("/history")
    assert "Goblet squat" in history and "Barbell back squat" not in history
    assert "There's no import to undo" in chat.say("/import undo")


def test_a_set_already_logged_by_hand_is_not_added_again(chat: Conversation) -> None:
    chat.at(datetime(2024, 9, 2, 19, 0, tzinfo=UTC))
    chat.say("/log barbell back squat 1x5 @100kg")
    chat.at(datetime(2026, 10, 20, 19, 0, tzinfo=UTC))
    text = chat.say("/import", upload=upload("fitnotes.csv"))
    assert "Already in your log, not added again: 1 set." in text


def test_in_a_group_chat_it_asks_for_a_direct_message(chat: Conversation) -> None:
    text = chat.say("/import", chat="club", upload=upload("hevy.csv"))
    assert "direct message" in text
    assert "Bench" not in text


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02", "isn't a CSV"),
        (b"a,b\n1,2\n", "I read Strong"),
        (
            b"Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time\nx,y,z\n",
            "None of that file",
        ),
        (
            b"Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time\n2024-01-01,Run,Cardio,,,5,km,\n",
            "only cardio",
        ),
    ],
)
def test_bad_files_get_one_answer_and_write_nothing(chat: Conversation, data: bytes, says: str) -> None:
    before = snapshot(chat.core.store)
    assert says in chat.say("/import", upload=Upload("f.csv", data))
    assert snapshot(chat.core.store).entries == before.entries
    assert snapshot(chat.core.store).pending_imports == before.pending_imports


def test_a_failed_download_is_said_once(chat: Conversation) -> None:
    assert "couldn't download" in chat.say("/import", upload=Upload("f.csv", error="I couldn't download it"))


def test_without_a_file_it_says_how(chat: Conversation) -> None:
    assert "Strong, Hevy or FitNotes" in chat.say("/import")


def test_three_years_give_badges_with_their_real_dates_quietly_and_loads_for_today() -> None:
    from datetime import date

    from tests.export_files import strong_file

    chat = Conversation(MemoryStore(), at=datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    chat.say("/start")
    chat.say("/import", upload=Upload("strong.csv", strong_file(date(2023, 11, 27), 156)))
    done = chat.say("/import confirm")
    assert "🏅" not in done and "PR" not in done  # awarded quietly
    badges = chat.say("/badges")
    assert "First session — Tue 28 Nov" in badges and "Twelve-week streak — Sat 17 Feb" in badges
    assert "Streak: 156 weeks" in chat.say("/streak")
    today = chat.say("/today")
    assert "Barbell back squat" in today and "first time" not in today.split("\n")[2]


def test_an_imported_own_exercise_can_be_mapped_onto_a_movement(chat: Conversation) -> None:
    chat.say("/import", upload=upload("strong_current.csv"))
    chat.say("/import confirm")
    assert "Deadlift (Barbell) now counts as a squat" in chat.say("/exercises map Deadlift (Barbell) squat")


def test_after_an_import_in_a_group_member_the_caches_and_every_screen_agree_with_a_rebuild(
    chat: Conversation,
) -> None:
    from tests.ledger_check import check_caches, check_screens

    chat.say("/join", chat="club")
    chat.say("/join", user="ben", chat="club")
    chat.say("/import", upload=upload("hevy.csv"))
    chat.say("/import confirm")
    chat.say("/log goblet squat 3x8 @16kg; pushups 3x10; calf raises 3x12")
    chat.say("/import", upload=upload("strong_current.csv"))
    chat.say("/import confirm")
    check_caches(chat.core.store, chat.clock.now())
    check_screens(chat, ["ana", "ben"], "club")
    chat.say("/import undo")
    check_caches(chat.core.store, chat.clock.now())
