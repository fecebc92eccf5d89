"""How we work with partners: "Think about collaboration from the beginning", "Set up the
foundations", "Communicate frequently, and with honesty" and "Expand your idea of
collaboration" (guidance/002_da80ac9788ba7218.txt, "Draft recommendations").
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    reads_partners,
    set_to,
    COLLABORATE_FROM_THE_BEGINNING,
    COMMUNICATE_FREQUENTLY,
    EXPAND_YOUR_IDEA_OF_COLLABORATION,
    MIN_RESPONSE_DAYS,
    SET_UP_THE_FOUNDATIONS,
    Context,
    Example,
    Finding,
    Severity,
    TenderFile,
    format_money,
    format_percentage,
    number_of,
    rule,
    smaller,
)

from bidcheck_rules._power import ROLE_QUESTION, if_we_set_their_terms


def _partners(**fields: object) -> str:
    return "partners:\n  - {" + ", ".join(f"{key}: {value}" for key, value in {"name": "Local Forum", **fields}.items()) + "}"


_SHORT_WINDOW = "tender: {published: 2026-11-01, deadline: 2026-11-21}\n"


@rule(
    "COL001",
    reads=("tender", "bid.role", *reads_partners("agreement", "shaped_bid")),
    title="Partners engaged after publication",
    recommendation=COLLABORATE_FROM_THE_BEGINNING,
    severity=Severity.INFO,
    thresholds=[MIN_RESPONSE_DAYS],
    examples=[
        Example("A partner found after the tender came out is noted", _partners(engaged="after-publication"), Severity.INFO),
        Example(
            "A partner found after publication with 20 days to respond is a concern",
            _SHORT_WINDOW + _partners(engaged="after-publication"),
            Severity.CONCERN,
        ),
        Example(
            "With 44 days to respond it is noted",
            "tender: {published: 2026-11-01, deadline: 2026-12-15}\n" + _partners(engaged="after-publication"),
            Severity.INFO,
        ),
        Example("A partner engaged before publication holds", _SHORT_WINDOW + _partners(engaged="before-publication"), None),
        Example("Unknown timing is asked about", _partners(), Severity.UNKNOWN),
    ],
)
def engaged_after_publication(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """The most successful partnerships begin before a tender is released.

    The guidance recommends working "proactively outside of tender process" to develop
    collaboration, through local infrastructure where it helps, rather than assembling
    partners once the clock is running (Rebalancing the Relationship, emerging findings,
    "Draft recommendations", "Think about collaboration from the beginning"); finding 8 adds
    that the short time given to respond to tenders forces quick decisions.

    Version 2 (SPEC §2.1): a partner engaged after publication is noted (info); it is a
    concern when the response window, from ``tender.published`` to ``tender.deadline``, is
    shorter than ``min_response_days`` (days): a partnership assembled in that little time
    has had none to form. The evidence shows the window and the threshold.
    """
    days = tender.tender.response_days
    minimum = context.threshold(MIN_RESPONSE_DAYS.name)
    short = days is not None and days < minimum
    for index, partner in enumerate(tender.partners):
        if partner.engaged is None:
            yield Finding.unknown(
                f"partners[{index}].engaged",
                f"Did you start working with {partner.name} before or after the tender was published?",
                needed_for="whether the partnership predates the tender",
            )
        elif partner.engaged == "after-publication":
            window = "" if days is None else f" ({number_of(days, 'day')} from publication to the deadline)"
            yield Finding(
                field=f"partners[{index}].engaged",
                message=(
                    f"{partner.name} was engaged after the tender was published{window}"
                    + (f": fewer than {MIN_RESPONSE_DAYS.format(minimum)}, too little time for a partnership to form" if short else "")
                ),
                action=f"Give the partnership with {partner.name} time: agree roles together now, and build relationships before the next tender",
                evidence={"partner": partner.name, "engaged": partner.engaged, "response_days": days,
                          "min_response_days": minimum},
                severity=Severity.CONCERN if short else None,
            )


@rule(
    "COL002",
    reads=("bid.role", *reads_partners("agreement", "shaped_bid")),
    clears=(set_to("partners[*].agreement", "signed", says="sign the agreement with {name}"),),
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
    reads=("bid.role", *reads_partners("agreement", "shaped_bid")),
    clears=(set_to("partners[*].shaped_bid", True, says="design the bid with {name}"),),
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
    reads=("bid.role", "organisation", *reads_partners("agreement", "shaped_bid")),
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
    smaller organisation's subcontractor (Rebalancing the Relationship, emerging findings,
    "Draft recommendations", "Expand your idea of collaboration"). The rule notes (as info) a
    bid where we are prime and every partner is smaller than us.

    Version 2 (SPEC §2.1): "smaller" is :func:`smaller` (income at most
    ``smaller_income_ratio`` of ours, not an income band), and only partners we lead count
    (:func:`we_lead`): under a partner's lead there is nothing to note. The evidence shows each
    partner's income against ours.
    """
    if not tender.partners:
        return
    role = tender.bid.role if tender.bid else None
    if role is None:
        yield from if_we_set_their_terms(
            tender, [Finding.unknown("bid.role", ROLE_QUESTION, needed_for="whether you lead every partner as prime")],
            about="whether you lead every partner as prime",
        )
        return
    if role != "prime":
        return
    sizes = [smaller(partner.annual_income, context) for partner in tender.partners]
    if any(size.smaller is False for size in sizes):
        return
    if context.organisation.annual_income is None:
        yield Finding.unknown("organisation.annual_income", "What is your organisation's annual income? Set it in bidcheck.yaml.",
                              needed_for="whether every partner is smaller than you")
        return
    unknown = [index for index, size in enumerate(sizes) if size.smaller is None]
    for index in unknown:
        yield Finding.unknown(f"partners[{index}].annual_income", "What is its annual income?",
                              needed_for="whether every partner is smaller than you")
    if unknown:
        return
    yield Finding(
        field="bid.role",
        message=(
            f"you would be prime over {number_of(len(tender.partners), 'partner')}, "
            f"{'which is' if len(tender.partners) == 1 else 'all'} smaller than you "
            f"({format_money(context.organisation.annual_income)}; smaller is at most "
            f"{format_percentage(sizes[0].limit * 100)} of your income): "
            + ", ".join(f"{partner.name} {format_money(size.theirs or 0)} ({format_percentage((size.ratio or 0) * 100)})"
                        for partner, size in zip(tender.partners, sizes))
        ),
        action="Consider a joint venture, a consortium or an alliance contract, or being subcontractor to a local organisation",
        evidence={
            "role": role,
            "partners": [{"partner": partner.name, **size.evidence} for partner, size in zip(tender.partners, sizes)],
            "our_income": context.organisation.annual_income,
        },
    )
