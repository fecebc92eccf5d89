"""Trust boundaries around configs: a pull request must not make bidcheck run its code or read
a policy from outside the project (issue 11 §1, and §4's config detection).

"No code ran" is proved with a planted rules file that creates a marker file when imported.
Every CLI behaviour is observed through the installed console script; reports are parsed as
JSON, and warnings are recognised by the file and line they name, not by their wording.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bidcheck.problems import Problem, ProblemsFound
from tests.conftest import ROOT, console_script, stderr_text, stdout_text
from tests.test_plugins import installed_plugin  # noqa: F401 - the example plugin, pip-installed once

PLANTED_RULES = '''
import pathlib

from bidcheck.api import RECOGNISE_YOUR_POWER, Severity, Threshold, rule

pathlib.Path({marker!r}).write_text("code named by a config ran")


@rule(
    "EVL001",
    title="Planted rule",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.BLOCKER,
    thresholds=[Threshold("planted_days", 5, "A planted threshold.", unit="days")],
)
def planted(tender, context):
    """Planted by a pull request."""
    return []
'''
TENDER = "tender: {id: T-1, title: Befriending service}\nincumbent: none\n"
LOSS_MAKING = 'tender: {id: LOSS-1, title: Carers support}\nincumbent: none\nbid: {price: "£500k", full_cost: "£560k"}\n'

# Each command that reads a config, run from the repository's root.
COMMANDS = {
    "check": ["check", "tenders", "--format", "json", "--fail-on", "never"],
    "rules": ["rules", "--format", "json"],
    "explain": ["explain", "PWR001"],
    "schema": ["schema", "config"],
    "config": ["config", "--format", "json"],  # the config for the working folder
}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def plant_rules(path: Path, marker: Path) -> Path:
    """A rules file that leaves ``marker`` behind if anything imports it."""
    return write(path, PLANTED_RULES.format(marker=str(marker)))


def make_repository(folder: Path, git: str = "folder") -> Path:
    """A bid-pipeline repository with one tender; ``.git`` a folder, or a file as in a worktree."""
    folder.mkdir(parents=True, exist_ok=True)
    if git == "folder":
        (folder / ".git").mkdir()
    else:
        (folder / ".git").write_text("gitdir: /somewhere/else/.git/worktrees/bids\n")
    write(folder / "tenders" / "t1.yaml", TENDER)
    return folder


def yaml_config_naming(entry: str) -> str:
    """A bidcheck.yaml whose ``rules.paths`` entry is on line 3."""
    return f"rules:\n  paths:\n    - {json.dumps(entry)}\n"


def pyproject_naming(entry: str) -> str:
    """A pyproject.toml whose ``rules.paths`` entry is on line 3 of a multi-line array."""
    return f"[tool.bidcheck.rules]\npaths = [\n    {json.dumps(entry)},\n]\n"


CONFIG_KINDS = {"bidcheck.yaml": yaml_config_naming, "pyproject.toml": pyproject_naming}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def cli(run_cli, home):
    """run_cli with $HOME set to a folder of the test's own."""

    def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
        return run_cli(*args, cwd=cwd, env={"HOME": str(home), **(env or {})})

    return run


def warning_lines(process: subprocess.CompletedProcess) -> list[str]:
    return [line for line in stderr_text(process).splitlines() if line.startswith("warning: ")]


def warns_about(process: subprocess.CompletedProcess, where: str) -> bool:
    """Whether a warning names ``where`` (a file, or file:line) as its location."""
    return any(line.startswith(f"warning: {where}:") for line in warning_lines(process))


def config_used(cli, folder: Path, cwd: Path) -> dict:
    process = cli("config", str(folder), "--format", "json", cwd=cwd)
    assert process.returncode == 0, stderr_text(process)
    return json.loads(stdout_text(process))


def checked_rules(process: subprocess.CompletedProcess) -> list[str]:
    (result,) = json.loads(stdout_text(process))["results"]
    return result["checked"]


# --- 1. The config search stops at the repository root and at $HOME -----------------------


