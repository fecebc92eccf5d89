"""Input as people write it (issue 11 §3): YAML merge keys, digits grouped with underscores,
and text files in another Unicode encoding.

Each kind of input has one rule, applied wherever it can appear, and a refusal always says
where and what was expected.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bidcheck.config import LoadedConfig, apply_config
from bidcheck.loader import load_catalogue
from bidcheck.problems import ProblemsFound
from bidcheck.read import Position, read_bytes, read_text
from bidcheck.validate import validate_config, validate_tender
from tests.conftest import stderr_text, stdout_text

LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.+)$")


def located_errors(process) -> list[dict[str, str]]:
    """Every ``file:line:column: message`` line of stderr, parsed."""
    return [match.groupdict() for match in map(LOCATED.match, stderr_text(process).splitlines()) if match]


def json_report(process) -> dict:
    return json.loads(stdout_text(process))


# --- YAML merge keys ------------------------------------------------------------------------

PARTNERS_WITH_MERGE = """\
tender: {id: MRG-1, title: Carers support}
partners:
  - &local
    name: Forum
    local: true
    role: subcontractor
    value_pct: 20
  - <<: *local
    name: Second Forum
  - name: Third Forum
    <<: [{role: consortium-member, agreement: draft}, *local]
    value_pct: 15
"""


def test_merge_keys_copy_the_keys_a_mapping_does_not_give_itself():
    data = read_text(PARTNERS_WITH_MERGE, "t.yaml").data
    first, second, third = data["partners"]
    assert second == {"name": "Second Forum", "local": "true", "role": "subcontractor", "value_pct": "20"}
    # Keys written in the mapping win wherever they are written; then earlier mappings over later ones.
    assert third == {"name": "Third Forum", "role": "consortium-member", "agreement": "draft", "local": "true", "value_pct": "15"}
    assert first["name"] == "Forum"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.dictionaries(st.sampled_from("abcdef"), st.text("xyz", min_size=1, max_size=3), max_size=4), min_size=1, max_size=3),
    st.dictionaries(st.sampled_from("abcdef"), st.text("xyz", min_size=1, max_size=3), max_size=4),
    st.booleans(),
)
def test_merge_keys_give_what_yaml_1_1_defines_for_any_mappings(bases, own, own_keys_first):
    """The same data as PyYAML's own YAML 1.1 loader gives, whatever is merged and in what order."""
    anchors = "".join(f"b{index}: &b{index} {json.dumps(base)}\n" for index, base in enumerate(bases))
    aliases = ", ".join(f"*b{index}" for index in range(len(bases)))
    own_lines = "".join(f"  {key}: {json.dumps(value)}\n" for key, value in own.items())
    merge_line = f"  <<: [{aliases}]\n"
    text = anchors + "merged:\n" + (own_lines + merge_line if own_keys_first else merge_line + own_lines)
    assert read_text(text, "t.yaml").data["merged"] == yaml.safe_load(text)["merged"]


def test_a_merged_value_is_located_where_it_was_written(run_cli, write):
    tender = write("t.yaml", PARTNERS_WITH_MERGE.replace("value_pct: 20", "value_pct: 200"))
    process = run_cli("check", str(tender))
    assert process.returncode == 2
    errors = {error["message"].split(":")[0]: error for error in located_errors(process)}
    # partners[1] merged the bad value from partners[0]: both point at line 7, where it was written.
    assert (errors["partners[0].value_pct"]["line"], errors["partners[1].value_pct"]["line"]) == ("7", "7")
    assert "partners[2].value_pct" not in errors  # its own value_pct wins over the merged one
    assert not any("'<<'" in error["message"] for error in located_errors(process))


