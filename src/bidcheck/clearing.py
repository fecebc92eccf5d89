"""What a rule reads and what clears it: the declarative part of "what it would take" (SPEC §5).

A rule declares, next to its thresholds, the fields it reads (``reads=("bid.price",
"bid.full_cost")``) and the changes that may clear it (``clears=(...)``), built with
:func:`set_to`, :func:`add_to` and :func:`remove`, joined with ``&`` when one choice is several
changes at once. In a field, ``partners[*]`` stands for each partner in turn (one candidate
per partner); ``partners[]`` appends. A value is a constant or a function
``(tender, index) -> value`` computed from the tender (``index``: the partner's, else None);
a function returning None proposes nothing for that tender. The engine
(:mod:`bidcheck.what_it_would_take`) proposes only the bid team's own choices.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bidcheck.models import TenderFile

ValueOf = Callable[[TenderFile, "int | None"], Any]
SaysOf = Callable[[TenderFile, "int | None", Any], str]

EACH = "[*]"


@dataclass(frozen=True)
class Step:
    """One change a rule declares: set ``field`` to ``value``, append (``partners[]``), or remove."""

    field: str
    value: Any = None  # a constant or a ValueOf
    remove: bool = False
    says: str | SaysOf | None = None  # in words for reports ("{value}", "{name}" filled in); "": unsaid


@dataclass(frozen=True)
class Clear:
    """A choice that may clear a rule: one or more steps made together (``a & b``)."""

    steps: tuple[Step, ...]

    def __and__(self, other: Clear) -> Clear:
        return Clear(self.steps + other.steps)


# What a rule about partners reads of who they are: never a change "what it would take" makes alone.
PARTNERS_WHO = ("name", "annual_income", "local", "role", "areas", "delivers", "engaged")


def reads_partners(*fields: str) -> tuple[str, ...]:
    """``reads=`` entries for a check reading who the partners are (:data:`PARTNERS_WHO`) and
    ``fields`` of each: ``reads_partners("agreement")`` -> ``("partners[*].name", ...,
    "partners[*].agreement")``. Naming the fields, rather than all of ``partners``, lets what it
    would take reuse the rule's findings when another field of a partner changes (a partner
    added or removed still re-runs it)."""
    return tuple(f"partners{EACH}.{field}" for field in (*PARTNERS_WHO, *fields))


def set_to(field: str, value: Any, says: str | SaysOf | None = None) -> Clear:
    """Set ``field`` (``bid.price``, ``partners[*].consented``) to ``value`` (constant or ValueOf)."""
    return Clear((Step(field, value, says=says),))


def add_to(field: str, value: Any, says: str | SaysOf | None = None) -> Clear:
    """Append ``value`` (a mapping, or a ValueOf giving one) to the list ``field`` (``partners``)."""
    return Clear((Step(f"{field}[]", value, says=says),))


def remove(field: str, says: str | SaysOf | None = None) -> Clear:
    """Remove the list item ``field`` (``partners[*]``: each partner in turn)."""
    return Clear((Step(field, remove=True, says=says),))


@dataclass(frozen=True)
class Change:
    """One concrete change to a tender's data: JSON ``{"field": PATH, "value": V}`` or ``{"field": PATH, "remove": true}``."""

    field: str
    value: Any = None
    remove: bool = False
    says: str = ""

    def record(self) -> dict[str, Any]:
        return {"field": self.field, "remove": True} if self.remove else {"field": self.field, "value": self.value}


# SPEC §5: only the bid team's own choices change.
_FIXED_BID_FIELDS = ("bid.mission_fit", "bid.mission_rationale", "bid.decision")


def is_bid_teams(field: str) -> bool:
    """May "what it would take" change ``field``? ``bid`` fields other than mission fit, its
    rationale and the decision, and ``partners``; never tender, incumbent, competitors or organisation."""
    if field.startswith("partners[") or field == "partners":
        return True
    if not field.startswith("bid."):
        return False
    return not any(field == fixed or field.startswith(fixed + ".") for fixed in _FIXED_BID_FIELDS)


def concrete(clear: Clear, tender: TenderFile) -> Iterator[tuple[Change, ...]]:
    """The changes ``clear`` stands for on ``tender``: one tuple per partner when it says ``[*]``.

    A step whose value function gives None, or whose field is not the bid team's, drops the tuple.
    """
    each = any(EACH in step.field for step in clear.steps)
    for index in range(len(tender.partners)) if each else [None]:
        changes = []
        for step in clear.steps:
            field = step.field.replace(EACH, f"[{index}]") if index is not None else step.field
            value = step.value(tender, index) if callable(step.value) else step.value
            if (value is None and not step.remove) or not is_bid_teams(field):
                break
            changes.append(Change(field, value, step.remove, _says(step, tender, index, value)))
        else:
            yield tuple(changes)


def _says(step: Step, tender: TenderFile, index: int | None, value: Any) -> str:
    if callable(step.says):
        return step.says(tender, index, value)
    name = tender.partners[index].name if index is not None and index < len(tender.partners) else ""
    if step.says is not None:
        return step.says.format(value=value, name=name)
    if step.remove:
        return f"remove {name or step.field}"
    shown = "yes" if value is True else "no" if value is False else value.get("name", value) if isinstance(value, dict) else value
    return f"{step.field.replace(EACH, f'[{index}]')} {shown}"
