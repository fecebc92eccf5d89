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
    WeAreIncumbent,
    Threshold,
    displaces_incumbent,
    format_money,
    format_percentage,
    income_band,
    is_smaller,
    presence,
    possessive,
    rule,
    service_match,
)

_DEPENDENT_INCUMBENT = """
tender: {value: "£1.2m", term_months: 36}
incumbent: {name: Local Project, annual_income: "£420k"}
bid: {incumbent_approach: compete}
"""
_OUR_INCOME = 'organisation: {annual_income: "£45m"}'
_OUR_PROFILE = """
organisation:
  annual_income: "£45m"
  services: [substance-misuse, housing-support, {name: carers-support, cpv: ["853"]}]
  areas: [Hackney, Islington]
"""
_NEW_SERVICE_QUESTION = (
    "Who delivers this service now? Give their name, income, performance and staff, "
    "or write `incumbent: none` for a new service."
)


def _unknown_incumbent(needed_for: str) -> Finding:
    return Finding.unknown("incumbent", _NEW_SERVICE_QUESTION, needed_for=needed_for)


def _unknown_approach(needed_for: str) -> Finding:
    return Finding.unknown(
        "bid.incumbent_approach",
        "Will you partner with the incumbent, support their bid, or compete against them?",
        needed_for=needed_for,
    )


_ANOTHER_ORGANISATIONS_EXPERTISE = (  # follows "bid "
    "only with an organisation that has {expertise} leading or delivering it: partner with or "
    "subcontract to them, or support their bid instead; otherwise, do not bid"
)


@rule(
    "IMP001",
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
    ],
)
def provider_delivers_quality(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Replacing a provider that delivers quality rarely helps the people using the service.

    The guidance lists "whether the current provider delivers quality" among the factors
    to weigh before bidding. The rule fires only when the bid would displace the incumbent
    (it does not partner with or support them).
    """
    incumbent = tender.incumbent
    needed_for = "whether you would displace a provider that delivers quality"
    if isinstance(incumbent, (NoIncumbent, WeAreIncumbent)):
        return
    if incumbent is None:
        yield _unknown_incumbent(needed_for)
        return
    displaced = displaces_incumbent(tender)
    if displaced is False or incumbent.performance in ("adequate", "poor"):
        return
    if incumbent.performance in (None, "unknown"):
        yield Finding.unknown(
            "incumbent.performance",
            "How well does the incumbent deliver the service now? Ask the buyer, service users and local partners.",
            needed_for=needed_for,
        )
        return
    if displaced is None:
        yield _unknown_approach(needed_for)
        return
    name = incumbent.name or "the incumbent"
    yield Finding(
        field="incumbent.performance",
        message=f"{possessive(name)} performance is rated {incumbent.performance}, and the bid would displace them",
        action=(
            f"Ask whether replacing {name} would help the people using the service: partner with them, "
            "subcontract to them or support their bid instead; if you still bid, say what you would add"
        ),
        evidence={"incumbent": name, "performance": incumbent.performance, "incumbent_approach": tender.bid.incumbent_approach if tender.bid else None},
    )


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
            at_least="incumbent_dependency_concern_pct",
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
    if isinstance(incumbent, (NoIncumbent, WeAreIncumbent)):
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
            f"of {possessive(name)} {format_money(incumbent.annual_income)} annual income"
        )
    else:
        found = f"the contract is {format_percentage(share)} of {possessive(name)} income (as given)"

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


_STAFF_EXAMPLE = "incumbent: {{name: Local Project, staff: 14}}\nbid: {{incumbent_approach: compete, transition_plan: {plan}}}"


@rule(
    "IMP004",
    title="Loss of key staff",
    recommendation=CALCULATE_THE_IMPACT,
    severity=Severity.CONCERN,
    examples=[
        Example("Staff at risk and no transition plan is a concern", _STAFF_EXAMPLE.format(plan="false"), Severity.CONCERN),
        Example("A transition plan holds", _STAFF_EXAMPLE.format(plan="true"), None),
        Example("An unknown transition plan is asked about", _STAFF_EXAMPLE.format(plan="null"), Severity.UNKNOWN),
    ],
)
def loss_of_key_staff(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Re-tendering can cost the incumbent, and the service, the staff who make it work.

    The guidance names "loss of key staff" among the impacts on the existing organisation.
    Re-tendering a service is a TUPE "service provision change": staff may transfer to the
    new provider or be lost. The rule fires when ``incumbent.staff`` is above zero and the
    bid has no transition plan.

    Refinement: when the bid partners with or supports the incumbent, its staff stay with
    it, so the rule holds.
    """
    incumbent = tender.incumbent
    needed_for = "whether the incumbent's staff would be lost"
    if isinstance(incumbent, (NoIncumbent, WeAreIncumbent)) or displaces_incumbent(tender) is False:
        return
    if incumbent is None:
        yield _unknown_incumbent(needed_for)
        return
    if incumbent.staff == 0:
        return
    plan = tender.bid.transition_plan if tender.bid else None
    if plan:
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
        message=f"{incumbent.staff} of {possessive(name)} staff would transfer under TUPE or be lost, and the bid has no transition plan",
        action=(
            f"Agree a transition plan with {name} covering TUPE transfer and keeping key staff, "
            "or partner with them so their staff stay in the service"
        ),
        evidence={"incumbent": name, "staff": incumbent.staff, "transition_plan": False},
    )