def test_a_tender_using_merge_keys_checks_like_the_same_tender_written_out(run_cli, write):
    merged = write("merged.yaml", PARTNERS_WITH_MERGE)
    written_out = write(
        "written.yaml",
        json.dumps(yaml.safe_load(PARTNERS_WITH_MERGE)),  # PyYAML expands merges; JSON is YAML
    )
    reports = [json_report(run_cli("check", str(path), "--format", "json", "--fail-on", "never")) for path in (merged, written_out)]
    strip = lambda report: [  # noqa: E731 - the findings without their file and line
        (finding["rule"], finding["severity"], finding["message"]) for finding in report["results"][0]["findings"]
    ]
    assert reports[0]["results"][0]["verdict"] == reports[1]["results"][0]["verdict"]
    assert strip(reports[0]) == strip(reports[1])


def test_explicit_keys_win_over_merged_ones_and_keep_their_own_positions():
    document = read_text("base: &b {name: A, role: lead}\nitem:\n  <<: *b\n  name: B\n", "t.yaml")
    assert document.data["item"] == {"name": "B", "role": "lead"}
    assert document.value_position_of(("item", "name")) == Position(4, 9)
    assert document.value_position_of(("item", "role")) == Position(1, 26)


@pytest.mark.parametrize(
    "merge",
    ["<<: *scalar", "<<: [*base, *scalar]", "<<: just text", "<<: []", "<<: [[a, b]]"],
)
def test_a_merge_key_that_names_no_mapping_is_a_located_error(run_cli, write, merge):
    tender = write("t.yaml", f"x: &scalar text\nbase: &base {{id: A}}\ntender:\n  {merge}\n  title: B\n")
    process = run_cli("check", str(tender))
    assert process.returncode == 2
    messages = [error["message"] for error in located_errors(process) if error["line"] == "4"]
    assert any("<<" in message and "mapping" in message for message in messages), stderr_text(process)
    assert "Traceback" not in stderr_text(process)


def test_a_quoted_merge_key_is_an_ordinary_key():
    data = read_text('base: &b {a: 1}\nitem: {"<<": *b}\n', "t.yaml").data
    assert data["item"] == {"<<": {"a": "1"}}


def test_two_merge_keys_in_one_mapping_are_refused_naming_the_first():
    with pytest.raises(ProblemsFound) as raised:
        read_text("a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: *a\n  <<: *b\n", "t.yaml")
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (5, 3) and "line 4" in problem.message


def test_merge_keys_cannot_expand_past_the_alias_budget():
    lines = ["a0: &a0 {k0: v, k1: v, k2: v, k3: v, k4: v, k5: v, k6: v, k7: v, k8: v, k9: v}"]
    for level in range(1, 12):
        merged = ", ".join(f"*a{level - 1}" for _ in range(10))
        lines.append(f"a{level}: &a{level} {{<<: [{merged}], own{level}: v}}")
    with pytest.raises(ProblemsFound) as raised:
        read_text("\n".join(lines) + "\n", "t.yaml")
    assert "expands to more than" in raised.value.problems[0].message


# --- digits grouped with underscores ------------------------------------------------------------

# (where the number goes, where to find what bidcheck read, the largest number it takes) per kind of field
TENDER_NUMBER_FIELDS = {
    "whole number (tender.term_months)": ("tender: {{id: A, title: B, term_months: {0}}}", ("tender", "term_months"), 1200),
    "whole number (tender.extension_months)": ("tender: {{id: A, title: B, extension_months: {0}}}", ("tender", "extension_months"), 1200),
    "whole number (incumbent.staff)": ("tender: {{id: A, title: B}}\nincumbent: {{staff: {0}}}", ("incumbent", "staff"), 1_000_000),
    "number (incumbent.years_delivering)": ("tender: {{id: A, title: B}}\nincumbent: {{years_delivering: {0}}}", ("incumbent", "years_delivering"), 500),
    "percentage (tender.results_pct)": ("tender: {{id: A, title: B, results_pct: {0}}}", ("tender", "results_pct"), 100),
    "percentage text (partners[0].value_pct)": ('tender: {{id: A, title: B}}\npartners: [{{name: P, value_pct: "{0}%"}}]', ("partners", 0, "value_pct"), 100),
    "money (tender.value)": ("tender: {{id: A, title: B, value: {0}}}", ("tender", "value"), 10**12),
    "money text (bid.price)": ('tender: {{id: A, title: B}}\nbid: {{price: "£{0}"}}', ("bid", "price"), 10**12),
}
CONFIG_NUMBER_FIELDS = {
    "percentage threshold": "max_management_fee_pct",  # in no at_least pair, so any 0-100 is valid
    "years threshold": "incumbent_established_years",
}


