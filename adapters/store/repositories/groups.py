"""Buddy groups, their members (with books), the weeks everyone hit, posts; and rewards."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    insert,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError

from adapters.store import raw
from adapters.store.repositories.base import Repository, chunks
from adapters.store.repositories.runners import (
    BOOK_COLUMNS,
    BOOK_WEEKS,
    MERGED,
    WEEK_COLUMNS,
    runners_with_books,
    with_books,
)
from adapters.store.rows import (
    group_from,
    group_week_columns,
    group_week_from,
    post_from,
    reward_columns,
    reward_from,
    utc,
)
from adapters.store.tables import (
    books,
    challenges,
    group_chats,
    group_members,
    group_weeks,
    groups,
    link_codes,
    posts,
    rewards,
    runners,
    weeks,
)
from core.ledger.model import Book, Group, GroupChat, GroupWeek, LinkCode, Member, Post, Reward
from core.training.model import Runner

# A chat's group: the group's own chat, or a chat linked into it.
_OF_CHAT = or_(
    and_(groups.c.platform == bindparam("platform"), groups.c.chat_id == bindparam("chat_id")),
    groups.c.id
    == select(group_chats.c.group_id)
    .where(group_chats.c.platform == bindparam("platform"), group_chats.c.chat_id == bindparam("chat_id"))
    .scalar_subquery(),
)
_BY_CHAT = select(groups).where(_OF_CHAT)
_MEMBERS = (
    with_books(select(runners, group_members.c.id.label("seq"), group_members.c.joined_on))
    .join(group_members, group_members.c.runner_id == runners.c.id)
    .where(group_members.c.group_id == bindparam("group_id"))
    .order_by(group_members.c.id)
)

_NEWS = (
    exists()
    .where(
        rewards.c.group_id == groups.c.id, rewards.c.unlocked_on.is_not(None), rewards.c.announced.is_(False)
    )
    .label("g_news")
)
# The group, whether it has news to tell, and every member with their book: one statement.
_GROUP_AND_MEMBERS = (
    select(
        *[c.label(f"g_{c.name}") for c in groups.c],
        _NEWS,
        group_members.c.id.label("seq"),
        group_members.c.joined_on,
        runners,
        *BOOK_COLUMNS,
        *WEEK_COLUMNS,
    )
    .select_from(
        groups.outerjoin(group_members, group_members.c.group_id == groups.c.id)
        .outerjoin(runners, runners.c.id == group_members.c.runner_id)
        .outerjoin(books, books.c.runner_id == runners.c.id)
        .outerjoin(weeks, BOOK_WEEKS)
    )
    .where(_OF_CHAT)
)
_LOAD = raw.Prepared(_GROUP_AND_MEMBERS.order_by(group_members.c.id, weeks.c.monday))
# What every group command reads first, in one statement: the asker as ``runners.find`` reads them
# (part 0), then the chat's group as ``load`` reads it (part 1). Compiled once and run on psycopg's
# cursor directly on PostgreSQL, where it saves a round trip.
_ASKER_FIRST = with_books(
    select(
        literal(0).label("part"),
        *[cast(null(), c.type).label(f"g_{c.name}") for c in groups.c],
        cast(null(), Boolean).label("g_news"),
        cast(null(), Integer).label("seq"),
        cast(null(), Date).label("joined_on"),
        runners,
        MERGED,
    )
).where(runners.c.platform == bindparam("platform"), runners.c.user_id == bindparam("user_id"))
_THEN_GROUP = _GROUP_AND_MEMBERS.with_only_columns(
    literal(1).label("part"),
    *_GROUP_AND_MEMBERS.selected_columns[: len(groups.c) + 3],
    *runners.c,
    cast(null(), Boolean).label("merged"),
    *BOOK_COLUMNS,
    *WEEK_COLUMNS,
    maintain_column_froms=False,
)
_ASKER_AND_GROUP = raw.Prepared(
    union_all(_ASKER_FIRST, _THEN_GROUP).order_by(
        literal_column("part"), literal_column("seq"), literal_column("w_monday")
    )
)


class SqlGroups(Repository):
    def load(self, platform: str, chat_id: str) -> tuple[Group, list[Member], bool] | None:
        fields, rows = _LOAD.run(self.conn, {"platform": platform, "chat_id": chat_id})
        return _loaded(fields, iter(rows))

    def asker_and_group(
        self, platform: str, user_id: str, chat_id: str
    ) -> tuple[tuple[Runner, Book | None] | None, tuple[Group, list[Member], bool] | None]:
        fields, result = _ASKER_AND_GROUP.run(
            self.conn, {"platform": platform, "user_id": user_id, "chat_id": chat_id}
        )
        rows = list(result)
        split = next((i for i, row in enumerate(rows) if row[0] == 1), len(rows))
        found = runners_with_books(rows[:split], fields=fields)
        asker = (found[0][0], found[0][1]) if found else None
        return asker, _loaded(fields, iter(rows[split:]))

    def find(self, platform: str, chat_id: str) -> Group | None:
        row = self.conn.execute(_BY_CHAT, {"platform": platform, "chat_id": chat_id}).first()
        return group_from(row._mapping) if row else None

    def get(self, group_id: int) -> Group | None:
        row = self.conn.execute(select(groups).where(groups.c.id == group_id)).first()
        return group_from(row._mapping) if row else None

    def members(self, group_id: int) -> list[Member]:
        rows = self.conn.execute(_MEMBERS, {"group_id": group_id})
        out = [
            Member(runner, book if book is not None else Book(), joined_on, seq)
            for runner, book, (joined_on, seq) in runners_with_books(rows, keep=("joined_on", "seq"))
        ]
        return sorted(out, key=lambda member: member.seq)

    def add(self, platform: str, chat_id: str, title: str, tz: str, at: datetime) -> Group:
        new_id = self.conn.execute(
            insert(groups)
            .values(platform=platform, chat_id=chat_id, title=title[:200], tz=tz, created_at=utc(at))
            .returning(groups.c.id)
        ).scalar_one()
        return Group(new_id, platform, chat_id, title[:200], tz)

    def set_tz(self, group_id: int, tz: str) -> None:
        self.conn.execute(update(groups).where(groups.c.id == group_id).values(tz=tz))

    def move(self, group_id: int, old_chat_id: str, new_chat_id: str) -> None:
        self.conn.execute(
            update(groups)
            .where(groups.c.id == group_id, groups.c.chat_id == old_chat_id)
            .values(chat_id=new_chat_id)
        )
        self.conn.execute(
            update(group_chats)
            .where(group_chats.c.group_id == group_id, group_chats.c.chat_id == old_chat_id)
            .values(chat_id=new_chat_id)
        )

    def chats(self, group_ids: Sequence[int]) -> list[GroupChat]:
        found: list[GroupChat] = []
        for part in chunks(list(group_ids)):
            own = self.conn.execute(select(groups).where(groups.c.id.in_(part)))
            found += [GroupChat(r.id, None, r.platform, r.chat_id, r.title) for r in own]
            linked = self.conn.execute(select(group_chats).where(group_chats.c.group_id.in_(part)))
            found += [GroupChat(r.group_id, r.id, r.platform, r.chat_id, r.title) for r in linked]
        return sorted(found, key=lambda c: (c.group_id, c.ref is not None, c.ref or 0))

    def add_chat(self, group_id: int, platform: str, chat_id: str, title: str, at: datetime) -> int:
        return int(
            self.conn.execute(
                insert(group_chats)
                .values(
                    group_id=group_id,
                    platform=platform,
                    chat_id=chat_id,
                    title=title[:200],
                    linked_at=utc(at),
                )
                .returning(group_chats.c.id)
            ).scalar_one()
        )

    def drop_chat(self, ref: int) -> None:
        self.conn.execute(update(group_members).where(group_members.c.chat_ref == ref).values(chat_ref=None))
        self.conn.execute(delete(group_chats).where(group_chats.c.id == ref))

    def rehome(self, group_id: int, platform: str, chat_id: str, title: str) -> None:
        self.conn.execute(
            update(groups)
            .where(groups.c.id == group_id)
            .values(platform=platform, chat_id=chat_id, title=title[:200])
        )

    def member_chats(self, group_id: int) -> dict[int, int | None]:
        rows = self.conn.execute(
            select(group_members.c.runner_id, group_members.c.chat_ref).where(
                group_members.c.group_id == group_id
            )
        )
        return {r.runner_id: r.chat_ref for r in rows}

    def set_member_chat(self, group_id: int, runner_id: int, ref: int | None) -> None:
        self.conn.execute(
            update(group_members)
            .where(group_members.c.group_id == group_id, group_members.c.runner_id == runner_id)
            .values(chat_ref=ref)
        )

    def delete(self, group_id: int) -> None:
        for table in (posts, group_weeks, rewards, group_members, group_chats, link_codes, challenges):
            self.conn.execute(delete(table).where(table.c.group_id == group_id))
        self.conn.execute(delete(groups).where(groups.c.id == group_id))

    def add_member(
        self, group_id: int, runner_id: int, joined_on: date, at: datetime, chat_ref: int | None = None
    ) -> bool:
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    insert(group_members).values(
                        group_id=group_id,
                        runner_id=runner_id,
                        joined_at=utc(at),
                        joined_on=joined_on,
                        chat_ref=chat_ref,
                    )
                )
        except IntegrityError:
            return False
        return True

    def remove_member(self, group_id: int, runner_id: int) -> bool:
        removed = self.conn.execute(
            delete(group_members).where(
                group_members.c.group_id == group_id, group_members.c.runner_id == runner_id
            )
        )
        self.conn.execute(delete(posts).where(posts.c.group_id == group_id, posts.c.runner_id == runner_id))
        return bool(removed.rowcount)

    def of_runner(self, runner_id: int) -> list[Group]:
        rows = self.conn.execute(
            select(groups)
            .join(group_members, group_members.c.group_id == groups.c.id)
            .where(group_members.c.runner_id == runner_id)
            .order_by(groups.c.id)
        )
        return [group_from(r._mapping) for r in rows]

    def all(self) -> list[Group]:
        return [group_from(r._mapping) for r in self.conn.execute(select(groups).order_by(groups.c.id))]

    def zones(self) -> list[str]:
        return list(self.conn.execute(select(groups.c.tz).distinct()).scalars())

    def in_zones(self, zones: Sequence[str]) -> list[Group]:
        found: list[Group] = []
        for part in chunks(list(zones)):
            found += [
                group_from(r._mapping) for r in self.conn.execute(select(groups).where(groups.c.tz.in_(part)))
            ]
        return sorted(found, key=lambda g: g.id)

    def weeks(self, group_ids: Sequence[int]) -> list[GroupWeek]:
        found: list[GroupWeek] = []
        for part in chunks(list(group_ids)):
            rows = self.conn.execute(select(group_weeks).where(group_weeks.c.group_id.in_(part)))
            found += [group_week_from(r._mapping) for r in rows]
        return sorted(found, key=lambda w: (w.group_id, w.monday))

    def save_week(self, group_id: int, monday: date, week: GroupWeek | None) -> None:
        if week is None:
            self.conn.execute(
                delete(group_weeks).where(group_weeks.c.group_id == group_id, group_weeks.c.monday == monday)
            )
            return
        self.upsert(group_weeks, [group_week_columns(week)], ("group_id", "monday"))

    def replace_weeks(self, group_id: int, weeks: Sequence[GroupWeek]) -> None:
        self.conn.execute(delete(group_weeks).where(group_weeks.c.group_id == group_id))
        if weeks:
            self.conn.execute(insert(group_weeks), [group_week_columns(w) for w in weeks])

    def add_post(self, group_id: int, post: Post) -> None:
        self.conn.execute(
            insert(posts).values(
                group_id=group_id,
                runner_id=post.runner_id,
                local_date=post.local_date,
                kind=post.kind,
                key=post.key,
            )
        )

    def posts(self, group_id: int, start: date, end: date) -> list[Post]:
        rows = self.conn.execute(
            select(posts)
            .where(posts.c.group_id == group_id, posts.c.local_date >= start, posts.c.local_date <= end)
            .order_by(posts.c.id)
        )
        return [post_from(r._mapping) for r in rows]

    def drop_posts(self, runner_id: int, keys: Sequence[str]) -> None:
        if keys:
            self.conn.execute(
                delete(posts).where(posts.c.runner_id == runner_id, posts.c.key.in_(list(keys)))
            )


class SqlRewards(Repository):
    def add(self, reward: Reward) -> int:
        return int(
            self.conn.execute(
                insert(rewards).values(**reward_columns(reward)).returning(rewards.c.id)
            ).scalar_one()
        )

    def of_runner(self, runner_id: int) -> list[Reward]:
        rows = self.conn.execute(
            select(rewards).where(rewards.c.runner_id == runner_id).order_by(rewards.c.id)
        )
        return [reward_from(r._mapping) for r in rows]

    def of_group(self, group_id: int) -> list[Reward]:
        rows = self.conn.execute(select(rewards).where(rewards.c.group_id == group_id).order_by(rewards.c.id))
        return [reward_from(r._mapping) for r in rows]

    def save(self, reward: Reward) -> None:
        self.conn.execute(
            update(rewards)
            .where(rewards.c.id == reward.id)
            .values(unlocked_on=reward.unlocked_on, week_start=reward.week_start, announced=reward.announced)
        )

    def drop_open_group(self, group_id: int) -> None:
        self.conn.execute(
            delete(rewards).where(rewards.c.group_id == group_id, rewards.c.unlocked_on.is_(None))
        )


class SqlLinks(Repository):
    def add(self, code: LinkCode) -> None:
        self.conn.execute(
            insert(link_codes).values(
                code=code.code,
                kind=code.kind,
                group_id=code.group_id,
                runner_id=code.runner_id,
                expires_at=utc(code.expires_at),
            )
        )

    def take(self, code: str, kind: str, now: datetime) -> LinkCode | None:
        taken = self.conn.execute(
            update(link_codes)
            .where(
                link_codes.c.code == code,
                link_codes.c.kind == kind,
                link_codes.c.used_at.is_(None),
                link_codes.c.expires_at > utc(now),
            )
            .values(used_at=utc(now))
            .returning(link_codes.c.group_id, link_codes.c.expires_at, link_codes.c.runner_id)
        ).first()
        return LinkCode(code, kind, taken.group_id, taken.expires_at, taken.runner_id) if taken else None

    def peek(self, code: str, kind: str, now: datetime) -> LinkCode | None:
        row = self.conn.execute(
            select(link_codes).where(
                link_codes.c.code == code,
                link_codes.c.kind == kind,
                link_codes.c.used_at.is_(None),
                link_codes.c.expires_at > utc(now),
            )
        ).first()
        return LinkCode(code, kind, row.group_id, row.expires_at, row.runner_id) if row else None


def _loaded(fields: Sequence[str], rows: Iterator[Sequence[Any]]) -> tuple[Group, list[Member], bool] | None:
    """The group, its members and its news from the rows of ``_GROUP_AND_MEMBERS`` (by name)."""
    first = next(rows, None)
    if first is None:
        return None
    head = dict(zip(fields, first, strict=True))
    group = Group(head["g_id"], head["g_platform"], head["g_chat_id"], head["g_title"], head["g_tz"])
    news = bool(head["g_news"])
    members = [
        Member(runner, book if book is not None else Book(), joined_on, seq)
        for runner, book, (joined_on, seq) in runners_with_books(
            itertools.chain((first,), rows), keep=("joined_on", "seq"), fields=fields
        )
    ]
    return group, sorted(members, key=lambda member: member.seq), news
