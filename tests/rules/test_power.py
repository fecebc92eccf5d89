"""Recognise your power: PWR001 (loss-making bids), PWR002 (no compete with smaller organisations)."""

from __future__ import annotations

from bidcheck.api import Severity
from bidcheck.models import Verdict
from bidcheck_rules.power_competition import competing_with_smaller
from bidcheck_rules.power_pricing import loss_making_bid

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
    assert "£420k" in reason.message and "£45m" in reason.message and "0.9%" in reason.message
    assert "local and user-led" in reason.message
    for alternative in ("partner", "subcontract", "support their bid", "consortium", "alliance"):
        assert alternative in reason.finding.action
    assert reason.finding.field == "bid.incumbent_approach"
    assert (reason.location.line, reason.location.column) == (7, 3)
    assert reason.finding.evidence["their_income"] == 420_000 and reason.finding.evidence["our_income"] == 45_000_000
    assert reason.finding.evidence["income_ratio"] == round(420_000 / 45_000_000, 4)


def test_competing_without_the_policy_is_a_concern():
    reason = only(reasons(competing_with_smaller, SMALLER_LOCAL_INCUMBENT.format(approach="compete"), NO_POLICIES))
    assert reason.severity is Severity.CONCERN
    assert "not adopted the no_compete_with_smaller policy" in reason.message


def test_bidding_without_contacting_the_incumbent_counts_as_competing():
    reason = only(reasons(competing_with_smaller, SMALLER_LOCAL_INCUMBENT.format(approach="not-contacted")))
    assert reason.severity is Severity.BLOCKER
    assert "without having contacted them" in reason.message


def test_partnering_with_the_incumbent_among_the_partners_or_supporting_them_holds():
    partnered = SMALLER_LOCAL_INCUMBENT.format(approach="partner") + "partners: [{name: Hackney Young People's Project, value_pct: 40}]\n"
    assert reasons(competing_with_smaller, partnered) == []
    assert reasons(competing_with_smaller, SMALLER_LOCAL_INCUMBENT.format(approach="support")) == []


def test_incumbent_with_more_than_half_our_income_is_not_smaller():
    tender = SMALLER_LOCAL_INCUMBENT.format(approach="compete").replace("£420k", "£30m")
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
        "incumbent.annual_income",
        "organisation.annual_income",
    }
    assert all(r.severity is Severity.UNKNOWN and r.can_block for r in found)


# PWR003 to PWR006 ----------------------------------------------------------------------------

from bidcheck_rules.power_fair_terms import management_fee, payment_by_results  # noqa: E402
from bidcheck_rules.power_partners import bid_candy, exclusivity_clause  # noqa: E402


RESERVES = 'organisation: {annual_income: "£45m", free_reserves: "£2m"}'
PRIME = "bid: {role: prime}\n"  # we lead (v2: terms are judged only for partners we lead)


def partners(*entries: str) -> str:
    return "partners:\n" + "".join(f"  - {{name: {entry}}}\n" for entry in entries) + PRIME


SMALL = 'annual_income: "£90k", local: true, value_pct: 15, delivers: outreach, consented: true'


def test_exclusivity_on_a_smaller_partner_blocks_under_the_policy_and_names_them():
    reason = only(reasons(exclusivity_clause, partners(f"Fair Forum, {SMALL}, exclusivity: false", f"Tied Forum, {SMALL}, exclusivity: true")))
    assert reason.severity is Severity.BLOCKER
    assert reason.finding.field == "partners[1].exclusivity" and (reason.location.line, reason.location.column) == (3, 112)  # its key
    assert "Tied Forum is bound to bid only with you — £90k, 0.2% of your £45m income: smaller" in reason.message
    assert "Remove the exclusivity clause" in reason.finding.action


def test_exclusivity_without_the_policy_is_a_concern_that_says_so():
    reason = only(reasons(exclusivity_clause, partners(f"Tied Forum, {SMALL}, exclusivity: true"), NO_POLICIES))
    assert reason.severity is Severity.CONCERN and "not adopted the no_exclusivity_clauses policy" in reason.message


