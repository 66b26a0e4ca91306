"""Properties of /import over generated exports: the preview's numbers are what is written, a second
import of the same file writes nothing, and undo leaves the log as it was."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.messages import Upload
from tests.fakes import Conversation, MemoryStore

HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"
)
NAMES = st.sampled_from(["Squat (Barbell)", "Pull Up", "Bench Press (Barbell)", "Lunge (Dumbbell)", "Plank"])
ORDERS = st.sampled_from(["0", "1", "2", "3", "W", "D", "F", "Rest Timer"])
WEIGHTS = st.sampled_from(["0", "20", "82.5", '"82,5"', "185.00000000000003", "", "abc"])
REPS = st.sampled_from(["0", "5", "8", "12", "", "x"])
ROW = st.tuples(st.integers(1, 28), st.integers(0, 2), NAMES, ORDERS, WEIGHTS, REPS)


def export(rows: list[tuple[int, int, str, str, str, str]]) -> bytes:
    lines = [HEADER]
    for day, hour, name, order, weight, reps in rows:
        lines.append(f"2026-10-{day:02d} 1{hour}:00:00,W{hour},1h,{name},{order},{weight},{reps},0,0,,,")
    return ("\n".join(lines) + "\n").encode()


def sets_logged(chat: Conversation) -> int:
    with chat.core.store.unit() as uow:  # type: ignore[attr-defined]
        found = uow.runners.find("test", "ana")
        return 0 if found is None else len(list(uow.logbook.all_sets(found[0].id)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, max_size=40))
def test_the_preview_is_what_is_written_and_nothing_is_written_twice(
    rows: list[tuple[int, int, str, str, str, str]],
) -> None:
    chat = Conversation(MemoryStore(), at=datetime(2026, 11, 3, 19, 0, tzinfo=UTC))
    chat.say("/start")
    data = export(rows)
    preview = chat.say("/import", upload=Upload("strong.csv", data))
    match = re.search(r"(\d[\d,]*) workouts?, (\d[\d,]*) sets?", preview)
    if match is None:
        assert "None of that file" in preview or "only cardio" in preview
        assert sets_logged(chat) == 0
        return
    promised = int(match[2].replace(",", ""))
    assert sets_logged(chat) == 0
    assert f"Imported {match[2]} set" in chat.say("/import confirm")
    assert sets_logged(chat) == promised
    again = chat.say("/import", upload=Upload("strong.csv", data))
    assert "Nothing new in that file" in again
    assert sets_logged(chat) == promised
    chat.say("/import undo")
    assert sets_logged(chat) == 0
