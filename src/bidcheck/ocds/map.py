"""``import ocds``, mapping: a procurement's compiled release -> tender files (SPEC §4.1).

Mapping reads values (``ocds.values``), each lot's facts (``ocds.lots``) and the notice-wide
facts (``ocds.notice``), assembles the files (``ocds.drafts``), asks for the likely
incumbent, and writes their YAML text (``ocds.render``), read back and validated. Which
releases are tenders is decided before (``ocds.select``). See the package docstring for the
whole pipeline.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from bidcheck.ocds.facts import IncumbentGuess, LotFacts
from bidcheck.ocds.notice import Notice
from bidcheck.ocds.read import Release, json_kind
from bidcheck.ocds.render import Draft, render, validation_problem
from bidcheck.ocds.skips import Skip, SkipReason
from bidcheck.ocds.values import clean_line
from bidcheck.ocds.write import safe_file_name

if TYPE_CHECKING:
    from bidcheck.models import Organisation


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
    text, data = render(draft)
    problem = validation_problem(data, draft.tender_id)
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