def test_exclusivity_with_a_partner_our_size_holds():
    assert reasons(exclusivity_clause, partners('Big Partner, annual_income: "£30m", exclusivity: true')) == []


def test_bid_candy_each_reason_is_named_with_its_numbers():
    reason = only(reasons(bid_candy, partners('Token Forum, value_pct: 2, delivers: none, consented: false')))
    assert reason.severity is Severity.BLOCKER
    assert "has not agreed to be named" in reason.message and "2% of the contract value, below 5%" in reason.message
    assert "delivers nothing" in reason.message
    assert reason.finding.field == "partners[0].consented"


def test_real_partner_holds_and_min_share_comes_from_config():
    assert reasons(bid_candy, partners(f"Real Forum, {SMALL}")) == []
    tight = "policies: {no_bid_candy: true}\nthresholds: {min_partner_value_pct: 20}"
    assert "below 20%" in only(reasons(bid_candy, partners(f"Real Forum, {SMALL}"), tight)).message


def test_unknown_consent_blocks_the_verdict_only_under_the_policy():
    tender = partners("Quiet Forum, value_pct: 15, delivers: outreach")
    assert check(bid_candy, tender).verdict is Verdict.NEEDS_INFO
    assert check(bid_candy, tender, NO_POLICIES).verdict is Verdict.BID


def test_high_management_fee_is_a_concern_even_under_fair_terms_and_says_it_breaches_them():
    reason = only(reasons(management_fee, partners("Forum, management_fee_pct: 15")))
    assert reason.severity is Severity.CONCERN
    assert "15%" in reason.message and "above the 10% maximum" in reason.message
    assert "breaches your fair_partner_terms policy" in reason.message
    no_policy = only(reasons(management_fee, partners("Forum, management_fee_pct: 15"), NO_POLICIES))
    assert "breaches" not in no_policy.message


def test_fee_at_the_maximum_holds_and_unknown_fee_is_asked():
    assert reasons(management_fee, partners("Forum, management_fee_pct: 10")) == []
    assert only(reasons(management_fee, partners("Forum"))).severity is Severity.UNKNOWN


def paid_on_results(tender: str) -> str:
    """The contract pays 10% of £1m on results, and 80% of it is ours: £80k at risk, within £2m reserves."""
    return tender.replace(PRIME, "bid: {role: prime, value_pct: 80}\n") + 'tender: {value: "£1m", results_pct: 10}\n'


def test_results_risk_passed_to_a_smaller_partner_is_a_concern():
    reason = only(reasons(payment_by_results, paid_on_results(partners('Forum, annual_income: "£90k", results_pct: 40')), RESERVES))
    assert reason.severity is Severity.CONCERN
    assert "40% of Forum's payment" in reason.message and "20% maximum" in reason.message


def test_results_risk_on_a_partner_our_size_holds():
    assert reasons(payment_by_results, paid_on_results(partners('Big Partner, annual_income: "£30m", results_pct: 40')), RESERVES) == []


def test_value_at_risk_above_free_reserves_is_a_concern_with_the_sums():
    config = 'organisation: {annual_income: "£45m", free_reserves: "£2m"}'
    reason = only(reasons(payment_by_results, 'tender: {value: "£10m", results_pct: 30}\nbid: {role: sole}', config))
    assert "£3m at risk" in reason.message and "£2m free reserves" in reason.message
    assert reason.finding.evidence["value_at_risk"] == 3_000_000


def test_unknown_reserves_are_asked_about_when_results_are_paid():
    reason = only(reasons(payment_by_results, 'tender: {value: "£1m", results_pct: 10}\nbid: {role: sole}', NO_POLICIES))
    assert reason.finding.field == "organisation.free_reserves"


# PWR003 to PWR006: values, actions, fields, locations and refinements ------------------------


TIED = """
partners:
  - name: Tied Forum
    annual_income: "£90k"
    exclusivity: true
bid: {role: prime}
"""


