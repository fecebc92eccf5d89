"""Calculate the impact on communities and beneficiaries: what winning would do to the
current provider, the local sector and the people who use the service
(guidance/002_da80ac9788ba7218.txt, "Draft recommendations", Co-production and community focus).
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    CALCULATE_THE_IMPACT,
    Context,
    Example,
    Finding,
    NoIncumbent,
    Severity,
    TenderFile,
    Threshold,
    displaces_incumbent,
    format_money,
    format_percentage,
    income_band,
    is_smaller,
    rule,
)

_DEPENDENT_INCUMBENT = """
tender: {value: "£1.2m", term_months: 36}
incumbent: {name: Local Project, annual_income: "£420k"}
bid: {incumbent_approach: compete}
"""
_OUR_INCOME = 'organisation: {annual_income: "£45m"}'


@rule(
    "IMP003",
    title="Impact on the existing organisation",
    recommendation=CALCULATE_THE_IMPACT,
    severity=Severity.CONCERN,
    can_block=True,
    thresholds=[
        Threshold(
            "incumbent_dependency_concern_pct",
            25,
            "Share of the incumbent's income this contract is, at or above which displacing them is a concern.",
        ),
        Threshold(
            "incumbent_dependency_blocker_pct",
            50,
            "Share at or above which displacing an incumbent smaller than us is a blocker.",
        ),
    ],
    examples=[
        Example(
            "A contract that is 95% of a smaller incumbent's income, bid against, blocks",
            _DEPENDENT_INCUMBENT,
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
            "Partnering with the incumbent holds",
            """
tender: {value: "£1.2m", term_months: 36}
incumbent: {name: Local Project, annual_income: "£420k"}
bid: {incumbent_approach: partner}
""",
            None,
            _OUR_INCOME,
        ),
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
    closure, a reduction in their work or loss of key staff", before deciding to bid. The
    share is ``incumbent.contract_share_pct`` when given, otherwise the tender's annual value
    (value / term_months × 12) as a share of ``incumbent.annual_income``.

    At or above ``incumbent_dependency_concern_pct`` it is a concern. At or above
    ``incumbent_dependency_blocker_pct`` it blocks when the incumbent is in a lower NCVO
    income band than us and the bid would displace them (unless it partners with or
    supports them): that is the case in which winning most directly threatens the
    survival of a smaller organisation.
    """
    incumbent = tender.incumbent
    if isinstance(incumbent, NoIncumbent):
        return
    needed_for = "how much of the incumbent's income this contract is"
    if incumbent is None:
        yield Finding.unknown(
            "incumbent",
            "Who delivers this service now, and what is their annual income? "
            "Write `incumbent: none` for a new service.",
            needed_for=needed_for,
        )
        return
    if displaces_incumbent(tender) is False:
        return

    annual_value = tender.tender.annual_value
    evidence: dict[str, object] = {"incumbent": incumbent.name, "incumbent_income": incumbent.annual_income}
    if incumbent.contract_share_pct is not None:
        share = incumbent.contract_share_pct
        evidence["share_basis"] = "given"
    elif annual_value is not None and incumbent.annual_income:
        share = annual_value / incumbent.annual_income * 100
        evidence.update(share_basis="derived", annual_value=round(annual_value, 2))
    else:
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
        return

    concern_pct = context.threshold("incumbent_dependency_concern_pct")
    blocker_pct = context.threshold("incumbent_dependency_blocker_pct")
    if share < concern_pct:
        return
    approach = tender.bid.incumbent_approach if tender.bid else None
    if approach is None:
        yield Finding.unknown(
            "bid.incumbent_approach",
            "Will you partner with the incumbent, support their bid, or compete against them?",
            needed_for="whether winning would displace an incumbent that depends on this contract",
        )
        return

    name = incumbent.name or "the incumbent"
    evidence.update(contract_share_pct=round(share, 1), concern_threshold_pct=concern_pct, blocker_threshold_pct=blocker_pct)
    if evidence["share_basis"] == "derived":
        assert annual_value is not None and incumbent.annual_income is not None  # the derived branch above
        found = (
            f"the contract ({format_money(annual_value)} a year) is {format_percentage(share)} "
            f"of {name}'s {format_money(incumbent.annual_income)} annual income"
        )
    else:
        found = f"the contract is {format_percentage(share)} of {name}'s income (as given)"

    severity = Severity.CONCERN
    smaller = is_smaller(incumbent.annual_income, context.organisation.annual_income)
    if share >= blocker_pct:
        if smaller:
            severity = Severity.BLOCKER
            assert incumbent.annual_income is not None and context.organisation.annual_income is not None
            evidence.update(
                incumbent_band=income_band(incumbent.annual_income).label,
                our_band=income_band(context.organisation.annual_income).label,
            )
            found += (
                f", at or above the {format_percentage(blocker_pct)} blocker threshold, and {name} is smaller than you "
                f"({evidence['incumbent_band']} against {evidence['our_band']}): losing it could close them"
            )
        else:
            found += f", at or above the {format_percentage(blocker_pct)} blocker threshold: losing it could close them"
            if smaller is None:
                missing = "incumbent.annual_income" if incumbent.annual_income is None else "organisation.annual_income"
                yield Finding.unknown(
                    missing,
                    "What is its annual income? Needed to tell whether the incumbent is smaller than you.",
                    needed_for="whether displacing a dependent incumbent should block the bid",
                )
    else:
        found += f", at or above the {format_percentage(concern_pct)} concern threshold: losing it would cut their work"

    if severity is Severity.BLOCKER:
        action = (
            f"Do not bid against {name}: partner with them or subcontract to them, support their bid, "
            "or form a consortium or alliance with them; otherwise, do not bid"
        )
    else:
        action = (
            f"Talk to {name} before deciding: partnering, subcontracting to them or supporting their bid keeps their "
            "work; if you still bid, agree with them how to protect their staff and the people they serve"
        )
    field = "incumbent.contract_share_pct" if evidence["share_basis"] == "given" else "incumbent.annual_income"
    yield Finding(field=field, message=found, action=action, evidence=evidence, severity=severity)
