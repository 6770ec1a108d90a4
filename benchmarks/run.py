"""Reproduce gpsc's benchmark figures: ``python -m benchmarks.run`` writes benchmarks/RESULTS.md and plots.

    python -m benchmarks.run                 # the full run (about 15 minutes on 2 cores)
    python -m benchmarks.run --smoke --out /tmp/bench   # seconds: checks the script itself

Not part of the unit tests (a smoke test runs ``--smoke``).
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

from catalog import load_catalog
from classifier import bundled_dev, read_labeled
from classifier.eligibility import load_checker, save_checker, train_checker

from . import measure, report
from .baselines import all_baselines

HERE = Path(__file__).resolve().parent


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libraries": {n: version(n) for n in ("scikit-learn", "numpy", "scipy", "jieba", "rapidfuzz", "fastapi")},
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=HERE, help="folder for RESULTS.md and the plots")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: check that the script runs")
    parser.add_argument("--sizes", default="1000,10000,100000,1000000", help="throughput sizes (lines)")
    parser.add_argument("--labeled", type=Path, action="append", default=[], help="more labelled CSVs to compare on")
    parser.add_argument("--skip", default="", help="comma list of sections to skip: service,cli,training")
    parser.add_argument("--model", type=Path, help="a checker from `gpsc train` (default: train one and time it)")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    sizes = [200] if args.smoke else [int(s) for s in args.sizes.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    catalog = load_catalog()
    results: dict = {"machine": machine(), "command": "python -m benchmarks.run" + (" --smoke" if args.smoke else "")}
    t = time.perf_counter()
    checker = load_checker(args.model) if args.model else train_checker(catalog=catalog)
    results["training_s"] = None if args.model else time.perf_counter() - t
    with tempfile.TemporaryDirectory() as folder:
        model_path = save_checker(checker, Path(folder) / "model.joblib")
        baselines = all_baselines(catalog)
        dev = bundled_dev(catalog)
        negatives = read_labeled(
            files("training_data").joinpath("negatives_test.csv").read_text(encoding="utf-8"), catalog
        ) + read_labeled(files("training_data").joinpath("negatives.csv").read_text(encoding="utf-8"), catalog)
        for extra in args.labeled:
            dev += [x for x in read_labeled(extra.read_text(encoding="utf-8-sig"), catalog, str(extra)) if x.gold]
        if args.smoke:
            dev, negatives = dev[:40], negatives[:40]
        results["accuracy"] = measure.accuracy(catalog, checker, baselines, dev, negatives)
        results["latency"] = measure.check_latency(checker, baselines, catalog, 30 if args.smoke else 2000)
        results["baseline_lines"] = 200 if args.smoke else 10_000
        results["baseline_throughput"] = measure.baseline_throughput(baselines, catalog, results["baseline_lines"])
        results["throughput"] = measure.throughput(sizes, model_path)
        results["pinmu_index"] = measure.pinmu_index(model_path, 400 if args.smoke else 20_000, 1 if args.smoke else 5)
        results["cold_start"] = measure.cold_start(model_path, 1 if args.smoke else 5)
        if "training" not in skip and not args.smoke:
            results["training_s"] = measure.training_time(catalog, 3)
        if "service" not in skip:
            results["service"] = measure.service_load(
                model_path, catalog, 100 if args.smoke else 3000, 8, 10 if args.smoke else 120
            )
        if "cli" not in skip:
            rows = 300 if args.smoke else 100_000
            results["cli"] = [
                measure.cli_tag(model_path, catalog, rows, ".csv"),
                measure.cli_tag(model_path, catalog, rows, ".xlsx"),
            ]
            if not args.smoke and max(sizes) >= 1_000_000:
                results["cli"].append(measure.cli_tag(model_path, catalog, 1_000_000, ".csv"))
    results["elapsed_s"] = time.perf_counter() - started
    (args.out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    report.write(results, args.out)
    return results


if __name__ == "__main__":
    main()
