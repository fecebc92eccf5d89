"""Calculate the impact on communities and beneficiaries: IMP003 (impact on the existing organisation)."""

from __future__ import annotations

from bidcheck.api import Severity
from bidcheck.models import Verdict
from bidcheck_rules.impact_closure import impact_on_existing_organisation as imp003

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
    # v2: "smaller" is relative (SPEC §1): both incomes and the ratio, not NCVO bands.
    assert "£420k, 0.9% of your £45m income: smaller" in reason.message
    assert reason.finding.evidence["their_income"] == 420000 and reason.finding.evidence["our_income"] == 45000000
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


def test_large_share_of_an_incumbent_that_is_not_smaller_is_a_concern_not_a_blocker():
    # v2: "smaller" is relative (SPEC §1): £30m is 67% of our £45m, a peer; £18m a year is 60% of it.
    tender = HACKNEY.format(income="£30m", approach="compete").replace("£1.2m", "£54m")
    reason = only(reasons(imp003, tender))
    assert reason.severity is Severity.CONCERN
    assert "blocker threshold" in reason.message


# v2: a partnership must be evidenced, the incumbent among the partners (SPEC §2.1).
def partnered(tender: str, name: str = "Local Project") -> str:
    return tender.rstrip("\n") + f"\npartners: [{{name: {name}, value_pct: 90, agreement: signed}}]\n"


def test_partnering_with_the_incumbent_holds():
    assert reasons(imp003, partnered(HACKNEY.format(income="£420k", approach="partner"), "Hackney Young People's Project")) == []


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


# IMP001, IMP002, IMP004, IMP005, IMP006 ------------------------------------------------------

from bidcheck_rules.impact import provider_delivers_quality, relevant_expertise  # noqa: E402 - grouped with the tests that use them
from bidcheck_rules.impact_local_sector import impact_on_local_sector  # noqa: E402
from bidcheck_rules.impact_transition import impact_on_beneficiaries, loss_of_key_staff  # noqa: E402

PROFILE = 'organisation: {annual_income: "£45m", services: [substance-misuse, housing-support], areas: [Hackney, TLI4]}'


def test_service_outside_our_expertise_is_a_concern_naming_both():
    reason = only(reasons(relevant_expertise, "tender: {service: domestic-abuse}", PROFILE))
    assert reason.severity is Severity.CONCERN
    assert "domestic-abuse" in reason.message and "substance-misuse, housing-support" in reason.message
    assert "partner with or subcontract to" in reason.finding.action
    assert reason.finding.evidence == {"service": "domestic-abuse", "our_services": ["substance-misuse", "housing-support"]}


def test_service_matches_ignoring_case_spaces_and_hyphens():
    assert reasons(relevant_expertise, "tender: {service: Substance Misuse}", PROFILE) == []


def test_unknown_service_or_services_are_asked_about_without_holding_up_the_verdict():
    result = check(relevant_expertise, "tender: {buyer: A council}", PROFILE)
    assert only(result.reasons).finding.field == "tender.service" and result.verdict is Verdict.BID
    assert only(reasons(relevant_expertise, "tender: {service: x}", "{}")).finding.field == "organisation.services"


GOOD_PROVIDER = "incumbent: {{name: Local Project, performance: {performance}}}\nbid: {{incumbent_approach: {approach}}}"


def test_displacing_a_good_or_outstanding_provider_is_a_concern():
    for performance in ("good", "outstanding"):
        reason = only(reasons(provider_delivers_quality, GOOD_PROVIDER.format(performance=performance, approach="compete")))
        assert reason.severity is Severity.CONCERN and f"rated {performance}" in reason.message
        assert "support their bid" in reason.finding.action


def test_quality_only_matters_on_displacement_and_for_good_providers():
    assert reasons(provider_delivers_quality, partnered(GOOD_PROVIDER.format(performance="good", approach="partner"))) == []
    assert reasons(provider_delivers_quality, GOOD_PROVIDER.format(performance="poor", approach="compete")) == []


def test_unknown_performance_is_asked_about():
    reason = only(reasons(provider_delivers_quality, GOOD_PROVIDER.format(performance="unknown", approach="compete")))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "incumbent.performance"


