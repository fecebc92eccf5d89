"""Recognise your power: fair pricing and no unsustainable payment by results
(guidance/002_da80ac9788ba7218.txt, "Draft recommendations", System view, "Recognise your power":
"ensuring collaboration is fair, by putting in place fair pricing and not operating unsustainable
payment by results models").

Both rules here are concerns, under any policy (SPEC §2). The terms of partners are judged only
when we lead them (:func:`bidcheck_rules._power.if_we_set_their_terms`).
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    reads_partners,
    set_to,
    RECOGNISE_YOUR_POWER,
    Context,
    Example,
    Finding,
    Severity,
    TenderFile,
    Threshold,
    format_money,
    format_percentage,
    our_value_pct,
    possessive,
    rule,
    smaller,
)

from bidcheck_rules._power import POLICIES_ADOPTED, if_we_set_their_terms, partner_example

_SUBCONTRACTOR = """
tender: {{value: "£30m", results_pct: 30}}
bid: {{role: subcontractor{share}}}
partners:
  - {{name: Local Lead, annual_income: "£900k", role: lead, management_fee_pct: 25, results_pct: 60}}
"""


@rule(
    "PWR005",
    reads=("bid.role", *reads_partners("management_fee_pct", "results_pct", "value_pct")),
    clears=(set_to("partners[*].management_fee_pct", 10, says="management fee on {name} at most {value}%"),),
    title="Fair pricing: management fee",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    thresholds=[
        Threshold("max_management_fee_pct", 10, "Largest share of a partner's allocation the lead should keep as a management fee."),
    ],
    examples=[
        Example("A 15% top-slice is a concern", partner_example(management_fee_pct=15), Severity.CONCERN),
        Example("An 8% fee holds", partner_example(management_fee_pct=8), None),
        Example("An unknown fee is asked about", partner_example(), Severity.UNKNOWN),
        Example("A subcontractor keeps no fee from its lead: nothing is asked", _SUBCONTRACTOR.format(share=", value_pct: 20"), None),
    ],
)
def management_fee(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """A high management fee ("top-slice") moves money from delivery to the lead.

    The guidance asks organisations to ensure "collaboration is fair, by putting in place fair
    pricing" (Rebalancing the Relationship, emerging findings, "Draft recommendations", System
    view, "Recognise your power"). Consortium management fees are commonly 5–10%, above 10%
    only exceptionally. Following SPEC §2 this stays a concern even under the
    ``fair_partner_terms`` policy; the message says when the fee breaches that adopted policy.

    Version 2 (SPEC §2.1): only for partners we lead (:func:`we_lead`): as a subcontractor or a
    member under a partner's lead we keep no fee from our partners, so nothing is asked.
    """
    yield from if_we_set_their_terms(tender, _fees(tender, context), about="management fees for your partners")


def _fees(tender: TenderFile, context: Context) -> Iterator[Finding]:
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
    reads=(
        "bid.role", "bid.value_pct", "tender.results_pct", "tender.value", "organisation.annual_income", "organisation.free_reserves",
        *reads_partners("management_fee_pct", "results_pct", "value_pct"),
    ),  # fmt: skip
    clears=(set_to("partners[*].results_pct", 20, says="at most {value}% of {name}'s payment on results"),),
    title="Unsustainable payment by results",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    thresholds=[
        Threshold("max_partner_results_pct", 20, "Largest share of a smaller partner's payment that should depend on results."),
    ],
    examples=[
        Example(
            "Passing 40% payment by results to a smaller partner is a concern",
            partner_example(results_pct=40) + '\ntender: {value: "£1m", results_pct: 20}',
            Severity.CONCERN,
            POLICIES_ADOPTED,
        ),
        Example(
            "A peer partner carrying 40% on results shares risk and reward: it holds",
            partner_example(results_pct=40, annual_income='"£30m"') + '\ntender: {value: "£1m", results_pct: 20}',
            None,
            POLICIES_ADOPTED,
        ),
        Example(
            "Value at risk above free reserves is a concern",
            'tender: {value: "£10m", results_pct: 30}\nbid: {role: sole}',
            Severity.CONCERN,
            POLICIES_ADOPTED,
        ),
        Example("Modest results-based payment holds", 'tender: {value: "£1m", results_pct: 10}\nbid: {role: sole}', None, POLICIES_ADOPTED),
        Example("Unknown reserves are asked about", 'tender: {value: "£1m", results_pct: 10}\nbid: {role: sole}', Severity.UNKNOWN),
        Example(
            "A 20% subcontractor risks 30% of its own £6m share, £1.8m, within £2m reserves",
            _SUBCONTRACTOR.format(share=", value_pct: 20"),
            None,
            POLICIES_ADOPTED,
        ),
        Example("Our share of a subcontract is asked for", _SUBCONTRACTOR.format(share=""), Severity.UNKNOWN, POLICIES_ADOPTED),
        Example(
            "A missing results share is asked for when partners carry results",
            partner_example(results_pct=10) + '\ntender: {value: "£1m"}',
            Severity.UNKNOWN,
            POLICIES_ADOPTED,
        ),
    ],
)
def payment_by_results(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Payment by results shifts financial risk onto whoever can least afford it.

    The guidance warns against "operating unsustainable payment by results models"
    (Rebalancing the Relationship, emerging findings, "Draft recommendations", System view,
    "Recognise your power"), and the NCVO/Serco Code of Practice says a prime does not pass
    disproportionate financial risk to subcontractors. Following SPEC §2 it is a concern, under
    any policy.

    Version 2 (SPEC §2.1). Partners: it fires when a partner we lead (:func:`we_lead`) that is
    smaller than us (:func:`smaller`) has ``results_pct`` above ``max_partner_results_pct``;
    peers sharing risk and reward are collaboration, and under another's lead we do not set the
    terms. Reserves: the value at risk is ours, tender value (pounds) × our share
    (:func:`our_value_pct`, percent 0-100) × ``tender.results_pct``; it fires when that exceeds
    ``organisation.free_reserves``. Our share not known (a role other than sole or prime without
    ``bid.value_pct``) is asked for, and so is a missing ``tender.results_pct`` when partners
    carry results shares. The finding shows our share.
    """
    yield from if_we_set_their_terms(tender, _partners_at_risk(tender, context), about="your partners' results shares")
    yield from _our_value_at_risk(tender, context)


