"""The questions every "Calculate the impact" rule asks about the incumbent when a fact is missing.

Not a rules module (the leading underscore keeps the loader out): the rules in ``impact*.py``
ask these in the same words, so a bid team answers each question once.
"""

from __future__ import annotations

from bidcheck.api import Displacement, Finding, Incumbent, Severity

_NEW_SERVICE_QUESTION = (
    "Who delivers this service now? Give their name, income, performance and staff, "
    "or write `incumbent: none` for a new service."
)
APPROACH_QUESTION = "Will you partner with the incumbent, support their bid, or compete against them?"


def unknown_incumbent(needed_for: str) -> Finding:
    """``incumbent`` is left out: who delivers the service now?"""
    return Finding.unknown("incumbent", _NEW_SERVICE_QUESTION, needed_for=needed_for)


def unknown_approach(needed_for: str) -> Finding:
    """``bid.incumbent_approach`` is left out: partner, support or compete?"""
    return Finding.unknown("bid.incumbent_approach", APPROACH_QUESTION, needed_for=needed_for)


def unevidenced_partnering(incumbent: Incumbent, needed_for: str) -> Finding:
    """``incumbent_approach: partner`` with the incumbent nowhere among the partners (SPEC §2.1):
    the claim cannot be relied on, so ask for the incumbent as a partner with its share and agreement."""
    name = incumbent.name or "the incumbent"
    question = (
        f"Is {name} really your partner? Add them under partners (their name as the incumbent's), with the share "
        "of the contract they would receive (value_pct) and the state of your agreement (agreement: signed, draft or none)."
    )
    return Finding(
        field="bid.incumbent_approach",
        message=f"the bid says it partners with the incumbent, but {name} is not among the partners: bidcheck cannot check {needed_for}",
        action=f"Add {name} to partners with value_pct and agreement, or say how you will treat them (support or compete)",
        evidence={"incumbent": name, "incumbent_approach": "partner", "incumbent_among_partners": False},
        severity=Severity.UNKNOWN,
        question=question,
    )


def unknown_displacement(incumbent: Incumbent, found: Displacement, needed_for: str) -> Finding:
    """Whether the incumbent is displaced is not known: the partnership is unevidenced, or the approach missing."""
    if found.unevidenced:
        return unevidenced_partnering(incumbent, needed_for)
    return unknown_approach(needed_for)