STAFF = "incumbent: {{name: Local Project, staff: {staff}}}\nbid: {{incumbent_approach: {approach}, transition_plan: {plan}}}"


def test_staff_at_risk_without_a_transition_plan_is_a_concern():
    reason = only(reasons(loss_of_key_staff, STAFF.format(staff=14, approach="compete", plan="false")))
    assert reason.severity is Severity.CONCERN
    assert "14 of Local Project's staff" in reason.message and "TUPE" in reason.message
    assert reason.finding.evidence == {
        "incumbent": "Local Project", "staff": 14, "transition_plan": False, "displacement": "you compete with the incumbent"
    }


def test_staff_refinement_partnering_keeps_staff_with_the_incumbent():
    assert reasons(loss_of_key_staff, partnered(STAFF.format(staff=14, approach="partner", plan="false"))) == []
    assert reasons(loss_of_key_staff, STAFF.format(staff=14, approach="compete", plan="true")) == []
    assert reasons(loss_of_key_staff, STAFF.format(staff=0, approach="compete", plan="false")) == []


def test_unknown_staff_or_plan_is_asked_about():
    assert only(reasons(loss_of_key_staff, STAFF.format(staff="null", approach="compete", plan="false"))).finding.field == "incumbent.staff"
    assert only(reasons(loss_of_key_staff, STAFF.format(staff=3, approach="compete", plan="null"))).finding.field == "bid.transition_plan"


LOCAL = "tender: {{areas: [{area}]}}\nincumbent: {{name: Area Project, local: true, user_led: true}}\nbid: {{incumbent_approach: {approach}}}"


def test_displacing_a_local_user_led_provider_from_outside_the_area_is_a_concern():
    reason = only(reasons(impact_on_local_sector, LOCAL.format(area="Leeds", approach="compete"), PROFILE))
    assert reason.severity is Severity.CONCERN
    assert "local and user-led" in reason.message and "neither you nor a local partner is present in Leeds" in reason.message
    assert "Hackney, TLI4" in reason.message


def test_local_sector_refinements_presence_by_code_and_partnering_hold():
    assert reasons(impact_on_local_sector, LOCAL.format(area="TLI41", approach="compete"), PROFILE) == []
    assert reasons(impact_on_local_sector, LOCAL.format(area="Leeds", approach="support"), PROFILE) == []


def test_unknown_areas_for_the_local_sector_are_asked_about():
    reason = only(reasons(impact_on_local_sector, "incumbent: {name: P, local: true}\nbid: {incumbent_approach: compete}", PROFILE))
    assert reason.finding.field == "tender.areas"


ESTABLISHED = "incumbent: {{name: Local Project, local: true, years_delivering: {years}}}\nbid: {{incumbent_approach: compete, transition_plan: false}}"


def test_displacing_a_long_standing_local_provider_without_a_plan_is_a_concern():
    reason = only(reasons(impact_on_beneficiaries, ESTABLISHED.format(years=8)))
    assert reason.severity is Severity.CONCERN
    assert "8 years (threshold 3)" in reason.message and "connection" in reason.message
    assert reason.finding.evidence["years_delivering"] == 8


def test_recently_arrived_provider_holds_and_threshold_comes_from_config():
    assert reasons(impact_on_beneficiaries, ESTABLISHED.format(years=2)) == []
    assert reasons(impact_on_beneficiaries, ESTABLISHED.format(years=8), "thresholds: {incumbent_established_years: 10}") == []


def test_unknown_years_are_asked_about():
    reason = only(reasons(impact_on_beneficiaries, ESTABLISHED.format(years="null")))
    assert reason.finding.field == "incumbent.years_delivering"


# IMP001 to IMP006: values, actions, fields, locations and refinements ------------------------


EXPERTISE = """
tender:
  service: domestic-abuse
"""


def test_service_outside_our_expertise_points_at_the_service_line():
    reason = only(reasons(relevant_expertise, EXPERTISE, PROFILE))
    assert reason.finding.field == "tender.service"
    assert (reason.location.line, reason.location.column) == (2, 3)
    assert "support their bid instead" in reason.finding.action and "do not bid" in reason.finding.action


