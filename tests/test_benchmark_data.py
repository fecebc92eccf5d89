"""The benchmark's generated tenders are valid and varied (the benchmark itself is not a test)."""

from __future__ import annotations

import importlib.util
import json

from tests.conftest import ROOT, stdout_text


def test_generated_tenders_are_valid_and_cover_every_verdict(tmp_path, run_cli):
    spec = importlib.util.spec_from_file_location("benchmark_generate", ROOT / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.generate(tmp_path / "data", 200)
    again = tmp_path / "again"
    generate.generate(again, 200)
    first = sorted(p.read_bytes() for p in (tmp_path / "data").rglob("*.yaml"))
    assert first == sorted(p.read_bytes() for p in again.rglob("*.yaml"))  # deterministic

    report = json.loads(stdout_text(run_cli("check", "data", "--format", "json", "--fail-on", "never", cwd=tmp_path)))
    assert report["errors"] == []
    assert all(report["summary"][verdict] > 0 for verdict in ("bid", "bid-with-conditions", "needs-info", "no-bid"))
    assert any(f["waived"] for result in report["results"] for f in result["findings"])
