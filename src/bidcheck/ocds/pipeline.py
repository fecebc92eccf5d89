"""``import ocds``, the stages in order: read releases -> store -> compile per procurement ->
select open notices -> map to tenders (with the likely incumbent) -> filter. Nothing is written
here; :mod:`bidcheck.ocds.write` writes the plan.

Memory does not grow with the input: releases stream from JSON Lines into the notice store,
which also remembers which procurements this import touched; each is then compiled from
the store and judged on its own. Only the tender files selected (and, with ``keep_skips``,
the reasons for each skip) are kept; skips are otherwise counted.
"""

from __future__ import annotations

import dataclasses
import datetime
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from bidcheck.ocds.compile import compile_releases, describe_release
from bidcheck.ocds.facts import IncumbentGuess, LotFacts
from bidcheck.ocds.incumbent import find_incumbent
from bidcheck.ocds.map import ImportedTender, tenders_from_release
from bidcheck.ocds.notice_types import HISTORY, PLANNING
from bidcheck.ocds.read import InputOpened, Release, as_text, json_kind, stream_releases
from bidcheck.ocds.select import NoticeFilter, select_procurement
from bidcheck.ocds.skips import Skip, SkipReason
from bidcheck.ocds.store import NoticeStore, Outline
from bidcheck.ocds.store_batch import DUPLICATE, NEW, Added
from bidcheck.ocds.write import safe_file_name
from bidcheck.problems import Problem, ProblemsFound

if TYPE_CHECKING:
    from bidcheck.models import Organisation


@dataclass
class ImportPlan:
    """What an import would write, what it skips and why, and inputs it could not read.

    Counts come in two units: releases (read, skipped for a reason, or imported as a
    notice) and tender files (a notice whose lots carry their own values gives one per lot;
    the filters then keep or drop each file). ``skips`` lists each skip only when the import
    was asked to keep them (malformed releases always: they are warnings).
    """

    tenders: list[ImportedTender] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    inputs: int = 0
    releases_read: int = 0
    notices: int = 0  # procurements imported: each gives its tender files
    no_deadline: int = 0  # notices imported that give no deadline at all
    closed_kept: int = 0  # notices imported by --include-closed although not open
    incumbents: int = 0  # tender files whose likely incumbent was found
    new_releases: int = 0  # releases the store did not hold before
    store_path: str = ""
    store_releases: int = 0
    value_not_known: list[ImportedTender] = field(default_factory=list)  # kept although a value filter is set
    counts: Counter[SkipReason] = field(default_factory=Counter)

    def skip_counts(self) -> Counter[SkipReason]:
        return Counter(self.counts)

    def release_skip_counts(self) -> Counter[SkipReason]:
        """Releases skipped, by reason (everything but the filters, which skip tender files)."""
        return Counter({reason: count for reason, count in self.counts.items() if reason is not SkipReason.FILTERED})

    @property
    def tender_files(self) -> int:
        """Tender files the notices gave, before the filters."""
        return len(self.tenders) + self.counts[SkipReason.FILTERED]

    def skip(self, skip: Skip, keep: bool, count: int = 1) -> None:
        self.counts[skip.reason] += count
        if keep or skip.reason is SkipReason.MALFORMED:
            self.skips.append(skip)