def test_unknown_service_names_the_field_and_asks_which_service_it_is():
    reason = only(reasons(relevant_expertise, "tender: {buyer: A council}", PROFILE))
    assert reason.severity is Severity.UNKNOWN
    assert reason.finding.question and "Which service area" in reason.finding.question
    assert "Missing tender.service" in reason.message


def test_unknown_services_of_our_own_ask_for_them_in_bidcheck_yaml():
    reason = only(reasons(relevant_expertise, "tender: {service: domestic-abuse}", 'organisation: {annual_income: "£45m"}'))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "organisation.services"
    assert reason.finding.question and "bidcheck.yaml" in reason.finding.question


QUALITY = """
incumbent:
  name: Hackney Young People's Project
  performance: {performance}
bid:
  incumbent_approach: {approach}
"""


def test_displacing_a_good_provider_names_them_with_the_rating_and_the_alternatives():
    reason = only(reasons(provider_delivers_quality, QUALITY.format(performance="good", approach="compete")))
    assert reason.severity is Severity.CONCERN
    assert "Hackney Young People's Project's performance is rated good" in reason.message
    assert "displace" in reason.message
    for alternative in ("partner with them", "subcontract to them", "support their bid"):
        assert alternative in reason.finding.action
    assert reason.finding.field == "incumbent.performance"
    assert (reason.location.line, reason.location.column) == (3, 3)
    assert reason.finding.evidence == {
        "incumbent": "Hackney Young People's Project",
        "performance": "good",
        "incumbent_approach": "compete",
        "displacement": "you compete with the incumbent",
    }


def test_bidding_for_an_outstanding_providers_contract_without_contacting_them_is_displacement():
    reason = only(reasons(provider_delivers_quality, QUALITY.format(performance="outstanding", approach="not-contacted")))
    assert reason.severity is Severity.CONCERN
    assert reason.finding.evidence["incumbent_approach"] == "not-contacted"


def test_supporting_a_good_provider_does_not_displace_them():
    assert reasons(provider_delivers_quality, QUALITY.format(performance="outstanding", approach="support")) == []


def test_adequate_provider_holds():
    assert reasons(provider_delivers_quality, QUALITY.format(performance="adequate", approach="compete")) == []


def test_new_service_has_no_provider_to_displace():
    assert reasons(provider_delivers_quality, "incumbent: none\nbid: {incumbent_approach: compete}") == []


def test_missing_performance_is_asked_about_with_who_to_ask():
    reason = only(reasons(provider_delivers_quality, "incumbent: {name: Local Project}\nbid: {incumbent_approach: compete}"))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "incumbent.performance"
    assert reason.finding.question and "service users" in reason.finding.question


def test_good_provider_with_unknown_approach_asks_whether_we_would_displace_them():
    reason = only(reasons(provider_delivers_quality, "incumbent: {name: Local Project, performance: good}"))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "bid.incumbent_approach"
    assert reason.finding.question and "partner with the incumbent" in reason.finding.question


def test_unknown_incumbent_is_asked_about_for_quality():
    reason = only(reasons(provider_delivers_quality, "bid: {incumbent_approach: compete}"))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "incumbent"
    assert reason.finding.question and "incumbent: none" in reason.finding.question


STAFF_AT_RISK = """
incumbent:
  name: Hackney Young People's Project
  staff: 14
bid:
  incumbent_approach: {approach}
  transition_plan: false
"""


def test_staff_at_risk_points_at_the_missing_transition_plan_and_names_the_alternatives():
    reason = only(reasons(loss_of_key_staff, STAFF_AT_RISK.format(approach="compete")))
    assert reason.severity is Severity.CONCERN
    assert "14 of Hackney Young People's Project's staff" in reason.message and "no transition plan" in reason.message
    assert "transition plan" in reason.finding.action and "partner with them" in reason.finding.action
    assert reason.finding.field == "bid.transition_plan"
    assert (reason.location.line, reason.location.column) == (6, 3)
    assert reason.finding.evidence == {
        "incumbent": "Hackney Young People's Project", "staff": 14, "transition_plan": False, "displacement": "you compete with the incumbent"
    }


def test_supporting_the_incumbent_keeps_its_staff():
    assert reasons(loss_of_key_staff, STAFF_AT_RISK.format(approach="support")) == []


