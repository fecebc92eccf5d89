"""Re-running a tender's rules on changed copies of its data, for "what it would take" (SPEC §5).

A rule's findings depend only on the fields it declares it reads (``Rule.reads``; a rule that
declares none is taken to read everything). So a changed copy re-runs only the rules that
read a changed field, and a rule already re-run with the same changes to its fields (in a
smaller set tried before) is not run again: its findings are reused. A set whose reused
findings already keep the verdict from improving is not re-run at all (findings only ever
worsen a verdict). Nothing here reads a finding's words.
"""

from __future__ import annotations

import copy
import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from bidcheck.clearing import EACH, Change
from bidcheck.config import Settings
from bidcheck.decide import TenderResult, decide, verdict_for
from bidcheck.evaluate import Evaluation, Reason, context_for, evaluate_each, field_path
from bidcheck.models import Severity, TenderFile, Verdict
from bidcheck.problems import Problem
from bidcheck.read import Document


class Rerun:
    """The verdicts of one checked tender's changed copies: :meth:`verdict` per set of changes."""

    def __init__(
        self,
        result: TenderResult,
        evaluation: Evaluation,
        document: Document,
        settings: Settings,
        today: datetime.date,
        *,
        apply_waivers: bool = True,
    ):
        self.result, self.evaluation, self.document, self.settings = result, evaluation, document, settings
        self.today, self.apply_waivers = today, apply_waivers
        self.asked = questions(result)
        self._waivable = {waiver.rule for waiver in result.tender.waivers} if apply_waivers else set()
        self._holding = {reason.rule.id for reason in result.counted if reason.severity is not Severity.INFO}
        self._counted: dict[str, list[Reason]] = {}
        for reason in result.counted:
            self._counted.setdefault(reason.rule.id, []).append(reason)
        self._verdicts: dict[tuple[int, ...], Verdict | None] = {}
        # (rule's place, the changes it reads) -> its findings and problems. Changes are known by
        # identity: ``_changes`` holds each one, so no identity is reused while this Rerun lives.
        self._findings: dict[_FoundKey, _Found] = {}
        self._changes: dict[int, tuple[Change, int]] = {}  # id -> the change, and a bit per rule that reads it

    def verdict(self, changes: tuple[Change, ...]) -> Verdict | None:
        """The verdict of the tender with ``changes`` applied in order; None when they do not make a
        valid tender, cannot give a better verdict than the tender's, or raise a question it did not ask."""
        key = self._key(changes)
        if key not in self._verdicts:
            self._verdicts[key] = self._verdict(changes)
        return self._verdicts[key]

    def could_help(self, changes: Iterable[Change]) -> bool:
        """Could ``changes`` give a better verdict, judged from the findings they cannot alter alone?"""
        fields = changed_fields(changes)
        fixed = [reason for reason in self.result.counted if not reads_any(reason.rule.reads, fields)]
        return is_better(verdict_for(fixed), self.result.verdict)

    def _key(self, changes: Iterable[Change]) -> tuple[int, ...]:
        for change in changes:
            if id(change) not in self._changes:
                field = frozenset((_read_as(change.field),))
                readers = sum(1 << place for place, loaded in enumerate(self.settings.selected) if reads_any(loaded.rule.reads, field))
                self._changes[id(change)] = (change, readers)
        return tuple(id(change) for change in changes)

    def _verdict(self, changes: tuple[Change, ...]) -> Verdict | None:
        kept, fixed, to_run = self._known(changes)
        if not is_better(verdict_for(fixed), self.result.verdict):
            return None
        copied = self._changed_copy(changes)
        if copied is None:
            return None  # a set that does not make a valid tender is not a proposal
        tender, changed = copied
        # The rules that held the verdict back first: if one still does, the set cannot help.
        waiting = (loaded for loaded in self.settings.selected if loaded.rule.id in to_run)
        order = sorted(waiting, key=lambda loaded: loaded.rule.id not in self._holding)
        ran = evaluate_each(tender, changed, replace(self.settings, selected=tuple(order)), context_for(tender, self.settings))
        for rule, found, failed in ran:
            kept[rule.id] = self._findings[to_run[rule.id]] = (found, failed)
            if failed:
                return None  # a rule that fails leaves the check incomplete: never a better verdict
            if rule.id not in self._waivable:  # (a waived rule's findings may not count: left out of the bound)
                fixed += found
                if not is_better(verdict_for(fixed), self.result.verdict):
                    return None
        reasons: list[Reason] = []
        problems: list[Problem] = []
        for loaded in self.settings.selected:
            if loaded.rule.id in kept:
                reasons += kept[loaded.rule.id][0]
                problems += kept[loaded.rule.id][1]
            else:
                reasons += [reason for reason in self.evaluation.reasons if reason.rule is loaded.rule]
        again = replace(self.evaluation, reasons=reasons, problems=problems)
        decided = decide(
            self.result.file, tender, changed, again, self.today, apply_waivers=self.apply_waivers, settings=self.settings
        )
        if questions(decided) - self.asked:
            return None  # a change that raises a new question (a claim not evidenced) only hides the finding
        return decided.verdict

    def _known(self, changes: tuple[Change, ...]) -> tuple[dict[str, _Found], list[Reason], dict[str, _FoundKey]]:
        """What is known of ``changes`` before running anything: the findings of rules already run
        with the same changes to what they read (``kept``); the counted findings that hold whatever
        else happens (``fixed``: the untouched rules', and the kept ones a waiver cannot set aside);
        and the rules still to run, each with the key its findings will be kept under."""
        readers = [(id(change), self._changes[id(change)][1]) for change in changes]
        touched = 0
        for _, bits in readers:
            touched |= bits
        kept: dict[str, _Found] = {}
        fixed: list[Reason] = []
        to_run: dict[str, _FoundKey] = {}
        for place, loaded in enumerate(self.settings.selected):
            rule = loaded.rule
            if not touched >> place & 1:
                fixed += self._counted.get(rule.id, [])
                continue
            key = (place, tuple(change_id for change_id, bits in readers if bits >> place & 1))
            if key not in self._findings:
                to_run[rule.id] = key
                continue
            kept[rule.id] = self._findings[key]
            if rule.id not in self._waivable:
                fixed += kept[rule.id][0]
        return kept, fixed, to_run

    def _changed_copy(self, changes: tuple[Change, ...]) -> tuple[TenderFile, Document] | None:
        """The tender and its document with ``changes`` applied; None when they do not make a valid tender."""
        # Only bid and partners ever change: copy the parts changed, share the rest (never written to).
        parts = {_top_level(change.field) for change in changes}
        data = {**self.document.data, **{key: _copied(self.document.data[key]) for key in parts if key in self.document.data}}
        try:
            for change in changes:
                apply_change(data, change)
            return _revalidated(self.result.tender, data, changes), replace(self.document, data=data)
        except (ValueError, LookupError, TypeError):
            return None