@pytest.mark.parametrize("command, git", [*((command, "folder") for command in COMMANDS), ("check", "file")])
def test_a_config_planted_above_the_repository_root_is_never_read(command, git, cli, tmp_path):
    marker = tmp_path / "ran"
    plant_rules(tmp_path / "evil.py", marker)
    write(tmp_path / "bidcheck.yaml", "rules:\n  paths: [evil.py]\n  select: [EVL]\n")
    repository = make_repository(tmp_path / "bids", git)

    process = cli(*COMMANDS[command], cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert not marker.exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_config_planted_above_home_is_never_read(command, cli, home, tmp_path):
    marker = tmp_path / "ran"
    plant_rules(tmp_path / "evil.py", marker)
    write(tmp_path / "bidcheck.yaml", "rules:\n  paths: [evil.py]\n  select: [EVL]\n")
    project = home / "bids"  # not a repository: the search stops at $HOME
    write(project / "tenders" / "t1.yaml", TENDER)

    process = cli(*COMMANDS[command], cwd=project)
    assert process.returncode == 0, stderr_text(process)
    assert not marker.exists()


def test_a_config_in_the_repository_root_itself_is_found(cli, tmp_path):
    repository = make_repository(tmp_path / "bids")
    write(tmp_path / "bidcheck.yaml", "rules: {select: [PWR001]}\n")  # above the root: not read
    write(repository / "bidcheck.yaml", "rules: {select: [PWR002]}\n")
    process = cli(*COMMANDS["check"], cwd=repository)
    assert checked_rules(process) == ["PWR002"]


def test_a_config_in_home_itself_is_found(cli, home, tmp_path):
    write(tmp_path / "bidcheck.yaml", "rules: {select: [PWR001]}\n")  # above $HOME: not read
    write(home / ".bidcheck.yaml", "rules: {select: [PWR002]}\n")
    write(home / "bids" / "tenders" / "t1.yaml", TENDER)
    process = cli(*COMMANDS["check"], cwd=home / "bids")
    assert checked_rules(process) == ["PWR002"]


def test_the_search_still_walks_up_inside_the_repository(cli, tmp_path):
    repository = make_repository(tmp_path / "bids")
    write(repository / "bidcheck.yaml", "rules: {select: [PWR002]}\n")
    write(repository / "pipeline" / "2026" / "q4" / "t2.yaml", TENDER.replace("T-1", "T-2"))
    assert config_used(cli, repository / "pipeline" / "2026" / "q4", cwd=tmp_path)["config_file"] == str(repository / "bidcheck.yaml")


# --- 1. Config files bidcheck must not trust are passed over, named ------------------------


@pytest.mark.parametrize("mode", [0o646, 0o664])
def test_a_config_writable_by_others_is_skipped_with_a_warning_naming_it(mode, cli, tmp_path):
    marker = tmp_path / "ran"
    repository = make_repository(tmp_path / "bids")
    plant_rules(repository / "evil.py", marker)
    config = write(repository / "bidcheck.yaml", "rules:\n  paths: [evil.py]\n  select: [EVL]\n")
    config.chmod(mode)
    if mode & 0o020:  # group-writable matters only when the group holds someone else
        if os.geteuid() != 0:
            pytest.skip("only root can give a file to a group it is not in")
        os.chown(config, -1, 65534)  # nogroup

    process = cli(*COMMANDS["check"], cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert not marker.exists()
    assert warns_about(process, str(config))
    assert "PWR001" in checked_rules(process)  # the defaults applied


def test_a_config_writable_only_by_your_own_private_group_is_used(cli, tmp_path):
    """umask 002 (user-private groups): a config you wrote is group-writable by a group of one, you."""
    import grp
    import pwd

    you = pwd.getpwuid(os.geteuid())
    if grp.getgrgid(you.pw_gid).gr_mem not in ([], [you.pw_name]):
        pytest.skip("your primary group has other members here")
    repository = make_repository(tmp_path / "bids")
    config = write(repository / "bidcheck.yaml", "rules:\n  select: [PWR001]\n")
    config.chmod(0o664)
    os.chown(config, -1, you.pw_gid)

    process = cli(*COMMANDS["check"], cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert not warns_about(process, str(config))
    assert checked_rules(process) == ["PWR001"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_world_writable_config_is_skipped_by_every_command(command, cli, tmp_path):
    marker = tmp_path / "ran"
    repository = make_repository(tmp_path / "bids")
    plant_rules(repository / "evil.py", marker)
    config = write(repository / "bidcheck.yaml", "rules:\n  paths: [evil.py]\n  select: [EVL]\n")
    config.chmod(0o666)

    process = cli(*COMMANDS[command], cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert not marker.exists()
    assert warns_about(process, str(config))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_config_owned_by_another_user_is_skipped_with_a_warning_naming_it(cli, tmp_path):
    marker = tmp_path / "ran"
    repository = make_repository(tmp_path / "bids")
    plant_rules(repository / "evil.py", marker)
    config = write(repository / "bidcheck.yaml", "rules:\n  paths: [evil.py]\n  select: [EVL]\n")
    os.chown(config, 65534, 65534)  # nobody

    process = cli(*COMMANDS["check"], cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert not marker.exists()
    assert warns_about(process, str(config))


def test_a_config_symlinked_to_a_file_outside_the_repository_is_skipped_and_never_echoed(cli, tmp_path):
    secret = write(tmp_path / "secrets" / "credentials.yaml", "organisation: {annual_income: TOKEN-5f3a9c-SECRET}\n")
    repository = make_repository(tmp_path / "bids")
    (repository / "bidcheck.yaml").symlink_to(secret)

    process = cli(*COMMANDS["check"], cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert "PWR001" in checked_rules(process)  # the defaults, not the secret file
    assert "TOKEN-5f3a9c-SECRET" not in stdout_text(process) + stderr_text(process)
    assert warns_about(process, str(repository / "bidcheck.yaml"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("name", ["bidcheck.yaml", "pyproject.toml"])
def test_a_config_that_is_not_a_regular_file_is_skipped_not_read(name, cli, tmp_path):
    repository = make_repository(tmp_path / "bids")
    os.mkfifo(repository / name)  # reading a FIFO would hang the run
    process = cli(*COMMANDS["check"], cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert "PWR001" in checked_rules(process)


def test_a_config_named_with_the_config_option_is_trusted_as_named(cli, tmp_path):
    repository = make_repository(tmp_path / "bids")
    config = write(repository / "policy.yaml", "rules: {select: [PWR002]}\n")
    config.chmod(0o666)
    process = cli(*COMMANDS["check"], "--config", str(config), cwd=repository)
    assert checked_rules(process) == ["PWR002"]


# --- 2. Rule paths stay inside the config's repository -------------------------------------


def outside_entries(tmp_path: Path, repository: Path) -> dict[str, str]:
    """Ways a rules.paths entry can lead to code outside the repository."""
    outside = tmp_path / "outside"
    (repository / "link.py").symlink_to(outside / "evil.py")
    (repository / "vendored").mkdir()
    (repository / "vendored" / "rules.py").symlink_to(outside / "evil.py")
    return {
        "parent": "../outside/evil.py",
        "absolute": str(outside / "evil.py"),
        "dot-dot inside": "tenders/../../outside/evil.py",
        "home": "~/evil.py",
        "symlink": "link.py",
        "folder holding a symlink": "vendored",
    }


@pytest.mark.parametrize("kind", ["parent", "absolute", "dot-dot inside", "home", "symlink", "folder holding a symlink"])
@pytest.mark.parametrize("config_name", CONFIG_KINDS)
def test_a_rule_path_leading_outside_the_repository_is_a_located_error_and_never_runs(kind, config_name, run_cli, tmp_path):
    marker = tmp_path / "ran"
    outside = tmp_path / "outside"
    plant_rules(outside / "evil.py", marker)
    repository = make_repository(tmp_path / "bids")
    entry = outside_entries(tmp_path, repository)[kind]
    config = write(repository / config_name, CONFIG_KINDS[config_name](entry))

    process = run_cli(*COMMANDS["check"], cwd=repository, env={"HOME": str(outside)})
    assert process.returncode == 2
    assert not marker.exists()
    assert stderr_text(process).startswith(f"{config}:3:")  # the entry's own line
    assert json.loads(stdout_text(process))["results"] == []


@pytest.mark.parametrize("config_name, kind", [("bidcheck.yaml", "parent"), ("pyproject.toml", "absolute")])
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_a_rule_path_leading_outside_the_repository(command, config_name, kind, cli, tmp_path):
    marker = tmp_path / "ran"
    plant_rules(tmp_path / "outside" / "evil.py", marker)
    repository = make_repository(tmp_path / "bids")
    entry = outside_entries(tmp_path, repository)[kind]
    config = write(repository / config_name, CONFIG_KINDS[config_name](entry))

    process = cli(*COMMANDS[command], cwd=repository)
    assert process.returncode == 2
    assert not marker.exists()
    assert f"{config}:3:" in stderr_text(process)


def test_a_rule_path_outside_any_repository_stays_inside_the_configs_folder(cli, tmp_path):
    marker = tmp_path / "ran"
    plant_rules(tmp_path / "evil.py", marker)
    project = tmp_path / "bids"  # no .git anywhere: the config's own folder bounds it
    config = write(project / "bidcheck.yaml", yaml_config_naming("../evil.py"))
    write(project / "tenders" / "t1.yaml", TENDER)
    process = cli(*COMMANDS["check"], cwd=project)
    assert process.returncode == 2 and not marker.exists()
    assert stderr_text(process).startswith(f"{config}:3:")


@pytest.mark.parametrize("config_name", CONFIG_KINDS)
def test_a_rule_path_leading_elsewhere_inside_the_repository_still_loads(config_name, cli, tmp_path):
    marker = tmp_path / "ran"
    repository = make_repository(tmp_path / "bids")
    plant_rules(repository / "shared" / "our_rules.py", marker)
    write(repository / "teams" / "london" / config_name, CONFIG_KINDS[config_name]("../../shared/our_rules.py"))
    write(repository / "teams" / "london" / "t1.yaml", TENDER)
    process = cli("rules", "--format", "json", cwd=repository / "teams" / "london")
    assert process.returncode == 0, stderr_text(process)
    assert "EVL001" in {rule["id"] for rule in json.loads(stdout_text(process))}


SEGMENTS = st.sampled_from(["..", ".", "a", "b", "link", "our_rules.py", "evil.py"])


@pytest.fixture(scope="module")
def confinement_repository(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("confinement")
    repository = make_repository(base / "bids")
    (repository / "a" / "b").mkdir(parents=True)
    for folder in (repository, repository / "a", repository / "a" / "b", base):
        (folder / "our_rules.py").write_text("")
        (folder / "evil.py").write_text("")
    (repository / "a" / "link").symlink_to(base)
    write(repository / "bidcheck.yaml", "rules:\n  paths: []\n")
    return repository


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(SEGMENTS, min_size=1, max_size=6), absolute=st.booleans())
def test_every_accepted_rule_path_resolves_inside_the_repository(parts, absolute, confinement_repository):
    from bidcheck.config import load_config
    from bidcheck.rule_sources import config_rule_sources

    repository = confinement_repository
    entry = ("/" if absolute else "") + "/".join(parts)
    config = load_config(repository / "bidcheck.yaml")
    try:
        sources = config_rule_sources([entry], config.path, lambda path, message: _located(config, path, message))
    except ProblemsFound as error:
        (problem,) = error.problems
        assert (problem.file, problem.line) == (str(repository / "bidcheck.yaml"), 2)
        return
    assert not absolute
    for source in sources:
        if not source.as_module:
            resolved = Path(source.text).resolve()
            assert resolved == repository or repository in resolved.parents, entry


def _located(config, path, message: str) -> Problem:
    where = config.document.value_position_of(path)
    return Problem(config.document.file, where.line, where.column, message)


# --- 2. Module names in rules.paths are modules ----------------------------------------------

MODULE_RULES = '''
from bidcheck.api import RECOGNISE_YOUR_POWER, Severity, rule


@rule("MOD001", title="A rule from a module", recommendation=RECOGNISE_YOUR_POWER, severity=Severity.INFO)
def from_a_module(tender, context):
    """Loaded by module name."""
    return []
'''


@pytest.mark.parametrize("config_name", CONFIG_KINDS)
def test_a_module_name_in_rules_paths_is_imported_as_a_module_not_joined_to_the_folder(config_name, cli, tmp_path):
    site = tmp_path / "site"
    write(site / "my_pkg" / "__init__.py", "")
    write(site / "my_pkg" / "rules.py", MODULE_RULES)
    repository = make_repository(tmp_path / "bids")
    write(repository / config_name, CONFIG_KINDS[config_name]("my_pkg.rules"))
    process = cli("rules", "--format", "json", cwd=repository, env={"PYTHONPATH": str(site)})
    assert process.returncode == 0, stderr_text(process)
    assert "MOD001" in {rule["id"] for rule in json.loads(stdout_text(process))}


def test_the_built_in_rules_module_may_be_named_in_rules_paths(cli, tmp_path):
    repository = make_repository(tmp_path / "bids")
    write(repository / "bidcheck.yaml", yaml_config_naming("bidcheck_rules"))
    process = cli(*COMMANDS["check"], cwd=repository)
    assert process.returncode == 0, stderr_text(process)


def test_a_missing_module_named_in_rules_paths_is_located_at_its_entry(cli, tmp_path):
    repository = make_repository(tmp_path / "bids")
    config = write(repository / "bidcheck.yaml", yaml_config_naming("no_such_rules_module"))
    process = cli(*COMMANDS["check"], cwd=repository)
    assert process.returncode == 2
    assert stderr_text(process).startswith(f"{config}:3:")


# --- 3. --no-plugins and BIDCHECK_NO_PLUGINS ------------------------------------------------

NO_PLUGINS_WAYS = {
    "option": (["--no-plugins"], {}),
    "variable 1": ([], {"BIDCHECK_NO_PLUGINS": "1"}),
    "variable true": ([], {"BIDCHECK_NO_PLUGINS": "true"}),
    "variable YES": ([], {"BIDCHECK_NO_PLUGINS": "YES"}),
}


@pytest.fixture
def repository_with_config_code(tmp_path: Path) -> tuple[Path, Path]:
    """A repository whose bidcheck.yaml names rules inside it; the rules leave a marker."""
    marker = tmp_path / "ran"
    repository = make_repository(tmp_path / "bids")
    plant_rules(repository / "evil.py", marker)
    write(repository / "bidcheck.yaml", yaml_config_naming("evil.py"))
    return repository, marker


def test_without_no_plugins_a_configs_rules_are_loaded(cli, repository_with_config_code):
    repository, marker = repository_with_config_code  # the marker is a faithful witness
    process = cli(*COMMANDS["rules"], cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert marker.exists()


@pytest.mark.parametrize(
    "command, way", [*((command, "option") for command in COMMANDS), *(("check", way) for way in NO_PLUGINS_WAYS if way != "option")]
)
def test_no_plugins_loads_no_code_named_by_a_config(command, way, cli, repository_with_config_code):
    repository, marker = repository_with_config_code
    options, env = NO_PLUGINS_WAYS[way]
    process = cli(*COMMANDS[command], *options, cwd=repository, env=env)
    assert process.returncode == 0, stderr_text(process)
    assert not marker.exists()
    assert warns_about(process, f"{repository / 'bidcheck.yaml'}:3")  # the skipped entry, located


@pytest.mark.parametrize("config_name", CONFIG_KINDS)
def test_no_plugins_skips_rule_paths_in_either_config_format(config_name, cli, tmp_path):
    marker = tmp_path / "ran"
    repository = make_repository(tmp_path / "bids")
    plant_rules(repository / "evil.py", marker)
    config = write(repository / config_name, CONFIG_KINDS[config_name]("evil.py"))
    process = cli(*COMMANDS["check"], "--no-plugins", cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert not marker.exists()
    assert warns_about(process, f"{config}:3")
    assert "PWR001" in checked_rules(process)  # built-in rules still run


@pytest.mark.parametrize("command", COMMANDS)
def test_no_plugins_loads_no_code_named_by_the_rules_option(command, cli, tmp_path):
    marker = tmp_path / "ran"
    repository = make_repository(tmp_path / "bids")
    plant_rules(repository / "evil.py", marker)
    process = cli(*COMMANDS[command], "--rules", "evil.py", cwd=repository, env={"BIDCHECK_NO_PLUGINS": "1"})
    assert process.returncode == 0, stderr_text(process)
    assert not marker.exists()
    assert warns_about(process, "--rules")


def test_under_no_plugins_the_settings_for_unloaded_rules_are_warnings_not_errors(cli, tmp_path):
    marker = tmp_path / "ran"
    repository = make_repository(tmp_path / "bids")
    plant_rules(repository / "evil.py", marker)
    config = write(repository / "bidcheck.yaml", """
        rules:
          paths: [evil.py]
          select: [PWR, EVL001]
          ignore: [EVL002]
          severity: {EVL001: info}
        thresholds:
          planted_days: 3
          incumbent_dependency_concern_pct: 30
        """)
    process = cli(*COMMANDS["check"], "--no-plugins", cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert not marker.exists()
    for line in (2, 3, 4, 5, 7):
        assert warns_about(process, f"{config}:{line}"), (line, stderr_text(process))
    assert not warns_about(process, f"{config}:8")  # a threshold a built-in rule reads is used
    assert all(rule.startswith("PWR") for rule in checked_rules(process))


def test_under_no_plugins_a_selection_of_only_unloaded_rules_is_an_error_not_an_empty_check(cli, tmp_path):
    repository = make_repository(tmp_path / "bids")
    plant_rules(repository / "evil.py", tmp_path / "ran")
    config = write(repository / "bidcheck.yaml", "rules:\n  paths: [evil.py]\n  select: [EVL]\n")
    process = cli(*COMMANDS["check"], "--no-plugins", cwd=repository)
    assert process.returncode == 2
    assert f"{config}:3:" in stderr_text(process)
    assert json.loads(stdout_text(process))["results"] == []


@pytest.mark.parametrize("value", ["0", "false", "no", ""])
def test_a_no_plugins_variable_saying_no_leaves_plugins_on(value, cli, repository_with_config_code):
    repository, marker = repository_with_config_code
    process = cli(*COMMANDS["rules"], cwd=repository, env={"BIDCHECK_NO_PLUGINS": value})
    assert process.returncode == 0, stderr_text(process)
    assert marker.exists()


@pytest.mark.parametrize("command", ["check", "rules"])
def test_an_unclear_no_plugins_variable_is_a_usage_error_and_loads_nothing(command, cli, repository_with_config_code):
    repository, marker = repository_with_config_code
    process = cli(*COMMANDS[command], cwd=repository, env={"BIDCHECK_NO_PLUGINS": "maybe"})
    assert process.returncode == 2
    assert not marker.exists()
    assert "Traceback" not in stderr_text(process)


def test_no_plugins_still_loads_installed_entry_points(cli, installed_plugin, tmp_path):
    repository = make_repository(tmp_path / "bids")
    process = cli("rules", "--format", "json", "--no-plugins", cwd=repository, env={"PYTHONPATH": str(installed_plugin)})
    assert process.returncode == 0, stderr_text(process)
    origins = {rule["id"]: rule["origin"] for rule in json.loads(stdout_text(process))}
    assert origins["PWR001"] == "built-in" and origins["DLN001"].startswith("plugin ")


# --- 4. The GitHub Action: no plugins unless the workflow opts in; --config pins the policy ----


def action_check_step() -> dict:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    return next(step for step in action["runs"]["steps"] if step["name"] == "Check tenders")


def run_action(repository: Path, runner_temp: Path, **inputs: str) -> subprocess.CompletedProcess:
    """The action's check step as the runner runs it, with this environment's bidcheck."""
    if not (runner_temp / "bidcheck-venv" / "bin" / "bidcheck").exists():
        (runner_temp / "bidcheck-venv" / "bin").mkdir(parents=True)
        (runner_temp / "bidcheck-venv" / "bin" / "bidcheck").symlink_to(console_script())
    env = {**os.environ, "RUNNER_TEMP": str(runner_temp), "PATHS": "tenders", "FAIL_ON": "no-bid", "SARIF": "", **inputs}
    return subprocess.run(["bash", "-c", action_check_step()["run"]], cwd=repository, env=env, capture_output=True, text=True)


def test_the_actions_inputs_reach_its_script_through_the_environment():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["inputs"]["allow-plugins"]["default"] == "false"
    assert action["inputs"]["config"]["default"] == ""
    step = action_check_step()
    assert "${{" not in step["run"]
    assert step["env"]["ALLOW_PLUGINS"] == "${{ inputs.allow-plugins }}" and step["env"]["CONFIG"] == "${{ inputs.config }}"


@pytest.fixture
def hostile_repository(tmp_path: Path, home: Path) -> tuple[Path, list[Path]]:
    """A pull request's checkout: a code-loading config, a config planted above the repository
    root, and a subfolder whose config is a symlink to a secret. Returns it and the markers."""
    markers = [tmp_path / "ran-from-the-repository", tmp_path / "ran-from-above"]
    plant_rules(tmp_path / "evil.py", markers[1])
    write(tmp_path / "bidcheck.yaml", "rules: {paths: [evil.py]}\n")
    repository = make_repository(tmp_path / "bids")
    write(repository / "tenders" / "loss.yaml", LOSS_MAKING)
    plant_rules(repository / "evil.py", markers[0])
    write(repository / "bidcheck.yaml", "organisation: {annual_income: '£45m'}\nrules: {paths: [evil.py], ignore: [PWR]}\n")
    secret = write(home / ".secrets" / "token.yaml", "organisation: {annual_income: TOKEN-5f3a9c-SECRET}\n")
    (repository / "tenders" / "archive").mkdir()
    (repository / "tenders" / "archive" / "bidcheck.yaml").symlink_to(secret)
    write(repository / "tenders" / "archive" / "old.yaml", TENDER.replace("T-1", "OLD-1"))
    return repository, markers


@pytest.mark.parametrize("allow", [None, "false", "yes"])
def test_the_action_runs_no_code_from_a_pull_request_unless_the_workflow_allows_plugins(allow, hostile_repository, tmp_path):
    repository, markers = hostile_repository
    inputs = {} if allow is None else {"ALLOW_PLUGINS": allow}
    process = run_action(repository, tmp_path / "runner", HOME=str(tmp_path / "home"), **inputs)
    assert process.returncode in (0, 1), process.stderr
    assert not any(marker.exists() for marker in markers)
    assert "TOKEN-5f3a9c-SECRET" not in process.stdout + process.stderr


def test_the_action_loads_a_configs_rules_when_the_workflow_allows_plugins(hostile_repository, tmp_path):
    repository, markers = hostile_repository
    run_action(repository, tmp_path / "runner", HOME=str(tmp_path / "home"), ALLOW_PLUGINS="true")
    assert markers[0].exists()  # the repository's own config, by the workflow's choice
    assert not markers[1].exists()  # never the one above the repository


def test_the_actions_config_input_pins_the_policy_over_the_pull_requests_config(hostile_repository, tmp_path):
    repository, markers = hostile_repository
    write(repository / ".github" / "bidcheck.yaml", "organisation: {annual_income: '£45m'}\npolicies: {refuse_loss_making_bids: true}\n")
    process = run_action(repository, tmp_path / "runner", HOME=str(tmp_path / "home"), CONFIG=".github/bidcheck.yaml")
    assert not any(marker.exists() for marker in markers)
    annotations = [line for line in process.stdout.splitlines() if line.startswith("::error ")]
    assert any("loss.yaml" in line and "PWR001" in line for line in annotations), process.stdout + process.stderr
    # The pull request's own config inside the checked folder is an error under the pin, not a policy.
    assert any(line.startswith("::error file=tenders/archive/bidcheck.yaml") and "--config" in line for line in annotations)
    assert process.returncode == 2


# --- 5. Which files are configs (§4) ---------------------------------------------------------


@pytest.mark.parametrize(
    "pyproject",
    [
        "[tool.bidcheck-extras]\nenabled = true\n",
        "[tool.bidcheck_extras]\nenabled = true\n",
        '[tool."bidcheck.extras"]\nenabled = true\n',
        '[project]\nname = "bids"\ndescription = """\n[tool.bidcheck]\n"""\n',
        "# [tool.bidcheck] is configured in bidcheck.yaml\n[tool.black]\nline-length = 100\n",
    ],
    ids=["hyphenated", "underscored", "quoted dotted", "in a string", "in a comment"],
)
def test_a_pyproject_without_a_tool_bidcheck_key_does_not_shadow_the_parent_config(pyproject, cli, tmp_path):
    repository = make_repository(tmp_path / "bids")
    write(repository / "bidcheck.yaml", "rules: {select: [PWR001]}\n")
    write(repository / "tenders" / "pyproject.toml", pyproject)
    process = cli(*COMMANDS["check"], cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert checked_rules(process) == ["PWR001"]


SPELLINGS_OF_TOOL_BIDCHECK = {
    "inline table": '[tool]\nbidcheck = {rules = {select = ["PWR002"]}}\n',
    "dotted keys under [tool]": '[tool]\nbidcheck.rules.select = ["PWR002"]\n',
    "dotted keys at the top": 'tool.bidcheck.rules.select = ["PWR002"]\n',
    "dotted keys under [tool.bidcheck]": '[tool.bidcheck]\nrules.select = ["PWR002"]\n',
    "a sub-table": '[tool.bidcheck.rules]\nselect = ["PWR002"]\n',
}


@pytest.mark.parametrize("spelling", SPELLINGS_OF_TOOL_BIDCHECK)
def test_tool_bidcheck_is_found_however_valid_toml_spells_it(spelling, cli, tmp_path):
    repository = make_repository(tmp_path / "bids")
    write(repository / "bidcheck.yaml", "rules: {select: [PWR001]}\n")
    write(repository / "tenders" / "pyproject.toml", SPELLINGS_OF_TOOL_BIDCHECK[spelling] + '\n[project]\nname = "bids"\n')
    process = cli(*COMMANDS["check"], cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert checked_rules(process) == ["PWR002"]


@pytest.mark.parametrize("spelling", SPELLINGS_OF_TOOL_BIDCHECK)
def test_a_typo_in_any_spelling_of_tool_bidcheck_is_located_at_its_line(spelling, cli, tmp_path):
    repository = make_repository(tmp_path / "bids")
    text = '# bids\n' + SPELLINGS_OF_TOOL_BIDCHECK[spelling].replace("PWR002", "PWX002") + '\n[project]\nname = "bids"\n'
    pyproject = write(repository / "tenders" / "pyproject.toml", text)
    process = cli(*COMMANDS["check"], cwd=repository)
    assert process.returncode == 2
    (line,) = [number for number, written in enumerate(text.splitlines(), start=1) if "PWX002" in written]
    assert stderr_text(process).startswith(f"{pyproject}:{line}:"), stderr_text(process)


def test_a_bad_entry_in_a_multi_line_toml_array_is_located_on_its_own_line(cli, tmp_path):
    repository = make_repository(tmp_path / "bids")
    pyproject = write(
        repository / "pyproject.toml",
        '[tool.bidcheck]\nrules = {select = [\n  "PWR001",  # loss-making\n  """PWX002""",\n  \'PWR003\',\n]}\n',
    )
    process = cli(*COMMANDS["check"], cwd=repository)
    assert process.returncode == 2
    assert stderr_text(process).startswith(f"{pyproject}:4:3:"), stderr_text(process)


@pytest.mark.parametrize(
    "name, text",
    [
        ("bidcheck.yaml", ""),
        ("bidcheck.yaml", "# organisation: {name: Example}\n# thresholds: {}\n"),
        ("bidcheck.yaml", "---\n"),
        ("pyproject.toml", "[tool.bidcheck]\n"),
        ("pyproject.toml", "[tool]\nbidcheck = {}\n"),
    ],
    ids=["empty yaml", "all-comment yaml", "bare document yaml", "empty table", "empty inline table"],
)
def test_an_empty_config_in_either_format_means_no_settings(name, text, cli, tmp_path):
    repository = make_repository(tmp_path / "bids")
    write(repository / "bidcheck.yaml", "rules: {select: [PWR001]}\n")
    write(repository / "tenders" / name, text)
    process = cli(*COMMANDS["check"], cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert len(checked_rules(process)) > 1  # the defaults: every rule, not the parent's choice


PRECEDENCE = ["bidcheck.yaml", ".bidcheck.yaml", "bidcheck.yml", "pyproject.toml"]


@pytest.mark.parametrize("first, second", [(a, b) for i, a in enumerate(PRECEDENCE) for b in PRECEDENCE[i + 1 :]])
def test_several_configs_in_one_folder_use_the_documented_first_and_warn_naming_it(first, second, cli, tmp_path):
    repository = make_repository(tmp_path / "bids")
    folder = repository / "tenders"
    for name, rule_id in ((first, "PWR001"), (second, "PWR002")):
        text = f'[tool.bidcheck.rules]\nselect = ["{rule_id}"]\n' if name == "pyproject.toml" else f"rules: {{select: [{rule_id}]}}\n"
        write(folder / name, text)
    process = cli(*COMMANDS["check"], cwd=repository)
    assert process.returncode == 0, stderr_text(process)
    assert checked_rules(process) == ["PWR001"]
    (warning,) = [line for line in warning_lines(process) if line.startswith(f"warning: {folder / first}:")]
    assert second in warning


def test_readme_documents_the_order_of_configs_in_one_folder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Configuration", 1)[1].split("\n## ", 1)[0]
    positions = [section.find(f"`{name}`") for name in PRECEDENCE]
    assert -1 not in positions and positions == sorted(positions), positions


QUOTES = st.sampled_from(['"', "'", '"""', "'''"])
RULE_IDS = st.from_regex(r"[A-Z]{3}[0-9]{3}", fullmatch=True)
GAPS = st.sampled_from([" ", "\n  ", "\n\n    ", "  # a comment\n  ", "\t"])


@settings(max_examples=150, deadline=None)
@given(items=st.lists(st.tuples(RULE_IDS, QUOTES, GAPS), min_size=1, max_size=6), inline=st.booleans())
def test_each_item_of_a_toml_array_is_located_where_it_is_written(items, inline, tmp_path_factory):
    from bidcheck.pyproject import read_pyproject

    head = '[tool]\nbidcheck = {rules = {select = [' if inline else '[tool.bidcheck.rules]\nselect = ['
    text, expected = head, []
    for rule_id, quote, gap in items:
        text += gap
        line = text.count("\n") + 1
        expected.append((line, len(text) - (text.rfind("\n") + 1) + 1))
        text += f"{quote}{rule_id}{quote},"
    text += "\n]" + ("}}" if inline else "") + '\n\n[project]\nname = "bids"\n'
    path = tmp_path_factory.mktemp("toml") / "pyproject.toml"
    path.write_text(text, encoding="utf-8")

    document = read_pyproject(path)
    assert document.data == {"rules": {"select": [rule_id for rule_id, _, _ in items]}}
    assert [tuple(document.value_position_of(("rules", "select", index))) for index in range(len(items))] == expected