def _tender_value(text: str, path: tuple) -> float:
    tender = validate_tender(read_text(text, "t.yaml"))
    value = tender
    for part in path:
        value = value[part] if isinstance(part, int) else getattr(value, part)
    return value


_CATALOGUE = None


def _threshold(name: str, written: str) -> float:
    global _CATALOGUE
    _CATALOGUE = _CATALOGUE or load_catalogue()
    document = read_text(f"thresholds: {{{name}: {written}}}\n", "bidcheck.yaml")
    config = LoadedConfig(validate_config(document), document, Path("bidcheck.yaml"))
    return apply_config(config, _CATALOGUE).thresholds[name]


def _grouped(number: int) -> str:
    return f"{number:_}"


def _misgrouped(number: int, cut: int) -> str | None:
    """``number``'s digits with one underscore that is not a thousands separator, or None."""
    digits = str(number)
    cut = cut % (len(digits) + 1)
    grouped = digits[:cut] + "_" + digits[cut:]
    return None if re.fullmatch(r"[0-9]{1,3}(?:_[0-9]{3})+", grouped) else grouped


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(TENDER_NUMBER_FIELDS)), st.integers(1, 10**12), st.integers(0, 12), st.booleans())
def test_underscores_follow_one_rule_in_every_tender_number_field(field_kind, number, cut, well_grouped):
    template, path, largest = TENDER_NUMBER_FIELDS[field_kind]
    number = number % largest + 1
    written = _grouped(number) if well_grouped else _misgrouped(number, cut)
    if written is None:
        return
    text = template.format(written)
    if well_grouped:
        assert _tender_value(text, path) == number
        return
    with pytest.raises(ProblemsFound) as raised:
        _tender_value(text, path)
    (problem,) = raised.value.problems
    line = next(number for number, line in enumerate(text.splitlines(), 1) if written in line)
    assert problem.line == line and "underscore" in problem.message, problem


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(CONFIG_NUMBER_FIELDS)), st.integers(1, 99), st.integers(0, 3))
def test_underscores_follow_the_same_rule_in_config_thresholds(kind, number, cut):
    name = CONFIG_NUMBER_FIELDS[kind]
    written = _misgrouped(number, cut)
    if written is None:
        return
    with pytest.raises(ProblemsFound) as raised:
        _threshold(name, written)
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (1, len(f"thresholds: {{{name}: ") + 1)
    assert "underscore" in problem.message
    assert _threshold(name, str(number)) == number


@pytest.mark.parametrize(
    ("fields", "field_name"),
    [
        ("term_months: 24_0", "tender.term_months"),
        ("results_pct: 1_0", "tender.results_pct"),
        ("value: 1_000_00", "tender.value"),
        ("value: 1__000", "tender.value"),
        ('value: "£0.5_00m"', "tender.value"),
    ],
)
def test_misgrouped_underscores_are_a_located_error_in_every_kind_of_field(run_cli, write, fields, field_name):
    tender = write("t.yaml", f"tender:\n  id: A\n  title: B\n  {fields}\n")
    process = run_cli("check", str(tender))
    assert process.returncode == 2
    (error,) = located_errors(process)
    assert (error["line"], error["column"]) == ("4", str(fields.index(":") + 5))
    assert error["message"].startswith(f"{field_name}: ") and "1_000_000" in error["message"]


def test_grouped_underscores_read_the_same_as_commas_in_money_and_plain_in_numbers(run_cli, write):
    grouped = write("grouped.yaml", "tender: {id: A, title: B, value: 1_200_000, term_months: 1_200}\n")
    plain = write("plain.yaml", 'tender: {id: A, title: B, value: "1,200,000", term_months: 1200}\n')
    reports = [json_report(run_cli("check", str(path), "--format", "json", "--fail-on", "never")) for path in (grouped, plain)]
    assert reports[0]["results"][0]["tender"]["value"] == reports[1]["results"][0]["tender"]["value"] == 1_200_000
    assert reports[0]["results"][0]["verdict"] == reports[1]["results"][0]["verdict"]


