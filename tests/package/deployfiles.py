"""Reading the deployment files the way their tools do: Dockerfile instructions, compose YAML, a systemd unit."""

from __future__ import annotations

import configparser
import json
import shlex
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
UNIT = ROOT / "deploy" / "runlift.service"


def dockerfile(path: Path = DOCKERFILE) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order: comments dropped, continuation lines joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    assert not pending, "a continuation line runs off the end"
    return instructions


def stages(instructions: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    out: list[list[tuple[str, str]]] = []
    for keyword, rest in instructions:
        if keyword == "FROM":
            out.append([])
        out[-1].append((keyword, rest))
    return out


def exec_form(arguments: str) -> list[str]:
    """``["a", "b"]`` (exec form) or a shell string, as an argument list."""
    if arguments.startswith("["):
        value = json.loads(arguments)
        assert isinstance(value, list) and all(isinstance(v, str) for v in value)
        return value
    return ["sh", "-c", arguments]


def env_names(arguments: str) -> list[str]:
    """The names an ENV instruction sets (``A=1 B=2`` form)."""
    return [pair.split("=", 1)[0] for pair in shlex.split(arguments)]


def healthcheck_command(instructions: list[tuple[str, str]]) -> list[str]:
    (arguments,) = [rest for keyword, rest in instructions if keyword == "HEALTHCHECK"]
    _, _, command = arguments.partition("CMD ")
    return exec_form(command.strip())


def compose(path: Path = COMPOSE) -> dict[str, Any]:
    import yaml

    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


def unit(path: Path = UNIT) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return parser
