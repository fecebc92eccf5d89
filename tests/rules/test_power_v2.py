"""Rules v2 (issue 13, SPEC §2.1) for the power rules, COL001 and COL004: relative size, who is
displaced, our role, our share of the risk. Each test names the situation and fails on version 1."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bidcheck.api import Severity
from bidcheck.models import Verdict
from bidcheck_rules.collaboration import engaged_after_publication, prime_over_smaller_partners
from bidcheck_rules.power_competition import competing_with_smaller
from bidcheck_rules.power_fair_terms import management_fee, payment_by_results
from bidcheck_rules.power_partners import bid_candy, exclusivity_clause
from bidcheck_rules.power_pricing import loss_making_bid

from tests.rules.helpers import NO_POLICIES, check, only, reasons

WE_ARE_95M = 'organisation: {annual_income: "£95m", free_reserves: "£2m"}\npolicies: {no_compete_with_smaller: true}'
RESERVES = 'organisation: {annual_income: "£45m", free_reserves: "£1.5m"}'


# PWR001: payment by results ------------------------------------------------------------------

PAID_ON_RESULTS = 'tender: {{results_pct: 30}}\nbid: {{price: "£1.2m", full_cost: "£1.2m"{expected}}}'


def test_price_equal_to_full_cost_with_30pct_on_results_and_low_expectation_is_loss_making():
    reason = only(reasons(loss_making_bid, PAID_ON_RESULTS.format(expected=", expected_results_pct: 50")))
    assert reason.severity is Severity.BLOCKER
    evidence = reason.finding.evidence
    assert evidence["fixed_part"] == 840_000 and evidence["results_part"] == 360_000
    assert evidence["expected_income"] == 1_020_000 and evidence["full_cost"] == 1_200_000
    assert evidence["shortfall"] == 180_000 and evidence["expected_results_pct"] == 50
    for shown in ("£840k", "£360k", "£1.02m", "£1.2m", "50%", "30%"):
        assert shown in reason.message
    assert reason.finding.field == "bid.price"


def test_price_under_payment_by_results_without_an_expectation_asks_for_it_and_needs_info_under_the_policy():
    result = check(loss_making_bid, PAID_ON_RESULTS.format(expected=""))
    reason = only(result.reasons)
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "bid.expected_results_pct"
    assert "£840k" in (reason.finding.question or "") and "£360k" in (reason.finding.question or "")
    assert result.verdict is Verdict.NEEDS_INFO


def test_price_below_full_cost_is_loss_making_whatever_the_results():
    tender = 'tender: {results_pct: 30}\nbid: {price: "£1.1m", full_cost: "£1.2m", expected_results_pct: 100}'
    reason = only(reasons(loss_making_bid, tender))
    assert reason.severity is Severity.BLOCKER and reason.finding.evidence["shortfall"] == 100_000


@settings(max_examples=40, deadline=None)
@given(
    price=st.integers(100, 2_000).map(lambda k: k * 1000),
    full_cost=st.integers(100, 2_000).map(lambda k: k * 1000),
    results_pct=st.integers(0, 100),
    expected=st.integers(0, 100),
)
def test_expected_income_under_payment_by_results_decides_loss_making(price, full_cost, results_pct, expected):
    tender = f"tender: {{results_pct: {results_pct}}}\nbid: {{price: {price}, full_cost: {full_cost}, expected_results_pct: {expected}}}"
    expected_income = price * (100 - results_pct) / 100 + price * results_pct / 100 * expected / 100
    loses = price < full_cost or expected_income < full_cost
    found = reasons(loss_making_bid, tender)
    assert [r.severity for r in found] == ([Severity.BLOCKER] if loses else [])


# PWR002: any smaller organisation, the displaced incumbent and competitors ---------------------

INCUMBENT = """
incumbent: {{name: Regional Trust, annual_income: "{income}", local: {local}}}
bid: {{incumbent_approach: compete}}
"""


def test_11m_incumbent_is_smaller_than_our_95m_though_in_the_same_income_band():
    reason = only(reasons(competing_with_smaller, INCUMBENT.format(income="£11m", local="true"), WE_ARE_95M))
    assert reason.severity is Severity.BLOCKER
    assert reason.finding.evidence["their_income"] == 11_000_000 and reason.finding.evidence["our_income"] == 95_000_000
    assert reason.finding.evidence["income_ratio"] == round(11 / 95, 4)
    assert "£11m" in reason.message and "£95m" in reason.message and "11.6%" in reason.message


def test_smaller_incumbent_that_is_not_local_still_fires_when_we_compete():
    reason = only(reasons(competing_with_smaller, INCUMBENT.format(income="£11m", local="false"), WE_ARE_95M))
    assert reason.severity is Severity.BLOCKER and "local" not in reason.message
    assert reason.finding.evidence["local"] is False


def test_smaller_income_ratio_from_config_decides_smaller():
    stricter = WE_ARE_95M + "\nthresholds: {smaller_income_ratio: 0.1}"
    assert reasons(competing_with_smaller, INCUMBENT.format(income="£11m", local="true"), stricter) == []
    looser = WE_ARE_95M + "\nthresholds: {smaller_income_ratio: 0.9}"
    reason = only(reasons(competing_with_smaller, INCUMBENT.format(income="£80m", local="true"), looser))
    assert reason.finding.evidence["smaller_income_ratio"] == 0.9


def test_smaller_competitor_fires_while_we_partner_with_the_incumbent():
    tender = """
