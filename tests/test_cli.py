"""The command line as users meet it: the installed console script, and in-process."""

from __future__ import annotations

import json

import pytest

from bidcheck import __version__
from tests.conftest import stderr_text, stdout_text

LOSS_MAKING = """
tender:
  id: LOSS-1
  title: Carers support service
  value: "£600k"
  term_months: 24
incumbent: none
bid:
  price: "£500k"
  full_cost: "£560k"
"""
CLEAN = """
tender:
  id: CLEAN-1
  title: New advice line
incumbent: none
bid:
  price: "£300k"
  full_cost: "£280k"
"""
CONCERN_ONLY = LOSS_MAKING.replace("LOSS-1", "CONCERN-1")
NEEDS_INFO = """
tender:
  id: INFO-1
  title: Housing support
incumbent: none
bid:
  price: "£300k"
"""
# The batch concentrates on "Recognise your power"; the full catalogue runs on the examples.
POLICY = 'organisation: {name: Us, annual_income: "£45m"}\npolicies: {refuse_loss_making_bids: true}\nrules: {select: [PWR]}\n'


@pytest.fixture
def batch(tmp_path, write):
    """One tender per verdict, under a config that adopts the loss-making policy."""
    write("bidcheck.yaml", POLICY)
    write("a-clean.yaml", CLEAN)
    write("b-info.yaml", NEEDS_INFO)
    write("c-loss.yaml", LOSS_MAKING)
    write("soft/bidcheck.yaml", 'organisation: {annual_income: "£45m"}\nrules: {select: [PWR]}\n')
    write("soft/d-concern.yaml", CONCERN_ONLY)
    return tmp_path


def test_version_from_the_console_script(run_cli):
    process = run_cli("--version")
    assert process.returncode == 0
    assert stdout_text(process).strip() == f"bidcheck {__version__}"


def test_json_output_has_the_spec_shape(run_cli, batch):
    process = run_cli("check", ".", "--format", "json", cwd=batch)
    report = json.loads(stdout_text(process))
    assert set(report) >= {"bidcheck", "schema", "results", "errors", "summary"}
    assert report["bidcheck"] == __version__ and report["schema"] == 2
    verdicts = {r["tender"]["id"]: r["verdict"] for r in report["results"]}
    assert verdicts == {"CLEAN-1": "bid", "INFO-1": "needs-info", "LOSS-1": "no-bid", "CONCERN-1": "bid-with-conditions"}
    assert [r["file"] for r in report["results"]] == ["./a-clean.yaml", "./b-info.yaml", "./c-loss.yaml", "./soft/d-concern.yaml"]
    assert report["summary"] == {"bid": 1, "bid-with-conditions": 1, "needs-info": 1, "no-bid": 1, "errors": 0}
    assert report["errors"] == []
    loss = next(r for r in report["results"] if r["tender"]["id"] == "LOSS-1")
    finding = next(f for f in loss["findings"] if f["rule"] == "PWR001")
    assert set(finding) >= {"rule", "severity", "title", "message", "action", "recommendation", "location", "waived"}
    assert finding["severity"] == "blocker" and finding["waived"] is False
    assert finding["recommendation"] == "Recognise your power"
    assert finding["location"] == {"line": 8, "column": 3}  # bid.price
    assert finding["evidence"]["shortfall"] == 60000.0
    assert finding["source"] == "002_da80ac9788ba7218.txt"


def test_exit_status_follows_fail_on(run_cli, batch):
    expected = {"no-bid": 1, "needs-info": 1, "bid-with-conditions": 1, "never": 0}
    for level, code in expected.items():
        assert run_cli("check", ".", "--fail-on", level, cwd=batch).returncode == code, level
    assert run_cli("check", "a-clean.yaml", "--fail-on", "bid-with-conditions", cwd=batch).returncode == 0
    assert run_cli("check", "soft/d-concern.yaml", "--fail-on", "needs-info", cwd=batch).returncode == 0
    assert run_cli("check", "soft/d-concern.yaml", "--fail-on", "bid-with-conditions", cwd=batch).returncode == 1
    assert run_cli("check", "b-info.yaml", "--fail-on", "needs-info", cwd=batch).returncode == 1


def test_default_fail_on_is_no_bid(run_cli, batch):
    assert run_cli("check", "b-info.yaml", cwd=batch).returncode == 0
    assert run_cli("check", "c-loss.yaml", cwd=batch).returncode == 1


def test_bad_file_is_located_and_the_rest_are_still_checked(run_cli, batch, write):
    write("e-bad.yaml", "tender:\n  id: BAD-1\n  title: Broken\n  value: about a million\n")
    process = run_cli("check", ".", "--format", "json", cwd=batch)
    assert process.returncode == 2
    report = json.loads(stdout_text(process))
    assert len(report["results"]) == 4
    assert report["errors"][0]["file"] == "./e-bad.yaml"
    assert (report["errors"][0]["line"], report["errors"][0]["column"]) == (4, 10)
    assert "./e-bad.yaml:4:10: tender.value: expected an amount of money" in stderr_text(process)
    assert "Traceback" not in stderr_text(process)


