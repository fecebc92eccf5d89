"""Calculate the impact on the existing organisation: would winning close the incumbent, or cut its
work? (guidance/002_da80ac9788ba7218.txt, "Draft recommendations", Co-production and community
focus: "closure, a reduction in their work or loss of key staff").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bidcheck.api import (
    reads_partners,
    CALCULATE_THE_IMPACT,
    SMALLER_INCOME_RATIO,
    Context,
    Example,
    Finding,
    Incumbent,
    Severity,
    TenderFile,
    Threshold,
    format_money,
    format_percentage,
    possessive,
    rule,
    smaller,
)

from bidcheck_rules._clearing import PARTNER_THE_INCUMBENT

from bidcheck_rules._questions import incumbent_displacement, unknown_displacement

DEPENDENCY_CONCERN = Threshold(
    "incumbent_dependency_concern_pct",
    25,
    "Share of the incumbent's income it would lose (the whole contract when we compete; what partnering does not "
    "give back when we partner), at or above which it is a concern.",
)
DEPENDENCY_BLOCKER = Threshold(
    "incumbent_dependency_blocker_pct",
    50,
    "Share of its income at or above which the loss blocks the bid when the incumbent is smaller than us "
    "(and does not perform poorly).",
    at_least="incumbent_dependency_concern_pct",
)

_DEPENDENT_INCUMBENT = """
tender: {value: "£1.2m", term_months: 36}
incumbent: {name: Local Project, annual_income: "£420k"%s}
bid: {incumbent_approach: %s}
"""
_OUR_INCOME = 'organisation: {annual_income: "£45m"}'
_PARTNERED = """
tender: {value: "£1.2m", term_months: 36}
incumbent: {name: Local Project, annual_income: "£690k"}
bid: {incumbent_approach: partner}
partners: [{name: Local Project Ltd, value_pct: %s, agreement: signed}]
"""


@dataclass
class _Loss:
    """What winning takes from the incumbent a year, as a share of its income (percent 0-100)."""

    pct: float
    field: str
    found: str  # the finding's message so far
    evidence: dict[str, Any] = field(default_factory=dict)


@rule(
    "IMP003",
    reads=("incumbent", "tender", "organisation", "bid.incumbent_approach", "bid.role", "bid.value_pct", *reads_partners("value_pct")),
    clears=(PARTNER_THE_INCUMBENT,),
    title="Impact on the existing organisation",
    recommendation=CALCULATE_THE_IMPACT,
    severity=Severity.CONCERN,
    can_block=True,
    thresholds=[DEPENDENCY_CONCERN, DEPENDENCY_BLOCKER, SMALLER_INCOME_RATIO],
    examples=[
        Example(
            "A contract that is 95% of a smaller incumbent's income, bid against, blocks",
            _DEPENDENT_INCUMBENT % ("", "compete"),
            Severity.BLOCKER,
            _OUR_INCOME,
        ),
        Example(
            "A contract that is 30% of the incumbent's income is a concern",
            """
incumbent: {name: Local Project, annual_income: "£1m", contract_share_pct: 30}
bid: {incumbent_approach: compete}
""",
            Severity.CONCERN,
            _OUR_INCOME,
        ),
        Example(
            "Against a poorly performing incumbent, the same dependency is a concern",
            _DEPENDENT_INCUMBENT % (", performance: poor", "compete"),
            Severity.CONCERN,
            _OUR_INCOME,
        ),
        Example("Partnering that gives the incumbent most of the contract holds", _PARTNERED % 90, None, _OUR_INCOME),
        Example(
            "Partnering that cuts a smaller incumbent from £400k a year (58% of its income) to £20k blocks",
            _PARTNERED % 5,
            Severity.BLOCKER,
            _OUR_INCOME,
        ),
        Example(
            "Partnering with an incumbent that is not among the partners is asked about",
            _DEPENDENT_INCUMBENT % ("", "partner"),
            Severity.UNKNOWN,
            _OUR_INCOME,
        ),
        Example("An incumbent that is not bidding again is not displaced", _DEPENDENT_INCUMBENT % (", rebidding: false", "compete"), None, _OUR_INCOME),
        Example("A re-bid displaces nobody", "tender: {value: '£1.2m', term_months: 36}\nincumbent: us\nbid: {incumbent_approach: compete}", None, _OUR_INCOME),
        Example(
            "An unknown incumbent income is asked for",
            """
