"""Recognise your power: a "no compete" policy with smaller organisations
(guidance/002_da80ac9788ba7218.txt, "Draft recommendations", System view, "Recognise your power").

PWR002 escalates to a blocker when the organisation has adopted ``no_compete_with_smaller``
under ``policies:`` in its config, and is a concern otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    reads_partners,
    set_to,
    RECOGNISE_YOUR_POWER,
    Competitor,
    Context,
    Example,
    Finding,
    Incumbent,
    NoIncumbent,
    Severity,
    TenderFile,
    WeAreIncumbent,
    displacement,
    rule,
    same_organisation,
    smaller,
)

from bidcheck_rules._clearing import PARTNER_THE_INCUMBENT

from bidcheck_rules._power import POLICIES_ADOPTED

_NEEDED_FOR = "whether you would be competing with a smaller organisation"
_COMPETING = """
incumbent: {{name: {name}, annual_income: "{income}", local: {local}}}
bid: {{incumbent_approach: compete}}
"""


@rule(
    "PWR002",
    reads=("incumbent", "competitors", "organisation", "bid.incumbent_approach", "bid.role", "bid.value_pct", *reads_partners("value_pct")),
    clears=(PARTNER_THE_INCUMBENT, set_to("bid.incumbent_approach", "support", says="support the incumbent instead of competing")),
    title="Competing with a smaller organisation",
    recommendation=RECOGNISE_YOUR_POWER,
    severity=Severity.CONCERN,
    policy="no_compete_with_smaller",
    examples=[
        Example(
            "Competing against a smaller local incumbent, under the policy, blocks",
            _COMPETING.format(name="Local Project", income="£420k", local="true"),
            Severity.BLOCKER,
            POLICIES_ADOPTED,
        ),
        Example(
            "A smaller incumbent that is not local is still smaller: competing with it blocks",
            _COMPETING.format(name="Regional Trust", income="£11m", local="false"),
            Severity.BLOCKER,
            POLICIES_ADOPTED,
        ),
        Example(
            "Partnering with the incumbent, evidenced among the partners, holds",
            """
incumbent: {name: Local Project, annual_income: "£420k", local: true}
bid: {incumbent_approach: partner}
partners: [{name: Local Project Ltd, value_pct: 40}]
""",
            None,
            POLICIES_ADOPTED,
        ),
        Example(
            "Partnering claimed without the incumbent among the partners is asked about",
            """
incumbent: {name: Local Project, annual_income: "£420k", local: true}
bid: {incumbent_approach: partner}
""",
            Severity.UNKNOWN,
            POLICIES_ADOPTED,
        ),
        Example(
            "An incumbent with more than half our income is not smaller",
            _COMPETING.format(name="Big Charity", income="£30m", local="true"),
            None,
            POLICIES_ADOPTED,
        ),
        Example(
            "Bidding against a smaller competitor blocks, whatever our approach to the incumbent",
            """
incumbent: none
competitors: [{name: Carers Network, annual_income: "£300k", local: true}]
""",
            Severity.BLOCKER,
            POLICIES_ADOPTED,
        ),
        Example(
            "An unknown incumbent income is asked for",
            """
incumbent: {name: Local Project, local: true}
bid: {incumbent_approach: compete}
""",
            Severity.UNKNOWN,
            POLICIES_ADOPTED,
        ),
    ],
)
def competing_with_smaller(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Competing with a smaller organisation uses your size against it.

    The guidance found it rare for larger organisations to say they would not compete with
    smaller ones, and lists having a "no compete" policy with smaller organisations among the
    policies of organisations that recognise their power (Rebalancing the Relationship,
    emerging findings, "Draft recommendations", System view, "Recognise your power"), whether
    their income is "£5 million or £50 million": size is relative.

    Version 2 (SPEC §2.1): "smaller" is :func:`smaller` (income at most
    ``smaller_income_ratio`` of ours), local or not; being local or user-led is said in the
    message, it is not a condition. The rule covers the incumbent when winning displaces it
    (:func:`displacement`: not when we are the incumbent, it is not re-bidding, or we support
    it or partner with it, the partnership evidenced by the incumbent among ``partners``;
    ``incumbent_approach: not-contacted`` competes with it), and every smaller organisation
    in ``competitors``: bidding against a competitor is competing with it, whatever
    ``incumbent_approach`` says. A competitor that is the incumbent is judged as the
    incumbent. Each finding shows both incomes and the ratio.
    """
    incumbent_name = getattr(tender.incumbent, "name", None)
    found = list(_the_incumbent(tender, context))
    for index, competitor in enumerate(tender.competitors):
        if not same_organisation(competitor.name, incumbent_name):
            found.extend(_competitor(index, competitor, context))
    asked: set[str] = set()
    for finding in found:
        if finding.question is None or finding.field not in asked:  # our own income is asked once
            asked.add(finding.field)
            yield finding