@rule(
    "IMP005",
    title="Impact on the local sector",
    recommendation=CALCULATE_THE_IMPACT,
    severity=Severity.CONCERN,
    examples=[
        Example(
            "Displacing a local incumbent where we have no presence is a concern",
            "tender: {areas: [Leeds]}\nincumbent: {name: Leeds Project, local: true}\nbid: {incumbent_approach: compete}",
            Severity.CONCERN,
            _OUR_PROFILE,
        ),
        Example(
            "Where we already deliver, it holds",
            "tender: {areas: [Hackney]}\nincumbent: {name: Hackney Project, local: true}\nbid: {incumbent_approach: compete}",
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

    The guidance asks bidders to consider the impact on "the local sector" as well as on
    the existing organisation. The rule fires when the incumbent is local or user-led and
    we have no presence in any of the tender's areas (``organisation.areas`` against
    ``tender.areas``, compared by the gazetteer: ``presence``, SPEC §1.1).

    Refinement: when the bid partners with or supports the incumbent, the local provider
    stays in the service, so the rule holds.
    """
    incumbent = tender.incumbent
    needed_for = "whether winning would take the service out of the local sector"
    if isinstance(incumbent, (NoIncumbent, WeAreIncumbent)) or displaces_incumbent(tender) is False:
        return
    if incumbent is None:
        yield _unknown_incumbent(needed_for)
        return
    if incumbent.local is False and incumbent.user_led is False:
        return
    if not tender.tender.areas:
        yield Finding.unknown("tender.areas", "Where is the service delivered?", needed_for=needed_for)
        return
    if not context.organisation.areas:
        yield Finding.unknown("organisation.areas", "Where does your organisation already deliver? List the areas in bidcheck.yaml.", needed_for=needed_for)
        return
    if presence(context.organisation.areas, tender.tender.areas):
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
            f"{name} is {kind}, and you have no presence in {', '.join(tender.tender.areas)} "
            f"(you deliver in {', '.join(context.organisation.areas)})"
        ),
        action=(
            f"Keep the service rooted locally: partner with {name} or support their bid, or bring in local "
            "organisations as real partners through local infrastructure (the CVS); otherwise, do not bid"
        ),
        evidence={"incumbent": name, "local": incumbent.local, "user_led": incumbent.user_led,
                  "tender_areas": list(tender.tender.areas), "our_areas": list(context.organisation.areas)},
    )


@rule(
    "IMP006",
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
            "incumbent: {name: Local Project, local: true, years_delivering: 8}\nbid: {incumbent_approach: compete, transition_plan: false}",
            Severity.CONCERN,
        ),
        Example(
            "A transition plan holds",
            "incumbent: {name: Local Project, local: true, years_delivering: 8}\nbid: {incumbent_approach: compete, transition_plan: true}",
            None,
        ),
        Example(
            "Unknown years of delivery are asked about",
            "incumbent: {name: Local Project, local: true}\nbid: {incumbent_approach: compete, transition_plan: false}",
            Severity.UNKNOWN,
        ),
    ],
)
def impact_on_beneficiaries(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """People using a service lose relationships when a long-standing local provider goes.

    After the impact on organisations, the guidance asks bidders to consider "the impact
    this would have on their beneficiaries, such as loss of community connection and
    stability". The rule fires when the bid would displace a local incumbent that has
    delivered for at least ``incumbent_established_years`` and there is no transition plan.
    """
    incumbent = tender.incumbent
    needed_for = "whether people using the service would lose established relationships"
    if isinstance(incumbent, (NoIncumbent, WeAreIncumbent)):
        return
    if incumbent is None:
        yield _unknown_incumbent(needed_for)
        return
    displaced = displaces_incumbent(tender)
    plan = tender.bid.transition_plan if tender.bid else None
    established = context.threshold("incumbent_established_years")
    years = incumbent.years_delivering
    if displaced is False or incumbent.local is False or plan or (years is not None and years < established):
        return
    missing = [
        (name, question)
        for name, question, value in (
            ("incumbent.local", "Is the incumbent rooted in the delivery area?", incumbent.local),
            ("incumbent.years_delivering", "How many years has the incumbent delivered this service?", years),
            ("bid.incumbent_approach", "Will you partner with the incumbent, support their bid, or compete against them?", displaced),
            ("bid.transition_plan", "Do you have a plan to keep continuity for current service users?", plan),
        )
        if value is None
    ]
    if missing:
        for name, question in missing:
            yield Finding.unknown(name, question, needed_for=needed_for)
        return
    name = incumbent.name or "the incumbent"
    yield Finding(
        field="bid.transition_plan",
        message=(
            f"{name} is local and has delivered for {years:g} years (threshold {established:g}); "
            "displacing it with no transition plan risks people's connection to the service and its stability"
        ),
        action=(
            f"Plan continuity for current users with {name} (keep workers, venues and referral routes), "
            "or partner with them or support their bid instead"
        ),
        evidence={"incumbent": name, "years_delivering": years, "threshold_years": established, "transition_plan": False},
    )
