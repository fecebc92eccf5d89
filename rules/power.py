"""Recognise your power: the policies larger organisations adopt so that their size does
not harm others (guidance/002_da80ac9788ba7218.txt, "Draft recommendations", System view).

Each rule here escalates to a blocker when the organisation has adopted the matching
policy under ``policies:`` in its config, and is a concern otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    RECOGNISE_YOUR_POWER,
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
    possessive,
    rule,
)

_POLICIES_ADOPTED = """
policies: {refuse_loss_making_bids: true, no_compete_with_smaller: true, no_exclusivity_clauses: true, no_bid_candy: true}
organisation: {annual_income: "£45m", free_reserves: "£2m"}
"""


@rule(
    "PWR001",
    title="Loss-making bid",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    policy="refuse_loss_making_bids",
    examples=[
        Example(
            "A price below the full cost of delivery, under the policy, blocks",
            'bid: {price: "£1.15m", full_cost: "£1.23m"}',
            Severity.BLOCKER,
            _POLICIES_ADOPTED,
        ),
        Example(
            "Without the policy it is a concern",
            'bid: {price: "£1.15m", full_cost: "£1.23m"}',
            Severity.CONCERN,
        ),
        Example("A price that covers full cost holds", 'bid: {price: "£1.3m", full_cost: "£1.23m"}', None),
        Example("An unknown full cost is asked for", 'bid: {price: "£1.3m"}', Severity.UNKNOWN, _POLICIES_ADOPTED),
    ],
)
def loss_making_bid(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """A bid priced below the full cost of delivery is subsidised from elsewhere.

    The emerging findings name loss-making bids among the practices through which larger
    organisations win work from smaller ones, which cannot subsidise a contract and so
    cannot match the price. "Refusing to submit loss-making bids" is the first of the
    policies listed under *Recognise your power*. Full cost means the cost of delivery
    including overheads, over the same term as the price.
    """
    bid = tender.bid
    price = bid.price if bid else None
    full_cost = bid.full_cost if bid else None
    if price is None:
        yield Finding.unknown(
            "bid.price",
            "What price will you bid for the initial term?",
            needed_for="whether the bid covers its costs",
        )
    if full_cost is None:
        yield Finding.unknown(
            "bid.full_cost",
            "What is the full cost of delivering the service, overheads included, over the same term as the price?",
            needed_for="whether the bid covers its costs",
        )
    if price is None or full_cost is None or price >= full_cost:
        return
    shortfall = full_cost - price
    shortfall_pct = shortfall / full_cost * 100
    yield Finding(
        field="bid.price",
        message=(
            f"bid price {format_money(price)} is {format_money(shortfall)} ({format_percentage(shortfall_pct)}) "
            f"below the full cost of delivery, {format_money(full_cost)}: the bid would lose money"
        ),
        action=(
            f"Reprice to at least the full cost ({format_money(full_cost)}), or agree a smaller scope with the buyer "
            "that the price does cover; do not subsidise the contract from reserves, which undercuts providers who cannot"
        ),
        evidence={
            "price": price,
            "full_cost": full_cost,
            "shortfall": shortfall,
            "shortfall_pct": round(shortfall_pct, 1),
        },
    )


@rule(
    "PWR002",
    title="Competing with a smaller local organisation",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    policy="no_compete_with_smaller",
    examples=[
        Example(
            "Competing against a smaller local incumbent, under the policy, blocks",
            """
incumbent: {name: Local Project, annual_income: "£420k", local: true}
bid: {incumbent_approach: compete}
""",
            Severity.BLOCKER,
            _POLICIES_ADOPTED,
        ),
        Example(
            "Partnering with the incumbent holds",
            """
incumbent: {name: Local Project, annual_income: "£420k", local: true}
bid: {incumbent_approach: partner}
""",
            None,
            _POLICIES_ADOPTED,
        ),
        Example(
            "An incumbent in the same income band is not smaller",
            """
incumbent: {name: Big Charity, annual_income: "£30m", local: true}
bid: {incumbent_approach: compete}
""",
            None,
            _POLICIES_ADOPTED,
        ),
        Example(
            "An unknown incumbent income is asked for",
            """
