"""``import ocds``, mapping: what a notice says of one lot (or of the whole notice), field by field (SPEC §4.1).

Find a Tender gives most facts per lot (``tender.lots[]``: value, contract period, award
criteria, suitability) and ties items to lots with ``items[].relatedLot``; Contracts Finder
gives them for the whole tender. Each reader here takes the lot (or None) and the tender,
prefers the lot's own fact, and returns the field's value and, when something could not be
used, a note for the file's comments. Any JSON value in any field is read or left out; none
raises.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Optional

from bidcheck.ocds.read import as_dict, as_list, as_text
from bidcheck.ocds.values import clean_line, cpv, money, shorten, term

LOTS_LISTED = 20  # a notice's comment lists this many lots, then counts the rest
WEIGHT_TOLERANCE = 0.01  # percentage points: weights that add up to 100 within this are taken


def lot_items(items: list[dict[str, Any]], lot_id: Optional[str]) -> list[dict[str, Any]]:
    """The items of one lot (``relatedLot``); every item when the lot has none of its own, or for the whole notice."""
    if lot_id is None:
        return items
    return [item for item in items if as_text(item.get("relatedLot")) == lot_id] or items


# --- CPV -------------------------------------------------------------------------------


def cpv_codes(tender: dict[str, Any], lot: Optional[dict[str, Any]], items: list[dict[str, Any]]) -> list[str]:
    """CPV codes: the tender's main classification first, then its additional ones, the lot's and its items'.

    Only CPV (or unnamed) schemes; 8 digits without the check digit; each code once, in that order.
    """
    lot = lot or {}
    classifications = [tender.get("classification"), *as_list(tender.get("additionalClassifications"))]
    classifications += [lot.get("classification"), *as_list(lot.get("additionalClassifications"))]
    for item in items:
        classifications.append(item.get("classification"))
        classifications.extend(as_list(item.get("additionalClassifications")))
    codes: list[str] = []
    for classification in classifications:
        classification = as_dict(classification)
        scheme = as_text(classification.get("scheme"))
        if scheme is not None and scheme.upper() != "CPV":
            continue
        code = cpv(classification.get("id"))
        if code and code not in codes:
            codes.append(code)
    return codes


# --- places ----------------------------------------------------------------------------


def delivery_areas(items: list[dict[str, Any]]) -> list[str]:
    """Where the items are delivered: regions (names, NUTS ``UK...`` or ITL ``TL...`` codes as published) and
    postcodes, both kept; countries only when neither is given. Empty when the notice names no place.
    """
    places: list[str] = []
    countries: list[str] = []
    for item in items:
        addresses = as_list(item.get("deliveryAddresses")) or [item.get("deliveryAddress")]
        for address in addresses:
            address = as_dict(address)
            for found, key in ((places, "region"), (places, "postalCode"), (countries, "countryName")):
                text = clean_line(address.get(key))
                if text and text not in found:
                    found.append(text)
    return places or countries


def is_postcode(area: str) -> bool:
    """A full UK postcode, as the gazetteer reads one (``bidcheck.places.names.postcode_key``)."""
    from bidcheck.places.names import postcode_key

    return postcode_key(area) is not None


# --- value and term --------------------------------------------------------------------


def lot_value_note(lot: dict[str, Any]) -> str:
    """One lot in a line: ``Lot 2: Cleaning, £120,000, 36 months``."""
    parts = [f"Lot {as_text(lot.get('id')) or '?'}"]
    title = clean_line(lot.get("title"))
    if title:
        parts[0] += f": {shorten(title, 90)}"
    value = money(lot.get("value"))
    if value:
        parts.append(str(value))
    months = term(lot.get("contractPeriod")).months
    if months:
        parts.append(f"{months} months")
    return ", ".join(parts)


def lots_listed(lots: list[dict[str, Any]]) -> list[str]:
    """Comment lines listing a notice's lots (the first ``LOTS_LISTED``)."""
    lines = [f"  - {lot_value_note(lot)}" for lot in lots[:LOTS_LISTED]]
    if len(lots) > LOTS_LISTED:
        lines.append(f"  ... and {len(lots) - LOTS_LISTED} more lots; see the notice.")
    return lines


# --- award criteria --------------------------------------------------------------------

_CRITERION_KEYS = {"price": "price", "cost": "price", "quality": "quality"}


def award_weights(award_criteria: Any) -> tuple[dict[str, float], Optional[str]]:
    """``lots[].awardCriteria`` as ``{price, quality, social_value}`` percentages (0-100).

    A criterion's ``type`` (price, cost, quality) names its key; one named "social value"
    is social value. Only ``percentageExact`` weights are taken, and only when every
    criterion has one and they add up to 100; otherwise the weights go in the note.
    """
    criteria = [as_dict(criterion) for criterion in as_list(as_dict(award_criteria).get("criteria"))]
    if not criteria:
        return {}, None
    weights: dict[str, float] = {}
    described: list[str] = []
    usable = True
    for criterion in criteria:
        name = clean_line(criterion.get("name")) or clean_line(criterion.get("type")) or "unnamed"
        kind = _criterion_key(criterion, name)
        percentage = _percentage_exact(criterion.get("numbers"))
        described.append(f"{shorten(name, 60)} {_number_text(criterion.get('numbers'))}")
        if kind is None or percentage is None:
            usable = False
            continue
        weights[kind] = weights.get(kind, 0.0) + percentage
    total = sum(weights.values())
    if usable and weights and abs(total - 100) <= WEIGHT_TOLERANCE:
        return {key: round(weight, 2) for key, weight in weights.items()}, None
    why = "they do not add up to 100" if usable and weights else "not all are percentage weights of price, cost or quality"
    return {}, f"Award criteria: {'; '.join(described)} ({why}; `award_weights` left out)."


