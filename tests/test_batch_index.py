"""A batch remembers files and ids in memory that stays flat: spilled to SQLite past a size."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bidcheck.batch_index import FirstSeen


@given(st.lists(st.tuples(st.text(max_size=6), st.text(max_size=6)), max_size=60), st.integers(min_value=0, max_value=8))
def test_first_seen_answers_as_a_dictionary_would_before_and_after_it_spills(pairs, spill_at):
    index, expected = FirstSeen(spill_at=spill_at), {}
    for key, value in pairs:
        assert index.first(key, value) == expected.setdefault(key, value)
    assert len(index) == len(expected)


def test_is_new_only_the_first_time_before_and_after_spilling():
    index = FirstSeen(spill_at=3)
    keys = [f"1:{n}" for n in range(10)]
    assert all(index.is_new(key) for key in keys)
    assert not any(index.is_new(key) for key in keys)


def test_a_reused_id_is_warned_with_its_first_file_in_a_batch_bigger_than_memory_holds(run_cli, tmp_path):
    # bidcheck.batch_index.SPILL_AT keys stay in memory; this batch passes it, and names the first file after
    from bidcheck.batch_index import SPILL_AT

    folder = tmp_path / "tenders"
    folder.mkdir()
    count = SPILL_AT + 20
    for number in range(count):
        (folder / f"t{number:05}.yaml").write_text(f"tender: {{id: T-{number}, title: Tender {number}}}\n", encoding="utf-8")
    (folder / "zz-copy.yaml").write_text("tender: {id: T-3, title: A copy}\n", encoding="utf-8")
    import json

    process = run_cli("check", str(folder), "--format", "json", "--fail-on", "never", "--jobs", "1", "--select", "MIS001")
    assert process.returncode == 0, process.stderr
    report = json.loads(process.stdout)
    assert len(report["results"]) == count + 1
    warned = [result for result in report["results"] if result["warnings"]]
    assert [result["file"].rsplit("/", 1)[-1] for result in warned] == ["zz-copy.yaml"]
    assert "t00003.yaml" in warned[0]["warnings"][0]["message"]
