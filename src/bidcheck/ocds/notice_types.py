"""What a release is: a tender, a planning notice, history (an award or contract), a
cancellation or a termination, from its Procurement Act notice type or, failing that, its tags.

Find a Tender names each notice's type in ``documents[].noticeType`` (UK1-UK17); Contracts
Finder, Public Contracts Scotland and Sell2Wales give only release tags (OCDS release tag
codelist), so the tags are the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Optional

from bidcheck.ocds.read import as_dict, as_list, as_text

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

# Procurement Act 2023 notice types (Find a Tender), by what they mean for triage.
TENDER_NOTICES = frozenset({"UK4", "UK13", "UK14"})  # tender; dynamic market established or modified: suppliers may join
PLANNING_NOTICES = frozenset({"UK1", "UK2", "UK3"})  # pipeline, preliminary market engagement, planned procurement
HISTORY_NOTICES = frozenset({"UK5", "UK6", "UK7", "UK8", "UK9", "UK10", "UK11", "UK16", "UK17"})  # transparency, award, contract...
TERMINATION_NOTICES = frozenset({"UK12", "UK15"})  # procurement termination; dynamic market ceased

# What a release is, for selection: one of these or None (no tender, planning or award signal).
TENDER, PLANNING, HISTORY, CANCELLED, TERMINATED = "tender", "planning", "history", "cancelled", "terminated"
_NOTICE_TYPE = re.compile(r"^UK\d{1,2}$")
_DOCUMENT_HOLDERS = ("tender", "planning")  # sections holding documents; awards[] and contracts[] too


def release_tags(data: dict[str, Any]) -> list[str]:
    """A release's tags: an array as the standard says, or one string (``"tender"``, ``"award,contract"``).

    A codelist tag in another case (``"Tender"``) is read as the codelist spells it.
    """
    tag = data.get("tag")
    parts = re.split(r"[\s,]+", tag) if isinstance(tag, str) else [item.strip() for item in as_list(tag) if isinstance(item, str)]
    return [_KNOWN_TAGS.get(part.lower(), part) for part in parts if part]


def tags_text(data: dict[str, Any], tags: Optional[list[str]] = None) -> str:
    """The tags for messages: ``"award, contract"``, or ``"none"``; ``tags``: :func:`release_tags`, when the caller has them."""
    return ", ".join(release_tags(data) if tags is None else tags) or "none"


def notice_type(data: dict[str, Any]) -> Optional[str]:
    """The Procurement Act notice type of this release (``"UK4"``), or None when it gives none.

    The release's own notice is the document whose ``id`` is the release id (a compiled
    release also carries its earlier notices' documents); a release with no id: the last
    notice type it carries.
    """
    release_id = as_text(data.get("id"))
    found: Optional[str] = None
    for document in _documents(data):
        kind = document.get("noticeType")
        if kind is None:  # most documents: Contracts Finder and the like name no notice type
            continue
        kind = as_text(kind)
        if kind is None or not _NOTICE_TYPE.match(kind.upper()):
            continue
        if release_id is None:
            found = kind.upper()
        elif as_text(document.get("id")) == release_id:
            return kind.upper()
    return found


def _documents(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    sections = [as_dict(data.get(key)) for key in _DOCUMENT_HOLDERS]
    sections += [as_dict(item) for key in ("awards", "contracts") for item in as_list(data.get(key))]
    for section in sections:
        for document in as_list(section.get("documents")):
            if isinstance(document, dict):
                yield document


_UNKNOWN = object()


def release_kind(data: dict[str, Any], kind: Any = _UNKNOWN, tags: Optional[list[str]] = None) -> Optional[str]:
    """What this release is: TENDER, PLANNING, HISTORY, CANCELLED, TERMINATED or None.

    The notice type (``kind``, when the caller has it from :func:`notice_type`) decides
    where there is one; otherwise the tags (``tags``, when the caller has them from
    :func:`release_tags`); a record's compiled release (tag ``compiled``) is judged by what
    it holds.
    """
    if kind is _UNKNOWN:
        kind = notice_type(data)
    if kind in TENDER_NOTICES:
        return TENDER
    if kind in PLANNING_NOTICES:
        return PLANNING
    if kind in HISTORY_NOTICES:
        return HISTORY
    if kind in TERMINATION_NOTICES:
        return TERMINATED
    tags = set(release_tags(data) if tags is None else tags)
    if "compiled" in tags:
        if as_list(data.get("awards")) or as_list(data.get("contracts")):
            return HISTORY
        tender = as_dict(data.get("tender"))
        if tender.get("status") == "cancelled":
            return CANCELLED
        if tender.get("status") == "planning" or (not tender and data.get("planning")):
            return PLANNING
        return TENDER if tender else None
    if tags & AWARD_TAGS:
        return HISTORY  # the contract is let: nothing left to bid for
    if tags & CANCELLED_TAGS:
        return CANCELLED
    if tags & TENDER_TAGS:
        return TENDER
    if tags & PLANNING_TAGS:
        return PLANNING
    return None


def stage(data: dict[str, Any]) -> Optional[str]:
    """The release's stage as mapping names it: ``"tender"``, ``"planning"``, ``"award"``, ``"cancelled"`` or None."""
    kind = release_kind(data)
    return {HISTORY: "award", TERMINATED: "cancelled"}.get(kind, kind) if kind else None
