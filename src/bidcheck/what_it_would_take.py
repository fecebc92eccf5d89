"""What it would take (SPEC §5): the smallest sets of the bid team's own changes that give a better verdict.

Found by re-running the same rules, config and day on changed copies of the tender's data,
never by reading messages. The candidates are the choices declared (``clears=``) by the
rules whose findings count; the search tries sets of at most :data:`MAX_CHANGES` candidates,
smallest first, among at most :data:`MAX_CANDIDATES` candidates and :data:`MAX_TRIES` re-runs
per tender, and stops at the first size that finds a better verdict. A set that makes a rule
ask a question the tender did not raise (``incumbent_approach: partner`` with the incumbent not
among the partners) is not offered: it hides a finding behind a claim, it does not clear it.
"""

from __future__ import annotations

import copy
import datetime
import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bidcheck.clearing import Change, concrete
from bidcheck.config import Settings
from bidcheck.decide import VERDICT_ORDER, TenderResult, decide, verdict_for
from bidcheck.evaluate import Evaluation, Reason, evaluate, field_path
from bidcheck.models import Severity, TenderFile, Verdict
from bidcheck.read import Document

MAX_CHANGES = 3  # SPEC §5: changes of at most three facts
MAX_CANDIDATES = 8  # choices tried per tender, in rule order
MAX_TRIES = 40  # re-runs of the rules per tender: C(8,1)+C(8,2) = 36, then triples until this
MAX_REPORTED = 3


@dataclass(frozen=True)
class Proposal:
    """A set of changes and the verdict they give; ``cleared`` names, per change, the rules it clears."""

    changes: tuple[Change, ...]
    verdict: Verdict
    cleared: tuple[tuple[str, ...], ...] = ()

    def describe(self) -> str:
        """In words, naming the rules each change clears: "price at least £1.23m (PWR001) and ...: bid with conditions"."""
        said = [f"{change.says} ({', '.join(rules)})" for change, rules in zip(self.changes, self.cleared) if change.says]
        return f"{' and '.join(said)}: {self.verdict.value.replace('-', ' ')}"

    def record(self) -> dict[str, Any]:
        return {"changes": [change.record() for change in self.changes], "verdict": self.verdict.value}


def is_better(verdict: Verdict, than: Verdict) -> bool:
    """SPEC §5: bid-with-conditions or bid from no-bid/needs-info; bid from bid-with-conditions."""
    if than in (Verdict.NO_BID, Verdict.NEEDS_INFO):
        return verdict in (Verdict.BID_WITH_CONDITIONS, Verdict.BID)
    return than is Verdict.BID_WITH_CONDITIONS and verdict is Verdict.BID


def what_it_would_take(
    result: TenderResult,
    evaluation: Evaluation,
    document: Document,
    settings: Settings,
    today: datetime.date,
    *,
    apply_waivers: bool = True,
) -> tuple[Proposal, ...]:
    """Up to :data:`MAX_REPORTED` proposals for ``result`` (its ``evaluation``), best first; () for a ``bid`` verdict.

    Each try re-runs only the rules that read a changed field (``Rule.reads``; a rule that
    declares none always re-runs) and reuses the findings of the others.
    """
    if result.verdict is Verdict.BID or result.problems:
        return ()
    candidates = _candidates(result)
    if not candidates or not _could_be_better(result, candidates):
        return ()

    def verdict_of(changes: tuple[Change, ...]) -> Verdict | None:
        # Only bid and partners ever change: copy those, share the rest (it is never written to).
        data = {**document.data, **{key: copy.deepcopy(document.data[key]) for key in ("bid", "partners") if key in document.data}}
        try:
            for change in changes:
                apply_change(data, change)
            tender = TenderFile.model_validate(data)
        except (ValueError, LookupError, TypeError):
            return None  # a set that does not make a valid tender is not a proposal
        changed = replace(document, data=data)
        again = _reevaluate(tender, changed, settings, evaluation, {change.field for change in changes})
        decided = decide(result.file, tender, changed, again, today, apply_waivers=apply_waivers, settings=settings)
        if _questions(decided) - asked:
            return None  # a change that raises a new question (a claim not evidenced) only hides the finding
        return decided.verdict

    asked = _questions(result)

    found = [_minimal(proposal, verdict_of) for proposal in _search(result.verdict, candidates, verdict_of)]
    kept: list[Proposal] = []
    for proposal in found:  # still best first; drop a set holding one already kept
        if not any({c.field for c in earlier.changes} <= {c.field for c in proposal.changes} for earlier in kept):
            kept.append(proposal)
    return tuple(kept[:MAX_REPORTED])


def _questions(result: TenderResult) -> set[tuple[str, str]]:
    """(rule, field) of every question (``unknown``) the result asks."""
    return {(reason.rule.id, reason.finding.field) for reason in result.counted if reason.severity is Severity.UNKNOWN}


def _could_be_better(result: TenderResult, candidates: list[_Candidate]) -> bool:
    """Could any candidate help? Not when the findings of the rules no candidate touches already hold the verdict."""
    fields = {change.field for changes, _ in candidates for change in changes}
    fixed = [reason for reason in result.counted if not _reads_any(reason.rule.reads, fields)]
    return is_better(verdict_for(fixed), result.verdict) or verdict_for(fixed) is Verdict.BID


