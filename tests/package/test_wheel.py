"""The package as a volunteer installs it: the wheel is built and installed by the Dockerfile's own
commands into a fresh virtual environment outside the checkout, then `runlift` runs from there."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import fresh_database_like, fresh_database_url
from tests.e2e import botproc
from tests.e2e.fake_telegram import FakeTelegram, private_chat, user
from tests.package.deployfiles import ROOT, dockerfile, env_names, exec_form, healthcheck_command, stages

CLEAN = ("TELEGRAM_", "DISCORD_", "RUNLIFT_", "DATABASE_URL", "LOG_", "PYTHONPATH", "VIRTUAL_ENV")


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    data: Path  # the container's /data: the working directory
    env: dict[str, str]

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def run(
        self, *args: str, stdin: str = "", env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.bin("runlift"), *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=self.data,
            env={**self.env, **(env or {})},
            timeout=120,
        )


def _container_path(text: str, places: dict[str, Path]) -> str:
    for inside, outside in places.items():
        text = re.sub(rf"(?<![\w/]){re.escape(inside)}(?=/|\b|$)", str(outside), text)
    return text


def _build(tmp: Path) -> Path:
    """The Dockerfile's first stage: its COPY lines into a clean source tree, then its RUN line."""
    build = stages(dockerfile())[0]
    src, wheels = tmp / "src", tmp / "wheels"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for keyword, rest in build:
        if keyword == "COPY":
            *sources, _dest = shlex.split(rest)
            for name in sources:
                origin = ROOT / name
                assert origin.exists(), f"the Dockerfile copies {name}, which is not in the checkout"
                if origin.is_dir():
                    shutil.copytree(origin, src / name, ignore=ignore)
                else:
                    shutil.copy2(origin, src / name)
        elif keyword == "RUN":
            command = _container_path(rest, {"/wheels": wheels, "/src": src})
            argv = shlex.split(command)
            assert argv[0] == "pip", command
            subprocess.run(
                [sys.executable, "-m", *argv], cwd=src, check=True, capture_output=True, timeout=300
            )
    (wheel,) = wheels.glob("runlift-*.whl")
    return wheel


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """Built and installed once per run; the second stage's RUN lines that install, with its ENV."""
    tmp = tmp_path_factory.mktemp("wheel")
    built = _build(tmp)
    wheel = tmp / "dist" / built.name  # the image's RUN line removes /wheels once installed
    wheel.parent.mkdir()
    shutil.copy2(built, wheel)
    venv, data = tmp / "venv", tmp / "data"
    data.mkdir()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    places = {"/wheels": built.parent, "/data": data}
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEAN)}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    runtime = stages(dockerfile())[1]
    for keyword, rest in runtime:
        if keyword == "ENV":
            for pair in shlex.split(rest):
                name, _, value = pair.partition("=")
                env[name] = _container_path(value, places)
        elif keyword == "RUN" and "pip install" in rest:
            # pip takes the dependencies from the package index, as in the image.
            subprocess.run(
                _container_path(rest, places),
                shell=True,
                cwd=tmp,
                env=env,
                check=True,
                timeout=600,
                capture_output=True,
            )
    env["RUNLIFT_HTTP"] = ""  # the image listens on 0.0.0.0:9090; the tests that need it pick a free port
    env["DATABASE_URL"] = fresh_database_url(
        tmp, "wheel"
    )  # SQLite as in the image, or the suite's PostgreSQL
    yield Installed(wheel, venv, data, env)


