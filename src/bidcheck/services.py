"""Is the tender's service one we deliver? One answer for every rule, triage and the importer (SPEC §1.1).

A tender's service matches one of ``organisation.services`` by name (ignoring case, spaces
and hyphens), or, when the tender has no ``service``, by CPV: a tender CPV code that starts
with one of the service's ``cpv`` prefixes.

A tender that names its ``service`` is judged by that name alone, even when one of its CPV
codes starts with one of our prefixes: §1.1 lets CPV decide only "when the tender has no
service", and a service someone wrote down (or the importer chose) is more specific than a
notice's classification, which often lists every code a buyer could think of.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Optional, Union

from bidcheck import cpv as cpv_list
from bidcheck.models import Service
from bidcheck.places import normalise

MatchStatus = Literal["yes", "no", "unknown"]


@dataclass(frozen=True)
class ServiceMatch:
    """Whether a tender's service is ours, and what was compared to decide.

    ``status``: "yes" (ours), "no" (outside every service we deliver) or "unknown".
    ``service``: our service's name that matched; ``by``: "name" or "cpv" (None unless "yes").
    ``cpv``: the tender's CPV code that matched, and ``prefix`` our CPV prefix it starts with.
    ``missing``, when "unknown": the field that would decide it, ``organisation.services``
    (we list none), ``tender.service`` (the tender gives neither a service nor CPV codes, or
    only codes broader than our prefixes: then ``cpv`` and ``prefix`` name the pair) or
    ``organisation.services.cpv`` (the tender gives only CPV codes and none of our services
    lists CPV prefixes).
    The rest is what was compared: the tender's ``tender_service`` and ``tender_cpv``, our
    services' names (``our_services``) and their prefixes (``our_cpv``, by service name).
    """

    status: MatchStatus
    service: Optional[str] = None
    by: Optional[Literal["name", "cpv"]] = None
    cpv: Optional[str] = None
    prefix: Optional[str] = None
    missing: Optional[str] = None
    tender_service: Optional[str] = None
    tender_cpv: tuple[str, ...] = ()
    our_services: tuple[str, ...] = ()
    our_cpv: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def evidence(self) -> dict[str, Any]:
        """What was compared, as a finding's evidence: the tender's service or its CPV codes (each
        with its CPV 2008 description, or None when the list does not know it) and ours."""
        compared: dict[str, Any] = {}
        if self.tender_service is not None or not self.tender_cpv:
            compared["service"] = self.tender_service
        else:
            compared["cpv"] = {code: cpv_list.describe(code) for code in self.tender_cpv}
        compared["our_services"] = list(self.our_services)
        if "cpv" in compared:
            compared["our_cpv"] = {name: list(prefixes) for name, prefixes in self.our_cpv.items()}
        if self.status == "yes":
            compared["matched"] = {"service": self.service, "by": self.by, "cpv": self.cpv, "prefix": self.prefix}
        return compared

    def tender_codes(self) -> str:
        """The tender's CPV codes with their descriptions: "45000000 (Construction work), 45210000 (...)"."""
        return ", ".join(described(code) for code in self.tender_cpv)

    def code(self) -> str:
        """``cpv`` (the code that matched, or the broader one) with its description."""
        return described(self.cpv) if self.cpv else ""

    def our_prefixes(self) -> str:
        """Our services and their CPV prefixes: "carers-support: 853, 85312; substance-misuse: no CPV prefixes"."""
        return "; ".join(
            f"{name}: {', '.join(self.our_cpv[name]) if self.our_cpv.get(name) else 'no CPV prefixes'}" for name in self.our_services
        )


def described(code: str) -> str:
    """A CPV code with its description when the CPV 2008 list knows it: "85312300 (Guidance and counselling services)"."""
    description = cpv_list.describe(code)
    return f"{code} ({description})" if description else code


def service_match(services: Sequence[Union[Service, str]], service: Optional[str], cpv: Sequence[str]) -> ServiceMatch:
    """Does the tender (its ``service`` name, its ``cpv`` codes) fall within ``services``
    (``organisation.services``: :class:`~bidcheck.models.Service` entries, or plain names)?

    By name when ``service`` is given; otherwise by CPV: the first of the tender's codes (in
    the order given, the main code first) that starts with one of our prefixes decides, and
    the longest such prefix names our service (``85312`` before ``853``). When none does but
    a code is broader than one of our prefixes (``85000000`` against ``853``), "unknown":
    the notice's classification cannot say, its service must. Tender codes that
    are not CPV codes (letters, say) are compared with nothing. Never raises on content.
    """
    ours = [entry if isinstance(entry, Service) else Service(name=entry) for entry in services]
    compared: dict[str, Any] = {
        "tender_service": service if service and service.strip() else None,
        "tender_cpv": tuple(cpv),
        "our_services": tuple(entry.name for entry in ours),
        "our_cpv": {entry.name: tuple(entry.cpv) for entry in ours if entry.cpv},
    }
    if not ours:
        return ServiceMatch("unknown", missing="organisation.services", **compared)
    if service is not None and service.strip():
        wanted = normalise(service)
        named = next((entry.name for entry in ours if normalise(entry.name) == wanted), None)
        return ServiceMatch("yes", named, "name", **compared) if named else ServiceMatch("no", **compared)
    if not cpv:
        return ServiceMatch("unknown", missing="tender.service", **compared)
    if not compared["our_cpv"]:
        return ServiceMatch("unknown", missing="organisation.services.cpv", **compared)
    for code in cpv:
        digits = cpv_list.digits(code)
        if digits is None:
            continue
        matches = [(prefix, entry.name) for entry in ours for prefix in entry.cpv if digits.startswith(prefix)]
        if matches:
            prefix, name = max(matches, key=lambda match: len(match[0]))  # max keeps the first of equals
            return ServiceMatch("yes", name, "cpv", cpv=code, prefix=prefix, **compared)
    broader = _broader(cpv, ours)
    if broader:
        code, prefix = broader
        return ServiceMatch("unknown", cpv=code, prefix=prefix, missing="tender.service", **compared)
    return ServiceMatch("no", **compared)


def _broader(cpv: Sequence[str], ours: Sequence[Service]) -> Optional[tuple[str, str]]:
    """A tender code broader than one of our prefixes, and that prefix: ``85000000`` (Health and
    social work services) takes in ``853`` (social work) and more, so it neither is nor is not ours.

    A code's trailing zeros only pad it to eight digits: ``85000000`` is the division ``85``.
    A division or group (at least two significant digits) counts; the whole list does not.
    """
    for code in cpv:
        digits = cpv_list.digits(code)
        significant = digits.rstrip("0") if digits else ""
        if len(significant) < 2:
            continue
        within = [prefix for entry in ours for prefix in entry.cpv if prefix.startswith(significant) and len(prefix) > len(significant)]
        if within:
            return code, min(within, key=len)  # the nearest of our prefixes: 853 before 85312
    return None
