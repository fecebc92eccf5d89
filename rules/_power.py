"""What the "Recognise your power" modules share: the example config with every policy adopted,
a partner for examples, and the one gate for the terms we set our partners (SPEC §2.1).

The loader skips this module (its name starts with an underscore): it holds no rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bidcheck.api import Finding, TenderFile, we_lead

POLICIES_ADOPTED = """
policies: {refuse_loss_making_bids: true, no_compete_with_smaller: true, no_exclusivity_clauses: true, no_bid_candy: true}
organisation: {annual_income: "£45m", free_reserves: "£2m"}
"""


def partner_example(**fields: object) -> str:
    """We are prime (``bid:``) over one smaller, local, consenting partner (``partners:``); ``fields`` change it."""
    base = {"name": "Local Forum", "annual_income": '"£90k"', "local": "true", "value_pct": 15,
            "delivers": "outreach", "consented": "true", "exclusivity": "false"}
    base.update(fields)
    return "bid: {role: prime}\npartners:\n  - {" + ", ".join(f"{key}: {value}" for key, value in base.items()) + "}"


ROLE_QUESTION = "Are you sole, prime, subcontractor, consortium member, joint venture or alliance partner, and does a partner lead?"


def if_we_set_their_terms(tender: TenderFile, findings: Iterable[Finding], *, about: str) -> Iterator[Finding]:
    """``findings`` about the terms of our partners, only when we lead them (:func:`we_lead`).

    As a subcontractor, or a member under a partner's lead, we do not set our partners' terms,
    so nothing is said. When our role is not known, and only when there is something to say,
    the one question is our role. ``about`` names what the findings check, for that question.
    """
    leading = we_lead(tender)
    if leading is False:
        return
    found = list(findings)
    if leading is None and found:
        yield Finding.unknown("bid.role", ROLE_QUESTION, needed_for=f"whether you set {about}")
        return
    yield from found
