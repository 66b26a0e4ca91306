"""/exercises (the catalog by movement, and the runner's own) and /swap (keep a variant in the plan)."""

from __future__ import annotations

import re
from dataclasses import replace

from core import texts
from core.commands.context import Context, UserError
from core.messages import Reply
from core.parsing.errors import ParseError, quoted
from core.parsing.exercise_names import match_movement, match_name, normalize
from core.training.catalog import MOVEMENT, MOVEMENTS, VARIANT, variants_of
from core.training.choosing import current_variant
from core.training.identity import Variant, kit_of
from core.training.lexicon import OTHER, OWN_PREFIX
from core.training.model import OwnExercise

ADD_FORM = "Form: /exercises add NAME movement=M — e.g. /exercises add bulgarian split squat movement=lunge"
MAP_FORM = "Form: /exercises map NAME MOVEMENT (one of your own) — e.g. /exercises map nordic curl rdl"
SWAP_FORM = "Form: /swap MOVEMENT VARIANT — e.g. /swap squat goblet (or /swap squat default)"
MAX_NAME = 30
MAX_OWN = 30
_ADD = re.compile(r"(?:add\s+)?(?P<name>.+?)\s+movement\s*=\s*(?P<movement>.+)", re.IGNORECASE)
_OTHER_WORDS = frozenset({"other", "core", "none"})
_DEFAULT_WORDS = frozenset({"default", "off", "reset", "auto", "none"})


def _needs(variant: Variant) -> str:
    return " + ".join(sorted(variant.needs)) or "nothing"


def catalog_lines(ctx: Context) -> list[str]:
    profile = ctx.runner.profile
    kit = kit_of(profile.equipment)
    lines = []
    for movement in MOVEMENTS:
        choice = current_variant(movement.key, profile, ctx.latest(ctx.today))
        current = choice.variant.key if choice is not None else ""
        fits = [v for v in variants_of(movement.key) if v.fits(kit)]
        other = [v for v in variants_of(movement.key) if not v.fits(kit)]
        names = ", ".join(v.key + (" ▶" if v.key == current else "") for v in fits) or "none with your kit"
        line = f"{movement.name}: {names}"
        if other:
            line += " · needs other kit: " + ", ".join(f"{v.key} ({_needs(v)})" for v in other)
        lines.append(line)
    return lines


def exercises(ctx: Context) -> list[Reply]:
    args = ctx.args.strip()
    if args.lower().startswith("map"):
        return map_exercise(ctx, args[3:].strip())
    if args.lower().startswith("add") or "movement=" in args.lower().replace(" ", ""):
        return add_exercise(ctx, args)
    if args:
        raise UserError(f"/exercises lists the catalog; to add your own: {ADD_FORM}")
    lines = ["Log any of these by name; ▶ marks the one in your plan.", *catalog_lines(ctx)]
    own = ctx.lexicon(full=True).own
    if own:
        lines.append("Your own: " + ", ".join(f"{o.name} ({_movement_name(o.movement)})" for o in own))
    lines.append("/swap squat goblet keeps a variant in your plan · " + ADD_FORM.removeprefix("Form: "))
    return [Reply("\n".join(lines), title="Exercises by movement")]


def _movement_name(key: str) -> str:
    return MOVEMENT[key].name.lower() if key in MOVEMENT else "outside the eight groups"


def _slug(name: str) -> str:
    return "-".join(normalize(name).split())


def add_exercise(ctx: Context, args: str) -> list[Reply]:
    match = _ADD.fullmatch(args)
    if match is None:
        raise UserError(ADD_FORM)
    name = " ".join(match["name"].split())
    if not normalize(name) or len(name) > MAX_NAME:
        raise UserError(f"A name of 1–{MAX_NAME} letters, please. {ADD_FORM}")
    wanted = match["movement"].strip().lower()
    if wanted in _OTHER_WORDS:
        movement = OTHER
    else:
        found = match_movement(wanted)
        if isinstance(found, ParseError):
            raise UserError(
                f"Movement {quoted(wanted)}? One of {', '.join(m.key for m in MOVEMENTS)} or other."
            )
        movement = found
    mine = ctx.lexicon(full=True).own
    existing = match_name(name)
    if not isinstance(existing, ParseError) and normalize(name) in _known_names(existing.key):
        raise UserError(f"{name} is in the catalog already — log it as /log {existing.key} 3x8")
    key = OWN_PREFIX + _slug(name)[: 40 - len(OWN_PREFIX)]
    if any(o.key == key for o in mine):
        raise UserError(f"You have {name} already. Log it: /log {name.lower()} 3x8")
    if len(mine) >= MAX_OWN:
        raise UserError(f"That's {MAX_OWN} exercises of your own already — the most I keep.")
    own = OwnExercise(key, name[:1].upper() + name[1:], movement)
    ctx.uow.logbook.add_own_exercise(ctx.runner.id, own)
    ctx.keeper.own_changed()
    where = f"counts as a {_movement_name(movement)}" if movement != OTHER else "counts toward your sessions"
    swap = f" Keep it in your plan: /swap {movement} {name.lower()}" if movement != OTHER else ""
    example = f"/log {name.lower()} 3x8"
    weight = texts.example_weight(ctx.runner.profile.units)
    return [
        Reply(
            f"Added {own.name}: it {where}. Log it like any other: {example} (add {weight} with a weight, "
            f"or 3x45s for a hold).{swap}"
        )
    ]


