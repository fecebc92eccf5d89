"""Stage 4, decide: apply waivers and reach the verdict (SPEC §3)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bidcheck.api import Context, Rule
from bidcheck.config import Settings
from bidcheck.evaluate import Evaluation, Reason
from bidcheck.loader import closest_rule_id
from bidcheck.models import Severity, TenderFile, Verdict, Waiver
from bidcheck.problems import Problem, excerpt
from bidcheck.read import Document, Position

# The order in which verdicts take precedence, most serious first.
VERDICT_ORDER = (Verdict.NO_BID, Verdict.NEEDS_INFO, Verdict.BID_WITH_CONDITIONS, Verdict.BID)


@dataclass(frozen=True)
class TenderResult:
    """One tender's verdict and the reasons for it; what every renderer works from."""

    file: str
    tender: TenderFile
    verdict: Verdict
    reasons: list[Reason]
    problems: list[Problem] = field(default_factory=list)  # rules that failed: the verdict is incomplete
    warnings: list[Problem] = field(default_factory=list)  # shown, never counted: expired or unused waivers, a reused id
    checked: tuple[Rule, ...] = ()  # the rules that ran, for reports that list what was checked
    id_at: Position = Position(1, 1)  # where the tender's id is written, for warnings about it
    config_file: str | None = None  # the config that applied; None: no config was found (defaults)
    context: Context | None = None  # the organisation and thresholds it was judged for (triage's fit reads them)
    what_it_would_take: tuple[Any, ...] = ()  # Proposals (bidcheck.what_it_would_take), best first; () for bid

    @property
    def counted(self) -> list[Reason]:
        return [reason for reason in self.reasons if not reason.waived]

    @property
    def conditions(self) -> list[str]:
        """The actions that would clear each concern: the conditions of bidding."""
        return _unique(r.finding.action for r in self.counted if r.severity is Severity.CONCERN)

    @property
    def questions(self) -> list[tuple[str, str]]:
        """(field, question) for every unknown, once per field: first those of rules that could block
        (they hold the verdict at needs-info), then the rest (GOV001's "who decides?"), each in rule order."""
        seen: dict[str, str] = {}
        for reason in sorted(self.counted, key=lambda reason: not reason.can_block):
            if reason.severity is Severity.UNKNOWN and reason.finding.field not in seen:
                seen[reason.finding.field] = reason.finding.question or reason.finding.action
        return list(seen.items())

    def count(self, severity: Severity) -> int:
        return sum(1 for reason in self.counted if reason.severity is severity)


def decide(
    file: str,
    tender: TenderFile,
    document: Document,
    evaluation: Evaluation,
    today: datetime.date,
    *,
    apply_waivers: bool = True,
    settings: Settings | None = None,
) -> TenderResult:
    """The verdict on one evaluated tender, its waivers applied.

    ``settings`` (the config's) says who may approve a waiver; without it any approver is
    accepted. A waiver naming a rule that is not loaded is refused before evaluation
    (:func:`waiver_errors`).
    """
    if apply_waivers:
        reasons, warnings = _apply_waivers(tender, document, evaluation, today, settings)
    else:
        reasons, warnings = evaluation.reasons, []
    verdict = verdict_for([r for r in reasons if not r.waived])
    if evaluation.problems and verdict in (Verdict.BID, Verdict.BID_WITH_CONDITIONS):
        verdict = Verdict.NEEDS_INFO  # a rule failed: never present an incomplete check as a clean one
    id_at = document.position_of(("tender", "id"))
    return TenderResult(
        file, tender, verdict, reasons, evaluation.problems, warnings, evaluation.checked, id_at, context=evaluation.context
    )


def verdict_for(reasons: list[Reason]) -> Verdict:
    severities = {reason.severity for reason in reasons}
    if Severity.BLOCKER in severities:
        return Verdict.NO_BID
    if any(reason.severity is Severity.UNKNOWN and reason.can_block for reason in reasons):
        return Verdict.NEEDS_INFO
    if Severity.CONCERN in severities:
        return Verdict.BID_WITH_CONDITIONS
    return Verdict.BID


def _apply_waivers(
    tender: TenderFile, document: Document, evaluation: Evaluation, today: datetime.date, settings: Settings | None
) -> tuple[list[Reason], list[Problem]]:
    reasons = evaluation.reasons
    ran = {rule.id for rule in evaluation.checked}
    approvers = {name.casefold() for name in settings.config.model.waivers.approvers} if settings else set()
    warnings: list[Problem] = []
    active = {}
    for index, waiver in enumerate(tender.waivers):
        where = document.position_of(("waivers", index))
        if waiver.rule not in ran:
            # Not selected: nothing to waive, nothing unused. Not loaded at all: an input error
            # before evaluation (waiver_errors), or a rule a test (check_text) did not choose.
            continue
        if approvers and waiver.approved_by.casefold() not in approvers:
            where = document.position_of(("waivers", index, "approved_by"))
            warnings.append(Problem(document.file, where.line, where.column, _unapproved(waiver)))
            continue
        if waiver.expires < today:
            warnings.append(
                Problem(document.file, where.line, where.column, f"waiver for {waiver.rule} expired on {waiver.expires}; ignored")
            )
            continue
        if not any(reason.rule.id == waiver.rule for reason in reasons):
            warnings.append(
                Problem(document.file, where.line, where.column, f"waiver for {waiver.rule} matches no finding; it is unused")
            )
            continue
        active.setdefault(waiver.rule, waiver)
    waived = [replace(r, waiver=active[r.rule.id]) if r.rule.id in active else r for r in reasons]
    return waived, warnings


def _unapproved(waiver: Waiver) -> str:
    return f"waiver for {waiver.rule} is approved by {excerpt(waiver.approved_by)}, who is not among the config's waivers.approvers; it does not apply"


def waiver_errors(tender: TenderFile, document: Document, loaded: Sequence[str]) -> list[Problem]:
    """A located input error for each waiver whose ``rule`` is not one of the ``loaded`` rule ids (SPEC §1, v2).

    A typo (``pwr002``) or a rule that does not exist (``PWR009``) could never waive anything, so
    the tender is not checked until it is fixed; the message offers the closest loaded id, or the
    list. A rule that is loaded but left out by ``rules.select``/``--select`` is not an error: that
    waiver is merely not used in this run.
    """
    problems = []
    for index, waiver in enumerate(tender.waivers):
        if waiver.rule in loaded:
            continue
        where = document.value_position_of(("waivers", index, "rule"))
        message = f"waivers[{index}].rule: {excerpt(waiver.rule)} is not a loaded rule; {closest_rule(waiver.rule, loaded)}"
        problems.append(Problem(document.file, where.line, where.column, message))
    return problems


def closest_rule(given: str, loaded: Sequence[str]) -> str:
    """``did you mean PWR002?`` for a near miss (any case), else the loaded rule ids."""
    close = closest_rule_id(given, loaded)
    return f"did you mean {close}?" if close else f"the loaded rules are {', '.join(sorted(loaded))}"


def _unique(items) -> list[str]:  # type: ignore[no-untyped-def]
    return list(dict.fromkeys(items))
