"""``import ocds``, mapping: one notice -> the tender files it gives (drafts), per lot where the notice is per lot.

A notice with several lots that each carry a value gives one file per lot, each with the
lot's own value, term, CPV, places, award weights and suitability. Otherwise the notice is
one file: a single lot's facts are the notice's; of several lots, a fact every lot shares
is the notice's, and the lots are listed in comments. With the organisation from the config,
``service`` is filled from its services' CPV prefixes and a notice outside every service
and area says so (SPEC §4.1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from bidcheck.ocds import lots as lot_facts
from bidcheck.ocds.read import as_dict, as_text
from bidcheck.ocds.render import Draft
from bidcheck.ocds.values import Term, clean_line, gross, money, term, yes_no

if TYPE_CHECKING:
    from bidcheck.models import Organisation
    from bidcheck.ocds.notice import Notice

CPV_DESCRIBED = 8  # a file's comment describes this many CPV codes


def drafts_for(notice: Notice, organisation: Optional[Organisation] = None) -> list[Draft]:
    """The drafts of one notice: one per lot when every lot of several carries a value, else one."""
    lots = notice.lots
    if len(lots) > 1 and all(money(lot.get("value")) is not None for lot in lots):
        drafts = [_draft_for_lot(notice, lot) for lot in lots]
    else:
        drafts = [_draft_whole(notice)]
    for draft in drafts:
        _describe_cpv(draft)
        if organisation is not None:
            _for_organisation(draft, organisation)
    return drafts


def _draft_whole(notice: Notice) -> Draft:
    """One file for the whole notice; a single lot is the whole notice, several are listed."""
    tender, lots = notice.tender, notice.lots
    only = lots[0] if len(lots) == 1 else None
    value = money(tender.get("value")) or (money(only.get("value")) if only else None)
    period = term(tender.get("contractPeriod"))
    if not period.given and only is not None:
        period = term(only.get("contractPeriod"))
    if not period.given and len(lots) > 1:
        period = _shared([term(lot.get("contractPeriod")) for lot in lots]) or period
    comments = [period.note] if period.note else []
    weights, weights_note = lot_facts.award_weights(tender.get("awardCriteria"))
    if only is not None and not weights and not weights_note:
        weights, weights_note = lot_facts.award_weights(only.get("awardCriteria"))
    elif len(lots) > 1 and not weights and not weights_note:
        shared = _shared([lot_facts.award_weights(lot.get("awardCriteria")) for lot in lots])
        weights, weights_note = shared if shared else ({}, "Award criteria differ by lot; see the notice.")
    suitable = lot_facts.suitable_for(tender.get("suitability"))
    if lots:
        per_lot = [set(lot_facts.suitable_for(lot.get("suitability"))) for lot in lots]
        suitable = [kind for kind in lot_facts.SUITABILITIES if kind in suitable or all(kind in found for found in per_lot)]
    if len(lots) > 1:
        comments.append(f"Lots: {len(lots)}, imported as one tender (not every lot states its own value):")
        comments += lot_facts.lots_listed(lots)
    draft = Draft(
        tender_id=notice.ocid,
        title=notice.title,
        notice=notice,
        cpv=lot_facts.cpv_codes(tender, only, notice.items),
        value=value,
        value_low=money(tender.get("minValue")),
        suitable_for=suitable,
        comments=comments,
    )
    return _complete(draft, notice, [only] if only else lots, period, weights, weights_note)


def _draft_for_lot(notice: Notice, lot: dict[str, Any]) -> Draft:
    """One file for one lot of a notice whose lots carry their own values."""
    tender = notice.tender
    lot_id = as_text(lot.get("id")) or "?"
    lot_title = clean_line(lot.get("title"))
    period = term(lot.get("contractPeriod"))
    if not period.given:
        period = term(tender.get("contractPeriod"))
    whole = money(tender.get("value"))
    comments = [f"Lot {lot_id} of {len(notice.lots)}; the notice as a whole: {whole if whole else 'value not stated'}."]
    if period.note:
        comments.append(period.note)
    weights, weights_note = lot_facts.award_weights(lot.get("awardCriteria"))
    if not weights and not weights_note:
        weights, weights_note = lot_facts.award_weights(tender.get("awardCriteria"))
    draft = Draft(
        tender_id=f"{notice.ocid}-lot-{lot_id}",
        title=f"{notice.title} - Lot {lot_id}" + (f": {lot_title}" if lot_title and lot_title != notice.title else ""),
        notice=notice,
        lot=lot_id,
        cpv=lot_facts.cpv_codes(tender, lot, lot_facts.lot_items(notice.items, lot_id)),
        value=money(lot.get("value")),
        suitable_for=lot_facts.suitable_for(lot.get("suitability"), tender.get("suitability")),
        comments=comments,
    )
    return _complete(draft, notice, [lot], period, weights, weights_note)


def _complete(
    draft: Draft, notice: Notice, lots: list[dict[str, Any]], period: Term, weights: dict[str, float], weights_note: Optional[str]
) -> Draft:
    """What every draft reads the same way: term, places, weights, regime, reservations, fees, VAT note."""
    tender = notice.tender
    draft.term_months, draft.extension_months, draft.start = period.months, period.extension_months, period.start
    draft.award_weights = weights
    if weights_note:
        draft.comments.append(weights_note)
    items = notice.items if draft.lot is None else lot_facts.lot_items(notice.items, draft.lot)
    draft.areas = lot_facts.delivery_areas(items)
    authorities = notice.buyer_authorities()
    if draft.areas and authorities and _within(authorities, draft.areas):
        draft.comments.append(
            f"Areas: the notice gives {', '.join(draft.areas)}; these are its buyers' local authorities, within it."
        )
        draft.areas = authorities
    elif not draft.areas:
        draft.areas, areas_note = notice.buyer_areas()
        if areas_note:
            draft.comments.append(areas_note)
    draft.light_touch = lot_facts.light_touch(tender, *lots)
    requirements = [tender.get("otherRequirements"), *(lot.get("otherRequirements") for lot in lots)]
    draft.reserved_for, reserved_notes = lot_facts.reserved_for(*requirements)
    draft.participation_fee_pct, fee_notes = lot_facts.participation_fee_pct(tender.get("participationFees"))
    draft.comments += reserved_notes + fee_notes
    draft.vcse = _vcse(draft, notice)
    _note_vat(draft, tender.get("value") if draft.lot is None else lots[0].get("value"))
    return draft


def _vcse(draft: Draft, notice: Notice) -> Optional[bool]:
    """The buyer's "suitable for VCSEs" flag for the selection: true, an explicit false, or not stated."""
    suitability = as_dict(notice.tender.get("suitability"))
    sme, vcse = suitability.get("sme"), suitability.get("vcse")
    stated = isinstance(sme, bool) or isinstance(vcse, bool)
    if stated:  # Contracts Finder states both, so its "no" is worth showing too
        draft.comments.append(f"The buyer marks it suitable for SMEs: {yes_no(sme)}; for VCSEs: {yes_no(vcse)}.")
    if "vcse" in draft.suitable_for:
        return True
    if stated:
        return vcse if isinstance(vcse, bool) else None
    return notice.legacy_vcse


