"""The organisation's config: found walking up from each tender, or named with --config.

Which config governs a tender is observed through the report: each test config selects
different rules (the result's ``checked`` list) or a different organisation.
"""

from __future__ import annotations

import json
from pathlib import Path


from bidcheck.config import find_config
from tests.conftest import stderr_text, stdout_text

SIMPLE_TENDER = "tender: {{id: {id}, title: Test tender}}\nincumbent: none\n"


def only_rules(*rule_ids: str) -> str:
    """A config that runs just these rules: its fingerprint in ``checked``."""
    return "rules:\n  select: [" + ", ".join(rule_ids) + "]\n"


def check_json(run_cli, *args: str, cwd: Path) -> tuple[int, dict]:
    process = run_cli("check", *args, "--format", "json", cwd=cwd)
    return process.returncode, json.loads(stdout_text(process))


def result_for(report: dict, tender_id: str) -> dict:
    return next(result for result in report["results"] if result["tender"]["id"] == tender_id)


def errors_in(report: dict, path: Path) -> list[dict]:
    """The report's errors about ``path``, without its ``file`` (config paths are reported resolved)."""
    return [
        {key: value for key, value in error.items() if key != "file"}
        for error in report["errors"]
        if Path(error["file"]).resolve() == path.resolve()
    ]


def findings_of(result: dict, rule_id: str) -> list[dict]:
    return [finding for finding in result["findings"] if finding["rule"] == rule_id]


# --- discovery -----------------------------------------------------------------------------