def test_text_output_puts_the_verdict_first_and_shows_location_and_action(run_cli, batch):
    process = run_cli("check", "c-loss.yaml", cwd=batch)
    out = stdout_text(process)
    lines = [line for line in out.splitlines() if line.strip()]
    assert "LOSS-1" in lines[0]
    assert "NO BID" in lines[1]
    assert "Recognise your power" in out
    assert "c-loss.yaml:8:3" in out
    assert "£500k is £60k" in out and "→ Reprice" in out
    assert "\x1b[" not in out  # plain when piped
    assert out.rstrip().endswith("1 tender checked: 1 no-bid")


def test_needs_info_ends_with_the_questions_to_answer(run_cli, batch):
    out = stdout_text(run_cli("check", "b-info.yaml", cwd=batch))
    assert "NEEDS INFO" in out
    assert "Questions to answer before deciding:" in out
    assert "bid.full_cost: What is the full cost" in out


def test_bid_with_conditions_lists_the_conditions(run_cli, batch):
    out = stdout_text(run_cli("check", "soft/d-concern.yaml", cwd=batch))
    assert "BID WITH CONDITIONS" in out
    assert "Conditions:" in out and "- Reprice to at least the full cost (£560k)" in out


def test_color_can_be_forced_and_no_color_wins(run_cli, batch):
    assert "\x1b[" in stdout_text(run_cli("check", "c-loss.yaml", "--color", cwd=batch))
    assert "\x1b[" not in stdout_text(run_cli("check", "c-loss.yaml", cwd=batch, env={"NO_COLOR": "1"}))


def test_tender_text_is_never_read_as_markup(run_cli, write, tmp_path):
    write("t.yaml", "tender: {id: '[bold]X', title: '[red]not markup[/red]'}\nincumbent: none\n")
    out = stdout_text(run_cli("check", "t.yaml", "--color", cwd=tmp_path))
    assert "[red]not markup[/red]" in out and "[bold]X" in out


def test_stdin_is_checked(run_cli, batch):
    process = run_cli("check", "-", "--format", "json", cwd=batch, input=LOSS_MAKING)
    report = json.loads(stdout_text(process))
    assert report["results"][0]["file"] == "<stdin>"
    assert report["results"][0]["verdict"] == "no-bid"  # the config was found from the working directory


def test_missing_path_is_an_error_not_a_traceback(run_cli, tmp_path):
    process = run_cli("check", "nowhere.yaml", cwd=tmp_path)
    assert process.returncode == 2
    assert "nowhere.yaml: no such file or folder" in stderr_text(process)
    assert "Traceback" not in stderr_text(process)


def test_usage_error_exits_2(run_cli):
    process = run_cli("check", "--format", "yaml", "x.yaml")
    assert process.returncode == 2
    assert "Traceback" not in stderr_text(process)


def test_output_file_gets_the_report_and_stdout_stays_empty(run_cli, batch):
    process = run_cli("check", "c-loss.yaml", "--format", "json", "--output", "out/report.json", cwd=batch)
    assert process.returncode == 2  # the folder out/ does not exist
    (batch / "out").mkdir()
    process = run_cli("check", "c-loss.yaml", "--format", "json", "--output", "out/report.json", cwd=batch)
    assert process.returncode == 1 and stdout_text(process) == ""
    assert json.loads((batch / "out" / "report.json").read_text())["summary"]["no-bid"] == 1
    assert sorted(p.name for p in (batch / "out").iterdir()) == ["report.json"]  # no temporary left behind


def test_in_process_check_matches_the_console_script(invoke, run_cli, batch, monkeypatch):
    monkeypatch.chdir(batch)
    in_process = invoke("check", ".", "--format", "json")
    subprocess_report = json.loads(stdout_text(run_cli("check", ".", "--format", "json", cwd=batch)))
    assert in_process.exit_code == 1
    assert json.loads(in_process.stdout) == subprocess_report


def test_in_process_version_and_usage(invoke):
    assert invoke("--version").stdout.strip() == f"bidcheck {__version__}"
    assert invoke("check", "--jobs", "many").exit_code == 2  # a usage error
    assert invoke("check").exit_code == 0  # no paths (a pre-commit hook with nothing staged): nothing to check


def test_rules_lists_the_catalogue_in_text_and_json(run_cli):
    out = stdout_text(run_cli("rules"))
    for rule_id in ("IMP003", "PWR001", "PWR002"):
        assert rule_id in out
    listed = json.loads(stdout_text(run_cli("rules", "--format", "json")))
    assert {"id": "PWR001", "origin": "built-in"}.items() <= next(r for r in listed if r["id"] == "PWR001").items()


def test_explain_shows_rationale_thresholds_and_examples(run_cli):
    out = stdout_text(run_cli("explain", "IMP003"))
    assert "Calculate the impact on communities and beneficiaries" in out
    assert "incumbent_dependency_blocker_pct: 50%" in out
    assert "Examples:" in out
    process = run_cli("explain", "NOPE999")
    assert process.returncode == 2 and "unknown rule" in stderr_text(process)


def test_nothing_is_written_beside_the_inputs(run_cli, batch):
    before = sorted(str(p.relative_to(batch)) for p in batch.rglob("*"))
    contents = {p: p.read_bytes() for p in batch.rglob("*") if p.is_file()}
    run_cli("check", ".", "--format", "json", cwd=batch)
    assert sorted(str(p.relative_to(batch)) for p in batch.rglob("*")) == before
    assert all(p.read_bytes() == data for p, data in contents.items())
