"""Time to bid: is there time to decide well, and to build a partnership?

The emerging findings of "Rebalancing the Relationship" (guidance/002_da80ac9788ba7218.txt,
finding 8) observe that "due to the short time frame given to respond to tenders,
organisations often make very quick decisions about what work to bid for", and that
organisations "seem to take a more collaborative approach when they have the time". The
first recommendation under *Thinking ahead* is to think about collaboration from the
beginning: the most successful partnerships "begin before a tender is released".

This module uses only ``bidcheck.api``, as every plugin should.
"""

from __future__ import annotations

from collections.abc import Iterator

from bidcheck.api import (
    COLLABORATE_FROM_THE_BEGINNING,
    Context,
    Example,
    Finding,
    Severity,
    TenderFile,
    Threshold,
    rule,
)


@rule(
    "DLN001",
    title="Short bidding window",
    recommendation=COLLABORATE_FROM_THE_BEGINNING,
    severity=Severity.CONCERN,
    thresholds=[
        Threshold(
            "min_bidding_window_days",
            28,
            "Fewest days between publication and deadline that leave time to decide well and build a partnership.",
            unit="days",
        ),
    ],
    examples=[
        Example(
            "Two weeks from publication to deadline is a concern",
            "tender: {published: 2026-11-01, deadline: 2026-11-15}",
            Severity.CONCERN,
        ),
        Example(
            "Six weeks holds",
            "tender: {published: 2026-11-01, deadline: 2026-12-13}",
            None,
        ),
        Example(
            "An organisation that sets a two-week minimum accepts two weeks",
            "tender: {published: 2026-11-01, deadline: 2026-11-15}",
            None,
            "thresholds: {min_bidding_window_days: 14}",
        ),
        Example(
            "An unknown deadline is asked for",
            "tender: {published: 2026-11-01}",
            Severity.UNKNOWN,
        ),
        Example(
            "A deadline before publication is a mistake in the dates, asked about",
            "tender: {published: 2026-11-15, deadline: 2026-11-01}",
            Severity.UNKNOWN,
        ),
    ],
)
def short_bidding_window(tender: TenderFile, context: Context) -> Iterator[Finding]:
    """A short window forces a quick bid decision and a partnership built in a hurry.

    The guidance found that the short time given to respond to tenders pushes
    organisations into very quick decisions about what to bid for and whether to bid in
    collaboration, and that they collaborate better when they have time. Its
    recommendation is to think about collaboration from the beginning, because the most
    successful partnerships begin before a tender is released. A partnership first
    discussed after publication, in a short window, is one the smaller partner has little
    time to shape, question or refuse.

    The rule fires when fewer than ``min_bidding_window_days`` days separate
    ``tender.published`` from ``tender.deadline``. The default, 28 days (four weeks), is a
    judgement rather than a rule of procurement law: set it to how long your organisation
    really needs to agree a fair partnership.
    """
    published, deadline = tender.tender.published, tender.tender.deadline
    needed_for = "how long the tender leaves to decide and to build a partnership"
    if published is None:
        yield Finding.unknown(
            "tender.published",
            "When was the tender published? The contract notice (Find a Tender, Contracts Finder) gives the date.",
            needed_for=needed_for,
        )
    if deadline is None:
        yield Finding.unknown(
            "tender.deadline",
            "When are tenders due? The tender notice gives the deadline for submissions.",
            needed_for=needed_for,
        )
    if published is None or deadline is None:
        return
    days = (deadline - published).days
    if days < 0:
        yield Finding(
            field="tender.deadline",
            message=f"the deadline ({deadline.isoformat()}) is before publication ({published.isoformat()})",
            action="Check both dates against the tender notice and correct the one that is wrong",
            evidence={"published": published.isoformat(), "deadline": deadline.isoformat(), "window_days": days},
            severity=Severity.UNKNOWN,
            question="Which date is wrong: the publication date or the deadline?",
        )
        return
    minimum = context.threshold("min_bidding_window_days")
    if days >= minimum:
        return
    yield Finding(
        field="tender.deadline",
        message=(
            f"{_days(days)} between publication ({published.isoformat()}) and deadline ({deadline.isoformat()}), "
            f"fewer than {minimum:g}: too little time to decide carefully and to build a partnership from scratch"
        ),
        action=(
            "Decide this week whether to bid and with whom, before any writing starts: talk to the incumbent and to "
            "possible partners now, and ask the buyer whether the deadline can move. If there is no time to build a "
            "fair partnership, do not bid this round; talk to the buyer and local partners before the next one is published"
        ),
        evidence={
            "published": published.isoformat(),
            "deadline": deadline.isoformat(),
            "window_days": days,
            "min_bidding_window_days": minimum,
        },
    )


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"
