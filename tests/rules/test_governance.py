"""New in version 2: GOV001 (the bid decision is linked to governance) and COM001 (commissioning
that shuts out smaller organisations). SPEC §2.1; neither rule exists in version 1."""

from __future__ import annotations

import pytest

from bidcheck.api import Severity
from bidcheck.models import Verdict
from bidcheck_rules.commissioning import commissioning_design
from bidcheck_rules.governance import decision_recorded

from tests.rules.helpers import check, only, reasons

WAIVER = "waivers:\n  - {rule: PWR002, reason: Incumbent withdrawing, approved_by: Director of Services, expires: 2099-01-31}\n"
DECIDED = 'bid: {decision: {by: "Board of trustees", on: 2026-11-10}}\n'
BIG = 'organisation: {annual_income: "£45m"}'


# --- GOV001 ------------------------------------------------------------------------------------


def test_a_waiver_with_no_decision_to_bid_is_a_governance_concern_naming_the_waiver_and_its_approver():
    result = check(decision_recorded, "bid: {role: prime}\n" + WAIVER)
    reason = only(result.reasons)
    assert reason.severity is Severity.CONCERN and result.verdict is Verdict.BID_WITH_CONDITIONS
    assert "PWR002" in reason.message and "Director of Services" in reason.message
    assert reason.finding.evidence == {"waived_rules": ["PWR002"], "approved_by": ["Director of Services"], "decision": None}
    assert "bid.decision" in reason.finding.action
    assert (reason.location.line, reason.location.column) == (3, 5)  # at the waiver


def test_a_recorded_decision_to_bid_holds_with_or_without_waivers():
    assert reasons(decision_recorded, DECIDED) == []
    assert reasons(decision_recorded, DECIDED + WAIVER) == []


def test_an_unrecorded_decision_asks_who_decides_and_by_when_and_never_makes_the_verdict_needs_info():
    result = check(decision_recorded, "bid: {role: prime}")
    reason = only(result.reasons)
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "bid.decision"
    assert "Who decides" in reason.finding.question and "by when" in reason.finding.question
    assert reason.can_block is False
    assert result.verdict is Verdict.BID  # an unknown from a rule that cannot block does not hold the bid up


def test_an_unrecorded_decision_can_block_only_when_the_config_makes_gov001_a_blocker():
    result = check(decision_recorded, "bid: {role: prime}", BIG + "\nrules: {severity: {GOV001: blocker}}")
    assert only(result.reasons).can_block is True and result.verdict is Verdict.NEEDS_INFO


# --- COM001 ------------------------------------------------------------------------------------


def test_price_weighted_above_the_limit_is_a_concern_at_the_price_weight_with_the_numbers():
    reason = only(reasons(commissioning_design, "tender: {award_weights: {price: 60, quality: 30, social_value: 10}}", BIG))
    assert reason.severity is Severity.CONCERN and reason.finding.field == "tender.award_weights.price"
    assert "60%" in reason.message and "50%" in reason.message
    assert reason.finding.evidence["price_weight_pct"] == 60 and reason.finding.evidence["max_price_weight_pct"] == 50
    assert "Ask the buyer" in reason.finding.action and "smaller" in reason.finding.action


@pytest.mark.parametrize("price", [50, 40])
def test_price_weighted_at_or_below_the_limit_holds(price):
    assert reasons(commissioning_design, f"tender: {{award_weights: {{price: {price}, quality: 50}}}}", BIG) == []


def test_the_price_weight_limit_is_a_threshold_the_config_can_change():
    assert reasons(commissioning_design, "tender: {award_weights: {price: 40}}", BIG + "\nthresholds: {max_price_weight_pct: 30}") != []


@pytest.mark.parametrize("light_touch", [True, False])
def test_a_short_response_window_is_a_concern_light_touch_or_not(light_touch):
    tender = f"tender: {{published: 2026-11-01, deadline: 2026-11-22, light_touch: {str(light_touch).lower()}}}"
    reason = only(reasons(commissioning_design, tender, BIG))
    assert reason.severity is Severity.CONCERN and reason.finding.field == "tender.deadline"
    assert "21 days" in reason.message and "30 days" in reason.message
    assert reason.finding.evidence["response_days"] == 21 and reason.finding.evidence["light_touch"] is light_touch
    assert ("light-touch" in reason.message) is light_touch


def test_a_response_window_of_the_minimum_holds_and_the_minimum_is_the_shared_threshold():
    assert reasons(commissioning_design, "tender: {published: 2026-11-01, deadline: 2026-12-01}", BIG) == []
    assert reasons(commissioning_design, "tender: {published: 2026-11-01, deadline: 2026-12-01}", BIG + "\nthresholds: {min_response_days: 45}") != []
    assert "min_response_days" in [threshold.name for threshold in commissioning_design.thresholds]


def test_a_competition_reserved_for_smaller_organisations_is_a_concern_for_a_large_one():
    reason = only(reasons(commissioning_design, "tender: {reserved_for: [sme, vcse]}", BIG))
    assert reason.finding.field == "tender.reserved_for" and "£45m" in reason.message and "£1m" in reason.message
    assert reason.finding.evidence == {"reserved_for": ["sme", "vcse"], "our_income": 45_000_000, "small_organisation_income": 1_000_000}
    assert "Leave this competition" in reason.finding.action


@pytest.mark.parametrize("income", ["£400k", "£1m"])
def test_a_small_organisation_may_bid_for_a_reserved_competition(income):
    assert reasons(commissioning_design, "tender: {reserved_for: [vcse]}", f'organisation: {{annual_income: "{income}"}}') == []


def test_a_participation_fee_is_info_with_what_it_costs():
    reason = only(reasons(commissioning_design, 'tender: {participation_fee_pct: 0.6, value: "£1.2m"}', BIG))
    assert reason.severity is Severity.INFO and reason.finding.field == "tender.participation_fee_pct"
    assert "0.6%" in reason.message and "£7,200" in reason.message


def test_each_design_issue_is_its_own_finding_at_its_own_field():
    tender = (
        "tender: {award_weights: {price: 70}, published: 2026-11-01, deadline: 2026-11-10, "
        "reserved_for: [vcse], participation_fee_pct: 1}"
    )
    found = reasons(commissioning_design, tender, BIG)
    assert [reason.finding.field for reason in found] == [
        "tender.award_weights.price",
        "tender.deadline",
        "tender.reserved_for",
        "tender.participation_fee_pct",
    ]


@pytest.mark.parametrize(
    "tender",
    ["bid: {role: prime}", "tender: {published: 2026-11-01}", "tender: {deadline: 2026-11-10}", "tender: {award_weights: {quality: 80}}"],
)
def test_missing_procurement_details_are_silent_never_unknown(tender):
    assert reasons(commissioning_design, tender, BIG) == []


def test_a_reserved_competition_is_silent_when_our_income_is_not_known():
    assert reasons(commissioning_design, "tender: {reserved_for: [vcse]}", "{}") == []


def test_who_decides_is_asked_after_the_questions_that_hold_the_verdict():
    from bidcheck.testing import check_text
    from bidcheck_rules.mission import mission_fit

    result = check_text("bid: {role: prime}", BIG, rules=[decision_recorded, mission_fit])
    assert [field for field, _ in result.questions] == ["bid.mission_fit", "bid.decision"]
