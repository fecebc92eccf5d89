"""The trust boundary on pull requests, and a policy nobody can quietly change (issue 11).

A pull request's author can edit any file a CI check reads. These tests play that author:
links to secrets and devices among the tenders, values built to leak or forge lines in
messages, a tender's own organisation and nested configs against a pinned ``--config``,
waivers nobody may approve; and a config author's slips: no rule left selected, threshold
levels in the wrong order, one typo hiding the rest.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bidcheck.problems import ProblemsFound, excerpt
from bidcheck.read import read_text
from bidcheck.validate import validate_tender
from tests.conftest import console_script, stderr_text, stdout_text
from tests.test_formats import workflow_commands

posix_only = pytest.mark.skipif(os.name != "posix", reason="symbolic links, devices and FIFOs as on POSIX systems")

TOKEN = "ghp_FAKE0TOKEN0FOR0TESTS0a1b2c3d4e5f6g7h8"
LOSS_MAKING = 'tender: {{id: {id}, title: Carers support}}\nincumbent: none\nbid: {{price: "£500k", full_cost: "£560k"}}\n'
FORMATS = ["text", "json", "markdown", "sarif", "junit", "github", "csv"]


def tender(tender_id: str = "T-1") -> str:
    return LOSS_MAKING.format(id=tender_id)


def check(run_cli, *args: str, cwd: Path):
    """`bidcheck check ... --format json`: (exit status, report, stderr)."""
    process = run_cli("check", *args, "--format", "json", cwd=cwd)
    return process.returncode, json.loads(stdout_text(process)), stderr_text(process)


def parsed(output_format: str, text: str) -> object:
    """Each format read back with a real parser: the output stays well formed."""
    if output_format in ("json", "sarif"):
        return json.loads(text)
    if output_format == "junit":
        return ElementTree.fromstring(text)
    if output_format == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    if output_format == "github":
        return workflow_commands(text)
    return text.splitlines()


def every_format(run_cli, *args: str, cwd: Path) -> tuple[dict[str, str], str, int]:
    """One run writing every format (text on stdout, the rest with --report), each parsed:
    (output by format, stderr, exit status)."""
    reports = [f"--report={name}=report.{name}" for name in FORMATS if name != "text"]
    process = run_cli("check", *args, *reports, cwd=cwd)
    outputs = {"text": stdout_text(process)}
    outputs.update({name: (cwd / f"report.{name}").read_text(encoding="utf-8") for name in FORMATS if name != "text"})
    for name, text in outputs.items():
        parsed(name, text)
    return outputs, stderr_text(process), process.returncode


def run_limited(*args: str, cwd: Path, stdin=None, memory: int = 1024**3) -> subprocess.CompletedProcess:
    """The console script with its address space capped, so reading without a bound fails fast
    (MemoryError) instead of filling the machine."""

    def cap_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    environment = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [console_script(), *args], cwd=cwd, stdin=stdin, capture_output=True, env=environment, timeout=120, preexec_fn=cap_memory
    )


# --- 1. tenders are read only inside what the command line names --------------------------


@pytest.fixture
def planted(write, tmp_path: Path) -> Path:
    """A checkout with one real tender and a link, among the tenders, to a secret outside them."""
    write("secrets/credentials.yaml", f"tender: {{id: LEAK, title: {TOKEN}}}\nbid: {{price: '{TOKEN}'}}\n")
    write("tenders/real.yaml", tender("REAL-1"))
    (tmp_path / "tenders/sub").mkdir()
    os.symlink(tmp_path / "secrets/credentials.yaml", tmp_path / "tenders/sub/linked.yaml")
    return tmp_path


@posix_only
@pytest.mark.parametrize("argument", ["tenders", "tenders/", "tenders/**/*.yaml", "tenders/sub/*.yaml", "tenders/sub/linked.yaml"])
def test_a_link_that_leads_outside_the_named_folders_is_refused_by_name_and_never_echoed(run_cli, planted, argument):
    extra = ["tenders/real.yaml"] if argument.startswith("tenders/sub") else []
    code, report, stderr = check(run_cli, argument, *extra, cwd=planted)
    (error,) = report["errors"]
    assert (error["file"], error["line"], error["column"]) == ("tenders/sub/linked.yaml", 1, 1)
    assert "outside the folders named" in error["message"]
    assert [result["tender"]["id"] for result in report["results"]] == ["REAL-1"]  # the rest is checked
    assert TOKEN not in json.dumps(report) + stderr and "credentials" not in json.dumps(report) + stderr
    assert code == 2


@posix_only
def test_a_secret_behind_a_link_appears_in_no_format(run_cli, planted):
    outputs, stderr, code = every_format(run_cli, "tenders", cwd=planted)
    assert all(TOKEN not in text for text in [*outputs.values(), stderr])
    assert code == 2


@posix_only
def test_a_link_to_a_file_inside_a_named_folder_is_read(run_cli, write, tmp_path):
    write("shared/base.yaml", tender("SHARED-1"))
    (tmp_path / "tenders").mkdir()
    os.symlink("../shared/base.yaml", tmp_path / "tenders/linked.yaml")
    code, report, _ = check(run_cli, "tenders", "shared", cwd=tmp_path)
    assert report["errors"] == []
    # Read through the link; shared/base.yaml, named too, is the same file, so it is one tender, checked once.
    assert [result["file"] for result in report["results"]] == ["tenders/linked.yaml"]


@posix_only
def test_a_link_to_a_device_among_the_tenders_never_exhausts_memory(write, tmp_path):
    write("tenders/real.yaml", tender("REAL-1"))
    os.symlink("/dev/zero", tmp_path / "tenders/zero.yaml")
    process = run_limited("check", "tenders", "--format", "json", cwd=tmp_path)
    report = json.loads(stdout_text(process))
    (error,) = report["errors"]
    assert error["file"] == "tenders/zero.yaml" and "internal error" not in stderr_text(process)
    assert [result["tender"]["id"] for result in report["results"]] == ["REAL-1"]
    assert process.returncode == 2


@posix_only
@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo.yaml"])
def test_a_file_that_is_not_a_regular_file_is_refused_unread(write, tmp_path, special):
    write("real.yaml", tender("REAL-1"))
    if special == "fifo.yaml":
        os.mkfifo(tmp_path / special)  # nobody writes to it: reading it would wait forever
    process = run_limited("check", special, "real.yaml", "--format", "json", cwd=tmp_path)
    report = json.loads(stdout_text(process))
    (error,) = report["errors"]
    assert error["file"] == special and "not a regular file" in error["message"]
    assert [result["tender"]["id"] for result in report["results"]] == ["REAL-1"]
    assert process.returncode == 2


@posix_only
def test_a_fifo_found_in_a_folder_is_refused_and_the_rest_is_checked(write, tmp_path):
    write("tenders/real.yaml", tender("REAL-1"))
    os.mkfifo(tmp_path / "tenders/waiting.yaml")
    process = run_limited("check", "tenders", "--format", "json", cwd=tmp_path)
    (error,) = json.loads(stdout_text(process))["errors"]
    assert error["file"] == "tenders/waiting.yaml" and "not a regular file" in error["message"]


@posix_only
def test_stdin_is_read_no_further_than_the_size_limit(tmp_path):
    with open("/dev/zero", "rb") as endless:
        process = run_limited("check", "-", "--max-file-size", "1kB", "--format", "json", cwd=tmp_path, stdin=endless)
    (error,) = json.loads(stdout_text(process))["errors"]
    assert error["file"] == "<stdin>" and "1,024-byte limit" in error["message"]
    assert "internal error" not in stderr_text(process) and process.returncode == 2


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_the_size_limit_holds_for_a_file_whose_size_reads_as_zero(run_cli, tmp_path):
    assert Path("/proc/self/status").stat().st_size == 0  # what stat says; it holds far more
    code, report, _ = check(run_cli, "/proc/self/status", "--max-file-size", "64", cwd=tmp_path)
    (error,) = report["errors"]
    assert "64-byte limit" in error["message"] and code == 2


def test_stdin_and_globs_still_work(run_cli, write, tmp_path):
    write("tenders/a.yaml", tender("A-1"))
    process = run_cli("check", "-", "--format", "json", cwd=tmp_path, input=tender("STDIN-1"))
    assert [r["tender"]["id"] for r in json.loads(stdout_text(process))["results"]] == ["STDIN-1"]
    code, report, _ = check(run_cli, "tenders/*.yaml", cwd=tmp_path)
    assert [r["tender"]["id"] for r in report["results"]] == ["A-1"] and report["errors"] == []


# --- 2. messages quote a short, escaped excerpt -------------------------------------------

LONG = "x" * 5 + TOKEN + "\n::error file=evil.yaml::forged\n" + "y" * 10_000  # the token whole within 46 characters
PLANTS = {
    "money": lambda value: f"tender: {{id: V-1, title: T, value: {value}}}\n",
    "date": lambda value: f"tender: {{id: V-1, title: T, deadline: {value}}}\n",
    "percentage": lambda value: f"tender: {{id: V-1, title: T, results_pct: {value}}}\n",
    "choice": lambda value: f"tender: {{id: V-1, title: T}}\nbid: {{mission_fit: {value}}}\n",
    "yes/no": lambda value: f"tender: {{id: V-1, title: T}}\nincumbent: {{local: {value}}}\n",
    # A key this long must be written as an explicit key (`? key`): YAML limits implicit ones.
    "unknown key": lambda value: f"tender:\n  id: V-1\n  title: T\n  ? {value}\n  : 1\n",
    "duplicate key": lambda value: f"tender: {{id: V-1, title: T}}\n? {value}\n: 1\n? {value}\n: 2\n",
    "waiver rule": lambda value: LOSS_MAKING.format(id="V-1") + f"waivers:\n  - {{rule: {value}, reason: ok, approved_by: Board, expires: 2099-01-31}}\n",
    "config threshold": lambda value: "tender: {id: V-1, title: T}\n",
    "config rule id": lambda value: "tender: {id: V-1, title: T}\n",
}
CONFIGS = {
    "config threshold": lambda value: f"thresholds:\n  ? {value}\n  : 5\n",
    "config rule id": lambda value: f"rules: {{ignore: [{value}]}}\n",
}


@pytest.mark.parametrize("place", list(PLANTS))
def test_a_long_value_with_a_secret_and_line_breaks_is_quoted_only_as_a_short_escaped_excerpt(run_cli, write, tmp_path, place):
    value = json.dumps(LONG)  # a YAML double-quoted scalar holding real line breaks
    write("t.yaml", PLANTS[place](value))
    write("bidcheck.yaml", CONFIGS.get(place, lambda value: "{}\n")(value))
    outputs, stderr, code = every_format(run_cli, "t.yaml", cwd=tmp_path)
    assert all(TOKEN not in text for text in [*outputs.values(), stderr])
    assert "xxxxx" + TOKEN[:30] in stderr  # the excerpt is there: the value was quoted, only short
    for name, text in [*outputs.items(), ("stderr", stderr)]:
        if name != "github":  # the one format made of workflow commands
            assert not any(line.startswith("::") for line in text.splitlines()), name  # none forged
    assert code == 2 or place == "waiver rule"


@settings(deadline=None, max_examples=150)
@given(value=st.text(min_size=41, max_size=400))
def test_any_value_in_a_message_is_escaped_and_cut(value):
    for plant in (PLANTS["money"], PLANTS["date"], PLANTS["unknown key"]):
        text = plant(json.dumps(value))
        try:
            validate_tender(read_text(text, "t.yaml"))
        except ProblemsFound as error:
            for problem in error.problems:
                assert problem.message.isprintable(), problem.message
                assert value not in problem.message


@given(value=st.text(max_size=300), limit=st.integers(min_value=1, max_value=80))
def test_an_excerpt_is_printable_one_line_and_bounded(value, limit):
    quoted = excerpt(value, limit)
    assert quoted.isprintable()
    assert len(quoted) <= 10 * limit + 3  # an escape is at most 10 characters (\U0010ffff)
    if len(value) <= limit:
        assert quoted == repr(value)
    else:
        assert quoted.endswith("…" + quoted[0])


# --- 3. --config pins the policy ----------------------------------------------------------

PINNED = 'organisation: {name: Pinned Charity, annual_income: "£45m"}\npolicies: {refuse_loss_making_bids: true}\n'
IGNORE_EVERYTHING = "rules: {ignore: [IMP, PWR, MIS, COL, GOV, COM]}\n"


def test_a_tenders_organisation_block_under_config_is_an_error_that_says_the_policy_is_pinned(run_cli, write, tmp_path):
    write("policy/bidcheck.yaml", PINNED)
    write("tenders/a.yaml", tender("A-1"))
    write("tenders/own.yaml", tender("OWN-1") + 'organisation:\n  annual_income: "£10k"\n')
    code, report, stderr = check(run_cli, "tenders", "--config", "policy/bidcheck.yaml", cwd=tmp_path)
    (error,) = report["errors"]
    assert (error["file"], error["line"], error["column"]) == ("tenders/own.yaml", 4, 1)
    assert "--config" in error["message"] and "pins the policy" in error["message"]
    assert [(r["tender"]["id"], r["verdict"]) for r in report["results"]] == [("A-1", "no-bid")]
    assert code == 2


@pytest.mark.parametrize(
    "nested, text",
    [
        ("bidcheck.yaml", IGNORE_EVERYTHING),
        (".bidcheck.yaml", IGNORE_EVERYTHING),
        ("bidcheck.yml", IGNORE_EVERYTHING),
        ("pyproject.toml", '[tool.bidcheck.rules]\nignore = ["IMP", "PWR", "MIS", "COL"]\n'),
    ],
)
def test_a_config_nested_in_the_checked_folders_under_config_is_an_error_and_the_pin_holds(run_cli, write, tmp_path, nested, text):
    write("policy.yaml", PINNED)
    write("tenders/a.yaml", tender("A-1"))
    write("tenders/team/b.yaml", tender("B-1"))
    write(f"tenders/team/{nested}", text)
    code, report, stderr = check(run_cli, "tenders", "--config", "policy.yaml", cwd=tmp_path)
    (error,) = report["errors"]
    assert (error["file"], error["line"], error["column"]) == (f"tenders/team/{nested}", 1, 1)
    assert "--config pins the policy" in error["message"]
    # Both tenders still checked, under the pinned policy: the loss-making bid blocks.
    assert [(r["tender"]["id"], r["verdict"]) for r in report["results"]] == [("A-1", "no-bid"), ("B-1", "no-bid")]
    assert f"tenders/team/{nested}:1:1: " in stderr and code == 2


def test_the_pinned_config_itself_inside_the_checked_folder_is_no_error(run_cli, write, tmp_path):
    write("bidcheck.yaml", PINNED)
    write("tenders/a.yaml", tender("A-1"))
    code, report, _ = check(run_cli, ".", "--config", "bidcheck.yaml", cwd=tmp_path)
    assert report["errors"] == [] and code == 1


def test_without_config_a_nested_config_and_an_organisation_block_work_as_before(run_cli, write, tmp_path):
    write("bidcheck.yaml", PINNED)
    write("tenders/team/bidcheck.yaml", "rules: {select: [IMP001]}\n")
    write("tenders/team/b.yaml", tender("B-1") + "organisation: {name: One-off}\n")
    code, report, _ = check(run_cli, "tenders", cwd=tmp_path)
    assert report["errors"] == [] and report["results"][0]["checked"] == ["IMP001"]


# --- 4. waivers need a listed approver and a loaded rule -----------------------------------

APPROVERS = "policies: {refuse_loss_making_bids: true}\nrules: {select: [PWR001]}\nwaivers:\n  approvers: [Board of Trustees, Chief Executive]\n"


def waived(approved_by: str | None, rule: str = "PWR001") -> str:
    line = "" if approved_by is None else f"    approved_by: {approved_by}\n"
    return tender("W-1") + f"waivers:\n  - rule: {rule}\n    reason: Fixed-price pilot agreed with the buyer\n{line}    expires: 2099-01-31\n"


@pytest.mark.parametrize("approved_by, line", [("Bob from the PR", 7), ("Board", 7), ("'Board of Trustees, 2026-11-10'", 7)])
def test_a_waiver_not_approved_by_a_listed_approver_does_not_apply_and_warns_at_the_waiver(run_cli, write, tmp_path, approved_by, line):
    write("bidcheck.yaml", APPROVERS)
    write("w.yaml", waived(approved_by))
    code, report, stderr = check(run_cli, "w.yaml", cwd=tmp_path)
    (result,) = report["results"]
    assert result["verdict"] == "no-bid" and code == 1  # the finding counts
    assert [finding["waived"] for finding in result["findings"]] == [False]
    (warning,) = result["warnings"]
    assert (warning["line"], warning["column"]) == (line, 5) and "waivers.approvers" in warning["message"]
    assert f"warning: w.yaml:{line}:5: " in stderr


@pytest.mark.parametrize("approved_by", ["Board of Trustees", "  board of TRUSTEES  ", "'chief executive'"])
def test_a_waiver_by_a_listed_approver_applies_ignoring_case_and_surrounding_spaces(run_cli, write, tmp_path, approved_by):
    write("bidcheck.yaml", APPROVERS)
    write("w.yaml", waived(approved_by))
    code, report, _ = check(run_cli, "w.yaml", cwd=tmp_path)
    (result,) = report["results"]
    assert result["verdict"] == "bid" and result["warnings"] == [] and code == 0


def test_without_approvers_any_approver_is_accepted_as_before(run_cli, write, tmp_path):
    write("bidcheck.yaml", APPROVERS.split("waivers:")[0])
    write("w.yaml", waived("Anyone"))
    assert check(run_cli, "w.yaml", cwd=tmp_path)[1]["results"][0]["verdict"] == "bid"


def test_approvers_are_part_of_the_config_schema(run_cli, tmp_path):
    schema = json.loads(stdout_text(run_cli("schema", "config", cwd=tmp_path)))
    assert "waivers" in schema["properties"]
    approvers = next(d["properties"]["approvers"] for d in schema["$defs"].values() if "approvers" in d.get("properties", {}))
    assert approvers["type"] == "array" and "approved_by" in approvers["description"]


@pytest.mark.parametrize("rule, hint", [("PWR01", "did you mean PWR001?"), ("pwr001", "did you mean PWR001?"), ("XYZ999", "the loaded rules are")])
def test_a_waiver_naming_no_loaded_rule_is_an_input_error_with_a_hint(run_cli, write, tmp_path, rule, hint):
    # v2 (SPEC §1): no longer a warning on a checked tender, but an input error (tests/test_waivers_v2.py).
    write("bidcheck.yaml", APPROVERS.split("waivers:")[0])
    write("w.yaml", waived("Board", rule=rule))
    code, report, _ = check(run_cli, "w.yaml", cwd=tmp_path)
    (error,) = report["errors"]
    assert hint in error["message"] and "not a loaded rule" in error["message"] and error["line"] == 5
    assert report["results"] == [] and code == 2


def test_a_waiver_of_a_rule_that_was_not_selected_is_not_reported_unused(run_cli, write, tmp_path):
    write("w.yaml", waived("Board").replace("rule: PWR001", "rule: IMP001"))
    code, report, stderr = check(run_cli, "w.yaml", "--select", "PWR", cwd=tmp_path)
    assert report["results"][0]["warnings"] == [] and "warning" not in stderr
    code, report, _ = check(run_cli, "w.yaml", "--select", "PWR,IMP001", cwd=tmp_path)
    assert report["results"][0]["warnings"] == []  # it ran and its finding was waived
    assert [f["waived"] for f in report["results"][0]["findings"] if f["rule"] == "IMP001"] == [True]


# --- 5. a selection of no rules, and threshold levels out of order -------------------------


@pytest.mark.parametrize(
    "arguments, config, where",
    [
        (["--select", "PWR001", "--ignore", "PWR"], "{}\n", "--ignore:1:1"),
        (["--ignore", "IMP,PWR,MIS,COL,GOV,COM"], "{}\n", "--ignore:1:1"),
        (["--ignore", "IMP", "--ignore", "PWR,MIS", "--ignore", "COL,GOV,COM"], "{}\n", "--ignore:1:1"),
        ([], "rules:\n  ignore: [IMP, PWR, MIS, COL, GOV, COM]\n", "bidcheck.yaml:2:11"),
        (["--select", "COL001"], "rules:\n  ignore: [COL]\n", "bidcheck.yaml:2:11"),
    ],
)
def test_selecting_no_rule_is_an_error_not_a_clean_bid(run_cli, write, tmp_path, arguments, config, where):
    write("bidcheck.yaml", config)
    write("t.yaml", tender("T-1"))
    code, report, stderr = check(run_cli, "t.yaml", *arguments, cwd=tmp_path)
    assert report["results"] == [] and code == 2
    assert any(where in line and "no rule is selected" in line for line in stderr.splitlines()), stderr


def test_every_prefix_ignored_is_an_error_for_every_loaded_rule(run_cli, write, tmp_path):
    catalogue = json.loads(stdout_text(run_cli("rules", "--format", "json", cwd=tmp_path)))
    prefixes = sorted({rule["id"][:3] for rule in catalogue})
    write("t.yaml", tender("T-1"))
    code, _, stderr = check(run_cli, "t.yaml", "--ignore", ",".join(prefixes), cwd=tmp_path)
    assert "no rule is selected" in stderr and code == 2


@pytest.mark.parametrize(
    "thresholds, line",
    [
        ("  incumbent_dependency_concern_pct: 60\n", 2),  # above the default blocker level
        ("  incumbent_dependency_blocker_pct: 20\n", 2),  # below the default concern level
        ("  incumbent_dependency_blocker_pct: 30\n  incumbent_dependency_concern_pct: 40%\n", 3),
    ],
)
def test_a_concern_level_above_its_blocker_level_is_a_located_error_naming_both(run_cli, write, tmp_path, thresholds, line):
    write("bidcheck.yaml", "thresholds:\n" + thresholds)
    write("t.yaml", tender("T-1"))
    code, report, stderr = check(run_cli, "t.yaml", cwd=tmp_path)
    (problem,) = [l for l in stderr.splitlines() if l.startswith("bidcheck.yaml:") or "/bidcheck.yaml:" in l]
    assert f"bidcheck.yaml:{line}:" in problem
    assert "incumbent_dependency_concern_pct" in problem and "incumbent_dependency_blocker_pct" in problem
    assert report["results"] == [] and code == 2


def test_equal_concern_and_blocker_levels_are_allowed(run_cli, write, tmp_path):
    write("bidcheck.yaml", "thresholds:\n  incumbent_dependency_concern_pct: 50\n  incumbent_dependency_blocker_pct: 50\n")
    write("t.yaml", tender("T-1"))
    assert check(run_cli, "t.yaml", cwd=tmp_path)[1]["errors"] == []


def test_explain_shows_which_threshold_a_level_may_not_undercut(run_cli, tmp_path):
    text = stdout_text(run_cli("explain", "IMP003", cwd=tmp_path))
    (line,) = [line for line in text.splitlines() if line.strip().startswith("incumbent_dependency_blocker_pct:")]
    assert "at least incumbent_dependency_concern_pct" in line


PLUGIN_WITH_ORDERED_THRESHOLDS = '''
from bidcheck.api import RECOGNISE_YOUR_POWER, Severity, Threshold, rule


@rule(
    "ORG001",
    title="Window",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    thresholds=[
        Threshold("short_window_days", 30, "A short window.", unit="days"),
        Threshold("good_window_days", 45, "A good window.", unit="days", at_least="short_window_days"),
    ],
)
def window(tender, context):
    """Rationale."""
    return []
'''


def test_a_plugin_rule_declares_its_own_threshold_order(run_cli, write, tmp_path):
    write("org_rules.py", PLUGIN_WITH_ORDERED_THRESHOLDS)
    write("bidcheck.yaml", "rules: {paths: [org_rules.py]}\nthresholds:\n  short_window_days: 60\n")
    write("t.yaml", tender("T-1"))
    code, _, stderr = check(run_cli, "t.yaml", cwd=tmp_path)
    assert "bidcheck.yaml:3:22: thresholds.short_window_days (60 days) is above thresholds.good_window_days (45 days" in stderr
    assert code == 2


# --- 6. every config error in one run ------------------------------------------------------

MANY_MISTAKES = """\
policies: {refuse_loss_making_bid: true}
thresholds:
  incumbent_dependency_concern_pct: 60
  min_partner_valu_pct: 3
