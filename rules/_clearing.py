"""Choices that clear several rules: what "what it would take" may propose (SPEC §5).

Values are computed from the tender; None proposes nothing for that tender.
"""

from __future__ import annotations

import math
from typing import Any

from bidcheck.api import Incumbent, TenderFile, add_to, format_money, set_to


def incumbent_as_partner(tender: TenderFile, index: int | None) -> dict[str, Any] | None:
    """The incumbent as our subcontractor, on fair terms, keeping the income this contract gives it now.

    Its share of the value (percent 0-100) is its income from the contract now (contract share of
    its annual income) over the contract's annual value, at most half (we deliver too); half when unknown.
    """
    incumbent = tender.incumbent
    if not isinstance(incumbent, Incumbent) or not incumbent.name:
        return None
    if any(partner.name.casefold() == incumbent.name.casefold() for partner in tender.partners):
        return None
    annual_value, income = tender.tender.annual_value, incumbent.annual_income
    share = incumbent.contract_share_pct
    if share is None and annual_value and income:
        share = min(100.0, annual_value / income * 100)
    value_pct = 50.0
    if share is not None and annual_value and income:
        value_pct = min(50, math.ceil(share / 100 * income / annual_value * 100))
    partner: dict[str, Any] = {
        "name": incumbent.name,
        "role": "subcontractor",
        "value_pct": value_pct,
        "delivers": "the service it delivers now",
        "agreement": "signed",
        "consented": True,
        "shaped_bid": True,
        "exclusivity": False,
        "management_fee_pct": 0,
        "results_pct": 0,
        "engaged": "before-publication",
    }
    if income is not None:
        partner["annual_income"] = income
    if incumbent.local is not None:
        partner["local"] = incumbent.local
    return partner


def _partnered(tender: TenderFile, index: int | None, value: Any) -> str:
    return f"partner with {value['name']} ({value['value_pct']:g}% of the value, a signed agreement)"


PARTNER_THE_INCUMBENT = set_to("bid.incumbent_approach", "partner", says="approach the incumbent as a partner") & add_to(
    "partners", incumbent_as_partner, says=_partnered
)


def _price_covering(tender: TenderFile, index: int | None) -> float | None:
    """The least price (pounds) whose fixed part alone covers full cost."""
    bid = tender.bid
    if bid is None or bid.full_cost is None:
        return None
    fixed_share = 1 - (tender.tender.results_pct or 0) / 100
    if fixed_share <= 0:
        return None
    return float(math.ceil(bid.full_cost / fixed_share))


PRICE_AT_FULL_COST = set_to("bid.price", _price_covering, says=lambda tender, index, value: f"price at least {format_money(value)}")
TRANSITION_PLAN = set_to("bid.transition_plan", True, says="plan the transition for current service users")
