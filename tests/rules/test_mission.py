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
    assert reason.finding.evidence["local_partners"] == 0
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
