"""The one admin check of group commands: the platform's word, or the first member where it has none."""

from __future__ import annotations

from core.commands.context import Context, UserError
from core.ledger.groups import admin_line, is_admin
from core.ledger.model import Member


def require_admin(ctx: Context, members: list[Member], action: str) -> None:
    admin = is_admin(ctx.incoming.is_admin, ctx.incoming.platform_admins, ctx.runner, members)
    if admin is None:
        raise UserError(
            f"I couldn't check that you're an admin of this chat just now, so I can't {action}. Try again in a moment."
        )
    if not admin:
        who = "an admin of this chat" if ctx.incoming.platform_admins else admin_line(members, False)[7:]
        raise UserError(f"Only a group admin can {action}. Ask {who}.")
