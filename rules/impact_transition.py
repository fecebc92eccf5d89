"""Calculate the impact when the incumbent leaves: on its staff and on the people who use the
service (guidance/002_da80ac9788ba7218.txt, "Draft recommendations", Co-production and community
focus: "loss of key staff", "loss of community connection and stability").

The incumbent leaves when we displace it, and also when it is not bidding again
(``rebidding: false``): either way its staff and its users need a transition (``displacement``).
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    reads_partners,
    CALCULATE_THE_IMPACT,
    Context,
    Displacement,
    Example,
    Finding,
    Incumbent,
    Severity,
    TenderFile,
    Threshold,
    possessive,
    rule,
)

from bidcheck_rules._clearing import PARTNER_THE_INCUMBENT, TRANSITION_PLAN

from bidcheck_rules._questions import APPROACH_QUESTION, incumbent_displacement, unevidenced_partnering

_STAFF_EXAMPLE = "incumbent: {{name: Local Project, staff: 14{more}}}\nbid: {{incumbent_approach: {approach}, transition_plan: {plan}}}"


def _leaving(incumbent: Incumbent, found: Displacement) -> str:
    """Why the incumbent stops delivering, for a message."""
    if incumbent.rebidding is False:
        return "is not bidding again"
    if found.displaced:
        return "would be displaced"
    return "may be displaced (how you will treat them is not known)"


@rule(
    "IMP004",
    reads=("incumbent", "bid.transition_plan", "bid.incumbent_approach", "bid.role", "bid.value_pct", *reads_partners("value_pct")),
    clears=(TRANSITION_PLAN, PARTNER_THE_INCUMBENT),
    title="Loss of key staff",
    recommendation=CALCULATE_THE_IMPACT,
    severity=Severity.CONCERN,
    examples=[
        Example(
            "Staff at risk and no transition plan is a concern", _STAFF_EXAMPLE.format(more="", approach="compete", plan="false"), Severity.CONCERN
        ),
        Example("A transition plan holds", _STAFF_EXAMPLE.format(more="", approach="compete", plan="true"), None),
        Example("An unknown transition plan is asked about", _STAFF_EXAMPLE.format(more="", approach="compete", plan="null"), Severity.UNKNOWN),
        Example(
            "An incumbent that is not bidding again still leaves staff who need a transition",
            _STAFF_EXAMPLE.format(more=", rebidding: false", approach="compete", plan="false"),
            Severity.CONCERN,
        ),
        Example("A re-bid puts nobody's staff at risk", "incumbent: us\nbid: {transition_plan: false}", None),
        Example(
            "Partnering with an incumbent that is not among the partners is asked about",
            _STAFF_EXAMPLE.format(more="", approach="partner", plan="false"),
            Severity.UNKNOWN,
        ),
    ],
)
def loss_of_key_staff(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Re-tendering can cost the incumbent, and the service, the staff who make it work.

    The guidance names "loss of key staff" among the impacts on the existing organisation
    (Calculate the impact on communities and beneficiaries). Re-tendering a service is a TUPE
    "service provision change": staff may transfer to the new provider or be lost. The rule
    fires when the incumbent leaves (``displacement``, SPEC §2.1: we displace it, or it is not
    bidding again, ``rebidding: false``), ``incumbent.staff`` is above zero and the bid has no
    transition plan.

    When we partner with or support the incumbent its staff stay with it, and on a re-bid
    (``incumbent: us``) they are ours: the rule holds. A claimed partnership with the incumbent
    nowhere among the partners is asked about (``unknown``).
    """
    needed_for = "whether the incumbent's staff would be lost"
    known = yield from incumbent_displacement(tender, needed_for)
    if known is None:
        return
    incumbent, found = known
    plan = tender.bid.transition_plan if tender.bid else None
    if found.leaves is False or incumbent.staff == 0 or plan:
        return
    if found.unevidenced:
        yield unevidenced_partnering(incumbent, needed_for)
        return
    if incumbent.staff is None:
        yield Finding.unknown("incumbent.staff", "How many of the incumbent's staff work on this service?", needed_for=needed_for)
        return
    if plan is None:
        yield Finding.unknown(
            "bid.transition_plan",
            "Do you have a plan for the incumbent's staff and for continuity of the service?",
            needed_for=needed_for,
        )
        return
    name = incumbent.name or "the incumbent"
    yield Finding(
        field="bid.transition_plan",
        message=(
            f"{name} {_leaving(incumbent, found)}: {incumbent.staff} of {possessive(name)} staff would transfer under TUPE "
            "or be lost, and the bid has no transition plan"
        ),
        action=(
            f"Agree a transition plan with {name} covering TUPE transfer and keeping key staff"
            + ("" if incumbent.rebidding is False else ", or partner with them so their staff stay in the service")
        ),
        evidence={"incumbent": name, "staff": incumbent.staff, "transition_plan": False, "displacement": found.reason},
    )


