"""The Prometheus metrics of one bot process, in a registry of its own (served at /metrics)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from adapters import traffic
from bot.operations.labels import command_label
from core.nudges.missed import is_late

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.senders import Round
    from core.messages import Incoming
    from core.nudges.passes import PassReport

COMMAND_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
PASS_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)

# Every metric this process exports (the README's table lists the same names).
NAMES = (
    "runlift_updates_received_total",
    "runlift_commands_handled_total",
    "runlift_command_seconds",
    "runlift_command_errors_total",
    "runlift_nudges_due_total",
    "runlift_nudges_sent_total",
    "runlift_nudges_late_total",
    "runlift_nudges_dropped_total",
    "runlift_nudges_unreachable_total",
    "runlift_nudges_retried_total",
    "runlift_platform_rate_limited_total",
    "runlift_platform_retries_total",
    "runlift_nudge_pass_seconds",
    "runlift_nudge_pass_last_run_timestamp_seconds",
    "runlift_db_pool_connections",
    "runlift_db_pool_size",
    "runlift_outbox_depth",
    "runlift_backup_last_success_timestamp_seconds",
)


class _Gauges(Collector):
    """Values read at scrape time: the database pool, the outbox, the last pass."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterable[Metric]:
        m = self.metrics
        connections = GaugeMetricFamily(
            "runlift_db_pool_connections", "Database connections by state", labels=["state"]
        )
        size = GaugeMetricFamily(
            "runlift_db_pool_size", "Connections the pool keeps open at most (overflow aside)"
        )
        pool = getattr(m.engine, "pool", None) if m.engine is not None else None
        if pool is not None and hasattr(pool, "checkedout"):
            connections.add_metric(["in_use"], float(pool.checkedout()))
            connections.add_metric(["idle"], float(pool.checkedin()))
            connections.add_metric(["overflow"], float(max(0, pool.overflow())))
            size.add_metric([], float(pool.size()))
        yield connections
        yield size
        outbox = GaugeMetricFamily(
            "runlift_outbox_depth", "Nudges claimed and not yet delivered, by platform", labels=["platform"]
        )
        depth = dict.fromkeys(m.platforms, 0)
        depth.update(m.outbox() if m.outbox is not None else {})
        for platform, count in sorted(depth.items()):
            outbox.add_metric([platform], float(count))
        yield outbox
        last = GaugeMetricFamily(
            "runlift_nudge_pass_last_run_timestamp_seconds", "When the last nudge pass ran (its instant)"
        )
        if m.last_pass_at is not None:
            last.add_metric([], m.last_pass_at.timestamp())
        yield last
        backup = GaugeMetricFamily(
            "runlift_backup_last_success_timestamp_seconds",
            "When the last daily backup (RUNLIFT_BACKUP_DIR) was written",
        )
        if m.last_backup_at is not None:
            backup.add_metric([], m.last_backup_at.timestamp())
        yield backup


class Metrics:
    """Counts what the bot does; ``close()`` stops listening to the adapters' traffic."""

    def __init__(
        self,
        engine: Engine | None = None,
        platforms: Sequence[str] = (),
        outbox: Callable[[], Mapping[str, int]] | None = None,
        operators: frozenset[str] = frozenset(),
    ) -> None:
        self.engine = engine
        self.operators = operators
        self.platforms = list(platforms)
        self.outbox = outbox
        self.last_pass_at: datetime | None = None
        self.last_backup_at: datetime | None = None
        r = self.registry = CollectorRegistry()
        self.updates = Counter(
            "runlift_updates_received", "Updates received from a platform", ["platform"], registry=r
        )
        self.commands = Counter(
            "runlift_commands_handled", "Commands handled", ["platform", "command"], registry=r
        )
        self.latency = Histogram(
            "runlift_command_seconds",
            "Time from a command reaching the core to its replies",
            ["platform", "command"],
            buckets=COMMAND_BUCKETS,
            registry=r,
        )
        self.errors = Counter(
            "runlift_command_errors",
            "Commands answered with the apology (something failed on our side)",
            ["platform", "command"],
            registry=r,
        )
        self.nudges_due = Counter(
            "runlift_nudges_due", "Nudges found due and put in the outbox", ["kind"], registry=r
        )
        self.nudges_sent = Counter(
            "runlift_nudges_sent", "Nudges delivered", ["platform", "kind"], registry=r
        )
        self.nudges_late = Counter(
            "runlift_nudges_late",
            "Nudges delivered more than a minute after their moment (a busy outbox, or caught up after downtime)",
            ["platform", "kind"],
            registry=r,
        )
        self.nudges_dropped = Counter(
            "runlift_nudges_dropped",
            "Nudges never sent: missed while no pass ran, expired in the outbox, or no longer needed (done)",
            ["reason"],
            registry=r,
        )
        self.nudges_unreachable = Counter(
            "runlift_nudges_unreachable",
            "Nudges not delivered: the recipient blocked the bot or closed DMs",
            ["platform"],
            registry=r,
        )
        self.nudges_retried = Counter(
            "runlift_nudges_retried",
            "Nudges queued again after a failed send",
            ["platform"],
            registry=r,
        )
        self.rate_limited = Counter(
            "runlift_platform_rate_limited", "429 answers from a platform", ["platform"], registry=r
        )
        self.retries = Counter(
            "runlift_platform_retries",
            "Platform calls tried again (after a 429 or a network error)",
            ["platform"],
            registry=r,
        )
        self.pass_seconds = Histogram(
            "runlift_nudge_pass_seconds", "How long one nudge pass took", buckets=PASS_BUCKETS, registry=r
        )
        r.register(_Gauges(self))
        self._stop_listening = traffic.listen(self.on_traffic)

    def close(self) -> None:
        self._stop_listening()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

    # what the adapters report

    def on_traffic(self, platform: str, event: traffic.Event) -> None:
        if event == "update":
            self.updates.labels(platform).inc()
        elif event == "rate_limited":
            self.rate_limited.labels(platform).inc()
        else:
            self.retries.labels(platform).inc()

    # what the application reports

    def command(self, incoming: Incoming, seconds: float, failed: bool) -> str | None:
        """One message the core answered; returns the command's label (``None`` for plain chat)."""
        label = command_label(incoming, self.operators)
        if label is None:
            return None
        self.commands.labels(incoming.platform, label).inc()
        self.latency.labels(incoming.platform, label).observe(seconds)
        if failed:
            self.errors.labels(incoming.platform, label).inc()
        return label

    def nudge_pass(self, at: datetime, report: PassReport, seconds: float, missed: int) -> None:
        """One pass: how long it took, what it queued, what it found missed after downtime."""
        self.last_pass_at = at
        self.pass_seconds.observe(seconds)
        for kind, n in report.kinds.items():
            self.nudges_due.labels(kind).inc(n)
        if missed:
            self.nudges_dropped.labels("missed").inc(missed)

    def delivered(self, platform: str, round_: Round, now: datetime) -> int:
        """One sender round; returns how many of its deliveries went out late."""
        if round_.dropped:
            self.nudges_dropped.labels("expired").inc(round_.dropped)
        if round_.skipped:
            self.nudges_dropped.labels("done").inc(round_.skipped)
        late = 0
        for entry, result in round_.outcomes:
            kind = entry.claim.kind or "nudge"
            if result == "sent":
                self.nudges_sent.labels(platform, kind).inc()
                if is_late(entry.due_at, now):
                    late += 1
                    self.nudges_late.labels(platform, kind).inc()
            elif result == "unreachable":
                self.nudges_unreachable.labels(platform).inc()
            elif result == "retry":
                self.nudges_retried.labels(platform).inc()
        return late
