"""JSON for the importer: what ``json.loads`` gives and says, parsed by orjson where it can.

A year of notices is mostly JSON to parse. orjson, a well-kept parser (Rust, wheels for
every common platform), reads a notice line in about three fifths of the standard
library's time (docs/performance.md). It is stricter than ``json.loads``: it refuses ``NaN`` and
``Infinity`` (Find a Tender publishes ``"maximumLotsBidPerSupplier": Infinity``), lone
surrogates and nesting past 1,024 levels. Anything it refuses goes to ``json.loads``,
so the values read and the message for a bad line are the standard library's
(tests/test_json_codec.py holds the two to each other). One difference remains: an integer
outside 64 bits (beyond about ±9.2 × 10^18, or 1.8 × 10^19 positive) comes back as the
nearest float, where ``json.loads`` keeps every digit; amounts in notices are pounds and
pence, far below that.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def parse(text: str) -> Any:
    """The value of one JSON text, as ``json.loads(text)`` gives it (but for integers past 64 bits: see above).

    Raises ``json.JSONDecodeError`` (with ``json.loads``'s message, line and column) or
    ``RecursionError`` as ``json.loads`` does.
    """
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def compact(value: Any) -> str:
    """``value`` (JSON-ready: text, numbers, lists, tuples, dicts) as compact JSON text."""
    return orjson.dumps(value).decode("utf-8")
