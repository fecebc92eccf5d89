"""Recognise your power: PWR001 (loss-making bids), PWR002 (no compete with smaller organisations)."""

from __future__ import annotations

from bidcheck.api import Severity
from bidcheck.models import Verdict
from bidcheck_rules.power import competing_with_smaller, loss_making_bid

from tests.rules.helpers import NO_POLICIES, check, only, reasons

LOSS_MAKING = 'bid: {price: "£1.15m", full_cost: "£1.23m"}'


# PWR001 -------------------------------------------------------------------------------------


def test_loss_making_bid_under_refuse_policy_blocks_with_its_numbers():
    reason = only(reasons(loss_making_bid, LOSS_MAKING))
    assert reason.severity is Severity.BLOCKER
    assert "£1.15m" in reason.message and "£1.23m" in reason.message and "£80k" in reason.message
    assert "6.5%" in reason.message
    assert reason.finding.evidence == {"price": 1150000.0, "full_cost": 1230000.0, "shortfall": 80000.0, "shortfall_pct": 6.5}
    assert "Reprice" in reason.finding.action and "£1.23m" in reason.finding.action
    assert reason.finding.field == "bid.price"
    assert (reason.location.line, reason.location.column) == (1, 7)  # the flow mapping's price key


def test_loss_making_bid_without_the_policy_is_a_concern_that_says_so():
    reason = only(reasons(loss_making_bid, LOSS_MAKING, NO_POLICIES))
    assert reason.severity is Severity.CONCERN
    assert "not adopted the refuse_loss_making_bids policy" in reason.message


def test_price_covering_full_cost_holds():
    assert reasons(loss_making_bid, 'bid: {price: "£1.23m", full_cost: "£1.23m"}') == []


def test_missing_full_cost_is_unknown_with_a_question():
    reason = only(reasons(loss_making_bid, 'bid: {price: "£1.2m"}'))
    assert reason.severity is Severity.UNKNOWN
    assert reason.finding.field == "bid.full_cost"
    assert reason.finding.question and "full cost" in reason.finding.question


def test_missing_bid_asks_for_price_and_full_cost():
    found = reasons(loss_making_bid, "tender: {id: A, title: B}")
    assert [r.finding.field for r in found] == ["bid.price", "bid.full_cost"]
    assert all(r.severity is Severity.UNKNOWN for r in found)


def test_unknown_cost_under_the_policy_needs_info_but_not_without_it():
    assert check(loss_making_bid, 'bid: {price: "£1m"}').verdict is Verdict.NEEDS_INFO
    assert check(loss_making_bid, 'bid: {price: "£1m"}', NO_POLICIES).verdict is Verdict.BID


# PWR002 -------------------------------------------------------------------------------------

SMALLER_LOCAL_INCUMBENT = """
incumbent:
  name: Hackney Young People's Project
  annual_income: "£420k"
  local: true
  user_led: true
bid:
  incumbent_approach: {approach}
"""


def test_competing_with_smaller_local_incumbent_under_no_compete_policy_blocks():
    reason = only(reasons(competing_with_smaller, SMALLER_LOCAL_INCUMBENT.format(approach="compete")))
    assert reason.severity is Severity.BLOCKER
    assert "£420k" in reason.message and "medium" in reason.message
    assert "£45m" in reason.message and "major" in reason.message
    assert "user-led" in reason.message
    for alternative in ("partner", "subcontract", "support their bid", "consortium", "alliance"):
        assert alternative in reason.finding.action
    assert reason.finding.field == "bid.incumbent_approach"
    assert (reason.location.line, reason.location.column) == (7, 3)
    assert reason.finding.evidence["incumbent_band"] == "medium"


def test_competing_without_the_policy_is_a_concern():
    reason = only(reasons(competing_with_smaller, SMALLER_LOCAL_INCUMBENT.format(approach="compete"), NO_POLICIES))
    assert reason.severity is Severity.CONCERN
    assert "not adopted the no_compete_with_smaller policy" in reason.message


def test_bidding_without_contacting_the_incumbent_counts_as_competing():
    reason = only(reasons(competing_with_smaller, SMALLER_LOCAL_INCUMBENT.format(approach="not-contacted")))
    assert reason.severity is Severity.BLOCKER
    assert "without having contacted them" in reason.message


def test_partnering_with_or_supporting_the_incumbent_holds():
    for approach in ("partner", "support"):
        assert reasons(competing_with_smaller, SMALLER_LOCAL_INCUMBENT.format(approach=approach)) == []


def test_incumbent_in_our_own_band_is_not_smaller():
    tender = SMALLER_LOCAL_INCUMBENT.format(approach="compete").replace("£420k", "£20m")
    assert reasons(competing_with_smaller, tender) == []


def test_incumbent_that_is_not_local_holds_even_with_unknown_income():
    tender = "incumbent: {name: National Org, local: false}\nbid: {incumbent_approach: compete}"
    assert reasons(competing_with_smaller, tender) == []


def test_new_service_with_no_incumbent_holds():
    assert reasons(competing_with_smaller, "incumbent: none\nbid: {incumbent_approach: compete}") == []


def test_unknown_incumbent_is_asked_about():
    reason = only(reasons(competing_with_smaller, "bid: {incumbent_approach: compete}"))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "incumbent"
    assert "incumbent: none" in (reason.finding.question or "")


def test_each_missing_fact_gets_its_own_question():
    found = reasons(competing_with_smaller, "incumbent: {name: Local Project}", config_yaml="policies: {no_compete_with_smaller: true}")
    assert {r.finding.field for r in found} == {
        "bid.incumbent_approach",
        "incumbent.local",
        "incumbent.annual_income",
        "organisation.annual_income",
    }
    assert all(r.severity is Severity.UNKNOWN and r.can_block for r in found)
