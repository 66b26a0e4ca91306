"""The deployment files parse, name only settings that exist, and use paths the package provides."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from bot.settings import Settings
from tests.package.deployfiles import (
    COMPOSE,
    ROOT,
    UNIT,
    compose,
    dockerfile,
    env_names,
    exec_form,
    healthcheck_command,
    stages,
    unit,
)

SETTINGS = {f.name.upper() for f in fields(Settings)}
PYTHON_ENV = {"PYTHONUNBUFFERED", "PIP_NO_CACHE_DIR"}  # the interpreter's and pip's own, not Runlift's
INSTRUCTIONS = {"FROM", "WORKDIR", "COPY", "RUN", "ENV", "USER", "VOLUME", "EXPOSE", "HEALTHCHECK", "CMD"}


def _example_names() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}


def test_the_dockerfile_builds_the_wheel_runs_it_as_a_user_and_checks_healthz() -> None:
    instructions = dockerfile()
    assert {keyword for keyword, _ in instructions} <= INSTRUCTIONS
    build, runtime = stages(instructions)
    for stage in (build, runtime):
        assert re.fullmatch(r"python:3\.1[1-9]-slim\S*( AS \w+)?", stage[0][1]), stage[0][1]
    assert any(k == "RUN" and r.startswith("pip wheel --no-deps") for k, r in build)
    assert any(k == "RUN" and "pip install /wheels/" in r for k, r in runtime)
    users = [rest for keyword, rest in runtime if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")
    env = {name for keyword, rest in runtime if keyword == "ENV" for name in env_names(rest)}
    assert env - PYTHON_ENV <= SETTINGS & _example_names()
    check = healthcheck_command(runtime)
    assert check[0] == "python" and "/healthz" in check[-1]
    http = next(r for k, r in runtime if k == "ENV" and "RUNLIFT_HTTP=" in r)
    port = re.search(r"RUNLIFT_HTTP=\S*:(\d+)", http)
    assert port and f":{port.group(1)}/healthz" in check[-1]
    assert any(k == "EXPOSE" and r == port.group(1) for k, r in runtime)
    assert exec_form(next(r for k, r in runtime if k == "CMD")) == ["runlift", "run"]
    for keyword, rest in build:
        if keyword == "COPY":
            for source in rest.split()[:-1]:
                assert (ROOT / source).exists(), source


def test_compose_runs_the_bot_with_postgresql_on_a_named_volume() -> None:
    spec = compose()
    services, volumes = spec["services"], spec["volumes"]
    bot, db = services["bot"], services["db"]
    assert bot["build"] == "." and (ROOT / "Dockerfile").is_file()
    assert bot["env_file"] == ".env" and (ROOT / ".env.example").is_file()
    assert set(bot["environment"]) <= SETTINGS & _example_names()
    url = bot["environment"]["DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://") and "@db:5432/" in url
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert db["image"].startswith("postgres:") and "healthcheck" in db
    named = {v.split(":", 1)[0] for s in services.values() for v in s.get("volumes", [])}
    assert named == set(volumes) and "pgdata" in volumes
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    published = bot["ports"][0]
    assert published.startswith("127.0.0.1:") and published.endswith(
        bot["environment"]["RUNLIFT_HTTP"].rsplit(":", 1)[1]
    )
    assert "ports" not in db, "the database stays inside the compose network"


def test_the_systemd_unit_runs_the_installed_command_as_a_user() -> None:
    spec = unit()
    assert {"Unit", "Service", "Install"} <= set(spec.sections())
    service = spec["Service"]
    assert service["User"] not in ("root", "0") and service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    command = service["ExecStart"].split()
    assert Path(command[0]).parts[-2:] == ("bin", "runlift") and command[1:] == ["run"]
    assert service["EnvironmentFile"].startswith("/etc/")
    for line in UNIT.read_text().splitlines():
        if line.startswith("Environment="):
            name = line.split("=", 2)[1]
            assert name in SETTINGS & _example_names(), name
    assert spec["Install"]["WantedBy"] == "multi-user.target"


def test_the_readme_walks_through_both_deployments() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Deploying", 1)[1].split("\n## ", 1)[0]
    for needed in (
        "docker compose up -d --build",
        COMPOSE.name,
        "deploy/runlift.service",
        "systemctl enable --now runlift",
        "curl",
        "/readyz",
        "runlift backup",
        "runlift restore",
        "runlift status",
        "pip install",
    ):
        assert needed in section, needed