incumbent: {name: Hackney Project, annual_income: "£420k", local: true}
bid: {incumbent_approach: partner}
partners: [{name: The Hackney Project Ltd, value_pct: 40, agreement: signed}]
competitors:
  - {name: Carers Network, annual_income: "£300k", local: false, user_led: true}
"""
    reason = only(reasons(competing_with_smaller, tender))
    assert reason.severity is Severity.BLOCKER
    assert reason.finding.field == "competitors[0].name" and (reason.location.line, reason.location.column) == (5, 6)
    assert "Carers Network (user-led) is expected to bid" in reason.message and "£300k" in reason.message
    assert reason.finding.evidence["competitor"] is True and reason.finding.evidence["their_income"] == 300_000


def test_competitor_with_more_than_half_our_income_holds_and_one_of_unknown_income_is_asked():
    tender = 'incumbent: none\ncompetitors: [{name: Big Rival, annual_income: "£30m"}, {name: Quiet Rival}]'
    reason = only(reasons(competing_with_smaller, tender))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "competitors[1].annual_income"


def test_competitor_who_is_the_incumbent_is_judged_once_as_the_incumbent():
    tender = INCUMBENT.format(income="£420k", local="true") + 'competitors: [{name: regional trust, annual_income: "£420k"}]'
    assert [r.finding.field for r in reasons(competing_with_smaller, tender)] == ["bid.incumbent_approach"]


def test_partnering_claimed_without_the_incumbent_among_partners_asks_to_add_them():
    tender = """
incumbent: {name: Hackney Project, annual_income: "£400k", local: true}
bid: {incumbent_approach: partner}
partners: [{name: Someone Else, value_pct: 20}]
"""
    result = check(competing_with_smaller, tender)
    reason = only(result.reasons)
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "bid.incumbent_approach"
    assert "Hackney Project" in (reason.finding.question or "") and "value_pct" in (reason.finding.question or "")
    assert result.verdict is Verdict.NEEDS_INFO


# Terms we set: only for partners we lead (PWR003-PWR006, COL004) ------------------------------

PEERS = """
bid: {role: consortium-member}
partners:
  - {name: North Trust, annual_income: "£9.8m", role: consortium-member, exclusivity: true, results_pct: 40, management_fee_pct: 5}
  - {name: South Trust, annual_income: "£11m", role: consortium-member, exclusivity: true, results_pct: 40, management_fee_pct: 5}
