"""Stage 3, evaluate: run the selected rules on one tender and locate what they find.

Rules name fields; this stage turns them into lines and columns, settles each finding's
severity (rule default, adopted policy, configured override) and contains rules that fail.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bidcheck.api import Context, Finding, Rule
from bidcheck.config import Settings
from bidcheck.models import Severity, TenderFile, Waiver
from bidcheck.problems import Problem, excerpt
from bidcheck.read import Document, PathKey


@dataclass(frozen=True)
class Location:
    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Reason:
    """A finding with everything a report needs: its rule, final severity and location."""

    rule: Rule
    finding: Finding
    severity: Severity
    message: str
    location: Location
    can_block: bool  # could this rule block, with this organisation's policies and config?
    waiver: Waiver | None = None

    @property
    def waived(self) -> bool:
        return self.waiver is not None


@dataclass(frozen=True)
class Evaluation:
    reasons: list[Reason]
    problems: list[Problem]  # rules that failed on this tender
    checked: tuple[Rule, ...]  # the rules that ran
    context: Context | None = None  # who the rules judged for: organisation, policies, thresholds


def evaluate(tender: TenderFile, document: Document, settings: Settings) -> Evaluation:
    reasons: list[Reason] = []
    problems: list[Problem] = []
    context = context_for(tender, settings)
    for _, found, failed in evaluate_each(tender, document, settings, context):
        reasons.extend(found)
        problems.extend(failed)
    return Evaluation(reasons, problems, tuple(loaded.rule for loaded in settings.selected), context)


def context_for(tender: TenderFile, settings: Settings) -> Context:
    """Who the rules judge for: the organisation (the tender's own, else the config's), policies, thresholds."""
    return Context(
        organisation=settings.organisation_for(tender.organisation),
        policies=settings.config.model.policies,
        thresholds=settings.thresholds,
    )


def evaluate_each(
    tender: TenderFile, document: Document, settings: Settings, context: Context
) -> Iterator[tuple[Rule, list[Reason], list[Problem]]]:
    """Each selected rule in order, with its reasons, or the problem that stopped it (a failing
    rule is reported; the other rules still run). Lazily: a caller may stop early."""
    locate = _Locator(document, settings, tender)
    for loaded in settings.selected:
        try:
            # Locating belongs here too: a malformed finding is the rule's failure, not bidcheck's.
            found = [
                _reason(loaded.rule, finding, settings, locate(field_path(finding.field)))
                for finding in _as_findings(loaded.rule.check(tender, context))
            ]
        except Exception as error:
            where = locate(("tender",))
            failed = Problem(
                where.file,
                where.line,
                where.column,
                f"rule {loaded.rule.id} ({loaded.origin}) failed on tender {excerpt(tender.tender.id, quoted=False)}: "
                f"{type(error).__name__}: {excerpt(str(error), 200, quoted=False)}",
                rule=loaded.rule.id,
                tender=tender.tender.id,
            )
            yield loaded.rule, [], [failed]
            continue
        yield loaded.rule, found, []


def _as_findings(returned: Iterable[Finding] | None) -> Iterable[Finding]:
    if returned is None:
        return
    if isinstance(returned, Finding):
        returned = [returned]
    for item in returned:
        if not isinstance(item, Finding):
            raise TypeError(f"the check returned {type(item).__name__!s}, not a bidcheck.api.Finding")
        if not isinstance(item.field, str) or not isinstance(item.message, str) or not isinstance(item.action, str):
            raise TypeError("a Finding's field, message and action must be text")
        yield item


def _reason(rule: Rule, finding: Finding, settings: Settings, location: Location) -> Reason:
    policies = settings.config.model.policies
    override = settings.severity_overrides.get(rule.id)
    policy_adopted = bool(rule.policy and getattr(policies, rule.policy))
    message = finding.message[:1].upper() + finding.message[1:]
    if finding.severity is Severity.UNKNOWN:
        severity = Severity.UNKNOWN
    elif override is not None:
        severity = override
    elif finding.severity is not None:
        severity = finding.severity
    elif rule.policy:
        severity = Severity.BLOCKER if policy_adopted else Severity.CONCERN
        if not policy_adopted:
            message += f" (a concern, not a blocker: your organisation has not adopted the {rule.policy} policy)"
    else:
        severity = rule.severity
    if override is not None:
        can_block = override is Severity.BLOCKER
    elif rule.policy:
        can_block = policy_adopted
    else:
        can_block = rule.can_block or rule.severity is Severity.BLOCKER
    return Reason(rule, finding, severity, message, location, can_block)


_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@functools.lru_cache(maxsize=2048)  # rules name the same few fields for every tender
def field_path(dotted: str) -> PathKey:
    """``"partners[1].exclusivity"`` (or ``partners.1.exclusivity``) -> ``("partners", 1, "exclusivity")``."""
    parts: list[str | int] = []
    for name, index in _PART.findall(dotted):
        parts.append(int(index) if index else (int(name) if name.isdigit() else name))
    return tuple(parts)


class _Locator:
    """Field path -> where it was written: the tender file, else the config it came from."""

    def __init__(self, document: Document, settings: Settings, tender: TenderFile):
        self.document = document
        config_document = settings.config.document
        organisation_in_config = tender.organisation is None and config_document is not None
        self.config_document = config_document if organisation_in_config else None

    def __call__(self, path: PathKey) -> Location:
        if path and path[0] in ("organisation", "policies") and self.config_document is not None:
            if path[:1] in self.config_document.key_positions:
                where = self.config_document.position_of(path)
                return Location(self.config_document.file, where.line, where.column)
        where = self.document.position_of(path)
        return Location(self.document.file, where.line, where.column)
