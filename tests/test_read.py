"""Stage 1, read: YAML -> plain data with the line and column of every key and value.

Hostile or broken input is refused as located problems, never as a crash or a traceback.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bidcheck.read as read_module
from bidcheck.problems import Problem, ProblemsFound
from bidcheck.read import MAX_DEPTH, MAX_NODES, Position, read_bytes, read_file, read_text
from bidcheck.validate import validate_tender
from tests.conftest import stderr_text, stdout_text


def refused(text: str | bytes, **options) -> list[Problem]:
    """The problems reading ``text`` gives (it must be refused)."""
    with pytest.raises(ProblemsFound) as raised:
        if isinstance(text, bytes):
            read_bytes(text, "t.yaml", **options)
        else:
            read_text(text, "t.yaml")
    return raised.value.problems


def only_problem(text: str | bytes, **options) -> Problem:
    problems = refused(text, **options)
    assert len(problems) == 1, problems
    return problems[0]


# --- positions -----------------------------------------------------------------------------

NESTED = """\
tender:
  id: HCK-1
  areas:
    - Hackney
    - Islington
partners:
  - name: Forum
    role: subcontractor
  - name: Second
cpv: ["853", '854']
"""


def test_keys_of_nested_mappings_are_located_1_based():
    document = read_text(NESTED, "t.yaml")
    assert document.key_positions[("tender",)] == Position(1, 1)
    assert document.key_positions[("tender", "id")] == Position(2, 3)
    assert document.key_positions[("tender", "areas")] == Position(3, 3)
    assert document.key_positions[("partners",)] == Position(6, 1)


def test_values_are_located_where_they_start():
    document = read_text(NESTED, "t.yaml")
    assert document.value_positions[("tender", "id")] == Position(2, 7)
    assert document.value_positions[("partners", 0, "role")] == Position(8, 11)
    assert document.value_positions[("cpv",)] == Position(10, 6)  # the flow sequence's "["


def test_list_items_are_located_where_each_item_starts():
    document = read_text(NESTED, "t.yaml")
    assert document.key_positions[("tender", "areas", 0)] == Position(4, 7)
    assert document.key_positions[("tender", "areas", 1)] == Position(5, 7)
    assert document.key_positions[("partners", 0)] == Position(7, 5)
    assert document.key_positions[("partners", 1, "name")] == Position(9, 5)
    assert document.key_positions[("cpv", 1)] == Position(10, 14)


def test_a_path_that_was_not_written_is_located_at_its_nearest_written_ancestor():
    document = read_text(NESTED, "t.yaml")
    assert document.position_of(("partners", 0, "annual_income")) == Position(7, 5)
    assert document.value_position_of(("tender", "value")) == Position(1, 1)


def test_read_file_locates_problems_under_the_display_name(tmp_path):
    path = tmp_path / "hck.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(ProblemsFound) as raised:
        read_file(path, "tenders/hck.yaml")
    assert str(raised.value.problems[0]).startswith("tenders/hck.yaml:2:1: ")


# --- duplicate keys ------------------------------------------------------------------------


def test_duplicate_key_is_located_at_the_second_and_names_the_first_line():
    problem = only_problem("tender:\n  id: A\nbid: {}\ntender:\n  id: B\n")
    assert (problem.line, problem.column) == (4, 1)
    assert "duplicate key 'tender'" in problem.message
    assert "line 1" in problem.message


def test_duplicate_key_in_a_nested_mapping_is_found():
    problem = only_problem("tender:\n  id: A\n  title: T\n  id: B\n")
    assert str(problem) == "t.yaml:4:3: duplicate key 'id'; it was first given at line 2"


# --- hostile input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:builtins.exec",
        "!!python/object/new:builtins.exec",
        "!!python/object:builtins.exec",
    ],
)
def test_python_object_tags_are_refused_and_nothing_is_executed(tmp_path, tag):
    marker = tmp_path / "executed"
    payload = f"open({str(marker)!r}, 'w').write('pwned')"
    problem = only_problem(f"tender:\n  id: {tag} [{json.dumps(payload)}]\n")
    assert (problem.line, problem.column) == (2, 7)
    assert "not allowed" in problem.message and "python/object" in problem.message
    assert not marker.exists()


def test_python_name_tag_and_custom_tags_are_refused():
    assert "not allowed" in only_problem("a: !!python/name:os.system\n").message
    assert "'!env'" in only_problem("a: !env HOME\n").message


def test_billion_laughs_alias_bomb_is_refused_by_the_node_budget():
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghi":
        bomb += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    assert len(bomb) < 1000  # a tiny file that would expand to ~400 million values
    problem = only_problem(bomb)
    assert f"more than {MAX_NODES:,} values" in problem.message
    assert "alias" in problem.message


def test_a_self_referencing_alias_is_refused_not_followed_forever():
    problem = only_problem("a: &loop [*loop]\n")
    assert "refers to an anchor that is not defined (or not finished)" in problem.message


def test_nesting_at_the_limit_is_read():
    depth = MAX_DEPTH  # the value of "a" is at depth 1, so this many lists end exactly at the limit
    document = read_text("a: " + "[" * depth + "]" * depth + "\n", "t.yaml")
    assert isinstance(document.data["a"], list)


def test_nesting_deeper_than_the_limit_is_refused_at_the_level_that_passes_it():
    depth = MAX_DEPTH + 1
    problem = only_problem("a: " + "[" * depth + "]" * depth + "\n")
    assert f"nesting deeper than {MAX_DEPTH} levels" in problem.message
    assert (problem.line, problem.column) == (1, 3 + depth)


def test_deep_block_mappings_are_refused_too():
    text = "".join("  " * level + f"k{level}:\n" for level in range(MAX_DEPTH + 2)) + "  " * (MAX_DEPTH + 2) + "v\n"
    assert "nesting deeper" in only_problem(text).message


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_very_deep_flow_nesting_is_a_located_error_not_a_crash(run_cli, tmp_path, opening):
    """Whichever refuses first (bidcheck's depth limit or the YAML library's own), the user gets
    one located error for the file, exit 2, and no traceback: behaviour, not a library's wording."""
    path = tmp_path / "deep.yaml"
    closing = "]" if opening == "[" else "}"
    path.write_text(opening * 100_000 + closing * 100_000 + "\n", encoding="utf-8")
    process = run_cli("check", str(path), "--format", "json")
    assert process.returncode == 2
    errors = json.loads(stdout_text(process))["errors"]
    assert len(errors) == 1 and errors[0]["file"] == str(path)
    assert errors[0]["line"] == 1 and 1 < errors[0]["column"] <= 100_001
    stderr = stderr_text(process)
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert stderr.startswith(f"{path}:1:")


