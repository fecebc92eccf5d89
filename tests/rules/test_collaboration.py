"""How we work with partners: COL001 (early), COL002 (agreement), COL003 (shaping the bid), COL004 (beyond prime/sub)."""

from __future__ import annotations

from bidcheck.api import Severity
from bidcheck.models import Verdict
from bidcheck_rules.collaboration import (
    engaged_after_publication,
    partners_shape_the_bid,
    partnership_agreement,
    prime_over_smaller_partners,
)

from tests.rules.helpers import check, only, reasons

TWO_PARTNERS = """
partners:
  - {{name: Early Forum, {first}}}
  - {{name: Late Forum, {second}}}
"""


def test_partner_engaged_after_publication_is_noted_as_info_at_its_line():
    tender = TWO_PARTNERS.format(first="engaged: before-publication", second="engaged: after-publication")
    result = check(engaged_after_publication, tender)
    reason = only(result.reasons)
    assert reason.severity is Severity.INFO and "Late Forum" in reason.message
    assert reason.finding.field == "partners[1].engaged"
    assert (reason.location.line, reason.location.column) == (3, 24)  # the `engaged` key
    assert result.verdict is Verdict.BID  # info never changes the verdict


def test_unknown_engagement_is_asked_per_partner():
    found = reasons(engaged_after_publication, TWO_PARTNERS.format(first="local: true", second="local: true"))
    assert [r.finding.field for r in found] == ["partners[0].engaged", "partners[1].engaged"]


def test_draft_and_missing_agreements_are_concerns_each():
    found = reasons(partnership_agreement, TWO_PARTNERS.format(first="agreement: draft", second="agreement: none"))
    assert [r.severity for r in found] == [Severity.CONCERN, Severity.CONCERN]
    assert "only in draft" in found[0].message and "not started" in found[1].message
    assert "Sign an agreement with Early Forum" in found[0].finding.action


def test_signed_agreements_hold():
    assert reasons(partnership_agreement, TWO_PARTNERS.format(first="agreement: signed", second="agreement: signed")) == []


def test_partner_left_out_of_the_design_is_a_concern():
    reason = only(reasons(partners_shape_the_bid, TWO_PARTNERS.format(first="shaped_bid: true", second="shaped_bid: false")))
    assert reason.severity is Severity.CONCERN and reason.finding.field == "partners[1].shaped_bid"
    assert "Design the service with Late Forum" in reason.finding.action


def test_unknown_involvement_is_asked_about():
    reason = only(reasons(partners_shape_the_bid, "partners: [{name: Forum}]"))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "partners[0].shaped_bid"


PRIME = 'bid: {{role: {role}}}\npartners:\n  - {{name: Small One, annual_income: "£90k"}}\n  - {{name: Other, annual_income: "{income}"}}'


def test_prime_over_only_smaller_partners_is_noted_with_the_alternatives():
    reason = only(reasons(prime_over_smaller_partners, PRIME.format(role="prime", income="£2m")))
    assert reason.severity is Severity.INFO
    assert "2 partners, all smaller than you (£45m;" in reason.message
    assert "Small One £90k (0.2%), Other £2m (4.4%)" in reason.message
    assert "joint venture" in reason.finding.action and "alliance" in reason.finding.action


def test_a_partner_our_size_or_a_role_other_than_prime_holds():
    assert reasons(prime_over_smaller_partners, PRIME.format(role="prime", income="£30m")) == []  # more than half our income
    assert reasons(prime_over_smaller_partners, PRIME.format(role="consortium-member", income="£2m")) == []


def test_unknown_partner_income_is_asked_about():
    reason = only(reasons(prime_over_smaller_partners, "bid: {role: prime}\npartners: [{name: Forum}]"))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "partners[0].annual_income"


# Values, actions, fields, locations and evidence ---------------------------------------------


LATE = """
partners:
  - name: Early Forum
    engaged: before-publication
  - name: Late Forum
    engaged: after-publication
"""


def test_late_partner_is_noted_with_evidence_and_a_way_to_build_the_relationship():
    reason = only(reasons(engaged_after_publication, LATE))
    assert reason.message == "Late Forum was engaged after the tender was published"
    assert "Give the partnership with Late Forum time" in reason.finding.action
    assert "before the next tender" in reason.finding.action
    assert (reason.location.line, reason.location.column) == (5, 5)
    assert reason.finding.evidence == {"partner": "Late Forum", "engaged": "after-publication", "response_days": None,
                                       "min_response_days": 30}


def test_each_late_partner_is_its_own_note():
    found = reasons(engaged_after_publication, LATE.replace("before-publication", "after-publication"))
    assert [r.finding.field for r in found] == ["partners[0].engaged", "partners[1].engaged"]
    assert all(r.severity is Severity.INFO for r in found)


def test_unknown_engagement_asks_about_the_named_partner():
    reason = only(reasons(engaged_after_publication, "partners: [{name: Quiet Forum}]"))
    assert reason.severity is Severity.UNKNOWN
    assert reason.finding.question and "Quiet Forum" in reason.finding.question and "published" in reason.finding.question


