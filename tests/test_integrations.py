"""bidcheck where bid pipelines run it: the pre-commit hook and the composite GitHub Action."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, console_script

NO_BID = """\
tender: {id: LOSS-1, title: Carers support}
incumbent: none
bid: {price: "£500k", full_cost: "£560k"}
"""
BID = """\
tender: {id: FAIR-1, title: Advice line}
incumbent: none
bid: {price: "£600k", full_cost: "£560k"}
"""
CONFIG = 'organisation: {annual_income: "£45m"}\npolicies: {refuse_loss_making_bids: true}\nrules: {select: [PWR]}\n'


@pytest.fixture
def bids_repo(tmp_path: Path) -> Path:
    """A small bid-pipeline repository: a config and two tenders, committed."""
    repo = tmp_path / "bids"
    (repo / "tenders").mkdir(parents=True)
    (repo / "bidcheck.yaml").write_text(CONFIG)
    (repo / "tenders" / "loss.yaml").write_text(NO_BID)
    (repo / "tenders" / "fair.yaml").write_text(BID)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "tenders"], cwd=repo, check=True)
    return repo


def test_pre_commit_hook_definition_matches_the_cli():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "bidcheck"
    assert hook["entry"] == "bidcheck check" and hook["language"] == "python"


def test_pre_commit_try_repo_runs_bidcheck_on_a_sample_repo(bids_repo, tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("pre-commit try-repo needs this checkout to be a git repository")
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    assert pre_commit, "pre-commit is a test extra; install with pip install -e '.[test]'"
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}

    def try_repo(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [pre_commit, "try-repo", str(ROOT), "bidcheck", "--files", *files],
            cwd=bids_repo, env=env, capture_output=True, text=True, timeout=900,
        )

    failing = try_repo("tenders/loss.yaml", "tenders/fair.yaml")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "NO BID" in failing.stdout and "PWR001" in failing.stdout
    assert "Failed" in failing.stdout

    passing = try_repo("tenders/fair.yaml")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout


def test_github_action_step_runs_bidcheck_with_annotations_and_sarif(bids_repo, tmp_path):
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    check_step = next(step for step in action["runs"]["steps"] if step["name"] == "Check tenders")
    # Stand in for the action's own virtual environment with this test environment's bidcheck.
    runner_temp = tmp_path / "runner"
    (runner_temp / "bidcheck-venv" / "bin").mkdir(parents=True)
    (runner_temp / "bidcheck-venv" / "bin" / "bidcheck").symlink_to(console_script())
    env = {**os.environ, "RUNNER_TEMP": str(runner_temp), "PATHS": "tenders", "FAIL_ON": "no-bid", "SARIF": "bidcheck.sarif"}
    process = subprocess.run(["bash", "-c", check_step["run"]], cwd=bids_repo, env=env, capture_output=True, text=True)
    assert process.returncode == 1  # the loss-making tender is a no-bid
    assert "::error file=tenders/loss.yaml,line=3" in process.stdout
    sarif = (bids_repo / "bidcheck.sarif").read_text()
    assert '"version": "2.1.0"' in sarif