def plan_import(
    inputs: Iterable[str | tuple[str, bytes]],
    notice_filter: NoticeFilter = NoticeFilter(),
    include_planning: bool = False,
    *,
    as_of: Optional[datetime.date] = None,
    include_closed: bool = False,
    store: Optional[NoticeStore] = None,
    read_stdin: Callable[[], bytes] = bytes,
    keep_skips: bool = True,
    progress: Optional[Callable[[int, int], None]] = None,
    organisation: Optional[Organisation] = None,
) -> ImportPlan:
    """Read every input into the notice store, then compile, select and map each procurement read.

    ``inputs`` are command-line arguments (files, folders, ``-``) or ``(name, bytes)``.
    ``as_of`` (default today) judges which notices are open; ``store`` defaults to one in
    memory. ``organisation`` (the config's) fills each file's ``service`` from its CPV
    prefixes. An input that is not JSON or not OCDS is a problem and contributes nothing,
    and so is a JSON Lines line; the rest is still imported. ``progress(done, total)`` is
    called as procurements are mapped. Raises :class:`ProblemsFound` when the store cannot
    be read or written.
    """
    as_of = as_of or datetime.date.today()
    plan = ImportPlan()
    if store is None:
        with NoticeStore.open(":memory:") as memory:
            return plan_import(
                inputs, notice_filter, include_planning, as_of=as_of, include_closed=include_closed,
                store=memory, read_stdin=read_stdin, keep_skips=keep_skips, progress=progress, organisation=organisation,
            )  # fmt: skip
    try:
        _read_into_store(inputs, store, read_stdin, plan, keep_skips)
        total = store.procurement_count()
        names: set[str] = set()
        incumbent_for = _incumbent_finder(store, as_of, plan)
        done = 0
        for chunk in _chunks(store.procurements_read(), _OUTLINES_PER_QUERY):
            # Most procurements are skipped on the store's columns alone: read those a chunk at a time.
            outlines = {} if keep_skips else store.outlines_of([ocid for ocid, _ in chunk])
            for ocid, read_now in chunk:
                _plan_procurement(store, ocid, read_now, plan, names, incumbent_for, notice_filter, keep_skips, organisation,
                                  outlines.get(ocid), as_of=as_of, include_planning=include_planning, include_closed=include_closed)  # fmt: skip
                done += 1
                if progress:
                    progress(done, total)
        plan.store_path, plan.store_releases = store.path, store.release_count()
    except sqlite3.Error as error:  # locked by another import past the timeout, disk full...
        raise ProblemsFound([Problem(store.path, 0, 0, f"the notice store could not be used: {error}")]) from None
    return plan


def _read_into_store(
    inputs: Iterable[str | tuple[str, bytes]], store: NoticeStore, read_stdin: Callable[[], bytes], plan: ImportPlan, keep: bool
) -> None:
    for found in stream_releases(inputs, read_stdin):
        if isinstance(found, InputOpened):
            plan.inputs += 1
        elif isinstance(found, Problem):
            plan.problems.append(found)
        else:
            plan.releases_read += 1
            problem = malformed(found)
            if problem:
                plan.skip(Skip(SkipReason.MALFORMED, problem, found.where, as_text(found.data.get("ocid"))), keep)
                continue
            _count_added(store.add(found), plan, keep)
    _count_added(store.flush(), plan, keep)


def _count_added(added: list[Added], plan: ImportPlan, keep: bool) -> None:
    for release in added:
        if release.outcome == DUPLICATE:
            plan.skip(Skip(SkipReason.DUPLICATE, "the same release was read before", release.where, release.ocid, release.release_id), keep)
        plan.new_releases += release.outcome == NEW


_OUTLINES_PER_QUERY = 500  # procurements whose outlines one query reads (well under SQLite's parameter limit)


