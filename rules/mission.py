"""Mission before market: "Just because you can, does not mean you should" and "Coproduce services
with people who will use them" (guidance/002_da80ac9788ba7218.txt, "Draft recommendations"), and
the local knowledge and presence the work needs (002, emerging findings 3, 6 and 9; 003, "Necessity").
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    reads_partners,
    set_to,
    COPRODUCE,
    JUST_BECAUSE_YOU_CAN,
    LOCAL_KNOWLEDGE_AND_PRESENCE,
    Context,
    Example,
    Finding,
    Severity,
    TenderFile,
    describe_presence,
    rule,
)

from bidcheck_rules._questions import presence_gaps

_OUR_AREAS = "organisation: {areas: [Hackney, Islington, TLI4]}"


@rule(
    "MIS001",
    reads=("bid.mission_fit", "bid.mission_rationale"),
    title="Mission fit",
    recommendation=JUST_BECAUSE_YOU_CAN,
    severity=Severity.CONCERN,
    can_block=True,
    examples=[
        Example("A weak mission fit blocks", "bid: {mission_fit: weak}", Severity.BLOCKER),
        Example("A partial fit is a concern", "bid: {mission_fit: partial}", Severity.CONCERN),
        Example("A strong fit holds", "bid: {mission_fit: strong}", None),
        Example("An unassessed fit is asked about", "bid: {role: prime}", Severity.UNKNOWN),
    ],
)
def mission_fit(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Bid for work because it serves your mission, not because you can win it.

    The guidance's emerging findings describe mission drift as organisations chase
    contracts, and its recommendation "Just because you can, does not mean you should" asks
    organisations to focus on sustainability and impact, "even if this might mean reducing
    their portfolio of work". A weak or absent fit blocks; a partial fit is a concern.
    """
    fit = tender.bid.mission_fit if tender.bid else None
    if fit is None:
        yield Finding.unknown(
            "bid.mission_fit",
            "How well does this service fit your mission: strong, partial, weak or none? Say why in bid.mission_rationale.",
            needed_for="whether the bid serves your mission",
        )
        return
    if fit == "strong":
        return
    rationale = tender.bid.mission_rationale if tender.bid else None
    why = f" ({rationale})" if rationale else ""
    yield Finding(
        field="bid.mission_fit",
        message=f"mission fit is {fit}{why}",
        action=(
            "Do not bid; if the service matters to the community, support an organisation whose mission it is"
            if fit in ("weak", "none")
            else "Bid only for the parts that fit your mission, with partners for the rest, and record the board's reasons"
        ),
        evidence={"mission_fit": fit, "mission_rationale": rationale},
        severity=Severity.BLOCKER if fit in ("weak", "none") else Severity.CONCERN,
    )