tender: {value: "£1.2m", term_months: 36}
incumbent: {name: Local Project}
bid: {incumbent_approach: compete}
""",
            Severity.UNKNOWN,
            _OUR_INCOME,
        ),
    ],
)
def impact_on_existing_organisation(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Losing a contract that is a large share of its income can close the current provider.

    The guidance asks bidders to consider the impact on the existing organisation, "such as
    closure, a reduction in their work or loss of key staff", before deciding to bid
    (Calculate the impact on communities and beneficiaries). What the contract is worth to the
    incumbent now: its share is ``incumbent.contract_share_pct`` when given, otherwise the
    tender's annual value (value / term_months × 12) as a share of ``incumbent.annual_income``.

    What winning takes from it (``displacement``, SPEC §2.1): the whole contract when we
    compete; nothing on a re-bid (``incumbent: us``), when it is not bidding again
    (``rebidding: false``) or when we support it. Partnering is not enough when it shrinks
    them: with the incumbent among our partners, the loss is what the contract is worth to it
    now less what it would receive (its ``value_pct`` of the annual value). A claimed
    partnership with the incumbent nowhere among the partners is asked about (``unknown``).

    The loss, as a share of the incumbent's income, is a concern at
    ``incumbent_dependency_concern_pct``, and blocks at ``incumbent_dependency_blocker_pct``
    when the incumbent is smaller than us (its income at most ``smaller_income_ratio`` of
    ours: size is relative) and its performance is not ``poor``: the guidance weighs whether
    the current provider delivers quality, and replacing a poor service may help its users,
    so a poor performer's dependency is a concern.
    """
    known = yield from incumbent_displacement(tender, "how much of the incumbent's income this contract is")
    if known is None:
        return
    incumbent, found = known
    if found.displaced is False and found.partner is None:
        return  # not bidding again, or supported: winning takes nothing from it
    share = yield from _dependency(tender, incumbent)
    concern_pct = context.threshold(DEPENDENCY_CONCERN.name)
    if share is None or share < concern_pct:
        return  # what it could lose is at most what the contract is worth to it now
    if found.displaced is None:
        yield unknown_displacement(incumbent, found, "whether winning would displace an incumbent that depends on this contract")
        return
    if found.partner is None:
        loss = _loss_when_displaced(tender, incumbent, share)
    else:
        loss = yield from _loss_when_partnered(tender, incumbent, share, found.partner)
    if loss is not None and loss.pct >= concern_pct:
        yield from _judge(loss, incumbent, context, partnered=found.partner is not None)


def _dependency(tender: TenderFile, incumbent: Incumbent) -> Iterator[Finding]:
    """The contract's share of the incumbent's income now (percent), or None with the questions to ask."""
    share = tender.incumbent_contract_share_pct
    if share is not None:
        return share
    yield from _missing_amounts(tender, incumbent, "how much of the incumbent's income this contract is")
    return None


def _missing_amounts(tender: TenderFile, incumbent: Incumbent, needed_for: str) -> Iterator[Finding]:
    if tender.tender.value is None:
        yield Finding.unknown("tender.value", "What is the contract's total value over the initial term?", needed_for=needed_for)
    if tender.tender.term_months is None:
        yield Finding.unknown("tender.term_months", "How many months is the initial term?", needed_for=needed_for)
    if not incumbent.annual_income:
        yield Finding.unknown(
            "incumbent.annual_income",
            "What is the incumbent's annual income (or give incumbent.contract_share_pct directly)?",
            needed_for=needed_for,
        )


def _loss_when_displaced(tender: TenderFile, incumbent: Incumbent, share: float) -> _Loss:
    name = incumbent.name or "the incumbent"
    annual_value = tender.tender.annual_value
    evidence: dict[str, Any] = {"incumbent": name, "incumbent_income": incumbent.annual_income, "contract_share_pct": round(share, 1)}
    if incumbent.contract_share_pct is None:
        assert annual_value is not None and incumbent.annual_income is not None  # _dependency derived the share
        evidence.update(share_basis="derived", annual_value=round(annual_value, 2))
        found = (
            f"the contract ({format_money(annual_value)} a year) is {format_percentage(share)} "
            f"of {possessive(name)} {format_money(incumbent.annual_income)} annual income"
        )
        return _Loss(share, "incumbent.annual_income", found, evidence)
    evidence["share_basis"] = "given"
    found = f"the contract is {format_percentage(share)} of {possessive(name)} income (as given)"
    return _Loss(share, "incumbent.contract_share_pct", found, evidence)


