"""Mission before market: MIS001 (mission fit), MIS002 (growth), MIS003 (local presence), MIS004 (coproduction)."""

from __future__ import annotations

from bidcheck.api import Severity
from bidcheck.models import Verdict
from bidcheck_rules.mission import coproduction, growth_driven, local_presence, mission_fit

from tests.rules.helpers import check, only, reasons

OUR_AREAS = 'organisation: {annual_income: "£45m", areas: [Hackney, Islington, TLI4]}'


def test_weak_mission_fit_blocks_and_quotes_the_rationale():
    reason = only(reasons(mission_fit, "bid: {mission_fit: weak, mission_rationale: Adjacent to our housing work}"))
    assert reason.severity is Severity.BLOCKER
    assert "weak" in reason.message and "Adjacent to our housing work" in reason.message
    assert "Do not bid" in reason.finding.action
    assert reason.finding.field == "bid.mission_fit" and (reason.location.line, reason.location.column) == (1, 7)


def test_no_mission_fit_blocks():
    assert only(reasons(mission_fit, "bid: {mission_fit: none}")).severity is Severity.BLOCKER


def test_partial_mission_fit_is_a_concern_with_a_way_forward():
    reason = only(reasons(mission_fit, "bid: {mission_fit: partial}"))
    assert reason.severity is Severity.CONCERN and "partners for the rest" in reason.finding.action


def test_strong_mission_fit_holds():
    assert reasons(mission_fit, "bid: {mission_fit: strong}") == []


def test_unassessed_mission_fit_needs_info_because_it_could_block():
    result = check(mission_fit, "bid: {role: prime}")
    assert only(result.reasons).finding.field == "bid.mission_fit"
    assert result.verdict is Verdict.NEEDS_INFO


def test_growth_driven_bid_is_a_concern():
    reason = only(reasons(growth_driven, "bid: {growth_driven: yes}"))
    assert reason.severity is Severity.CONCERN and reason.finding.evidence == {"growth_driven": True}
    assert "another organisation is better placed" in reason.finding.action


def test_bid_not_driven_by_growth_holds():
    assert reasons(growth_driven, "bid: {growth_driven: false}") == []


def test_unknown_motive_is_asked_but_does_not_hold_up_the_verdict():
    result = check(growth_driven, "bid: {role: prime}")
    assert only(result.reasons).severity is Severity.UNKNOWN
    assert result.verdict is Verdict.BID  # MIS002 cannot block


def test_no_presence_and_no_local_partner_is_a_concern_naming_the_areas():
    reason = only(reasons(local_presence, "tender: {areas: [Leeds, TLE42]}\npartners: [{name: National Partner, local: false}]", OUR_AREAS))
    assert reason.severity is Severity.CONCERN
    assert "Leeds, TLE42" in reason.message and "Hackney, Islington, TLI4" in reason.message
    assert reason.finding.evidence["local_partners"] == []
    assert "CVS" in reason.finding.action


def test_a_local_partner_gives_presence():
    assert reasons(local_presence, "tender: {areas: [Leeds]}\npartners: [{name: Leeds Forum, local: true}]", OUR_AREAS) == []


def test_region_code_prefix_gives_presence():
    assert reasons(local_presence, "tender: {areas: [TLI41]}", OUR_AREAS) == []
    assert reasons(local_presence, "tender: {areas: [hackney]}", OUR_AREAS) == []


def test_partner_of_unknown_locality_is_asked_about():
    reason = only(reasons(local_presence, "tender: {areas: [Leeds]}\npartners: [{name: Leeds Forum}]", OUR_AREAS))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "partners[0].local"


def test_unknown_areas_are_asked_about():
    assert only(reasons(local_presence, "tender: {buyer: A council}", OUR_AREAS)).finding.field == "tender.areas"
    assert only(reasons(local_presence, "tender: {areas: [Leeds]}", "{}")).finding.field == "organisation.areas"


def test_no_coproduction_is_a_concern():
    reason = only(reasons(coproduction, "bid: {coproduction: none}"))
    assert reason.severity is Severity.CONCERN and "user-led" in reason.finding.action


def test_done_or_planned_coproduction_holds():
    assert reasons(coproduction, "bid: {coproduction: done}") == []
    assert reasons(coproduction, "bid: {coproduction: planned}") == []


def test_unknown_coproduction_is_asked_about():
    assert only(reasons(coproduction, "bid: {role: prime}")).finding.field == "bid.coproduction"


# Values, actions, fields, locations and evidence ---------------------------------------------

PARTIAL_FIT = """
bid:
  mission_fit: partial
  mission_rationale: Housing support fits; the clinical element does not
"""


def test_partial_fit_quotes_the_rationale_and_points_at_the_fit():
    reason = only(reasons(mission_fit, PARTIAL_FIT))
    assert reason.severity is Severity.CONCERN
    assert "Mission fit is partial (Housing support fits; the clinical element does not)" == reason.message
    assert "Bid only for the parts that fit your mission" in reason.finding.action
    assert reason.finding.field == "bid.mission_fit"
    assert (reason.location.line, reason.location.column) == (2, 3)
    assert reason.finding.evidence == {"mission_fit": "partial", "mission_rationale": "Housing support fits; the clinical element does not"}


def test_no_fit_blocks_and_proposes_supporting_an_organisation_whose_mission_it_is():
    result = check(mission_fit, "bid: {mission_fit: none}")
    reason = only(result.reasons)
    assert reason.severity is Severity.BLOCKER and result.verdict is Verdict.NO_BID
    assert "mission fit is none" in reason.message.lower()
    assert "support an organisation whose mission it is" in reason.finding.action
    assert reason.finding.evidence == {"mission_fit": "none", "mission_rationale": None}


