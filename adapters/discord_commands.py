"""Discord slash commands built from the one command table, and their translation to typed commands."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Collection, Coroutine, Mapping
from typing import Any, Optional

import discord
from discord import app_commands

from core.commands.spec import Command, Option
from core.commands.table import COMMANDS
from core.parsing.exercise_names import suggest_exercises

# Answers only the asker should see: deferred as ephemeral before the core has answered.
PERSONAL_COMMANDS = frozenset(c.name for c in COMMANDS if c.personal)

OnCommand = Callable[[discord.Interaction, str, dict[str, Any]], Awaitable[None]]


def _word(value: object) -> str:
    """An option value as a runner would type it: ``3`` not ``3.0``, no stray spaces."""
    if isinstance(value, float):
        return f"{value:g}"
    return " ".join(str(value).split())


def typed_command(name: str, values: Mapping[str, object], attached: Collection[str] = ()) -> str:
    """The typed command equivalent to a slash command with these option values.

    ``/log`` joins its options into the /log grammar (``squat 3x8 @16kg; pushups 3x10``);
    commands taking ``key=value`` arguments get one pair per option; the others
    get their option values in table order. ``attached`` names the attachment options given a
    file; those that mark the command (``calendar=upload``) add their pair.
    """
    given = {k: _word(v) for k, v in values.items() if v is not None and _word(v) != ""}
    if name == "log":
        return _log_text(given)
    command = next((c for c in COMMANDS if c.name == name), None)
    order = [o.name for o in command.options] if command else sorted(given)
    if command is not None and "key=value" in command.args:
        parts = [f"{key}={''.join(given[key].split())}" for key in order if key in given]
    else:
        parts = [given[key] for key in order if key in given]
    if command is not None:
        parts += [o.marks for o in command.options if o.marks and o.name in attached]
    return " ".join([f"/{name}", *parts])


def _log_text(given: Mapping[str, str]) -> str:
    entry = ""
    if "exercise" in given:
        entry = given["exercise"]
        if "sets" in given and "reps" in given:
            entry += f" {given['sets']}x{given['reps']}"
        if "weight" in given:
            entry += " @" + given["weight"].lstrip("@").replace(" ", "")
    entries = [e for e in (entry, given.get("more", "")) if e]
    return "/log " + "; ".join(entries) if entries else "/log"


def exercise_choices(current: str) -> list[app_commands.Choice[str]]:
    """Catalog exercises matching what the runner has typed so far (at most 25, Discord's cap)."""
    return [app_commands.Choice(name=label[:100], value=label) for label, _ in suggest_exercises(current, 25)]


async def _autocomplete_exercise(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return exercise_choices(current)


def _annotation(option: Option) -> Any:
    base: Any = {"string": str, "integer": int, "number": float, "attachment": discord.Attachment}[
        option.type
    ]
    if option.type != "string" and (option.min_value is not None or option.max_value is not None):
        base = app_commands.Range[base, option.min_value, option.max_value]
    # Optional[...] rather than `| None`: a Range transformer does not support `|`.
    return base if option.required else Optional[base]  # noqa: UP045


def _callback(command: Command, on_command: OnCommand) -> Callable[..., Coroutine[Any, Any, None]]:
    """A callback whose signature declares the command's options, as discord.py reads them."""

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        await on_command(interaction, command.name, values)

    params = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for option in command.options:
        params.append(
            inspect.Parameter(
                option.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_annotation(option),
                default=inspect.Parameter.empty if option.required else None,
            )
        )
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    if command.options:
        app_commands.describe(**{o.name: o.description[:100] for o in command.options})(callback)
    choices = {
        o.name: [app_commands.Choice(name=c, value=c) for c in o.choices]
        for o in command.options
        if o.choices
    }
    if choices:
        app_commands.choices(**choices)(callback)
    completing = {o.name: _autocomplete_exercise for o in command.options if o.autocomplete}
    if completing:
        app_commands.autocomplete(**completing)(callback)
    if command.scope == "group":
        app_commands.guild_only(callback)
    return callback


def slash_command(command: Command, on_command: OnCommand) -> app_commands.Command[Any, ..., None]:
    return app_commands.Command(
        name=command.name,
        description=command.summary[:100],
        callback=_callback(command, on_command),
    )


def build_tree(client: discord.Client, on_command: OnCommand) -> app_commands.CommandTree[discord.Client]:
    """A command tree with every command of the table, each calling ``on_command(interaction, name, values)``."""
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    for command in COMMANDS:
        tree.add_command(slash_command(command, on_command))
    return tree


async def sync_commands(tree: app_commands.CommandTree[discord.Client], guild_id: str) -> int:
    """Register the commands: to one guild (instant, for development) when given, globally otherwise."""
    if guild_id:
        guild = discord.Object(id=int(guild_id))
        tree.copy_global_to(guild=guild)
        return len(await tree.sync(guild=guild))
    return len(await tree.sync())
