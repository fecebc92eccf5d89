"""How we work with partners: "Think about collaboration from the beginning", "Set up the
foundations", "Communicate frequently, and with honesty" and "Expand your idea of
collaboration" (guidance/002_da80ac9788ba7218.txt, "Draft recommendations").
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    COLLABORATE_FROM_THE_BEGINNING,
    COMMUNICATE_FREQUENTLY,
    EXPAND_YOUR_IDEA_OF_COLLABORATION,
    SET_UP_THE_FOUNDATIONS,
    Context,
    Example,
    Finding,
    Severity,
    TenderFile,
    format_money,
    income_band,
    is_smaller,
    number_of,
    rule,
)


def _partners(**fields: object) -> str:
    return "partners:\n  - {" + ", ".join(f"{key}: {value}" for key, value in {"name": "Local Forum", **fields}.items()) + "}"


@rule(
    "COL001",
    title="Partners engaged after publication",
    recommendation=COLLABORATE_FROM_THE_BEGINNING,
    severity=Severity.INFO,
    examples=[
        Example("A partner found after the tender came out is noted", _partners(engaged="after-publication"), Severity.INFO),
        Example("A partner engaged before publication holds", _partners(engaged="before-publication"), None),
        Example("Unknown timing is asked about", _partners(), Severity.UNKNOWN),
    ],
)
def engaged_after_publication(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """The most successful partnerships begin before a tender is released.

    The guidance recommends working "proactively outside of tender process" to develop
    collaboration, through local infrastructure where it helps, rather than assembling
    partners once the clock is running.
    """
    for index, partner in enumerate(tender.partners):
        if partner.engaged is None:
            yield Finding.unknown(
                f"partners[{index}].engaged",
                f"Did you start working with {partner.name} before or after the tender was published?",
                needed_for="whether the partnership predates the tender",
            )
        elif partner.engaged == "after-publication":
            yield Finding(
                field=f"partners[{index}].engaged",
                message=f"{partner.name} was engaged after the tender was published",
                action=f"Give the partnership with {partner.name} time: agree roles together now, and build relationships before the next tender",
                evidence={"partner": partner.name, "engaged": partner.engaged},
            )


@rule(
    "COL002",
    title="Partnership agreement",
    recommendation=SET_UP_THE_FOUNDATIONS,
    severity=Severity.CONCERN,
    examples=[
        Example("A draft agreement is a concern", _partners(agreement="draft"), Severity.CONCERN),
        Example("A signed agreement holds", _partners(agreement="signed"), None),
        Example("An unknown agreement is asked about", _partners(), Severity.UNKNOWN),
    ],
)
def partnership_agreement(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Set expectations and boundaries before the work, in an agreement.

    The guidance recommends setting up "an agreement to prevent conflict and resolve it
    when it does occur", and deciding before entering a partnership what each side can and
    cannot compromise on.
    """
    for index, partner in enumerate(tender.partners):
        if partner.agreement is None:
            yield Finding.unknown(
                f"partners[{index}].agreement",
                f"Is there a partnership agreement with {partner.name} (signed, draft or none)?",
                needed_for="whether the partnership has its foundations in place",
            )
        elif partner.agreement != "signed":
            state = "only in draft" if partner.agreement == "draft" else "not started"
            yield Finding(
                field=f"partners[{index}].agreement",
                message=f"the partnership agreement with {partner.name} is {state}",
                action=f"Sign an agreement with {partner.name} before submitting: roles, money, risk, and how disagreements are resolved",
                evidence={"partner": partner.name, "agreement": partner.agreement},
            )


@rule(
    "COL003",
    title="Partners shape the bid",
    recommendation=COMMUNICATE_FREQUENTLY,
    severity=Severity.CONCERN,
    examples=[
        Example("A partner left out of designing the bid is a concern", _partners(shaped_bid="false"), Severity.CONCERN),
        Example("A partner who shaped the bid holds", _partners(shaped_bid="true"), None),
        Example("Unknown involvement is asked about", _partners(), Severity.UNKNOWN),
    ],
)
def partners_shape_the_bid(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """All partners are included throughout, from bidding to delivery.

    The guidance describes organisations that collaborate well as making sure "all
    partners" are included "throughout the process – from bidding to delivery", with regular
    and honest communication.
    """
    for index, partner in enumerate(tender.partners):
        if partner.shaped_bid is None:
            yield Finding.unknown(
                f"partners[{index}].shaped_bid",
                f"Has {partner.name} helped design the bid?",
                needed_for="whether partners are included from bidding to delivery",
            )
        elif not partner.shaped_bid:
            yield Finding(
                field=f"partners[{index}].shaped_bid",
                message=f"{partner.name} has not helped design the bid",
                action=f"Design the service with {partner.name}: share the draft, take their changes, and agree the final bid together",
                evidence={"partner": partner.name, "shaped_bid": False},
            )


@rule(
    "COL004",
    title="Prime over smaller partners only",
    recommendation=EXPAND_YOUR_IDEA_OF_COLLABORATION,
    severity=Severity.INFO,
    examples=[
        Example(
            "Leading only smaller subcontractors is noted",
            'bid: {role: prime}\npartners: [{name: Local Forum, annual_income: "£90k"}]',
            Severity.INFO,
            'organisation: {annual_income: "£45m"}',
        ),
        Example(
            "A joint venture holds",
            'bid: {role: joint-venture}\npartners: [{name: Local Forum, annual_income: "£90k"}]',
            None,
            'organisation: {annual_income: "£45m"}',
        ),
        Example(
            "Unknown partner income is asked about",
            "bid: {role: prime}\npartners: [{name: Local Forum}]",
            Severity.UNKNOWN,
            'organisation: {annual_income: "£45m"}',
        ),
    ],
)
def prime_over_smaller_partners(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Prime and subcontractor is not the only shape a partnership can take.

    The guidance notes that most collaboration is a prime/sub relationship and asks
    organisations to consider joint ventures, consortia and alliance contracts, or being a
    smaller organisation's subcontractor. The rule notes (as info) a bid where we are prime
    and every partner is smaller than us.
    """
    role = tender.bid.role if tender.bid else None
    if not tender.partners:
        return
    if role is None:
        yield Finding.unknown(
            "bid.role",
            "Are you sole, prime, subcontractor, consortium member, joint venture or alliance partner?",
            needed_for="whether you lead every partner as prime",
        )
        return
    if role != "prime":
        return
    our_income = context.organisation.annual_income
    sizes = [is_smaller(partner.annual_income, our_income) for partner in tender.partners]
    if False in sizes:
        return
    if None in sizes:
        for index, partner in enumerate(tender.partners):
            if sizes[index] is None:
                field_name = f"partners[{index}].annual_income" if partner.annual_income is None else "organisation.annual_income"
                yield Finding.unknown(field_name, "What is its annual income?", needed_for="whether every partner is smaller than you")
                if field_name == "organisation.annual_income":
                    return
        return
    assert our_income is not None
    yield Finding(
        field="bid.role",
        message=(
            f"you would be prime over {number_of(len(tender.partners), 'partner')}, "
            f"{'which is' if len(tender.partners) == 1 else 'all'} smaller than you "
            f"({format_money(our_income)}, {income_band(our_income).label})"
        ),
        action="Consider a joint venture, a consortium or an alliance contract, or being subcontractor to a local organisation",
        evidence={"role": role, "partners": [partner.name for partner in tender.partners], "our_income": our_income},
    )