AGREEMENTS = """
partners:
  - name: Signed Forum
    agreement: signed
  - name: Draft Forum
    agreement: draft
"""


def test_draft_agreement_points_at_it_with_evidence():
    reason = only(reasons(partnership_agreement, AGREEMENTS))
    assert reason.severity is Severity.CONCERN
    assert "The partnership agreement with Draft Forum is only in draft" == reason.message
    assert "Sign an agreement with Draft Forum before submitting" in reason.finding.action
    assert reason.finding.field == "partners[1].agreement"
    assert (reason.location.line, reason.location.column) == (5, 5)
    assert reason.finding.evidence == {"partner": "Draft Forum", "agreement": "draft"}


def test_no_agreement_at_all_is_a_concern_saying_it_is_not_started():
    reason = only(reasons(partnership_agreement, "partners: [{name: New Forum, agreement: none}]"))
    assert reason.severity is Severity.CONCERN and "New Forum is not started" in reason.message
    assert reason.finding.evidence == {"partner": "New Forum", "agreement": "none"}


def test_unknown_agreement_is_asked_per_partner_without_holding_up_the_verdict():
    result = check(partnership_agreement, "partners: [{name: Quiet Forum, agreement: signed}, {name: Other Forum}]")
    reason = only(result.reasons)
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "partners[1].agreement"
    assert reason.finding.question and "signed, draft or none" in reason.finding.question
    assert result.verdict is Verdict.BID


LEFT_OUT = """
partners:
  - name: Left Out Forum
    shaped_bid: false
"""


def test_partner_left_out_points_at_the_field_with_evidence():
    reason = only(reasons(partners_shape_the_bid, LEFT_OUT))
    assert reason.message == "Left Out Forum has not helped design the bid"
    assert "agree the final bid together" in reason.finding.action
    assert (reason.location.line, reason.location.column) == (3, 5)
    assert reason.finding.evidence == {"partner": "Left Out Forum", "shaped_bid": False}


def test_each_partner_left_out_is_its_own_concern():
    found = reasons(partners_shape_the_bid, "partners: [{name: A, shaped_bid: false}, {name: B, shaped_bid: false}]")
    assert [r.finding.field for r in found] == ["partners[0].shaped_bid", "partners[1].shaped_bid"]


def test_unknown_involvement_asks_about_the_named_partner():
    reason = only(reasons(partners_shape_the_bid, "partners: [{name: Quiet Forum}]"))
    assert reason.finding.question and "Has Quiet Forum helped design the bid?" == reason.finding.question


PRIME_OVER_ONE = """
bid:
  role: prime
partners:
  - name: Small One
    annual_income: "£90k"
"""


def test_prime_over_one_smaller_partner_points_at_our_role_with_evidence():
    reason = only(reasons(prime_over_smaller_partners, PRIME_OVER_ONE))
    assert reason.severity is Severity.INFO
    assert "prime over 1 partner, which is smaller than you (£45m;" in reason.message
    assert "subcontractor to a local organisation" in reason.finding.action
    assert reason.finding.field == "bid.role"
    assert (reason.location.line, reason.location.column) == (2, 3)
    assert reason.finding.evidence == {
        "role": "prime",
        "partners": [{"partner": "Small One", "their_income": 90_000, "our_income": 45_000_000, "income_ratio": 0.002,
                      "smaller_income_ratio": 0.5}],
        "our_income": 45_000_000,
    }


def test_prime_with_any_partner_not_smaller_is_silent_even_if_another_partners_income_is_unknown():
    tender = 'bid: {role: prime}\npartners: [{name: Unknown Forum}, {name: Big Partner, annual_income: "£30m"}]'
    assert reasons(prime_over_smaller_partners, tender) == []


def test_non_prime_roles_are_silent():
    for role in ("sole", "subcontractor", "joint-venture", "alliance"):
        assert reasons(prime_over_smaller_partners, PRIME_OVER_ONE.replace("prime", role)) == []


def test_prime_with_no_partners_is_silent():
    assert reasons(prime_over_smaller_partners, "bid: {role: prime}") == []


def test_unknown_partner_incomes_are_each_asked_and_do_not_hold_up_the_verdict():
    result = check(prime_over_smaller_partners, "bid: {role: prime}\npartners: [{name: One}, {name: Two}]")
    assert [r.finding.field for r in result.reasons] == ["partners[0].annual_income", "partners[1].annual_income"]
    assert all(r.finding.question and "annual income" in r.finding.question for r in result.reasons)
    assert result.verdict is Verdict.BID


def test_unknown_income_of_our_own_is_asked_once():
    reason = only(reasons(prime_over_smaller_partners, PRIME_OVER_ONE + '  - {name: Two, annual_income: "£50k"}\n', "{}"))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "organisation.annual_income"


def test_unknown_role_over_smaller_partners_is_asked_about():
    reason = only(reasons(prime_over_smaller_partners, 'partners: [{name: Small One, annual_income: "£90k"}]'))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "bid.role"