def _reevaluate(tender: TenderFile, document: Document, settings: Settings, before: Evaluation, fields: set[str]) -> Evaluation:
    rerun = tuple(loaded for loaded in settings.selected if _reads_any(loaded.rule.reads, fields))
    fresh = evaluate(tender, document, replace(settings, selected=rerun))
    ids = {loaded.rule.id for loaded in rerun}
    by_rule: dict[str, list[Reason]] = {}
    for reason in fresh.reasons:
        by_rule.setdefault(reason.rule.id, []).append(reason)
    for reason in before.reasons:
        if reason.rule.id not in ids:
            by_rule.setdefault(reason.rule.id, []).append(reason)
    reasons = [reason for loaded in settings.selected for reason in by_rule.get(loaded.rule.id, [])]
    return replace(before, reasons=reasons, problems=fresh.problems)


def _reads_any(reads: tuple[str, ...], fields: set[str]) -> bool:
    """Does a rule reading ``reads`` see a change to ``fields``? Any change to partners touches every partners read."""
    if not reads:
        return True  # undeclared: assume it reads everything
    return any(_reads_field(reads, "partners" if field.startswith("partners") else field) for field in fields)


@functools.lru_cache(maxsize=4096)
def _reads_field(reads: tuple[str, ...], field: str) -> bool:
    return any(
        read == field or read.startswith((field + ".", field + "[")) or field.startswith((read + ".", read + "[")) for read in reads
    )


_Candidate = tuple[tuple[Change, ...], tuple[str, ...]]  # the changes of one choice, and the rules declaring it


def _candidates(result: TenderResult) -> list[_Candidate]:
    counting = []
    for reason in result.counted:
        counts = reason.severity in (Severity.BLOCKER, Severity.CONCERN) or (
            reason.severity is Severity.UNKNOWN and reason.can_block
        )
        if counts and reason.rule not in counting:
            counting.append(reason.rule)
    declared: dict[str, tuple[tuple[Change, ...], list[str]]] = {}
    for rule in counting:
        for clear in rule.clears:
            for changes in concrete(clear, result.tender):
                if not all(_changes_something(result.tender, change) for change in changes):
                    continue
                _, rules = declared.setdefault(repr([change.record() for change in changes]), (changes, []))
                if rule.id not in rules:
                    rules.append(rule.id)
    return [(changes, tuple(rules)) for changes, rules in declared.values()][:MAX_CANDIDATES]


def _changes_something(tender: TenderFile, change: Change) -> bool:
    if change.remove or change.field.endswith("[]"):
        return True
    try:
        current: Any = tender
        for part in field_path(change.field):
            current = current[part] if isinstance(part, int) else getattr(current, part)
    except (AttributeError, IndexError, TypeError):
        return True
    return current != change.value


def _search(
    before: Verdict, candidates: list[_Candidate], verdict_of: Callable[[tuple[Change, ...]], Verdict | None]
) -> list[Proposal]:
    found: list[tuple[frozenset[int], Verdict, Proposal]] = []
    tries = 0
    for size in range(1, MAX_CHANGES + 1):
        for chosen in itertools.combinations(range(len(candidates)), size):
            members = frozenset(chosen)
            if any(
                subset <= members and VERDICT_ORDER.index(verdict) >= VERDICT_ORDER.index(Verdict.BID)
                for subset, verdict, _ in found
            ):
                continue  # a smaller set already gives bid: this one is not minimal
            changes = _in_order(tuple(change for index in chosen for change in candidates[index][0]))
            if _overlap(changes):
                continue  # two choices for the same fact, or a change to a partner removed
            if tries >= MAX_TRIES:
                break
            tries += 1
            verdict = verdict_of(changes)
            if verdict is None or not is_better(verdict, before):
                continue
            if any(subset <= members and VERDICT_ORDER.index(v) >= VERDICT_ORDER.index(verdict) for subset, v, _ in found):
                continue  # a smaller found set gives the same or better
            cleared = tuple(next(rules for held, rules in candidates if change in held) for change in changes)
            found.append((members, verdict, Proposal(changes, verdict, cleared)))
        if found:
            break  # the smallest size that helps: larger sets cost many more re-runs (check stays fast)
    ranked = sorted(found, key=lambda item: (-VERDICT_ORDER.index(item[1]), len(item[0]), sorted(item[0])))
    return [proposal for _, _, proposal in ranked]


def _minimal(proposal: Proposal, verdict_of: Callable[[tuple[Change, ...]], Verdict | None]) -> Proposal:
    """Leave out each change in turn that the verdict does not need (a choice of several steps may hold one)."""
    changes, cleared = list(proposal.changes), list(proposal.cleared)
    if len(changes) == 1:
        return proposal
    for change in list(changes):
        index = changes.index(change)
        fewer = tuple(changes[:index] + changes[index + 1 :])
        verdict = verdict_of(fewer) if fewer else None
        if verdict is not None and VERDICT_ORDER.index(verdict) >= VERDICT_ORDER.index(proposal.verdict):
            del changes[index], cleared[index]
    return Proposal(tuple(changes), proposal.verdict, tuple(cleared))


def _in_order(changes: tuple[Change, ...]) -> tuple[Change, ...]:
    """Sets and appends first, then removals from the last index: each PATH means what it says when applied in order."""
    kept = [change for change in changes if not change.remove]
    removed = sorted((change for change in changes if change.remove), key=lambda change: field_path(change.field), reverse=True)
    return tuple(kept + removed)


def _overlap(changes: tuple[Change, ...]) -> bool:
    fields = [change.field for change in changes if not change.field.endswith("[]")]
    return any(a != b and (b.startswith(a + ".") or b.startswith(a + "[")) for a in fields for b in fields) or len(set(fields)) < len(fields)


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
