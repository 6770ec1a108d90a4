"""Measurements that need a fresh process (peak RSS, cold start): ``python -m benchmarks.child KIND ...``."""

from __future__ import annotations

import json
import sys
import time

START = time.perf_counter()


def main() -> None:
    kind, model_path, *rest = sys.argv[1:]
    if kind == "cold":
        from classifier.eligibility import load_checker

        load_checker(model_path).check("12345热线外包", "县行政审批服务管理局")
        print(json.dumps({"seconds": time.perf_counter() - START}))
        return
    if kind == "throughput":
        import statistics

        from catalog import load_catalog
        from classifier import clear_token_cache
        from classifier.eligibility import load_checker

        from . import workloads

        size, repeats = int(rest[0]), int(rest[1])
        checker = load_checker(model_path)
        model = checker.model
        catalog = load_catalog()
        model.classify_many(["社工站运营"] * 10)
        classify_rates, check_rates = [], []
        for _ in range(repeats):
            clear_token_cache()  # every repeat starts cold: no help from the previous one
            # stream in chunks of 2,000 as gpsc tag does, keeping no results: memory stays flat
            chunk: list[tuple[str, str | None]] = []
            elapsed_classify = elapsed_check = 0.0
            for item in workloads.lines(catalog, size):
                chunk.append(item)
                if len(chunk) == 2000:
                    elapsed_classify, elapsed_check = _run(model, checker, chunk, elapsed_classify, elapsed_check)
                    chunk = []
            if chunk:
                elapsed_classify, elapsed_check = _run(model, checker, chunk, elapsed_classify, elapsed_check)
            classify_rates.append(size / elapsed_classify)
            check_rates.append(size / elapsed_check)
        print(
            json.dumps(
                {
                    "classify_lines_per_s": statistics.median(classify_rates),
                    "check_lines_per_s": statistics.median(check_rates),
                }
            )
        )
        return
    if kind == "pinmu_index":
        print(json.dumps(_pinmu_index(model_path, int(rest[0]), int(rest[1]))))
        return
    raise SystemExit(f"unknown kind {kind}")


def _pinmu_index(model_path: str, size: int, repeats: int) -> dict:
    """``check_many`` with and without the 品目 index, alternating in one process on the same mostly distinct
    lines (the machines are noisy: medians, and the ratio of the two)."""
    import copy
    import statistics

    from catalog import load_catalog
    from classifier import clear_token_cache
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
            clear_token_cache()
            started = time.perf_counter()
            for start in range(0, size, 2000):
                checker.check_many(texts[start : start + 2000], departments[start : start + 2000])
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


def _run(model, checker, chunk, elapsed_classify, elapsed_check):
    texts, departments = [t for t, _ in chunk], [d for _, d in chunk]
    started = time.perf_counter()
    model.classify_many(texts, departments)
    elapsed_classify += time.perf_counter() - started
    started = time.perf_counter()
    checker.check_many(texts, departments)
    elapsed_check += time.perf_counter() - started
    return elapsed_classify, elapsed_check


if __name__ == "__main__":
    main()
