"""Calculate the impact on communities and beneficiaries, first the factors to weigh: our expertise
and the current provider's quality (guidance/002_da80ac9788ba7218.txt, "Draft recommendations",
Co-production and community focus). What winning does to the incumbent, the local sector and the
people who use the service follows in ``impact_closure``, ``impact_local_sector`` and ``impact_transition``.
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
    possessive,
    rule,
    service_match,
)

from bidcheck_rules._clearing import PARTNER_THE_INCUMBENT

from bidcheck_rules._questions import incumbent_displacement, unknown_displacement

_OUR_PROFILE = """
organisation:
  annual_income: "£45m"
  services: [substance-misuse, housing-support, {name: carers-support, cpv: ["853"]}]
  areas: [Hackney, Islington]
"""
_ANOTHER_ORGANISATIONS_EXPERTISE = (  # follows "bid "
    "only with an organisation that has {expertise} leading or delivering it: partner with or "
    "subcontract to them, or support their bid instead; otherwise, do not bid"
)


@rule(
    "IMP001",
    reads=("tender", "organisation"),
    title="Relevant expertise",
    recommendation=CALCULATE_THE_IMPACT,
    severity=Severity.CONCERN,
    examples=[
        Example("A service we do not deliver is a concern", "tender: {service: domestic-abuse}", Severity.CONCERN, _OUR_PROFILE),
        Example("A service we deliver holds", "tender: {service: Substance Misuse}", None, _OUR_PROFILE),
        Example(
            "With no service named, a CPV code starting with one of our services' prefixes holds",
            'tender: {cpv: ["85312300"]}',
            None,
            _OUR_PROFILE,
        ),
        Example(
            "With no service named, CPV codes starting with none of our prefixes are a concern",
            'tender: {cpv: ["45000000"]}',
            Severity.CONCERN,
            _OUR_PROFILE,
        ),
        Example("A tender with neither a service nor CPV codes is asked about", "tender: {buyer: A council}", Severity.UNKNOWN, _OUR_PROFILE),
    ],
)
def relevant_expertise(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Bidding outside your expertise risks the service and the organisations that know it.

    Whether an organisation "has relevant expertise" is the first factor the guidance lists
    when deciding whether to bid, and entering new markets without prior experience is one
    of the competitive practices its emerging findings describe. The tender's ``service`` is
    compared with ``organisation.services``, ignoring case, spaces and hyphens; a tender that
    names no service is judged by its CPV codes, which match a service when they start with
    one of its ``cpv`` prefixes (SPEC §1.1).
    """
    match = service_match(context.organisation.services, tender.tender.service, tender.tender.cpv)
    needed_for = "whether you have relevant expertise"
    if match.status == "yes":
        return
    if match.missing == "organisation.services":
        yield Finding.unknown(
            "organisation.services", "Which service areas does your organisation deliver? List them in bidcheck.yaml.", needed_for=needed_for
        )
    elif match.missing == "tender.service" and match.cpv:
        yield Finding.unknown(
            "tender.service",
            f"Which service area is this? The notice's CPV {match.code()} is broader than your prefix "
            f"{match.prefix}, so it may or may not be yours: fill in tender.service.",
            needed_for=needed_for,
        )
    elif match.missing == "tender.service":
        yield Finding.unknown(
            "tender.service", "Which service area is this (e.g. substance-misuse), or which CPV codes does the notice give (tender.cpv)?", needed_for=needed_for
        )
    elif match.missing == "organisation.services.cpv":
        yield Finding.unknown(
            "tender.service",
            f"Which of your services is this? The notice gives CPV {match.tender_codes()}, and none of your services lists "
            'CPV prefixes: fill in tender.service, or give your services their prefixes in bidcheck.yaml ({name: carers-support, cpv: ["853"]}).',
            needed_for=needed_for,
        )
    elif match.tender_service is not None:
        yield Finding(
            field="tender.service",
            message=f"the service, {match.tender_service}, is not among the services you deliver ({', '.join(match.our_services)})",
            action="Bid " + _ANOTHER_ORGANISATIONS_EXPERTISE.format(expertise=f"{match.tender_service} expertise"),
            evidence=match.evidence(),
        )
    else:
        yield Finding(
            field="tender.cpv",
            message=(
                f"no service is named, and none of the CPV codes, {match.tender_codes()}, starts with a CPV prefix of "
                f"the services you deliver ({match.our_prefixes()})"
            ),
            action=(
                "If you deliver this service, name it in tender.service, or add its CPV prefix to your service in bidcheck.yaml; "
                "if not, bid " + _ANOTHER_ORGANISATIONS_EXPERTISE.format(expertise="this expertise")
            ),
            evidence=match.evidence(),
        )