def test_discovery_walks_up_from_the_tenders_folder(run_cli, write, tmp_path):
    write("bidcheck.yaml", only_rules("PWR001"))
    write("pipeline/2026/q4/hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    code, report = check_json(run_cli, "pipeline", cwd=tmp_path)
    assert code == 0, report["errors"]
    assert result_for(report, "HCK")["checked"] == ["PWR001"]


def test_discovery_starts_at_the_tender_not_the_working_directory(run_cli, write, tmp_path):
    write("bidcheck.yaml", only_rules("PWR001"))
    write("tenders/bidcheck.yaml", only_rules("PWR002"))
    write("tenders/hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    code, report = check_json(run_cli, "tenders/hck.yaml", cwd=tmp_path)
    assert result_for(report, "HCK")["checked"] == ["PWR002"]


def test_the_nearest_config_wins_and_each_tender_gets_its_own(run_cli, write, tmp_path):
    write("bidcheck.yaml", only_rules("PWR001"))
    write("london/bidcheck.yaml", only_rules("PWR002"))
    write("london/hackney/hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    write("leeds/lds.yaml", SIMPLE_TENDER.format(id="LDS"))
    code, report = check_json(run_cli, ".", cwd=tmp_path)
    assert code == 0, report["errors"]
    assert result_for(report, "HCK")["checked"] == ["PWR002"]
    assert result_for(report, "LDS")["checked"] == ["PWR001"]


def test_a_hidden_dot_bidcheck_yaml_is_found(run_cli, write, tmp_path):
    write(".bidcheck.yaml", only_rules("IMP003"))
    write("tenders/hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    code, report = check_json(run_cli, "tenders", cwd=tmp_path)
    assert result_for(report, "HCK")["checked"] == ["IMP003"]


def test_pyproject_with_a_tool_bidcheck_table_is_found(run_cli, write, tmp_path):
    write("pyproject.toml", '[project]\nname = "bids"\n\n[tool.bidcheck.rules]\nselect = ["PWR002"]\n')
    write("tenders/hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    code, report = check_json(run_cli, "tenders", cwd=tmp_path)
    assert code == 0, report["errors"]
    assert result_for(report, "HCK")["checked"] == ["PWR002"]


def test_pyproject_without_a_tool_bidcheck_table_is_skipped(run_cli, write, tmp_path):
    write("bidcheck.yaml", only_rules("PWR001"))
    write("repo/pyproject.toml", '[project]\nname = "bids"\n\n[tool.black]\nline-length = 100\n')
    write("repo/tenders/hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    code, report = check_json(run_cli, "repo", cwd=tmp_path)
    assert code == 0, report["errors"]
    assert result_for(report, "HCK")["checked"] == ["PWR001"]


def test_bidcheck_yaml_is_preferred_to_pyproject_in_the_same_folder(tmp_path, write):
    write("pyproject.toml", "[tool.bidcheck]\n")
    write("bidcheck.yaml", "{}\n")
    (tmp_path / "tenders").mkdir()
    assert find_config(tmp_path / "tenders") == tmp_path / "bidcheck.yaml"


def test_find_config_returns_the_nearest_file_itself(tmp_path, write):
    write("bidcheck.yaml", "{}\n")
    write("a/.bidcheck.yaml", "{}\n")
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    assert find_config(tmp_path / "a" / "b" / "c") == tmp_path / "a" / ".bidcheck.yaml"
    assert find_config(tmp_path) == tmp_path / "bidcheck.yaml"


# --- --config ------------------------------------------------------------------------------


def test_config_option_overrides_discovery(run_cli, write, tmp_path):
    write("tenders/bidcheck.yaml", only_rules("PWR001"))
    write("tenders/hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    write("elsewhere/policy.yaml", only_rules("IMP003"))
    code, report = check_json(run_cli, "tenders/hck.yaml", "--config", "elsewhere/policy.yaml", cwd=tmp_path)
    assert result_for(report, "HCK")["checked"] == ["IMP003"]
    # The config beside the tender is not used, and (SPEC §1 v2) says so: --config pins the policy.
    assert [error["file"] for error in report["errors"]] == ["tenders/bidcheck.yaml"] and code == 2


def test_config_option_in_process_ignores_a_broken_nearby_config(invoke, write, tmp_path):
    write("tenders/bidcheck.yaml", "rules: [unclosed\n")
    tender = write("tenders/hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    policy = write("policy.yaml", only_rules("PWR002"))
    result = invoke("check", str(tender), "--config", str(policy), "--format", "json")
    report = json.loads(result.stdout)
    assert result_for(report, "HCK")["checked"] == ["PWR002"]
    # Never read, so its YAML error is not reported: only that it is not used under --config.
    (error,) = report["errors"]
    assert "--config pins the policy" in error["message"] and result.exit_code == 2


def test_config_option_naming_a_missing_file_is_an_error(invoke, write, tmp_path):
    tender = write("hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    result = invoke("check", str(tender), "--config", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "nope.yaml: no such file or folder" in result.stderr


# --- the tender's own organisation ---------------------------------------------------------

INCUMBENT_LOCAL_AND_SMALL = """
tender:
  id: HCK
  title: Young people's service
  value: "£1.2m"
  term_months: 36
incumbent:
  name: Hackney Young People's Project
  annual_income: "£420k"
  local: true
bid:
  incumbent_approach: compete
"""
MEDIUM_ORGANISATION_WITH_NO_COMPETE_POLICY = (
    'organisation: {name: Us, annual_income: "£300k"}\npolicies: {no_compete_with_smaller: true}\n'
)


def test_tenders_organisation_block_replaces_the_configs(run_cli, write, tmp_path):
    write("bidcheck.yaml", MEDIUM_ORGANISATION_WITH_NO_COMPETE_POLICY)
    write("plain/hck.yaml", INCUMBENT_LOCAL_AND_SMALL)
    write("own/hck.yaml", INCUMBENT_LOCAL_AND_SMALL.replace("id: HCK", "id: HCK-OWN") + 'organisation:\n  annual_income: "£45m"\n')
    code, report = check_json(run_cli, ".", cwd=tmp_path)
    # Under the config we are medium like the incumbent: not smaller, so PWR002 holds.
    assert findings_of(result_for(report, "HCK"), "PWR002") == []
    # The tender says we are a £45m (major) organisation: competing with them now blocks.
    (finding,) = findings_of(result_for(report, "HCK-OWN"), "PWR002")
    assert finding["severity"] == "blocker"
    assert "£45m" in finding["message"] and "£420k" in finding["message"]
    assert result_for(report, "HCK-OWN")["verdict"] == "no-bid"
    assert code == 1


def test_tenders_organisation_block_is_not_merged_with_the_configs(run_cli, write, tmp_path):
    write("bidcheck.yaml", 'organisation: {annual_income: "£45m"}\npolicies: {no_compete_with_smaller: true}\n')
    write("hck.yaml", INCUMBENT_LOCAL_AND_SMALL + "organisation:\n  name: Consortium lead\n")
    code, report = check_json(run_cli, "hck.yaml", cwd=tmp_path)
    # The tender's block has no income, and the config's £45m is not borrowed: unknown, not blocker.
    severities = {finding["severity"] for finding in findings_of(result_for(report, "HCK"), "PWR002")}
    assert severities == {"unknown"}


# --- thresholds ----------------------------------------------------------------------------

SIXTY_PERCENT_DEPENDENT = """
tender: {id: DEP, title: Day services}
incumbent: {name: Same Size Charity, annual_income: "£30m", contract_share_pct: 60}
bid: {incumbent_approach: compete}
"""
OURS = 'organisation: {annual_income: "£45m"}\n'


def test_default_dependency_threshold_makes_a_60_percent_share_a_concern(run_cli, write, tmp_path):
    write("bidcheck.yaml", OURS)
    write("dep.yaml", SIXTY_PERCENT_DEPENDENT)
    code, report = check_json(run_cli, "dep.yaml", cwd=tmp_path)
    (finding,) = findings_of(result_for(report, "DEP"), "IMP003")
    assert finding["severity"] == "concern"
    assert finding["evidence"]["concern_threshold_pct"] == 25


def test_raising_the_dependency_threshold_makes_a_60_percent_share_hold(run_cli, write, tmp_path):
    # The blocker level rises too: it may not sit below the concern level.
    write("bidcheck.yaml", OURS + "thresholds:\n  incumbent_dependency_concern_pct: 99\n  incumbent_dependency_blocker_pct: 100\n")
    write("dep.yaml", SIXTY_PERCENT_DEPENDENT)
    code, report = check_json(run_cli, "dep.yaml", cwd=tmp_path)
    assert report["errors"] == []
    result = result_for(report, "DEP")
    assert "IMP003" in result["checked"]
    assert findings_of(result, "IMP003") == []


def test_a_percentage_threshold_may_be_written_with_a_percent_sign(run_cli, write, tmp_path):
    write("bidcheck.yaml", OURS + 'thresholds:\n  incumbent_dependency_concern_pct: "65%"\n  incumbent_dependency_blocker_pct: "70%"\n')
    write("dep.yaml", SIXTY_PERCENT_DEPENDENT)
    code, report = check_json(run_cli, "dep.yaml", cwd=tmp_path)
    assert report["errors"] == []
    assert findings_of(result_for(report, "DEP"), "IMP003") == []


def test_unknown_threshold_name_is_located_with_did_you_mean_and_exits_2(run_cli, write, tmp_path):
    config = write("bidcheck.yaml", OURS + "thresholds:\n  incumbent_dependancy_concern_pct: 30\n")
    write("dep.yaml", SIXTY_PERCENT_DEPENDENT)
    code, report = check_json(run_cli, "dep.yaml", cwd=tmp_path)
    assert code == 2
    assert errors_in(report, config) == [
        {
            "line": 3,
            "column": 3,
            "message": "unknown threshold 'incumbent_dependancy_concern_pct'; did you mean 'incumbent_dependency_concern_pct'?",
        }
    ]


def test_threshold_out_of_range_is_located_at_the_value(run_cli, write, tmp_path):
    config = write("bidcheck.yaml", "thresholds:\n  incumbent_dependency_blocker_pct: 130\n")
    write("dep.yaml", SIXTY_PERCENT_DEPENDENT)
    process = run_cli("check", "dep.yaml", cwd=tmp_path)
    assert process.returncode == 2
    assert f"{config}:2:37: thresholds.incumbent_dependency_blocker_pct: expected a percentage from 0 to 100" in stderr_text(process)


def test_pyproject_threshold_typo_is_reported_with_its_line(run_cli, write, tmp_path):
    pyproject = write(
        "pyproject.toml",
        """
        [project]
        name = "bids"

        [tool.bidcheck.organisation]
        annual_income = "£45m"

        [tool.bidcheck.thresholds]
        incumbent_dependency_concern_pct = 30
        incumbant_dependency_blocker_pct = 40
        """,
    )
    write("tenders/dep.yaml", SIXTY_PERCENT_DEPENDENT)
    code, report = check_json(run_cli, "tenders", cwd=tmp_path)
    assert code == 2
    (error,) = errors_in(report, pyproject)
    assert (error["line"], error["column"]) == (9, 1)
    assert "did you mean 'incumbent_dependency_blocker_pct'?" in error["message"]


def test_pyproject_toml_syntax_error_is_located(run_cli, write, tmp_path):
    pyproject = write("pyproject.toml", '[tool.bidcheck]\npolicies = {no_bid_candy = tru}\n')
    write("dep.yaml", SIXTY_PERCENT_DEPENDENT)
    process = run_cli("check", "dep.yaml", cwd=tmp_path)
    assert process.returncode == 2
    assert f"{pyproject}:2:" in stderr_text(process) and "invalid TOML" in stderr_text(process)


def test_an_absurd_income_in_pyproject_is_a_located_error_not_an_internal_error(run_cli, write, tmp_path):
    pyproject = write("pyproject.toml", "[tool.bidcheck.organisation]\nannual_income = 1" + "0" * 400 + "\n")
    write("dep.yaml", SIXTY_PERCENT_DEPENDENT)
    code, report = check_json(run_cli, "dep.yaml", cwd=tmp_path)
    assert code == 2
    assert [error["line"] for error in errors_in(report, pyproject)] == [2]


# --- rule ids ------------------------------------------------------------------------------


def test_unknown_rule_id_in_select_is_located_with_did_you_mean_and_exits_2(run_cli, write, tmp_path):
    config = write("bidcheck.yaml", "rules:\n  select: [PWR001, PWR02]\n")
    write("hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    code, report = check_json(run_cli, "hck.yaml", cwd=tmp_path)
    assert code == 2
    assert report["results"] == []
    assert errors_in(report, config) == [
        {"line": 2, "column": 20, "message": "unknown rule id or prefix 'PWR02' in rules.select; did you mean PWR002?"}
    ]


def test_a_rule_prefix_in_select_is_accepted(run_cli, write, tmp_path):
    write("bidcheck.yaml", "rules:\n  select: [PWR]\n  ignore: [PWR002]\n")
    write("hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    code, report = check_json(run_cli, "hck.yaml", cwd=tmp_path)
    assert report["errors"] == []
    checked = result_for(report, "HCK")["checked"]
    assert checked and all(rule_id.startswith("PWR") for rule_id in checked) and "PWR002" not in checked


def test_unknown_rule_id_in_severity_is_reported_with_did_you_mean_and_exits_2(run_cli, write, tmp_path):
    config = write("bidcheck.yaml", "rules:\n  severity:\n    PWR02: info\n")
    write("hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    process = run_cli("check", "hck.yaml", cwd=tmp_path)
    assert process.returncode == 2
    assert f"{config}:3:" in stderr_text(process)
    assert "unknown rule id or prefix 'PWR02' in rules.severity; did you mean PWR002?" in stderr_text(process)


def test_unknown_rule_id_in_severity_is_located_at_the_rule_id(run_cli, write, tmp_path):
    config = write("bidcheck.yaml", "rules:\n  severity:\n    PWR02: info\n")
    write("hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    process = run_cli("check", "hck.yaml", cwd=tmp_path)
    assert f"{config}:3:5: unknown rule id" in stderr_text(process)


def test_unknown_rule_id_on_the_command_line_is_an_error(run_cli, write, tmp_path):
    write("hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    process = run_cli("check", "hck.yaml", "--select", "PWR02", cwd=tmp_path)
    assert process.returncode == 2
    assert "--select:1:1: unknown rule id or prefix 'PWR02'; did you mean PWR002?" in stderr_text(process)


def test_severity_override_changes_a_findings_severity(run_cli, write, tmp_path):
    write("bidcheck.yaml", OURS + "rules:\n  severity: {IMP003: info}\n")
    write("dep.yaml", SIXTY_PERCENT_DEPENDENT)
    code, report = check_json(run_cli, "dep.yaml", cwd=tmp_path)
    (finding,) = findings_of(result_for(report, "DEP"), "IMP003")
    assert finding["severity"] == "info"


# --- broken configs ------------------------------------------------------------------------


def test_config_with_a_yaml_error_is_reported_once_and_its_tenders_are_not_checked(run_cli, write, tmp_path):
    config = write("bids/bidcheck.yaml", "organisation:\n  name: [unclosed\n")
    write("bids/a.yaml", SIMPLE_TENDER.format(id="A"))
    write("bids/b.yaml", SIMPLE_TENDER.format(id="B"))
    write("bids/sub/c.yaml", SIMPLE_TENDER.format(id="C"))
    write("other/bidcheck.yaml", only_rules("PWR001"))
    write("other/d.yaml", SIMPLE_TENDER.format(id="D"))
    code, report = check_json(run_cli, "bids", "other", cwd=tmp_path)
    assert code == 2
    config_errors = errors_in(report, config)
    assert len(config_errors) == 1 and "invalid YAML" in config_errors[0]["message"]
    not_checked = sorted(error["file"] for error in report["errors"] if "not checked" in error["message"])
    assert not_checked == ["bids/a.yaml", "bids/b.yaml", "bids/sub/c.yaml"]
    # A tender governed by another config is still checked.
    assert [result["tender"]["id"] for result in report["results"]] == ["D"]
    assert report["summary"]["errors"] == 4


def test_config_with_an_unknown_key_is_located_with_did_you_mean(run_cli, write, tmp_path):
    config = write("bidcheck.yaml", "organisation:\n  name: Us\npolicy:\n  no_bid_candy: true\n")
    write("hck.yaml", SIMPLE_TENDER.format(id="HCK"))
    process = run_cli("check", "hck.yaml", cwd=tmp_path)
    assert process.returncode == 2
    assert f"{config}:3:1: unknown key 'policy'; did you mean 'policies'?" in stderr_text(process)
    assert "hck.yaml:1:1: not checked: its config has errors" in stderr_text(process)
