"""The GitHub Action's check step on a hostile pull request (README "Running on untrusted pull requests").

The fixture is the repository a pull-request author controls, laid out under a fake ``$HOME``:
a config that loads code and ignores every rule, a config nested under the tenders that ignores
every rule, a tender symlinked to a credentials file outside the repository, a tender whose own
``organisation:`` block drops the policy, a waiver approved by nobody the policy names, and
configs planted above the repository root and above ``$HOME`` that would load code too. The
workflow pins its policy with the Action's ``config`` input, a file outside the checkout.

Each test runs the Action's real ``Check tenders`` step (its shell script, with the inputs
mapped to its environment as GitHub does) and shows that no code ran, no secret was echoed
and the pinned policy held.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, console_script

SECRET = "ghp_DoNotEchoThisToken0123456789abcdef"

# Importing any of these files leaves a marker: the proof that code ran.
EVIL = """\
from pathlib import Path
Path({marker!r}).write_text("code from the pull request ran")
"""

PINNED_POLICY = """\
organisation: {name: Example National Charity, annual_income: "£45m"}
policies: {refuse_loss_making_bids: true}
waivers: {approvers: [Board of trustees]}
"""

LOSS_MAKING = """\
tender: {{id: {id}, title: Carers support}}
incumbent: none
bid: {{price: "£500k", full_cost: "£560k"}}
"""

WAIVED_BY_NOBODY = LOSS_MAKING + """\
waivers:
  - rule: PWR001
    reason: We can absorb the loss this once
    approved_by: me, the pull-request author
    expires: 2099-12-31
"""

OWN_ORGANISATION = LOSS_MAKING + """\
organisation: {{name: Example National Charity, annual_income: "£45m"}}
"""

IGNORE_EVERYTHING = "rules: {{ignore: [IMP, PWR, MIS, COL, GOV, COM], paths: [{path}]}}\n"


@pytest.fixture
def hostile(tmp_path: Path) -> dict[str, Path]:
    """A hostile pull request's checkout, with configs planted above it and a pinned policy outside it."""
    home = tmp_path / "home"
    repo = home / "work" / "bids"
    tenders = repo / "tenders"
    (tenders / "nested").mkdir(parents=True)
    (repo / ".git").mkdir()  # the repository root, as a checkout has it
    markers = tmp_path / "markers"
    markers.mkdir()

    def evil(folder: Path, name: str) -> Path:
        path = folder / f"{name}.py"
        path.write_text(EVIL.format(marker=str(markers / name)))
        return path

    # The pull request's own config: loads code and ignores every rule.
    evil(repo, "evil_in_repo")
    (repo / "bidcheck.yaml").write_text(IGNORE_EVERYTHING.format(path="evil_in_repo.py"))
    # A config nested under the tenders: loads code (by a path escaping upwards) and ignores every rule.
    (tenders / "nested" / "bidcheck.yaml").write_text(IGNORE_EVERYTHING.format(path="../../evil_in_repo.py"))
    (tenders / "nested" / "loss.yaml").write_text(LOSS_MAKING.format(id="NESTED-1"))
    # Configs planted above the repository root and above $HOME, each loading code by an absolute path.
    for folder, name in ((home / "work", "evil_above_repo"), (tmp_path, "evil_above_home")):
        planted = evil(folder, name)
        (folder / "bidcheck.yaml").write_text(IGNORE_EVERYTHING.format(path=json.dumps(str(planted))))
    # A tender that is a symlink to a credentials file outside the repository.
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "credentials.yaml").write_text(f"tender: {{id: {SECRET}, title: {SECRET}}}\ntoken: {SECRET}\n")
    (tenders / "credentials.yaml").symlink_to(secrets / "credentials.yaml")
    # Tenders that try to flip their verdict without approval.
    (tenders / "waived.yaml").write_text(WAIVED_BY_NOBODY.format(id="WAIVED-1"))
    (tenders / "own-organisation.yaml").write_text(OWN_ORGANISATION.format(id="ORG-1"))
    (tenders / "loss.yaml").write_text(LOSS_MAKING.format(id="LOSS-1"))
    # The workflow's policy, outside the checkout (from the base branch, say).
    policy = tmp_path / "policy" / "bidcheck.yaml"
    policy.parent.mkdir()
    policy.write_text(PINNED_POLICY)
    return {"home": home, "repo": repo, "markers": markers, "policy": policy, "tmp": tmp_path}


