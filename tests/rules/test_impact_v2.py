"""Rules v2 for "Calculate the impact" (IMP002-IMP006) and local presence (MIS003): who is displaced,
what partnering leaves the incumbent, and presence area by area (SPEC §1.1, §2.1)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bidcheck.api import LOCAL_KNOWLEDGE_AND_PRESENCE, SMALLER_INCOME_RATIO, Severity, TenderFile, area_presence
from bidcheck.models import Verdict
from bidcheck_rules.impact import provider_delivers_quality as imp002
from bidcheck_rules.impact_closure import impact_on_existing_organisation as imp003
from bidcheck_rules.impact_local_sector import impact_on_local_sector as imp005
from bidcheck_rules.impact_transition import impact_on_beneficiaries as imp006
from bidcheck_rules.impact_transition import loss_of_key_staff as imp004
from bidcheck_rules.mission import local_presence as mis003

from tests.rules.helpers import NO_POLICIES, check, only, reasons

OURS = 'organisation: {annual_income: "£45m", areas: [Hackney, Islington]}'

# £1.2m over 36 months is £400k a year; £690k income: the contract is 58% of it.
INCUMBENT = """
tender: {{value: "£1.2m", term_months: 36, areas: [Hackney]}}
incumbent:
  name: Clapton Youth Project
  annual_income: "{income}"
  performance: {performance}
  local: true
  years_delivering: 8
  staff: 14{more}
