"""The one table of commands: it feeds /help, Telegram's menu and Discord's slash commands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OptionType = Literal["string", "integer", "number"]
Scope = Literal["any", "private", "group"]


@dataclass(frozen=True)
class Option:
    """A typed argument, for platforms with typed command options (Discord).

    ``choices`` fixes the allowed values; ``autocomplete`` asks the platform to
    offer catalog exercise names while typing.
    """

    name: str
    description: str
    type: OptionType = "string"
    required: bool = False
    choices: tuple[str, ...] = ()
    autocomplete: bool = False
    min_value: int | None = None
    max_value: int | None = None


@dataclass(frozen=True)
class Command:
    """One command; ``admin_in_groups`` says that in a group chat it may need the sender's admin status."""

    name: str
    args: str
    summary: str
    example: str
    scope: Scope = "any"
    options: tuple[Option, ...] = ()
    admin_in_groups: bool = False


COMMANDS: tuple[Command, ...] = (
    Command("start", "", "Welcome, and how to begin", "/start"),
    Command(
        "setup",
        "[key=value ...]",
        "Your run days, time zone, equipment and reminders",
        "/setup runs=tue:speed,thu:easy,sun:long tz=Europe/Berlin",
        admin_in_groups=True,
        options=(
            Option("runs", "Run days, e.g. tue:speed,thu:easy,sun:long"),
            Option("tz", "IANA time zone, e.g. Europe/Berlin"),
            Option("equipment", "What you lift with", choices=("gym", "home", "bodyweight")),
            Option("terrain", "Where you run", choices=("road", "trail", "hilly")),
            Option("sessions", "Strength sessions a week", choices=("2", "3")),
            Option("remind", "Reminder time HH:MM, e.g. 18:00"),
            Option("units", "Weight units", choices=("kg", "lb")),
        ),
    ),
    Command("today", "", "Today's session, or when the next one is", "/today"),
    Command("plan", "", "This week's runs and the lifts placed on them", "/plan"),
    Command(
        "log",
        "EXERCISE SETSxREPS [@WEIGHT]",
        "Record sets; several separated by ;",
        "/log goblet squat 3x8 @16kg; calf raises 3x10",
        options=(
            Option("exercise", "Exercise name", required=True, autocomplete=True),
            Option("sets", "Number of sets", type="integer", required=True, min_value=1, max_value=20),
            Option("reps", "Reps per set", type="integer", required=True, min_value=1, max_value=100),
            Option("weight", "Weight, e.g. 16kg (leave empty for bodyweight)"),
            Option("more", "More entries, e.g. rdl 3x8 @30kg; pushups 3x10"),
        ),
    ),
    Command("done", "", "Mark today's session as done", "/done"),
    Command("undo", "", "Remove your last log entry", "/undo"),
    Command("streak", "", "Your weekly streak, this week's count and freezes", "/streak"),
    Command("badges", "", "Badges earned and the next within reach", "/badges"),
    Command(
        "progress",
        "[EXERCISE]",
        "A chart of your loads over time, with PRs",
        "/progress hex bar deadlift",
        options=(Option("exercise", "Exercise name", autocomplete=True),),
    ),
    Command(
        "goal",
        "EXERCISE WEIGHT x REPS",
        "Set a strength goal",
        "/goal hex bar deadlift 100kg x5",
        options=(Option("goal", "e.g. hex bar deadlift 100kg x5", required=True),),
    ),
    Command(
        "reward",
        "TEXT [after N]",
        "A reward for yourself (DM) or the group (admins)",
        "/reward smoothie after 3",
        admin_in_groups=True,
        options=(Option("reward", "e.g. smoothie after 3", required=True),),
    ),
    Command("join", "", "Join this chat's buddy group", "/join", scope="group"),
    Command("leave", "", "Leave this chat's buddy group", "/leave", scope="group"),
    Command(
        "group",
        "[recap]",
        "The group's week: members, counts, reward",
        "/group",
        scope="group",
        options=(Option("view", "recap: last week's recap", choices=("recap",)),),
    ),
    Command("leaderboard", "", "This week's sessions and streaks", "/leaderboard", scope="group"),
    Command("hide", "", "Leave the leaderboards", "/hide"),
    Command("show", "", "Rejoin the leaderboards", "/show"),
    Command(
        "remind",
        "on|off|HH:MM",
        "Turn lift-day reminders on or off, or move them",
        "/remind 07:30",
        options=(Option("when", "on, off or HH:MM", required=True),),
    ),
    Command(
        "pause",
        "N",
        "Pause streak and reminders for N weeks (1-4)",
        "/pause 2",
        options=(Option("weeks", "Weeks to pause", type="integer", required=True, min_value=1, max_value=4),),
    ),
    Command("resume", "", "End a pause", "/resume"),
    Command(
        "playlist",
        "URL",
        "Save a playlist or podcast for lift days",
        "/playlist https://example.com/my-lifting-mix",
        options=(Option("url", "http(s) link", required=True),),
    ),
    Command("export", "", "Your data as CSV and JSON files", "/export"),
    Command(
        "forget",
        "[confirm]",
        "Delete all your data (asks first)",
        "/forget",
        options=(Option("confirm", "confirm to delete now", choices=("confirm",)),),
    ),
    Command("help", "", "Every command with an example", "/help"),
)

BY_NAME: dict[str, Command] = {c.name: c for c in COMMANDS}


def help_text() -> str:
    lines = []
    for c in COMMANDS:
        usage = f"/{c.name} {c.args}".rstrip()
        lines.append(f"{usage} — {c.summary}. e.g. {c.example}")
    return "\n".join(lines)
