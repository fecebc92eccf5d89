"""Valid but implausible values are located warnings saying what was probably meant (SPEC §1, v2).

Shown in every format, never counted: the verdict and the exit status are those of the same
tender without the slip.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bidcheck.plausibility import plausibility_warnings
from bidcheck.read import read_text
from bidcheck.validate import validate_tender
from tests.conftest import stderr_text, stdout_text
from tests.test_output_readers import run_all_formats

# Every percentage field of a tender file, by where it is written; participation_fee_pct is apart.
PERCENT_FIELDS = {
    "tender.results_pct": ("tender", "results_pct"),
    "incumbent.contract_share_pct": ("incumbent", "contract_share_pct"),
    "bid.value_pct": ("bid", "value_pct"),
    "bid.expected_results_pct": ("bid", "expected_results_pct"),
    "partners[0].value_pct": ("partners", 0, "value_pct"),
    "partners[0].management_fee_pct": ("partners", 0, "management_fee_pct"),
    "partners[0].results_pct": ("partners", 0, "results_pct"),
}


def document_with(path: tuple, value: object) -> dict:
    document: dict = {"tender": {"id": "P-1", "title": "Plausible"}, "incumbent": {"name": "Local Project"}, "bid": {}, "partners": [{"name": "Forum"}]}
    *parents, key = path
    place = document
    for part in parents:
        place = place[part]
    place[key] = value
    return document


def warnings_for(document: dict) -> list:
    read = read_text(yaml.safe_dump(document, sort_keys=False), "t.yaml")
    return plausibility_warnings(validate_tender(read), read)


@settings(max_examples=60, deadline=None)
@given(field=st.sampled_from(sorted(PERCENT_FIELDS)), fraction=st.floats(min_value=0.001, max_value=0.999))
def test_a_percentage_written_as_a_fraction_is_a_warning_saying_what_was_meant(field, fraction):
    (warning,) = warnings_for(document_with(PERCENT_FIELDS[field], fraction))
    meant = f"{round(fraction * 100, 6):g}"
    assert warning.message.startswith(f"{field}: ") and f"for {meant}% write {meant}" in warning.message


@settings(max_examples=60, deadline=None)
@given(field=st.sampled_from(sorted(PERCENT_FIELDS)), percent=st.one_of(st.just(0.0), st.floats(min_value=1, max_value=100)))
def test_a_percentage_of_zero_or_one_and_above_is_not_warned_about(field, percent):
    assert warnings_for(document_with(PERCENT_FIELDS[field], percent)) == []


@settings(max_examples=30, deadline=None)
@given(fraction=st.floats(min_value=0.001, max_value=0.999))
def test_a_participation_fee_under_one_percent_is_normal_and_not_warned_about(fraction):
    assert warnings_for(document_with(("tender", "participation_fee_pct"), fraction)) == []


@pytest.mark.parametrize("written", ["0.5%", "0.5 %"])
def test_a_fraction_written_with_a_percent_sign_means_what_it_says(written):
    assert warnings_for(document_with(("partners", 0, "management_fee_pct"), written)) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [(("tender", "value"), 1.2), (("incumbent", "annual_income"), 42), (("partners", 0, "annual_income"), 90), (("bid", "price"), 1.15), (("bid", "full_cost"), "£1.23")],
)
def test_money_below_100_pounds_where_an_income_or_value_is_meant_is_a_warning(path, value):
    (warning,) = warnings_for(document_with(path, value))
    assert "reads as £" in warning.message and "million" in warning.message


def test_money_of_100_pounds_or_more_is_not_warned_about():
    assert warnings_for(document_with(("incumbent", "annual_income"), 100)) == []


@pytest.mark.parametrize("weight", ["price", "quality", "social_value"])
def test_an_award_weight_is_a_percentage_not_money(weight):
    assert warnings_for(document_with(("tender", "award_weights"), {weight: 30})) == []


def test_a_competitors_income_in_pennies_is_a_warning_at_it():
    document = document_with(("competitors",), [{"name": "Carers Network", "annual_income": 3}])
    (warning,) = warnings_for(document)
    assert warning.message.startswith("competitors[0].annual_income: 3 reads as £3.00")


def test_a_term_of_a_few_months_for_a_large_contract_is_a_warning_suggesting_years():
    document = document_with(("tender", "value"), "£1.2m")
    document["tender"]["term_months"] = 3
    (warning,) = warnings_for(document)
    assert warning.message.startswith("tender.term_months: 3 reads as 3 months") and "£4.8m" in warning.message and "write 36" in warning.message


@pytest.mark.parametrize(("value", "term"), [("£1.2m", 6), ("£90k", 3)])
def test_a_term_of_six_months_or_a_small_contract_is_plausible(value, term):
    document = document_with(("tender", "value"), value)
    document["tender"]["term_months"] = term
    assert warnings_for(document) == []


def test_a_contract_bigger_than_the_incumbents_whole_income_is_a_warning_at_its_income():
    document = document_with(("incumbent", "annual_income"), "£200k")
    document["tender"].update(value="£1.2m", term_months=36)
    (warning,) = warnings_for(document)
    assert warning.message.startswith("incumbent.annual_income: ") and "200%" in warning.message and "£400k" in warning.message


def test_a_contract_within_the_incumbents_income_or_a_given_share_is_not_warned_about():
    document = document_with(("incumbent", "annual_income"), "£420k")
    document["tender"].update(value="£1.2m", term_months=36)
    assert warnings_for(document) == []
    document["incumbent"].update(annual_income="£200k", contract_share_pct=60)
    assert warnings_for(document) == []


# --- through the CLI, in every format --------------------------------------------------------------


def markdown_text(markdown: str) -> str:
    """What a reader of the Markdown sees: rendered by a real parser, tags and escapes gone."""
    from markdown_it import MarkdownIt

    return html.unescape(re.sub(r"<[^>]+>", "", MarkdownIt().render(markdown)))


SLIPS = """\
tender:
  id: SLIP-1
  title: Carers support
  value: 1.2