bid: {{incumbent_approach: {approach}, transition_plan: false}}
"""


def incumbent(approach: str = "compete", *, income: str = "£690k", performance: str = "good", more: str = "", partners: str = "") -> str:
    return INCUMBENT.format(approach=approach, income=income, performance=performance, more=more) + partners


def partner_share(value_pct: object, name: str = "Clapton Youth Project Ltd") -> str:
    return f"partners: [{{name: {name}, value_pct: {value_pct}, agreement: signed, local: true}}]\n"


# --- nobody is displaced on a re-bid or by an incumbent that is not bidding again -------------------

RE_BID = 'tender: {value: "£1.2m", term_months: 36, areas: [Leeds]}\nincumbent: us\nbid: {incumbent_approach: compete, transition_plan: false}'


@pytest.mark.parametrize("impact_rule", [imp002, imp003, imp004, imp005, imp006], ids=lambda r: r.id)
def test_a_re_bid_displaces_nobody_and_is_not_told_to_partner_with_itself(impact_rule):
    assert reasons(impact_rule, RE_BID, OURS) == []


@pytest.mark.parametrize("impact_rule", [imp002, imp003, imp005], ids=lambda r: r.id)
def test_an_incumbent_that_is_not_bidding_again_is_not_displaced(impact_rule):
    tender = incumbent(more="\n  rebidding: false").replace("[Hackney]", "[Leeds]")
    assert reasons(impact_rule, tender, OURS) == []


def test_a_withdrawing_incumbent_still_leaves_staff_who_need_a_transition():
    reason = only(reasons(imp004, incumbent(more="\n  rebidding: false"), OURS))
    assert reason.severity is Severity.CONCERN
    assert "is not bidding again" in reason.message and "14 of Clapton Youth Project's staff" in reason.message
    assert "partner with them" not in reason.finding.action  # it is leaving: there is no one to partner with
    assert reason.finding.evidence["displacement"] == "the incumbent is not bidding again"


def test_a_withdrawing_incumbent_still_leaves_users_who_need_a_transition():
    reason = only(reasons(imp006, incumbent(more="\n  rebidding: false"), OURS))
    assert reason.severity is Severity.CONCERN
    assert "has delivered for 8 years" in reason.message and "is not bidding again" in reason.message
    assert "Plan continuity" in reason.finding.action and "support their bid" not in reason.finding.action


def test_a_withdrawing_incumbent_needs_a_transition_whatever_our_approach_to_it():
    for approach in ("support", "partner", "null"):
        tender = incumbent(approach, more="\n  rebidding: false")
        assert only(reasons(imp004, tender, OURS)).severity is Severity.CONCERN, approach
        assert only(reasons(imp006, tender, OURS)).severity is Severity.CONCERN, approach


def test_staff_at_risk_when_our_approach_is_not_known_says_they_may_be_displaced():
    reason = only(reasons(imp004, incumbent("null"), OURS))
    assert "may be displaced" in reason.message and reason.finding.evidence["displacement"] == "your approach to the incumbent is not known"


def test_a_withdrawing_incumbent_with_a_transition_plan_holds():
    tender = incumbent(more="\n  rebidding: false").replace("transition_plan: false", "transition_plan: true")
    assert reasons(imp004, tender, OURS) == [] and reasons(imp006, tender, OURS) == []


# --- a claimed partnership must be evidenced ----------------------------------------------------------


@pytest.mark.parametrize("impact_rule", [imp002, imp003, imp004, imp005, imp006], ids=lambda r: r.id)
def test_partnering_claimed_with_the_incumbent_absent_from_partners_is_asked_about(impact_rule):
    tender = incumbent("partner", partners="partners: [{name: Somebody Else, value_pct: 10, local: true, areas: [Camden]}]\n")
    tender = tender.replace("[Hackney]", "[Leeds]")
    reason = only(reasons(impact_rule, tender, OURS))
    assert reason.severity is Severity.UNKNOWN
    assert reason.finding.field == "bid.incumbent_approach"
    assert "Clapton Youth Project is not among the partners" in reason.message
    assert "value_pct" in reason.finding.question and "agreement" in reason.finding.question


def test_unevidenced_partnering_with_a_dependent_incumbent_needs_info_not_bid():
    assert check(imp003, incumbent("partner"), OURS).verdict is Verdict.NEEDS_INFO


@pytest.mark.parametrize("written", ["Clapton Youth Project Ltd", "the clapton youth project", "CLAPTON YOUTH PROJECT CIC"])
def test_an_incumbent_among_the_partners_under_any_spelling_of_its_name_is_evidenced(written):
    tender = incumbent("partner", partners=partner_share(95, written))
    for impact_rule in (imp002, imp003, imp004, imp006):
        assert reasons(impact_rule, tender, OURS) == [], impact_rule.id


# --- IMP003: partnering is not enough when it shrinks them --------------------------------------------


def test_partnering_that_cuts_the_incumbent_from_400k_to_20k_a_year_blocks():
    reason = only(reasons(imp003, incumbent("partner", partners=partner_share(5)), OURS))
    assert reason.severity is Severity.BLOCKER
    assert reason.finding.field == "partners[0].value_pct"
    assert "from £400k a year" in reason.message and "to £20k a year" in reason.message and "55.1%" in reason.message
    evidence = reason.finding.evidence
    assert evidence["worth_now_a_year"] == 400000 and evidence["would_receive_a_year"] == 20000
    assert evidence["loss_a_year"] == 380000 and evidence["loss_pct"] == 55.1
    assert evidence["their_income"] == 690000 and evidence["our_income"] == 45000000 and evidence["income_ratio"] == 0.0153
    # The action names the share that would keep its loss under the concern threshold: £400k - 25% of £690k.
    assert "£227.5k a year" in reason.finding.action and "56.9%" in reason.finding.action


def test_partnering_that_shrinks_the_incumbent_below_the_blocker_threshold_is_a_concern():
    # 50% of £400k is £200k: it loses £200k a year, 29% of £690k.
    reason = only(reasons(imp003, incumbent("partner", partners=partner_share(50)), OURS))
    assert reason.severity is Severity.CONCERN and "29%" in reason.message and "concern threshold" in reason.message


def test_partnering_that_keeps_most_of_the_incumbents_work_holds():
    assert reasons(imp003, incumbent("partner", partners=partner_share(60)), OURS) == []  # loses £160k, 23.2%


def test_partnering_compares_with_the_given_contract_share_when_there_is_one():
    # The contract is 80% of £690k to it (£552k a year), not the £400k annual value: 60% of £400k leaves a £312k loss, 45.2%.
    tender = incumbent("partner", more="\n  contract_share_pct: 80", partners=partner_share(60))
    reason = only(reasons(imp003, tender, OURS))
    assert reason.severity is Severity.CONCERN and reason.finding.evidence["worth_now_a_year"] == 552000
    assert reason.finding.evidence["loss_pct"] == 45.2


def test_partnering_with_no_share_for_the_incumbent_asks_for_it():
    tender = incumbent("partner", partners="partners: [{name: Clapton Youth Project, agreement: signed}]\n")
    result = check(imp003, tender, OURS)
    assert only(result.reasons).finding.field == "partners[0].value_pct" and result.verdict is Verdict.NEEDS_INFO


@settings(max_examples=40, deadline=None)
@given(value_pct=st.integers(min_value=0, max_value=100), income_k=st.integers(min_value=100, max_value=5000))
def test_partnering_fires_exactly_when_the_loss_reaches_the_concern_threshold(value_pct, income_k):
    tender = incumbent("partner", income=f"£{income_k}k", more="\n  contract_share_pct: 100", partners=partner_share(value_pct))
    # worth now: 100% of its income; it receives value_pct of £400k a year.
    loss_pct = max(0.0, income_k * 1000 - value_pct / 100 * 400_000) / (income_k * 1000) * 100
    found = reasons(imp003, tender, OURS)
    assert bool(found) == (loss_pct >= 25)
    if found:
        assert only(found).severity is (Severity.BLOCKER if loss_pct >= 50 else Severity.CONCERN)


# --- IMP003: quality and relative size ----------------------------------------------------------------


def test_a_poorly_performing_dependent_incumbent_with_no_policy_adopted_is_a_concern_not_a_blocker():
    reason = only(reasons(imp003, incumbent(performance="poor"), NO_POLICIES))
    assert reason.severity is Severity.CONCERN
    assert "performance is rated poor" in reason.message and reason.finding.evidence["performance"] == "poor"


def test_a_poorly_performing_incumbent_shrunk_by_partnering_is_a_concern_not_a_blocker():
    reason = only(reasons(imp003, incumbent("partner", performance="poor", partners=partner_share(5)), OURS))
    assert reason.severity is Severity.CONCERN


def test_an_incumbent_of_unknown_performance_that_depends_on_the_contract_still_blocks():
    assert only(reasons(imp003, incumbent(performance="unknown"), OURS)).severity is Severity.BLOCKER


def test_smaller_is_relative_an_11m_incumbent_is_smaller_than_a_95m_bidder():
    # Same NCVO band ("major"); version 1 called them equals. £36m over 36 months: £12m a year, all of its income.
    tender = incumbent(income="£11m", more="\n  contract_share_pct: 100").replace("£1.2m", "£36m")
    reason = only(reasons(imp003, tender, 'organisation: {annual_income: "£95m"}'))
    assert reason.severity is Severity.BLOCKER
    assert reason.finding.evidence["income_ratio"] == 0.1158 and "£11m, 11.6% of your £95m income" in reason.message


def test_a_peer_incumbent_depending_on_the_contract_is_a_concern_with_both_incomes():
    tender = incumbent(income="£9.8m", more="\n  contract_share_pct: 90")
    reason = only(reasons(imp003, tender, 'organisation: {annual_income: "£11m"}'))
    assert reason.severity is Severity.CONCERN
    assert "not smaller" in reason.message and reason.finding.evidence["their_income"] == 9800000


def test_smaller_income_ratio_from_the_config_decides_the_blocker_and_imp003_declares_it():
    assert SMALLER_INCOME_RATIO in imp003.thresholds
    config = 'organisation: {annual_income: "£45m"}\nthresholds: {smaller_income_ratio: 0.01}'
    assert only(reasons(imp003, incumbent(), config)).severity is Severity.CONCERN  # £690k is 1.5% of £45m: above 1%
    assert only(reasons(imp003, incumbent(income="£420k"), config)).severity is Severity.BLOCKER  # 0.9%: at most 1%


# --- IMP005 and MIS003: presence area by area, local partners for their own areas -------------------

FOUR_BOROUGHS = "tender: {{areas: [Hackney, Camden, Newham, Tower Hamlets]}}\nincumbent: {{name: East London Project, local: true}}\nbid: {{incumbent_approach: compete}}\n{partners}"


@pytest.mark.parametrize("presence_rule", [imp005, mis003], ids=lambda r: r.id)
def test_presence_in_one_of_four_boroughs_is_not_presence_in_all_four(presence_rule):
    reason = only(reasons(presence_rule, FOUR_BOROUGHS.format(partners=""), OURS))
    assert reason.severity is Severity.CONCERN
    assert "present in Camden, Newham, Tower Hamlets" in reason.message and "Hackney (you)" in reason.message
    assert reason.finding.evidence["not_present_in"] == ["Camden", "Newham", "Tower Hamlets"]
    assert reason.finding.evidence["areas"][0] == {"area": "Hackney", "we_are_present": True, "local_partners": []}
    assert [area["we_are_present"] for area in reason.finding.evidence["areas"]] == [True, False, False, False]


@pytest.mark.parametrize("presence_rule", [imp005, mis003], ids=lambda r: r.id)
def test_a_local_partner_counts_for_its_own_areas_only(presence_rule):
    partners = "partners: [{name: Camden Forum, local: true, areas: [London Borough of Camden]}]"
    reason = only(reasons(presence_rule, FOUR_BOROUGHS.format(partners=partners), OURS))
    assert reason.finding.evidence["not_present_in"] == ["Newham", "Tower Hamlets"]
    assert "Camden (Camden Forum)" in reason.message


@pytest.mark.parametrize("presence_rule", [imp005, mis003], ids=lambda r: r.id)
def test_local_partners_rooted_in_every_area_we_are_not_hold(presence_rule):
    partners = "partners: [{name: Camden Forum, local: true, areas: [Camden]}, {name: East End Trust, local: true, areas: [Newham, TLI42]}]"
    assert reasons(presence_rule, FOUR_BOROUGHS.format(partners=partners), OURS) == []


@pytest.mark.parametrize("presence_rule", [imp005, mis003], ids=lambda r: r.id)
def test_a_local_partner_that_names_no_areas_counts_for_all_the_tenders_areas(presence_rule):
    assert reasons(presence_rule, FOUR_BOROUGHS.format(partners="partners: [{name: East London Forum, local: true}]"), OURS) == []


def test_a_partner_that_is_not_local_counts_for_no_area_whatever_areas_it_names():
    partners = "partners: [{name: National Charity, local: false, areas: [Camden, Newham, Tower Hamlets]}]"
    assert only(reasons(mis003, FOUR_BOROUGHS.format(partners=partners), OURS)).finding.evidence["not_present_in"] == [
        "Camden",
        "Newham",
        "Tower Hamlets",
    ]


def test_area_presence_reads_places_through_the_gazetteer_area_by_area():
    tender = TenderFile.model_validate(
        {
            "tender": {"id": "T", "title": "T", "areas": ["London Borough of Hackney", "TLI", "Leeds"]},
            "partners": [{"name": "Leeds Forum", "local": True, "areas": ["Leeds"]}, {"name": "Unsure", "areas": ["TLI"]}],
        }
    )
    found = area_presence(["Hackney", "TLI4"], tender)
    assert [(place.area, place.ours, place.local_partners, place.covered) for place in found] == [
        ("London Borough of Hackney", True, (), True),
        ("TLI", False, (), False),  # part of London is not all of it
        ("Leeds", False, ("Leeds Forum",), True),
    ]


def test_mis003_cites_the_findings_on_local_presence_and_the_final_reports_necessity():
    assert mis003.recommendation is LOCAL_KNOWLEDGE_AND_PRESENCE
    citation = LOCAL_KNOWLEDGE_AND_PRESENCE.citation
    assert 'section "Emerging findings: 3, 6 and 9"' in citation and 'section "Necessity"' in citation
    assert "Serve the community" not in citation and "final report" in citation
