"""Learning culture, "Build self-awareness and critique": collaborative organisations "ensure each
piece of work is linked to their governance structure" (guidance/002_da80ac9788ba7218.txt,
"Draft recommendations: Learning culture").
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import LINK_WORK_TO_GOVERNANCE, Context, Example, Finding, Severity, TenderFile, rule

_WAIVED = "waivers:\n  - {rule: PWR002, reason: Incumbent withdrawing, approved_by: Director of Services, expires: 2099-01-31}"
_DECIDED = 'bid: {decision: {by: "Board of trustees", on: 2026-11-10}}'


@rule(
    "GOV001",
    reads=("bid.decision", "waivers"),
    title="Bid decision linked to governance",
    recommendation=LINK_WORK_TO_GOVERNANCE,
    severity=Severity.CONCERN,
    examples=[
        Example("A waiver with no decision to bid recorded is a concern", _WAIVED, Severity.CONCERN),
        Example("A recorded decision holds", _DECIDED, None),
        Example("A waiver under a recorded decision holds", f"{_DECIDED}\n{_WAIVED}", None),
        Example("An unrecorded decision is asked about (it never blocks)", "bid: {role: prime}", Severity.UNKNOWN),
    ],
)
def decision_recorded(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """Record who decided to bid, and when: each piece of work is linked to governance.

    Under "Learning culture" ("Build self-awareness and critique") the guidance finds that
    collaborative organisations "ensure each piece of work is linked to their governance
    structure", with feedback from business development to senior leadership. ``bid.decision``
    (``{by, on}``) is that link. A tender that records waivers (a decision to proceed despite a
    finding) without a decision to bid is a concern: the waiver was approved, but the bid it
    serves was not. Otherwise a missing decision is asked about (who decides, and by when); the
    question never makes the verdict needs-info on its own, because this rule cannot block
    (unless ``rules.severity`` makes it a blocker).
    """
    if tender.bid is not None and tender.bid.decision is not None:
        return
    if tender.waivers:
        waived = list(dict.fromkeys(waiver.rule for waiver in tender.waivers))
        approved = list(dict.fromkeys(waiver.approved_by for waiver in tender.waivers))
        yield Finding(
            field="waivers[0]",
            message=(
                f"the tender waives {', '.join(waived)} (approved by {'; '.join(approved)}) "
                "but records no decision to bid (bid.decision)"
            ),
            action=(
                "Take the bid and its waivers to whoever decides on bids (the board or its committee) and record it "
                'as bid.decision: {by: "Board of trustees", on: YYYY-MM-DD}'
            ),
            evidence={"waived_rules": waived, "approved_by": approved, "decision": None},
        )
        return
    yield Finding.unknown(
        "bid.decision",
        'Who decides whether to bid (the board, a committee, the chief executive), and by when? Record it as bid.decision: {by: "Board of trustees", on: YYYY-MM-DD}.',
        needed_for="whether the bid is linked to your governance",
    )
