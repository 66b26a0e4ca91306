"""Nudges that were due while no pass ran and are now too late to send: what the operator sees as dropped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from core.nudges.rules import RULES, NudgeRules
from core.nudges.schedule import slots_between
from core.training.model import Runner

# A nudge sent more than this after its moment counts as late (a pass runs every minute).
LATE_AFTER = timedelta(minutes=1)


def missed(runners: Sequence[Runner], last_pass: datetime, now: datetime, rules: NudgeRules = RULES) -> int:
    """The nudge moments after ``last_pass`` that are more than the late window before ``now``.

    No pass saw them in time (the bot was down), and the pass at ``now`` will not send them.
    """
    until = now - rules.late_window
    if until <= last_pass:
        return 0
    start = last_pass + timedelta(microseconds=1)
    return sum(
        len(slots_between(r, start, until, rules))
        for r in runners
        if not r.unreachable and r.profile.remind_at is not None
    )


def is_late(due_at: datetime, sent_at: datetime) -> bool:
    """Whether a nudge due at ``due_at`` and sent at ``sent_at`` went out late."""
    return sent_at - due_at > LATE_AFTER
