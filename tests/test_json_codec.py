"""The importer's JSON parsing (orjson, falling back to the standard library) gives what
``json.loads`` gives, and fails as it fails, on any text: valid JSON, JSON that only the
standard library reads (NaN, Infinity, lone surrogates), and text that is not JSON."""

import json
import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bidcheck.ocds.json_codec import compact, parse
from bidcheck.ocds.read import json_lines

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
SCALARS = st.none() | st.booleans() | INT64 | st.floats(allow_nan=True, allow_infinity=True) | st.text()
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
JSON_CHARACTERS = st.sampled_from(list('{}[]:,"\\ 0123456789.-+eEtrufalsnNIinfy\n\t') + ["\\u00e9", "\\ud800", "é", "\x01"])


def same(left, right):
    """Equal as JSON values, types included (1 is not 1.0), with NaN equal to NaN."""
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    if type(left) is not type(right):
        return False
    if isinstance(left, list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right))
    if isinstance(left, dict):
        return list(left) == list(right) and all(same(left[key], right[key]) for key in left)
    return left == right


def outcome(read, text):
    try:
        return "value", read(text)
    except json.JSONDecodeError as error:
        return "error", (error.msg, error.lineno, error.colno)
    except RecursionError:
        return "error", "nested too deeply"


@settings(max_examples=300)
@given(VALUES, st.booleans())
@example(float("inf"), False)
@example({"maximumLotsBidPerSupplier": float("inf")}, True)
@example("\ud800", True)
@example("\ud800", False)
def test_any_json_value_reads_as_json_loads_reads_it(value, spaced):
    text = json.dumps(value, ensure_ascii=spaced, indent=1 if spaced else None)
    assert same(parse(text), json.loads(text))


@settings(max_examples=500)
@given(st.lists(JSON_CHARACTERS, max_size=30).map("".join))
@example('{"a": 1, "a": 2}')
@example("[1,]")
@example("\ufeff{}")
@example("[" * 3000 + "]" * 3000)
def test_any_text_reads_or_fails_as_json_loads(text):
    ours, theirs = outcome(parse, text), outcome(json.loads, text)
    assert ours[0] == theirs[0]
    if ours[0] == "value":
        assert same(ours[1], theirs[1])
    else:
        assert ours[1] == theirs[1]


def test_a_find_a_tender_line_with_infinity_is_read():
    line = '{"ocid": "ocds-h6vhtk-0001", "id": "1", "tender": {"lotDetails": {"maximumLotsBidPerSupplier": Infinity}}}'
    [release] = json_lines([(1, line)], "fts.jsonl")
    assert release.data["tender"]["lotDetails"]["maximumLotsBidPerSupplier"] == float("inf")


def test_an_integer_past_64_bits_is_the_nearest_float_as_documented():
    assert parse("123456789012345678901234567890") == pytest.approx(1.2345678901234568e29)
    assert parse("9223372036854775807") == 2**63 - 1  # the largest 64-bit integer stays exact


@given(st.lists(st.text(), max_size=5))
def test_compact_is_json_of_the_same_value(items):
    assert json.loads(compact(items)) == items
    assert json.loads(compact(tuple(items))) == items