def test_new_service_puts_no_staff_at_risk():
    assert reasons(loss_of_key_staff, "incumbent: none\nbid: {transition_plan: false}") == []


def test_unknown_staff_and_plan_are_asked_with_questions():
    staff = only(reasons(loss_of_key_staff, STAFF.format(staff="null", approach="compete", plan="false")))
    assert staff.severity is Severity.UNKNOWN and staff.finding.question and "staff" in staff.finding.question
    plan = only(reasons(loss_of_key_staff, STAFF.format(staff=3, approach="compete", plan="null")))
    assert plan.severity is Severity.UNKNOWN and plan.finding.question and "plan" in plan.finding.question


def test_unknown_incumbent_is_asked_about_for_staff():
    reason = only(reasons(loss_of_key_staff, "bid: {incumbent_approach: compete, transition_plan: false}"))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "incumbent"


def test_unknown_staff_does_not_hold_up_the_verdict():
    assert check(loss_of_key_staff, STAFF.format(staff="null", approach="compete", plan="false")).verdict is Verdict.BID


LOCAL_SECTOR = """
tender:
  areas: [Leeds, TLE42]
incumbent:
  name: Leeds Recovery Collective
  local: {local}
  user_led: {user_led}
bid:
  incumbent_approach: {approach}
"""


def test_displacing_a_local_provider_from_outside_the_area_names_the_areas_and_points_at_local():
    tender = LOCAL_SECTOR.format(local="true", user_led="false", approach="compete")
    reason = only(reasons(impact_on_local_sector, tender, PROFILE))
    assert reason.severity is Severity.CONCERN
    assert "Leeds Recovery Collective is local," in reason.message
    assert "present in Leeds, TLE42" in reason.message and "you deliver in Hackney, TLI4" in reason.message
    assert "partner with Leeds Recovery Collective" in reason.finding.action and "CVS" in reason.finding.action
    assert reason.finding.field == "incumbent.local"
    assert (reason.location.line, reason.location.column) == (5, 3)
    assert reason.finding.evidence == {
        "incumbent": "Leeds Recovery Collective",
        "local": True,
        "user_led": False,
        "areas": [
            {"area": "Leeds", "we_are_present": False, "local_partners": []},
            {"area": "TLE42", "we_are_present": False, "local_partners": []},
        ],
        "not_present_in": ["Leeds", "TLE42"],
        "tender_areas": ["Leeds", "TLE42"],
        "our_areas": ["Hackney", "TLI4"],
    }


def test_displacing_a_user_led_provider_that_is_not_local_is_a_concern_about_the_user_led_field():
    tender = LOCAL_SECTOR.format(local="false", user_led="true", approach="not-contacted")
    reason = only(reasons(impact_on_local_sector, tender, PROFILE))
    assert reason.severity is Severity.CONCERN and "is user-led," in reason.message
    assert reason.finding.field == "incumbent.user_led"
    assert (reason.location.line, reason.location.column) == (6, 3)


def test_partnering_with_a_local_provider_keeps_it_in_the_local_sector():
    tender = partnered(LOCAL_SECTOR.format(local="true", user_led="true", approach="partner"), "Leeds Recovery Collective")
    assert reasons(impact_on_local_sector, tender, PROFILE) == []


def test_presence_in_a_region_whose_code_is_a_prefix_of_the_tenders_area_holds():
    tender = LOCAL_SECTOR.format(local="true", user_led="true", approach="compete").replace("[Leeds, TLE42]", "[TLI41]")
    assert reasons(impact_on_local_sector, tender, PROFILE) == []


def test_a_region_code_we_cover_only_part_of_is_not_presence():
    tender = LOCAL_SECTOR.format(local="true", user_led="true", approach="compete").replace("[Leeds, TLE42]", "[TLI]")
    assert only(reasons(impact_on_local_sector, tender, PROFILE)).severity is Severity.CONCERN


def test_provider_neither_local_nor_user_led_holds():
    tender = LOCAL_SECTOR.format(local="false", user_led="false", approach="compete")
    assert reasons(impact_on_local_sector, tender, PROFILE) == []


