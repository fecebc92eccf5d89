"""Issue 11 tried again as a pull-request author would, with new inputs of the kinds it lists.

Each test here stands for a kind of fault found by attacking the merged work: a folder or path
component a pull request turned into a symbolic link, standard output redirected onto an input,
and the GitHub Action's check step run over a checkout with more hostile files than the first
fixture had.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import stderr_text, stdout_text
from tests.test_untrusted_pull_request import hostile  # noqa: F401  (the fixture)

posix_only = pytest.mark.skipif(os.name != "posix", reason="symbolic links as on POSIX systems")

TOKEN = "ghp_FAKE0TOKEN0FOR0TESTS0z9"  # shorter than an excerpt: echoed whole if read
LOSS_MAKING = 'tender: {{id: {id}, title: Carers support}}\nincumbent: none\nbid: {{price: "£500k", full_cost: "£560k"}}\n'


def tender(tender_id: str) -> str:
    return LOSS_MAKING.format(id=tender_id)


@pytest.fixture
def checkout(write, tmp_path: Path) -> Path:
    """A repository checkout (it holds ``.git``) with one real tender, and a folder of secrets
    outside it that a pull request can point a symbolic link at."""
    write("elsewhere/credentials.yaml", f"tender: {{id: LEAK, title: x, deadline: {TOKEN}}}\n")
    write("repo/.git/HEAD", "ref: refs/heads/main\n")
    write("repo/tenders/real.yaml", tender("REAL-1"))
    return tmp_path / "repo"


# --- a folder the command line names, or one its path runs through, is a link out of the repository


@posix_only
@pytest.mark.parametrize(
    ("link", "argument"),
    [
        ("linked", "linked"),  # the named folder itself
        ("linked", "linked/"),
        ("linked", "./linked/."),
        ("tenders/sub", "tenders/sub"),  # a folder below a real one
        ("tenders/sub", "tenders/sub/credentials.yaml"),  # the folder of a named file
        ("tenders/sub", "tenders/sub/*.yaml"),  # the fixed part of a glob
        ("tenders/sub", "tenders//sub/./credentials.yaml"),
    ],
)
def test_a_named_path_through_a_symlinked_folder_leading_out_of_the_repository_is_refused_unread(run_cli, checkout, link, argument):
    os.symlink(checkout.parent / "elsewhere", checkout / link, target_is_directory=True)
    process = run_cli("check", argument, "tenders/real.yaml", "--format", "json", cwd=checkout)
    report = json.loads(stdout_text(process))
    everything = stdout_text(process) + stderr_text(process)
    assert TOKEN not in everything and "elsewhere" not in everything  # neither the secret nor where the link leads
    (error,) = report["errors"]
    assert error["file"] == argument and "symbolic link" in error["message"]
    assert [result["tender"]["id"] for result in report["results"]] == ["REAL-1"]  # the rest is checked
    assert process.returncode == 2


@posix_only
def test_a_symlinked_folder_that_stays_inside_the_repository_is_read(run_cli, checkout):
    os.symlink("tenders", checkout / "alias", target_is_directory=True)
    process = run_cli("check", "alias", "--format", "json", cwd=checkout)
    report = json.loads(stdout_text(process))
    assert report["errors"] == []
    assert [result["tender"]["id"] for result in report["results"]] == ["REAL-1"]


@posix_only
def test_a_named_folder_outside_any_repository_may_be_reached_through_a_link_the_user_made(run_cli, write, tmp_path):
    """Outside a repository (a folder of one's own tenders) the link is the user's, not a pull request's."""
    write("data/tenders/one.yaml", tender("ONE-1"))
    (tmp_path / "work").mkdir()
    os.symlink(tmp_path / "data/tenders", tmp_path / "work/tenders", target_is_directory=True)
    process = run_cli("check", str(tmp_path / "work/tenders"), "--format", "json", cwd=tmp_path / "work")
    report = json.loads(stdout_text(process))
    assert report["errors"] == [] and [result["tender"]["id"] for result in report["results"]] == ["ONE-1"]


# --- standard output is an output too: appended onto an input, it would change the input


@pytest.mark.parametrize("victim", ["tenders/real.yaml", "bidcheck.yaml"])
@pytest.mark.parametrize("output_format", ["text", "json", "csv"])
def test_stdout_redirected_onto_an_input_is_refused_before_checking(checkout, victim, output_format):
    import subprocess

    from tests.conftest import console_script

    (checkout / "bidcheck.yaml").write_text("policies: {refuse_loss_making_bids: true}\n", encoding="utf-8")
    before = (checkout / victim).read_bytes()
    with open(checkout / victim, "ab") as appended:  # what `bidcheck check tenders >> tenders/real.yaml` does
        process = subprocess.run(
            [console_script(), "check", "tenders", "--format", output_format],
            cwd=checkout,
            stdout=appended,
            stderr=subprocess.PIPE,
            env={**os.environ, "NO_COLOR": "1"},
            timeout=120,
        )
    assert (checkout / victim).read_bytes() == before
    assert "standard output" in stderr_text(process) and "an input" in stderr_text(process)
    assert process.returncode == 2


# --- a config is read with the same bounds as a tender: TOML nested past the YAML limit


DEEP_TOML = {
    "arrays": "[tool.bidcheck]\nthresholds = " + "[" * 5000 + "]" * 5000 + "\n",
    "inline tables": "[tool.bidcheck]\nthresholds = " + "{a = " * 400 + "1" + "}" * 400 + "\n",
    "dotted keys": "[tool.bidcheck]\n" + "a." * 3000 + "b = 1\n",
    "table header": "[tool.bidcheck." + ".".join(["a"] * 3000) + "]\nb = 1\n",
}


@pytest.mark.parametrize("kind", sorted(DEEP_TOML))
@pytest.mark.parametrize("where", ["found by the search", "nested under --config"])
def test_a_pyproject_nested_too_deeply_is_a_located_refusal_not_an_internal_error(run_cli, checkout, write, kind, where):
    folder = checkout if where == "found by the search" else checkout / "tenders"
    (folder / "pyproject.toml").write_text(DEEP_TOML[kind], encoding="utf-8")
    pinned = ["--config", str(write("policy.yaml", "policies: {refuse_loss_making_bids: true}\n"))] if "config" in where else []
    process = run_cli("check", "tenders", *pinned, cwd=checkout)
    stderr = stderr_text(process)
    assert "internal error" not in stderr and "Traceback" not in stderr
    assert any(line.startswith(str(folder / "pyproject.toml") + ":") or line.startswith("tenders/pyproject.toml:") for line in stderr.splitlines())
    assert process.returncode == 2


# --- the GitHub Action's check step, on a pull request with more hostile files


@posix_only
def test_action_step_on_more_hostile_files_runs_no_code_echoes_no_secret_forges_no_command_and_holds_the_policy(hostile):
    from tests.test_formats import workflow_commands
    from tests.test_untrusted_pull_request import SECRET, ran_code, run_action_step

    repo, tenders, secrets = hostile["repo"], hostile["repo"] / "tenders", hostile["tmp"] / "secrets"
    (secrets / "short.yaml").write_text(f"tender: {{id: S, title: x, deadline: {SECRET[:30]}}}\n")
    # A second checked folder that the pull request replaced with a link to the secrets.
    (repo / "proposals").symlink_to(secrets, target_is_directory=True)
    # Links to a device, a FIFO, file names built to forge workflow commands.
    (tenders / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(tenders / "pipe.yaml")
    for name in ("x\n::error::forged.yaml", "::warning::start.yaml", "y\r::stop-commands::token.yaml"):
        (tenders / name).write_text("tender: {id: NAMED, title: x\n")
    # Nested configs of every name, and one nested too deeply to parse.
    for folder, name, text in [
        ("hidden-name", ".bidcheck.yaml", "rules: {ignore: [PWR]}\n"),
        ("yml", "bidcheck.yml", "rules: {ignore: [PWR]}\n"),
        ("toml-table", "pyproject.toml", "[tool.bidcheck.rules]\nignore = ['PWR']\n"),
        ("toml-inline", "pyproject.toml", "[tool]\nbidcheck = {rules = {ignore = ['PWR']}}\n"),
        ("toml-deep", "pyproject.toml", "[tool.bidcheck]\nthresholds = " + "[" * 3000 + "]" * 3000 + "\n"),
    ]:
        (tenders / folder).mkdir()
        (tenders / folder / name).write_text(text)
        (tenders / folder / "loss.yaml").write_text(tender(f"IN-{folder.upper()}"))
    # An organisation smuggled in through a YAML merge key, and a waiver by a look-alike approver.
    (tenders / "merged.yaml").write_text(tender("MERGED-1") + '<<: {organisation: {name: Tiny, annual_income: "£1k"}}\n')
    (tenders / "look-alike.yaml").write_text(
        tender("ALIKE-1") + "waivers:\n  - {rule: PWR001, reason: absorb it, approved_by: Bоard of trustees, expires: 2099-12-31}\n"
    )
    # The SARIF path, committed by the pull request as a link to a file of the runner's.
    (hostile["home"] / ".bashrc").write_text("export PATH\n")
    (repo / "bidcheck.sarif").symlink_to(hostile["home"] / ".bashrc")

    process = run_action_step(hostile, paths="tenders proposals", config=str(hostile["policy"]), sarif="bidcheck.sarif")

    assert ran_code(hostile) == []
    assert SECRET[:30] not in process.stdout + process.stderr and "secrets" not in process.stdout + process.stderr
    assert (hostile["home"] / ".bashrc").read_text() == "export PATH\n"  # never written through the link
    assert process.returncode == 2
    if process.stdout:  # a refused report path stops the run before checking: nothing forged either way
        commands = workflow_commands(process.stdout)  # every line a well-formed command
        assert {command for command, _, _ in commands} <= {"error", "warning", "notice"}
    assert not [line for line in process.stderr.splitlines() if line.startswith("::")]

    # Without the hostile report path, the whole batch runs and the pin holds everywhere.
    (repo / "bidcheck.sarif").unlink()
    process = run_action_step(hostile, paths="tenders proposals", config=str(hostile["policy"]), sarif="bidcheck.sarif")
    sarif = json.loads((repo / "bidcheck.sarif").read_text())
    everything = process.stdout + process.stderr + json.dumps(sarif)
    assert ran_code(hostile) == [] and SECRET[:30] not in everything and "secrets" not in everything
    commands = workflow_commands(process.stdout)
    assert {command for command, _, _ in commands} <= {"error", "warning", "notice"}
    assert not [line for line in process.stderr.splitlines() if line.startswith("::")]
    errors = {properties.get("file"): message for command, properties, message in commands if command == "error"}
    assert "proposals" in errors and "symbolic link" in errors["proposals"]
    for refused in ("tenders/zero.yaml", "tenders/pipe.yaml", "tenders/merged.yaml"):
        assert refused in errors, refused
    nested = [("hidden-name", ".bidcheck.yaml"), ("yml", "bidcheck.yml")] + [(f"toml-{kind}", "pyproject.toml") for kind in ("table", "inline", "deep")]
    for folder, name in nested:
        assert f"tenders/{folder}/{name}" in errors, folder  # the nested config is an error, located there
        pwr001 = [command for command, properties, _ in commands if properties.get("file") == f"tenders/{folder}/loss.yaml" and properties.get("title", "").startswith("PWR001")]
        assert pwr001 == ["error"], folder  # and its `ignore: [PWR]` did not apply
    look_alike = [c for c in commands if c[1].get("file") == "tenders/look-alike.yaml" and c[1].get("title", "").startswith("PWR001")]
    assert look_alike and look_alike[0][0] == "error"  # the look-alike approver's waiver did not apply
    assert process.returncode == 2


# --- a config's rules files are inputs too


@pytest.mark.parametrize("entry", ["my_rules.py", "rules_folder", "./rules_folder/../my_rules.py"])
@pytest.mark.parametrize("pinned", [False, True])
def test_a_report_onto_a_rules_file_named_by_the_config_in_use_is_refused_before_checking(run_cli, checkout, entry, pinned):
    (checkout / "rules_folder").mkdir()
    (checkout / "rules_folder" / "more.py").write_text("# the team's rules\n")
    (checkout / "my_rules.py").write_text("# the team's rules\n")
    (checkout / "bidcheck.yaml").write_text(f"rules: {{paths: [{entry}]}}\n")
    target = "rules_folder/more.py" if entry == "rules_folder" else "my_rules.py"
    config = ["--config", "bidcheck.yaml"] if pinned else []
    process = run_cli("check", "tenders", *config, "--output", target, "--no-plugins", cwd=checkout)
    assert (checkout / target).read_text() == "# the team's rules\n"
    assert "an input" in stderr_text(process) and stdout_text(process) == ""
    assert process.returncode == 2


# --- `init --force` writes only where a report may: never through a link a pull request committed


@posix_only
@pytest.mark.parametrize("kind", ["tender", "config"])
@pytest.mark.parametrize("link", ["to a file", "dangling", "in a linked folder"])
def test_init_force_never_writes_through_a_symbolic_link(run_cli, tmp_path, kind, link):
    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    outside.mkdir()
    (outside / "bashrc").write_text("export PATH\n")
    name = "bidcheck.yaml" if kind == "config" else "tender.yaml"
    if link == "in a linked folder":
        (work / "linked").symlink_to(outside, target_is_directory=True)
        target = f"linked/{name}"
    else:
        (work / name).symlink_to(outside / ("bashrc" if link == "to a file" else "created"))
        target = name
    process = run_cli("init", target, "--force", *(["--config"] if kind == "config" else []), cwd=work)
    assert sorted(path.name for path in outside.iterdir()) == ["bashrc"]
    assert (outside / "bashrc").read_text() == "export PATH\n"
    assert "symbolic link" in stderr_text(process)
    assert process.returncode == 2


def test_init_force_still_replaces_a_regular_file(run_cli, tmp_path):
    (tmp_path / "tender.yaml").write_text("old\n")
    process = run_cli("init", "--force", cwd=tmp_path)
    assert process.returncode == 0 and (tmp_path / "tender.yaml").read_text() != "old\n"


@posix_only
def test_init_force_to_a_device_writes_it_directly_and_never_replaces_it(run_cli, tmp_path):
    import stat

    process = run_cli("init", "--force", os.devnull, cwd=tmp_path)
    assert process.returncode == 0 and stat.S_ISCHR(os.stat(os.devnull).st_mode)
