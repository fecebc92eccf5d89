"""The built-in rules in rules/ are found from an editable install and from a wheel installed
into a fresh virtual environment outside the checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import bidcheck_rules
from tests.conftest import EXAMPLES, ROOT

BUILT_IN = {"IMP003", "PWR001", "PWR002"}
NOT_SOURCE = shutil.ignore_patterns(".git", "*.egg-info", "build", "dist", ".venv", "venv", "__pycache__", ".pytest_cache", ".hypothesis")


def test_editable_install_loads_rules_from_the_rules_folder(run_cli):
    if Path(bidcheck_rules.__file__).resolve().parent != ROOT / "rules":
        pytest.skip("bidcheck is not installed in editable mode from this checkout")
    listed = json.loads(run_cli("rules", "--format", "json").stdout)
    assert BUILT_IN <= {rule["id"] for rule in listed}
    assert {rule["origin"] for rule in listed if rule["id"] in BUILT_IN} == {"built-in"}


def test_wheel_in_a_fresh_virtual_environment_finds_the_built_in_rules(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(source)])
    (wheel,) = wheels.glob("bidcheck-*.whl")

    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    bin_dir = environment / ("Scripts" if os.name == "nt" else "bin")
    _run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)])

    outside = tmp_path / "elsewhere"
    shutil.copytree(EXAMPLES, outside / "examples", ignore=shutil.ignore_patterns("plugin"))
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_COLOR"] = "1"
    listed = json.loads(_run([str(bin_dir / "bidcheck"), "rules", "--format", "json"], cwd=outside, env=env))
    assert BUILT_IN <= {rule["id"] for rule in listed}
    assert {rule["origin"] for rule in listed if rule["id"] in BUILT_IN} == {"built-in"}

    report = subprocess.run(
        [str(bin_dir / "bidcheck"), "check", "examples", "--format", "json", "--fail-on", "never"],
        cwd=outside, env=env, capture_output=True, text=True, timeout=300,
    )
    assert report.returncode == 0, report.stderr
    results = json.loads(report.stdout)["results"]
    assert results and all(result["verdict"] for result in results)
    # The wheel's rules, not the checkout's: nothing imported from the source tree.
    where = _run([str(bin_dir / "python"), "-c", "import bidcheck_rules; print(bidcheck_rules.__file__)"], cwd=outside, env=env)
    assert str(environment) in where and str(ROOT) not in where


def _run(command: list[str], **kwargs) -> str:
    process = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)
    assert process.returncode == 0, f"{command}\n{process.stdout}\n{process.stderr}"
    return process.stdout