def test_a_key_that_is_a_list_is_refused():
    problem = only_problem("? [a, b]\n: 1\n")
    assert (problem.line, problem.column) == (1, 3)
    assert "key must be plain text" in problem.message


# --- documents -----------------------------------------------------------------------------


def test_more_than_one_document_is_refused_at_the_second():
    problem = only_problem("tender: {id: A}\n---\ntender: {id: B}\n")
    assert problem.line == 2
    assert "more than one YAML document" in problem.message


def test_one_document_with_an_explicit_start_marker_is_read():
    assert read_text("---\ntender: {id: A}\n", "t.yaml").data == {"tender": {"id": "A"}}


@pytest.mark.parametrize("text", [b"", b"\n\n", b"# only a comment\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused_saying_a_mapping_was_expected(text):
    problem = only_problem(text)
    assert str(problem) == "t.yaml:1:1: file is empty; expected a YAML mapping"


def test_a_top_level_list_reads_but_does_not_validate_as_a_tender():
    document = read_text("- a\n- b\n", "t.yaml")
    assert document.data == ["a", "b"]
    with pytest.raises(ProblemsFound) as raised:
        validate_tender(document)
    (problem,) = raised.value.problems
    assert str(problem).startswith("t.yaml:1:1: expected a tender file")
    assert problem.message.endswith("got a list")


def test_a_top_level_scalar_does_not_validate_as_a_tender():
    with pytest.raises(ProblemsFound) as raised:
        validate_tender(read_text("just some words\n", "t.yaml"))
    assert "got 'just some words'" in raised.value.problems[0].message


# --- encodings and line endings ------------------------------------------------------------


def test_a_utf8_byte_order_mark_is_accepted_without_shifting_columns():
    document = read_bytes("\ufefftender:\n  id: A\n".encode("utf-8"), "t.yaml")
    assert document.data == {"tender": {"id": "A"}}
    assert document.key_positions[("tender",)] == Position(1, 1)
    assert read_text("\ufefftender: {id: A}\n", "t.yaml").data == {"tender": {"id": "A"}}


def test_windows_line_endings_are_accepted_with_the_right_lines():
    document = read_bytes(b"tender:\r\n  id: A\r\n\r\n  title: T\r\nbid:\r\n  price: 5\r\n", "t.yaml")
    assert document.data == {"tender": {"id": "A", "title": "T"}, "bid": {"price": "5"}}
    assert document.key_positions[("tender", "title")] == Position(4, 3)
    assert document.value_positions[("bid", "price")] == Position(6, 10)


def test_windows_line_endings_locate_problems_on_the_right_line():
    problem = only_problem(b"a: 1\r\nb: 2\r\na: 3\r\n")
    assert (problem.line, problem.column) == (3, 1)


def test_tab_indentation_is_explained_as_tabs():
    problem = only_problem("tender:\n\tid: A\n")
    assert problem.line == 2
    assert "tab" in problem.message and "spaces" in problem.message


def test_bytes_that_are_not_utf8_are_located_and_the_fix_named():
    problem = only_problem(b"tender:\n  title: caf\xe9 club\n")
    assert (problem.line, problem.column) == (2, 13)
    assert "0xe9" in problem.message and "UTF-8" in problem.message


def test_a_bad_byte_after_multibyte_characters_is_located_by_character_column():
    problem = only_problem("title: £5 café ".encode("utf-8") + b"\xff\n")
    assert (problem.line, problem.column) == (1, 16)


def test_nul_bytes_mean_a_binary_file():
    problem = only_problem(b"tender:\x00\x01\x02\n")
    assert str(problem) == "t.yaml:1:1: binary file (contains NUL bytes); expected UTF-8 YAML text"


def test_utf16_text_is_refused_as_binary_or_not_utf8():
    problem = only_problem("tender: {id: A}\n".encode("utf-16"))
    assert "binary" in problem.message or "UTF-8" in problem.message


# --- size limit ----------------------------------------------------------------------------


def test_input_over_the_size_limit_is_refused_before_it_is_parsed(monkeypatch):
    def parser_must_not_run(*args, **kwargs):
        raise AssertionError("the YAML parser ran on an over-size input")

    monkeypatch.setattr(read_module, "_Loader", parser_must_not_run)
    problem = only_problem(b"a: [" + b"1, " * 100 + b"]\n", max_bytes=100)
    assert (problem.line, problem.column) == (1, 1)
    assert "over the 100-byte limit" in problem.message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n", encoding="utf-8")
    monkeypatch.setattr(read_module, "_Loader", lambda *a, **k: pytest.fail("parsed an over-size file"))
    with pytest.raises(ProblemsFound) as raised:
        read_file(path, "big.yaml", max_bytes=100)
    assert "over the 100-byte limit" in raised.value.problems[0].message


def test_input_at_the_size_limit_is_read():
    text = b"a: 1\n"
    assert read_bytes(text, "t.yaml", max_bytes=len(text)).data == {"a": "1"}


def test_a_missing_file_is_a_problem_not_an_exception(tmp_path):
    with pytest.raises(ProblemsFound) as raised:
        read_file(tmp_path / "nope.yaml", "nope.yaml")
    assert str(raised.value.problems[0]) == "nope.yaml: no such file or folder"


# --- scalars stay text ---------------------------------------------------------------------


def test_yaml_1_1_booleans_and_octal_looking_numbers_stay_text():
    data = read_text("a: no\nb: yes\nc: on\nd: off\ne: 0123\nf: 1.50\ng: 2026-12-15\nh: true\ni: 1e3\n", "t.yaml").data
    assert data == {"a": "no", "b": "yes", "c": "on", "d": "off", "e": "0123", "f": "1.50", "g": "2026-12-15", "h": "true", "i": "1e3"}


def test_tilde_null_and_empty_values_are_none_but_quoted_ones_are_text():
    data = read_text("a: ~\nb: null\nc:\nd: '~'\ne: ''\nf: \"null\"\ng: [~, x]\n", "t.yaml").data
    assert data == {"a": None, "b": None, "c": None, "d": "~", "e": "", "f": "null", "g": [None, "x"]}


def test_keys_stay_text_too():
    assert read_text("1: a\nno: b\n~: c\n", "t.yaml").data == {"1": "a", "no": "b", "~": "c"}


# --- properties: never anything but located problems --------------------------------------


def _read_and_validate(read) -> None:
    try:
        validate_tender(read())
    except ProblemsFound as error:
        assert error.problems
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1, problem
            assert problem.file == "t.yaml" and problem.message


yaml_ish = st.text(alphabet=st.sampled_from(list(":-[]{}#&*!|>'\",?%@`~ \t\n\r") + list("abtenderidtl019.£%")), max_size=80)
FIELD_TEMPLATE = "tender:\n  id: {0}\n  title: {1}\n  value: {2}\nincumbent: {3}\nbid:\n  role: {4}\npartners:\n  - {5}\n"


@given(st.text(max_size=200))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_is_read_and_validated_or_refused_with_located_problems(text):
    _read_and_validate(lambda: read_text(text, "t.yaml"))


@given(yaml_ish)
@settings(max_examples=300)
def test_yaml_punctuation_soup_is_read_and_validated_or_refused_with_located_problems(text):
    _read_and_validate(lambda: read_text(text, "t.yaml"))


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20), min_size=6, max_size=6))
@settings(max_examples=300)
def test_random_values_in_a_tender_shape_are_validated_or_refused_with_located_problems(values):
    _read_and_validate(lambda: read_text(FIELD_TEMPLATE.format(*values), "t.yaml"))


@given(st.binary(max_size=200))
@settings(max_examples=300)
def test_any_bytes_are_read_and_validated_or_refused_with_located_problems(raw):
    _read_and_validate(lambda: read_bytes(raw, "t.yaml"))
