"""The one table of commands: each row is a command's only registration, and feeds /help,
Telegram's menu and Discord's slash commands."""

from __future__ import annotations

from core.commands import (
    accountability,
    accounts,
    challenges,
    data,
    exercises,
    groups,
    imports,
    log_sets,
    logbook,
    operators,
    progress,
    today,
    training,
)
from core.commands.context import Context
from core.commands.spec import Command, Option
from core.messages import Reply
from core.parsing.setup import SETUP_KEYS


def help_(ctx: Context) -> list[Reply]:
    return [Reply(help_text(), title="Runlift commands")]


TABLE: tuple[Command, ...] = (
    Command("start", "", "Welcome, and how to begin", "/start", training.start),
    Command(
        "setup",
        "[key=value ...]",
        "Run days or calendar=URL|off (DM only), time zone, equipment, reminders",
        "/setup runs=tue:speed,thu:easy,sun:long tz=Europe/Berlin",
        training.setup,
        admin_in_groups=True,
        personal=True,
        moves_schedule=True,
        options=(
            *(Option(k.name, k.description, choices=k.choices) for k in SETUP_KEYS),
            Option(
                "file",
                "An .ics calendar file, read once (DM only)",
                type="attachment",
                marks="calendar=upload",
            ),
        ),
    ),
    Command(
        "today",
        "[tomorrow|DAY]",
        "Today's session (or another day's), or when the next one is",
        "/today",
        today.today,
        options=(Option("day", "tomorrow, a weekday (sat) or YYYY-MM-DD"),),
    ),
    Command(
        "plan",
        "[next week]",
        "This week's runs and the lifts placed on them",
        "/plan",
        today.plan,
        options=(Option("week", "this or next week", choices=("this week", "next week")),),
    ),
    Command(
        "log",
        "EXERCISE SETSxREPS [@WEIGHT] | confirm",
        "Record sets (holds in seconds: 3x30s); several separated by ;",
        "/log goblet squat 3x8 @16kg; calf raises 3x10",
        log_sets.log,
        options=(
            Option("exercise", "Exercise name", required=True, autocomplete=True),
            Option("sets", "Number of sets", type="integer", required=True, min_value=1, max_value=20),
            Option("reps", "Reps per set", type="integer", required=True, min_value=1, max_value=100),
            Option("weight", "Weight, e.g. 16kg (leave empty for bodyweight)"),
            Option("more", "More entries, e.g. rdl 3x8 @30kg; pushups 3x10"),
        ),
    ),
    Command("done", "", "Mark today's session as done", "/done", logbook.done),
    Command("undo", "", "Remove your last log entry", "/undo", logbook.undo),
    Command("history", "", "Your last entries with their ids", "/history", logbook.history, personal=True),
    Command(
        "delete",
        "ID",
        "Remove one entry (see /history); everything it counted for follows",
        "/delete 12",
        logbook.delete,
        options=(
            Option("id", "The entry's number from /history", type="integer", required=True, min_value=1),
        ),
    ),
    Command(
        "exercises",
        "[add NAME movement=M | map NAME MOVEMENT]",
        "The catalog by movement with each variant's log name; add your own",
        "/exercises",
        exercises.exercises,
        options=(Option("change", "e.g. add bulgarian split squat movement=lunge, or map nordic curl rdl"),),
    ),
    Command(
        "swap",
        "MOVEMENT VARIANT",
        "Keep a specific variant in your plan",
        "/swap squat goblet",
        exercises.swap,
        options=(
            Option("movement", "e.g. squat", autocomplete=True),
            Option("variant", "e.g. goblet, or default"),
        ),
    ),
    Command(
        "streak", "", "Your weekly streak, this week's count and freezes", "/streak", accountability.streak
    ),
    Command("badges", "", "Badges earned and the next within reach", "/badges", accountability.badges),
    Command(
        "progress",
        "[EXERCISE]",
        "A chart of a variant (or every variant of a movement) over time, with PRs",
        "/progress hex bar deadlift",
        progress.progress,
        options=(Option("exercise", "Exercise name", autocomplete=True),),
    ),
    Command(
        "goal",
        "EXERCISE WEIGHT x REPS",
        "Set a strength goal",
        "/goal hex bar deadlift 100kg x5",
        logbook.goal,
        options=(Option("goal", "e.g. hex bar deadlift 100kg x5", required=True),),
    ),
    Command(
        "reward",
        "TEXT [after N]",
        "A reward for yourself (DM) or the group (admins)",
        "/reward smoothie after 3",
        accountability.reward,
        admin_in_groups=True,
        options=(Option("reward", "e.g. smoothie after 3"),),
    ),
    Command("join", "", "Join this chat's buddy group", "/join", groups.join, scope="group"),
    Command("leave", "", "Leave this chat's buddy group", "/leave", groups.leave, scope="group"),
    Command(
        "group",
        "[recap | link [CODE] | unlink]",
        "The group's week; link chats (any platform) into one group",
        "/group",
        groups.group,
        scope="group",
        admin_in_groups=True,
        options=(
            Option(
                "view",
                "recap: last week · link: a code, or join with one · unlink: split this chat off",
                choices=("recap", "link", "unlink"),
            ),
            Option("code", "the link code from the other chat, e.g. K7M2QX"),
        ),
    ),
    Command(
        "challenge",
        '[start "NAME" until YYYY-MM-DD goal=N [each=N] | stop]',
        "A date-ranged group challenge and its progress",
        "/challenge",
        challenges.challenge,
        scope="group",
        admin_in_groups=True,
        options=(
            Option(
                "text",
                'empty: progress · start "Winter block" until 2027-02-28 goal=120 · stop: end it early',
            ),
        ),
    ),
    Command(
        "leaderboard",
        "",
        "This week's sessions and streaks",
        "/leaderboard",
        groups.leaderboard,
        scope="group",
    ),
    Command("hide", "", "Leave the leaderboards", "/hide", accountability.hide),
    Command("show", "", "Rejoin the leaderboards", "/show", accountability.show),
    Command(
        "remind",
        "on|off|HH:MM|via=telegram|discord",
        "Turn lift-day reminders on or off, move them, or choose where they go",
        "/remind 07:30",
        training.remind,
        moves_schedule=True,
        options=(Option("when", "on, off, HH:MM, or via=telegram|discord (linked accounts)", required=True),),
    ),
    Command(
        "pause",
        "N",
        "Pause streak and reminders for N weeks (1-4)",
        "/pause 2",
        accountability.pause,
        moves_schedule=True,
        options=(Option("weeks", "Weeks to pause", type="integer", required=True, min_value=1, max_value=4),),
    ),
    Command("resume", "", "End a pause", "/resume", accountability.resume, moves_schedule=True),
    Command(
        "playlist",
        "URL",
        "Save a playlist or podcast for lift days",
        "/playlist https://example.com/my-lifting-mix",
        training.playlist,
        options=(Option("url", "http(s) link"),),
    ),
    Command(
        "me",
        "[link [CODE] | unlink]",
        "Your Telegram and Discord accounts as one runner (one streak)",
        "/me link",
        accounts.me,
        personal=True,
        private_only=True,
        options=(
            Option(
                "action",
                "link: a code, or merge with one · unlink: undo (7 days)",
                choices=("link", "unlink"),
            ),
            Option("code", "the code from your other account, e.g. K7M2QX"),
            Option("confirm", "confirm: merge now", choices=("confirm",)),
        ),
    ),
    Command(
        "export",
        "[calendar]",
        "Your data as CSV and JSON files (calendar: with your calendar link in full)",
        "/export",
        data.export,
        personal=True,
        private_only=True,
    ),
    Command(
        "import",
        "[confirm|cancel|undo]",
        "Bring your history: send a Strong, Hevy or FitNotes CSV export with /import as its caption",
        "/import",
        imports.import_,
        personal=True,
        options=(
            Option("file", "Your Strong, Hevy or FitNotes CSV export", type="attachment"),
            Option("action", "confirm, cancel or undo", choices=("confirm", "cancel", "undo")),
        ),
    ),
    Command(
        "forget",
        "[confirm]",
        "Delete all your data (asks first)",
        "/forget",
        data.forget,
        personal=True,
        private_only=True,
        options=(Option("confirm", "confirm to delete now", choices=("confirm",)),),
    ),
    Command(
        "admin",
        "status",
        "What the bot is doing: schema, counts, the last nudge pass, adapters",
        "/admin status",
        operators.admin,
        scope="private",
        personal=True,
        hidden=True,
    ),
    Command("help", "", "Every command with an example", "/help", help_),
)

# What everyone sees: /help, Telegram's menus, Discord's slash commands and "did you mean".
COMMANDS: tuple[Command, ...] = tuple(c for c in TABLE if not c.hidden)
BY_NAME: dict[str, Command] = {c.name: c for c in COMMANDS}
# Known only to operators in a direct message (core.service decides; everyone else gets "unknown").
HIDDEN: dict[str, Command] = {c.name: c for c in TABLE if c.hidden}


def help_text() -> str:
    return "\n".join(f"{c.usage} — {c.summary}. e.g. {c.example}" for c in COMMANDS)
