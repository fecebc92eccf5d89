"""The public rule API: everything a rule, built-in or plugin, may use.

A rule is a check function decorated with :func:`rule`, which attaches its metadata::

    @rule(
        "PWR001",
        title="Loss-making bid",
        recommendation=RECOGNISE_YOUR_POWER,
        severity=Severity.CONCERN,
        policy="refuse_loss_making_bids",
    )
    def loss_making_bid(tender: TenderFile, context: Context) -> Iterator[Finding]:
        '''Rationale: why this matters, citing the guidance.'''
        ...
        yield Finding(field="bid.price", message=..., action=..., evidence={...})

The check names the *field* a finding is about; the engine resolves it to a line and
column, applies policies, configured severities and waivers, and renders the output.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from bidcheck.clearing import Clear, add_to, reads_partners, remove, set_to
from bidcheck.cpv import describe as describe_cpv
from bidcheck.displacement import Displacement, displacement, incumbent_partner, our_value_pct, same_organisation, we_lead
from bidcheck.guidance import (
    CALCULATE_THE_IMPACT,
    COLLABORATE_FROM_THE_BEGINNING,
    COMMUNICATE_FREQUENTLY,
    COPRODUCE,
    EXPAND_YOUR_IDEA_OF_COLLABORATION,
    JUST_BECAUSE_YOU_CAN,
    LINK_WORK_TO_GOVERNANCE,
    LOCAL_KNOWLEDGE_AND_PRESENCE,
    RECOGNISE_YOUR_POWER,
    SERVE_THE_COMMUNITY,
    SET_UP_THE_FOUNDATIONS,
    Recommendation,
)
from bidcheck.income import IncomeBand, income_band
from bidcheck.local_presence import AreaPresence, area_presence, describe_presence
from bidcheck.models import (
    Bid,
    Competitor,
    Decision,
    Incumbent,
    NoIncumbent,
    Organisation,
    Partner,
    Policies,
    Service,
    Severity,
    Tender,
    TenderFile,
    WeAreIncumbent,
)
from bidcheck.money import format_money, format_percentage
from bidcheck.places import covers, normalise, present_in, presence
from bidcheck.services import ServiceMatch, service_match
from bidcheck.size import RelativeSize, relative_size
from bidcheck.thresholds import BIDCHECK_THRESHOLDS, MIN_RESPONSE_DAYS, SMALLER_INCOME_RATIO, Threshold
from bidcheck.wording import number_of, possessive

__all__ = [
    "CALCULATE_THE_IMPACT",
    "COLLABORATE_FROM_THE_BEGINNING",
    "COMMUNICATE_FREQUENTLY",
    "COPRODUCE",
    "EXPAND_YOUR_IDEA_OF_COLLABORATION",
    "JUST_BECAUSE_YOU_CAN",
    "LINK_WORK_TO_GOVERNANCE",
    "LOCAL_KNOWLEDGE_AND_PRESENCE",
    "RECOGNISE_YOUR_POWER",
    "SERVE_THE_COMMUNITY",
    "SET_UP_THE_FOUNDATIONS",
    "BIDCHECK_THRESHOLDS",
    "MIN_RESPONSE_DAYS",
    "SMALLER_INCOME_RATIO",
    "AreaPresence",
    "Clear",
    "Bid",
    "Competitor",
    "Context",
    "Decision",
    "Displacement",
    "Example",
    "Finding",
    "IncomeBand",
    "Incumbent",
    "NoIncumbent",
    "Organisation",
    "Partner",
    "Policies",
    "Recommendation",
    "RelativeSize",
    "Rule",
    "Service",
    "ServiceMatch",
    "Severity",
    "Tender",
    "TenderFile",
    "Threshold",
    "WeAreIncumbent",
    "add_to",
    "area_presence",
    "covers",
    "describe_cpv",
    "describe_presence",
    "displacement",
    "displaces_incumbent",
    "format_money",
    "format_percentage",
    "income_band",
    "incumbent_partner",
    "is_smaller",
    "normalise",
    "number_of",
    "our_value_pct",
    "possessive",
    "present_in",
    "presence",
    "relative_size",
    "remove",
    "rule",
    "same_organisation",
    "service_match",
    "set_to",
    "reads_partners",
    "smaller",
    "we_lead",
]


@dataclass(frozen=True)
class Finding:
    """What a check found: the evidence, what would clear it, and the field it is about.

    ``field`` is a dotted path into the tender file (``incumbent.annual_income``,
    ``partners[1].exclusivity``); the engine turns it into a line and column.
    ``severity`` is left as ``None`` to use the rule's (policy-aware) default.
    """

    field: str
    message: str
    action: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity | None = None
    question: str | None = None  # set on unknowns: what the bid team must find out

    @classmethod
    def unknown(cls, field: str, question: str, *, needed_for: str) -> Finding:
        """The rule cannot decide because ``field`` is not filled in.

        ``question`` is what to ask; ``needed_for`` says what the rule would check with it.
        """
        return cls(
            field=field,
            message=f"Missing {field}: bidcheck cannot check {needed_for}",
            action=f"Find out and fill in {field}: {question}",
            severity=Severity.UNKNOWN,
            question=question,
        )


@dataclass(frozen=True)
class Example:
    """A documented case, run as a test: YAML for the tender (the ``tender:`` id and title
    may be left out) and optionally for the config, with the severity the rule must give
    (``None``: the rule holds)."""

    description: str
    tender: str
    expect: Severity | None
    config: str = ""


@dataclass(frozen=True)
class Context:
    """What a check may know besides the tender: who we are and what we have committed to."""

    organisation: Organisation
    policies: Policies
    thresholds: Mapping[str, float]

    def threshold(self, name: str) -> float:
        return self.thresholds[name]


def smaller(their_income: float | None, context: Context) -> RelativeSize:
    """Is an organisation with ``their_income`` (pounds a year) smaller than us? (SPEC §1, v2)

    The one judgement of "smaller" every rule uses: their income at most ``smaller_income_ratio``
    (default 0.5) of ``organisation.annual_income``. ``.smaller`` is None when either income is
    unknown; ``.evidence`` holds both incomes and the ratio; ``.describe()`` says it in words.
    Guidance: "Rebalancing the Relationship", Recognise your power (size is relative).
    """
    limit = context.thresholds.get(SMALLER_INCOME_RATIO.name, SMALLER_INCOME_RATIO.default)
    return relative_size(their_income, context.organisation.annual_income, limit)


Check = Callable[[TenderFile, Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A rule's metadata and its check. Built with the :func:`rule` decorator."""

    id: str
    title: str
    recommendation: Recommendation
    severity: Severity
    check: Check
    rationale: str
    thresholds: tuple[Threshold, ...] = ()
    # Names a field of Policies: adopted -> findings block, otherwise they are concerns.
    policy: str | None = None
    # The check itself may raise blockers (e.g. above a blocker threshold).
    can_block: bool = False
    examples: tuple[Example, ...] = ()
    module: str = ""
    # "What it would take" (SPEC §5): the fields the check reads and the choices that may clear
    # it (bidcheck.clearing). Left out: the engine proposes nothing for this rule.
    reads: tuple[str, ...] = ()
    clears: tuple[Clear, ...] = ()

    def __call__(self, tender: TenderFile, context: Context) -> Iterable[Finding]:
        return self.check(tender, context)

    def __reduce__(self) -> tuple[Any, ...]:
        # Results cross between processes (--jobs). A rule this process made or loaded travels
        # as (module, id) and is found again on the other side; any other travels whole.
        if _KNOWN.get((self.module, self.id)) is self:
            return (_known_rule, (self.module, self.id))
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        fields["check"] = _portable_check(self.check)
        return (_rule_from_fields, (fields,))