def run_action_step(hostile: dict[str, Path], **inputs: str) -> subprocess.CompletedProcess:
    """Run the Action's check step as GitHub would: inputs (with the action's defaults) mapped to its env."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    step = next(step for step in action["runs"]["steps"] if step["name"] == "Check tenders")
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(inputs) - set(values)
    assert not unknown, f"the action has no inputs {unknown}"
    values.update(inputs)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BIDCHECK_", "GITHUB_"))}
    for key, expression in step.get("env", {}).items():
        found = re.fullmatch(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", str(expression))
        assert found, f"step env {key} is not a plain input: {expression}"
        env[key] = values[found[1]]
    runner_temp = hostile["tmp"] / "runner"
    (runner_temp / "bidcheck-venv" / "bin").mkdir(parents=True, exist_ok=True)
    link = runner_temp / "bidcheck-venv" / "bin" / "bidcheck"
    if not link.exists():
        link.symlink_to(console_script())
    env.update(RUNNER_TEMP=str(runner_temp), HOME=str(hostile["home"]), NO_COLOR="1")
    return subprocess.run(
        ["bash", "-c", step["run"]], cwd=hostile["repo"], env=env, capture_output=True, text=True, timeout=300
    )


def ran_code(hostile: dict[str, Path]) -> list[str]:
    return sorted(path.name for path in hostile["markers"].iterdir())


def test_action_with_a_pinned_policy_runs_no_code_echoes_no_secret_and_holds_the_policy(hostile):
    process = run_action_step(hostile, paths="tenders", config=str(hostile["policy"]), sarif="bidcheck.sarif")
    everything = process.stdout + process.stderr + (hostile["repo"] / "bidcheck.sarif").read_text()

    assert ran_code(hostile) == []
    assert SECRET not in everything
    assert process.returncode == 2  # the refused files are input errors; the rest were still checked

    annotations = process.stdout.splitlines()
    # The symlink to the credentials is refused by name.
    assert any(line.startswith("::error file=tenders/credentials.yaml") for line in annotations)
    # The pinned policy held: no rule was ignored, no unapproved waiver applied, no override.
    for name in ("loss.yaml", "waived.yaml"):
        assert any(line.startswith(f"::error file=tenders/{name},") and "PWR001" in line for line in annotations), name
    assert any(line.startswith("::error file=tenders/own-organisation.yaml") and "--config" in line for line in annotations)
    assert any(line.startswith("::error file=tenders/nested/bidcheck.yaml") for line in annotations)
    assert any("approved_by" in line or "approver" in line for line in annotations + process.stderr.splitlines())


def test_action_without_a_pinned_policy_still_runs_no_code_and_reads_no_config_above_the_repository(hostile):
    process = run_action_step(hostile, paths="tenders")
    assert ran_code(hostile) == []
    assert SECRET not in process.stdout + process.stderr
    # The planted configs above the repository would have ignored every rule; they were not read, and
    # the pull request's own config cannot load code (its rule paths are skipped with a warning).
    assert "evil_above" not in process.stdout + process.stderr


def test_action_loads_plugins_only_when_the_workflow_opts_in(hostile):
    # An opted-in workflow still never loads code from above the repository or by a path escaping it.
    (hostile["repo"] / "tenders" / "nested" / "bidcheck.yaml").unlink()
    process = run_action_step(hostile, paths="tenders", **{"allow-plugins": "true"})
    assert ran_code(hostile) == ["evil_in_repo"]
    assert SECRET not in process.stdout + process.stderr
