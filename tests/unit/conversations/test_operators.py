"""`/admin status` exists for operators in a direct message, and for nobody else — not even as a hint."""

from __future__ import annotations

from core.commands.context import CoreConfig
from core.service import Runlift
from tests.fakes import Conversation
from tests.memory_store import MemoryStore

REPORT = "schema 0006 (up to date)\nrunners: 3"


def _chat(store: MemoryStore, report: object = lambda: REPORT) -> Conversation:
    chat = Conversation(store)
    chat.core = Runlift(
        store,
        CoreConfig(operators=frozenset({"test:olga"}), status_report=report),  # type: ignore[arg-type]
    )
    return chat


def test_an_operator_gets_the_status_in_a_direct_message(store: MemoryStore) -> None:
    answer = _chat(store).say("/admin status", user="olga")
    assert "Runlift status" in answer and "runners: 3" in answer


def test_everyone_else_gets_exactly_the_answer_an_unknown_command_gets(store: MemoryStore) -> None:
    chat = _chat(store)
    unknown = chat.say("/zzqx status", user="ben").replace("/zzqx", "/CMD")
    assert chat.say("/admin status", user="ben").replace("/admin", "/CMD") == unknown
    assert "admin" not in chat.say("/admn", user="ben")  # no "did you mean /admin"
    assert "/admin" not in chat.say("/help", user="ben")


def test_an_operator_in_a_group_chat_is_not_let_in_either(store: MemoryStore) -> None:
    chat = _chat(store)
    chat.say("/join", user="olga", chat="club")
    answer = chat.say("/admin status", user="olga", chat="club")
    assert "runners: 3" not in answer and "don't know /admin" in answer


def test_an_operator_id_on_another_platform_does_not_count(store: MemoryStore) -> None:
    chat = _chat(store)
    chat.platform = "telegram"
    assert "don't know /admin" in chat.say("/admin status", user="olga")


def test_a_failing_report_is_said_plainly_and_other_subcommands_show_the_usage(store: MemoryStore) -> None:
    def broken() -> str:
        raise ConnectionError("database down")

    chat = _chat(store, broken)
    assert "status report failed: ConnectionError" in chat.say("/admin status", user="olga")
    assert "/admin status" in chat.say("/admin", user="olga")