tender: {value: "£3m", results_pct: 10}
"""
WE_ARE_10M = 'organisation: {annual_income: "£10.2m", free_reserves: "£1m"}\npolicies: {no_exclusivity_clauses: true}'


def test_peer_consortium_with_mutual_exclusivity_is_collaboration_not_imposition():
    assert reasons(exclusivity_clause, PEERS, WE_ARE_10M) == []


def test_peer_partner_carrying_results_risk_shares_risk_and_reward():
    # Our share is not given for a consortium member, so only that is asked: no partner finding.
    found = reasons(payment_by_results, PEERS, WE_ARE_10M)
    assert [r.finding.field for r in found] == ["bid.value_pct"]


SUBCONTRACTOR = """
tender: {value: "£30m", results_pct: 30}
bid: {role: subcontractor, value_pct: 20}
partners:
  - {name: Local Lead, annual_income: "£900k", local: true, role: lead, value_pct: 80, exclusivity: true, results_pct: 60, delivers: "", consented: false}
"""


def test_subcontractor_to_a_small_local_lead_is_not_asked_about_fees_it_keeps():
    assert reasons(management_fee, SUBCONTRACTOR) == []


def test_subcontractor_sets_no_exclusivity_candy_or_results_terms_for_its_lead():
    assert reasons(exclusivity_clause, SUBCONTRACTOR) == []
    assert reasons(bid_candy, SUBCONTRACTOR) == []
    assert [r.finding.field for r in reasons(payment_by_results, SUBCONTRACTOR, RESERVES)] == ["tender.results_pct"]


def test_member_under_a_partners_lead_does_not_set_the_terms():
    tender = SUBCONTRACTOR.replace("role: subcontractor", "role: consortium-member")
    assert reasons(management_fee, tender) == []
    assert reasons(exclusivity_clause, tender) == []


def test_unknown_role_is_asked_once_only_when_a_term_would_be_judged():
    tender = 'partners: [{name: Tied Forum, annual_income: "£90k", exclusivity: true}]'
    result = check(exclusivity_clause, tender)
    assert [(r.finding.field, r.severity) for r in result.reasons] == [("bid.role", Severity.UNKNOWN)]
    assert result.verdict is Verdict.NEEDS_INFO
    assert reasons(exclusivity_clause, 'partners: [{name: Free Forum, annual_income: "£90k", exclusivity: false}]') == []


def test_role_not_given_with_a_partner_leading_means_we_do_not_lead():
    tender = 'partners: [{name: Lead Forum, annual_income: "£90k", role: lead, exclusivity: true, management_fee_pct: 30}]'
    assert reasons(exclusivity_clause, tender) == []
    assert reasons(management_fee, tender) == []
    assert reasons(prime_over_smaller_partners, tender) == []


# PWR006: the value at risk is ours -----------------------------------------------------------


def test_twenty_percent_subcontractor_risks_its_own_share_not_the_whole_contract():
    reason = only(reasons(payment_by_results, SUBCONTRACTOR, RESERVES))
    # £30m x 20% x 30% = £1.8m at risk, above £1.5m reserves (version 1 said £9m)
    assert reason.severity is Severity.CONCERN
    assert reason.finding.evidence["value_at_risk"] == 1_800_000 and reason.finding.evidence["our_value_pct"] == 20
    assert reason.finding.evidence["our_value"] == 6_000_000
    assert "your 20% share (£6m)" in reason.message and "£1.8m at risk" in reason.message
    assert reasons(payment_by_results, SUBCONTRACTOR, RESERVES.replace("£1.5m", "£2m")) == []


def test_our_share_not_known_for_a_subcontractor_is_asked_for():
    reason = only(reasons(payment_by_results, SUBCONTRACTOR.replace(", value_pct: 20", ""), RESERVES))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "bid.value_pct"


def test_prime_share_left_out_is_what_the_partners_do_not_receive():
    tender = """
