"""Calculate the impact on the local sector: would winning take the service out of local hands?
(guidance/002_da80ac9788ba7218.txt, "Draft recommendations", Co-production and community focus:
"the impact ... on the existing organisation and the local sector").
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    reads_partners,
    CALCULATE_THE_IMPACT,
    Context,
    Example,
    Finding,
    Severity,
    TenderFile,
    describe_presence,
    rule,
)

from bidcheck_rules._clearing import PARTNER_THE_INCUMBENT

from bidcheck_rules._questions import incumbent_displacement, presence_gaps, unevidenced_partnering

_OUR_PROFILE = 'organisation: {annual_income: "£45m", areas: [Hackney, Islington]}'
_LOCAL = "tender: {{areas: [{areas}]}}\nincumbent: {{name: Area Project, local: true}}\nbid: {{incumbent_approach: {approach}}}{partners}"


@rule(
    "IMP005",
    reads=("incumbent", "tender.areas", "organisation", "bid.incumbent_approach", "bid.role", "bid.value_pct", *reads_partners("value_pct")),
    clears=(PARTNER_THE_INCUMBENT,),
    title="Impact on the local sector",
    recommendation=CALCULATE_THE_IMPACT,
    severity=Severity.CONCERN,
    examples=[
        Example(
            "Displacing a local incumbent where we have no presence is a concern",
            _LOCAL.format(areas="Leeds", approach="compete", partners=""),
            Severity.CONCERN,
            _OUR_PROFILE,
        ),
        Example("Where we already deliver, it holds", _LOCAL.format(areas="Hackney", approach="compete", partners=""), None, _OUR_PROFILE),
        Example(
            "Presence in one of four boroughs is not presence in all four",
            _LOCAL.format(areas="Hackney, Camden, Newham, Tower Hamlets", approach="compete", partners=""),
            Severity.CONCERN,
            _OUR_PROFILE,
        ),
        Example(
            "A local partner rooted in the boroughs where we are not present holds",
            _LOCAL.format(
                areas="Hackney, Camden", approach="compete", partners="\npartners: [{name: Camden Forum, local: true, areas: [Camden]}]"
            ),
            None,
            _OUR_PROFILE,
        ),
        Example(
            "An incumbent that is not bidding again is not displaced",
            "tender: {areas: [Leeds]}\nincumbent: {name: Leeds Project, local: true, rebidding: false}\nbid: {incumbent_approach: compete}",
            None,
            _OUR_PROFILE,
        ),
        Example(
            "Unknown delivery areas are asked about",
            "incumbent: {name: Leeds Project, user_led: true}\nbid: {incumbent_approach: compete}",
            Severity.UNKNOWN,
            _OUR_PROFILE,
        ),
    ],
)
def impact_on_local_sector(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Replacing a local or user-led provider from outside the area drains the local sector.

    The guidance asks bidders to consider the impact on "the local sector" as well as on the
    existing organisation (Calculate the impact on communities and beneficiaries). The rule
    fires when we would displace (``displacement``, SPEC §2.1) a local or user-led incumbent
    and, in at least one of the tender's areas, neither we nor a local partner are present.

    Presence is judged area by area (``area_presence``, SPEC §1.1): a tender over four
    boroughs where we deliver in one leaves three without our presence. A partner with
    ``local: true`` counts for the areas it is rooted in (``partners[].areas``; left out, all
    the tender's areas). The finding names each area and who is present there.

    It holds on a re-bid (``incumbent: us``), when the incumbent is not bidding again, and when
    we partner with or support it (the local provider stays in the service); a claimed
    partnership with the incumbent nowhere among the partners is asked about (``unknown``).
    """
    needed_for = "whether winning would take the service out of the local sector"
    known = yield from incumbent_displacement(tender, needed_for)
    if known is None:
        return
    incumbent, found = known
    if found.displaced is False or (incumbent.local is False and incumbent.user_led is False):
        return
    areas = yield from presence_gaps(tender, context, needed_for)
    if areas is None:
        return
    absent = [place.area for place in areas if not place.covered]
    if found.unevidenced:
        yield unevidenced_partnering(incumbent, needed_for)
        return
    if not (incumbent.local or incumbent.user_led):
        missing = "incumbent.local" if incumbent.local is None else "incumbent.user_led"
        yield Finding.unknown(missing, "Is the incumbent rooted in the delivery area, or user-led?", needed_for=needed_for)
        return
    name = incumbent.name or "the incumbent"
    kind = " and ".join(word for word, flag in (("local", incumbent.local), ("user-led", incumbent.user_led)) if flag)
    yield Finding(
        field="incumbent.local" if incumbent.local else "incumbent.user_led",
        message=(
            f"{name} is {kind}, and neither you nor a local partner is present in {', '.join(absent)} "
            f"({len(absent)} of the tender's {len(areas)} areas; by area: {describe_presence(areas)}; "
            f"you deliver in {', '.join(context.organisation.areas)})"
        ),
        action=(
            f"Keep the service rooted locally: partner with {name} or support their bid, or bring in organisations "
            f"rooted in {', '.join(absent)} as real partners through local infrastructure (the CVS); otherwise, do not bid"
        ),
        evidence={
            "incumbent": name,
            "local": incumbent.local,
            "user_led": incumbent.user_led,
            "areas": [place.evidence for place in areas],
            "not_present_in": absent,
            "tender_areas": list(tender.tender.areas),
            "our_areas": list(context.organisation.areas),
        },
    )