_Found = tuple[list[Reason], list[Problem]]  # one rule's findings on a changed copy, and the problem if it failed
_FoundKey = tuple[int, tuple[int, ...]]  # the rule's place in the selection, and the ids of the changes it reads


def is_better(verdict: Verdict, than: Verdict) -> bool:
    """SPEC §5: bid-with-conditions or bid from no-bid/needs-info; bid from bid-with-conditions."""
    if than in (Verdict.NO_BID, Verdict.NEEDS_INFO):
        return verdict in (Verdict.BID_WITH_CONDITIONS, Verdict.BID)
    return than is Verdict.BID_WITH_CONDITIONS and verdict is Verdict.BID


def questions(result: TenderResult) -> set[tuple[str, str]]:
    """(rule, field) of every question (``unknown``) the result asks."""
    return {(reason.rule.id, reason.finding.field) for reason in result.counted if reason.severity is Severity.UNKNOWN}


_ONE_PARTNERS_FIELD = re.compile(r"^partners\[\d+\](\..+)$")


def changed_fields(changes: Iterable[Change]) -> frozenset[str]:
    """The fields ``changes`` touch, as rules' ``reads`` are matched (:func:`_read_as`)."""
    return frozenset(_read_as(change.field) for change in changes)


def _read_as(field: str) -> str:
    """A field as rules declare what they read: ``partners[2].agreement`` -> ``partners[*].agreement``
    (a rule reads that field of every partner); a partner added or removed -> ``partners`` (every
    partners read sees it)."""
    if not field.startswith("partners"):
        return field
    found = _ONE_PARTNERS_FIELD.match(field)
    return f"partners{EACH}{found[1]}" if found else "partners"


