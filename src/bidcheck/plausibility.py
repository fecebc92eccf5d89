"""Warnings for values that are valid but implausible: probably a unit slip (SPEC §1, v2).

``management_fee_pct: 0.15`` is a valid 0.15%, ``value: 1.2`` a valid £1.20 and
``term_months: 3`` a valid quarter; each is far more likely 15%, £1.2m and 3 years, and a rule
reading it would report "738.5% of income" with a straight face. Each is a warning located at
the value, saying what was probably meant. Warnings are shown, never counted: the verdict and
the exit status do not change (a bid team may really mean 0.5%, and then writes "0.5%").
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bidcheck.models import ConfigFile, Incumbent, TenderFile
from bidcheck.money import format_money, format_percentage
from bidcheck.problems import Problem
from bidcheck.read import Document, PathKey

# Fees under 1% are normal (SPEC §1): a fraction there is what was meant.
FRACTIONS_EXPECTED = frozenset({"participation_fee_pct"})
# Money fields where an annual income or a contract value is meant (list indexes left out): below £100 is a unit slip.
INCOME_OR_VALUE = frozenset(
    {
        "tender.value",
        "bid.price",
        "bid.full_cost",
        "incumbent.annual_income",
        "partners.annual_income",
        "competitors.annual_income",
        "organisation.annual_income",
    }
)
_MONEY_NAMES = frozenset(path.rsplit(".", 1)[1] for path in INCOME_OR_VALUE)
LEAST_MONEY = 100  # pounds
SHORT_TERM_MONTHS = 6
LARGE_CONTRACT = 100_000  # pounds: a contract this size does not run for a few months


def plausibility_warnings(tender: TenderFile, document: Document) -> list[Problem]:
    """One located warning (a :class:`Problem`) per implausible value in the tender file.

    A fraction in a percentage field (0 < value < 1, except ``participation_fee_pct``, and
    unless written with ``%``); money below £100 in an income, value, price or full cost; a
    ``term_months`` under 6 for a contract over £100k; a contract over 100% of the incumbent's
    income (its annual value against ``incumbent.annual_income``). Two tenders with one id are
    warned about by the pipeline, which sees the batch.
    """
    return _located(_slips(tender, document) + _short_term(tender) + _over_whole_income(tender), document)


def config_plausibility_warnings(config: ConfigFile, document: Document | None) -> list[Problem]:
    """The same for a config: its ``organisation.annual_income`` and its percentage thresholds
    (``incumbent_dependency_concern_pct: 0.25``). No document (no config file): nothing to say."""
    return _located(_slips(config, document), document) if document is not None else []


def _slips(model: BaseModel, document: Document) -> list[tuple[PathKey, str]]:
    found: list[tuple[PathKey, str]] = []
    for path, value in _fields(model):
        name = path[-1]
        if path[0] == "thresholds" and isinstance(value, str):
            value = _number_in(value)  # the config keeps thresholds as written, for its own messages
        if not isinstance(name, str) or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if not name.endswith("_pct") and name not in _MONEY_NAMES:
            continue
        if name.endswith("_pct") and name not in FRACTIONS_EXPECTED and 0 < value < 1 and not _written_as_percent(document, path):
            found.append((path, _fraction(value)))
        elif ".".join(str(part) for part in path if isinstance(part, str)) in INCOME_OR_VALUE and 0 < value < LEAST_MONEY:
            found.append((path, _pounds(value)))
    return found


def _located(found: list[tuple[PathKey, str]], document: Document) -> list[Problem]:
    problems = []
    for path, message in found:
        where = document.value_position_of(path)
        problems.append(Problem(document.file, where.line, where.column, f"{_dotted(path)}: {message}"))
    return problems


def _fraction(value: float) -> str:
    meant = _number(value * 100)
    return f"{_number(value)} reads as {_number(value)}%; for {meant}% write {meant} (or \"{_number(value)}%\" if that is meant)"


def _pounds(value: float) -> str:
    return f'{_number(value)} reads as £{value:,.2f}; for £{_number(value)} million write "£{_number(value)}m" (amounts are in pounds)'


def _short_term(tender: TenderFile) -> list[tuple[PathKey, str]]:
    term, value = tender.tender.term_months, tender.tender.value
    if term is None or value is None or term >= SHORT_TERM_MONTHS or value <= LARGE_CONTRACT:
        return []
    annual = tender.tender.annual_value
    per_year = f" (an annual value of {format_money(annual)})" if annual is not None else ""
    message = (
        f"{term} reads as {term} months for a contract of {format_money(value)}{per_year}; "
        f"if the term is {term} years, write {term * 12}"
    )
    return [(("tender", "term_months"), message)]


def _over_whole_income(tender: TenderFile) -> list[tuple[PathKey, str]]:
    incumbent, annual = tender.incumbent, tender.tender.annual_value
    if not isinstance(incumbent, Incumbent) or incumbent.contract_share_pct is not None:
        return []  # a given share is a percentage 0-100, checked when it is read
    share = tender.incumbent_contract_share_pct
    if share is None or share <= 100:
        return []
    message = (
        f"the contract's annual value ({format_money(annual)}: tender.value over term_months) is {format_percentage(share)} "
        f"of the incumbent's income ({format_money(incumbent.annual_income)}), more than all of it; "
        "check the units of tender.value, tender.term_months and incumbent.annual_income, or give incumbent.contract_share_pct"
    )
    return [(("incumbent", "annual_income"), message)]


def _fields(model: BaseModel, path: PathKey = ()) -> list[tuple[PathKey, Any]]:
    """(path, value) for every field set in ``model``, into nested models, mappings and lists, in order."""
    found: list[tuple[PathKey, Any]] = []
    waiting: list[tuple[Any, PathKey]] = [(model, path)]  # a stack, not recursion: this runs for every tender
    while waiting:
        value, where = waiting.pop()
        if isinstance(value, BaseModel):
            waiting += [(getattr(value, name), (*where, name)) for name in reversed(type(value).model_fields)]
        elif isinstance(value, dict):  # the config's thresholds, by name
            waiting += [(value[key], (*where, key)) for key in reversed(list(value))]
        elif isinstance(value, list):
            waiting += [(value[index], (*where, index)) for index in reversed(range(len(value)))]
        elif value is not None:  # a field left out says nothing
            found.append((where, value))
    return found


def _written_as_percent(document: Document, path: PathKey) -> bool:
    """Was the value written as ``"0.5%"``? Then the bid team said what it meant."""
    data: Any = document.data
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(data, str) and "%" in data


def _number_in(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None  # "30%", "£1m": not a bare fraction


def _number(value: float) -> str:
    return f"{round(value, 6):g}"


def _dotted(path: PathKey) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")
