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
    assert "2 partners, all smaller than you (£45m, major)" in reason.message
    assert "joint venture" in reason.finding.action and "alliance" in reason.finding.action


def test_a_partner_our_size_or_a_role_other_than_prime_holds():
    assert reasons(prime_over_smaller_partners, PRIME.format(role="prime", income="£20m")) == []
    assert reasons(prime_over_smaller_partners, PRIME.format(role="consortium-member", income="£2m")) == []


def test_unknown_partner_income_is_asked_about():
    reason = only(reasons(prime_over_smaller_partners, "bid: {role: prime}\npartners: [{name: Forum}]"))
    assert reason.severity is Severity.UNKNOWN and reason.finding.field == "partners[0].annual_income"
