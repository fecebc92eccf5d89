"""The likely incumbent: who holds the contract a tender re-lets, from award history (SPEC §4.1).

For a tender file (:class:`~bidcheck.ocds.facts.LotFacts`), the candidates are the earlier
awards and contracts in the notice store

* by the same buyer: any of the tender's buyers, by identifier, else by normalised name;
* in an overlapping CPV class (the first five digits of a CPV code);
* with a similar title: :func:`title_similarity` at least :data:`SIMILAR_FROM`;
* ending within :data:`WITHIN_MONTHS` months of the new contract's start (of the import's
  as-of date when the notice gives no start), by the contract's end date or, failing
  that, its latest extension (``maxExtentDate``);
* and not of the same procurement.

The best is the most similar title, then the end closest to the new start, then the
latest contract start. Candidates come from an indexed lookup by (buyer, CPV class): the
time taken does not grow with the size of the history.
"""

from __future__ import annotations

import datetime
import re
from typing import Optional

from bidcheck.ocds.dates import add_months
from bidcheck.ocds.facts import IncumbentGuess, LotFacts
from bidcheck.ocds.history import AwardFact, buyer_keys, cpv_class
from bidcheck.ocds.store import NoticeStore

SIMILAR_FROM = 0.3  # title similarity (0-1) from which two titles name the same service
WITHIN_MONTHS = 18
DAYS_PER_YEAR = 365.25
# Words every notice title uses, which say nothing about the service.
STOP_WORDS = frozenset(
    """a an and as at by for from in into of on or the to with within
    service services provision provider contract contracts framework agreement lot lots tender
    procurement supply delivery support council borough city county london uk""".split()
)  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")


def title_words(title: str) -> frozenset[str]:
    """A title's words that can tell services apart: lower case, stop words out, plurals as singular."""
    words = set()
    for word in _WORD.findall(title.lower()):
        if word in STOP_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]  # carers -> carer, so "Young carers" and "young carer support" share it
        words.add(word)
    return frozenset(words)


def title_similarity(first: str, second: str) -> float:
    """Token overlap of two titles, 0 to 1: shared words over all words (Jaccard), by :func:`title_words`."""
    a, b = title_words(first), title_words(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def find_incumbent(store: NoticeStore, lot: LotFacts, as_of: datetime.date) -> Optional[IncumbentGuess]:
    """The likely incumbent of one tender file, or None when no award in the store matches.

    ``as_of`` stands for the new contract's start when ``lot.start`` is None.
    """
    keys = buyer_keys(lot.buyer_ids, lot.buyer_names)
    classes = tuple(dict.fromkeys(found for found in map(cpv_class, lot.cpv) if found))
    start = lot.start or as_of
    earliest, latest = add_months(start, -WITHIN_MONTHS), add_months(start, WITHIN_MONTHS)
    best: Optional[tuple[tuple[float, int, datetime.date], AwardFact, str, datetime.date]] = None
    for fact in store.awards_for(keys, classes, (earliest, latest), other_than=lot.ocid):
        similarity, title = max(((title_similarity(lot.title, title), title) for title in fact.titles), default=(0.0, ""))
        if similarity < SIMILAR_FROM:
            continue
        ends = [day for day in (fact.end, fact.max_extent) if day and earliest <= day <= latest]
        if not ends:
            continue
        ended = min(ends, key=lambda day: abs((day - start).days))
        rank = (round(similarity, 6), -abs((ended - start).days), fact.start or datetime.date.min)
        if best is None or rank > best[0]:
            best = (rank, fact, title, ended)
    if best is None:
        return None
    _, fact, title, ended = best
    return IncumbentGuess(
        name=fact.supplier_name,
        source=_source(fact, keys, classes, lot.title, title, ended, as_of),
        vcse=fact.vcse,
        scale=fact.scale,
        years_delivering=_years(fact.start, start),
    )


def _years(since: Optional[datetime.date], until: datetime.date) -> Optional[float]:
    if since is None or since > until:
        return None
    return round((until - since).days / DAYS_PER_YEAR, 1)


def _source(
    fact: AwardFact,
    keys: tuple[str, ...],
    classes: tuple[str, ...],
    new_title: str,
    title: str,
    ended: datetime.date,
    as_of: datetime.date,
) -> str:
    """``"award notice 075961-2026 (https://...): same buyer GB-PPON-..., CPV class 85312,
    title 'Young carers' 0.6 similar, ended 2027-01-31"``."""
    buyer = next(key for key in keys if key in fact.buyer_keys)  # the query matched one
    buyer_text = buyer[3:] if buyer.startswith("id:") else f"named '{buyer[5:]}'"
    shared = next(cpv for cpv in classes if cpv in fact.cpv_classes)
    notice = fact.notice_type + " " if fact.notice_type else ""
    where = f"{notice}award notice {fact.notice_id or fact.ocid}" + (f" ({fact.notice_url})" if fact.notice_url else "")
    when = "ended" if ended <= as_of else "ends"
    similarity = title_similarity(new_title, title)
    return f"{where}: same buyer {buyer_text}, CPV class {shared}, title '{title}' {similarity:.1f} similar, {when} {ended.isoformat()}"