incumbent: {name: Local Project, local: true}
bid: {incumbent_approach: compete}
""",
            Severity.UNKNOWN,
            _POLICIES_ADOPTED,
        ),
    ],
)
def competing_with_smaller(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Bidding to displace a smaller, local incumbent uses your size against them.

    The guidance found it rare for larger organisations to say they would not compete with
    small, local ones, and lists a "no compete" policy with smaller organisations among the
    policies of organisations that recognise their power. "Smaller" means a lower NCVO
    income band (micro, small, medium, large, major, super-major) than ours.

    Refinement: the incumbent is displaced unless the bid partners with or supports them
    (SPEC §2), so ``incumbent_approach: not-contacted`` counts as competing: a bid made
    without speaking to the incumbent competes with them whether or not it means to.
    """
    incumbent = tender.incumbent
    if isinstance(incumbent, (NoIncumbent, WeAreIncumbent)):
        return
    if incumbent is None:
        yield Finding.unknown(
            "incumbent",
            "Who delivers this service now? Give their name, annual income and whether they are local, "
            "or write `incumbent: none` for a new service.",
            needed_for="whether you would be competing with a smaller local organisation",
        )
        return
    displaced = displaces_incumbent(tender)
    our_income = context.organisation.annual_income
    smaller = is_smaller(incumbent.annual_income, our_income)
    if displaced is False or incumbent.local is False or smaller is False:
        return
    needed_for = "whether you would be competing with a smaller local organisation"
    unknowns = []
    if displaced is None:
        unknowns.append(
            Finding.unknown(
                "bid.incumbent_approach",
                "Will you partner with the incumbent, support their bid, or compete against them?",
                needed_for=needed_for,
            )
        )
    if incumbent.local is None:
        unknowns.append(
            Finding.unknown("incumbent.local", "Is the incumbent rooted in the delivery area?", needed_for=needed_for)
        )
    if incumbent.annual_income is None:
        unknowns.append(
            Finding.unknown(
                "incumbent.annual_income",
                "What is the incumbent's annual income? Their latest accounts on the charity or company register give it.",
                needed_for=needed_for,
            )
        )
    if our_income is None:
        unknowns.append(
            Finding.unknown(
                "organisation.annual_income",
                "What is your organisation's annual income? Set it in bidcheck.yaml.",
                needed_for=needed_for,
            )
        )
    if unknowns:
        yield from unknowns
        return
    assert incumbent.annual_income is not None and our_income is not None  # narrowed by `smaller` above
    name = incumbent.name or "the incumbent"
    their_band, our_band = income_band(incumbent.annual_income), income_band(our_income)
    how = "compete against them" if tender.bid and tender.bid.incumbent_approach == "compete" else (
        "bid without having contacted them"
    )
    user_led = ", user-led" if incumbent.user_led else ""
    yield Finding(
        field="bid.incumbent_approach",
        message=(
            f"{name} (income {format_money(incumbent.annual_income)}, {their_band.label}) is smaller than you "
            f"({format_money(our_income)}, {our_band.label}) and local{user_led}, and you plan to {how}"
        ),
        action=(
            f"Do not compete with {name}: offer to partner with them or subcontract to them, support their bid, "
            "or form a consortium or alliance with them; if they are leaving the service, record that in a waiver"
        ),
        evidence={
            "incumbent": name,
            "incumbent_income": incumbent.annual_income,
            "incumbent_band": their_band.label,
            "our_income": our_income,
            "our_band": our_band.label,
            "local": True,
            "user_led": incumbent.user_led,
            "incumbent_approach": tender.bid.incumbent_approach if tender.bid else None,
        },
    )


def _partner_example(**fields: object) -> str:
    base = {"name": "Local Forum", "annual_income": '"£90k"', "local": "true", "value_pct": 15,
            "delivers": "outreach", "consented": "true", "exclusivity": "false"}
    base.update(fields)
    return "partners:\n  - {" + ", ".join(f"{key}: {value}" for key, value in base.items()) + "}"


