"""The questions several built-in rules ask when a fact is missing: about the incumbent (the
``impact*.py`` rules) and about where we and our partners are present (IMP005, MIS003).

Not a rules module (the leading underscore keeps the loader out): the rules ask these in the same
words, so a bid team answers each question once.
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    AreaPresence,
    Context,
    Displacement,
    Finding,
    Incumbent,
    NoIncumbent,
    Severity,
    TenderFile,
    WeAreIncumbent,
    area_presence,
    displacement,
)

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


def incumbent_displacement(tender: TenderFile, needed_for: str) -> Iterator[Finding]:
    """The incumbent and what winning does to it (``displacement``), for rules about an incumbent
    that is someone else: None on a new service or a re-bid, and None after asking who it is when
    it is left out. Use as ``known = yield from incumbent_displacement(tender, needed_for)``."""
    incumbent = tender.incumbent
    if isinstance(incumbent, (NoIncumbent, WeAreIncumbent)):
        return None
    if incumbent is None:
        yield unknown_incumbent(needed_for)
        return None
    return incumbent, displacement(tender)


def presence_gaps(tender: TenderFile, context: Context, needed_for: str) -> Iterator[Finding]:
    """The tender's areas by who is present there (``area_presence``) when, in one or more, neither we
    nor a local partner are; None when every area is covered, or after asking for the areas that are
    missing. Use as ``found = yield from presence_gaps(tender, context, needed_for)``."""
    if not tender.tender.areas:
        yield Finding.unknown("tender.areas", "Where is the service delivered?", needed_for=needed_for)
        return None
    found: list[AreaPresence] = area_presence(context.organisation.areas, tender)
    if all(place.covered for place in found):
        return None
    if not context.organisation.areas:
        yield Finding.unknown("organisation.areas", "Where does your organisation already deliver? List the areas in bidcheck.yaml.", needed_for=needed_for)
        return None
    return found
