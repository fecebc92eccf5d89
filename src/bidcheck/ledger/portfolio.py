"""``bidcheck portfolio``: the ledger added up for trustees (SPEC §5).

Reads the latest version of each tender (and its latest outcome) and computes each figure
with one small named function over those recorded facts; nothing is checked again. A
renderer takes one :class:`Portfolio` (``bidcheck.render.as_portfolio``).

Definitions (the README's "Decisions remembered" says them to users):

- *decided*: the tender has a ``bid.decision`` or an outcome.
- *bid for*: its latest outcome is bid, won or lost; or it has no outcome and a ``bid.decision``
  (who decided to bid).
- *against smaller organisations*: bid for, and winning displaces a smaller incumbent or a
  smaller competitor is expected to bid (judged when recorded by :func:`bidcheck.api.smaller`
  and :func:`bidcheck.api.displacement`).
- *payment-by-results exposure*: the value at risk of each bid for (value x our share x
  results share), against the free reserves of the most recently recorded organisation.
- *stopped by a policy*: the verdict is no-bid and a counted blocker comes from a rule that
  the policy escalates, under a config that adopted it.
- *expire soon*: a waiver whose ``expires`` is within :data:`EXPIRES_SOON_DAYS` days of the
  portfolio's as-of day (today unless ``--as-of``), that day included.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bidcheck.ledger.database import latest_versions
from bidcheck.models import Policies

EXPIRES_SOON_DAYS = 30  # a waiver expiring within this many days of the as-of day "expires soon"
BID_OUTCOMES = ("bid", "won", "lost")
VERDICTS = ("no-bid", "needs-info", "bid-with-conditions", "bid")


@dataclass(frozen=True)
class Tender:
    """One tender's latest recorded version and its latest outcome status (None: none said)."""

    record: dict[str, Any]
    recorded: str
    outcome: str | None
    day: str  # YYYY-MM-DD: the day of bid.decision, else the day recorded

    @property
    def id(self) -> str:
        return str(self.record["tender"]["id"])

    @property
    def decided(self) -> bool:
        return self.record.get("decision") is not None or self.outcome is not None

    @property
    def bid_for(self) -> bool:
        return self.outcome in BID_OUTCOMES if self.outcome is not None else self.record.get("decision") is not None

    @property
    def pipeline(self) -> dict[str, Any]:
        return dict(self.record.get("pipeline") or {})


@dataclass(frozen=True)
class Portfolio:
    """Every figure of SPEC §5 for the tenders in a date range, money in pounds; :meth:`as_record` is the JSON."""

    since: datetime.date | None
    until: datetime.date | None
    as_of: datetime.date
    tenders: int
    decided: dict[str, Any]
    value_bid_for: dict[str, Any]
    against_smaller: dict[str, Any]
    results_exposure: dict[str, Any]
    policies: list[dict[str, Any]]
    waivers: dict[str, Any]
    bids_against_no_bid: dict[str, Any]
    outcomes_by_verdict: dict[str, dict[str, int]]
    value_by_verdict_by_month: list[dict[str, Any]]

    def as_record(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "as_of": self.as_of.isoformat(),
            "tenders": self.tenders,
            "decided": self.decided,
            "value_bid_for": self.value_bid_for,
            "against_smaller": self.against_smaller,
            "results_exposure": self.results_exposure,
            "policies": self.policies,
            "waivers": self.waivers,
            "bids_against_no_bid": self.bids_against_no_bid,
            "outcomes_by_verdict": self.outcomes_by_verdict,
            "value_by_verdict_by_month": self.value_by_verdict_by_month,
        }


def portfolio(
    db: sqlite3.Connection | None, since: datetime.date | None, until: datetime.date | None, as_of: datetime.date
) -> Portfolio:
    """The portfolio of the tenders whose day (``bid.decision.on``, else the day recorded) is in [since, until]."""
    rows = latest_versions(db, _day(since), _day(until)) if db is not None else iter(())
    tenders = [
        Tender(json.loads(record), recorded, json.loads(outcome)["status"] if outcome else None, day) for record, recorded, day, outcome in rows
    ]
    return Portfolio(
        since=since,
        until=until,
        as_of=as_of,
        tenders=len(tenders),
        decided=decided(tenders),
        value_bid_for=value_bid_for(tenders),
        against_smaller=against_smaller(tenders),
        results_exposure=results_exposure(tenders),
        policies=policies_stopping_bids(tenders),
        waivers=waivers_granted(tenders, as_of),
        bids_against_no_bid=bids_against_no_bid(tenders),
        outcomes_by_verdict=outcomes_by_verdict(tenders),
        value_by_verdict_by_month=value_by_verdict_by_month(tenders),
    )