incumbent: none
partners:
  - {name: Forum, management_fee_pct: 0.15}
"""


def test_implausible_values_are_located_warnings_in_every_format(tmp_path):
    (tmp_path / "t.yaml").write_text(SLIPS, encoding="utf-8")
    outputs = run_all_formats(tmp_path, "t.yaml")
    report = json.loads(outputs["json"])
    warnings = report["results"][0]["warnings"]
    assert [(w["line"], w["column"]) for w in warnings] == [(4, 10), (7, 39)]
    value, fee = (w["message"] for w in warnings)
    assert "1.2 reads as £1.20" in value and "0.15 reads as 0.15%; for 15% write 15" in fee
    assert report["errors"] == [] and report["summary"]["errors"] == 0
    for warning in warnings:
        assert f"t.yaml:{warning['line']}:{warning['column']}: {warning['message']}" in outputs["text"]
        assert f"t.yaml:{warning['line']}:{warning['column']}: {warning['message']}" in outputs["stderr"]
        assert f"t.yaml:{warning['line']}: {warning['message']}" in markdown_text(outputs["markdown"])
    (row,) = csv.DictReader(io.StringIO(outputs["csv"]))
    assert row["warnings"].count("reads as") == 2 and row["warnings"].startswith("4:10: tender.value")
    notifications = json.loads(outputs["sarif"])["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [(n["level"], n["locations"][0]["physicalLocation"]["region"]["startLine"]) for n in notifications] == [("note", 4), ("note", 7)]
    (case,) = ET.fromstring(outputs["junit"]).iter("testcase")
    assert all(w["message"] in case.findtext("system-err") for w in warnings) and case.find("failure") is None
    github = [line for line in outputs["github"].splitlines() if line.startswith("::warning file=t.yaml,line=")]
    assert [line.split(",")[1:3] for line in github] == [["line=4", "col=10"], ["line=7", "col=39"]]


def test_a_warning_changes_neither_the_verdict_nor_the_exit_status(run_cli, write, tmp_path):
    write("slip.yaml", SLIPS)
    write("right.yaml", SLIPS.replace("SLIP-1", "RIGHT-1").replace("value: 1.2", 'value: "£1.2m"').replace("0.15", "15"))
    outcomes = {}
    for name in ("slip.yaml", "right.yaml"):
        process = run_cli("check", name, "--format", "json", cwd=tmp_path)
        (result,) = json.loads(stdout_text(process))["results"]
        outcomes[name] = (process.returncode, result["verdict"], len(result["warnings"]))
    assert outcomes["slip.yaml"][:2] == outcomes["right.yaml"][:2] and outcomes["slip.yaml"][2] == 2 and outcomes["right.yaml"][2] == 0


def test_a_config_income_in_pennies_and_a_fractional_percentage_threshold_are_located_warnings(run_cli, write, tmp_path):
    write("bidcheck.yaml", "organisation: {annual_income: 38}\nthresholds:\n  incumbent_dependency_concern_pct: 0.25\n  max_management_fee_pct: '0.5%'\n")
    write("t.yaml", SLIPS.replace("value: 1.2", 'value: "£1.2m"').replace("0.15", "8"))
    process = run_cli("check", "t.yaml", "--format", "json", cwd=tmp_path)
    warned = [line for line in stderr_text(process).splitlines() if line.startswith("warning:") and "bidcheck.yaml" in line]
    assert len(warned) == 2 and process.returncode == 0
    assert "bidcheck.yaml:1:31: organisation.annual_income: 38 reads as £38.00" in warned[0]
    assert "bidcheck.yaml:3:37: thresholds.incumbent_dependency_concern_pct: 0.25 reads as 0.25%; for 25% write 25" in warned[1]
