"""JSON Schema (draft 2020-12) for tender and config files, generated from the models.

Editors use it through yaml-language-server for completion and checking. Like bidcheck, it
rejects unknown keys. The config schema lists the thresholds the loaded rules declare.
"""

from __future__ import annotations

from typing import Any

from bidcheck.loader import Catalogue
from bidcheck.models import ConfigFile, TenderFile

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def tender_schema() -> dict[str, Any]:
    schema = TenderFile.model_json_schema()
    return {"$schema": DIALECT, "title": "bidcheck tender file", **_without_title(schema)}


def config_schema(catalogue: Catalogue) -> dict[str, Any]:
    schema = ConfigFile.model_json_schema()
    thresholds = {}
    for threshold, reader in catalogue.thresholds.values():
        number: dict[str, Any] = {"type": "number", "minimum": 0}
        if threshold.unit == "%":
            number["maximum"] = 100
        elif threshold.unit == "ratio":
            number.update(exclusiveMinimum=0, maximum=1)
            del number["minimum"]
        thresholds[threshold.name] = {
            "description": f"{threshold.description} ({reader}; default {threshold.format(threshold.default)})",
            "default": threshold.default,
            "anyOf": [number, {"type": "string"}] if threshold.unit in ("%", "£") else [number],
        }
    schema["properties"]["thresholds"] = {
        "description": schema["properties"]["thresholds"].get("description", ""),
        "type": "object",
        "properties": dict(sorted(thresholds.items())),
        "additionalProperties": False,
    }
    ids = sorted(loaded.rule.id for loaded in catalogue.rules)
    rule_settings = schema["$defs"]["RuleSettings"]["properties"]
    rule_settings["severity"] = {
        "type": "object",
        "description": "Override a rule's severity.",
        "propertyNames": {"enum": ids},
        "additionalProperties": {"enum": ["blocker", "concern", "info"]},
    }
    return {"$schema": DIALECT, "title": "bidcheck config (bidcheck.yaml)", **_without_title(schema)}


def _without_title(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key != "title"}
