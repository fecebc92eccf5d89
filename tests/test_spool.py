"""Reports that cannot stream (SARIF, JUnit) keep their parts on disk, in order, unchanged."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bidcheck.render import spool
from bidcheck.render.spool import Spool

parts_without_nul = st.lists(st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=())), max_size=40)


@settings(max_examples=200, deadline=None)
@given(parts=parts_without_nul, read_size=st.integers(min_value=1, max_value=64))
def test_parts_come_back_in_order_whatever_the_read_size(parts, read_size):
    original = spool._READ_SIZE
    spool._READ_SIZE = read_size  # parts split across reads must still come back whole
    try:
        kept = Spool()
        for part in parts:
            kept.add(part)
        assert kept.count == len(parts)
        assert list(kept) == parts
        assert list(kept) == parts  # and again: reading does not consume
        kept.close()
    finally:
        spool._READ_SIZE = original


def test_a_part_with_nul_is_refused():
    kept = Spool()
    with pytest.raises(ValueError):
        kept.add("a\x00b")
    kept.close()


def test_spooled_sarif_is_laid_out_as_one_json_dump(tmp_path, invoke):
    """The log streamed around the spooled lists is what json.dumps(indent=2) would write."""
    from tests.conftest import EXAMPLES

    result = invoke("check", str(EXAMPLES / "tenders"), "--format", "sarif", "--fail-on", "never")
    log = json.loads(result.stdout)
    assert result.stdout == json.dumps(log, ensure_ascii=False, indent=2) + "\n"
    assert len(log["runs"][0]["results"]) > 0
    assert len(log["runs"][0]["properties"]["verdicts"]) == len(list((EXAMPLES / "tenders").glob("*.yaml")))


def test_spooled_sarif_with_no_results_is_still_one_json_dump(write, invoke):
    broken = write("broken.yaml", "tender: [\n")
    result = invoke("check", str(broken), "--format", "sarif")
    log = json.loads(result.stdout)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["properties"]["verdicts"] == []
    assert result.stdout == json.dumps(log, ensure_ascii=False, indent=2) + "\n"