def test_the_schema_accepts_the_grouped_numbers_bidcheck_accepts(run_cli):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(stdout_text(run_cli("schema", "tender")))
    tender = {"tender": {"id": "A", "title": "B", "value": "1_200_000", "term_months": "1_200", "results_pct": "1_0"}}
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(tender))
    assert [list(error.absolute_path) for error in errors] == [["tender", "results_pct"]]


# --- text in another encoding ---------------------------------------------------------------

TENDER_TEXT = "tender:\n  id: ENC-1\n  title: Café £ support\n"


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-32-le", "UTF-32"),
        ("utf-32-be", "UTF-32"),
    ],
)
def test_text_in_another_unicode_encoding_is_named_by_its_encoding(run_cli, tmp_path, encoding, named):
    tender = tmp_path / "t.yaml"
    tender.write_bytes(TENDER_TEXT.encode(encoding))
    process = run_cli("check", str(tender), str(tmp_path / "t.yaml"))
    assert process.returncode == 2
    errors = located_errors(process)
    assert errors and all(named in error["message"] and "UTF-8" in error["message"] for error in errors)
    assert not any("binary" in error["message"] for error in errors)
    assert tender.read_bytes() == TENDER_TEXT.encode(encoding)  # never modified


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@settings(max_examples=25, deadline=None)
@given(text=st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_categories=("Cc", "Cs")), min_size=4, max_size=200))
def test_any_mostly_latin_text_in_utf16_or_utf32_is_named_not_called_binary(encoding, text):
    with pytest.raises(ProblemsFound) as raised:
        read_bytes(f"title: {text}\n".encode(encoding), "t.yaml")
    (problem,) = raised.value.problems
    assert encoding[:6].upper() in problem.message and "binary" not in problem.message


def test_windows_1252_text_names_the_character_it_holds():
    with pytest.raises(ProblemsFound) as raised:
        read_bytes(TENDER_TEXT.encode("cp1252"), "t.yaml")
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (3, 13)
    assert "'é'" in problem.message and "Windows-1252" in problem.message


def test_a_real_binary_file_is_still_called_binary():
    with pytest.raises(ProblemsFound) as raised:
        read_bytes(bytes(range(256)) * 8, "t.yaml")
    assert "binary" in raised.value.problems[0].message


# --- digits other than 0-9 ------------------------------------------------------------------------

# Decimal digits of other scripts: Arabic-Indic, extended Arabic-Indic, Devanagari, full-width.
_OTHER_ZEROS = [0x0660, 0x06F0, 0x0966, 0xFF10]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(TENDER_NUMBER_FIELDS)), st.integers(1, 100), st.sampled_from(_OTHER_ZEROS), st.booleans())
def test_digits_other_than_0_to_9_follow_one_rule_in_every_number_field(field_kind, number, zero, quoted):
    """Python reads "٣٦" as 36 in some places and not others; bidcheck refuses them in every field alike."""
    template, path, _ = TENDER_NUMBER_FIELDS[field_kind]
    written = "".join(chr(zero + int(digit)) for digit in str(number))
    value = f'"{written}"' if quoted and "{0}}}" in template and '"' not in template else written
    text = template.format(value) + "\n"
    with pytest.raises(ProblemsFound) as raised:
        _tender_value(text, path)
    (problem,) = raised.value.problems
    assert problem.line == next(n for n, line in enumerate(text.splitlines(), 1) if written in line), problem


@pytest.mark.parametrize("name", sorted(set(CONFIG_NUMBER_FIELDS.values())))
def test_digits_other_than_0_to_9_are_refused_in_config_thresholds(name):
    with pytest.raises(ProblemsFound):
        _threshold(name, chr(0x0663) + chr(0x0660))
