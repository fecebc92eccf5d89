"""Waivers in version 2 (SPEC §1, issue 13 item 6): a decision for a time, by someone, about a rule that exists.

A waiver needs ``approved_by`` and ``expires`` (a located input error naming the missing key,
as ``reason`` always was), and its ``rule`` must name a loaded rule: a typo (``pwr002``) or a
rule that does not exist (``PWR009``) is a located input error with a "did you mean", exit 2,
and the rest of the batch still runs. A loaded rule that the config's selection leaves out is
not an error: the waiver is simply not used in that run.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import stderr_text, stdout_text

LOSS_MAKING = 'tender: {id: W-1, title: Carers support}\nincumbent: none\nbid: {price: "£500k", full_cost: "£560k"}\n'
POLICY = "policies: {refuse_loss_making_bids: true}\nrules: {select: [PWR001]}\n"
GOOD = "tender: {id: G-1, title: Good}\nincumbent: none\n"


def waiver(**fields: str) -> str:
    written = {"rule": "PWR001", "reason": "Fixed-price pilot agreed with the buyer", "approved_by": "Board, 2026-11-10", "expires": "2099-01-31"}
    written.update(fields)
    return "waivers:\n  - " + "\n    ".join(f"{key}: {value}" for key, value in written.items() if value is not None) + "\n"


def check(run_cli, tmp_path, *files: str):
    process = run_cli("check", *files, "--format", "json", cwd=tmp_path)
    return process.returncode, json.loads(stdout_text(process)), stderr_text(process)


@pytest.mark.parametrize("missing", ["approved_by", "expires"])
def test_a_waiver_without_approval_or_expiry_is_a_located_input_error_naming_the_key(run_cli, write, tmp_path, missing):
    write("bidcheck.yaml", POLICY)
    write("w.yaml", LOSS_MAKING + waiver(**{missing: None}))
    write("g.yaml", GOOD)
    code, report, stderr = check(run_cli, tmp_path, "w.yaml", "g.yaml")
    assert code == 2
    (error,) = report["errors"]
    assert error["file"] == "w.yaml" and (error["line"], error["column"]) == (5, 5)  # the waiver, under waivers:
    assert repr(missing) in error["message"] and f"w.yaml:5:5: {error['message']}" in stderr
    assert [result["tender"]["id"] for result in report["results"]] == ["G-1"]  # the rest of the batch still runs


@pytest.mark.parametrize(
    ("written", "hint"),
    [("pwr002", "did you mean PWR002?"), ("Pwr001", "did you mean PWR001?"), ("PWR009", "did you mean PWR00"), ("IMPACT3", "did you mean IMP003?")],
)
def test_a_waiver_of_a_rule_that_is_not_loaded_is_a_located_error_with_did_you_mean(run_cli, write, tmp_path, written, hint):
    write("w.yaml", LOSS_MAKING + waiver(rule=written))
    write("g.yaml", GOOD)
    code, report, stderr = check(run_cli, tmp_path, "w.yaml", "g.yaml")
    assert code == 2
    (error,) = report["errors"]
    assert (error["line"], error["column"]) == (5, 11)  # at the rule's value
    assert repr(written) in error["message"] and "not a loaded rule" in error["message"] and hint in error["message"]
    assert [result["tender"]["id"] for result in report["results"]] == ["G-1"]
    assert f"w.yaml:5:11: {error['message']}" in stderr


def test_a_waiver_of_nothing_like_a_rule_lists_the_loaded_rules(run_cli, write, tmp_path):
    write("w.yaml", LOSS_MAKING + waiver(rule="the loss"))
    code, report, _ = check(run_cli, tmp_path, "w.yaml")
    (error,) = report["errors"]
    assert code == 2 and "PWR001" in error["message"] and "GOV001" in error["message"] and "COM001" in error["message"]


def test_a_waiver_is_checked_against_the_rules_loaded_not_only_those_selected(run_cli, write, tmp_path):
    # IMP001 is loaded but rules.select leaves it out: the waiver is not an error, and not "unused".
    write("bidcheck.yaml", POLICY)
    write("w.yaml", LOSS_MAKING + waiver(rule="IMP001"))
    code, report, stderr = check(run_cli, tmp_path, "w.yaml")
    assert report["errors"] == [] and report["results"][0]["warnings"] == []
    assert report["results"][0]["verdict"] == "no-bid" and code == 1


def test_a_plugin_rule_can_be_waived_where_the_plugin_is_loaded(run_cli, write, tmp_path):
    write(
        "local_rules.py",
        """
        from bidcheck.api import RECOGNISE_YOUR_POWER, Example, Finding, Severity, rule

        @rule("DLN001", title="Deadline", recommendation=RECOGNISE_YOUR_POWER, severity=Severity.CONCERN)
        def deadline(tender, context):
            '''Always says so.'''
            yield Finding(field="tender.id", message="always", action="nothing")
        """,
    )
    write("bidcheck.yaml", "rules: {paths: [local_rules.py], select: [DLN001]}\n")
    write("w.yaml", LOSS_MAKING + waiver(rule="DLN001"))
    code, report, _ = check(run_cli, tmp_path, "w.yaml")
    assert report["errors"] == [] and code == 0
    (finding,) = report["results"][0]["findings"]
    assert finding["rule"] == "DLN001" and finding["waived"] is True


def test_an_approved_unexpired_waiver_of_a_loaded_rule_still_waives(run_cli, write, tmp_path):
    write("bidcheck.yaml", POLICY)
    write("w.yaml", LOSS_MAKING + waiver())
    code, report, _ = check(run_cli, tmp_path, "w.yaml")
    assert code == 0 and report["results"][0]["verdict"] == "bid"
    (finding,) = report["results"][0]["findings"]
    assert finding["waived"] is True
