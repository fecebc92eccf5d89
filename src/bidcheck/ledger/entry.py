"""What ``ledger record`` keeps of one checked tender: one JSON document per version (SPEC §5).

The document holds the tender facts, the verdict, the findings (each as ``check --format json``
gives it: rule, severity, message, action, recommendation and citation, field, location in
the file, evidence, waived; and the policy that escalates the rule), the waivers and who approved them,
``bid.decision``, the organisation, the config's policies and thresholds, bidcheck's version,
and the facts the portfolio adds up (``pipeline``), judged when recorded with the concept
functions every rule uses (:func:`bidcheck.api.smaller`, :func:`bidcheck.api.displacement`,
:func:`bidcheck.api.our_value_pct`). The time is kept beside it, not in it: the content hash
(:func:`content_hash`) of an unchanged tender is the same on every run.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from bidcheck import __version__
from bidcheck.api import Context, displacement, our_value_pct, smaller
from bidcheck.decide import TenderResult
from bidcheck.models import Incumbent, TenderFile
from bidcheck.render.as_json import reason_record
from bidcheck.tender_facts import tender_facts

# Facts that change with the day a check runs, not with the tender: never recorded.
_DAILY_FACTS = ("days_left",)


def ledger_entry(result: TenderResult) -> dict[str, Any]:
    """The document recorded for ``result``: JSON values, money in pounds, percentages 0-100."""
    tender = result.tender
    facts = tender_facts(tender.tender, datetime.date.today())
    for name in _DAILY_FACTS:
        facts.pop(name)
    context = result.context
    decision = tender.bid.decision if tender.bid else None
    return {
        "bidcheck": __version__,
        "file": result.file,
        "tender": facts,
        "verdict": result.verdict.value,
        "complete": not result.problems,
        "findings": [{**reason_record(reason, result.file), "policy": reason.rule.policy} for reason in result.reasons],
        "waivers": [
            {
                "rule": waiver.rule,
                "reason": waiver.reason,
                "approved_by": waiver.approved_by,
                "expires": waiver.expires.isoformat() if waiver.expires else None,
                "applied": any(reason.waiver == waiver for reason in result.reasons),
            }
            for waiver in tender.waivers
        ],
        "decision": {"by": decision.by, "on": decision.on.isoformat() if decision.on else None} if decision else None,
        "organisation": _organisation(context),
        "policies": context.policies.model_dump() if context else {},
        "thresholds": dict(context.thresholds) if context else {},
        "pipeline": pipeline_facts(tender, context),
    }


def _organisation(context: Context | None) -> dict[str, Any]:
    if context is None:
        return {"name": None, "annual_income": None, "free_reserves": None}
    organisation = context.organisation
    return {"name": organisation.name, "annual_income": organisation.annual_income, "free_reserves": organisation.free_reserves}


def pipeline_facts(tender: TenderFile, context: Context | None) -> dict[str, Any]:
    """What the portfolio adds up, judged now by the rules' own concept functions.

    ``value`` (pounds, the contract over its initial term), ``our_value_pct``, ``results_pct``,
    ``value_at_risk`` (value x our share x results share, pounds; None when one is unknown),
    ``incumbent`` (name, annual income, whether winning displaces it, whether it is smaller
    than us; None when there is no known incumbent), ``smaller_competitors`` (name, income),
    and ``against_smaller``: a smaller organisation is displaced or bid against.
    """
    value = tender.tender.value
    share = our_value_pct(tender)
    results = tender.tender.results_pct
    at_risk = value * share / 100 * results / 100 if None not in (value, share, results) else None
    incumbent = None
    if isinstance(tender.incumbent, Incumbent):
        found = tender.incumbent
        is_smaller = smaller(found.annual_income, context).smaller if context else None
        incumbent = {
            "name": found.name,
            "annual_income": found.annual_income,
            "displaced": displacement(tender).displaced,
            "smaller": is_smaller,
        }
    competitors = [
        {"name": competitor.name, "annual_income": competitor.annual_income}
        for competitor in tender.competitors
        if context is not None and smaller(competitor.annual_income, context).smaller
    ]
    displaces_smaller = bool(incumbent and incumbent["displaced"] and incumbent["smaller"])
    return {
        "value": value,
        "our_value_pct": share,
        "results_pct": results,
        "value_at_risk": at_risk,
        "incumbent": incumbent,
        "smaller_competitors": competitors,
        "against_smaller": displaces_smaller or bool(competitors),
    }


def content_hash(record: dict[str, Any]) -> str:
    """SHA-256 of ``record`` as canonical JSON: equal for an unchanged tender on any run."""
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def day_of(record: dict[str, Any], recorded: str) -> str:
    """The day a version counts for in a date range: ``bid.decision.on``, else the day it was recorded."""
    decision = record.get("decision") or {}
    return decision.get("on") or recorded[:10]
