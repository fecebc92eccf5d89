"""``import ocds``, mapping: one release -> tender files (SPEC §4.1).

See the package docstring for the whole pipeline.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Optional

from bidcheck.ocds.dates import date_part as _date_part  # one date reading for the whole importer
from bidcheck.ocds.facts import IncumbentGuess, LotFacts
from bidcheck.ocds.notice_types import stage as _stage
from bidcheck.ocds.read import Release, as_dict, as_list, as_text, json_kind
from bidcheck.ocds.skips import Skip, SkipReason
from bidcheck.ocds.write import safe_file_name
from bidcheck.problems import ProblemsFound

# Which portal published an ocid, by its registered prefix.
PUBLISHERS = {
    "ocds-b5fd17": "Contracts Finder",
    "ocds-h6vhtk": "Find a Tender",
    "ocds-r6ebe6": "Public Contracts Scotland",
    "ocds-kuma6s": "Sell2Wales",
}
# Documents whose URL is the human-readable notice page.
NOTICE_DOCUMENTS = ("tenderNotice", "contractNotice", "marketEngagementNotice", "plannedProcurementNotice")
LOTS_LISTED = 20  # a notice's comment lists this many lots, then counts the rest


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


# --- 3. mapping a release to tender files ----------------------------------------------


def tenders_from_release(
    release: Release,
    *,
    organisation: Optional[Any] = None,
    incumbent_for: Optional[Callable[[LotFacts], Optional[IncumbentGuess]]] = None,
) -> list[ImportedTender] | Skip:
    """The tender files one (compiled) release gives, or why it gives none.

    The pipeline calls this only for procurements it selected as tenders
    (:mod:`bidcheck.ocds.select`); ``incumbent_for`` gives the likely incumbent of each file.
    """
    data = release.data
    ocid = release.ocid
    tender = data.get("tender")
    if not isinstance(tender, dict):
        detail = "no tender section" if tender is None else f"tender is {json_kind(tender)}, not an object"
        return Skip(SkipReason.MALFORMED, detail, release.where, ocid, release.release_id)
    title = _clean_line(tender.get("title")) or _clean_line(data.get("title"))
    if not title:
        return Skip(SkipReason.MALFORMED, "the tender has no title", release.where, ocid, release.release_id)
    notice = _Notice.of(release, title)
    lots = [lot for lot in as_list(tender.get("lots")) if isinstance(lot, dict)]
    valued = [lot for lot in lots if _amount(lot.get("value")) is not None]
    if len(lots) > 1 and len(valued) == len(lots):
        drafts = [notice.draft_for_lot(lot, len(lots)) for lot in lots]
    else:
        drafts = [notice.draft_whole(lots)]
    tenders: list[ImportedTender] = []
    for draft in drafts:
        built = draft.build()
        if isinstance(built, str):  # cannot happen for data this module wrote; reported, not hidden
            return Skip(SkipReason.MALFORMED, built, release.where, ocid, release.release_id)
        tenders.append(built)
    return tenders


@dataclass(frozen=True)
class _Money:
    amount: float
    currency: Optional[str]

    @property
    def is_gbp(self) -> bool:
        return (self.currency or "").upper() == "GBP"

    def __str__(self) -> str:
        if self.is_gbp:
            return format_pounds(self.amount)
        amount = format_pounds(self.amount).removeprefix("£")
        return f"{self.currency} {amount}" if self.currency else f"{amount} (currency not stated)"


@dataclass
class _Draft:
    """One tender file being assembled: fields in SPEC §1 order, and comments."""

    tender_id: str
    title: str
    notice: _Notice
    cpv: list[str]
    areas: list[str]
    value: Optional[_Money] = None
    value_low: Optional[_Money] = None
    term_months: Optional[int] = None
    comments: list[str] = field(default_factory=list)

    def build(self) -> ImportedTender | str:
        notice = self.notice
        fields: list[tuple[str, str]] = [("id", _quote(self.tender_id)), ("title", _quote(self.title))]
        if notice.buyer:
            fields.append(("buyer", _quote(notice.buyer)))
        if self.cpv:
            fields.append(("cpv", _flow(self.cpv)))
        value, low = self.value, self.value_low
        comments = list(self.comments)
        if value is not None and not value.is_gbp:
            comments.append(f"Value: {value}; not converted to GBP, so `value` is left out.")
            value = None
        elif value is None and low is not None:
            comments.append(f"Value: at least {low} (the notice gives only a lower bound), so `value` is left out.")
        if value is not None:
            note = ""
            if low is not None and low.is_gbp and low.amount < value.amount:
                note = f"upper bound: the notice gives {low} to {value}"
            elif low is not None and low.amount > value.amount:
                note = f"the notice's minimum, {low}, is above this value"
            fields.append(("value", _plain_number(value.amount) + (f"  # {note}" if note else "")))
        if self.term_months is not None:
            fields.append(("term_months", str(self.term_months)))
        if self.areas:
            fields.append(("areas", _flow(self.areas)))
        if notice.published:
            fields.append(("published", notice.published.isoformat()))
        if notice.deadline:
            fields.append(("deadline", notice.deadline.isoformat()))
        lines = [
            f"# Imported by `bidcheck import ocds` from {notice.publisher_label}: check it against the notice.",
            *[f"# {_clean_comment(line)}" for line in notice.comments + comments],
            "tender:",
            *[f"  {key}: {value_text}" for key, value_text in fields],
            "  source:",
            *[f"    {key}: {_quote(value_text)}" for key, value_text in notice.source_fields()],
            "",
            *QUESTIONS,
        ]
        text = "\n".join(lines) + "\n"
        problem = _validation_problem(text, self.tender_id)
        if problem:
            return problem
        gbp_low = self.value_low.amount if self.value_low and self.value_low.is_gbp else None
        return ImportedTender(
            tender_id=self.tender_id,
            file_name=safe_file_name(self.tender_id),
            text=text,
            ocid=notice.ocid,
            release_id=notice.release_id,
            where=notice.where,
            cpv=tuple(self.cpv),
            areas=tuple(self.areas),
            value=value.amount if value else None,
            value_low=gbp_low,
            vcse=notice.vcse,
            released=notice.released,
        )


QUESTIONS = (
    "# What OCDS cannot say. Answer these questions, then add the answers to this file",
    "# (`bidcheck init` writes a template with every key; `bidcheck check` asks what is missing):",
    "# - service: which of our services is this? (matched against organisation.services)",
    "# - incumbent: who delivers this service now, or `incumbent: none` if it is new? Their annual",
    "#   income, how well they perform, are they local or user-led, how long have they delivered it,",
    "#   and how many staff would transfer (TUPE)?",
    "# - bid: are we sole, prime or a partner? Our price and the full cost of delivery? How well does",
    "#   it fit our mission? Did people who will use it shape our bid? Will we partner with, support",
    "#   or compete with the incumbent, and how do we keep continuity for current service users?",
    "# - partners: who would deliver with us, on what share of the value, fees and terms? Have they",
    "#   agreed to be named, and did they shape the bid?",
)


class _Notice:
    """What one release says that applies to every tender file made from it."""

    def __init__(self, release: Release, title: str):
        data = release.data
        tender = as_dict(data.get("tender"))
        self.release = release
        self.data = data
        self.tender = tender
        self.title = title
        self.ocid = release.ocid
        self.release_id = release.release_id
        self.where = release.where
        self.legacy = isinstance(tender.get("xClassifications"), dict)  # Contracts Finder v1 (2014-15)
        self.items = [item for item in as_list(tender.get("items")) if isinstance(item, dict)]
        self.publisher_label = PUBLISHERS.get(_ocid_prefix(self.ocid)) or release.package_publisher or "an OCDS publisher"
        self.released = _date_part(data.get("date"))
        self.published = _date_part(tender.get("datePublished")) or self.released
        self.comments: list[str] = []
        self.buyer = self._buyer()
        self.deadline = self._deadline()
        self.url = self._url()
        self.vcse = self._suitability()

    @classmethod
    def of(cls, release: Release, title: str) -> _Notice:
        return cls(release, title)

    def _buyer(self) -> Optional[str]:
        name = _clean_line(as_dict(self.data.get("buyer")).get("name"))
        if not name:
            buyers = [party for party in as_list(self.data.get("parties")) if "buyer" in as_list(as_dict(party).get("roles"))]
            name = _clean_line(as_dict(buyers[0]).get("name")) if buyers else None
        if name and self.legacy and name.lower() == "spend network":
            email = _clean_line(as_dict(as_dict(self.data.get("buyer")).get("contactPoint")).get("email")) or ""
            domain = email.rpartition("@")[2] if "@" in email else ""  # the buyer's domain, not a person's address
            contact = f"; its contact's email is at {domain}" if domain else ""
            self.comments.append(f"Buyer: the notice names the data aggregator 'Spend Network', not the buyer{contact}.")
            return None
        return name

    def _deadline(self) -> Optional[datetime.date]:
        period = as_dict(self.tender.get("tenderPeriod"))
        if self.legacy:
            # Contracts Finder v1 data put what looks like the contract period in tenderPeriod.
            start, end = as_text(period.get("startDate")), as_text(period.get("endDate"))
            if start or end:
                self.comments.append(
                    f"tenderPeriod {(start or '?')[:10]} to {(end or '?')[:10]} looks like the contract period "
                    "(Contracts Finder 2014-15 data), so it is not used as the deadline or term."
                )
            return None
        end = period.get("endDate")
        deadline = _date_part(end)
        if end is not None and deadline is None:
            self.comments.append(f"tenderPeriod.endDate {_clean_line(end)!r} is not a date; deadline left out.")
        if _stage(self.data) == "planning":
            for milestone in as_list(as_dict(self.data.get("planning")).get("milestones")):
                due = _date_part(as_dict(milestone).get("dueDate"))
                if due:
                    what = _clean_line(as_dict(milestone).get("title")) or "milestone"
                    self.comments.append(f"Planning notice: {what} {due.isoformat()}.")
        return deadline

    def _url(self) -> Optional[str]:
        documents = as_list(self.tender.get("documents")) + as_list(as_dict(self.data.get("planning")).get("documents"))
        for kind in NOTICE_DOCUMENTS:
            for document in documents:
                document = as_dict(document)
                if document.get("documentType") == kind and as_text(document.get("url")):
                    return _clean_line(document["url"])
        for link in as_list(self.data.get("links")):
            link = as_dict(link)
            if link.get("rel") == "canonical" and as_text(link.get("href")):
                return _clean_line(link["href"])
        return _clean_line(self.release.package_uri)

    def _suitability(self) -> Optional[bool]:
        suitability = as_dict(self.tender.get("suitability"))
        sme, vcse = suitability.get("sme"), suitability.get("vcse")
        if isinstance(sme, bool) or isinstance(vcse, bool):
            self.comments.append(f"The buyer marks it suitable for SMEs: {_yes_no(sme)}; for VCSEs: {_yes_no(vcse)}.")
            return vcse if isinstance(vcse, bool) else None
        legacy = as_dict(self.tender.get("xClassifications"))
        if legacy:
            sme, vcse = legacy.get("isSuitableForSme"), legacy.get("isSuitableForVco")
            if sme is True or vcse is True:
                self.comments.append(f"The buyer marks it suitable for SMEs: {_yes_no(sme)}; for VCSEs: {_yes_no(vcse)}.")
                return vcse is True or None
            self.comments.append("SME/VCSE suitability: not stated (the 2014-15 data's `false` flags are defaults).")
        return None

    def source_fields(self) -> list[tuple[str, str]]:
        fields = [("ocid", self.ocid)]
        if self.release_id:
            fields.append(("release", self.release_id))
        fields.append(("publisher", self.publisher_label))
        if self.url:
            fields.append(("url", self.url))
        return fields

    # -- lots --

    def draft_whole(self, lots: list[dict[str, Any]]) -> _Draft:
        """One tender for the whole notice; several lots are listed in comments."""
        tender = self.tender
        value, low = _amount(tender.get("value")), _amount(tender.get("minValue"))
        term, term_note = _term(tender.get("contractPeriod"))
        if len(lots) == 1:  # one lot is the whole notice
            value = value or _amount(lots[0].get("value"))
            if term is None and term_note is None:
                term, term_note = _term(lots[0].get("contractPeriod"))
        comments = [term_note] if term_note else []
        if len(lots) > 1:
            terms = {_term(lot.get("contractPeriod"))[0] for lot in lots}
            if term is None and term_note is None and len(terms) == 1:
                term = terms.pop()
            comments.append(f"Lots: {len(lots)}, imported as one tender (not every lot states its own value):")
            for lot in lots[:LOTS_LISTED]:
                comments.append(f"  - {_lot_summary(lot)}")
            if len(lots) > LOTS_LISTED:
                comments.append(f"  ... and {len(lots) - LOTS_LISTED} more lots; see the notice.")
        return _Draft(
            tender_id=self.ocid,
            title=self.title,
            notice=self,
            cpv=_cpv_codes(tender, self.items),
            areas=_areas(self.items),
            value=value,
            value_low=low,
            term_months=term,
            comments=comments,
        )

    def draft_for_lot(self, lot: dict[str, Any], lot_count: int) -> _Draft:
        """One tender for one lot of a notice whose lots carry their own values."""
        lot_id = as_text(lot.get("id")) or "?"
        items = [item for item in self.items if as_text(item.get("relatedLot")) == lot_id] or self.items
        lot_title = _clean_line(lot.get("title"))
        term, term_note = _term(lot.get("contractPeriod"))
        if term is None and term_note is None:
            term, term_note = _term(self.tender.get("contractPeriod"))
        whole = _amount(self.tender.get("value"))
        comments = [f"Lot {lot_id} of {lot_count}; the notice as a whole: {whole if whole else 'value not stated'}."]
        if term_note:
            comments.append(term_note)
        return _Draft(
            tender_id=f"{self.ocid}-lot-{lot_id}",
            title=f"{self.title} - Lot {lot_id}" + (f": {lot_title}" if lot_title and lot_title != self.title else ""),
            notice=self,
            cpv=_cpv_codes(self.tender, items),
            areas=_areas(items),
            value=_amount(lot.get("value")),
            term_months=term,
            comments=comments,
        )


def _lot_summary(lot: dict[str, Any]) -> str:
    parts = [f"Lot {as_text(lot.get('id')) or '?'}"]
    title = _clean_line(lot.get("title"))
    if title:
        parts[0] += f": {_shorten(title, 90)}"
    value = _amount(lot.get("value"))
    if value:
        parts.append(str(value))
    months, _ = _term(lot.get("contractPeriod"))
    if months:
        parts.append(f"{months} months")
    return ", ".join(parts)


def _cpv_codes(tender: dict[str, Any], items: list[dict[str, Any]]) -> list[str]:
    """CPV codes from the tender and its items, main classification first, without repeats."""
    classifications = [tender.get("classification"), *as_list(tender.get("additionalClassifications"))]
    for item in items:
        classifications.append(item.get("classification"))
        classifications.extend(as_list(item.get("additionalClassifications")))
    codes: list[str] = []
    for classification in classifications:
        classification = as_dict(classification)
        scheme = as_text(classification.get("scheme"))
        if scheme is not None and scheme.upper() != "CPV":
            continue
        code = _cpv(classification.get("id"))
        if code and code not in codes:
            codes.append(code)
    return codes


def _cpv(value: Any) -> Optional[str]:
    """``"85300000-2"`` -> ``"85300000"``; a number that lost its leading zero gets it back."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    digits = str(value).strip().split("-")[0]
    if not digits.isdigit() or len(digits) > 8:
        return None
    return digits.zfill(8)