_ESTABLISHED_EXAMPLE = "incumbent: {{name: Local Project, local: true{more}}}\nbid: {{incumbent_approach: {approach}, transition_plan: {plan}}}"


@rule(
    "IMP006",
    reads=("incumbent", "bid.transition_plan", "bid.incumbent_approach", "bid.role", "bid.value_pct", *reads_partners("value_pct")),
    clears=(TRANSITION_PLAN, PARTNER_THE_INCUMBENT),
    title="Impact on beneficiaries: connection and stability",
    recommendation=CALCULATE_THE_IMPACT,
    severity=Severity.CONCERN,
    thresholds=[
        Threshold(
            "incumbent_established_years",
            3,
            "Years a local incumbent has delivered, at or above which its users' relationships are at stake.",
            unit="years",
        )
    ],
    examples=[
        Example(
            "Displacing a long-standing local provider with no transition plan is a concern",
            _ESTABLISHED_EXAMPLE.format(more=", years_delivering: 8", approach="compete", plan="false"),
            Severity.CONCERN,
        ),
        Example(
            "A transition plan holds",
            _ESTABLISHED_EXAMPLE.format(more=", years_delivering: 8", approach="compete", plan="true"),
            None,
        ),
        Example(
            "Unknown years of delivery are asked about",
            _ESTABLISHED_EXAMPLE.format(more="", approach="compete", plan="false"),
            Severity.UNKNOWN,
        ),
        Example(
            "A long-standing provider that is not bidding again still leaves users who need a transition",
            _ESTABLISHED_EXAMPLE.format(more=", years_delivering: 8, rebidding: false", approach="compete", plan="false"),
            Severity.CONCERN,
        ),
        Example(
            "Partnering with an incumbent that is not among the partners is asked about",
            _ESTABLISHED_EXAMPLE.format(more=", years_delivering: 8", approach="partner", plan="false"),
            Severity.UNKNOWN,
        ),
    ],
)
def impact_on_beneficiaries(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """People using a service lose relationships when a long-standing local provider goes.

    After the impact on organisations, the guidance asks bidders to consider "the impact
    this would have on their beneficiaries, such as loss of community connection and
    stability" (Calculate the impact on communities and beneficiaries). The rule fires when a
    local incumbent that has delivered for at least ``incumbent_established_years`` leaves
    (``displacement``, SPEC §2.1: we displace it, or it is not bidding again,
    ``rebidding: false``) and there is no transition plan. It holds on a re-bid
    (``incumbent: us``) and when we partner with or support the incumbent; a claimed
    partnership with the incumbent nowhere among the partners is asked about (``unknown``).
    """
    needed_for = "whether people using the service would lose established relationships"
    known = yield from incumbent_displacement(tender, needed_for)
    if known is None:
        return
    incumbent, found = known
    plan = tender.bid.transition_plan if tender.bid else None
    established = context.threshold("incumbent_established_years")
    years = incumbent.years_delivering
    if found.leaves is False or incumbent.local is False or plan or (years is not None and years < established):
        return
    if found.unevidenced:
        yield unevidenced_partnering(incumbent, needed_for)
    approach_known = found.leaves is not None or found.unevidenced  # an unevidenced partnership is asked about above
    missing = [
        (name, question)
        for name, question, value in (
            ("incumbent.local", "Is the incumbent rooted in the delivery area?", incumbent.local),
            ("incumbent.years_delivering", "How many years has the incumbent delivered this service?", years),
            ("bid.incumbent_approach", APPROACH_QUESTION, approach_known or None),
            ("bid.transition_plan", "Do you have a plan to keep continuity for current service users?", plan),
        )
        if value is None
    ]
    for name, question in missing:
        yield Finding.unknown(name, question, needed_for=needed_for)
    if missing or found.unevidenced:
        return
    name = incumbent.name or "the incumbent"
    yield Finding(
        field="bid.transition_plan",
        message=(
            f"{name} is local and has delivered for {years:g} years (threshold {established:g}), and {_leaving(incumbent, found)}; "
            "with no transition plan, people risk losing their connection to the service and its stability"
        ),
        action=(
            f"Plan continuity for current users with {name} (keep workers, venues and referral routes)"
            + ("" if incumbent.rebidding is False else ", or partner with them or support their bid instead")
        ),
        evidence={
            "incumbent": name,
            "years_delivering": years,
            "threshold_years": established,
            "transition_plan": False,
            "displacement": found.reason,
        },
    )
