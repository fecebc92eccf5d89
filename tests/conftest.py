"""Shared fixtures: run bidcheck as users do, as the installed console script and in-process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def console_script() -> str:
    """The installed ``bidcheck`` script of the environment running the tests."""
    beside_python = Path(sys.executable).parent / ("bidcheck.exe" if os.name == "nt" else "bidcheck")
    found = str(beside_python) if beside_python.exists() else shutil.which("bidcheck")
    if not found:
        pytest.fail("the bidcheck console script is not installed; run: pip install -e '.[test]'")
    return found


RunCli = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def run_cli() -> RunCli:
    """Run the installed console script in a subprocess; returns the CompletedProcess (text)."""

    def run(*args: str, cwd: Path | None = None, input: str | bytes | None = None, env: dict | None = None):
        full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
        full_env.pop("FORCE_COLOR", None)
        return subprocess.run(
            [console_script(), *args],
            cwd=cwd,
            input=input.encode() if isinstance(input, str) else input,
            capture_output=True,
            env=full_env,
            timeout=120,
        )

    return run


@pytest.fixture
def invoke():
    """Run the CLI in-process (typer's CliRunner); returns click's Result."""
    from bidcheck.cli import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, env={"NO_COLOR": "1"})

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """write("name.yaml", yaml_text) -> the path, with the text dedented."""

    def write_file(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write_file


def stdout_text(process: subprocess.CompletedProcess) -> str:
    return process.stdout.decode("utf-8") if isinstance(process.stdout, bytes) else process.stdout


def stderr_text(process: subprocess.CompletedProcess) -> str:
    return process.stderr.decode("utf-8") if isinstance(process.stderr, bytes) else process.stderr
