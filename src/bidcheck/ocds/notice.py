"""``import ocds``, mapping: what one release says that applies to every tender file made from it.

The buyers (the lead buyer and every co-buyer), the notice type (Find a Tender's
``documents[].noticeType``, UK1-UK17), the notice's web page, publication date, first
deadline, and where the buyers are when the notice names no delivery place.
"""

from __future__ import annotations

import datetime
from typing import Any, Optional

from bidcheck.ocds.facts import first_deadline
from bidcheck.ocds.read import Release, as_dict, as_list, as_text
from bidcheck.ocds.values import clean_line, date_part, yes_no

# Which portal published an ocid, by its registered prefix.
PUBLISHERS = {
    "ocds-b5fd17": "Contracts Finder",
    "ocds-h6vhtk": "Find a Tender",
    "ocds-r6ebe6": "Public Contracts Scotland",
    "ocds-kuma6s": "Sell2Wales",
}
# Documents whose URL is the human-readable notice page.
NOTICE_DOCUMENTS = ("tenderNotice", "contractNotice", "marketEngagementNotice", "plannedProcurementNotice")
# Procurement Act 2023 notice types (Find a Tender); a notice's own document description is preferred.
NOTICE_TYPES = {
    "UK1": "pipeline notice", "UK2": "preliminary market engagement notice", "UK3": "planned procurement notice",
    "UK4": "tender notice", "UK5": "transparency notice", "UK6": "contract award notice",
    "UK7": "contract details notice", "UK8": "payments compliance notice", "UK9": "contract performance notice",
    "UK10": "contract change notice", "UK11": "contract termination notice", "UK12": "procurement termination notice",
    "UK13": "dynamic market intention notice", "UK14": "dynamic market establishment notice",
    "UK15": "dynamic market modification notice", "UK16": "dynamic market cessation notice",
}  # fmt: skip
_DOCUMENT_HOLDERS = ("tender", "planning")


