"""Calculate the impact on communities and beneficiaries: IMP003 (impact on the existing organisation)."""

from __future__ import annotations

from bidcheck.api import Severity
from bidcheck.models import Verdict
from bidcheck_rules.impact import impact_on_existing_organisation as imp003

from tests.rules.helpers import check, only, reasons

HACKNEY = """
tender: {{id: HCK-2026-014, title: Substance misuse, value: "£1.2m", term_months: 36}}
incumbent:
  name: Hackney Young People's Project
  annual_income: "{income}"
bid:
  incumbent_approach: {approach}
"""


def test_contract_that_is_most_of_a_smaller_incumbents_income_blocks_when_we_compete():
    reason = only(reasons(imp003, HACKNEY.format(income="£420k", approach="compete")))
    assert reason.severity is Severity.BLOCKER
    # £1.2m over 36 months is £400k a year: 95.2% of £420k.
    assert "£400k a year" in reason.message and "95.2%" in reason.message and "£420k" in reason.message
    assert "medium against major" in reason.message
    assert reason.finding.evidence["contract_share_pct"] == 95.2
    assert reason.finding.evidence["annual_value"] == 400000.0
    assert "partner" in reason.finding.action and "do not bid" in reason.finding.action
    assert (reason.location.line, reason.location.column) == (4, 3)  # incumbent.annual_income


def test_share_between_concern_and_blocker_thresholds_is_a_concern():
    # £400k a year of a £1.2m income is 33%.
    reason = only(reasons(imp003, HACKNEY.format(income="£1.2m", approach="compete")))
    assert reason.severity is Severity.CONCERN
    assert "33.3%" in reason.message and "25%" in reason.message


def test_share_below_concern_threshold_holds():
    assert reasons(imp003, HACKNEY.format(income="£5m", approach="compete")) == []


def test_large_share_of_an_incumbent_in_our_band_is_a_concern_not_a_blocker():
    tender = HACKNEY.format(income="£15m", approach="compete").replace("£1.2m", "£36m")
    reason = only(reasons(imp003, tender))
    assert reason.severity is Severity.CONCERN
    assert "blocker threshold" in reason.message


def test_partnering_with_the_incumbent_holds():
    assert reasons(imp003, HACKNEY.format(income="£420k", approach="partner")) == []


def test_given_contract_share_is_used_instead_of_deriving_it():
    tender = "incumbent: {name: Local Project, annual_income: '£420k', contract_share_pct: '60%'}\nbid: {incumbent_approach: compete}"
    reason = only(reasons(imp003, tender))
    assert reason.severity is Severity.BLOCKER
    assert "60%" in reason.message and reason.finding.evidence["share_basis"] == "given"
    assert reason.finding.field == "incumbent.contract_share_pct"


def test_thresholds_come_from_the_config():
    config = 'organisation: {annual_income: "£45m"}\nthresholds: {incumbent_dependency_concern_pct: 96, incumbent_dependency_blocker_pct: 99}'
    assert reasons(imp003, HACKNEY.format(income="£420k", approach="compete"), config) == []


def test_missing_incumbent_income_is_unknown_and_needs_info():
    tender = 'tender: {value: "£1.2m", term_months: 36}\nincumbent: {name: Local Project}\nbid: {incumbent_approach: compete}'
    result = check(imp003, tender)
    reason = only(result.reasons)
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "incumbent.annual_income"
    assert result.verdict is Verdict.NEEDS_INFO  # IMP003 can block, so its unknowns matter


def test_missing_value_and_term_are_each_asked_for():
    found = reasons(imp003, "incumbent: {name: Local Project, annual_income: '£420k'}\nbid: {incumbent_approach: compete}")
    assert [r.finding.field for r in found] == ["tender.value", "tender.term_months"]


def test_dependent_incumbent_with_unknown_approach_asks_how_we_will_treat_them():
    reason = only(reasons(imp003, HACKNEY.format(income="£420k", approach="null")))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "bid.incumbent_approach"


def test_dependent_incumbent_with_unknown_organisation_income_is_a_concern_plus_a_question():
    found = reasons(imp003, HACKNEY.format(income="£420k", approach="compete"), config_yaml="{}")
    assert {r.severity for r in found} == {Severity.CONCERN, Severity.UNKNOWN}
    assert any(r.finding.field == "organisation.annual_income" for r in found)


def test_no_incumbent_holds():
    assert reasons(imp003, 'tender: {value: "£1m", term_months: 12}\nincumbent: none') == []
