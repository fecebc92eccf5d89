"""schema, config and init, and waivers as bid teams and auditors use them."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.conftest import EXAMPLES, stderr_text, stdout_text
from tests.yaml12 import load_yaml


def load(path):
    return load_yaml(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    from tests.conftest import console_script
    import subprocess

    where = tmp_path_factory.mktemp("schemas")
    result = {}
    for kind in ("tender", "config"):
        process = subprocess.run([console_script(), "schema", kind], cwd=where, capture_output=True, text=True)
        assert process.returncode == 0, process.stderr
        result[kind] = json.loads(process.stdout)
    return result


def test_schemas_are_valid_draft_2020_12(schemas):
    for schema in schemas.values():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)


def test_every_example_validates_against_the_schemas(schemas):
    tender = jsonschema.Draft202012Validator(schemas["tender"])
    for path in sorted((EXAMPLES / "tenders").glob("*.yaml")):
        assert not list(tender.iter_errors(load(path))), path.name
    assert not list(jsonschema.Draft202012Validator(schemas["config"]).iter_errors(load(EXAMPLES / "bidcheck.yaml")))


def test_schema_rejects_unknown_keys_like_bidcheck(schemas):
    tender = jsonschema.Draft202012Validator(schemas["tender"])
    assert list(tender.iter_errors({"tender": {"id": "A", "title": "B", "valeu": 1}}))
    assert list(tender.iter_errors({"tender": {"id": "A", "title": "B"}, "incumbant": {}}))
    assert not list(tender.iter_errors({"tender": {"id": "A", "title": "B"}, "incumbent": "none"}))
    config = jsonschema.Draft202012Validator(schemas["config"])
    assert list(config.iter_errors({"thresholds": {"max_management_fee": 10}}))
    assert not list(config.iter_errors({"thresholds": {"max_management_fee_pct": 12}}))
    assert list(config.iter_errors({"rules": {"severity": {"NOPE01": "info"}}}))


def test_config_command_shows_each_value_and_where_it_came_from(run_cli):
    out = stdout_text(run_cli("config", str(EXAMPLES / "tenders")))
    assert "bidcheck.yaml" in out.splitlines()[0]
    assert "policies.refuse_loss_making_bids" in out and "bidcheck.yaml:44)" in out
    assert "thresholds.max_management_fee_pct" in out and "(default of PWR005)" in out
    listed = json.loads(stdout_text(run_cli("config", str(EXAMPLES), "--format", "json", "--select", "PWR")))
    assert listed["selected_rules"] == ["PWR001", "PWR002", "PWR003", "PWR004", "PWR005", "PWR006"]
    income = next(row for row in listed["settings"] if row["key"] == "organisation.annual_income")
    assert income["value"] == 38000000.0 and income["source"].endswith("bidcheck.yaml:15")


def test_init_writes_a_template_that_checks_as_needs_info(run_cli, tmp_path):
    process = run_cli("init", "new.yaml", cwd=tmp_path)
    assert process.returncode == 0
    report = json.loads(stdout_text(run_cli("check", "new.yaml", "--format", "json", "--fail-on", "never", cwd=tmp_path)))
    assert report["errors"] == []
    (result,) = report["results"]
    assert result["verdict"] == "needs-info"
    asked = {question["field"] for question in result["questions"]}
    assert {"incumbent", "bid.full_cost", "bid.mission_fit"} <= asked


def test_init_never_overwrites_without_force(run_cli, tmp_path):
    (tmp_path / "tender.yaml").write_text("keep me")
    process = run_cli("init", cwd=tmp_path)
    assert process.returncode == 2 and "already exists" in stderr_text(process)
    assert (tmp_path / "tender.yaml").read_text() == "keep me"
    assert run_cli("init", "--force", cwd=tmp_path).returncode == 0
    assert "tender:" in (tmp_path / "tender.yaml").read_text()


WAIVED = """\
tender: {{id: W-1, title: Carers support}}
incumbent: none
bid: {{price: "£500k", full_cost: "£560k"}}
waivers:
  - rule: PWR001
    reason: {reason}
    approved_by: Board, 2026-11-10
    expires: {expires}
"""
POLICY = 'policies: {refuse_loss_making_bids: true}\nrules: {select: [PWR001]}\n'


def check_waiver(run_cli, write, tmp_path, *extra, reason="Fixed-price pilot agreed with the buyer", expires="2099-01-31"):
    write("bidcheck.yaml", POLICY)
    write("w.yaml", WAIVED.format(reason=reason, expires=expires))
    process = run_cli("check", "w.yaml", "--format", "json", *extra, cwd=tmp_path)
    return process, json.loads(stdout_text(process))


def test_valid_waiver_shows_the_finding_as_waived_and_not_counted(run_cli, write, tmp_path):
    process, report = check_waiver(run_cli, write, tmp_path)
    (result,) = report["results"]
    (finding,) = result["findings"]
    assert finding["waived"] is True and finding["severity"] == "blocker"
    assert finding["waiver"] == {"reason": "Fixed-price pilot agreed with the buyer", "approved_by": "Board, 2026-11-10", "expires": "2099-01-31"}
    assert result["verdict"] == "bid" and process.returncode == 0


def test_no_waivers_counts_everything_for_auditors(run_cli, write, tmp_path):
    process, report = check_waiver(run_cli, write, tmp_path, "--no-waivers")
    assert report["results"][0]["verdict"] == "no-bid" and process.returncode == 1
    assert report["results"][0]["findings"][0]["waived"] is False


def test_expired_waiver_is_ignored_with_a_warning(run_cli, write, tmp_path):
    process, report = check_waiver(run_cli, write, tmp_path, expires="2020-01-31")
    result = report["results"][0]
    assert result["verdict"] == "no-bid"
    assert "expired on 2020-01-31; ignored" in result["warnings"][0]["message"]
    assert "w.yaml:5:5: waiver for PWR001 expired" in stderr_text(process)


def test_waiver_without_a_reason_is_an_error(run_cli, write, tmp_path):
    write("bidcheck.yaml", POLICY)
    write("w.yaml", WAIVED.format(reason="''", expires="2099-01-31").replace("    reason: ''\n", ""))
    process = run_cli("check", "w.yaml", cwd=tmp_path)
    assert process.returncode == 2
    assert "w.yaml:5:5: missing required key 'reason' in waivers[0]" in stderr_text(process)


def test_unused_waiver_is_reported(run_cli, write, tmp_path):
    write("bidcheck.yaml", POLICY)
    write("w.yaml", WAIVED.format(reason="x", expires="2099-01-31").replace('full_cost: "£560k"', 'full_cost: "£400k"'))
    process = run_cli("check", "w.yaml", "--format", "json", cwd=tmp_path)
    warnings = json.loads(stdout_text(process))["results"][0]["warnings"]
    assert "matches no finding; it is unused" in warnings[0]["message"]