def _day(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def decided(tenders: list[Tender]) -> dict[str, Any]:
    """Tenders decided, and how many of them by verdict."""
    chosen = [tender for tender in tenders if tender.decided]
    by_verdict = Counter(tender.record["verdict"] for tender in chosen)
    return {"tenders": len(chosen), "by_verdict": {verdict: by_verdict[verdict] for verdict in VERDICTS}}


def value_bid_for(tenders: list[Tender]) -> dict[str, Any]:
    """The contract value of the bids made (pounds) and our share of it; bids whose value is unknown are counted."""
    bids = [tender.pipeline for tender in tenders if tender.bid_for]
    known = [facts for facts in bids if facts.get("value") is not None]
    shares = [facts["value"] * facts["our_value_pct"] / 100 for facts in known if facts.get("our_value_pct") is not None]
    return {
        "tenders": len(bids),
        "value": sum(facts["value"] for facts in known),
        "our_share": sum(shares),
        "value_unknown": len(bids) - len(known),
    }


def against_smaller(tenders: list[Tender]) -> dict[str, Any]:
    """The bids against smaller organisations, their value (pounds), and the incumbents they would displace."""
    bids = [tender for tender in tenders if tender.bid_for and tender.pipeline.get("against_smaller")]
    displaced = [
        {"tender": tender.id, "name": incumbent.get("name"), "annual_income": incumbent.get("annual_income")}
        for tender in bids
        if (incumbent := tender.pipeline.get("incumbent")) and incumbent.get("displaced")
    ]
    return {
        "tenders": len(bids),
        "ids": [tender.id for tender in bids],
        "value": sum(tender.pipeline.get("value") or 0 for tender in bids),
        "incumbents_displaced": len(displaced),
        "incumbents": displaced,
    }


def results_exposure(tenders: list[Tender]) -> dict[str, Any]:
    """The value at risk on payment by results across the bids (pounds) against the free reserves."""
    bids = [tender.pipeline for tender in tenders if tender.bid_for]
    at_risk = sum(facts["value_at_risk"] for facts in bids if facts.get("value_at_risk") is not None)
    unknown = sum(1 for facts in bids if facts.get("value_at_risk") is None and facts.get("results_pct"))
    latest = max(tenders, key=lambda tender: tender.recorded, default=None)
    reserves = (latest.record.get("organisation") or {}).get("free_reserves") if latest else None
    share = round(at_risk / reserves * 100, 1) if reserves else None
    return {"value_at_risk": at_risk, "free_reserves": reserves, "share_of_reserves_pct": share, "unknown": unknown}


def policies_stopping_bids(tenders: list[Tender]) -> list[dict[str, Any]]:
    """Each "Recognise your power" policy: adopted (by the latest config recorded), and the bids it stopped."""
    latest = max(tenders, key=lambda tender: tender.recorded, default=None)
    adopted = (latest.record.get("policies") or {}) if latest else {}
    figures = []
    for policy in Policies.model_fields:
        stopped = [tender.id for tender in tenders if _stopped_by(tender, policy)]
        figures.append({"policy": policy, "adopted": bool(adopted.get(policy)), "bids_stopped": len(stopped), "tenders": stopped})
    return figures


def _stopped_by(tender: Tender, policy: str) -> bool:
    record = tender.record
    if record["verdict"] != "no-bid" or not (record.get("policies") or {}).get(policy):
        return False
    return any(f["policy"] == policy and f["severity"] == "blocker" and not f["waived"] for f in record["findings"])


def waivers_granted(tenders: list[Tender], as_of: datetime.date) -> dict[str, Any]:
    """Waivers in the tenders' latest versions: how many, by whom, how many expire soon or have expired."""
    waivers = [waiver for tender in tenders for waiver in tender.record.get("waivers", [])]
    soon = as_of + datetime.timedelta(days=EXPIRES_SOON_DAYS)
    expiries = [datetime.date.fromisoformat(w["expires"]) for w in waivers if w.get("expires")]
    by = Counter(waiver.get("approved_by") or "(no approver)" for waiver in waivers)
    return {
        "granted": len(waivers),
        "by": dict(sorted(by.items())),
        "expire_soon": sum(1 for day in expiries if as_of <= day <= soon),
        "expired": sum(1 for day in expiries if day < as_of),
        "soon_days": EXPIRES_SOON_DAYS,
    }


def bids_against_no_bid(tenders: list[Tender]) -> dict[str, Any]:
    """Bids made although the latest verdict was no-bid."""
    ids = [tender.id for tender in tenders if tender.bid_for and tender.record["verdict"] == "no-bid"]
    return {"tenders": len(ids), "ids": ids}


def outcomes_by_verdict(tenders: list[Tender]) -> dict[str, dict[str, int]]:
    """Won and lost, by the verdict of the tender's latest version."""
    counts = {verdict: {"won": 0, "lost": 0} for verdict in VERDICTS}
    for tender in tenders:
        if tender.outcome in ("won", "lost"):
            counts[tender.record["verdict"]][tender.outcome] += 1
    return counts


def value_by_verdict_by_month(tenders: list[Tender]) -> list[dict[str, Any]]:
    """The contract value (pounds) of the tenders of each month (``YYYY-MM`` of their day), by verdict, oldest
    month first: ``[{"month", "tenders", "value_unknown", "by_verdict": {verdict: pounds}}]``."""
    months: dict[str, list[Tender]] = {}
    for tender in sorted(tenders, key=lambda tender: tender.day):
        months.setdefault(tender.day[:7], []).append(tender)
    return [
        {
            "month": month,
            "tenders": len(chosen),
            "value_unknown": sum(1 for tender in chosen if tender.pipeline.get("value") is None),
            "by_verdict": {
                verdict: sum(tender.pipeline.get("value") or 0 for tender in chosen if tender.record["verdict"] == verdict) for verdict in VERDICTS
            },
        }
        for month, chosen in months.items()
    ]
