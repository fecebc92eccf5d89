"""Award history: the facts of each award and contract a release holds, as the notice store
indexes them for incumbent matching (same buyer, CPV class, title, contract dates).

A release names its buyers (``buyer`` and parties with role ``buyer``), its suppliers per
award (``awards[].suppliers``, with ``details.vcse`` and ``details.scale`` on the supplier's
party, as Find a Tender publishes them) and the contract period per award
(``contracts[].period`` of the contract whose ``awardID`` is the award's, else the award's
``contractPeriod``).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Optional

from bidcheck.ocds.dates import date_part
from bidcheck.ocds.notice_types import notice_type
from bidcheck.ocds.read import as_dict, as_list, as_text

CPV_CLASS_DIGITS = 5  # "85312" of 85312000: the CPV class, wide enough to catch the same service re-let
_NAME_NOISE = frozenset({"the", "of", "and", "ltd", "limited", "plc"})
_WORD = re.compile(r"[a-z0-9]+")
_NEVER_RAN = frozenset({"cancelled", "unsuccessful", "pending"})


@dataclass(frozen=True)
class AwardFact:
    """One supplier of one award: what incumbent matching reads back from the store.

    Dates are calendar dates; ``buyer_keys`` as :func:`buyer_keys` makes them; ``cpv_classes``
    the first five digits of each CPV code.
    """

    ocid: str
    award_id: str
    supplier_name: str
    supplier_id: Optional[str]
    vcse: Optional[bool]
    scale: Optional[str]
    titles: tuple[str, ...]
    buyer_keys: tuple[str, ...]
    cpv_classes: tuple[str, ...]
    start: Optional[datetime.date]
    end: Optional[datetime.date]
    max_extent: Optional[datetime.date]
    notice_id: Optional[str]
    notice_url: Optional[str]
    notice_type: Optional[str]


def buyer_keys(ids: Iterable[str], names: Iterable[str]) -> tuple[str, ...]:
    """How the store knows a buyer: ``"id:GB-PPON-..."`` for each identifier, ``"name:..."``
    for each name (lower case, punctuation and "the", "of", "and" left out).

    Matching accepts either, so a buyer found by identifier in one notice and only by name
    in another is still the same buyer.
    """
    return _buyer_keys(tuple(ids), tuple(names))


@functools.lru_cache(maxsize=4096)  # the same few buyers publish release after release
def _buyer_keys(ids: tuple[str, ...], names: tuple[str, ...]) -> tuple[str, ...]:
    keys: list[str] = [f"id:{identifier.strip().upper()}" for identifier in ids if identifier and identifier.strip()]
    for name in names:
        words = [word for word in _WORD.findall(name.lower()) if word not in _NAME_NOISE]
        if words:
            keys.append("name:" + " ".join(words))
    return tuple(dict.fromkeys(keys))


@functools.lru_cache(maxsize=8192)  # notices name the same codes again and again
def cpv_class(code: str) -> Optional[str]:
    """The CPV class of a code (``"85312000-9"`` -> ``"85312"``), or None when it is not CPV digits."""
    digits = code.strip().split("-")[0]
    if not digits.isdigit() or len(digits) > 8:
        return None
    return digits.zfill(8)[:CPV_CLASS_DIGITS]


def award_facts(data: dict[str, Any], kind: Optional[str] = None) -> Iterator[AwardFact]:
    """Every supplier of every award (that ran) in one release; nothing for a release with no awards.

    ``kind``: the release's notice type when the caller has it (:func:`notice_type`), else found here.
    """
    awards = [award for award in as_list(data.get("awards")) if isinstance(award, dict)]
    if not awards:
        return
    ocid = as_text(data.get("ocid")) or ""
    parties = {as_text(party.get("id")): party for party in as_list(data.get("parties")) if isinstance(party, dict)}
    buyers = [as_dict(data.get("buyer"))] + [party for party in parties.values() if "buyer" in as_list(party.get("roles"))]
    buyer = buyer_keys(
        [as_text(party.get("id")) or "" for party in buyers], [as_text(party.get("name")) or "" for party in buyers]
    )
    if not buyer:
        return
    # What every award of the release shares is read once (a framework may list hundreds of awards).
    tender = as_dict(data.get("tender"))
    tender_classes = _cpv_classes([tender, *as_list(tender.get("lots"))])
    tender_title = as_text(tender.get("title"))
    contracts_of: dict[Optional[str], list[dict[str, Any]]] = {}
    for contract in as_list(data.get("contracts")):
        if isinstance(contract, dict):
            contracts_of.setdefault(as_text(contract.get("awardID")), []).append(contract)
    release_notice: Optional[tuple[Optional[str], Optional[str], Optional[str]]] = None  # the release itself, found once
    for award in awards:
        if as_text(award.get("status")) in _NEVER_RAN:
            continue
        award_id = as_text(award.get("id")) or ""
        own = contracts_of.get(award_id, [])
        period = as_dict(own[0].get("period")) if own else as_dict(award.get("contractPeriod"))
        classes = tuple(dict.fromkeys(_cpv_classes([award, *own]) + tender_classes))
        if not classes:
            continue
        titles = tuple(
            dict.fromkeys(title for title in (*(as_text(item.get("title")) for item in (award, *own)), tender_title) if title)
        )
        found = _notice([award, *own])
        if found is None:
            release_notice = release_notice or (as_text(data.get("id")), None, kind or notice_type(data))
            found = release_notice
        notice_id, url, notice_kind = found
        for supplier in as_list(award.get("suppliers")):
            supplier = as_dict(supplier)
            supplier_id = as_text(supplier.get("id"))
            party = as_dict(parties.get(supplier_id))
            name = as_text(supplier.get("name")) or as_text(party.get("name"))
            if name is None:
                continue
            details = as_dict(party.get("details"))
            vcse = details.get("vcse")
            yield AwardFact(
                ocid=ocid,
                award_id=award_id,
                supplier_name=name,
                supplier_id=supplier_id,
                vcse=vcse if isinstance(vcse, bool) else None,
                scale=as_text(details.get("scale")),
                titles=titles,
                buyer_keys=buyer,
                cpv_classes=classes,
                start=date_part(period.get("startDate")),
                end=date_part(period.get("endDate")),
                max_extent=date_part(period.get("maxExtentDate")),
                notice_id=notice_id,
                notice_url=url,
                notice_type=notice_kind,
            )


def _cpv_classes(holders: list[Any]) -> tuple[str, ...]:
    """CPV classes of the classifications of these objects and their items, in order, each once."""
    found: list[Any] = []
    for holder in holders:
        if not isinstance(holder, dict):
            continue
        found.append(holder.get("classification"))
        found += as_list(holder.get("additionalClassifications"))
        for item in as_list(holder.get("items")):
            if isinstance(item, dict):
                found.append(item.get("classification"))
                found += as_list(item.get("additionalClassifications"))
    classes: dict[str, None] = {}
    for classification in found:
        if not isinstance(classification, dict):
            continue
        code = as_text(classification.get("id"))
        if code is None:
            continue
        scheme = as_text(classification.get("scheme"))
        if scheme is not None and scheme.upper() != "CPV":
            continue
        found_class = cpv_class(code)
        if found_class:
            classes[found_class] = None
    return tuple(classes)


def _notice(holders: list[dict[str, Any]]) -> Optional[tuple[Optional[str], Optional[str], Optional[str]]]:
    """The award notice's id, web address and type from the documents of an award and its contracts, if any."""
    for holder in holders:
        for document in as_list(holder.get("documents")):
            document = as_dict(document)
            if as_text(document.get("noticeType")) or as_text(document.get("documentType")) in ("awardNotice", "contractNotice"):
                return as_text(document.get("id")), as_text(document.get("url")), as_text(document.get("noticeType"))
    return None