def _criterion_key(criterion: dict[str, Any], name: str) -> Optional[str]:
    if "social value" in name.lower():
        return "social_value"
    kind = criterion.get("type")
    return _CRITERION_KEYS.get(kind.strip().lower()) if isinstance(kind, str) else None


def _percentage_exact(numbers: Any) -> Optional[float]:
    for entry in as_list(numbers):
        entry = as_dict(entry)
        if entry.get("weight") != "percentageExact":
            continue
        found = entry.get("number")
        if isinstance(found, bool) or not isinstance(found, (int, float)) or not math.isfinite(found):
            return None
        return float(found) if 0 <= found <= 100 else None
    return None


def _number_text(numbers: Any) -> str:
    parts = []
    for entry in as_list(numbers)[:3]:
        entry = as_dict(entry)
        found, weight = as_text(entry.get("number")), as_text(entry.get("weight"))
        if found:
            parts.append(f"{shorten(found, 20)} ({shorten(weight, 30)})" if weight else shorten(found, 20))
    return ", ".join(parts) or "(no weight)"


# --- who may bid -----------------------------------------------------------------------

SUITABILITIES = ("sme", "vcse")
# ONS codes for the whole country, which Find a Tender gives without a name.
_ONS_COUNTRIES = {"K02000001": "the United Kingdom", "K03000001": "Great Britain", "K04000001": "England and Wales"}


def suitable_for(*suitabilities: Any) -> list[str]:
    """``suitability.sme/vcse`` flags that are ``true``, from the lot's and the tender's ``suitability``."""
    found: list[str] = []
    for suitability in suitabilities:
        suitability = as_dict(suitability)
        found += [kind for kind in SUITABILITIES if suitability.get(kind) is True and kind not in found]
    return [kind for kind in SUITABILITIES if kind in found]


def reserved_for(*other_requirements: Any) -> tuple[list[str], list[str]]:
    """``otherRequirements.reservedParticipation``: the kinds of supplier a competition is reserved for.

    Find a Tender publishes ``smeVcse`` (SMEs and VCSEs); a code naming ``sme`` or ``vcse``
    maps to them, any other code goes in the notes, and so does a reserved location.
    """
    found: list[str] = []
    notes: list[str] = []
    for requirements in other_requirements:
        requirements = as_dict(requirements)
        for code in as_list(requirements.get("reservedParticipation")):
            text = clean_line(code)
            if text is None:
                continue
            kinds = [kind for kind in SUITABILITIES if kind in text.lower()]
            if kinds:
                found += [kind for kind in kinds if kind not in found]
            else:
                notes.append(f"Participation is reserved: {shorten(text, 80)}.")
        location = as_dict(requirements.get("reservedParticipationLocation"))
        if location:
            name = clean_line(location.get("description"))
            codes = [clean_line(code) for code in as_list(as_dict(location.get("gazetteer")).get("identifiers"))]
            codes_text = ", ".join(code for code in codes if code)
            name = name or next((_ONS_COUNTRIES[code] for code in codes if code in _ONS_COUNTRIES), None)
            where = " ".join(part for part in (name, f"({codes_text})" if codes_text else None) if part)
            if where:
                notes.append(f"Participation is reserved for suppliers in {shorten(where, 120)}.")
    return [kind for kind in SUITABILITIES if kind in found], notes


def participation_fee_pct(fees: Any) -> tuple[Optional[float], list[str]]:
    """``participationFees``: the percentage (0-100) of the contract value the winner pays, and notes on other fees.

    A fee of type ``win`` with ``relativeValue.proportion`` (a fraction: 0.02 is 2%) is the
    field; several add up. Fees for submitting, for documents, or in money go in the notes.
    """
    total: Optional[float] = None
    notes: list[str] = []
    for fee in as_list(fees):
        fee = as_dict(fee)
        kinds = [kind for kind in as_list(fee.get("type")) if isinstance(kind, str)]
        proportion = as_dict(fee.get("relativeValue")).get("proportion")
        if "win" in kinds and not isinstance(proportion, bool) and isinstance(proportion, (int, float)) and 0 <= proportion <= 1:
            total = (total or 0.0) + proportion * 100
            continue
        what = "/".join(clean_line(kind) or "?" for kind in kinds) or "unstated"
        amount = money(fee.get("value"))
        detail = clean_line(fee.get("description"))
        parts = [f"a {what} fee"] + ([str(amount)] if amount else []) + ([shorten(detail, 120)] if detail else [])
        notes.append("Participation fee: " + ", ".join(parts) + ".")
    if total is not None and total > 100:
        notes.append(f"Participation fees add up to {total:g}% of the contract value; `participation_fee_pct` left out.")
        total = None
    return (round(total, 4) if total is not None else None), notes


def light_touch(*holders: dict[str, Any]) -> Optional[bool]:
    """True when a ``specialRegime`` (the tender's or the lot's) lists ``lightTouch``; None when not said."""
    for holder in holders:
        regime = holder.get("specialRegime")
        codes: Iterable[Any] = [regime] if isinstance(regime, str) else as_list(regime)
        if any(isinstance(code, str) and code.strip().lower() == "lighttouch" for code in codes):
            return True
    return None

