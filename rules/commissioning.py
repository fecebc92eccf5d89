"""Recognise your power: organisations that recognise their power "recognise the opportunities
they have to influence commissioning and procurement practice" (guidance/002_da80ac9788ba7218.txt,
"Draft recommendations: System view"). COM001 cites that recommendation itself, so its findings
are grouped with the other "Recognise your power" rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    MIN_RESPONSE_DAYS,
    RECOGNISE_YOUR_POWER,
    Context,
    Example,
    Finding,
    Severity,
    TenderFile,
    Threshold,
    format_money,
    format_percentage,
    rule,
)

MAX_PRICE_WEIGHT = Threshold(
    "max_price_weight_pct",
    50,
    "Price weighted above this share of the award favours the cheapest bid over the best service, "
    "which shuts out organisations that price at full cost.",
)
SMALL_ORGANISATION_INCOME = Threshold(
    "small_organisation_income",
    1_000_000,
    "At or below this annual income we are a small organisation ourselves; above it, a competition reserved "
    "for SMEs or VCSEs is meant for others (the final report's local organisations feel national charities "
    'arrive "as soon as a contract reaches just over £1m").',
    unit="£",
)
_BIG = "organisation: {annual_income: £45m}"


@rule(
    "COM001",
    reads=("tender", "organisation"),
    title="Commissioning that shuts out smaller organisations",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    thresholds=[MAX_PRICE_WEIGHT, MIN_RESPONSE_DAYS, SMALL_ORGANISATION_INCOME],
    examples=[
        Example("Price weighted at 60% is a concern", "tender: {award_weights: {price: 60, quality: 40}}", Severity.CONCERN),
        Example("A 14-day response window is a concern", "tender: {published: 2026-11-01, deadline: 2026-11-15}", Severity.CONCERN),
        Example("Bidding for a competition reserved for VCSEs at £45m is a concern", "tender: {reserved_for: [vcse]}", Severity.CONCERN, _BIG),
        Example("A participation fee is noted", "tender: {participation_fee_pct: 0.6}", Severity.INFO),
        Example(
            "Quality-led weights and a 45-day window hold",
            "tender: {award_weights: {price: 30, quality: 60, social_value: 10}, published: 2026-11-01, deadline: 2026-12-16}",
            None,
        ),
        Example("A small organisation may bid for a reserved competition", "tender: {reserved_for: [sme, vcse]}", None, "organisation: {annual_income: £400k}"),
        Example("Missing procurement details are silent (it never asks)", "bid: {role: prime}", None),
    ],
)
def commissioning_design(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Say so when the buyer's design shuts out smaller organisations, and support them instead.

    "Recognise your power" (System view) says organisations with income of "£5 million or £50
    million" that recognise their power "recognise the opportunities they have to influence
    commissioning and procurement practice" and support organisations that share their mission;
    the final report ("Motivations and drivers") finds commissioning practice the driving force
    behind damaging behaviour. One finding per design issue, at its field: price weighted above
    ``max_price_weight_pct``; a response window (``published`` to ``deadline``) shorter than
    ``min_response_days``, light touch or not; a competition ``reserved_for`` SMEs or VCSEs while
    our income is above ``small_organisation_income``; a participation fee (info). Each action
    says what to ask the buyer for and how to support smaller organisations instead. A missing
    field is silent: this rule never asks (it reports on the buyer, not on our bid).
    """
    yield from _price_weight(tender, context)
    yield from _response_window(tender, context)
    yield from _reserved(tender, context)
    yield from _participation_fee(tender)


def _price_weight(tender: TenderFile, context: Context) -> Iterator[Finding]:
    weights = tender.tender.award_weights
    limit = context.threshold(MAX_PRICE_WEIGHT.name)
    if weights is None or weights.price is None or weights.price <= limit:
        return
    yield Finding(
        field="tender.award_weights.price",
        message=(
            f"the buyer weights price at {format_percentage(weights.price)} of the award (above {format_percentage(limit)}): "
            "the cheapest bid wins, and smaller organisations that price at full cost are shut out"
        ),
        action=(
            f"Ask the buyer to weight quality and social value above price (price at most {format_percentage(limit)}); "
            "do not undercut smaller local organisations: bid with them at full cost"
        ),
        evidence={
            "price_weight_pct": weights.price,
            "quality_weight_pct": weights.quality,
            "social_value_weight_pct": weights.social_value,
            "max_price_weight_pct": limit,
        },
    )


def _response_window(tender: TenderFile, context: Context) -> Iterator[Finding]:
    days, limit = tender.tender.response_days, context.threshold(MIN_RESPONSE_DAYS.name)
    if days is None or days < 0 or days >= limit:
        return  # a deadline before publication is a typo, not a window
    light_touch = tender.tender.light_touch
    regime = " under the light-touch regime, which leaves the buyer free to allow longer" if light_touch else ""
    yield Finding(
        field="tender.deadline",
        message=(
            f"the response window is {days} days (published {tender.tender.published}, deadline {tender.tender.deadline}){regime}, "
            f"shorter than {MIN_RESPONSE_DAYS.format(limit)}: smaller organisations cannot build a bid or a partnership in it"
        ),
        action=(
            f"Ask the buyer for at least {MIN_RESPONSE_DAYS.format(limit)} to respond, and for early market engagement next time; "
            "share what you know of the opportunity with smaller local organisations now so they can respond"
        ),
        evidence={
            "published": tender.tender.published.isoformat() if tender.tender.published else None,
            "deadline": tender.tender.deadline.isoformat() if tender.tender.deadline else None,
            "response_days": days,
            "min_response_days": limit,
            "light_touch": light_touch,
        },
    )


def _reserved(tender: TenderFile, context: Context) -> Iterator[Finding]:
    reserved, ours = tender.tender.reserved_for, context.organisation.annual_income
    limit = context.threshold(SMALL_ORGANISATION_INCOME.name)
    if not reserved or ours is None or ours <= limit:
        return
    names = " and ".join(kind.upper() for kind in reserved)
    yield Finding(
        field="tender.reserved_for",
        message=(
            f"the buyer reserved this competition for {names}s, and our income ({format_money(ours)}) is above "
            f"{format_money(limit)}: the reservation is there to let smaller organisations win"
        ),
        action=(
            "Leave this competition to the smaller organisations it is reserved for; support them instead "
            "(bid writing, back office, social finance, or as their subcontractor if they ask)"
        ),
        evidence={"reserved_for": list(reserved), "our_income": ours, "small_organisation_income": limit},
    )


def _participation_fee(tender: TenderFile) -> Iterator[Finding]:
    fee = tender.tender.participation_fee_pct
    if not fee:
        return
    value = tender.tender.value
    cost = f" ({format_money(value * fee / 100)} on {format_money(value)})" if value is not None else ""
    yield Finding(
        field="tender.participation_fee_pct",
        message=f"the winner pays a participation fee of {format_percentage(fee)} of the contract value{cost}",
        action=(
            "Ask the buyer to waive or cap the fee for small and voluntary organisations; include it in full cost, "
            "and in any share passed to partners"
        ),
        evidence={"participation_fee_pct": fee, "value": value},
        severity=Severity.INFO,
    )
