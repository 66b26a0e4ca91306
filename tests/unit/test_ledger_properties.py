"""After any history, the live caches equal a rebuild from the record and every screen shows the same numbers.

Random club histories — logs in DMs and the group (kg, lb, holds in seconds, implausible loads
confirmed or not, own exercises), late logs, /done, /undo, /delete, pauses and resumes, swaps,
setting and time-zone changes, goals, rewards, joining and leaving, and weeks passing — run
through the core on the in-memory store.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fakes import Conversation
from tests.ledger_check import check_caches, check_screens
from tests.memory_store import MemoryStore

START = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # a Sunday evening
USERS = ["ana", "ben", "cy"]
ZONES = ["Europe/Berlin", "Asia/Tokyo", "America/New_York", "Pacific/Kiritimati", "UTC"]
EXERCISES = [
    "squat",
    "goblet squat",
    "rdl",
    "calf raise",
    "pushups",
    "row",
    "hexbar",
    "lunge",
    "clamshells",
    "glute bridge",
    "nordic curl",  # the runner's own, once added (until then: an error, nothing written)
]

user = st.sampled_from(USERS)
where = st.sampled_from([None, "club"])
entry = st.one_of(
    st.builds(
        lambda name, sets, reps, load: f"{name} {sets}x{reps}" + (f" @{load}" if load else ""),
        st.sampled_from(EXERCISES),
        st.integers(1, 4),
        st.sampled_from([5, 8, 10]),
        st.sampled_from(["", "20kg", "22.5kg", "25kg", "30kg", "40kg", "45lb", "95lb", "300kg"]),
    ),
    st.builds(lambda sets, secs: f"wall sit {sets}x{secs}s", st.integers(1, 3), st.sampled_from([30, 45])),
)
log = st.builds(
    lambda entries, late: "/log " + "; ".join(entries) + (" yesterday" if late else ""),
    st.lists(entry, min_size=1, max_size=3),
    st.booleans(),
)
command = st.one_of(
    log,
    log,
    st.just("/done"),
    st.just("/undo"),
    st.builds(lambda n: f"/pause {n}", st.integers(1, 2)),
    st.just("/resume"),
    st.builds(lambda n: f"/setup sessions={n}", st.sampled_from([2, 3])),
    st.sampled_from(["/setup runs=tue:speed,sun:long", "/setup runs=mon:speed,thu:long,sat:easy"]),
    st.builds(lambda z: f"/setup tz={z}", st.sampled_from(ZONES)),
    st.sampled_from(["/goal squat 30kg x8", "/goal row 25kg x5"]),
    st.just("/reward smoothie after 2"),
    st.sampled_from(["/join", "/leave", "/hide", "/show"]),
    st.just("/log confirm"),
    st.builds(lambda n: f"/delete {n}", st.integers(1, 30)),
    st.sampled_from(["/swap squat goblet", "/swap squat default", "/swap deadlift glute bridge"]),
    st.sampled_from(
        ["/setup units=lb", "/setup units=kg", "/setup equipment=bodyweight", "/setup equipment=gym"]
    ),
    st.just("/exercises add nordic curl movement=rdl"),
    st.sampled_from(["/exercises map nordic curl quad extension", "/exercises map nordic curl rdl"]),
)
step = st.tuples(st.integers(0, 50), user, where, command)


def play(chat: Conversation, steps: list[tuple[int, str, str | None, str]]) -> None:
    chat.say("/reward pizza night", user="ana", chat="club")
    for hours, who, chat_name, text in steps:
        chat.advance(hours=hours)
        if text in ("/join", "/leave"):
            chat_name = "club"
        if text.startswith("/setup tz=") and chat_name == "club" and who != "ana":
            chat_name = None  # only the admin moves the group's zone
        chat.say(text, user=who, chat=chat_name)
        check_caches(chat.core.store, chat.clock.now())  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=5, max_size=40))
def test_caches_equal_a_rebuild_after_any_history(steps: list[tuple[int, str, str | None, str]]) -> None:
    chat = Conversation(MemoryStore(), at=START)
    for u in USERS:
        chat.say("/join", user=u, chat="club")
    play(chat, steps)
    chat.advance(days=9)
    check_screens(chat, USERS, "club")
    check_caches(chat.core.store, chat.clock.now())  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=20), st.integers(0, 200))
def test_every_screen_agrees_at_any_instant(
    steps: list[tuple[int, str, str | None, str]], later: int
) -> None:
    chat = Conversation(MemoryStore(), at=START)
    for u in USERS:
        chat.say(f"/setup tz={ZONES[USERS.index(u)]}", user=u)
        chat.say("/join", user=u, chat="club")
    for hours, who, chat_name, text in steps:
        chat.advance(hours=hours)
        chat.say(text, user=who, chat=chat_name if text not in ("/join", "/leave") else "club")
    chat.advance(hours=later)
    check_screens(chat, USERS, "club")
    check_caches(chat.core.store, chat.clock.now())  # type: ignore[arg-type]