def test_exclusivity_on_a_smaller_partner_gives_both_incomes_as_evidence():
    reason = only(reasons(exclusivity_clause, TIED))
    assert reason.severity is Severity.BLOCKER
    assert "£90k, 0.2% of your £45m income" in reason.message and "bound to bid only with you" in reason.message
    assert "let Tied Forum work with other bidders" in reason.finding.action
    assert reason.finding.field == "partners[0].exclusivity"
    assert (reason.location.line, reason.location.column) == (4, 5)
    assert reason.finding.evidence == {"partner": "Tied Forum", "their_income": 90000.0, "our_income": 45000000.0,
                                       "income_ratio": 0.002, "smaller_income_ratio": 0.5, "exclusivity": True}


def test_exclusivity_without_the_policy_is_a_concern_naming_the_policy_and_the_values():
    reason = only(reasons(exclusivity_clause, TIED, NO_POLICIES))
    assert reason.severity is Severity.CONCERN
    assert "£90k" in reason.message and "not adopted the no_exclusivity_clauses policy" in reason.message


def test_each_smaller_partner_bound_by_exclusivity_is_its_own_finding():
    found = reasons(exclusivity_clause, partners(f"First Forum, {SMALL}, exclusivity: true", f"Second Forum, {SMALL}, exclusivity: true"))
    assert [r.finding.field for r in found] == ["partners[0].exclusivity", "partners[1].exclusivity"]
    assert [r.finding.evidence["partner"] for r in found] == ["First Forum", "Second Forum"]


def test_unknown_exclusivity_of_a_smaller_partner_is_asked_and_needs_info_only_under_the_policy():
    tender = partners('Quiet Forum, annual_income: "£90k"')
    result = check(exclusivity_clause, tender)
    reason = only(result.reasons)
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "partners[0].exclusivity"
    assert reason.finding.question and "Quiet Forum" in reason.finding.question
    assert result.verdict is Verdict.NEEDS_INFO
    assert check(exclusivity_clause, tender, NO_POLICIES).verdict is Verdict.BID


def test_exclusive_partner_of_unknown_income_is_asked_for_its_income():
    reason = only(reasons(exclusivity_clause, partners("Tied Forum, exclusivity: true")))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "partners[0].annual_income"
    assert reason.finding.question and "annual income" in reason.finding.question


CANDY = """
partners:
  - name: Real Forum
    value_pct: 15
    delivers: outreach
    consented: true
  - name: Token Forum
    value_pct: {value_pct}
    delivers: {delivers}
    consented: {consented}
bid: {{role: prime}}
"""


def test_named_without_consent_is_bid_candy_at_the_consent_line():
    reason = only(reasons(bid_candy, CANDY.format(value_pct=15, delivers="outreach", consented="false")))
    assert reason.severity is Severity.BLOCKER
    assert "Token Forum has not agreed to be named in the bid" in reason.message
    assert "Give Token Forum a real, funded part" in reason.finding.action and "do not name them" in reason.finding.action
    assert reason.finding.field == "partners[1].consented"
    assert (reason.location.line, reason.location.column) == (9, 5)
    assert reason.finding.evidence == {
        "partner": "Token Forum",
        "consented": False,
        "value_pct": 15,
        "delivers": "outreach",
        "min_partner_value_pct": 5,
    }


def test_token_share_alone_is_bid_candy_with_both_percentages():
    reason = only(reasons(bid_candy, CANDY.format(value_pct=2, delivers="outreach", consented="true")))
    assert reason.severity is Severity.BLOCKER
    assert "would receive 2% of the contract value, below 5%" in reason.message
    assert "worth at least 5% of the value" in reason.finding.action
    assert reason.finding.field == "partners[1].value_pct"
    assert reason.finding.evidence["value_pct"] == 2


def test_partner_who_delivers_nothing_alone_is_bid_candy():
    reason = only(reasons(bid_candy, CANDY.format(value_pct=15, delivers="n/a", consented="true")))
    assert "delivers nothing ('n/a')" in reason.message
    assert reason.finding.field == "partners[1].delivers"