@functools.lru_cache(maxsize=4096)
def reads_any(reads: tuple[str, ...], fields: frozenset[str]) -> bool:
    """Does a rule reading ``reads`` see a change to ``fields`` (:func:`changed_fields`)? A rule that declares none reads everything."""
    return not reads or any(_reads_field(reads, field) for field in fields)


@functools.lru_cache(maxsize=4096)
def _reads_field(reads: tuple[str, ...], field: str) -> bool:
    return any(
        read == field or read.startswith((field + ".", field + "[")) or field.startswith((read + ".", read + "[")) for read in reads
    )


def _copied(value: Any) -> Any:
    """A copy of parsed YAML (mappings, lists and immutable scalars): what ``copy.deepcopy`` gives, faster."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


def _top_level(field: str) -> str:
    """``"partners[0].consented"`` -> ``"partners"``; ``"bid.price"`` -> ``"bid"``."""
    return str(field_path(field.removesuffix("[]"))[0])


def _revalidated(tender: TenderFile, data: dict[str, Any], changes: tuple[Change, ...]) -> TenderFile:
    """``tender`` as ``TenderFile.model_validate(data)`` would give it, ``data`` being its YAML
    with ``changes`` applied. Only what changed is validated again: the field itself when a
    change sets one field of the bid or of one partner (no validator reads across fields), the
    whole of ``bid`` or ``partners`` otherwise. Raises pydantic's ValidationError (a ValueError)."""
    whole = {_top_level(change.field) for change in changes if _one_field(tender, change) is None}
    copies: dict[int, Any] = {}  # a copy of each bid or partner model, set field by field (models are frozen: copies only)
    for change in changes:
        found = _one_field(tender, change)
        if found is None or _top_level(change.field) in whole:
            continue
        model, name = found
        if id(model) not in copies:
            copies[id(model)] = model.model_copy()
        type(model).__pydantic_validator__.validate_assignment(copies[id(model)], name, _at(data, change.field))
    update: dict[str, Any] = {}
    if tender.bid is not None and id(tender.bid) in copies:
        update["bid"] = copies[id(tender.bid)]
    if any(id(partner) in copies for partner in tender.partners):
        update["partners"] = [copies.get(id(partner), partner) for partner in tender.partners]
    changed = tender.model_copy(update=update)
    for key in sorted(whole):
        TenderFile.__pydantic_validator__.validate_assignment(changed, key, data.get(key))
    return changed


def _one_field(tender: TenderFile, change: Change) -> tuple[Any, str] | None:
    """(the bid or partner model, the field's name) when ``change`` sets one field of an existing one; else None."""
    if change.remove or change.field.endswith("[]"):
        return None
    path = field_path(change.field)
    if len(path) == 2 and path[0] == "bid" and tender.bid is not None and isinstance(path[1], str):
        return tender.bid, path[1]
    if len(path) == 3 and path[0] == "partners" and isinstance(path[1], int) and isinstance(path[2], str):
        return (tender.partners[path[1]], path[2]) if path[1] < len(tender.partners) else None
    return None


def _at(data: dict[str, Any], field: str) -> Any:
    holder: Any = data
    for part in field_path(field):
        holder = holder[part]
    return holder


def apply_change(data: dict[str, Any], change: Change) -> None:
    """Apply one change to a tender's parsed YAML ``data`` in place (``partners[]`` appends).

    Raises LookupError or TypeError when the path does not lead where it says.
    """
    path = change.field
    append = path.endswith("[]")
    parts = list(field_path(path[:-2] if append else path))
    holder: Any = data
    for part in parts[:-1]:
        if isinstance(part, str):
            if holder.get(part) is None:
                holder[part] = {}
        holder = holder[part]
    last = parts[-1]
    if append:
        if isinstance(holder, dict) and holder.get(last) is None:
            holder[last] = []
        holder[last].append(copy.deepcopy(change.value))
    elif change.remove:
        del holder[last]
    else:
        holder[last] = copy.deepcopy(change.value)