def _partners_at_risk(tender: TenderFile, context: Context) -> Iterator[Finding]:
    maximum = context.threshold("max_partner_results_pct")
    for index, partner in enumerate(tender.partners):
        share = partner.results_pct
        size = smaller(partner.annual_income, context)
        if size.smaller is False or (share is not None and share <= maximum):
            continue
        if share is None:
            yield Finding.unknown(
                f"partners[{index}].results_pct",
                f"What share of {possessive(partner.name)} payment will depend on results?",
                needed_for=f"whether {partner.name} carries unsustainable results risk",
            )
            continue
        if size.smaller is None:
            missing = f"partners[{index}].annual_income" if partner.annual_income is None else "organisation.annual_income"
            yield Finding.unknown(missing, "What is its annual income?", needed_for=f"whether {partner.name} is a smaller partner carrying results risk")
            continue
        yield Finding(
            field=f"partners[{index}].results_pct",
            message=(
                f"{format_percentage(share)} of {possessive(partner.name)} payment depends on results, above the "
                f"{format_percentage(maximum)} maximum for a smaller partner — {size.describe()}"
            ),
            action=f"Carry the results risk yourself: pay {partner.name} at least {format_percentage(100 - maximum)} up front for the work they do",
            evidence={"partner": partner.name, "results_pct": share, "max_partner_results_pct": maximum, **size.evidence},
        )


def _our_value_at_risk(tender: TenderFile, context: Context) -> Iterator[Finding]:
    needed_for = "whether the value at risk under payment by results exceeds your free reserves"
    value, results = tender.tender.value, tender.tender.results_pct
    if results is None and any(partner.results_pct for partner in tender.partners):
        yield Finding.unknown(
            "tender.results_pct",
            "Your partners carry results shares: what share of the contract price is paid on results?",
            needed_for=needed_for,
        )
        return
    if not results:
        return
    share = our_value_pct(tender)
    reserves = context.organisation.free_reserves
    for field_name, known, question in (
        ("tender.value", value, "What is the contract's total value?"),
        ("bid.value_pct", share, "What share of the contract value will you receive (percent)? Bidding alone, set bid.role: sole."),
        ("organisation.free_reserves", reserves, "What are your free reserves? Set organisation.free_reserves in bidcheck.yaml."),
    ):
        if known is None:
            yield Finding.unknown(field_name, question, needed_for=needed_for)
            return
    assert value is not None and share is not None and reserves is not None
    ours = value * share / 100
    at_risk = ours * results / 100
    if at_risk <= reserves:
        return
    whose = "the" if share == 100 else f"your {format_percentage(share)} share ({format_money(ours)}) of the"
    yield Finding(
        field="tender.results_pct",
        message=(
            f"{format_percentage(results)} of {whose} {format_money(value)} price is paid on results: "
            f"{format_money(at_risk)} at risk, more than your {format_money(reserves)} free reserves"
        ),
        action="Negotiate a lower results-based share with the buyer, or do not bid: a shortfall would threaten services and partners",
        evidence={"value": value, "our_value_pct": share, "our_value": ours, "results_pct": results,
                  "value_at_risk": at_risk, "free_reserves": reserves},
    )