def test_share_at_the_minimum_holds():
    assert reasons(bid_candy, CANDY.format(value_pct=5, delivers="outreach", consented="true")) == []


def test_bid_candy_without_the_policy_is_a_concern_naming_the_policy():
    reason = only(reasons(bid_candy, CANDY.format(value_pct=2, delivers="outreach", consented="true"), NO_POLICIES))
    assert reason.severity is Severity.CONCERN
    assert "2%" in reason.message and "not adopted the no_bid_candy policy" in reason.message


def test_each_token_partner_is_its_own_finding():
    tender = partners("One Forum, value_pct: 1, delivers: a, consented: true", "Two Forum, value_pct: 3, delivers: b, consented: true")
    found = reasons(bid_candy, tender)
    assert [r.finding.field for r in found] == ["partners[0].value_pct", "partners[1].value_pct"]
    assert "1%" in found[0].message and "3%" in found[1].message


def test_every_missing_fact_about_a_partners_role_is_asked():
    found = reasons(bid_candy, partners("Quiet Forum"))
    assert [r.finding.field for r in found] == ["partners[0].consented", "partners[0].value_pct", "partners[0].delivers"]
    assert all(r.severity is Severity.UNKNOWN and "Quiet Forum" in (r.finding.question or "") for r in found)


FEES = """
partners:
  - name: Fair Forum
    management_fee_pct: 8
  - name: Sliced Forum
    management_fee_pct: 15
bid: {role: prime}
"""


def test_high_management_fee_names_the_partner_points_at_the_fee_and_proposes_the_maximum():
    reason = only(reasons(management_fee, FEES))
    assert reason.severity is Severity.CONCERN
    assert "You would keep 15% of Sliced Forum's allocation, above the 10% maximum" in reason.message
    assert "Cut the management fee to 10% or less" in reason.finding.action
    assert reason.finding.field == "partners[1].management_fee_pct"
    assert (reason.location.line, reason.location.column) == (5, 5)
    assert reason.finding.evidence == {"partner": "Sliced Forum", "management_fee_pct": 15, "max_management_fee_pct": 10}


def test_each_partner_with_a_high_fee_is_its_own_finding_and_the_maximum_comes_from_config():
    config = 'organisation: {annual_income: "£45m"}\nthresholds: {max_management_fee_pct: 5}'
    found = reasons(management_fee, FEES, config)
    assert [r.finding.field for r in found] == ["partners[0].management_fee_pct", "partners[1].management_fee_pct"]
    assert all(r.severity is Severity.CONCERN and "above the 5% maximum" in r.message for r in found)


def test_unknown_fee_is_asked_with_the_partner_named_but_does_not_hold_up_the_verdict():
    result = check(management_fee, partners("Quiet Forum"))
    reason = only(result.reasons)
    assert reason.finding.field == "partners[0].management_fee_pct"
    assert reason.finding.question and "Quiet Forum" in reason.finding.question
    assert result.verdict is Verdict.BID


RESULTS = """
tender:
  value: "£1m"
  results_pct: 10
partners:
  - name: Big Partner
    annual_income: "£30m"
    results_pct: 60
  - name: Small Forum
    annual_income: "£90k"
    results_pct: 40
bid: {role: prime, value_pct: 80}
"""


def test_results_risk_on_a_smaller_partner_alone_is_a_concern_at_its_line():
    reason = only(reasons(payment_by_results, RESULTS, RESERVES))  # £100k at risk is within reserves
    assert reason.severity is Severity.CONCERN
    assert "40% of Small Forum's payment depends on results, above the 20% maximum for a smaller partner" in reason.message
    assert "pay Small Forum at least 80% up front" in reason.finding.action
    assert reason.finding.field == "partners[1].results_pct"
    assert (reason.location.line, reason.location.column) == (10, 5)
    assert reason.finding.evidence == {"partner": "Small Forum", "results_pct": 40, "max_partner_results_pct": 20,
                                       "their_income": 90_000, "our_income": 45_000_000, "income_ratio": 0.002,
                                       "smaller_income_ratio": 0.5}


