"""``--format html`` read back with a real HTML parser (html5lib, as a browser parses): its structure.

The browser tests (tests/test_html_browser.py) compare what Chromium shows with the JSON;
these check the page's parts with no browser at all: self-contained, accessible tables and
headings, every tender string escaped, written where ``--output`` and ``--report`` say.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bidcheck.display import printable
from tests.conftest import stdout_text
from tests.html_reports import HOSTILE, HOSTILE_ID, make_batch, run_report

NS = {"h": "http://www.w3.org/1999/xhtml"}


def parse(page: str):
    return html5lib.parse(page, namespaceHTMLElements=True)


def text(element) -> str:
    return "".join(element.itertext()).strip()


def find_all(tree, path: str) -> list:
    return tree.findall(path, NS)


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    return make_batch(tmp_path_factory.mktemp("html"))


@pytest.fixture(scope="module")
def pages(batch) -> dict[str, str]:
    """check's and triage's page for the batch (run once: the console script, as users run it)."""
    from tests.conftest import console_script

    found = {}
    for command in ("check", "triage"):
        process = subprocess.run(
            [console_script(), command, "tenders", "--format", "html", "--as-of", "2026-11-01", "--fail-on", "never"],
            cwd=batch, capture_output=True, text=True, timeout=120,
        )
        assert process.returncode == 2, process.stderr  # bad.yaml
        found[command] = process.stdout
    return found


@pytest.mark.parametrize("command", ["check", "triage"])
def test_the_page_is_self_contained_with_no_scripts_fonts_or_assets_from_elsewhere(pages, command):
    tree = parse(pages[command])
    for tag in ("script", "link", "img", "iframe", "object", "embed", "svg", "base", "form"):
        assert find_all(tree, f".//h:{tag}") == [], tag
    assert all(element.get("src") is None for element in tree.iter())
    assert all(element.get("href", "#").startswith("#") for element in tree.iter())  # links only within the page
    (style,) = find_all(tree, ".//h:head/h:style")
    assert "url(" not in style.text and "@import" not in style.text and "@font-face" not in style.text
    assert "@media print" in style.text
    policies = [meta.get("content") for meta in find_all(tree, ".//h:meta") if meta.get("http-equiv") == "Content-Security-Policy"]
    assert policies == ["default-src 'none'; style-src 'unsafe-inline'"]


@pytest.mark.parametrize("command", ["check", "triage"])
def test_the_page_has_a_language_a_main_one_h1_and_headings_that_skip_no_level(pages, command):
    tree = parse(pages[command])
    assert tree.get("lang") == "en-GB"
    (main,) = find_all(tree, ".//h:main")
    levels = [int(element.tag[-1]) for element in main.iter() if element.tag[-2:-1] == "h" and element.tag[-1].isdigit()]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after - before <= 1 for before, after in zip(levels, levels[1:]))


@pytest.mark.parametrize("command", ["check", "triage"])
def test_every_table_has_a_caption_first_and_header_cells_that_say_their_scope(pages, command):
    tree = parse(pages[command])
    tables = find_all(tree, ".//h:table")
    assert len(tables) > 10
    for table in tables:
        assert table[0].tag.endswith("caption") and text(table[0])
        for header in table.iter("{%s}th" % NS["h"]):
            assert header.get("scope") in ("col", "row")
        assert all(header.get("scope") == "col" for header in find_all(table, "./h:thead//h:th"))


@pytest.mark.parametrize("command", ["check", "triage"])
def test_hostile_text_from_a_tender_parses_as_text_never_as_markup(pages, command):
    tree = parse(pages[command])
    headings = [text(heading) for heading in find_all(tree, ".//h:h2")]
    assert f"{HOSTILE_ID}: {HOSTILE}" in headings
    cells = [text(cell) for cell in find_all(tree, ".//h:td")]
    assert HOSTILE in cells  # the title and the buyer, each one cell
    assert all(element.get("onerror") is None for element in tree.iter())


TITLES = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles=st.lists(TITLES, min_size=1, max_size=8))
def test_any_title_shows_in_the_page_as_the_json_has_it_with_control_characters_as_escapes(run_cli, tmp_path_factory, titles):
    folder = tmp_path_factory.mktemp("titles")
    for number, title in enumerate(titles):
        tender = {"tender": {"id": f"ANY-{number}", "title": title}, "incumbent": "none"}
        (folder / f"t{number}.yaml").write_text(yaml.safe_dump(tender, allow_unicode=True), encoding="utf-8")
    as_json = json.loads(stdout_text(run_cli("check", ".", "--format", "json", "--fail-on", "never", cwd=folder)))
    tree = parse(stdout_text(run_cli("check", ".", "--format", "html", "--fail-on", "never", cwd=folder)))
    headings = [text(h2) for h2 in find_all(tree, ".//h:section[@class='tender']/h:h2")]
    # A title bidcheck refuses (blank, say) is an error of the run, in both.
    assert headings == [f"{r['tender']['id']}: {printable(r['tender']['title'])}".strip() for r in as_json["results"]]
    assert len(find_all(tree, ".//h:table[@class='problems']/h:tbody/h:tr")) == len(as_json["errors"])
    assert find_all(tree, ".//h:script") == []


@pytest.mark.parametrize("command", ["check", "triage"])
def test_output_writes_the_same_page_as_stdout(run_cli, batch, pages, command, tmp_path):
    written = tmp_path / "report.html"
    process = run_cli(command, "tenders", "--format", "html", "--as-of", "2026-11-01", "--fail-on", "never", "--output", str(written), cwd=batch)
    assert process.returncode == 2 and process.stdout in (b"", "")
    assert written.read_text(encoding="utf-8") == pages[command]


def test_check_writes_an_html_report_beside_another_format(run_cli, batch, pages, tmp_path):
    written = tmp_path / "board.html"
    process = run_cli("check", "tenders", "--as-of", "2026-11-01", "--fail-on", "never", "--format", "json", "--report", f"html={written}", cwd=batch)
    assert process.returncode == 2
    assert json.loads(process.stdout)["results"]
    assert written.read_text(encoding="utf-8") == pages["check"]


def test_every_finding_row_names_its_rule_severity_guidance_and_yaml_line_and_column(run_cli, batch):
    report = json.loads(run_report(run_cli, batch, "check", "json"))
    tree = parse(run_report(run_cli, batch, "check", "html"))
    rows = find_all(tree, ".//h:table[@class='findings']/h:tbody/h:tr")
    assert len(rows) == sum(len(result["findings"]) for result in report["results"])
    places = {f"{f['location']['line']}:{f['location']['column']} {f['field']}" for r in report["results"] for f in r["findings"]}
    assert {text(row[5]) for row in rows} == places
    citations = {text(p).removeprefix("Guidance: ") for p in find_all(tree, ".//h:p[@class='citation']")}
    assert citations == {f["citation"] for r in report["results"] for f in r["findings"]}


def test_jinja2_is_not_loaded_by_a_run_in_another_format(batch):
    code = (
        "import sys\n"
        "from bidcheck.cli import main\n"
        "sys.argv = ['bidcheck', 'check', 'tenders', '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('jinja2' in sys.modules, file=sys.stderr)\n"
    )
    found = subprocess.run([sys.executable, "-c", code], cwd=batch, capture_output=True, text=True, timeout=120)
    assert found.stderr.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize("command", ["check", "triage"])
def test_a_title_with_line_breaks_escapes_and_workflow_commands_is_safe_to_print_in_a_ci_log(run_cli, tmp_path, command):
    title = "Support\n::error::owned\r##[error]also\x1b[31mred\u202e"
    (tmp_path / "t.yaml").write_text(yaml.safe_dump({"tender": {"id": "LOG-1", "title": title}, "incumbent": "none"}), encoding="utf-8")
    page = stdout_text(run_cli(command, "t.yaml", "--format", "html", cwd=tmp_path))
    lines = page.splitlines()
    assert not any(line.lstrip().startswith(("::", "##[")) for line in lines)
    assert not any(character in page for character in "\x1b\r\u202e")
    tree = parse(page)
    (heading,) = [text(h2) for h2 in find_all(tree, ".//h:section[@class='tender']/h:h2")]
    assert heading == "LOG-1: " + printable(title)
