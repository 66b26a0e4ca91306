"""Store queries for buddy groups: the groups, their members and what was posted in them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from adapters.store.accountability_queries import state_from_row
from adapters.store.memo import Memo
from adapters.store.rows import runner_from_row
from adapters.store.tables import group_feed, group_members, groups, rewards, runners, streaks
from core.accountability_model import FeedItem, Group, Member, StreakState

_GROUP_BY_CHAT = select(groups).where(
    groups.c.platform == bindparam("platform"), groups.c.chat_id == bindparam("chat_id")
)
_MEMBERS = (
    select(
        runners,
        group_members.c.id.label("seq"),
        streaks.c.current.label("s_current"),
        streaks.c.best.label("s_best"),
        streaks.c.freezes.label("s_freezes"),
        streaks.c.toward_freeze.label("s_toward_freeze"),
        streaks.c.settled_until.label("s_settled_until"),
    )
    .join(group_members, group_members.c.runner_id == runners.c.id)
    .outerjoin(streaks, streaks.c.runner_id == runners.c.id)
    .where(group_members.c.group_id == bindparam("group_id"))
    .order_by(group_members.c.id)
)


def _group(r: object) -> Group:
    m = r._mapping  # type: ignore[attr-defined]
    return Group(m["id"], m["platform"], m["chat_id"], m["title"], m["tz"])


class GroupQueries(Memo):
    def group(self, platform: str, chat_id: str) -> Group | None:
        def load() -> Group | None:
            row = self.conn.execute(_GROUP_BY_CHAT, {"platform": platform, "chat_id": chat_id}).first()
            found = _group(row) if row else None
            if found is not None:
                self._memo[("groups", found.id)] = found
            return found

        return self._remember(("groups", platform, chat_id), load)

    def group_by_id(self, group_id: int) -> Group | None:
        def load() -> Group | None:
            row = self.conn.execute(select(groups).where(groups.c.id == group_id)).first()
            return _group(row) if row else None

        return self._remember(("groups", group_id), load)

    def all_groups(self) -> list[Group]:
        return [_group(r) for r in self.conn.execute(select(groups).order_by(groups.c.id))]

    def add_group(self, platform: str, chat_id: str, title: str, tz: str, at: datetime) -> Group:
        self._forget("groups")
        new_id = self.conn.execute(
            insert(groups)
            .values(platform=platform, chat_id=chat_id, title=title[:200], tz=tz, created_at=at)
            .returning(groups.c.id)
        ).scalar_one()
        return Group(new_id, platform, chat_id, title[:200], tz)

    def set_group_tz(self, group_id: int, tz: str) -> None:
        self._forget("groups")
        self.conn.execute(update(groups).where(groups.c.id == group_id).values(tz=tz))

    def delete_group(self, group_id: int) -> None:
        self._forget("groups")
        self._forget("rewards")
        for table in (group_feed, rewards, group_members):
            self.conn.execute(delete(table).where(table.c.group_id == group_id))
        self.conn.execute(delete(groups).where(groups.c.id == group_id))

    def members(self, group_id: int) -> list[Member]:
        rows = self.conn.execute(_MEMBERS, {"group_id": group_id})
        out = []
        for r in rows:
            streak = None
            if r.s_current is not None:
                s = state_from_row(r, "s_")
                streak = StreakState(s.current, s.best, s.freezes, s.toward_freeze, r.s_settled_until)
            out.append(Member(runner_from_row(r), streak, r.seq))
        return out

    def add_member(self, group_id: int, runner_id: int, at: datetime) -> bool:
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    insert(group_members).values(group_id=group_id, runner_id=runner_id, joined_at=at)
                )
        except IntegrityError:
            return False
        return True

    def remove_member(self, group_id: int, runner_id: int) -> bool:
        mine = and_(group_members.c.group_id == group_id, group_members.c.runner_id == runner_id)
        removed = self.conn.execute(delete(group_members).where(mine)).rowcount > 0
        self.conn.execute(
            delete(group_feed).where(group_feed.c.group_id == group_id, group_feed.c.runner_id == runner_id)
        )
        return removed

    def groups_of(self, runner_id: int) -> list[Group]:
        rows = self.conn.execute(
            select(groups)
            .join(group_members, group_members.c.group_id == groups.c.id)
            .where(group_members.c.runner_id == runner_id)
            .order_by(groups.c.id)
        )
        return [_group(r) for r in rows]

    def add_feed(self, group_id: int, item: FeedItem) -> None:
        self.conn.execute(
            insert(group_feed).values(
                group_id=group_id,
                runner_id=item.runner_id,
                local_date=item.local_date,
                kind=item.kind,
                text=item.text[:300],
            )
        )

    def feed(self, group_id: int, start: date, end: date) -> list[FeedItem]:
        rows = self.conn.execute(
            select(group_feed.c.runner_id, group_feed.c.local_date, group_feed.c.kind, group_feed.c.text)
            .where(
                group_feed.c.group_id == group_id,
                group_feed.c.local_date >= start,
                group_feed.c.local_date <= end,
            )
            .order_by(group_feed.c.id)
        )
        return [FeedItem(*r) for r in rows]