def _movement_of(text: str) -> str | None:
    if text.strip().lower() in _OTHER_WORDS:
        return OTHER
    found = match_movement(text)
    return None if isinstance(found, ParseError) else found


def map_exercise(ctx: Context, args: str) -> list[Reply]:
    """One of the runner's own exercises onto another movement: the groups it counts for follow."""
    own = ctx.lexicon(full=True).own
    words = args.split()
    for cut in range(len(words) - 1, 0, -1):
        name, movement = " ".join(words[:cut]), _movement_of(" ".join(words[cut:]))
        mine = next((o for o in own if normalize(o.name) == normalize(name) or o.key == name), None)
        if mine is None or movement is None:
            continue
        ctx.uow.logbook.set_own_movement(ctx.runner.id, mine.key, movement)
        ctx.keeper.own_changed(regroup=True)
        return [Reply(f"{mine.name} now counts as a {_movement_name(movement)}.")]
    raise UserError(MAP_FORM)


def _known_names(key: str) -> set[str]:
    known = VARIANT.get(key)
    if known is not None:
        return {normalize(n) for n in (known.key, known.name, *known.aliases)}
    movement = MOVEMENT.get(key)
    if movement is not None:
        return {normalize(n) for n in (movement.key, movement.name, *movement.aliases)}
    return set()


def _variant_in(movement: str, text: str, own: tuple[OwnExercise, ...]) -> str | None:
    """A variant of ``movement`` named by ``text``: its name, an alias, or words of its name."""
    wanted = normalize(text)
    words = set(wanted.split())
    candidates = [(v.key, {normalize(n) for n in (v.key, v.name, *v.aliases)}) for v in variants_of(movement)]
    candidates += [(o.key, {normalize(o.name), normalize(o.key)}) for o in own if o.movement == movement]
    exact = [key for key, names in candidates if wanted in names]
    if exact:
        return exact[0]
    partial = [key for key, names in candidates if any(words <= set(n.split()) for n in names)]
    return partial[0] if len(partial) == 1 else None


def swap(ctx: Context) -> list[Reply]:
    profile = ctx.runner.profile
    words = ctx.args.split()
    if not words:
        if not profile.swaps:
            return [Reply(f"No swaps yet: your plan uses your equipment's variants. {SWAP_FORM}")]
        names = ctx.lexicon(profile.swaps.values())
        kept = [
            f"{MOVEMENT[m].name}: {names.label(v)}" for m, v in sorted(profile.swaps.items()) if m in MOVEMENT
        ]
        return [Reply("Kept in your plan — " + "; ".join(kept) + f". {SWAP_FORM}")]
    own = ctx.lexicon(full=True).own
    for cut in range(1, len(words)):
        movement = match_movement(" ".join(words[:cut]))
        if isinstance(movement, ParseError):
            continue
        rest = " ".join(words[cut:])
        if rest.lower() in _DEFAULT_WORDS:
            swaps = {m: v for m, v in profile.swaps.items() if m != movement}
            ctx.runner.profile = replace(profile, swaps=swaps)
            ctx.uow.runners.save(ctx.runner)
            return [Reply(f"{MOVEMENT[movement].name}: back to your equipment's variant. /today shows it.")]
        key = _variant_in(movement, rest, own)
        if key is None:
            continue
        known = VARIANT.get(key)
        if known is not None and not known.fits(kit_of(profile.equipment)):
            raise UserError(
                f"{known.name} needs {_needs(known)}, and your equipment is {profile.equipment}. "
                "/setup equipment=… if that changed."
            )
        ctx.runner.profile = replace(profile, swaps={**profile.swaps, movement: key})
        ctx.uow.runners.save(ctx.runner)
        label = known.name if known is not None else next(o.name for o in own if o.key == key)
        return [
            Reply(
                f"Kept: {label} for the {MOVEMENT[movement].name.lower()} in your plan. "
                f"/today shows it; /swap {movement} default goes back."
            )
        ]
    options = ""
    first = match_movement(words[0])
    if not isinstance(first, ParseError):
        options = " Variants: " + ", ".join(v.key for v in variants_of(first)) + "."
    raise UserError(f"Can't tell which variant that is.{options} {SWAP_FORM}")