def test_the_wheel_ships_the_code_the_migrations_and_nothing_of_the_tests(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    versions = sorted(p.name for p in (ROOT / "adapters/store/migrations/versions").glob("0*.py"))
    for name in versions:
        assert f"adapters/store/migrations/versions/{name}" in names
    assert {"adapters/store/migrations/env.py", "adapters/store/migrations/script.py.mako"} <= names
    assert "bot/cli.py" in names and "core/service.py" in names
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "runlift = bot.cli:main" in zipfile.ZipFile(installed.wheel).read(entry_points).decode()
    size = installed.wheel.stat().st_size
    print(f"\nwheel {installed.wheel.name}: {size} bytes")
    assert 50_000 < size < 2_000_000


def test_the_installed_code_is_the_wheels_not_the_checkouts(installed: Installed) -> None:
    probe = "import bot, adapters.store.engine as e; print(bot.__file__); print(e.MIGRATIONS)"
    out = subprocess.run(
        [installed.bin("python"), "-c", probe],
        capture_output=True,
        text=True,
        cwd=installed.data,
        env=installed.env,
        check=True,
    ).stdout
    assert str(installed.venv) in out and str(ROOT) not in out


def test_console_nudges_status_backup_and_restore_run_from_the_wheel_in_any_directory(
    installed: Installed,
) -> None:
    console = installed.run(
        "console", "--user", "ana", "--at", "2026-12-01T19:00", stdin="/today\n/log squat 3x5 @60kg\n"
    )
    assert console.returncode == 0, console.stderr
    assert "Barbell back squat" in console.stdout and "Traceback" not in console.stderr
    nudges = installed.run("nudges", "--at", "2026-12-08T18:00", "--dry-run")
    assert nudges.returncode == 0, nudges.stderr
    assert "[console:ana]" in nudges.stdout  # Tuesday 18:00 UTC: ana's lift-day nudge
    again = installed.run("nudges", "--at", "2026-12-08T18:00", "--dry-run")
    assert again.stdout == nudges.stdout  # a dry run records nothing
    status = installed.run("status")
    assert status.returncode == 0, status.stderr
    assert "(up to date)" in status.stdout and "runners: 1" in status.stdout
    backup = installed.data / "backup.bin"
    made = installed.run("backup", str(backup))
    assert made.returncode == 0, made.stderr
    refused = installed.run("restore", str(backup))
    assert refused.returncode == 2 and "not empty" in refused.stderr
    target = fresh_database_like(installed.data, "wheel_restored", installed.env["DATABASE_URL"])
    restored = installed.run("restore", str(backup), env={"DATABASE_URL": target})
    assert restored.returncode == 0, restored.stderr
    assert "runners: 1" in installed.run("status", env={"DATABASE_URL": target}).stdout


class WheelBot(botproc.BotProcess):
    """`runlift run` from the wheel's virtual environment, never the checkout's code."""

    def env(self) -> dict[str, str]:
        env = super().env()
        env.pop("PYTHONPATH", None)
        return env


async def test_runlift_run_from_the_wheel_passes_the_dockerfiles_healthcheck(
    installed: Installed, tmp_path: Path
) -> None:
    runtime = stages(dockerfile())[1]
    cmd = next(exec_form(rest) for keyword, rest in runtime if keyword == "CMD")
    assert cmd == ["runlift", "run"]
    assert {"RUNLIFT_HTTP", "DATABASE_URL"} <= {n for k, r in runtime if k == "ENV" for n in env_names(r)}
    fake = FakeTelegram()
    await fake.start()
    bot = WheelBot(
        fake,
        tmp_path,
        env={"RUNLIFT_HTTP": "127.0.0.1:0"},
        command=tuple(cmd[1:]),
        executable=installed.bin(cmd[0]),
    )
    try:
        await bot.start()
        port = await _http_port(bot)
        check = [
            installed.bin("python") if a == "python" else a.replace(":9090", f":{port}")
            for a in healthcheck_command(runtime)
        ]
        done = subprocess.run(check, capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        fake.send("/today", user(4242, "Ana"), private_chat(user(4242, "Ana")))
        await fake.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 4242, timeout=20)
        assert await _ready(port), bot.output
    finally:
        code = await bot.stop()
        await fake.stop()
    assert code == 0, bot.output
    bot.assert_clean()


async def _http_port(bot: botproc.BotProcess, timeout: float = 20) -> int:
    import asyncio

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"operations HTTP on http://127\.0\.0\.1:(\d+)", bot.output)
        if found:
            return int(found.group(1))
        await asyncio.sleep(0.05)
    raise AssertionError(f"no HTTP port in the output:\n{bot.output}")


async def _ready(port: int, timeout: float = 20) -> bool:
    import asyncio

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _ = await asyncio.to_thread(fetch, f"http://127.0.0.1:{port}/readyz")
        if status == 200:
            return True
        await asyncio.sleep(0.2)
    return False


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