def _the_incumbent(tender: TenderFile, context: Context) -> Iterator[Finding]:
    incumbent = tender.incumbent
    if isinstance(incumbent, (NoIncumbent, WeAreIncumbent)):
        return
    if incumbent is None:
        yield Finding.unknown(
            "incumbent",
            "Who delivers this service now? Give their name and annual income, or write `incumbent: none` "
            "for a new service, or `incumbent: us` for a re-bid.",
            needed_for=_NEEDED_FOR,
        )
        return
    displaced = displacement(tender)
    size = smaller(incumbent.annual_income, context)
    if displaced.displaced is False or size.smaller is False:
        return
    name = incumbent.name or "the incumbent"
    unknowns = []
    if displaced.unevidenced:
        unknowns.append(Finding.unknown(
            "bid.incumbent_approach",
            f"You plan to partner with {name}, but they are not among the partners: add them to `partners` "
            "with their value_pct and agreement.",
            needed_for=_NEEDED_FOR,
        ))
    elif displaced.displaced is None:
        unknowns.append(Finding.unknown(
            "bid.incumbent_approach",
            "Will you partner with the incumbent, support their bid, or compete against them?",
            needed_for=_NEEDED_FOR,
        ))
    if size.smaller is None:
        unknowns.extend(_income_unknowns("incumbent.annual_income", incumbent.annual_income, context, "the incumbent's"))
    if unknowns:
        yield from unknowns
        return
    how = "compete against them" if tender.bid and tender.bid.incumbent_approach == "compete" else (
        "bid without having contacted them"
    )
    yield Finding(
        field="bid.incumbent_approach",
        message=f"{name}, the incumbent{_character(incumbent)}, would be displaced: you plan to {how} — {size.describe()}",
        action=(
            f"Do not compete with {name}: offer to partner with them or subcontract to them, support their bid, "
            "or form a consortium or alliance with them; if they are leaving the service, record `rebidding: false`"
        ),
        evidence={
            "organisation": name,
            "incumbent": True,
            **size.evidence,
            "local": incumbent.local,
            "user_led": incumbent.user_led,
            "incumbent_approach": tender.bid.incumbent_approach if tender.bid else None,
        },
    )


def _competitor(index: int, competitor: Competitor, context: Context) -> Iterator[Finding]:
    size = smaller(competitor.annual_income, context)
    if size.smaller is False:
        return
    if size.smaller is None:
        yield from _income_unknowns(f"competitors[{index}].annual_income", competitor.annual_income, context, f"{competitor.name}'s")
        return
    yield Finding(
        field=f"competitors[{index}].name",
        message=(
            f"{competitor.name}{_character(competitor)} is expected to bid: bidding against them is competing "
            f"with a smaller organisation — {size.describe()}"
        ),
        action=(
            f"Do not compete with {competitor.name}: offer to partner with them or subcontract to them, "
            "or support their bid instead of bidding against them"
        ),
        evidence={
            "organisation": competitor.name,
            "competitor": True,
            **size.evidence,
            "local": competitor.local,
            "user_led": competitor.user_led,
        },
    )


def _character(organisation: Incumbent | Competitor) -> str:
    """" (local and user-led)" and the like: words for the message, never a condition."""
    words = [word for word, known in (("local", organisation.local), ("user-led", organisation.user_led)) if known]
    return f" ({' and '.join(words)})" if words else ""


def _income_unknowns(field: str, their_income: float | None, context: Context, whose: str) -> Iterator[Finding]:
    """The questions for a size that is not known: their income, ours, or both."""
    if their_income is None:
        yield Finding.unknown(
            field,
            f"What is {whose} annual income? Their latest accounts on the charity or company register give it.",
            needed_for=_NEEDED_FOR,
        )
    if context.organisation.annual_income is None:
        yield Finding.unknown(
            "organisation.annual_income",
            "What is your organisation's annual income? Set it in bidcheck.yaml.",
            needed_for=_NEEDED_FOR,
        )