tender: {value: "£10m", results_pct: 30}
bid: {role: prime}
partners:
  - {name: One, annual_income: "£30m", value_pct: 15}
  - {name: Two, annual_income: "£30m", value_pct: 25}
"""
    reason = only(reasons(payment_by_results, tender, RESERVES))
    assert reason.finding.evidence["our_value_pct"] == 60 and reason.finding.evidence["value_at_risk"] == 1_800_000


def test_missing_results_share_of_the_contract_is_asked_when_partners_carry_results():
    tender = 'tender: {value: "£1m"}\nbid: {role: prime}\npartners: [{name: Forum, annual_income: "£90k", value_pct: 20, results_pct: 15}]'
    reason = only(reasons(payment_by_results, tender, RESERVES))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "tender.results_pct"


# PWR004: `delivers: ""` delivers nothing ----------------------------------------------------


def test_partner_whose_delivery_is_written_empty_is_bid_candy():
    reason = only(reasons(bid_candy, 'bid: {role: prime}\npartners: [{name: Forum, value_pct: 15, consented: true, delivers: ""}]'))
    assert reason.severity is Severity.BLOCKER and reason.finding.field == "partners[0].delivers"
    assert "delivers nothing (written empty)" in reason.message


@settings(max_examples=15, deadline=None)
@given(st.text(alphabet=" \t", max_size=4))
def test_partner_whose_delivery_is_only_blank_delivers_nothing(blank):
    tender = f'bid: {{role: prime}}\npartners: [{{name: Forum, value_pct: 15, consented: true, delivers: "{blank}"}}]'
    assert only(reasons(bid_candy, tender)).finding.field == "partners[0].delivers"


def test_missing_delivers_is_still_asked():
    reason = only(reasons(bid_candy, "bid: {role: prime}\npartners: [{name: Forum, value_pct: 15, consented: true}]"))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "partners[0].delivers"


# COL001: a short window --------------------------------------------------------------------

LATE = "tender: {{published: 2026-11-01, deadline: {deadline}}}\npartners: [{{name: Late Forum, engaged: after-publication}}]"


def test_partner_engaged_after_publication_with_a_short_window_is_a_concern():
    result = check(engaged_after_publication, LATE.format(deadline="2026-11-21"), NO_POLICIES)
    reason = only(result.reasons)
    assert reason.severity is Severity.CONCERN and result.verdict is Verdict.BID_WITH_CONDITIONS
    assert reason.finding.evidence["response_days"] == 20 and reason.finding.evidence["min_response_days"] == 30
    assert "20 days" in reason.message and "30 days" in reason.message


def test_partner_engaged_after_publication_with_time_to_respond_stays_info():
    assert only(reasons(engaged_after_publication, LATE.format(deadline="2026-12-01"))).severity is Severity.INFO
    shorter = NO_POLICIES + "\nthresholds: {min_response_days: 15}"
    assert only(reasons(engaged_after_publication, LATE.format(deadline="2026-11-21"), shorter)).severity is Severity.INFO


def test_configured_col001_severity_still_wins_over_the_short_window():
    config = NO_POLICIES + "\nrules: {severity: {COL001: info}}"
    assert only(reasons(engaged_after_publication, LATE.format(deadline="2026-11-21"), config)).severity is Severity.INFO


# COL004: relative size -----------------------------------------------------------------------


def test_prime_over_an_11m_partner_with_our_95m_is_prime_over_a_smaller_partner():
    tender = 'bid: {role: prime}\npartners: [{name: Regional Trust, annual_income: "£11m"}]'
    reason = only(reasons(prime_over_smaller_partners, tender, WE_ARE_95M))
    assert reason.severity is Severity.INFO
    assert reason.finding.evidence["partners"][0]["income_ratio"] == round(11 / 95, 4)
