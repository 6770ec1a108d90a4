"""The benchmark script runs end to end on a tiny input (the real figures are in benchmarks/RESULTS.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = [sys.executable, "-m", "benchmarks.run"]


def test_benchmark_smoke_run(tmp_path, model_file):
    subprocess.run(
        # the `gpsc tag` and HTTP timings are left out (each starts processes; both are tested elsewhere)
        [*BENCH, "--smoke", "--skip", "cli,service", "--out", str(tmp_path), "--model", str(model_file)],
        cwd=ROOT,
        check=True,
        timeout=300,
        capture_output=True,
    )
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert {"gpsc", "rapidfuzz", "char TF-IDF", "word TF-IDF"} <= set(results["accuracy"])
    assert results["throughput"][0]["classify_lines_per_s"] > 0
    report = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "## Accuracy against the baselines" in report
    assert (tmp_path / "throughput.png").stat().st_size > 1000 and (tmp_path / "accuracy.png").is_file()
    assert results["pinmu_index"]["ratio"] > 0 and "品目 index" in report
