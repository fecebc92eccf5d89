"""Triage: checked tenders ranked by their fit for the organisation (SPEC §4.1).

:func:`fit` judges one tender; :func:`fit_order` is the order tenders are ranked in;
:class:`Ranking` keeps the best ``top`` of a streamed batch in a bounded heap, so memory
holds ``top`` rows however many tenders are checked (all of them without ``top``).
"""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, Optional, TypeVar

from bidcheck.api import MIN_RESPONSE_DAYS
from bidcheck.decide import TenderResult
from bidcheck.models import Incumbent, NoIncumbent, Organisation, Severity, WeAreIncumbent
from bidcheck.places import presence
from bidcheck.problems import Problem
from bidcheck.tender_facts import days_left

# Each level of fit, best first: the order tenders are ranked in (SPEC §4.1).
SERVICE_ORDER = ("yes", "unknown", "no")
AREAS_ORDER = ("all", "some", "unknown", "none")
# Time to respond, best first. A deadline already passed leaves no time at all: after unknown.
ENOUGH_TIME, SHORT_TIME, UNKNOWN_TIME, CLOSED = range(4)


@dataclass(frozen=True)
class Fit:
    """How well a tender fits us: ``service`` yes|unknown|no, ``areas`` all|some|unknown|none,
    ``days_left`` (days from ``--as-of`` to the deadline, None without one), ``rank`` (1 = best)."""

    service: str
    areas: str
    days_left: Optional[int]
    rank: Optional[int] = None

    def record(self) -> dict[str, Any]:
        return {"service": self.service, "areas": self.areas, "days_left": self.days_left, "rank": self.rank}


def fit(result: TenderResult, as_of: datetime.date) -> Fit:
    """The fit of one checked tender for the organisation it was checked for.

    ``service``: our services (``organisation.services``) against the tender's service or CPV
    codes, through ``bidcheck.services.service_match``; ``areas``: :func:`areas_fit`;
    ``days_left``: from ``as_of`` to ``tender.deadline``, negative once it has passed.
    """
    organisation = result.context.organisation if result.context else Organisation()
    tender = result.tender.tender
    return Fit(
        service=_service_status(organisation.services, tender.service, tender.cpv),
        areas=areas_fit(organisation.areas, tender.areas),
        days_left=days_left(tender.deadline, as_of),
    )


def areas_fit(our_areas: Sequence[str], tender_areas: Sequence[str]) -> str:
    """"all" when we are present in every area of the tender, "some", "none"; "unknown" when either list is empty."""
    if not our_areas or not tender_areas:
        return "unknown"
    present = set(presence(our_areas, tender_areas))
    if present >= set(tender_areas):
        return "all"
    return "some" if present else "none"


def _service_status(services: Sequence[Any], service: Optional[str], cpv: Sequence[str]) -> str:
    from bidcheck.services import service_match  # the CPV list loads only when a code must be matched

    return service_match(services, service, cpv).status


def time_to_respond(days: Optional[int], min_response_days: float) -> int:
    """The level of time to respond: ENOUGH_TIME (at least ``min_response_days``), SHORT_TIME, UNKNOWN_TIME, CLOSED."""
    if days is None:
        return UNKNOWN_TIME
    if days < 0:
        return CLOSED
    return ENOUGH_TIME if days >= min_response_days else SHORT_TIME


def fit_order(result: TenderResult, judged: Fit) -> tuple[Any, ...]:
    """The ranking key, smallest first: service, areas, time to respond, earliest deadline, id, file."""
    thresholds = result.context.thresholds if result.context else {}
    min_days = thresholds.get(MIN_RESPONSE_DAYS.name, MIN_RESPONSE_DAYS.default)
    tender = result.tender.tender
    return (
        SERVICE_ORDER.index(judged.service),
        AREAS_ORDER.index(judged.areas),
        time_to_respond(judged.days_left, min_days),
        tender.deadline or datetime.date.max,
        tender.id,
        result.file,
    )


@dataclass(frozen=True)
class TriageRow:
    """What a triage row shows of a checked tender besides its facts and fit."""

    file: str
    facts: dict[str, Any]
    verdict: str
    blockers: tuple[str, ...]  # the ids of the rules that block (counted, not waived)
    incumbent: Optional[str]  # its name; "none" for a new service; None when not known
    incumbent_source: Optional[str]  # set when inferred (from an award notice): where from
    first_question: Optional[str]  # the first question (those of rules that could block first), else the first concern's action


def triage_row(result: TenderResult, facts: dict[str, Any]) -> TriageRow:
    """The row of one checked tender, given its facts (:func:`bidcheck.tender_facts.tender_facts`)."""
    incumbent = result.tender.incumbent
    name: Optional[str] = None
    source: Optional[str] = None
    if isinstance(incumbent, (NoIncumbent, WeAreIncumbent)):
        name = str(incumbent)
    elif isinstance(incumbent, Incumbent):
        name, source = incumbent.name or "not named", incumbent.source
    questions = [question for _, question in result.questions]
    first = (questions or result.conditions or [None])[0]
    blockers = tuple(dict.fromkeys(reason.rule.id for reason in result.counted if reason.severity is Severity.BLOCKER))
    return TriageRow(result.file, facts, result.verdict.value, blockers, name, source, first)


Kept = TypeVar("Kept")


@dataclass
class _Entry(Generic[Kept]):
    key: tuple[Any, ...]
    fit: Fit
    kept: Kept

    def __lt__(self, other: _Entry[Kept]) -> bool:  # reversed: the heap's top is the worst kept
        return self.key > other.key


class Ranking(Generic[Kept]):
    """A Renderer for :func:`bidcheck.batch_cli.run_reported` that ranks instead of printing.

    ``keep(result, fit)`` makes what is held of a tender until the end (a row, a record);
    it is called only for tenders among the best ``top`` so far. Beyond ``top`` a tender is
    counted, not kept. ``finish`` hands the ranked tenders to ``write``.
    """

    def __init__(
        self,
        as_of: datetime.date,
        top: Optional[int],
        keep: Callable[[TenderResult, Fit], Kept],
        write: Callable[[Ranking[Kept], Any], None],
    ):
        self.as_of = as_of
        self.top = top
        self.keep = keep
        self.write = write
        self.heap: list[_Entry[Kept]] = []
        self.seen = 0
        self.problems: list[Problem] = []  # files that could not be checked, rules that failed

    def result(self, result: TenderResult) -> None:
        judged = fit(result, self.as_of)
        key = (*fit_order(result, judged), self.seen)  # discovery order settles the rest
        self.seen += 1
        self.problems.extend(result.problems)
        if self.top is not None and len(self.heap) >= self.top:
            if not self.heap or key >= self.heap[0].key:
                return  # not among the best: counted in ``seen``, never kept
            heapq.heapreplace(self.heap, _Entry(key, judged, self.keep(result, judged)))
        else:
            heapq.heappush(self.heap, _Entry(key, judged, self.keep(result, judged)))

    def problem(self, problem: Problem) -> None:
        self.problems.append(problem)

    def finish(self, summary: Any) -> None:
        self.write(self, summary)

    @property
    def shown(self) -> int:
        return len(self.heap)

    def ranked(self) -> list[tuple[Kept, Fit]]:
        """What was kept, best first, each with its fit and rank (1 = best)."""
        entries = sorted(self.heap, key=lambda entry: entry.key)
        return [(entry.kept, replace(entry.fit, rank=number)) for number, entry in enumerate(entries, start=1)]
