"""Reproduce gpsc's benchmark figures: ``python -m benchmarks.run`` writes benchmarks/RESULTS.md and plots.

    python -m benchmarks.run                 # the full run (about 45 minutes at 5,000 lines/s; see README)
    python -m benchmarks.run --smoke --out /tmp/bench   # seconds: checks the script itself
    python -m benchmarks.run --out /tmp/bench --sizes 10000 --workloads realistic \\
        --skip accuracy,latency,baselines,pinmu_index,cold_start,service,jobs,xlsx   # one workload, one size

Not part of the unit tests (a smoke test runs ``--smoke``).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

from catalog import load_catalog
from classifier import bundled_dev, read_labeled
from classifier.eligibility import load_checker, save_checker, train_checker

from . import measure, report, workloads
from .baselines import all_baselines

HERE = Path(__file__).resolve().parent
SECTIONS = (
    "accuracy",
    "latency",
    "baselines",
    "distinct",
    "library",
    "cli",
    "jobs",
    "xlsx",
    "pinmu_index",
    "cold_start",
    "training",
    "service",
)


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


def repeats_for(spec: str, size: int) -> int:
    """``--repeats`` is ``N`` or ``N,SIZE:M,...``: N repeats, M from SIZE lines up (the largest SIZE ≤ size)."""
    default, *steps = spec.split(",")
    count = int(default)
    for step in sorted((tuple(map(int, s.split(":"))) for s in steps if s.strip()), key=lambda x: x[0]):
        if size >= step[0]:
            count = step[1]
    return max(1, count)


def _ints(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=HERE, help="folder for RESULTS.md, results.json and the plots")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: check that the script runs")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="throughput sizes in rows (comma list)")
    parser.add_argument(
        "--workloads", default="realistic,repetitive", help="comma list of workloads: realistic, repetitive"
    )
    parser.add_argument(
        "--repeats",
        default="3,1000000:1",
        help="repeats per size: N, or N,SIZE:M,... (M repeats from SIZE rows up); medians are reported",
    )
    parser.add_argument("--jobs-curve", default="1,2", help="gpsc tag --jobs values on the realistic sheet")
    parser.add_argument("--jobs-rows", type=int, default=100_000, help="rows of the --jobs and XLSX sheet")
    parser.add_argument("--labeled", type=Path, action="append", default=[], help="more labelled CSVs to compare on")
    parser.add_argument("--skip", default="", help="comma list of sections to skip: " + ",".join(SECTIONS))
    parser.add_argument("--model", type=Path, help="a checker from `gpsc train` (default: train one and time it)")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    unknown = skip - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections to skip: {', '.join(sorted(unknown))}")
    names = [w for w in args.workloads.split(",") if w]
    if set(names) - set(workloads.WORKLOADS):
        parser.error(f"workloads are {', '.join(workloads.WORKLOADS)}")
    sizes = [200] if args.smoke else sorted(_ints(args.sizes))
    jobs_rows = 300 if args.smoke else args.jobs_rows
    jobs_curve = sorted(set(_ints(args.jobs_curve)) | {1})

    def repeats(size: int) -> int:
        return 1 if args.smoke else repeats_for(args.repeats, size)

    args.out.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    catalog = load_catalog()
    results: dict = {
        "machine": machine(),
        "command": " ".join(["python -m benchmarks.run", *(sys.argv[1:] if argv is None else argv)]),
        "settings": {
            "sizes": sizes,
            "workloads": names,
            "repeats": {str(s): repeats(s) for s in sizes},
            "jobs_curve": jobs_curve,
            "jobs_rows": jobs_rows,
            "chunk": 2000,
        },
    }
    t = time.perf_counter()
    checker = load_checker(args.model) if args.model else train_checker(catalog=catalog)
    results["training_s"] = None if args.model else time.perf_counter() - t
    with tempfile.TemporaryDirectory() as folder:
        model_path = save_checker(checker, Path(folder) / "model.joblib")
        baselines = all_baselines(catalog)
        if "accuracy" not in skip:
            dev = bundled_dev(catalog)
            negatives = read_labeled(
                files("training_data").joinpath("negatives_test.csv").read_text(encoding="utf-8"), catalog
            ) + read_labeled(files("training_data").joinpath("negatives.csv").read_text(encoding="utf-8"), catalog)
            for extra in args.labeled:
                dev += [x for x in read_labeled(extra.read_text(encoding="utf-8-sig"), catalog, str(extra)) if x.gold]
            if args.smoke:
                dev, negatives = dev[:40], negatives[:40]
            results["accuracy"] = measure.accuracy(catalog, checker, baselines, dev, negatives)
        if "latency" not in skip:
            results["latency"] = measure.check_latency(checker, baselines, catalog, 30 if args.smoke else 2000)
        if "baselines" not in skip:
            results["baseline_lines"] = 200 if args.smoke else 10_000
            results["baseline_throughput"] = measure.baseline_throughput(baselines, catalog, results["baseline_lines"])
        del baselines
        results["workloads"] = {}
        for name in names:
            described: dict = {"with_department": _with_department(catalog, name, min(10_000, max(sizes)))}
            if "distinct" not in skip:
                fractions = workloads.distinct_fractions(workloads.generate(name, catalog, max(sizes)), sizes)
                described["distinct"] = [{"lines": n, "fraction": f} for n, f in sorted(fractions.items())]
            results["workloads"][name] = described
        if "library" not in skip:
            results["library"] = {
                name: [measure.library_throughput(model_path, name, size, repeats(size)) for size in sizes]
                for name in names
            }
        # every gpsc tag run is part of "cli": skipping it skips the --jobs curve and the XLSX run too
        extras = [x for x in ("jobs", "xlsx") if x not in skip] if "realistic" in names else []
        if "cli" not in skip:
            results["cli"] = _cli(model_path, catalog, names, sizes, jobs_rows, jobs_curve, extras, repeats)
        if "pinmu_index" not in skip:
            results["pinmu_index"] = measure.pinmu_index(
                model_path, 400 if args.smoke else 20_000, 1 if args.smoke else 5
            )
        if "cold_start" not in skip:
            results["cold_start"] = measure.cold_start(model_path, 1 if args.smoke else 5)
        if "training" not in skip and not args.smoke:
            results["training_s"] = measure.training_time(catalog, 3)
        if "service" not in skip:
            results["service"] = measure.service_load(
                model_path, catalog, 100 if args.smoke else 3000, 8, 10 if args.smoke else 120
            )
    results["elapsed_s"] = time.perf_counter() - started
    (args.out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    report.write(results, args.out)
    return results


def _with_department(catalog, name: str, count: int) -> float:
    return sum(d is not None for _, d in workloads.generate(name, catalog, count)) / max(1, count)


def _cli(model_path, catalog, names, sizes, jobs_rows, jobs_curve, extras, repeats) -> dict:
    """gpsc tag per workload and size, beside the baseline; ``--jobs`` and XLSX on the realistic sheet of
    ``jobs_rows`` rows, in the same rounds as its plain run when that size is measured anyway."""
    cli: dict = {}
    plan = [(name, size) for name in names for size in sizes]
    if extras and ("realistic", jobs_rows) not in plan:
        plan.append(("realistic", jobs_rows))
    for name, size in plan:
        with tempfile.TemporaryDirectory() as folder:
            sheet = workloads.write_sheet(Path(folder) / "sheet.csv", catalog, size, name)
            here = extras if (name, size) == ("realistic", jobs_rows) else []
            runs = measure.cli_runs(
                model_path, sheet, size, repeats(size), jobs_curve if "jobs" in here else [1], "xlsx" in here
            )
        if size in sizes:
            cli.setdefault(name, []).append({**runs["csv"], "workload": name, "baseline": runs["baseline"]})
        if "jobs" in here:
            cli["jobs"] = [{**runs["csv"], "jobs": 1}] + [{**runs[f"jobs{n}"], "jobs": n} for n in jobs_curve if n != 1]
        if "xlsx" in here:
            cli["xlsx"] = {**runs["xlsx"], "csv_lines_per_s": runs["csv"]["lines_per_s"]}
    return cli


if __name__ == "__main__":
    main()