@rule(
    "MIS002",
    reads=("bid.growth_driven",),
    clears=(set_to("bid.growth_driven", False, says="bid for the mission, not for growth"),),
    title="Growth targets",
    recommendation=JUST_BECAUSE_YOU_CAN,
    severity=Severity.CONCERN,
    examples=[
        Example("A bid pursued for growth is a concern", "bid: {growth_driven: true}", Severity.CONCERN),
        Example("A bid not driven by growth holds", "bid: {growth_driven: false}", None),
        Example("An unstated motive is asked about", "bid: {role: prime}", Severity.UNKNOWN),
    ],
)
def growth_driven(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Growth and market share are not reasons to bid on their own.

    Organisations that collaborate well "think differently about growth", and some refuse to
    set growth targets at all; Mark Simms' blog "Rebalancing the relationship: overcoming
    barriers to collaboration" (P3, 2021) likewise argues for a focus on impact rather than market share.
    """
    growth = tender.bid.growth_driven if tender.bid else None
    if growth is None:
        yield Finding.unknown(
            "bid.growth_driven",
            "Is this bid pursued mainly for growth or market share?",
            needed_for="whether growth rather than impact drives the bid",
        )
        return
    if growth:
        yield Finding(
            field="bid.growth_driven",
            message="the bid is pursued mainly for growth or market share",
            action="Decide on the impact for the people using the service, not on growth; ask whether another organisation is better placed",
            evidence={"growth_driven": True},
        )


@rule(
    "MIS003",
    reads=("tender", "organisation", *reads_partners()),
    title="Local presence",
    recommendation=LOCAL_KNOWLEDGE_AND_PRESENCE,
    severity=Severity.CONCERN,
    examples=[
        Example(
            "No presence and no local partner is a concern",
            "tender: {areas: [Leeds]}\npartners: [{name: National Partner, local: false}]",
            Severity.CONCERN,
            _OUR_AREAS,
        ),
        Example("A local partner holds", "tender: {areas: [Leeds]}\npartners: [{name: Leeds Forum, local: true}]", None, _OUR_AREAS),
        Example("Presence by region code holds", "tender: {areas: [TLI41]}", None, _OUR_AREAS),
        Example("Presence in one of four areas is not presence in all four", "tender: {areas: [Hackney, Leeds, Bradford, Wakefield]}", Severity.CONCERN, _OUR_AREAS),
        Example(
            "A local partner counts for the areas it is rooted in, not the others",
            "tender: {areas: [Leeds, Bradford]}\npartners: [{name: Leeds Forum, local: true, areas: [Leeds]}]",
            Severity.CONCERN,
            _OUR_AREAS,
        ),
        Example("Unknown delivery areas are asked about", "tender: {buyer: A council}", Severity.UNKNOWN, _OUR_AREAS),
    ],
)
def local_presence(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Know the community you would serve: be rooted there, or bring in a partner who is.

    The guidance's emerging findings say collaboration is often essential "to bring in an
    essential specialism or geographical presence to deliver the work" (finding 3), that
    smaller organisations offer support "connected to the community" (finding 6), and that
    larger organisations too often do not take the time to understand the local sector
    (finding 9); the final report's "Necessity" (Motivations and drivers) adds that charities
    partner with a local organisation when they lack the local presence and local intelligence
    to mobilise quickly.

    Presence is judged area by area (``area_presence``, SPEC §1.1): a tender over four
    boroughs where we deliver in one leaves three without our presence. A partner with
    ``local: true`` counts for the areas it is rooted in (``partners[].areas``; left out, all
    the tender's areas). The rule fires when, in at least one of the tender's areas, neither we
    nor a local partner are present; the finding names each area and who is present there.
    """
    areas = tender.tender.areas
    needed_for = "whether you or a partner are rooted where the service is delivered"
    found = yield from presence_gaps(tender, context, needed_for)
    if found is None:
        return
    absent = [place.area for place in found if not place.covered]
    unknown_partners = [index for index, partner in enumerate(tender.partners) if partner.local is None]
    if unknown_partners:
        for index in unknown_partners:
            name = tender.partners[index].name
            yield Finding.unknown(f"partners[{index}].local", f"Is {name} rooted in the delivery area?", needed_for=needed_for)
        return
    local_partners = sorted({name for place in found for name in place.local_partners})
    yield Finding(
        field="tender.areas",
        message=(
            f"neither you nor a local partner is present in {', '.join(absent)} ({len(absent)} of the tender's {len(found)} areas; "
            f"by area: {describe_presence(found)}; you deliver in {', '.join(context.organisation.areas)})"
        ),
        action=(
            f"Bring in organisations rooted in {', '.join(absent)}, found through local infrastructure (the CVS), as real "
            "partners with their own areas (partners[].areas), or leave the bid to them"
        ),
        evidence={
            "areas": [place.evidence for place in found],
            "not_present_in": absent,
            "tender_areas": list(areas),
            "our_areas": list(context.organisation.areas),
            "local_partners": local_partners,
        },
    )


@rule(
    "MIS004",
    reads=("bid.coproduction",),
    clears=(set_to("bid.coproduction", "done", says="coproduce the bid with people who will use the service"),),
    title="Coproduction",
    recommendation=COPRODUCE,
    severity=Severity.CONCERN,
    examples=[
        Example("No coproduction is a concern", "bid: {coproduction: none}", Severity.CONCERN),
        Example("Planned coproduction holds", "bid: {coproduction: planned}", None),
        Example("Unknown coproduction is asked about", "bid: {role: prime}", Severity.UNKNOWN),
    ],
)
def coproduction(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Services shaped by the people who use them are the services people need.

    The guidance found working with beneficiaries and communities "rarely mentioned" when
    organisations decide what to bid for, and recommends coproducing the design and delivery
    of services with people who have direct experience of them, often alongside user-led
    organisations.
    """
    done = tender.bid.coproduction if tender.bid else None
    if done is None:
        yield Finding.unknown(
            "bid.coproduction",
            "Have people who will use the service shaped the bid (done, planned or none)?",
            needed_for="whether the bid is coproduced with the people it serves",
        )
        return
    if done == "none":
        yield Finding(
            field="bid.coproduction",
            message="no one who will use the service has shaped the bid",
            action="Involve people with direct experience of the service in designing the bid, with user-led organisations where they exist",
            evidence={"coproduction": done},
        )