@rule(
    "IMP002",
    reads=("incumbent", "bid.incumbent_approach", "bid.role", "bid.value_pct", *reads_partners("value_pct")),
    clears=(PARTNER_THE_INCUMBENT,),
    title="The current provider delivers quality",
    recommendation=CALCULATE_THE_IMPACT,
    severity=Severity.CONCERN,
    examples=[
        Example(
            "Displacing a provider rated good is a concern",
            "incumbent: {name: Local Project, performance: good}\nbid: {incumbent_approach: compete}",
            Severity.CONCERN,
        ),
        Example(
            "A poorly performing provider holds",
            "incumbent: {name: Local Project, performance: poor}\nbid: {incumbent_approach: compete}",
            None,
        ),
        Example(
            "Supporting a good provider holds",
            "incumbent: {name: Local Project, performance: outstanding}\nbid: {incumbent_approach: support}",
            None,
        ),
        Example(
            "Unknown performance is asked about",
            "incumbent: {name: Local Project}\nbid: {incumbent_approach: compete}",
            Severity.UNKNOWN,
        ),
        Example(
            "A re-bid displaces nobody",
            "incumbent: us\nbid: {incumbent_approach: compete}",
            None,
        ),
        Example(
            "An incumbent that is not bidding again is not displaced",
            "incumbent: {name: Local Project, performance: good, rebidding: false}\nbid: {incumbent_approach: compete}",
            None,
        ),
        Example(
            "Partnering with an incumbent that is not among the partners is asked about",
            "incumbent: {name: Local Project, performance: good}\nbid: {incumbent_approach: partner}",
            Severity.UNKNOWN,
        ),
    ],
)
def provider_delivers_quality(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Replacing a provider that delivers quality rarely helps the people using the service.

    The guidance lists "whether the current provider delivers quality" among the factors
    to weigh before bidding. The rule fires only when the bid would displace the incumbent
    (``displacement``, SPEC §2.1): not on a re-bid (``incumbent: us``), not when the incumbent is
    not bidding again (``rebidding: false``), not when we support it or partner with it. A
    partnership must be evidenced: with ``incumbent_approach: partner`` and the incumbent nowhere
    among the partners, the rule asks for them with their share and agreement (``unknown``).
    """
    needed_for = "whether you would displace a provider that delivers quality"
    known = yield from incumbent_displacement(tender, needed_for)
    if known is None:
        return
    incumbent, found = known
    if found.displaced is False or incumbent.performance in ("adequate", "poor"):
        return
    if incumbent.performance in (None, "unknown"):
        yield Finding.unknown(
            "incumbent.performance",
            "How well does the incumbent deliver the service now? Ask the buyer, service users and local partners.",
            needed_for=needed_for,
        )
        return
    if found.displaced is None:
        yield unknown_displacement(incumbent, found, needed_for)
        return
    name = incumbent.name or "the incumbent"
    yield Finding(
        field="incumbent.performance",
        message=f"{possessive(name)} performance is rated {incumbent.performance}, and the bid would displace them",
        action=(
            f"Ask whether replacing {name} would help the people using the service: partner with them, "
            "subcontract to them or support their bid instead; if you still bid, say what you would add"
        ),
        evidence={
            "incumbent": name,
            "performance": incumbent.performance,
            "incumbent_approach": tender.bid.incumbent_approach if tender.bid else None,
            "displacement": found.reason,
        },
    )
