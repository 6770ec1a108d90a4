"""Measurements that need a fresh process (peak RSS, cold start): ``python -m benchmarks.child KIND ...``.

    cold MODEL                               import to first answer
    library MODEL WORKLOAD LINES REPEATS     judge_many streamed in chunks of 2,000, and the char TF-IDF
                                             baseline on the same lines in the same process
    baseline_tag SHEET.csv OUT.csv           the char TF-IDF baseline as a whole-process tagger (gpsc tag's
                                             reference: read the sheet, rank each row, write a sheet)
    pinmu_index MODEL LINES REPEATS          check_many with and without the 品目 index

Each prints one JSON object on stdout. ``measure.py`` starts them through ``_launch.py`` for ``wait4``.
"""

from __future__ import annotations

import json
import sys
import time

START = time.perf_counter()
CHUNK = 2000


def main() -> None:
    kind, *rest = sys.argv[1:]
    if kind == "cold":
        from classifier.eligibility import load_checker

        load_checker(rest[0]).check("12345热线外包", "县行政审批服务管理局")
        print(json.dumps({"seconds": time.perf_counter() - START}))
        return
    if kind == "library":
        print(json.dumps(_library(rest[0], rest[1], int(rest[2]), int(rest[3]))))
        return
    if kind == "baseline_tag":
        print(json.dumps(_baseline_tag(rest[0], rest[1])))
        return
    if kind == "pinmu_index":
        print(json.dumps(_pinmu_index(rest[0], int(rest[1]), int(rest[2]))))
        return
    raise SystemExit(f"unknown kind {kind}")


