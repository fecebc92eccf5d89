"""What it would take (SPEC §5): the smallest sets of the bid team's own changes that give a better verdict.

Found by re-running the same rules, config and day on changed copies of the tender's data,
never by reading messages. The candidates are the choices declared (``clears=``) by the
rules whose findings count; the search tries sets of at most :data:`MAX_CHANGES` candidates,
smallest first, among at most :data:`MAX_CANDIDATES` candidates and :data:`MAX_TRIES` sets
per tender (each re-run by :mod:`bidcheck.rerun` only as far as it can change the verdict),
and stops at the first size that finds a better verdict. A set that makes a rule
ask a question the tender did not raise (``incumbent_approach: partner`` with the incumbent not
among the partners) is not offered: it hides a finding behind a claim, it does not clear it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bidcheck.clearing import Change, concrete
from bidcheck.decide import VERDICT_ORDER, TenderResult
from bidcheck.evaluate import field_path
from bidcheck.models import Severity, TenderFile, Verdict
from bidcheck.rerun import Rerun, is_better

MAX_CHANGES = 3  # SPEC §5: changes of at most three facts
MAX_CANDIDATES = 8  # choices tried per tender, in rule order
MAX_TRIES = 40  # sets tried per tender: C(8,1)+C(8,2) = 36, then triples until this
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


def what_it_would_take(rerun: Rerun) -> tuple[Proposal, ...]:
    """Up to :data:`MAX_REPORTED` proposals for the checked tender ``rerun`` re-checks
    (:class:`bidcheck.rerun.Rerun`), best first; () for a ``bid`` verdict.

    Each set is judged by ``rerun``: only the rules that read a changed field (``Rule.reads``)
    run again, once per distinct change to what they read.
    """
    result = rerun.result
    if result.verdict is Verdict.BID or result.problems:
        return ()
    candidates = _candidates(result)
    if not candidates or not rerun.could_help(change for changes, _ in candidates for change in changes):
        return ()
    found = [_minimal(proposal, rerun.verdict) for proposal in _search(result.verdict, candidates, rerun.verdict)]
    kept: list[Proposal] = []
    for proposal in found:  # still best first; drop a set holding one already kept
        if not any({c.field for c in earlier.changes} <= {c.field for c in proposal.changes} for earlier in kept):
            kept.append(proposal)
    return tuple(kept[:MAX_REPORTED])


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
