"""Recognise your power: no exclusivity clauses and no bid candy, for the partners we lead
(guidance/002_da80ac9788ba7218.txt, "Draft recommendations", System view, "Recognise your power").

Each rule here escalates to a blocker when the organisation has adopted the matching policy
under ``policies:`` in its config, and is a concern otherwise. Both judge only partners whose
terms we set (:func:`bidcheck_rules._power.if_we_set_their_terms`).
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    reads_partners,
    remove,
    set_to,
    RECOGNISE_YOUR_POWER,
    Context,
    Example,
    Finding,
    Severity,
    TenderFile,
    Threshold,
    format_percentage,
    rule,
    smaller,
)

from bidcheck_rules._power import POLICIES_ADOPTED, if_we_set_their_terms, partner_example

_PEERS = """
bid: {role: consortium-member}
partners:
  - {name: Peer Trust, annual_income: "£30m", role: consortium-member, exclusivity: true, value_pct: 30, delivers: outreach, consented: true}
"""
_UNDER_A_LEAD = """
bid: {role: subcontractor}
partners:
  - {name: Local Lead, annual_income: "£900k", role: lead, exclusivity: true, value_pct: 80, delivers: nothing, consented: false}
"""


@rule(
    "PWR003",
    reads=("bid.role", "organisation.annual_income", *reads_partners("exclusivity", "consented", "value_pct")),
    clears=(set_to("partners[*].exclusivity", False, says="no exclusivity for {name}"), remove("partners[*]")),
    title="Exclusivity clause on a smaller partner",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    policy="no_exclusivity_clauses",
    examples=[
        Example("Binding a smaller partner to bid only with us, under the policy, blocks", partner_example(exclusivity="true"), Severity.BLOCKER, POLICIES_ADOPTED),
        Example("Without the policy it is a concern", partner_example(exclusivity="true"), Severity.CONCERN, 'organisation: {annual_income: "£45m"}'),
        Example("No exclusivity holds", partner_example(), None, POLICIES_ADOPTED),
        Example("Unknown exclusivity is asked about", partner_example(exclusivity="null"), Severity.UNKNOWN, POLICIES_ADOPTED),
        Example("Peers bound to each other share risk and reward: collaboration, not imposition", _PEERS, None, POLICIES_ADOPTED),
        Example("As a subcontractor we do not set the terms", _UNDER_A_LEAD, None, POLICIES_ADOPTED),
    ],
)
def exclusivity_clause(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Exclusivity stops a smaller partner working with anyone else on the opportunity.

    "Not binding smaller organisations to exclusivity clauses" is one of the policies of
    organisations that recognise their power (Rebalancing the Relationship, emerging findings,
    "Draft recommendations", System view, "Recognise your power").

    Version 2 (SPEC §2.1): it fires for each partner bound to bid only with us that is smaller
    than us (:func:`smaller`: income at most ``smaller_income_ratio`` of ours), and only when
    we lead (:func:`we_lead`): as a subcontractor or a member under a partner's lead we do not
    set the terms, and peers sharing risk and reward are collaboration, not imposition. The
    finding shows both incomes and the ratio.
    """
    yield from if_we_set_their_terms(tender, _exclusivity(tender, context), about="your partners' exclusivity terms")


def _exclusivity(tender: TenderFile, context: Context) -> Iterator[Finding]:
    for index, partner in enumerate(tender.partners):
        where = f"partners[{index}]"
        needed_for = f"whether {partner.name} is a smaller partner bound to bid only with you"
        size = smaller(partner.annual_income, context)
        if partner.exclusivity is False or size.smaller is False:
            continue
        if partner.exclusivity is None:
            yield Finding.unknown(f"{where}.exclusivity", f"Is {partner.name} bound to bid only with you?", needed_for=needed_for)
            continue
        if size.smaller is None:
            field_name = f"{where}.annual_income" if partner.annual_income is None else "organisation.annual_income"
            yield Finding.unknown(field_name, "What is its annual income?", needed_for=needed_for)
            continue
        yield Finding(
            field=f"{where}.exclusivity",
            message=f"{partner.name} is bound to bid only with you — {size.describe()}",
            action=f"Remove the exclusivity clause: let {partner.name} work with other bidders too",
            evidence={"partner": partner.name, **size.evidence, "exclusivity": True},
        )


# Words a bid team writes for "no part in delivery"; an empty `delivers: ""` says the same.
_NOTHING = {"", "none", "nothing", "n/a", "na", "-", "tbc", "tbd"}


@rule(
    "PWR004",
    reads=("bid.role", *reads_partners("exclusivity", "consented", "value_pct")),
    clears=(set_to("partners[*].consented", True, says="{name} agrees to be named"), set_to("partners[*].value_pct", lambda tender, index: 5 if (tender.partners[index].value_pct or 0) < 5 else None, says="{name} receives at least {value}% of the value"), remove("partners[*]")),
    title="Bid candy",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    policy="no_bid_candy",
    thresholds=[
        Threshold("min_partner_value_pct", 5, "Smallest share of the contract value a named partner should receive."),
    ],
    examples=[
        Example("A partner named without consent, under the policy, blocks", partner_example(consented="false"), Severity.BLOCKER, POLICIES_ADOPTED),
        Example("A token 2% share is bid candy", partner_example(value_pct=2), Severity.BLOCKER, POLICIES_ADOPTED),
        Example("A partner who delivers nothing is bid candy", partner_example(delivers="none"), Severity.BLOCKER, POLICIES_ADOPTED),
        Example("A partner whose delivery is written empty delivers nothing", partner_example(delivers='""'), Severity.BLOCKER, POLICIES_ADOPTED),
        Example("A consenting partner with a real share and role holds", partner_example(), None, POLICIES_ADOPTED),
        Example("Unknown consent is asked about", partner_example(consented="null"), Severity.UNKNOWN, POLICIES_ADOPTED),
        Example("As a subcontractor we do not name the partners: the lead does", _UNDER_A_LEAD, None, POLICIES_ADOPTED),
    ],
)
def bid_candy(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Naming a smaller organisation to win a bid, without giving it real work, is bid candy.

    The guidance lists "not using smaller organisations as bid candy" among the policies of
    organisations that recognise their power (Rebalancing the Relationship, emerging findings,
    "Draft recommendations", System view, "Recognise your power"); the NCVO/Serco Code of
    Practice for prime contractors says a prime delivers with the organisations named in its
    bid. A partner is bid candy when it has not consented to be named, receives less than
    ``min_partner_value_pct`` (percent 0-100) of the contract value, or delivers nothing:
    ``delivers`` written empty (``""``), ``none``, ``nothing``, ``n/a``, ``tbc``. Only a missing
    ``delivers`` is unknown.

    Version 2 (SPEC §2.1): only for partners we lead (:func:`we_lead`): as a subcontractor or a
    member under a partner's lead, the lead names the partners and sets their terms.
    """
    yield from if_we_set_their_terms(tender, _candy(tender, context), about="which partners your bid names")


def _candy(tender: TenderFile, context: Context) -> Iterator[Finding]:
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
            written = "written empty" if not partner.delivers.strip() else repr(partner.delivers)
            reasons.append(("delivers", f"delivers nothing ({written})"))
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