def _rss_mb(field: str = "VmHWM") -> float:
    """This process's peak (VmHWM) or current (VmRSS) resident set, from /proc (Linux); 0 if unavailable.
    VmHWM is the high-water mark of this address space alone, unlike ``ru_maxrss`` (see ``_launch.py``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _stream(run, workload: str, catalog, size: int) -> tuple[float, float]:
    """Feed ``size`` lines of ``workload`` to ``run(texts, departments)`` in chunks of 2,000, keeping no
    results (memory stays flat, as in gpsc tag); the wall and CPU seconds spent inside ``run`` only."""
    from . import workloads

    wall = cpu = 0.0
    texts: list[str] = []
    departments: list[str | None] = []

    def flush() -> None:
        nonlocal wall, cpu
        started, started_cpu = time.perf_counter(), time.process_time()
        run(texts, departments)
        wall += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
        texts.clear()
        departments.clear()

    for text, department in workloads.generate(workload, catalog, size):
        texts.append(text)
        departments.append(department)
        if len(texts) == CHUNK:
            flush()
    if texts:
        flush()
    return wall, cpu


def _library(model_path: str, workload: str, size: int, repeats: int) -> dict:
    """gpsc's batch entry (judge_many) and the char TF-IDF baseline, pass by pass on the same lines in this process.

    The peak RSS is read after the first gpsc pass, before the baseline (and scikit-learn) is loaded, so it
    is gpsc's own; the ratio is the median of the per-repeat ratios (the two passes of a repeat run back to
    back, under the same load)."""
    import statistics

    from catalog import load_catalog
    from classifier.eligibility import load_checker

    checker = load_checker(model_path)
    catalog = load_catalog()
    checker.check_many(["社工站运营"] * 10, ["县民政局"] * 10)
    loaded_rss = _rss_mb()
    run_baseline = None
    gpsc: list[tuple[float, float]] = []
    reference: list[tuple[float, float]] = []
    peak = 0.0
    for _ in range(repeats):
        checker.forget_readings()  # every repeat starts cold: no help from the previous one
        gpsc.append(_stream(checker.judge_many, workload, catalog, size))
        if run_baseline is None:
            peak = _rss_mb()  # gpsc's own: the baseline and scikit-learn are not loaded yet
            run_baseline = _baseline_runner(catalog)
        reference.append(_stream(run_baseline, workload, catalog, size))
    return {
        "workload": workload,
        "check_lines_per_s": size / statistics.median(w for w, _ in gpsc),
        "check_lines_per_cpu_s": size / statistics.median(c for _, c in gpsc),
        "baseline": "char TF-IDF",
        "baseline_lines_per_s": size / statistics.median(w for w, _ in reference),
        "baseline_lines_per_cpu_s": size / statistics.median(c for _, c in reference),
        "ratio": statistics.median(b[0] / g[0] for g, b in zip(gpsc, reference, strict=True)),
        "ratio_cpu": statistics.median(b[1] / g[1] for g, b in zip(gpsc, reference, strict=True)),
        "loaded_rss_mb": loaded_rss,
        "peak_rss_mb": peak,
    }


def _baseline_runner(catalog):
    """``run(texts, departments)`` ranking with the char TF-IDF baseline, departments resolved as gpsc does."""
    from .baselines import char_tfidf, section_resolver

    baseline, resolve = char_tfidf(catalog), section_resolver(catalog)

    def run(texts: list[str], departments: list[str | None]) -> None:
        baseline.rank(texts, [resolve(d) for d in departments], 3)

    return run


def _baseline_tag(source: str, output: str) -> dict:
    """Read the sheet, rank every row's line against the leaves with char TF-IDF (restricted to the row's
    resolved section), write the best leaf and its score: gpsc tag's work with the simplest matcher."""
    import csv

    from catalog import load_catalog

    from .baselines import char_tfidf, section_resolver

    catalog = load_catalog()
    baseline, resolve = char_tfidf(catalog), section_resolver(catalog)
    rows = 0
    with (
        open(source, encoding="utf-8-sig", newline="") as infile,
        open(output, "w", encoding="utf-8", newline="") as outfile,
    ):
        reader, writer = csv.reader(infile), csv.writer(outfile)
        header = next(reader)
        text_at, department_at = header.index("项目名称"), header.index("单位")
        writer.writerow([*header, "leaf", "score"])
        chunk: list[list[str]] = []

        def flush() -> None:
            ranked, best = baseline.rank(
                [r[text_at] for r in chunk], [resolve(r[department_at]) for r in chunk], top_k=1
            )
            for row, keys, score in zip(chunk, ranked, best, strict=True):
                writer.writerow([*row, keys[0] if keys else "", f"{score:.3f}"])
            chunk.clear()

        for row in reader:
            chunk.append(row)
            rows += 1
            if len(chunk) == CHUNK:
                flush()
        if chunk:
            flush()
    return {"rows": rows}


def _pinmu_index(model_path: str, size: int, repeats: int) -> dict:
    """``check_many`` with and without the 品目 index, alternating in one process on the same mostly distinct
    lines (the machines are noisy: medians, and the ratio of the two)."""
    import copy
    import statistics

    from catalog import load_catalog
    from classifier.eligibility import load_checker

    from . import workloads

    with_index = load_checker(model_path)
    without_index = copy.copy(with_index)
    without_index.pinmu_model = None
    sample = list(workloads.distinct_lines(load_catalog(), size, seed=3))
    texts, departments = [t for t, _ in sample], [d for _, d in sample]
    with_index.check_many(texts[:50], departments[:50])
    rates: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(repeats):
        for name, checker in (("without", without_index), ("with", with_index)):
            checker.forget_readings()
            started = time.perf_counter()
            for start in range(0, size, CHUNK):
                checker.check_many(texts[start : start + CHUNK], departments[start : start + CHUNK])
            rates[name].append(size / (time.perf_counter() - started))
    with_rate, without_rate = statistics.median(rates["with"]), statistics.median(rates["without"])
    return {
        "lines": size,
        "distinct": len(set(texts)) / size,
        "repeats": repeats,
        "with_lines_per_s": with_rate,
        "without_lines_per_s": without_rate,
        "ratio": with_rate / without_rate,
    }


if __name__ == "__main__":
    main()