@rule(
    "PWR003",
    title="Exclusivity clause on a smaller partner",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    policy="no_exclusivity_clauses",
    examples=[
        Example("Binding a smaller partner to bid only with us, under the policy, blocks", _partner_example(exclusivity="true"), Severity.BLOCKER, _POLICIES_ADOPTED),
        Example("Without the policy it is a concern", _partner_example(exclusivity="true"), Severity.CONCERN, 'organisation: {annual_income: "£45m"}'),
        Example("No exclusivity holds", _partner_example(), None, _POLICIES_ADOPTED),
        Example("Unknown exclusivity is asked about", _partner_example(exclusivity="null"), Severity.UNKNOWN, _POLICIES_ADOPTED),
    ],
)
def exclusivity_clause(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Exclusivity stops a smaller partner working with anyone else on the opportunity.

    "Not binding smaller organisations to exclusivity clauses" is one of the policies of
    organisations that recognise their power. It fires for each partner that is smaller
    than us (a lower NCVO income band) and is bound to bid only with us.
    """
    our_income = context.organisation.annual_income
    for index, partner in enumerate(tender.partners):
        where = f"partners[{index}]"
        needed_for = f"whether {partner.name} is a smaller partner bound to bid only with you"
        if partner.exclusivity is False:
            continue
        smaller = is_smaller(partner.annual_income, our_income)
        if smaller is False:
            continue
        if partner.exclusivity is None:
            yield Finding.unknown(f"{where}.exclusivity", f"Is {partner.name} bound to bid only with you?", needed_for=needed_for)
            continue
        if smaller is None:
            field_name = f"{where}.annual_income" if partner.annual_income is None else "organisation.annual_income"
            yield Finding.unknown(field_name, "What is its annual income?", needed_for=needed_for)
            continue
        assert partner.annual_income is not None and our_income is not None
        yield Finding(
            field=f"{where}.exclusivity",
            message=(
                f"{partner.name} (income {format_money(partner.annual_income)}, {income_band(partner.annual_income).label}) "
                f"is smaller than you ({format_money(our_income)}, {income_band(our_income).label}) and bound to bid only with you"
            ),
            action=f"Remove the exclusivity clause: let {partner.name} work with other bidders too",
            evidence={"partner": partner.name, "partner_income": partner.annual_income, "our_income": our_income, "exclusivity": True},
        )


_NOTHING = {"none", "nothing", "n/a", "na", "-", "tbc", "tbd"}


@rule(
    "PWR004",
    title="Bid candy",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    policy="no_bid_candy",
    thresholds=[
        Threshold("min_partner_value_pct", 5, "Smallest share of the contract value a named partner should receive."),
    ],
    examples=[
        Example("A partner named without consent, under the policy, blocks", _partner_example(consented="false"), Severity.BLOCKER, _POLICIES_ADOPTED),
        Example("A token 2% share is bid candy", _partner_example(value_pct=2), Severity.BLOCKER, _POLICIES_ADOPTED),
        Example("A partner who delivers nothing is bid candy", _partner_example(delivers="none"), Severity.BLOCKER, _POLICIES_ADOPTED),
        Example("A consenting partner with a real share and role holds", _partner_example(), None, _POLICIES_ADOPTED),
        Example("Unknown consent is asked about", _partner_example(consented="null"), Severity.UNKNOWN, _POLICIES_ADOPTED),
    ],
)
def bid_candy(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Naming a smaller organisation to win a bid, without giving it real work, is bid candy.

    The guidance lists "not using smaller organisations as bid candy" among the policies of
    organisations that recognise their power; the NCVO/Serco Code of Practice for prime
    contractors says a prime delivers with the organisations named in its bid. A partner is
    bid candy when it has not consented to be named, receives less than
    ``min_partner_value_pct`` of the contract value, or delivers nothing.
    """
    minimum = context.threshold("min_partner_value_pct")
    for index, partner in enumerate(tender.partners):
        where = f"partners[{index}]"
        needed_for = f"whether {partner.name} has a real role in the bid"
        reasons: list[tuple[str, str]] = []
        if partner.consented is False:
            reasons.append(("consented", "has not agreed to be named in the bid"))
        if partner.value_pct is not None and partner.value_pct < minimum:
            reasons.append(("value_pct", f"would receive {format_percentage(partner.value_pct)} of the contract value, below {format_percentage(minimum)}"))
        if partner.delivers is not None and partner.delivers.strip().lower() in _NOTHING:
            reasons.append(("delivers", f"delivers nothing ({partner.delivers!r})"))
        if reasons:
            yield Finding(
                field=f"{where}.{reasons[0][0]}",
                message=f"{partner.name} " + "; ".join(text for _, text in reasons),
                action=(
                    f"Give {partner.name} a real, funded part in delivery that they have agreed to, "
                    f"worth at least {format_percentage(minimum)} of the value, or do not name them in the bid"
                ),
                evidence={"partner": partner.name, "consented": partner.consented, "value_pct": partner.value_pct,
                          "delivers": partner.delivers, "min_partner_value_pct": minimum},
            )
            continue
        for key, question in (
            ("consented", f"Has {partner.name} agreed to be named in the bid?"),
            ("value_pct", f"What share of the contract value will {partner.name} receive?"),
            ("delivers", f"What will {partner.name} deliver?"),
        ):
            if getattr(partner, key) is None:
                yield Finding.unknown(f"{where}.{key}", question, needed_for=needed_for)


@rule(
    "PWR005",
    title="Fair pricing: management fee",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    thresholds=[
        Threshold("max_management_fee_pct", 10, "Largest share of a partner's allocation the lead should keep as a management fee."),
    ],
    examples=[
        Example("A 15% top-slice is a concern", _partner_example(management_fee_pct=15), Severity.CONCERN),
        Example("An 8% fee holds", _partner_example(management_fee_pct=8), None),
        Example("An unknown fee is asked about", _partner_example(), Severity.UNKNOWN),
    ],
)
def management_fee(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """A high management fee ("top-slice") moves money from delivery to the lead.

    The guidance asks organisations to ensure "collaboration is fair, by putting in place fair
    pricing". Consortium management fees are commonly 5–10%, above 10% only exceptionally.
    Following SPEC §2 this stays a concern even under the ``fair_partner_terms`` policy; the
    message says when the fee breaches that adopted policy.
    """
    maximum = context.threshold("max_management_fee_pct")
    for index, partner in enumerate(tender.partners):
        fee = partner.management_fee_pct
        if fee is None:
            yield Finding.unknown(
                f"partners[{index}].management_fee_pct",
                f"What share of {possessive(partner.name)} allocation will you keep as a management fee?",
                needed_for="whether the partner's terms are fair",
            )
            continue
        if fee <= maximum:
            continue
        breach = "; this breaches your fair_partner_terms policy" if context.policies.fair_partner_terms else ""
        yield Finding(
            field=f"partners[{index}].management_fee_pct",
            message=f"you would keep {format_percentage(fee)} of {possessive(partner.name)} allocation, above the {format_percentage(maximum)} maximum{breach}",
            action=f"Cut the management fee to {format_percentage(maximum)} or less, and agree openly with {partner.name} what it pays for",
            evidence={"partner": partner.name, "management_fee_pct": fee, "max_management_fee_pct": maximum},
        )


@rule(
    "PWR006",
    title="Unsustainable payment by results",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    thresholds=[
        Threshold("max_partner_results_pct", 20, "Largest share of a smaller partner's payment that should depend on results."),
    ],
    examples=[
        Example("Passing 40% payment by results to a smaller partner is a concern", _partner_example(results_pct=40), Severity.CONCERN, _POLICIES_ADOPTED),
        Example(
            "Value at risk above free reserves is a concern",
            'tender: {value: "£10m", results_pct: 30}',
            Severity.CONCERN,
            _POLICIES_ADOPTED,
        ),
        Example("Modest results-based payment holds", 'tender: {value: "£1m", results_pct: 10}', None, _POLICIES_ADOPTED),
        Example("Unknown reserves are asked about", 'tender: {value: "£1m", results_pct: 10}', Severity.UNKNOWN),
    ],
)
def payment_by_results(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Payment by results shifts financial risk onto whoever can least afford it.

    The guidance warns against "operating unsustainable payment by results models", and the
    NCVO/Serco Code of Practice says a prime does not pass disproportionate financial risk
    to subcontractors. It fires when a smaller partner's ``results_pct`` exceeds
    ``max_partner_results_pct``, or when the value at risk (tender value × results_pct)
    exceeds our ``free_reserves``. Following SPEC §2 it is a concern, under any policy.
    """
    maximum = context.threshold("max_partner_results_pct")
    our_income = context.organisation.annual_income
    for index, partner in enumerate(tender.partners):
        share = partner.results_pct
        smaller = is_smaller(partner.annual_income, our_income)
        if smaller is False or (share is not None and share <= maximum):
            continue
        if share is None:
            yield Finding.unknown(
                f"partners[{index}].results_pct",
                f"What share of {possessive(partner.name)} payment will depend on results?",
                needed_for=f"whether {partner.name} carries unsustainable results risk",
            )
            continue
        if smaller is None:
            missing = f"partners[{index}].annual_income" if partner.annual_income is None else "organisation.annual_income"
            yield Finding.unknown(missing, "What is its annual income?", needed_for=f"whether {partner.name} is a smaller partner carrying results risk")
            continue
        yield Finding(
            field=f"partners[{index}].results_pct",
            message=f"{format_percentage(share)} of {possessive(partner.name)} payment depends on results, above the {format_percentage(maximum)} maximum for a smaller partner",
            action=f"Carry the results risk yourself: pay {partner.name} at least {format_percentage(100 - maximum)} up front for the work they do",
            evidence={"partner": partner.name, "results_pct": share, "max_partner_results_pct": maximum},
        )
    value, results = tender.tender.value, tender.tender.results_pct
    if not results:
        return
    reserves = context.organisation.free_reserves
    if value is None or reserves is None:
        missing = "tender.value" if value is None else "organisation.free_reserves"
        question = "What is the contract's total value?" if value is None else "What are your free reserves? Set organisation.free_reserves in bidcheck.yaml."
        yield Finding.unknown(missing, question, needed_for="whether the value at risk under payment by results exceeds your free reserves")
        return
    at_risk = value * results / 100
    if at_risk > reserves:
        yield Finding(
            field="tender.results_pct",
            message=(
                f"{format_percentage(results)} of the {format_money(value)} price is paid on results: {format_money(at_risk)} at risk, "
                f"more than your {format_money(reserves)} free reserves"
            ),
            action="Negotiate a lower results-based share with the buyer, or do not bid: a shortfall would threaten services and partners",
            evidence={"value": value, "results_pct": results, "value_at_risk": at_risk, "free_reserves": reserves},
        )