rules:
  ignore: [PWX]
  severity: {COL01: info}
"""


def test_an_invalid_part_of_a_config_does_not_hide_its_threshold_and_rule_id_errors(run_cli, write, tmp_path):
    write("bidcheck.yaml", MANY_MISTAKES)
    write("t.yaml", tender("T-1"))
    code, report, stderr = check(run_cli, "t.yaml", cwd=tmp_path)
    located = {(error["line"], error["column"]) for error in report["errors"] if error["file"].endswith("bidcheck.yaml")}
    assert located == {(1, 12), (3, 37), (4, 3), (6, 12), (7, 14)}, report["errors"]
    messages = " | ".join(error["message"] for error in report["errors"])
    for expected in ("refuse_loss_making_bids", "incumbent_dependency_blocker_pct", "min_partner_value_pct", "PWX", "COL001"):
        assert expected in messages
    assert code == 2


def test_a_config_command_reports_every_error_in_one_run_too(run_cli, write, tmp_path):
    write("bidcheck.yaml", MANY_MISTAKES)
    process = run_cli("config", cwd=tmp_path)
    assert len([line for line in stderr_text(process).splitlines() if "bidcheck.yaml:" in line]) == 5
    assert process.returncode == 2


# --- a --config that is not a file is named for what it is -------------------------------------


@pytest.mark.parametrize("command", [("check", "t.yaml"), ("rules",), ("explain", "PWR001"), ("schema", "config"), ("config",)])
@pytest.mark.parametrize("kind", ["folder", "device"])
def test_a_config_option_naming_a_folder_or_device_says_what_it_is_in_every_command(run_cli, write, tmp_path, command, kind):
    write("t.yaml", tender())
    named = tmp_path / "policy" if kind == "folder" else Path("/dev/null")
    if kind == "folder":
        named.mkdir()
    process = run_cli(*command, "--config", str(named), cwd=tmp_path)
    assert process.returncode == 2
    stderr = stderr_text(process)
    assert "no such file" not in stderr and "Traceback" not in stderr
    assert ("is a folder" if kind == "folder" else "not a regular file") in stderr