def test_unassessed_fit_asks_the_question_and_for_a_rationale():
    reason = only(reasons(mission_fit, "tender: {buyer: A council}"))
    assert reason.severity is Severity.UNKNOWN
    assert reason.finding.question and "strong, partial, weak or none" in reason.finding.question
    assert "mission_rationale" in reason.finding.question


GROWTH = """
bid:
  role: prime
  growth_driven: true
"""


def test_growth_driven_bid_points_at_the_motive():
    reason = only(reasons(growth_driven, GROWTH))
    assert "growth or market share" in reason.message
    assert "Decide on the impact" in reason.finding.action
    assert reason.finding.field == "bid.growth_driven"
    assert (reason.location.line, reason.location.column) == (3, 3)


def test_unknown_motive_names_the_field_and_asks():
    reason = only(reasons(growth_driven, "bid: {role: prime}"))
    assert reason.finding.field == "bid.growth_driven"
    assert reason.finding.question and "growth or market share" in reason.finding.question


AWAY = """
tender:
  areas: [Leeds, TLE42]
partners:
  - name: National Partner
    local: false
"""


def test_no_presence_points_at_the_tender_areas_with_both_lists_as_evidence():
    reason = only(reasons(local_presence, AWAY, OUR_AREAS))
    assert reason.severity is Severity.CONCERN
    assert "Neither you nor a local partner is present in Leeds, TLE42" in reason.message
    assert "you deliver in Hackney, Islington, TLI4" in reason.message
    assert "rooted in Leeds, TLE42" in reason.finding.action and "leave the bid to them" in reason.finding.action
    assert reason.finding.field == "tender.areas"
    assert (reason.location.line, reason.location.column) == (2, 3)
    assert reason.finding.evidence == {
        "areas": [
            {"area": "Leeds", "we_are_present": False, "local_partners": []},
            {"area": "TLE42", "we_are_present": False, "local_partners": []},
        ],
        "not_present_in": ["Leeds", "TLE42"],
        "tender_areas": ["Leeds", "TLE42"],
        "our_areas": ["Hackney", "Islington", "TLI4"],
        "local_partners": [],
    }


def test_no_presence_and_no_partners_at_all_is_a_concern():
    assert only(reasons(local_presence, "tender: {areas: [Leeds]}", OUR_AREAS)).severity is Severity.CONCERN


def test_presence_in_one_of_several_areas_is_a_concern_about_the_others():
    # v2: presence is judged area by area (SPEC §1.1); version 1 let Islington stand for Leeds.
    reason = only(reasons(local_presence, "tender: {areas: [Leeds, Islington]}", OUR_AREAS))
    assert reason.severity is Severity.CONCERN and reason.finding.evidence["not_present_in"] == ["Leeds"]


def test_region_code_broader_than_ours_is_not_presence():
    # We deliver in TLI4 (part of London); a tender across all of London (TLI) needs more than that.
    assert only(reasons(local_presence, "tender: {areas: [TLI]}", OUR_AREAS)).severity is Severity.CONCERN


def test_one_local_partner_among_several_is_enough():
    tender = "tender: {areas: [Leeds]}\npartners: [{name: National Partner, local: false}, {name: Leeds Forum, local: true}]"
    assert reasons(local_presence, tender, OUR_AREAS) == []


def test_each_partner_of_unknown_locality_is_asked_about_with_its_name():
    tender = "tender: {areas: [Leeds]}\npartners: [{name: One Forum}, {name: National Partner, local: false}, {name: Two Forum}]"
    found = reasons(local_presence, tender, OUR_AREAS)
    assert [r.finding.field for r in found] == ["partners[0].local", "partners[2].local"]
    assert "Two Forum" in (found[1].finding.question or "")


def test_unknown_delivery_areas_ask_where_and_do_not_hold_up_the_verdict():
    result = check(local_presence, "tender: {buyer: A council}", OUR_AREAS)
    reason = only(result.reasons)
    assert reason.severity is Severity.UNKNOWN
    assert reason.finding.question and "Where is the service delivered" in reason.finding.question
    assert result.verdict is Verdict.BID


def test_no_coproduction_points_at_the_field_with_its_evidence():
    reason = only(reasons(coproduction, "bid:\n  coproduction: none\n"))
    assert "no one who will use the service has shaped the bid" in reason.message.lower()
    assert "people with direct experience" in reason.finding.action
    assert reason.finding.field == "bid.coproduction"
    assert (reason.location.line, reason.location.column) == (2, 3)
    assert reason.finding.evidence == {"coproduction": "none"}


def test_unknown_coproduction_asks_the_question():
    reason = only(reasons(coproduction, "tender: {buyer: A council}"))
    assert reason.severity is Severity.UNKNOWN
    assert reason.finding.question and "done, planned or none" in reason.finding.question


# Which unknowns hold up the verdict ----------------------------------------------------------


def test_unknown_mission_fit_needs_info_but_unknown_growth_or_coproduction_do_not():
    unassessed = "tender: {buyer: A council}"
    assert check(mission_fit, unassessed).verdict is Verdict.NEEDS_INFO
    assert check(mission_fit, unassessed, "{}").verdict is Verdict.NEEDS_INFO  # whatever the policies
    assert check(growth_driven, unassessed).verdict is Verdict.BID
    assert check(coproduction, unassessed).verdict is Verdict.BID
