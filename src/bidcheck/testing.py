"""Helpers for testing rules, built-in or plugin: check YAML text in memory.

    from bidcheck.testing import check_text, example_severities

    result = check_text("bid: {price: 1, full_cost: 2}", rules=[my_rule])
    assert example_severities(my_rule, my_rule.examples[0]) == {Severity.CONCERN}
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from bidcheck.api import Example, Rule
from bidcheck.config import LoadedConfig, apply_config
from bidcheck.decide import TenderResult, decide
from bidcheck.evaluate import evaluate
from bidcheck.loader import Catalogue, LoadedRule
from bidcheck.models import Severity
from bidcheck.read import read_text
from bidcheck.validate import validate_config, validate_tender

_PLACEHOLDER_TENDER = {"id": "EXAMPLE-1", "title": "Example tender"}


def check_text(
    tender_yaml: str,
    config_yaml: str = "",
    *,
    rules: Iterable[Rule],
    today: datetime.date | None = None,
) -> TenderResult:
    """Run ``rules`` on a tender given as YAML text (``tender.id`` and ``title`` may be left out).

    Raises :class:`bidcheck.problems.ProblemsFound` when the YAML is not valid.
    """
    document = read_text(tender_yaml.strip() or "{}", "<example>")
    if isinstance(document.data, dict):
        given = document.data.get("tender")
        if given is None:
            document.data["tender"] = given = {}
        if isinstance(given, dict):
            for key, value in _PLACEHOLDER_TENDER.items():
                given.setdefault(key, value)
    tender = validate_tender(document)
    config_document = read_text(config_yaml or "{}", "<example config>")
    config = LoadedConfig(validate_config(config_document), config_document, None)
    catalogue = Catalogue(tuple(LoadedRule(rule, "test") for rule in rules))
    settings = apply_config(config, catalogue)
    evaluation = evaluate(tender, document, settings)
    return decide(document.file, tender, document, evaluation, today or datetime.date.today(), settings=settings)


def example_severities(rule: Rule, example: Example) -> set[Severity | None]:
    """The severities ``rule`` gives the example; ``{None}`` when it holds."""
    result = check_text(example.tender, example.config, rules=[rule])
    if result.problems:
        raise AssertionError("; ".join(str(problem) for problem in result.problems))
    return {reason.severity for reason in result.reasons} or {None}
