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
    displaces_incumbent,
    format_money,
    format_percentage,
    income_band,
    is_smaller,
    rule,
)

_POLICIES_ADOPTED = """
policies: {refuse_loss_making_bids: true, no_compete_with_smaller: true}
organisation: {annual_income: "£45m"}
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
    if isinstance(incumbent, NoIncumbent):
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
