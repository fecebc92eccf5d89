"""Recognise your power: refuse loss-making bids (guidance/002_da80ac9788ba7218.txt,
"Draft recommendations", System view, "Recognise your power").

PWR001 escalates to a blocker when the organisation has adopted ``refuse_loss_making_bids``
under ``policies:`` in its config, and is a concern otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    RECOGNISE_YOUR_POWER,
    Context,
    Example,
    Finding,
    Severity,
    TenderFile,
    format_money,
    format_percentage,
    rule,
)

from bidcheck_rules._clearing import PRICE_AT_FULL_COST

from bidcheck_rules._power import POLICIES_ADOPTED

_NEEDED_FOR = "whether the bid covers its costs"


@rule(
    "PWR001",
    reads=("bid.price", "bid.full_cost", "bid.expected_results_pct", "tender.results_pct"),
    clears=(PRICE_AT_FULL_COST,),
    title="Loss-making bid",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    policy="refuse_loss_making_bids",
    examples=[
        Example(
            "A price below the full cost of delivery, under the policy, blocks",
            'bid: {price: "£1.15m", full_cost: "£1.23m"}',
            Severity.BLOCKER,
            POLICIES_ADOPTED,
        ),
        Example(
            "Without the policy it is a concern",
            'bid: {price: "£1.15m", full_cost: "£1.23m"}',
            Severity.CONCERN,
        ),
        Example("A price that covers full cost holds", 'bid: {price: "£1.3m", full_cost: "£1.23m"}', None),
        Example("An unknown full cost is asked for", 'bid: {price: "£1.3m"}', Severity.UNKNOWN, POLICIES_ADOPTED),
        Example(
            "A price equal to full cost with 30% paid on results, of which half is expected, loses money",
            'tender: {results_pct: 30}\nbid: {price: "£1.2m", full_cost: "£1.2m", expected_results_pct: 50}',
            Severity.BLOCKER,
            POLICIES_ADOPTED,
        ),
        Example(
            "Results expected in full cover full cost",
            'tender: {results_pct: 30}\nbid: {price: "£1.2m", full_cost: "£1.2m", expected_results_pct: 100}',
            None,
            POLICIES_ADOPTED,
        ),
        Example(
            "A fixed part short of full cost with no expectation of results is asked about",
            'tender: {results_pct: 30}\nbid: {price: "£1.2m", full_cost: "£1.2m"}',
            Severity.UNKNOWN,
            POLICIES_ADOPTED,
        ),
        Example(
            "A fixed part that alone covers full cost holds without an expectation",
            'tender: {results_pct: 10}\nbid: {price: "£1.5m", full_cost: "£1.2m"}',
            None,
            POLICIES_ADOPTED,
        ),
    ],
)
def loss_making_bid(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """A bid priced below the full cost of delivery is subsidised from elsewhere.

    The emerging findings name loss-making bids among the practices through which larger
    organisations win work from smaller ones, which cannot subsidise a contract and so
    cannot match the price. "Refusing to submit loss-making bids" is the first of the
    policies listed under *Recognise your power* (Rebalancing the Relationship, emerging
    findings, "Draft recommendations", System view). Full cost means the cost of delivery
    including overheads (pounds), over the same term as the price.

    Version 2 (SPEC §2.1): a price below full cost is loss-making whatever the results. Under
    payment by results (``tender.results_pct`` above 0) a price at or above full cost still
    loses money when too little of the results part is earned: the income to expect is the
    fixed part plus the results part at ``bid.expected_results_pct`` (percent 0-100), and it
    is compared with full cost. When that expectation is missing and the fixed part alone does
    not cover full cost, the rule asks for it (``unknown``). The finding shows the fixed part,
    the results part, the expected income and the full cost.
    """
    bid = tender.bid
    price = bid.price if bid else None
    full_cost = bid.full_cost if bid else None
    if price is None:
        yield Finding.unknown("bid.price", "What price will you bid for the initial term?", needed_for=_NEEDED_FOR)
    if full_cost is None:
        yield Finding.unknown(
            "bid.full_cost",
            "What is the full cost of delivering the service, overheads included, over the same term as the price?",
            needed_for=_NEEDED_FOR,
        )
    if price is None or full_cost is None:
        return
    if price < full_cost:
        yield _below_full_cost(price, full_cost)
        return
    results_pct = tender.tender.results_pct
    if not results_pct:
        return
    results_part = price * results_pct / 100
    fixed_part = price - results_part
    if fixed_part >= full_cost:
        return  # covered whatever the results
    expected_pct = bid.expected_results_pct if bid else None
    if expected_pct is None:
        yield Finding.unknown(
            "bid.expected_results_pct",
            f"What share of the results-linked payment ({format_percentage(results_pct)} of the price, "
            f"{format_money(results_part)}) do you expect to earn? The fixed part, {format_money(fixed_part)}, "
            f"does not cover the full cost of {format_money(full_cost)} on its own.",
            needed_for="whether the bid covers its costs under payment by results",
        )
        return
    expected_income = fixed_part + results_part * expected_pct / 100
    if expected_income >= full_cost:
        return
    shortfall = full_cost - expected_income
    yield Finding(
        field="bid.price",
        message=(
            f"{format_percentage(results_pct)} of the {format_money(price)} price is paid on results: the fixed part "
            f"{format_money(fixed_part)} plus {format_percentage(expected_pct)} of the {format_money(results_part)} "
            f"results part is {format_money(expected_income)} expected income, {format_money(shortfall)} below the "
            f"full cost of delivery, {format_money(full_cost)}: the bid would lose money"
        ),
        action=(
            f"Reprice so that the income you expect covers the full cost ({format_money(full_cost)}), or negotiate "
            "a smaller results-based share with the buyer; do not subsidise the contract from reserves"
        ),
        evidence={
            "price": price,
            "full_cost": full_cost,
            "results_pct": results_pct,
            "fixed_part": fixed_part,
            "results_part": results_part,
            "expected_results_pct": expected_pct,
            "expected_income": expected_income,
            "shortfall": shortfall,
            "shortfall_pct": round(shortfall / full_cost * 100, 1),
        },
    )


def _below_full_cost(price: float, full_cost: float) -> Finding:
    shortfall = full_cost - price
    shortfall_pct = shortfall / full_cost * 100
    return Finding(
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