# The rules made by @rule or loaded into a catalogue in this process, by (module, id).
_KNOWN: dict[tuple[str, str], Rule] = {}


def remember_rule(known: Rule) -> None:
    """Let ``known`` cross between processes as a reference (the loader calls this)."""
    _KNOWN[(known.module, known.id)] = known


def _known_rule(module: str, rule_id: str) -> Rule:
    if (module, rule_id) not in _KNOWN:
        with contextlib.suppress(ImportError):  # a plugin module this process has not loaded yet
            importlib.import_module(module)
    try:
        return _KNOWN[(module, rule_id)]
    except KeyError:
        raise LookupError(f"rule {rule_id} from {module} is not loaded in this process") from None


class _CheckOfRule(NamedTuple):
    """A check function whose module-level name @rule gave to the Rule it made."""

    module: str
    name: str


def _portable_check(check: Check) -> Check | _CheckOfRule:
    module, name = getattr(check, "__module__", None), getattr(check, "__name__", None)
    holder = getattr(sys.modules.get(module or ""), name or "", None)
    if isinstance(holder, Rule) and holder.check is check:
        return _CheckOfRule(module, name)  # type: ignore[arg-type]
    return check  # pickled by name as any function is


def _rule_from_fields(fields: dict[str, Any]) -> Rule:
    check = fields["check"]
    if isinstance(check, _CheckOfRule):
        fields = {**fields, "check": getattr(importlib.import_module(check.module), check.name).check}
    return Rule(**fields)


def rule(
    id: str,  # noqa: A002 - "id" is the word every rule author expects here
    *,
    title: str,
    recommendation: Recommendation,
    severity: Severity,
    thresholds: Iterable[Threshold] = (),
    policy: str | None = None,
    can_block: bool = False,
    examples: Iterable[Example] = (),
    reads: Iterable[str] = (),
    clears: Iterable[Clear] = (),
) -> Callable[[Check], Rule]:
    """Turn a check function into a :class:`Rule`; its docstring is the rule's rationale.

    ``reads`` names the fields the check reads (dotted, ``partners[*].consented``); ``clears``
    the bid team's choices that may clear it (:func:`set_to`, :func:`add_to`, :func:`remove`),
    which "what it would take" tries (SPEC §5)."""
    if policy is not None and policy not in Policies.model_fields:
        raise ValueError(f"rule {id}: unknown policy {policy!r}; expected one of {', '.join(Policies.model_fields)}")

    def wrap(check: Check) -> Rule:
        made = Rule(
            id=id,
            title=title,
            recommendation=recommendation,
            severity=severity,
            check=check,
            rationale=inspect.cleandoc(check.__doc__ or ""),
            thresholds=tuple(thresholds),
            policy=policy,
            can_block=can_block,
            examples=tuple(examples),
            module=check.__module__,
            reads=tuple(reads),
            clears=tuple(clears),
        )
        remember_rule(made)
        return made

    return wrap


def displaces_incumbent(tender: TenderFile) -> bool | None:
    """Shorthand for ``displacement(tender).displaced`` (SPEC §2.1): None also when a claimed
    partnership with the incumbent is not evidenced among the partners."""
    return displacement(tender).displaced


def is_smaller(their_income: float | None, our_income: float | None, ratio: float = SMALLER_INCOME_RATIO.default) -> bool | None:
    """Shorthand for ``relative_size(their_income, our_income, ratio).smaller``: their income at most
    ``ratio`` (0 to 1) of ours; None when either is unknown. Rules use :func:`smaller`, which reads
    the configured ``smaller_income_ratio``."""
    return relative_size(their_income, our_income, ratio).smaller