_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}$", re.IGNORECASE)


def _areas(items: list[dict[str, Any]]) -> list[str]:
    """Regions (names or NUTS/ITL codes); postcodes when that is all; countries as a last resort."""
    regions: list[str] = []
    postcodes: list[str] = []
    countries: list[str] = []
    for item in items:
        addresses = as_list(item.get("deliveryAddresses")) or [item.get("deliveryAddress")]
        for address in addresses:
            address = as_dict(address)
            for found, key in ((regions, "region"), (postcodes, "postalCode"), (countries, "countryName")):
                text = _clean_line(address.get(key))
                if text and text not in found:
                    found.append(text)
    return regions or postcodes or countries


def _term(period: Any) -> tuple[Optional[int], Optional[str]]:
    """Months of a contract period, or None and a note saying why not."""
    period = as_dict(period)
    days = period.get("durationInDays")
    if not isinstance(days, bool) and isinstance(days, (int, float)) and math.isfinite(days) and days > 0:
        # Scottish and Welsh notices give months as 30-day blocks (720 = 24 months).
        months = int(days // 30) if days % 30 == 0 else round(days / 30.4375)
    else:
        start, end = _date_part(period.get("startDate")), _date_part(period.get("endDate"))
        if start is None or end is None:
            return None, None
        if end < start:
            return None, f"Contract period {start} to {end} ends before it starts; term left out."
        months = round(((end - start).days + 1) / 30.4375)  # end dates are inclusive
    if not 1 <= months <= 1200:
        return None, f"Contract period of about {months} months is out of range; term left out."
    return months, None


# --- the selection ---------------------------------------------------------------------

# NUTS 1 / ITL 1 regions, so "Scotland" finds UKM71 and "London" finds TLI41.
_REGION_CODES = {
    "north east": ("TLC",), "north west": ("TLD",), "yorkshire and the humber": ("TLE",), "east midlands": ("TLF",),
    "west midlands": ("TLG",), "east of england": ("TLH",), "london": ("TLI",), "south east": ("TLJ",),
    "south west": ("TLK",), "wales": ("TLL",), "scotland": ("TLM",), "northern ireland": ("TLN",),
    "england": ("TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK"), "united kingdom": ("TL",), "uk": ("TL",),
}  # fmt: skip
_REGION_CODE = re.compile(r"^(?:UK|TL)[A-Z0-9]{0,3}$")


def _area_keys(area: str) -> set[str]:
    text = area.strip()
    upper = re.sub(r"\s+", "", text.upper())
    if _REGION_CODE.match(upper):
        return {"code:TL" + upper[2:]}  # NUTS UKx and ITL TLx agree at region level
    if _POSTCODE.match(text):
        return {"postcode:" + upper}
    name = re.sub(r"[\s_-]+", " ", text.lower())
    return {"name:" + name} | {"code:" + code for code in _REGION_CODES.get(name, ())}


def area_overlaps(wanted: str, area: str) -> bool:
    """Does a notice's ``area`` overlap the ``wanted`` one? Regions nest by code prefix.

    Names match ignoring case; NUTS (UK...) and ITL (TL...) codes compare by prefix either
    way, and English region names stand for their codes; a postcode matches its full form,
    its outward code ("LN1") or its area letters ("LN").
    """
    wanted_keys, area_keys = _area_keys(wanted), _area_keys(area)
    for ours in wanted_keys:
        for theirs in area_keys:
            if ours == theirs:
                return True
            if ours.startswith("code:") and theirs.startswith("code:") and (ours.startswith(theirs) or theirs.startswith(ours)):
                return True
    postcodes = [key[len("postcode:") :] for key in area_keys if key.startswith("postcode:")]
    plain = re.sub(r"\s+", "", wanted.upper())
    return any(plain in (code, code[:-3], re.match(r"[A-Z]+", code)[0]) for code in postcodes)  # type: ignore[index]


# --- small helpers ---------------------------------------------------------------------



def _amount(value: Any) -> Optional[_Money]:
    """An OCDS Value with a usable, positive amount (0 means "not given" in this data)."""
    value = as_dict(value)
    amount = _number(value.get("amount"))
    if amount is None:
        return None
    if not math.isfinite(amount) or amount <= 0 or amount >= 1e15:
        return None
    currency = as_text(value.get("currency"))
    return _Money(round(amount, 2), currency.upper() if currency else None)


_GROUP_SPACE = re.compile(r"(?<=\d)[ \u00a0\u2009\u202f](?=\d{3}(?!\d))")  # "1 250 000": spaces grouping thousands


def _number(amount: Any) -> Optional[float]:
    """An amount as a number: a JSON number, or text some publishers send (``"1250000.00"``, ``"1,250,000"``)."""
    from bidcheck.money import parse_money

    if isinstance(amount, bool) or not isinstance(amount, (int, float, str)):
        return None
    if isinstance(amount, str):
        amount = _GROUP_SPACE.sub("", amount)
    try:
        return parse_money(amount) if isinstance(amount, str) else float(amount)
    except (ValueError, OverflowError):
        return None


def _ocid_prefix(ocid: str) -> str:
    return "-".join(ocid.split("-")[:2])


def _yes_no(flag: Any) -> str:
    if flag is True:
        return "yes"
    return "no" if flag is False else "not stated"


def format_pounds(amount: float) -> str:
    """Exact, so a range reads as published: £8,275,000."""
    text = f"£{amount:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def _plain_number(amount: float) -> str:
    text = f"{amount:.2f}"
    return text[:-3] if text.endswith(".00") else text


# Characters YAML would read as line breaks or refuse, and other invisible control characters.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def _clean_line(value: Any) -> Optional[str]:
    """Text for a one-line field: control characters and runs of spaces become one space."""
    text = as_text(value)
    if text is None or not isinstance(value, str):
        return text
    cleaned = re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()
    return cleaned or None


def _clean_comment(text: str) -> str:
    return re.sub(r"[ \t]+$", "", _CONTROL.sub(" ", text))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _quote(text: str) -> str:
    """A YAML double-quoted scalar that any YAML reader reads back as exactly ``text``."""
    out = ['"']
    for character in text:
        code = ord(character)
        if character in '"\\':
            out.append("\\" + character)
        elif 0x20 <= code < 0x7F or (0xA0 <= code and not _CONTROL.match(character)):
            out.append(character)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:  # pragma: no cover - astral characters are printable and kept above
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(_quote(value) for value in values) + "]"


def _validation_problem(text: str, tender_id: str) -> Optional[str]:
    """Read the YAML back as ``bidcheck check`` will; a problem here is a bug in this module."""
    from bidcheck.read import read_text
    from bidcheck.validate import validate_tender

    try:
        validate_tender(read_text(text, tender_id))
    except ProblemsFound as error:
        return "could not be written as a valid tender file: " + "; ".join(p.message for p in error.problems)
    return None
