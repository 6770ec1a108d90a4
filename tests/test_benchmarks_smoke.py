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
    for workload in ("realistic", "repetitive"):
        row = results["library"][workload][0]
        assert row["check_lines_per_s"] > 0 and row["baseline_lines_per_s"] > 0 and row["ratio"] > 0
        assert row["peak_rss_mb"] > 0
    assert min(d["fraction"] for d in results["workloads"]["realistic"]["distinct"]) >= 0.9
    report = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert report.index("## Throughput: realistic workload") < report.index("## Throughput: repetitive workload")
    assert report.index("## Throughput: repetitive workload") < report.index("## Accuracy against the baselines")
    assert (tmp_path / "throughput.png").stat().st_size > 1000 and (tmp_path / "accuracy.png").is_file()
    assert (tmp_path / "memory.png").stat().st_size > 1000
    assert results["pinmu_index"]["ratio"] > 0 and "品目 index" in report
