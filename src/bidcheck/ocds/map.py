"""``import ocds``, mapping: one release -> tender files (SPEC §4.1).

See the package docstring for the whole pipeline.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Optional

from bidcheck.ocds.read import (
    Release,
    as_dict,
    as_list,
    as_text,
    json_kind,
    read_input,
    read_inputs,
    read_releases,
    releases_and_problems,
)
from bidcheck.ocds.facts import IncumbentGuess, LotFacts
from bidcheck.ocds.notice import Notice
from bidcheck.ocds.render import Draft, render, validation_problem
from bidcheck.ocds.values import _DATE_TIME, clean_line, date_part, format_pounds
from bidcheck.ocds.write import safe_file_name
from bidcheck.problems import Problem

if TYPE_CHECKING:
    from bidcheck.models import Organisation

# Release tags (OCDS release tag codelist) and what they mean for triage.
TENDER_TAGS = frozenset({"tender", "tenderAmendment", "tenderUpdate"})
PLANNING_TAGS = frozenset({"planning", "planningUpdate"})
CANCELLED_TAGS = frozenset({"tenderCancellation"})
AWARD_TAGS = frozenset(
    {
        "award", "awardUpdate", "awardCancellation", "contract", "contractUpdate", "contractAmendment",
        "implementation", "implementationUpdate", "contractTermination",
    }
)  # fmt: skip
_KNOWN_TAGS = {tag.lower(): tag for tag in (*TENDER_TAGS, *PLANNING_TAGS, *CANCELLED_TAGS, *AWARD_TAGS, "compiled")}


class SkipReason(str, Enum):
    """Why a release, or one lot of it, did not become a tender file."""

    AWARD = "award or contract notice"
    PLANNING = "planning notice"
    CANCELLED = "cancelled"
    NOT_TENDER = "not a tender notice"
    SUPERSEDED = "superseded by a later release"
    DUPLICATE = "duplicate release"
    FILTERED = "filtered out"  # the only reason that concerns one tender file (a lot), not a whole release
    MALFORMED = "malformed"


@dataclass(frozen=True)
class Skip:
    """A release (or one lot) left out, and why; ``detail`` says more for people."""

    reason: SkipReason
    detail: str
    where: str
    ocid: Optional[str] = None
    release_id: Optional[str] = None

    def __str__(self) -> str:
        who = f" {self.ocid}" if self.ocid else ""
        return f"{self.where}:{who} {self.reason.value}: {self.detail}" if self.detail else f"{self.where}:{who} {self.reason.value}"


@dataclass(frozen=True)
class ImportedTender:
    """A tender file ready to write, and the facts the selection filters need."""

    tender_id: str
    file_name: str
    text: str  # the YAML, already validated
    ocid: str
    release_id: Optional[str]
    where: str
    cpv: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    value: Optional[float] = None  # GBP, the upper bound when a range is given
    value_low: Optional[float] = None  # GBP lower bound, when the notice gives one
    vcse: Optional[bool] = None  # the buyer's "suitable for VCSEs" flag, when trustworthy
    released: Optional[datetime.date] = None  # the release's date (published or amended)
    title: str = ""
    buyer: Optional[str] = None  # the lead buyer's name
    lot: Optional[str] = None  # the lot's id, when the file is one lot of the notice
    deadline: Optional[datetime.date] = None  # the first deadline a bidder must meet (facts.first_deadline)
    facts: Optional[LotFacts] = None  # what incumbent matching needs; always given by tenders_from_release


@dataclass(frozen=True)
class NoticeFilter:
    """The selection: only notices a bid team would triage. Empty means everything."""

    cpv_prefixes: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    min_value: Optional[float] = None
    max_value: Optional[float] = None
    suitable_vcse: bool = False
    since: Optional[datetime.date] = None

    def reason_to_skip(self, tender: ImportedTender) -> Optional[str]:
        """Why ``tender`` is filtered out, or None when it matches every filter."""
        if self.cpv_prefixes and not any(code.startswith(self.cpv_prefixes) for code in tender.cpv):
            codes = ", ".join(tender.cpv) or "none"
            return f"CPV {codes} does not start with {' or '.join(self.cpv_prefixes)}"
        if self.areas and not any(area_overlaps(wanted, area) for wanted in self.areas for area in tender.areas):
            where = ", ".join(tender.areas) or "no area given"
            return f"area ({where}) is not in {' or '.join(self.areas)}"
        amount = tender.value if tender.value is not None else tender.value_low
        if self.min_value is not None and amount is not None and amount < self.min_value:
            return f"value {format_pounds(amount)} is below --min-value {format_pounds(self.min_value)}"
        if self.max_value is not None and amount is not None and amount > self.max_value:
            return f"value {format_pounds(amount)} is above --max-value {format_pounds(self.max_value)}"
        if self.suitable_vcse and tender.vcse is not True:
            return "not marked suitable for VCSEs" if tender.vcse is False else "no VCSE suitability flag"
        if self.since is not None and (tender.released is None or tender.released < self.since):
            when = tender.released.isoformat() if tender.released else "an unknown date"
            return f"released {when}, before --since {self.since.isoformat()}"
        return None

    def cannot_judge_value(self, tender: ImportedTender) -> bool:
        """A value filter is set but the notice gives no value in GBP: kept, for people to judge.

        Dropping it would hide a notice that may well be in range; the caller counts these.
        """
        value_filtered = self.min_value is not None or self.max_value is not None
        return value_filtered and tender.value is None and tender.value_low is None


@dataclass
class ImportPlan:
    """What an import would write, what it skips and why, and inputs it could not read.

    Counts come in two units: releases (read, skipped for a reason, or imported as a
    notice) and tender files (a notice whose lots carry their own values gives one per lot;
    the filters then keep or drop each file).
    """

    tenders: list[ImportedTender] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    releases_read: int = 0
    notices: int = 0  # releases imported: the latest release of each notice at the tender stage
    value_not_known: list[ImportedTender] = field(default_factory=list)  # kept although a value filter is set

    def skip_counts(self) -> Counter[SkipReason]:
        return Counter(skip.reason for skip in self.skips)

    def release_skip_counts(self) -> Counter[SkipReason]:
        """Releases skipped, by reason (everything but the filters, which skip tender files)."""
        return Counter(skip.reason for skip in self.skips if skip.reason is not SkipReason.FILTERED)

    @property
    def tender_files(self) -> int:
        """Tender files the notices gave, before the filters."""
        return len(self.tenders) + self.skip_counts()[SkipReason.FILTERED]


def malformed_skips(releases: Iterable[Release]) -> tuple[list[Release], list[Skip]]:
    """Split off releases that cannot even be named or ordered: not objects, or no ocid."""
    usable: list[Release] = []
    skips: list[Skip] = []
    for release in releases:
        problem = release.problem
        ocid = release.data.get("ocid")
        if problem is None and not (isinstance(ocid, str) and ocid.strip()):
            problem = "release has no ocid" if ocid is None else f"ocid is {json_kind(ocid)}, not text"
        if problem:
            skips.append(Skip(SkipReason.MALFORMED, str(problem), release.where, as_text(ocid)))
        else:
            usable.append(release)
    return usable, skips


# --- 2. the latest release per ocid ----------------------------------------------------


def latest_releases(releases: Iterable[Release]) -> tuple[list[Release], list[Skip]]:
    """The latest release of each ocid, in first-seen order; the others as skips.

    A release is identified by its ``id``; releases without one (Public Contracts Scotland)
    by ocid and date. The same release seen twice is a duplicate; an older release of an
    ocid is superseded. Releases compare by ``date`` (time zones respected); on a tie the
    one read later wins.
    """
    seen: set[tuple[str, str]] = set()
    best: dict[str, tuple[tuple[datetime.datetime, int], Release]] = {}
    skips: list[Skip] = []
    for order, release in enumerate(releases):
        ocid = release.ocid
        identity = (ocid, release.release_id or f"date:{release.data.get('date')}")
        if identity in seen:
            skips.append(Skip(SkipReason.DUPLICATE, "the same release was read before", release.where, ocid, release.release_id))
            continue
        seen.add(identity)
        key = (_instant(release.data.get("date")), order)
        current = best.get(ocid)
        if current is None:
            best[ocid] = (key, release)
            continue
        older, newer = (current[1], release) if key > current[0] else (release, current[1])
        if newer is release:
            best[ocid] = (key, release)
        skips.append(Skip(SkipReason.SUPERSEDED, f"by {_describe_release(newer)}", older.where, ocid, older.release_id))
    return [release for _, release in best.values()], skips


def _describe_release(release: Release) -> str:
    tags = "/".join(release_tags(release.data)) or "untagged"
    date = as_text(release.data.get("date")) or "undated"
    return f"the {tags} release of {date}"


_EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)
def _instant(value: Any) -> datetime.datetime:
    """An OCDS date-time as an aware datetime for ordering; undated sorts first."""
    match = _DATE_TIME.match(value.strip()) if isinstance(value, str) else None
    day = date_part(value)
    if match is None or day is None:
        return _EARLIEST
    hour, minute, second = (int(match[part] or 0) for part in ("hour", "minute", "second"))
    zone = match["zone"] or "Z"
    offset = datetime.timedelta(0)
    if zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    try:
        moment = datetime.datetime(day.year, day.month, day.day, min(hour, 23), min(minute, 59), min(second, 59))
        return moment.replace(tzinfo=datetime.timezone(offset))
    except ValueError:
        return _EARLIEST


# --- 3. mapping a release to tender files ----------------------------------------------


def tenders_from_release(
    release: Release,
    *,
    organisation: Optional[Organisation] = None,
    incumbent_for: Optional[Callable[[LotFacts], Optional[IncumbentGuess]]] = None,
) -> list[ImportedTender] | Skip:
    """The tender files one release (a procurement's compiled state) gives, or why it gives none (SPEC §4.1).

    One file per lot when the notice has several lots that each carry a value; otherwise
    one for the whole notice. ``organisation`` (the config's) fills ``service`` from its
    services' CPV prefixes and notes a notice outside its services and areas;
    ``incumbent_for(facts)`` is asked once per file for the likely incumbent. A release with
    no tender section or no title is ``Skip(MALFORMED)``; the caller decides which releases
    are tenders.
    """
    data = release.data
    ocid = release.ocid
    tender = data.get("tender")
    if not isinstance(tender, dict):
        detail = "no tender section" if tender is None else f"tender is {json_kind(tender)}, not an object"
        return Skip(SkipReason.MALFORMED, detail, release.where, ocid, release.release_id)
    title = clean_line(tender.get("title")) or clean_line(data.get("title"))
    if not title:
        return Skip(SkipReason.MALFORMED, "the tender has no title", release.where, ocid, release.release_id)
    from bidcheck.ocds.drafts import drafts_for

    tenders: list[ImportedTender] = []
    for draft in drafts_for(Notice(release, title), organisation):
        built = _built(draft, incumbent_for)
        if isinstance(built, str):  # cannot happen for data the importer wrote; reported, not hidden
            return Skip(SkipReason.MALFORMED, built, release.where, ocid, release.release_id)
        tenders.append(built)
    return tenders


def _built(draft: Draft, incumbent_for: Optional[Callable[[LotFacts], Optional[IncumbentGuess]]]) -> ImportedTender | str:
    """The draft as a validated tender file, with the likely incumbent when ``incumbent_for`` finds one."""
    notice = draft.notice
    facts = LotFacts(
        ocid=notice.ocid,
        title=draft.title,
        buyer_ids=tuple(notice.buyer_ids),
        buyer_names=tuple(notice.buyer_names),
        cpv=tuple(draft.cpv),
        start=draft.start,
    )
    draft.incumbent = incumbent_for(facts) if incumbent_for else None
    text = render(draft)
    problem = validation_problem(text, draft.tender_id)
    if problem:
        return problem
    value = draft.gbp_value()
    low = draft.value_low.amount if draft.value_low and draft.value_low.is_gbp else None
    return ImportedTender(
        tender_id=draft.tender_id,
        file_name=safe_file_name(draft.tender_id),
        text=text,
        ocid=notice.ocid,
        release_id=notice.release_id,
        where=notice.where,
        cpv=tuple(draft.cpv),
        areas=tuple(draft.areas),
        value=value.amount if value else None,
        value_low=low,
        vcse=draft.vcse,
        released=notice.released,
        title=draft.title,
        buyer=notice.buyer,
        lot=draft.lot,
        deadline=notice.deadline,
        facts=facts,
    )



def _stage_skip(release: Release, include_planning: bool) -> Optional[Skip]:
    """Why a release is not a tender to map (an award, cancelled, planning...), or None when it is one."""
    data, ocid = release.data, release.ocid
    stage = _stage(data)
    if stage == "award":
        return Skip(SkipReason.AWARD, f"tags {_tags_text(data)}", release.where, ocid, release.release_id)
    if stage == "cancelled":
        return Skip(SkipReason.CANCELLED, f"tags {_tags_text(data)}", release.where, ocid, release.release_id)
    if stage == "planning" and not include_planning:
        return Skip(SkipReason.PLANNING, "--include-planning imports these", release.where, ocid, release.release_id)
    if stage is None:
        return Skip(SkipReason.NOT_TENDER, f"tags {_tags_text(data)}", release.where, ocid, release.release_id)
    return None


def _stage(data: dict[str, Any]) -> Optional[str]:
    tags = set(release_tags(data))
    if "compiled" in tags:  # a record's compiled release: judge by what it holds
        if as_list(data.get("awards")) or as_list(data.get("contracts")):
            return "award"
        tender = as_dict(data.get("tender"))
        if tender.get("status") == "cancelled":
            return "cancelled"
        if tender.get("status") == "planning" or (not tender and data.get("planning")):
            return "planning"
        return "tender" if tender else None
    if tags & AWARD_TAGS:
        return "award"  # the contract is let: nothing left to bid for
    if tags & CANCELLED_TAGS:
        return "cancelled"
    if tags & TENDER_TAGS:
        return "tender"
    if tags & PLANNING_TAGS:
        return "planning"
    return None


def _tags_text(data: dict[str, Any]) -> str:
    return ", ".join(release_tags(data)) or "none"


def release_tags(data: dict[str, Any]) -> list[str]:
    """A release's tags: an array as the standard says, or one string (``"tender"``, ``"award,contract"``).

    A codelist tag in another case (``"Tender"``) is read as the codelist spells it.
    """
    tag = data.get("tag")
    parts = re.split(r"[\s,]+", tag) if isinstance(tag, str) else [item.strip() for item in as_list(tag) if isinstance(item, str)]
    return [_KNOWN_TAGS.get(part.lower(), part) for part in parts if part]


_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}$", re.IGNORECASE)


# --- the selection ---------------------------------------------------------------------


def area_overlaps(wanted: str, area: str) -> bool:
    """Does the ``wanted`` area (``--area``, ours) cover a notice's ``area``? See :func:`bidcheck.places.covers`."""
    from bidcheck.places import covers

    return covers(wanted, area)


# --- running it all --------------------------------------------------------------------


def plan_import(
    inputs: Iterable[tuple[str, bytes]],
    notice_filter: NoticeFilter = NoticeFilter(),
    include_planning: bool = False,
    progress: Optional[Callable[[int, int], None]] = None,
) -> ImportPlan:
    """Read every input, keep the latest release per ocid, map and select: nothing is written.

    An input that is not JSON or not OCDS is a problem and contributes nothing, and so is a
    JSON Lines line; the rest is still imported. ``progress(done, total)`` is called as
    releases are mapped.
    """
    plan = ImportPlan()
    releases: list[Release] = []
    for name, raw in inputs:
        found, problems = releases_and_problems(raw, name)
        releases.extend(found)
        plan.problems.extend(problems)
    plan.releases_read = len(releases)
    usable, malformed = malformed_skips(releases)
    latest, older = latest_releases(usable)
    plan.skips.extend(malformed + older)
    names: set[str] = set()
    for done, release in enumerate(latest, start=1):
        outcome = _stage_skip(release, include_planning) or tenders_from_release(release)
        if isinstance(outcome, Skip):
            plan.skips.append(outcome)
        else:
            plan.notices += 1
            for tender in outcome:
                reason = notice_filter.reason_to_skip(tender)
                if reason:
                    plan.skips.append(Skip(SkipReason.FILTERED, reason, tender.where, tender.tender_id, tender.release_id))
                    continue
                if notice_filter.cannot_judge_value(tender):
                    plan.value_not_known.append(tender)
                plan.tenders.append(_unique_name(tender, names))
        if progress:
            progress(done, len(latest))
    return plan


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


__all__ = [
    "ImportPlan",
    "ImportedTender",
    "NoticeFilter",
    "Release",
    "Skip",
    "SkipReason",
    "area_overlaps",
    "latest_releases",
    "plan_import",
    "read_input",
    "read_inputs",
    "read_releases",
    "releases_and_problems",
    "safe_file_name",
    "tenders_from_release",
]
