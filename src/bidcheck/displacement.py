"""Who is displaced if we win, and whether we lead our partners (SPEC §2, §2.1 v2).

Two judgements every rule about the incumbent or about partners asks, in one place each:
:func:`displacement` (is the incumbent displaced? does it stop delivering? is a claimed
partnership evidenced?) and :func:`we_lead` (do we set our partners' terms?). Also the name
comparison they rely on (:func:`same_organisation`) and our share of the contract
(:func:`our_value_pct`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bidcheck.models import NoIncumbent, Partner, TenderFile, WeAreIncumbent

# Words that do not tell two organisations apart (SPEC §2.1: "Ltd"/"CIC"/"the").
_NOISE_WORDS = frozenset({"the", "ltd", "limited", "cic", "plc", "llp", "cio"})


def organisation_key(name: str) -> str:
    """A name compared ignoring case, punctuation and "Ltd"/"Limited"/"CIC"/"the"."""
    # Dotted initials are one word ("C.I.C." is "CIC"); other punctuation separates words.
    undotted = re.sub(r"(?<=\b\w)\.(?=\w\b)", "", name.casefold())
    words = re.sub(r"[^\w\s]|_", " ", undotted.replace("&", " and ")).split()
    return " ".join(word for word in words if word not in _NOISE_WORDS)


def same_organisation(first: str | None, second: str | None) -> bool:
    """True when the two names are one organisation's ("The Hackney Project Ltd" = "hackney project")."""
    if not first or not second:
        return False
    key = organisation_key(first)
    return bool(key) and key == organisation_key(second)


@dataclass(frozen=True)
class Displacement:
    """What winning would do to the incumbent.

    ``displaced``: True when winning displaces the incumbent, False when nobody is displaced
    (no incumbent, a re-bid, an incumbent not re-bidding, an evidenced partnership, support),
    None when not known. ``leaves``: whether the incumbent stops delivering (its staff and users
    need a transition) — True when displaced or not re-bidding. ``partner``: the index in
    ``partners`` of the incumbent when we partner with it. ``unevidenced``: the bid says
    ``incumbent_approach: partner`` but the incumbent is not among the partners, so the claim
    cannot be relied on (rules report ``unknown``). ``reason`` says which case applies.
    """

    displaced: bool | None
    leaves: bool | None
    reason: str
    partner: int | None = None
    unevidenced: bool = False


def incumbent_partner(tender: TenderFile) -> int | None:
    """The index in ``partners`` of the incumbent (by :func:`same_organisation`), or None."""
    incumbent = tender.incumbent
    name = getattr(incumbent, "name", None)
    return next((index for index, partner in enumerate(tender.partners) if same_organisation(partner.name, name)), None)


def displacement(tender: TenderFile) -> Displacement:
    """Would winning displace the incumbent? (SPEC §2, §2.1)"""
    incumbent = tender.incumbent
    if isinstance(incumbent, NoIncumbent):
        return Displacement(False, False, "there is no incumbent (a new service)")
    if isinstance(incumbent, WeAreIncumbent):
        return Displacement(False, False, "you are the incumbent (a re-bid)")
    if incumbent is None:
        return Displacement(None, None, "the incumbent is not known")
    if incumbent.rebidding is False:
        return Displacement(False, True, "the incumbent is not bidding again")
    approach = tender.bid.incumbent_approach if tender.bid else None
    if approach is None:
        return Displacement(None, None, "your approach to the incumbent is not known")
    if approach == "support":
        return Displacement(False, False, "you support the incumbent")
    if approach == "partner":
        index = incumbent_partner(tender)
        if index is None:
            who = incumbent.name or "the incumbent"
            return Displacement(None, None, f"incumbent_approach is partner but {who} is not among the partners", unevidenced=True)
        return Displacement(False, False, f"you partner with the incumbent (partners[{index}])", partner=index)
    return Displacement(True, True, f"you {'compete with' if approach == 'compete' else 'have not contacted'} the incumbent")


def we_lead(tender: TenderFile) -> bool | None:
    """Do we lead our partners, and so set their terms? (SPEC §2.1)

    Sole or prime: yes. Consortium member, joint venture or alliance: yes unless a partner has
    role ``lead``. Subcontractor: never. No role given: no when a partner leads, else None.
    """
    role = tender.bid.role if tender.bid else None
    partner_leads = any(partner.role == "lead" for partner in tender.partners)
    if role in ("sole", "prime"):
        return True
    if role == "subcontractor":
        return False
    if role is None:
        return False if partner_leads else None
    return not partner_leads


def our_value_pct(tender: TenderFile) -> float | None:
    """Our share of the contract value, percent 0-100: ``bid.value_pct``; left out, 100 when sole,
    100 minus the partners' shares when prime (when every partner's share is given); else None."""
    bid = tender.bid
    if bid is None:
        return None
    if bid.value_pct is not None:
        return bid.value_pct
    if bid.role == "sole" or (bid.role == "prime" and not tender.partners):
        return 100.0
    if bid.role == "prime" and all(partner.value_pct is not None for partner in tender.partners):
        return max(0.0, 100.0 - sum(_share(partner) for partner in tender.partners))
    return None


def _share(partner: Partner) -> float:
    return partner.value_pct or 0.0
