"""`bidcheck import ocds` run again and again on real folders: it never destroys, never drops.

Re-imports keep the team's edits and still deliver amended notices; file names never
collide, whatever the file system; modes follow the umask; a bad JSON Lines line, an
amount or tag in an unexpected shape, or a folder named as input is handled as users
expect. The notices are the real ones in tests/data/ocds, amended here as publishers do.
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bidcheck.ocds import NoticeFilter, Release, SkipReason, plan_import, releases_and_problems, safe_file_name, tenders_from_release
from bidcheck.ocds.write import Outcome, write_tender
from tests.conftest import console_script, stderr_text
from tests.test_import_ocds import CORE_FILES, DATA, LINCOLNSHIRE, RENFREWSHIRE, SHARED, needs_shared, summary_counts, written

PACKAGE = json.loads((DATA / "cf_release_package_2022-10-20.json").read_text(encoding="utf-8"))
LINCOLNSHIRE_FILE = f"{LINCOLNSHIRE}.yaml"
LINCOLNSHIRE_AMENDED = f"{LINCOLNSHIRE}.amended.yaml"


def lincolnshire(**changes) -> dict:
    """The real Lincolnshire tender release, with top-level or ``tender`` fields changed."""
    release = copy.deepcopy(next(r for r in PACKAGE["releases"] if r["ocid"] == LINCOLNSHIRE))
    release["tender"].update(changes.pop("tender", {}))
    release.update(changes)
    return release


def amended(release: dict, **tender) -> dict:
    """A later release of the same notice (a tenderAmendment), as Contracts Finder publishes one."""
    later = copy.deepcopy(release)
    later["id"] = release["id"] + "-amended"
    later["date"] = "2022-10-25T10:00:00+01:00"
    later["tag"] = ["tenderAmendment"]
    later["tender"].update(tender)
    return later


def package_file(folder: Path, name: str, *releases: dict) -> Path:
    path = folder / name
    path.write_text(json.dumps({**PACKAGE, "releases": list(releases)}, ensure_ascii=False), encoding="utf-8")
    return path


def import_ocds(*arguments: str, cwd: Path | None = None, umask: int = 0o022) -> subprocess.CompletedProcess:
    """The installed console script, under a chosen umask."""
    environment = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [console_script(), "import", "ocds", "--include-closed", *arguments], cwd=cwd, capture_output=True, env=environment, timeout=120, umask=umask
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# --- 1. file names: one per id, on every file system -----------------------------------


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_two_distinct_ids_never_share_a_file_name_even_ignoring_case(first, second):
    if first == second:
        return
    for tender_id in (first, second):
        assert safe_file_name(tender_id) == safe_file_name(tender_id)  # the same id, the same name, every time
    assert safe_file_name(first).lower() != safe_file_name(second).lower()
    assert safe_file_name(first.upper()).lower() != safe_file_name(first.lower()).lower() or first.upper() == first.lower()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ABC-1", "abc-1"),
        ("ocds-b5fd17-ABC", "ocds-b5fd17-abc"),
        ("ABC-1", safe_file_name("ABC-1").removesuffix(".yaml")),  # an id spelled like another id's file name
        ("ocds-x-1", "ocds-x-1.amended"),  # an id spelled like another id's amended copy
        ("ocds-x-1", "ocds-x-1.amended-2"),
        ("a/b", "a:b"),
        ("a_b", "a-b"),
        ("a..b", "a.b"),
    ],
)
def test_ids_that_look_alike_get_file_names_distinct_ignoring_case(first, second):
    names = {safe_file_name(first).lower(), safe_file_name(second).lower()}
    amended_copies = {name.removesuffix(".yaml") + ".amended.yaml" for name in names}
    assert len(names) == 2
    assert not names & amended_copies


def test_ids_differing_only_in_case_neither_collide_nor_duplicate_on_reimport(tmp_path):
    upper = lincolnshire(ocid="ocds-b5fd17-CASE-1", id="r-upper", tender={"title": "Upper"})
    lower = lincolnshire(ocid="ocds-b5fd17-case-1", id="r-lower", tender={"title": "Lower"})
    one_order = package_file(tmp_path, "a.json", upper, lower)
    other_order = package_file(tmp_path, "b.json", lower, upper)
    out = tmp_path / "tenders"

    first = import_ocds(str(one_order), "-o", str(out))
    assert first.returncode == 0, stderr_text(first)
    names = sorted(path.name for path in out.iterdir())
    assert len({name.lower() for name in names}) == 2  # distinct on a case-insensitive file system too
    assert {data["tender"]["title"] for data in written(out).values()} == {"Upper", "Lower"}

    again = import_ocds(str(other_order), "-o", str(out))
    assert again.returncode == 0, stderr_text(again)
    assert sorted(path.name for path in out.iterdir()) == names  # the same names whatever the order: no duplicates
    assert summary_counts(stderr_text(again))["unchanged"] == 2


# --- 2. re-import: edits kept, amended notices delivered --------------------------------


def test_an_unedited_file_is_updated_when_its_notice_is_amended_with_the_changes_listed(tmp_path):
    original = lincolnshire()
    out = tmp_path / "tenders"
    import_ocds(str(package_file(tmp_path, "v1.json", original)), "-o", str(out))
    later = amended(original, value={"amount": 12_000_000, "currency": "GBP"})

    process = import_ocds(str(package_file(tmp_path, "v2.json", original, later)), "-o", str(out))
    err = stderr_text(process)
    assert process.returncode == 0, err
    assert sorted(path.name for path in out.iterdir()) == [LINCOLNSHIRE_FILE]
    assert written(out)[LINCOLNSHIRE]["tender"]["value"] == 12_000_000
    assert summary_counts(err)["updated"] == 1
    assert "value: 11000000 -> 12000000" in err


EDITS = {
    "answers appended": lambda text: text + "incumbent: none\n",
    "a field changed": lambda text: text.replace("value: 11000000", "value: 10500000"),
    "only a comment changed": lambda text: text.replace("# The buyer marks", "# Checked. The buyer marks"),
    "trailing space": lambda text: text.replace("\ntender:\n", "\ntender: \n"),
    "line endings made CRLF": lambda text: text.replace("\n", "\r\n"),
    "the stamp line deleted": lambda text: "".join(line for line in text.splitlines(True) if "import stamp" not in line),
    "the stamp line changed": lambda text: text.replace("# import stamp: ", "# import stamp: 0", 1),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_every_kind_of_edit_keeps_the_file_from_being_written_over(tmp_path, edit):
    original = lincolnshire()
    [first] = tenders_from_release(Release(original, "v1:1"))
    [later] = tenders_from_release(Release(amended(original, title="Amended"), "v2:1"))
    assert write_tender(first, tmp_path).outcome is Outcome.NEW
    edited = tmp_path / LINCOLNSHIRE_FILE
    edited.write_bytes(EDITS[edit](edited.read_text(encoding="utf-8")).encode("utf-8"))
    team_version = edited.read_bytes()

    result = write_tender(later, tmp_path)
    assert result.outcome is Outcome.AMENDED
    assert (result.edited, result.path) == (edited, tmp_path / LINCOLNSHIRE_AMENDED)
    assert edited.read_bytes() == team_version
    assert yaml.safe_load(result.path.read_text(encoding="utf-8"))["tender"]["title"] == "Amended"
    assert 'title: "Domestic Abuse Support Service" -> "Amended"' in result.changes


def test_an_amended_notice_for_an_edited_file_is_written_beside_it_with_the_differences_listed(tmp_path):
    original = lincolnshire()
    out = tmp_path / "tenders"
    import_ocds(str(package_file(tmp_path, "v1.json", original)), "-o", str(out))
    edited = out / LINCOLNSHIRE_FILE
    edited.write_text(edited.read_text(encoding="utf-8") + "incumbent: none\n", encoding="utf-8")
    team_version = edited.read_bytes()
    later = amended(original, tenderPeriod={**original["tender"]["tenderPeriod"], "endDate": "2022-12-01T12:00:00Z"})
    v2 = package_file(tmp_path, "v2.json", original, later)

    process = import_ocds(str(v2), "-o", str(out))
    err = stderr_text(process)
    assert process.returncode == 0, err
    assert edited.read_bytes() == team_version  # never overwritten
    beside = yaml.safe_load((out / LINCOLNSHIRE_AMENDED).read_text(encoding="utf-8"))["tender"]
    assert str(beside["deadline"]) == "2022-12-01"
    assert beside["source"]["release"] == later["id"]
    [warning] = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert warning.startswith(f"warning: {edited}: ") and str(out / LINCOLNSHIRE_AMENDED) in warning
    assert "deadline: 2022-11-17 -> 2022-12-01" in warning
    assert summary_counts(err)["amended notice beside a file you edited"] == 1

    reminded = import_ocds(str(v2), "-o", str(out))  # until the team deals with it, every run says so
    assert edited.read_bytes() == team_version
    assert [line for line in stderr_text(reminded).splitlines() if line.startswith("warning: ")] == [
        warning.replace("is amended since", "was amended since")
    ]
    assert summary_counts(stderr_text(reminded))["written"] == 0


def test_an_edited_file_whose_notice_has_not_changed_is_left_alone_quietly(tmp_path):
    out = tmp_path / "tenders"
    source = package_file(tmp_path, "v1.json", lincolnshire())
    import_ocds(str(source), "-o", str(out))
    (out / LINCOLNSHIRE_FILE).write_text((out / LINCOLNSHIRE_FILE).read_text(encoding="utf-8") + "incumbent: none\n", encoding="utf-8")
    before = snapshot(out)

    process = import_ocds(str(source), "-o", str(out))
    assert process.returncode == 0
    assert snapshot(out) == before
    assert "warning" not in stderr_text(process)
    assert summary_counts(stderr_text(process))["kept with your edits"] == 1


def test_force_never_loses_the_teams_edits(tmp_path):
    out = tmp_path / "tenders"
    original = lincolnshire()
    arguments = [str(package_file(tmp_path, "v1.json", original)), "-o", str(out)]
    import_ocds(*arguments)
    edited = out / LINCOLNSHIRE_FILE
    edited.write_text(edited.read_text(encoding="utf-8") + "incumbent: none\n", encoding="utf-8")
    team_version = edited.read_bytes()

    forced = import_ocds(*arguments, "--force")
    assert forced.returncode == 0, stderr_text(forced)
    assert edited.read_bytes() == team_version
    assert written(out)  # and the fresh import is there beside it
    assert yaml.safe_load((out / LINCOLNSHIRE_AMENDED).read_text(encoding="utf-8"))["tender"]["id"] == LINCOLNSHIRE

    later = amended(original, title="Domestic Abuse Support Service (amended)")
    import_ocds(str(package_file(tmp_path, "v2.json", original, later)), "-o", str(out), "--force")
    assert edited.read_bytes() == team_version
    assert yaml.safe_load((out / LINCOLNSHIRE_AMENDED).read_text(encoding="utf-8"))["tender"]["title"].endswith("(amended)")


def test_amended_copies_the_team_edited_too_are_kept_and_the_next_amendment_goes_beside_them(tmp_path):
    out = tmp_path / "tenders"
    original = lincolnshire()
    second = amended(original, title="Second")
    third = {**amended(second, title="Third"), "id": "third", "date": "2022-11-01T10:00:00Z"}
    import_ocds(str(package_file(tmp_path, "v1.json", original)), "-o", str(out))
    (out / LINCOLNSHIRE_FILE).write_text((out / LINCOLNSHIRE_FILE).read_text(encoding="utf-8") + "incumbent: none\n", encoding="utf-8")
    import_ocds(str(package_file(tmp_path, "v2.json", second)), "-o", str(out))
    (out / LINCOLNSHIRE_AMENDED).write_text((out / LINCOLNSHIRE_AMENDED).read_text(encoding="utf-8") + "# reading this\n", encoding="utf-8")
    before = snapshot(out)

    process = import_ocds(str(package_file(tmp_path, "v3.json", third)), "-o", str(out))
    assert process.returncode == 0
    assert {name: content for name, content in snapshot(out).items() if name in before} == before
    newest = out / f"{LINCOLNSHIRE}.amended-2.yaml"
    assert yaml.safe_load(newest.read_text(encoding="utf-8"))["tender"]["title"] == "Third"
    assert f"warning: {out / LINCOLNSHIRE_AMENDED}: " in stderr_text(process)


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_link_or_a_file_not_written_by_the_importer_is_never_written_through(tmp_path):
    out = tmp_path / "tenders"
    out.mkdir()
    outside = tmp_path / "outside.yaml"
    outside.write_text("tender: {id: elsewhere, title: Not ours}\n", encoding="utf-8")
    (out / LINCOLNSHIRE_FILE).symlink_to(outside)
    hand_written = out / safe_file_name(RENFREWSHIRE + "-lot-1")
    hand_written.write_text("tender: {id: x, title: Written by hand}\n", encoding="utf-8")

    process = import_ocds(*map(str, CORE_FILES), "-o", str(out))
    assert process.returncode == 0, stderr_text(process)
    assert outside.read_text(encoding="utf-8") == "tender: {id: elsewhere, title: Not ours}\n"
    assert (out / LINCOLNSHIRE_FILE).is_symlink()
    assert hand_written.read_text(encoding="utf-8") == "tender: {id: x, title: Written by hand}\n"
    assert (out / LINCOLNSHIRE_AMENDED).is_file()  # delivered beside them instead
    assert (out / hand_written.name.replace(".yaml", ".amended.yaml")).is_file()


# --- 3. modes ---------------------------------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_imported_files_take_their_mode_from_the_umask(tmp_path, umask, expected):
    process = import_ocds(*map(str, CORE_FILES), "-o", str(tmp_path / "tenders"), umask=umask)
    assert process.returncode == 0, stderr_text(process)
    modes = {stat.S_IMODE(path.stat().st_mode) for path in (tmp_path / "tenders").iterdir()}
    assert modes == {expected}


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_a_rewritten_file_keeps_its_mode(tmp_path):
    out = tmp_path / "tenders"
    original = lincolnshire()
    import_ocds(str(package_file(tmp_path, "v1.json", original)), "-o", str(out))
    (out / LINCOLNSHIRE_FILE).chmod(0o640)
    later = amended(original, title="Amended")

    process = import_ocds(str(package_file(tmp_path, "v2.json", original, later)), "-o", str(out), umask=0o022)
    assert process.returncode == 0
    assert written(out)[LINCOLNSHIRE]["tender"]["title"] == "Amended"
    assert stat.S_IMODE((out / LINCOLNSHIRE_FILE).stat().st_mode) == 0o640


# --- 4. JSON Lines ----------------------------------------------------------------------

# Every character str.splitlines() takes as a line break, though JSON allows it raw inside a string.
LINE_BREAKS_INSIDE_STRINGS = "\u2028\u2029\u0085\x1c\x1d\x1e\x0b\x0c"


@given(st.text(alphabet=st.sampled_from(LINE_BREAKS_INSIDE_STRINGS) | st.characters(codec="utf-8"), min_size=1, max_size=12))
def test_json_lines_are_split_on_newlines_only(inside):
    releases = [lincolnshire(ocid=f"ocds-b5fd17-lines-{n}", id=f"r{n}", tender={"title": f"a{inside}b"}) for n in range(3)]
    raw = "".join(json.dumps(release, ensure_ascii=False) + "\n" for release in releases).encode("utf-8")
    found, problems = releases_and_problems(raw, "notices.jsonl")
    assert problems == []
    assert [release.data["tender"]["title"] for release in found] == [f"a{inside}b"] * 3


def test_line_breaks_inside_strings_do_not_break_a_json_lines_import(tmp_path):
    releases = [lincolnshire(ocid=f"ocds-b5fd17-lines-{n}", id=f"r{n}", tender={"description": LINE_BREAKS_INSIDE_STRINGS}) for n in range(3)]
    source = tmp_path / "notices.jsonl"
    source.write_text("".join(json.dumps(release, ensure_ascii=False) + "\n" for release in releases), encoding="utf-8")
    process = import_ocds(str(source), "-o", str(tmp_path / "out"))
    assert process.returncode == 0, stderr_text(process)
    assert summary_counts(stderr_text(process))["read"] == 3


BAD_LINES = {
    "truncated": lambda line: line[: len(line) // 2],
    "not JSON": lambda line: "<html>502 Bad Gateway</html>",
    "JSON, not OCDS": lambda line: json.dumps("just text"),
    "an object without an ocid": lambda line: json.dumps({"tender": {"title": "x"}}),
    "nested too deeply": lambda line: "[" * 100_000,
}


def good_lines(count: int = 4) -> list[str]:
    return [json.dumps(lincolnshire(ocid=f"ocds-b5fd17-good-{n}", id=f"r{n}")) for n in range(count)]


@pytest.mark.parametrize("kind", sorted(BAD_LINES))
@pytest.mark.parametrize("position", [1, 3, 5])
def test_a_bad_json_lines_line_is_skipped_with_a_located_problem_and_the_rest_read(kind, position):
    lines = good_lines()
    lines.insert(position - 1, BAD_LINES[kind](lines[0]))
    plan = plan_import([("notices.jsonl", "\n".join(lines).encode("utf-8"))], include_closed=True)
    [problem] = plan.problems
    assert (problem.file, problem.line) == ("notices.jsonl", position)
    assert "skipped" in problem.message
    assert len(plan.tenders) == 4


def test_a_bad_json_lines_line_exits_2_after_importing_the_rest_as_check_does(tmp_path):
    lines = good_lines()
    lines.insert(1, BAD_LINES["not JSON"](lines[0]))
    lines.append(BAD_LINES["truncated"](lines[0]))  # a download cut short
    source = tmp_path / "notices.jsonl"
    source.write_text("\n".join(lines), encoding="utf-8")

    process = import_ocds(str(source), "-o", str(tmp_path / "out"))
    err = stderr_text(process)
    assert process.returncode == 2, err  # bad input, as in `check`: the rest still runs, the status says so
    assert "Traceback" not in err
    located = [line for line in err.splitlines() if line.startswith(f"{source}:")]
    assert [line.split(":")[1] for line in located] == ["2", "6"]
    assert summary_counts(err)["read"] == 4
    assert len(written(tmp_path / "out")) == 4


def test_a_file_of_bad_lines_lists_the_first_few_and_counts_the_rest(tmp_path):
    source = tmp_path / "notices.jsonl"
    source.write_text("not json\n" * 25 + json.dumps(lincolnshire()) + "\n", encoding="utf-8")
    process = import_ocds(str(source), "-o", str(tmp_path / "out"))
    located = [line for line in stderr_text(process).splitlines() if line.startswith(str(source))]
    assert [line.split(":")[1] for line in located[:10]] == [str(n) for n in range(1, 11)]
    assert located[10] == f"{source}: 15 more lines could not be read and are skipped (the first 10 are listed)"
    assert list(written(tmp_path / "out")) == [LINCOLNSHIRE]


# --- 5. amounts and tags in the shapes publishers send ----------------------------------


@pytest.mark.parametrize("amount", ["11000000", "11000000.00", "11,000,000", "11,000,000.00", " 11000000 ", "11 000 000", "11\u00a0000\u00a0000"])
def test_an_amount_published_as_text_is_read_as_a_number(amount):
    release = lincolnshire(tender={"value": {"amount": amount, "currency": "GBP"}, "minValue": {"amount": "8,275,000", "currency": "GBP"}})
    [tender] = tenders_from_release(Release(release, "p:1"))
    assert (tender.value, tender.value_low) == (11_000_000, 8_275_000)
    assert yaml.safe_load(tender.text)["tender"]["value"] == 11_000_000
    assert NoticeFilter(min_value=10_000_000).reason_to_skip(tender) is None


def test_a_notice_whose_amount_is_text_is_kept_by_min_value(tmp_path):
    release = lincolnshire(tender={"value": {"amount": "11,000,000.00", "currency": "GBP"}, "minValue": None})
    process = import_ocds(str(package_file(tmp_path, "p.json", release)), "-o", str(tmp_path / "out"), "--min-value", "£10m")
    assert process.returncode == 0, stderr_text(process)
    assert written(tmp_path / "out")[LINCOLNSHIRE]["tender"]["value"] == 11_000_000


@pytest.mark.parametrize("amount", ["TBC", "1,25", "-5", "", "1e400", "NaN", "0", "0.00"])
def test_text_that_is_no_amount_leaves_the_value_out(amount):
    release = lincolnshire(tender={"value": {"amount": amount, "currency": "GBP"}, "minValue": None})
    [tender] = tenders_from_release(Release(release, "p:1"))
    assert tender.value is None
    assert "value" not in yaml.safe_load(tender.text)["tender"]


@pytest.mark.parametrize(
    ("tag", "reason"),
    [("tender", None), ("tenderAmendment", None), (" tenderUpdate ", None), ("award", SkipReason.AWARD),
     ("planning", SkipReason.PLANNING), ("award,contract", SkipReason.AWARD), ("tenderCancellation", SkipReason.CANCELLED)],
)  # fmt: skip
def test_a_tag_given_as_a_string_is_read_like_an_array(tag, reason):
    from bidcheck.ocds import select_procurement

    assert select_procurement(lincolnshire(tag=tag), datetime.date(2000, 1, 1)).reason is reason


def test_a_notice_tagged_with_a_string_is_imported(tmp_path):
    process = import_ocds(str(package_file(tmp_path, "p.json", lincolnshire(tag="tender"))), "-o", str(tmp_path / "out"))
    assert process.returncode == 0, stderr_text(process)
    assert list(written(tmp_path / "out")) == [LINCOLNSHIRE]


# --- 6. folders, the summary, value filters ---------------------------------------------


def test_a_folder_is_read_recursively_like_check_reads_one(tmp_path):
    inputs = tmp_path / "downloads"
    (inputs / "2022" / "october").mkdir(parents=True)
    (inputs / ".cache").mkdir()
    for path in CORE_FILES:
        (inputs / "2022" / "october" / path.name).write_bytes(path.read_bytes())
    (inputs / ".cache" / "old.json").write_text("{", encoding="utf-8")  # hidden: not read
    (inputs / "README.md").write_text("not data", encoding="utf-8")

    from_folder = import_ocds(str(inputs), "-o", str(tmp_path / "a"))
    from_files = import_ocds(*map(str, CORE_FILES), "-o", str(tmp_path / "b"))
    assert from_folder.returncode == 0, stderr_text(from_folder)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert summary_counts(stderr_text(from_folder))["files"] == len(CORE_FILES)


def test_a_folder_without_ocds_files_is_a_located_error_and_creates_no_output(tmp_path):
    (tmp_path / "empty").mkdir()
    process = import_ocds(str(tmp_path / "empty"), "-o", str(tmp_path / "out"))
    assert process.returncode == 2
    assert stderr_text(process).startswith(f"{tmp_path / 'empty'}: no OCDS files")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("content", ["{", '{"tender": {}}', "[1, 2]"])
def test_a_failing_import_creates_no_output_folder(tmp_path, content):
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    process = import_ocds(str(tmp_path / "bad.json"), "-o", str(tmp_path / "out" / "nested"))
    assert process.returncode == 2
    assert not (tmp_path / "out").exists()


def test_the_summary_counts_releases_and_tender_files_each_in_its_own_unit(tmp_path):
    process = import_ocds(*map(str, CORE_FILES), "-o", str(tmp_path / "out"), "--cpv", "45")
    err = stderr_text(process)
    assert process.returncode == 0, err
    counts = summary_counts(err)
    # 7 releases: 5 notices (one Scottish notice has 2 lots with their own values) and 2 skipped releases;
    # 6 tender files from those notices, of which the CPV filter keeps the 2 Scottish lots and the Regent Theatre.
    assert (counts["read"], counts["notices"], counts["skipped"]) == (7, 5, 2)
    assert (counts["award or contract notice"], counts["superseded by a later release"]) == (1, 1)
    assert (counts["tender_files"], counts["selected"], counts["filtered"]) == (6, 3, 3)
    assert (counts["written"], counts["new"]) == (3, 3)


def without_value() -> list[dict]:
    no_value = lincolnshire(ocid="ocds-b5fd17-no-value", id="nv", tender={"value": None, "minValue": None})
    euro = lincolnshire(ocid="ocds-b5fd17-euro", id="eu", tender={"value": {"amount": 90_000, "currency": "EUR"}, "minValue": None})
    return [no_value, euro]


@pytest.mark.parametrize("options", [{"min_value": 100_000}, {"max_value": 50_000}, {"min_value": 1}, {"max_value": 1e9}, {"min_value": 1, "max_value": 2}])
def test_value_filters_keep_notices_without_a_value_in_pounds_and_count_them(options):
    raw = json.dumps({**PACKAGE, "releases": without_value()}).encode()
    plan = plan_import([("p.json", raw)], NoticeFilter(**options), include_closed=True)
    assert {tender.tender_id for tender in plan.tenders} == {"ocds-b5fd17-no-value", "ocds-b5fd17-euro"}
    assert plan.value_not_known == plan.tenders


def test_min_value_says_how_many_notices_it_kept_without_a_value(tmp_path):
    process = import_ocds(str(package_file(tmp_path, "p.json", *without_value())), "-o", str(tmp_path / "out"), "--min-value", "£100k", "-v")
    err = stderr_text(process)
    assert process.returncode == 0, err
    assert set(written(tmp_path / "out")) == {"ocds-b5fd17-no-value", "ocds-b5fd17-euro"}
    assert summary_counts(err)["value_not_known"] == 2
    assert "ocds-b5fd17-euro kept: no value in GBP" in err


@needs_shared
def test_the_find_a_tender_folder_imports_as_a_folder_and_every_file_passes_check(run_cli, tmp_path):
    process = import_ocds(str(SHARED / "fts"), "-o", str(tmp_path / "out"))
    err = stderr_text(process)
    assert process.returncode == 0, err
    counts = summary_counts(err)
    assert (counts["read"], counts["files"]) == (955, 10)
    assert counts["written"] == counts["tender_files"] == len(list((tmp_path / "out").glob("*.yaml")))
    assert counts["notices"] == len({data["tender"]["source"]["ocid"] for data in written(tmp_path / "out").values()})
    check = run_cli("check", str(tmp_path / "out"), "--format", "json", "--fail-on", "never")
    assert json.loads(check.stdout)["errors"] == []


def test_the_readme_shows_the_summary_a_real_import_prints(tmp_path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Triage real notices (OCDS)") :]
    shown = section[section.index("```text\n") + len("```text\n") :].split("```", 1)[0]
    process = import_ocds(*map(str, CORE_FILES), "-o", "tenders", cwd=tmp_path)
    assert stderr_text(process) == shown


@pytest.mark.parametrize("way", ["answers moved into the amended file", "amendment merged into the team's file"])
def test_taking_an_amendment_as_the_readme_says_ends_the_warnings(tmp_path, way):
    original = lincolnshire()
    [first] = tenders_from_release(Release(original, "v1:1"))
    [later] = tenders_from_release(Release(amended(original, title="Amended"), "v2:1"))
    write_tender(first, tmp_path)
    mine, theirs = tmp_path / LINCOLNSHIRE_FILE, tmp_path / LINCOLNSHIRE_AMENDED
    mine.write_text(mine.read_text(encoding="utf-8") + "incumbent: none\n", encoding="utf-8")
    assert write_tender(later, tmp_path).outcome is Outcome.AMENDED

    if way == "answers moved into the amended file":
        theirs.write_text(theirs.read_text(encoding="utf-8") + "incumbent: none\n", encoding="utf-8")
        theirs.replace(mine)
    else:
        stamp = next(line for line in theirs.read_text(encoding="utf-8").splitlines() if line.startswith("# import stamp:"))
        lines = [stamp if line.startswith("# import stamp:") else line for line in mine.read_text(encoding="utf-8").splitlines()]
        mine.write_text("\n".join(lines).replace("Domestic Abuse Support Service", "Amended", 1) + "\n", encoding="utf-8")
        theirs.unlink()
    team_version = mine.read_bytes()

    assert write_tender(later, tmp_path).outcome is Outcome.KEPT
    assert sorted(path.name for path in tmp_path.iterdir()) == [LINCOLNSHIRE_FILE]
    assert mine.read_bytes() == team_version


@pytest.mark.parametrize("position", [1, 2, 5])
def test_json_lines_in_a_json_file_survive_a_bad_line_anywhere(position):
    lines = good_lines()
    lines.insert(position - 1, BAD_LINES["truncated"](lines[0]))
    plan = plan_import([("notices.json", "\n".join(lines).encode("utf-8"))], include_closed=True)
    assert [(problem.file, problem.line) for problem in plan.problems] == [("notices.json", position)]
    assert len(plan.tenders) == 4


def test_a_broken_pretty_printed_package_is_still_one_located_json_error():
    text = json.dumps({**PACKAGE, "releases": [lincolnshire()]}, indent=2).replace('"tag": [', '"tag": [,', 1)
    plan = plan_import([("package.json", text.encode("utf-8"))], include_closed=True)
    [problem] = plan.problems
    assert problem.message.startswith("invalid JSON: ")
    assert plan.releases_read == 0


def test_files_an_earlier_bidcheck_imported_without_a_stamp_are_never_written_over(tmp_path):
    original = lincolnshire()
    [first] = tenders_from_release(Release(original, "v1:1"))
    [later] = tenders_from_release(Release(amended(original, title="Amended"), "v2:1"))
    unedited, answered = tmp_path / "a", tmp_path / "b"
    for folder in (unedited, answered):
        folder.mkdir()
        (folder / LINCOLNSHIRE_FILE).write_text(first.text, encoding="utf-8")  # as bidcheck wrote it before stamps
    (answered / LINCOLNSHIRE_FILE).write_text(first.text + "incumbent: none\n", encoding="utf-8")
    answers = (answered / LINCOLNSHIRE_FILE).read_bytes()

    assert write_tender(first, unedited).outcome is Outcome.UNCHANGED  # only gains its stamp
    assert "# import stamp: " in (unedited / LINCOLNSHIRE_FILE).read_text(encoding="utf-8")
    assert write_tender(later, unedited).outcome is Outcome.UPDATED
    assert write_tender(first, answered).outcome is Outcome.KEPT  # the fields the notice gives are the same
    assert write_tender(later, answered).outcome is Outcome.AMENDED
    assert (answered / LINCOLNSHIRE_FILE).read_bytes() == answers