def _note_vat(draft: Draft, value: Any) -> None:
    """A comment with the VAT-inclusive value when the file gives the net one and the notice both."""
    including = gross(value)
    net = draft.value if draft.value is not None and not draft.value.includes_vat else None
    if net is not None and including is not None and including.amount != net.amount:
        draft.comments.append(f"The notice also gives the value including VAT: {including}.")


def _shared(values: list[Any]) -> Any:
    """The value every lot gives alike, or None when they differ (or there are none)."""
    return values[0] if values and all(value == values[0] for value in values) else None


def _describe_cpv(draft: Draft) -> None:
    """A comment naming each CPV code (the shipped CPV 2008 list, ``bidcheck.cpv.describe``)."""
    described = [f"{code} {name}" for code in draft.cpv[:CPV_DESCRIBED] if (name := _cpv_description(code))]
    if described:
        more = f"; and {len(draft.cpv) - CPV_DESCRIBED} more" if len(draft.cpv) > CPV_DESCRIBED else ""
        draft.comments.append("CPV: " + "; ".join(described) + more + ".")


def _within(authorities: list[str], areas: list[str]) -> bool:
    """Are the councils buying it the narrower reading of the notice's delivery areas?

    True when each area contains one of the buyers' local authorities and each authority lies
    in one of the areas, and some area is wider than the councils: a council procures for its own
    area, and a notice's region (``UKI``, London; ``England``) only says that more coarsely.
    """
    from bidcheck.places import covers

    if all(any(covers(authority, area) for authority in authorities) for area in areas):
        return False  # already as narrow as the councils (UKD33 is Manchester): keep what was published
    return all(any(covers(area, authority) for authority in authorities) for area in areas) and all(
        any(covers(area, authority) for area in areas) for authority in authorities
    )


def _for_organisation(draft: Draft, organisation: Organisation) -> None:
    """``service`` from our services' CPV prefixes; a note when the notice is outside every service and area of ours."""
    from bidcheck.places import presence
    from bidcheck.services import service_match

    match = service_match(organisation.services, None, draft.cpv)
    if match.status == "yes" and match.by == "cpv" and match.service:
        draft.service = match.service
    outside_areas = bool(organisation.areas) and bool(draft.areas) and not presence(organisation.areas, draft.areas)
    if match.status == "no" and outside_areas:
        codes = ", ".join(f"{code} ({name})" if (name := _cpv_description(code)) else code for code in draft.cpv[:CPV_DESCRIBED])
        draft.comments.append(f"Outside our services and areas: CPV {codes}; areas {', '.join(draft.areas)}.")


def _cpv_description(code: str) -> Optional[str]:
    from bidcheck.cpv import describe  # the CPV list loads on first use

    return describe(code)


__all__ = ["drafts_for"]
