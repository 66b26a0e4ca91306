"""Slash commands from the command table, and slash-command options back to typed commands."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from adapters.discord_commands import build_tree, exercise_choices, slash_command, typed_command
from core.commands.table import BY_NAME, COMMANDS


def test_log_options_join_into_the_log_grammar() -> None:
    values = {"exercise": "Squat", "sets": 3, "reps": 8, "weight": "16kg", "more": "pushups 3x10"}
    assert typed_command("log", values) == "/log Squat 3x8 @16kg; pushups 3x10"


def test_a_bodyweight_log_has_no_weight_and_a_typed_at_sign_is_not_doubled() -> None:
    assert (
        typed_command("log", {"exercise": "Push-up", "sets": 3, "reps": 10, "weight": None})
        == "/log Push-up 3x10"
    )
    assert (
        typed_command("log", {"exercise": "rdl", "sets": 4, "reps": 6, "weight": "@ 30 kg"})
        == "/log rdl 4x6 @30kg"
    )


def test_setup_options_become_key_value_pairs_in_table_order_without_spaces() -> None:
    values = {"equipment": "home", "runs": "tue:speed, sun:long", "tz": "Europe/Berlin", "units": None}
    assert typed_command("setup", values) == "/setup runs=tue:speed,sun:long tz=Europe/Berlin equipment=home"
    assert typed_command("setup", {}) == "/setup"


def test_an_attached_calendar_file_marks_the_setup_and_an_import_file_marks_nothing() -> None:
    assert typed_command("setup", {}, attached={"file"}) == "/setup calendar=upload"
    assert (
        typed_command("setup", {"tz": "Europe/Berlin"}, {"file"}) == "/setup tz=Europe/Berlin calendar=upload"
    )
    assert typed_command("import", {}, attached={"file"}) == "/import"
    assert typed_command("import", {"action": "confirm"}) == "/import confirm"


@pytest.mark.parametrize(
    ("name", "values", "typed"),
    [
        ("goal", {"goal": "hex bar deadlift 100kg x5"}, "/goal hex bar deadlift 100kg x5"),
        ("pause", {"weeks": 2}, "/pause 2"),
        ("group", {"view": "recap"}, "/group recap"),
        ("group", {"view": None}, "/group"),
        ("forget", {"confirm": "confirm"}, "/forget confirm"),
        ("progress", {"exercise": "  hex   bar deadlift "}, "/progress hex bar deadlift"),
        ("today", {}, "/today"),
    ],
)
def test_other_options_follow_the_command_in_table_order(
    name: str, values: dict[str, Any], typed: str
) -> None:
    assert typed_command(name, values) == typed


def test_whole_numbers_are_typed_without_a_decimal_point() -> None:
    assert typed_command("pause", {"weeks": 2.0}) == "/pause 2"


def test_autocomplete_offers_catalog_names_best_first_within_discords_cap() -> None:
    assert exercise_choices("rdl")[0].value == "Romanian deadlift"
    everything = exercise_choices("")
    assert 5 <= len(everything) <= 25
    assert all(c.name == c.value and len(c.name) <= 100 for c in everything)


def test_every_table_command_becomes_a_slash_command_with_its_typed_options() -> None:
    async def ignore(interaction: Any, name: str, values: dict[str, Any]) -> None:
        return None

    tree = build_tree(discord.Client(intents=discord.Intents.default()), ignore)
    payloads = {c.name: c.to_dict(tree) for c in tree.get_commands()}
    assert list(payloads) == [c.name for c in COMMANDS]
    kinds = {"string": 3, "integer": 4, "number": 10, "attachment": 11}
    for command in COMMANDS:
        options = {o["name"]: o for o in payloads[command.name].get("options", [])}
        assert list(options) == [o.name for o in command.options] or command.name == "log"
        for option in command.options:
            sent = options[option.name]
            assert sent["type"] == kinds[option.type] and sent["required"] == option.required
            assert [c["value"] for c in sent.get("choices", [])] == list(option.choices)
            assert sent.get("autocomplete", False) == option.autocomplete
            assert sent.get("min_value") == option.min_value and sent.get("max_value") == option.max_value
    assert payloads["join"]["contexts"] == [0]  # group commands only in servers


async def test_a_slash_command_hands_its_name_and_values_to_the_adapter() -> None:
    seen: list[tuple[str, dict[str, Any]]] = []

    async def record(interaction: Any, name: str, values: dict[str, Any]) -> None:
        seen.append((name, values))

    command = slash_command(BY_NAME["log"], record)
    await command.callback(None, exercise="Squat", sets=3, reps=8, weight=None, more=None)  # type: ignore[arg-type, call-arg]
    assert seen == [("log", {"exercise": "Squat", "sets": 3, "reps": 8, "weight": None, "more": None})]