def test_partner_in_our_own_band_carrying_results_risk_does_not_count():
    assert reasons(payment_by_results, RESULTS.replace('"£90k"', '"£30m"'), RESERVES) == []  # more than half our income


def test_smaller_partner_results_share_at_the_maximum_holds():
    assert reasons(payment_by_results, RESULTS.replace("results_pct: 40", "results_pct: 20"), RESERVES) == []


def test_value_at_risk_alone_is_a_concern_with_the_sums_at_the_results_line():
    tender = 'tender:\n  value: "£10m"\n  results_pct: 30\nbid: {role: sole}\n'
    reason = only(reasons(payment_by_results, tender, RESERVES))
    assert reason.severity is Severity.CONCERN
    assert "30% of the £10m price is paid on results: £3m at risk, more than your £2m free reserves" in reason.message
    assert "Negotiate a lower results-based share" in reason.finding.action
    assert reason.finding.field == "tender.results_pct"
    assert (reason.location.line, reason.location.column) == (3, 3)
    assert reason.finding.evidence == {"value": 10_000_000, "our_value_pct": 100, "our_value": 10_000_000, "results_pct": 30,
                                       "value_at_risk": 3_000_000, "free_reserves": 2_000_000}


def test_value_at_risk_equal_to_free_reserves_holds():
    assert reasons(payment_by_results, 'tender: {value: "£10m", results_pct: 20}\nbid: {role: sole}', RESERVES) == []


def test_both_triggers_give_one_finding_each():
    found = reasons(payment_by_results, RESULTS.replace('"£1m"', '"£30m"'), RESERVES)  # £3m at risk
    assert [r.finding.field for r in found] == ["partners[1].results_pct", "tender.results_pct"]


def test_results_risk_stays_a_concern_under_every_policy():
    every_policy = RESERVES + "\npolicies: {refuse_loss_making_bids: true, no_compete_with_smaller: true, " \
        "no_exclusivity_clauses: true, no_bid_candy: true, fair_partner_terms: true}"
    found = reasons(payment_by_results, RESULTS.replace('"£1m"', '"£30m"'), every_policy)
    assert [r.severity for r in found] == [Severity.CONCERN, Severity.CONCERN]


def test_smaller_partner_of_unknown_income_carrying_results_risk_is_asked_for_its_income():
    reason = only(reasons(payment_by_results, paid_on_results(partners("Forum, results_pct: 40")), RESERVES))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "partners[0].annual_income"
    assert reason.finding.question and "annual income" in reason.finding.question


def test_unknown_tender_value_under_payment_by_results_is_asked_for():
    reason = only(reasons(payment_by_results, "tender: {results_pct: 30}", RESERVES))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "tender.value"
    assert reason.finding.question and "total value" in reason.finding.question


def test_unknown_reserves_are_asked_with_a_question_but_do_not_hold_up_the_verdict():
    result = check(payment_by_results, 'tender: {value: "£1m", results_pct: 10}\nbid: {role: sole}', NO_POLICIES)
    assert only(result.reasons).finding.question and "free reserves" in only(result.reasons).finding.question
    assert result.verdict is Verdict.BID


def test_smaller_partner_with_unknown_results_share_is_asked_about():
    reason = only(reasons(payment_by_results, partners('Small Forum, annual_income: "£90k"')))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "partners[0].results_pct"


# Which unknowns hold up the verdict ----------------------------------------------------------


def test_unknown_bid_candy_facts_need_info_only_when_no_bid_candy_is_adopted():
    tender = partners("Quiet Forum")
    assert check(bid_candy, tender, "policies: {no_bid_candy: true}").verdict is Verdict.NEEDS_INFO
    assert check(bid_candy, tender, "policies: {no_exclusivity_clauses: true, fair_partner_terms: true}").verdict is Verdict.BID