def _loss_when_partnered(tender: TenderFile, incumbent: Incumbent, share: float, index: int) -> Iterator[Finding]:
    """What partnering takes from the incumbent: worth to it now less what it would receive as our partner."""
    name = incumbent.name or "the incumbent"
    partner = tender.partners[index]
    annual_value = tender.tender.annual_value
    needed_for = "whether partnering keeps the incumbent's work or shrinks it"
    if partner.value_pct is None:
        yield Finding.unknown(
            f"partners[{index}].value_pct",
            f"What share of the contract value would {name} receive as your partner?",
            needed_for=needed_for,
        )
        return None
    if annual_value is None or not incumbent.annual_income:
        yield from _missing_amounts(tender, incumbent, needed_for)
        return None
    income = incumbent.annual_income
    worth_now = share / 100 * income
    receives = partner.value_pct / 100 * annual_value
    lost = max(0.0, worth_now - receives)
    pct = lost / income * 100
    found = (
        f"partnering would cut {possessive(name)} income from this contract from {format_money(worth_now)} a year "
        f"({format_percentage(share)} of its {format_money(income)} income) to {format_money(receives)} a year "
        f"({format_percentage(partner.value_pct)} of the {format_money(annual_value)} annual value): "
        f"it would lose {format_money(lost)} a year, {format_percentage(pct)} of its income"
    )
    evidence = {
        "incumbent": name,
        "incumbent_income": income,
        "contract_share_pct": round(share, 1),
        "annual_value": round(annual_value, 2),
        "partner_value_pct": partner.value_pct,
        "worth_now_a_year": round(worth_now, 2),
        "would_receive_a_year": round(receives, 2),
        "loss_a_year": round(lost, 2),
        "loss_pct": round(pct, 1),
    }
    return _Loss(pct, f"partners[{index}].value_pct", found, evidence)


def _judge(loss: _Loss, incumbent: Incumbent, context: Context, *, partnered: bool) -> Iterator[Finding]:
    """The loss against the thresholds: a concern, or a blocker for a smaller incumbent not performing poorly."""
    name = incumbent.name or "the incumbent"
    concern_pct = context.threshold(DEPENDENCY_CONCERN.name)
    blocker_pct = context.threshold(DEPENDENCY_BLOCKER.name)
    size = smaller(incumbent.annual_income, context)
    evidence = {**loss.evidence, **size.evidence, "performance": incumbent.performance}
    evidence.update(concern_threshold_pct=concern_pct, blocker_threshold_pct=blocker_pct)
    found, severity = loss.found, Severity.CONCERN
    if loss.pct < blocker_pct:
        found += f", at or above the {format_percentage(concern_pct)} concern threshold: losing it would cut their work"
    else:
        found += f", at or above the {format_percentage(blocker_pct)} blocker threshold: losing it could close them"
        if size.smaller is None:
            missing = "incumbent.annual_income" if incumbent.annual_income is None else "organisation.annual_income"
            yield Finding.unknown(
                missing,
                "What is its annual income? Needed to tell whether the incumbent is smaller than you.",
                needed_for="whether displacing a dependent incumbent should block the bid",
            )
        elif not size.smaller:
            found += f"; {possessive(name)} income is {size.describe()}"
        elif incumbent.performance == "poor":
            found += (
                f"; {possessive(name)} income is {size.describe()}, but its performance is rated poor, "
                "and replacing a poor service may help the people using it: a concern, not a blocker"
            )
        else:
            severity = Severity.BLOCKER
            found += f"; {possessive(name)} income is {size.describe()}"
    yield Finding(
        field=loss.field,
        message=found,
        action=_action(loss, name, concern_pct, severity, partnered=partnered),
        evidence=evidence,
        severity=severity,
    )


def _action(loss: _Loss, name: str, concern_pct: float, severity: Severity, *, partnered: bool) -> str:
    if partnered:
        income = loss.evidence["incumbent_income"]
        keeps = loss.evidence["worth_now_a_year"] - concern_pct / 100 * income  # a loss just under the concern threshold
        share = keeps / loss.evidence["annual_value"] * 100
        return (
            f"Give {name} a share that keeps its work: more than {format_money(keeps)} a year "
            f"(about {format_percentage(share)} of the contract value) keeps its loss under the "
            f"{format_percentage(concern_pct)} concern threshold; or support its bid, or agree with it how to "
            "protect its staff and the people it serves"
        )
    if severity is Severity.BLOCKER:
        return (
            f"Do not bid against {name}: partner with them or subcontract to them, support their bid, "
            "or form a consortium or alliance with them; otherwise, do not bid"
        )
    return (
        f"Talk to {name} before deciding: partnering, subcontracting to them or supporting their bid keeps their "
        "work; if you still bid, agree with them how to protect their staff and the people they serve"
    )