def _chunks(items: Iterable[tuple[str, int]], size: int) -> Iterator[list[tuple[str, int]]]:
    chunk: list[tuple[str, int]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def malformed(release: Release) -> Optional[str]:
    """Why a release cannot even be named or ordered (not an object, no ocid), or None."""
    ocid = release.data.get("ocid")
    if release.problem:
        return release.problem
    if not (isinstance(ocid, str) and ocid.strip()):
        return "release has no ocid" if ocid is None else f"ocid is {json_kind(ocid)}, not text"
    return None


def _plan_procurement(
    store: NoticeStore,
    ocid: str,
    read_now: int,
    plan: ImportPlan,
    names: set[str],
    incumbent_for: Callable[[LotFacts], Optional[IncumbentGuess]],
    notice_filter: NoticeFilter,
    keep: bool,
    organisation: Optional[Organisation],
    outline: Optional[Outline],
    **selecting: object,
) -> None:
    """Compile one procurement, select it and map it: one decision for its latest release,
    the other releases this import read of it counted as superseded. ``outline``: the store's
    columns for it (:meth:`NoticeStore.outlines_of`); None when every skip is kept, which
    needs each procurement compiled."""
    if outline is not None:  # most releases are award notices or closed tenders: judged from the store's columns, not read back
        reason = _skipped_by_columns(outline, selecting)
        if reason is not None:
            plan.counts[SkipReason.SUPERSEDED] += read_now - 1
            plan.counts[reason] += 1
            return
    stored = store.releases_of(ocid)
    latest = stored[-1].release
    compiled = Release(compile_releases([item.release.data for item in stored]), latest.where, latest.package_publisher, latest.package_uri)
    earlier = [item.release for item in stored[:-1] if item.read_now]
    superseded = read_now - 1
    for release in earlier[:superseded] if keep else ():
        plan.skips.append(Skip(SkipReason.SUPERSEDED, f"by {describe_release(latest.data)}", release.where, ocid, release.release_id))
    plan.counts[SkipReason.SUPERSEDED] += superseded
    selection = select_procurement(compiled.data, **selecting)  # type: ignore[arg-type]
    if selection.reason is not None:
        plan.skip(Skip(selection.reason, selection.detail, latest.where, ocid, latest.release_id), keep)
        return
    outcome = tenders_from_release(compiled, organisation=organisation, incumbent_for=incumbent_for)
    if isinstance(outcome, Skip):
        plan.skip(outcome, keep)
        return
    plan.notices += 1
    plan.no_deadline += selection.deadline is None
    plan.closed_kept += selection.closed is not None
    for tender in outcome:
        reason = notice_filter.reason_to_skip(tender)
        if reason:
            plan.skip(Skip(SkipReason.FILTERED, reason, tender.where, tender.tender_id, tender.release_id), keep)
            continue
        if notice_filter.cannot_judge_value(tender):
            plan.value_not_known.append(tender)
        plan.tenders.append(_unique_name(tender, names))


def _skipped_by_columns(outline: Outline, selecting: dict[str, object]) -> Optional[SkipReason]:
    """Why selection would skip this procurement, when the store's columns are enough to say so
    (what :func:`~bidcheck.ocds.select.select_procurement` would answer); None when they are not."""
    if not outline.release_id:
        return None
    if outline.kind == HISTORY:
        return SkipReason.AWARD
    if outline.kind == PLANNING and not selecting["include_planning"]:
        return SkipReason.PLANNING
    as_of = selecting["as_of"]
    closed = outline.plain_tender and outline.deadline is not None and outline.deadline < as_of  # type: ignore[operator]
    return SkipReason.CLOSED if closed and not selecting["include_closed"] else None


def _incumbent_finder(store: NoticeStore, as_of: datetime.date, plan: ImportPlan) -> Callable[[LotFacts], Optional[IncumbentGuess]]:
    """What mapping calls for each tender file: the likely incumbent from the store, counted."""

    def incumbent_for(lot: LotFacts) -> Optional[IncumbentGuess]:
        guess = find_incumbent(store, lot, as_of)
        plan.incumbents += guess is not None
        return guess

    return incumbent_for


def _unique_name(tender: ImportedTender, taken: set[str]) -> ImportedTender:
    """A second tender with the same id in one import (a lot id given twice) gets a name of its own."""
    name, copy = tender.file_name, 1
    while name.lower() in taken:
        copy += 1
        name = safe_file_name(f"{tender.tender_id} (copy {copy})")
    taken.add(name.lower())
    if name == tender.file_name:
        return tender
    return dataclasses.replace(tender, file_name=name)