class Notice:
    """One release's notice-wide facts, read once; ``comments`` collects what could not be used."""

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
        self.lots = [lot for lot in as_list(tender.get("lots")) if isinstance(lot, dict)]
        prefix = "-".join(self.ocid.split("-")[:2])
        self.publisher_label = PUBLISHERS.get(prefix) or release.package_publisher or "an OCDS publisher"
        self.released = date_part(data.get("date"))
        self.published = date_part(tender.get("datePublished")) or self.released
        self.comments: list[str] = []
        self.buyer_parties = self._buyer_parties()
        self.buyer = self._buyer()
        self.co_buyers = [name for name in self.buyer_names if name != self.buyer]
        self.notice_type, self.notice_type_name = self._notice_type()
        self.deadline = self._deadline()
        self.url = self._url()
        self.legacy_vcse = self._legacy_suitability()

    # -- buyers --

    def _buyer_parties(self) -> list[dict[str, Any]]:
        """Parties with the buyer role, the release's ``buyer`` first (added from ``buyer`` when not a party)."""
        parties = [party for party in as_list(self.data.get("parties")) if isinstance(party, dict)]
        buyers = [party for party in parties if "buyer" in as_list(party.get("roles"))]
        lead = as_dict(self.data.get("buyer"))
        lead_id, lead_name = as_text(lead.get("id")), clean_line(lead.get("name"))
        for index, party in enumerate(buyers):
            if (lead_id and as_text(party.get("id")) == lead_id) or (lead_name and clean_line(party.get("name")) == lead_name):
                return [party, *buyers[:index], *buyers[index + 1 :]]
        return [lead, *buyers] if lead_name or lead_id else buyers

    @property
    def buyer_names(self) -> list[str]:
        names: list[str] = []
        for party in self.buyer_parties:
            name = clean_line(party.get("name"))
            if name and name not in names and not (self.legacy and name.lower() == "spend network"):
                names.append(name)
        return names

    @property
    def buyer_ids(self) -> list[str]:
        ids: list[str] = []
        for party in self.buyer_parties:
            found = clean_line(party.get("id"))
            if found and found not in ids:
                ids.append(found)
        return ids

    def _buyer(self) -> Optional[str]:
        name = clean_line(as_dict(self.data.get("buyer")).get("name"))
        if not name and self.buyer_parties:
            name = clean_line(self.buyer_parties[0].get("name"))
        if name and self.legacy and name.lower() == "spend network":
            email = clean_line(as_dict(as_dict(self.data.get("buyer")).get("contactPoint")).get("email")) or ""
            domain = email.rpartition("@")[2] if "@" in email else ""  # the buyer's domain, not a person's address
            contact = f"; its contact's email is at {domain}" if domain else ""
            self.comments.append(f"Buyer: the notice names the data aggregator 'Spend Network', not the buyer{contact}.")
            return None
        return name

    def buyer_authorities(self, every: bool = True) -> list[str]:
        """The buyers' local authorities (``bidcheck.places.local_authority``), lead buyer first.

        With ``every``, none unless every buyer is a local authority (a council and an NHS
        body together say nothing certain about where the service is delivered).
        """
        authorities: list[str] = []
        for name in self.buyer_names:
            authority = _local_authority(name)
            if authority is None and every:
                return []
            if authority and authority not in authorities:
                authorities.append(authority)
        return authorities

    def buyer_areas(self) -> tuple[list[str], Optional[str]]:
        """Where the buyers are, for a notice that names no delivery place, and a note saying so.

        The buyers' local authorities (``bidcheck.places.local_authority``), else the regions of
        their addresses (NUTS or ITL codes, as published).
        """
        authorities = self.buyer_authorities(every=False)
        if authorities:
            return authorities, "Areas: the notice names no delivery place; these are the buyers' local authorities."
        regions: list[str] = []
        for party in self.buyer_parties:
            region = clean_line(as_dict(party.get("address")).get("region"))
            if region and region not in regions:
                regions.append(region)
        if regions:
            return regions, "Areas: the notice names no delivery place; these are the regions of the buyers' addresses."
        return [], None

    # -- the notice itself --

    def _documents(self) -> list[dict[str, Any]]:
        documents = []
        for holder in _DOCUMENT_HOLDERS:
            documents += as_list(as_dict(self.data.get(holder)).get("documents"))
        for holder in ("awards", "contracts"):
            for entry in as_list(self.data.get(holder)):
                documents += as_list(as_dict(entry).get("documents"))
        return [document for document in documents if isinstance(document, dict)]

    def _notice_type(self) -> tuple[Optional[str], Optional[str]]:
        """Find a Tender's ``noticeType`` (UK1-UK17) of this release's own notice, and its name."""
        typed = [document for document in self._documents() if clean_line(document.get("noticeType"))]
        own = [document for document in typed if self.release_id and as_text(document.get("id")) == self.release_id]
        if not typed:
            return None, None
        document = (own or typed)[0]
        code = (clean_line(document.get("noticeType")) or "").upper()[:12]
        described = clean_line(document.get("description")) or ""
        described = described.split(" on Find a Tender")[0].strip() if "notice" in described.lower() else ""
        name = NOTICE_TYPES.get(code) or (described[:1].lower() + described[1:80] if described else None)
        return code, name

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
        if end is not None and date_part(end) is None:
            self.comments.append(f"tenderPeriod.endDate {clean_line(end)!r} is not a date; deadline left out.")
        interest = date_part(self.tender.get("expressionOfInterestDeadline"))
        if interest is not None:
            self.comments.append(f"Expressions of interest are due by {interest.isoformat()}.")
        deadline = first_deadline(self.tender)
        if deadline is None:
            for milestone in as_list(as_dict(self.data.get("planning")).get("milestones")):
                due = date_part(as_dict(milestone).get("dueDate"))
                if due:
                    what = clean_line(as_dict(milestone).get("title")) or "milestone"
                    self.comments.append(f"Planning notice: {what} {due.isoformat()}.")
        return deadline

    def _url(self) -> Optional[str]:
        documents = as_list(self.tender.get("documents")) + as_list(as_dict(self.data.get("planning")).get("documents"))
        for kind in NOTICE_DOCUMENTS:
            for document in documents:
                document = as_dict(document)
                if document.get("documentType") == kind and as_text(document.get("url")):
                    return clean_line(document["url"])
        for link in as_list(self.data.get("links")):
            link = as_dict(link)
            if link.get("rel") == "canonical" and as_text(link.get("href")):
                return clean_line(link["href"])
        return clean_line(self.release.package_uri)

    def _legacy_suitability(self) -> Optional[bool]:
        """Contracts Finder 2014-15 flags: a ``true`` is taken, but its ``false`` flags are migration defaults."""
        legacy = as_dict(self.tender.get("xClassifications"))
        if not legacy:
            return None
        sme, vcse = legacy.get("isSuitableForSme"), legacy.get("isSuitableForVco")
        if sme is True or vcse is True:
            self.comments.append(f"The buyer marks it suitable for SMEs: {yes_no(sme)}; for VCSEs: {yes_no(vcse)}.")
            return vcse is True or None
        self.comments.append("SME/VCSE suitability: not stated (the 2014-15 data's `false` flags are defaults).")
        return None

    def header(self) -> str:
        """The file's first line: who published it, and as what."""
        kind = f" ({self.notice_type} {self.notice_type_name})" if self.notice_type and self.notice_type_name else ""
        kind = kind or (f" ({self.notice_type})" if self.notice_type else "")
        return f"# Imported by `bidcheck import ocds` from {self.publisher_label}{kind}: check it against the notice."

    def source_fields(self) -> list[tuple[str, str]]:
        fields = [("ocid", self.ocid)]
        if self.release_id:
            fields.append(("release", self.release_id))
        fields.append(("publisher", self.publisher_label))
        if self.notice_type:
            fields.append(("notice_type", self.notice_type))
        if self.url:
            fields.append(("url", self.url))
        return fields


def _local_authority(buyer: str) -> Optional[str]:
    """The local authority a buyer is (``bidcheck.places.local_authority``, the gazetteer's), or None."""
    from bidcheck.places import local_authority  # the gazetteer loads on first use

    return local_authority(buyer)
