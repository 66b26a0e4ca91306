"""The metrics: names as documented, labels bounded to known commands, counts that follow what happened."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters import traffic
from bot.operations.labels import command_label
from bot.operations.metrics import NAMES, Metrics
from bot.senders import Round
from core.messages import ChatAddress, Incoming
from core.nudges.missed import is_late
from core.nudges.outbox import OutboxEntry, Outcome
from core.nudges.passes import PassReport
from core.nudges.schedule import NudgeClaim

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def _incoming(text: str, user: str = "ana", group: bool = False) -> Incoming:
    return Incoming("telegram", user, user, "club" if group else user, group, text, AT)


def _entry(user: str, due: datetime, kind: str = "lift") -> OutboxEntry:
    return OutboxEntry(
        NudgeClaim(f"runner:{user}", kind, due.date()),
        ChatAddress("telegram", user),
        "",
        "Speed day",
        1,
        due,
        due + timedelta(hours=2),
    )


def test_every_metric_is_exported_and_listed_in_the_readme() -> None:
    metrics = Metrics(outbox=lambda: {"telegram": 0})
    try:
        metrics.command(_incoming("/today"), 0.01, failed=False)
        metrics.on_traffic("telegram", "update")
        metrics.on_traffic("telegram", "rate_limited")
        metrics.on_traffic("telegram", "retry")
        metrics.nudge_pass(AT, PassReport(1, 1, {"lift": 1}), 0.2, missed=1)
        metrics.delivered("telegram", Round(((_entry("ana", AT), "sent"),), dropped=1, skipped=1), AT)
        text = metrics.exposition().decode()
    finally:
        metrics.close()
    exported = set(re.findall(r"^# TYPE (\w+) ", text, re.M))
    readme = (ROOT / "README.md").read_text()
    for name in NAMES:
        assert name in exported or name.removesuffix("_total") in exported, name
        assert f"`{name}`" in readme, name


def test_only_known_commands_become_labels_and_hidden_ones_only_for_operators() -> None:
    operators = frozenset({"telegram:olga"})
    assert command_label(_incoming("/log squat 3x8")) == "log"
    assert command_label(_incoming("/xyz" + "q" * 50)) == "unknown"
    assert command_label(_incoming("hello")) is None
    assert command_label(_incoming("/admin status", "olga"), operators) == "admin"
    assert command_label(_incoming("/admin status", "ben"), operators) == "unknown"
    assert command_label(_incoming("/admin status", "olga", group=True), operators) == "unknown"


def test_apologies_count_as_errors_and_deliveries_by_their_outcome() -> None:
    metrics = Metrics()
    try:
        metrics.command(_incoming("/today"), 0.02, failed=True)
        metrics.nudge_pass(AT, PassReport(4, 4, {"lift": 4}), 0.1, missed=0)
        outcomes: tuple[tuple[OutboxEntry, Outcome], ...] = (
            (_entry("ana", AT), "sent"),
            (_entry("ben", AT - timedelta(minutes=30)), "sent"),
            (_entry("cy", AT), "unreachable"),
            (_entry("dee", AT), "retry"),
        )
        late = metrics.delivered("telegram", Round(outcomes, dropped=2, skipped=1), AT)
        text = metrics.exposition().decode()
    finally:
        metrics.close()
    assert late == 1
    assert 'runlift_command_errors_total{command="today",platform="telegram"} 1.0' in text
    assert 'runlift_nudges_sent_total{kind="lift",platform="telegram"} 2.0' in text
    assert 'runlift_nudges_late_total{kind="lift",platform="telegram"} 1.0' in text
    assert 'runlift_nudges_unreachable_total{platform="telegram"} 1.0' in text
    assert 'runlift_nudges_retried_total{platform="telegram"} 1.0' in text
    assert 'runlift_nudges_due_total{kind="lift"} 4.0' in text
    assert 'runlift_nudges_dropped_total{reason="expired"} 2.0' in text
    assert 'runlift_nudges_dropped_total{reason="done"} 1.0' in text


def test_traffic_reaches_every_listening_registry_until_it_closes() -> None:
    first, second = Metrics(), Metrics()
    traffic.report("discord", "rate_limited")
    second.close()
    traffic.report("discord", "rate_limited")
    first.close()
    traffic.report("discord", "rate_limited")
    assert 'runlift_platform_rate_limited_total{platform="discord"} 2.0' in first.exposition().decode()
    assert 'runlift_platform_rate_limited_total{platform="discord"} 1.0' in second.exposition().decode()


def test_a_nudge_is_late_only_well_after_its_moment() -> None:
    assert not is_late(AT, AT + timedelta(seconds=30))
    assert is_late(AT, AT + timedelta(minutes=5))