def test_unknown_areas_for_the_local_sector_are_asked_with_a_question():
    reason = only(reasons(impact_on_local_sector, "incumbent: {name: P, local: true}\nbid: {incumbent_approach: compete}", PROFILE))
    assert reason.severity is Severity.UNKNOWN
    assert reason.finding.question and "Where is the service delivered" in reason.finding.question


def test_unknown_areas_of_our_own_are_asked_for_in_bidcheck_yaml():
    tender = LOCAL_SECTOR.format(local="true", user_led="true", approach="compete")
    reason = only(reasons(impact_on_local_sector, tender, 'organisation: {annual_income: "£45m"}'))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "organisation.areas"


def test_incumbent_of_unknown_roots_outside_our_areas_is_asked_about():
    tender = LOCAL_SECTOR.format(local="null", user_led="null", approach="compete")
    reason = only(reasons(impact_on_local_sector, tender, PROFILE))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "incumbent.local"
    assert reason.finding.question and "user-led" in reason.finding.question


def test_incumbent_known_not_local_but_of_unknown_user_leadership_is_asked_about_user_led():
    tender = LOCAL_SECTOR.format(local="false", user_led="null", approach="compete")
    reason = only(reasons(impact_on_local_sector, tender, PROFILE))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "incumbent.user_led"


BENEFICIARIES = """
incumbent:
  name: Hackney Young People's Project
  local: true
  years_delivering: 8
bid:
  incumbent_approach: {approach}
  transition_plan: {plan}
"""


def test_displacing_a_long_standing_local_provider_points_at_the_plan_with_its_evidence():
    reason = only(reasons(impact_on_beneficiaries, BENEFICIARIES.format(approach="compete", plan="false")))
    assert reason.severity is Severity.CONCERN
    assert "Hackney Young People's Project is local and has delivered for 8 years" in reason.message
    assert "stability" in reason.message
    assert "Plan continuity" in reason.finding.action and "support their bid" in reason.finding.action
    assert reason.finding.field == "bid.transition_plan"
    assert (reason.location.line, reason.location.column) == (7, 3)
    assert reason.finding.evidence == {
        "incumbent": "Hackney Young People's Project",
        "years_delivering": 8,
        "threshold_years": 3,
        "transition_plan": False,
        "displacement": "you compete with the incumbent",
    }


def test_provider_of_exactly_three_years_is_established():
    tender = BENEFICIARIES.format(approach="compete", plan="false").replace("years_delivering: 8", "years_delivering: 3")
    assert "3 years (threshold 3)" in only(reasons(impact_on_beneficiaries, tender)).message


def test_beneficiary_impact_concerns_displacement_only():
    for approach in ("partner", "support"):
        tender = partnered(BENEFICIARIES.format(approach=approach, plan="false"), "Hackney Young People's Project")
        assert reasons(impact_on_beneficiaries, tender) == []


def test_a_transition_plan_or_a_provider_that_is_not_local_holds():
    assert reasons(impact_on_beneficiaries, BENEFICIARIES.format(approach="compete", plan="true")) == []
    not_local = BENEFICIARIES.format(approach="compete", plan="false").replace("local: true", "local: false")
    assert reasons(impact_on_beneficiaries, not_local) == []


def test_unknown_approach_and_plan_are_each_asked_for_beneficiaries():
    found = reasons(impact_on_beneficiaries, BENEFICIARIES.format(approach="null", plan="null"))
    assert [r.finding.field for r in found] == ["bid.incumbent_approach", "bid.transition_plan"]
    assert all(r.severity is Severity.UNKNOWN and r.finding.question for r in found)


def test_unknown_incumbent_is_asked_about_for_beneficiaries():
    reason = only(reasons(impact_on_beneficiaries, "bid: {incumbent_approach: compete, transition_plan: false}"))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "incumbent"


def test_unknown_years_are_asked_with_a_question_but_do_not_hold_up_the_verdict():
    tender = BENEFICIARIES.format(approach="compete", plan="false").replace("years_delivering: 8", "years_delivering: null")
    result = check(impact_on_beneficiaries, tender)
    assert only(result.reasons).finding.question and "How many years" in only(result.reasons).finding.question
    assert result.verdict is Verdict.BID
