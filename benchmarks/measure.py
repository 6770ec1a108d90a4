"""Measurements. Timings are medians of repeats and are also given as ratios to a reference measured in
the same run, because the machines are noisy."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from catalog import Catalog
from classifier import LabeledLine, normalize
from classifier.eligibility import FALSE_ELIGIBLE_COST, GRID, Checker
from service import running_server

from . import workloads
from .baselines import Baseline

ROOT = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------- accuracy
def _difficulty(line: LabeledLine, catalog: Catalog) -> str:
    """easy / medium / hard by how many of the line's characters its gold leaf name shares."""
    chars = set(normalize(line.text))
    gold = catalog.leaf(*line.gold[0])
    overlap = len(chars & set(gold.name)) / max(1, len(chars))
    return "easy" if overlap >= 0.75 else "medium" if overlap >= 0.5 else "hard"


def _baseline_verdicts(ruled: list[bool], best: list[float], threshold: float) -> list[str]:
    """A baseline's verdicts: gpsc's rule table first, then its own best score against ``threshold``."""
    return [
        "ineligible" if r else ("eligible" if score >= threshold else "review")
        for r, score in zip(ruled, best, strict=True)
    ]


def _verdict_figures(expected: list[str], got: list[str]) -> tuple[float, float]:
    right = sum(e == g for e, g in zip(expected, got, strict=True)) / len(expected)
    negatives = [g for e, g in zip(expected, got, strict=True) if e != "eligible"]
    false_eligible = sum(g == "eligible" for g in negatives) / max(1, len(negatives))
    return right, false_eligible


def accuracy(catalog: Catalog, checker: Checker, baselines: list[Baseline], dev, negatives) -> dict:
    """Top-1/top-3 with and without department, verdict accuracy and false-eligible rate, by method."""
    model = checker.model
    verdict_lines = dev + negatives
    expected = [x.expected_verdict for x in verdict_lines]
    results = {}
    difficulty = [_difficulty(x, catalog) for x in dev]
    for method in ["gpsc", *[b.name for b in baselines]]:
        row = {}
        for mode in ("with", "without"):
            departments = [x.department if mode == "with" else None for x in dev]
            if method == "gpsc":
                ranked = [
                    [c.key for c in r.candidates] for r in model.classify_many([x.text for x in dev], departments, 3)
                ]
            else:
                baseline = next(b for b in baselines if b.name == method)
                ranked, _ = baseline.rank([x.text for x in dev], departments, 3)
            gold = [{f"{d}/{c}" for d, c in x.gold} for x in dev]
            top1 = [bool(r) and r[0] in g for r, g in zip(ranked, gold, strict=True)]
            row[f"top1_{mode}"] = float(np.mean(top1))
            row[f"top3_{mode}"] = float(np.mean([bool(set(r[:3]) & g) for r, g in zip(ranked, gold, strict=True)]))
            if mode == "with":
                row["by_difficulty"] = {
                    level: float(np.mean([t for t, d in zip(top1, difficulty, strict=True) if d == level]))
                    for level in ("easy", "medium", "hard")
                }
        if method == "gpsc":
            got = [
                v.verdict
                for v in checker.check_many([x.text for x in verdict_lines], [x.department for x in verdict_lines])
            ]
        else:
            baseline = next(b for b in baselines if b.name == method)
            # the baseline gets gpsc's rule table and its own threshold, chosen by the same cost
            best_cost, got = None, None
            _, best = baseline.rank([x.text for x in verdict_lines], [x.department for x in verdict_lines], top_k=1)
            ruled = [
                any(h.rule.verdict == "ineligible" for h in checker.rule_hits(x.text)) for x in verdict_lines
            ]  # ranked and ruled once: only the threshold varies
            for t in GRID[::2]:
                trial = _baseline_verdicts(ruled, list(best), float(t))
                _, fe = _verdict_figures(expected, trial)
                missed = sum(e == "eligible" and g != "eligible" for e, g in zip(expected, trial, strict=True))
                cost = FALSE_ELIGIBLE_COST * fe + missed / max(1, expected.count("eligible"))
                if best_cost is None or cost < best_cost:
                    best_cost, got = cost, trial
        row["verdict_accuracy"], row["false_eligible"] = _verdict_figures(expected, got)
        results[method] = row
    results["_counts"] = {
        "dev": len(dev),
        "negatives": len(negatives),
        "difficulty": {level: difficulty.count(level) for level in ("easy", "medium", "hard")},
    }
    return results


# ------------------------------------------------------------------------------- speed
def _median_rate(fn, count: int, repeats: int) -> float:
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        rates.append(count / (time.perf_counter() - started))
    return statistics.median(rates)


def check_latency(checker: Checker, baselines: list[Baseline], catalog: Catalog, calls: int) -> dict:
    """Warm single-line latency of ``check`` (p50/p99 ms), and of the fastest baseline for reference."""
    sample = list(workloads.lines(catalog, calls, seed=1))
    for text, department in sample[:20]:
        checker.check(text, department)
    timings = []
    for text, department in sample:
        started = time.perf_counter_ns()
        checker.check(text, department)
        timings.append((time.perf_counter_ns() - started) / 1e6)
    reference = []
    fastest = baselines[1]  # char TF-IDF: the fastest baseline (see the throughput table)
    for text, department in sample:
        started = time.perf_counter_ns()
        fastest.rank([text], [department], 3)
        reference.append((time.perf_counter_ns() - started) / 1e6)
    p50 = float(np.percentile(timings, 50))
    return {
        "calls": calls,
        "p50_ms": p50,
        "p99_ms": float(np.percentile(timings, 99)),
        "reference": fastest.name,
        "reference_p50_ms": float(np.percentile(reference, 50)),
        "ratio_p50": p50 / float(np.percentile(reference, 50)),
    }


def _child(args: list[str]) -> tuple[dict, float]:
    """Run ``python -m benchmarks.child ...``; its JSON answer and its own peak RSS in MB."""
    process = subprocess.Popen([sys.executable, "-m", "benchmarks.child", *args], cwd=ROOT, stdout=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    output = process.stdout.read().decode()
    process.stdout.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"benchmark child {args} failed with {process.returncode}")
    return json.loads(output), usage.ru_maxrss / 1024


def throughput(sizes: list[int], model_path: Path) -> list[dict]:
    """classify_many and check_many lines/s at each size, in a fresh process each (for its peak RSS)."""
    rows = []
    for size in sizes:
        repeats = 3 if size <= 10_000 else 1
        answer, rss = _child(["throughput", str(model_path), str(size), str(repeats)])
        rows.append({**answer, "lines": size, "peak_rss_mb": rss})
    return rows


def pinmu_index(model_path: Path, size: int, repeats: int) -> dict:
    """What the second (品目) index costs bulk checking: with and without it, side by side in a fresh process."""
    answer, rss = _child(["pinmu_index", str(model_path), str(size), str(repeats)])
    return {**answer, "peak_rss_mb": rss}


def baseline_throughput(baselines: list[Baseline], catalog: Catalog, size: int) -> dict:
    sample = list(workloads.lines(catalog, size, seed=2))
    texts, departments = [t for t, _ in sample], [d for _, d in sample]
    out = {}
    for baseline in baselines:

        def run(b=baseline):
            for start in range(0, size, 2000):
                b.rank(texts[start : start + 2000], departments[start : start + 2000], 3)

        out[baseline.name] = _median_rate(run, size, 3)
    return out


def cold_start(model_path: Path, repeats: int) -> dict:
    """Process start to first answer with a saved model: inside the process, and the whole command."""
    inside, whole = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        answer, _ = _child(["cold", str(model_path)])
        whole.append(time.perf_counter() - started)
        inside.append(answer["seconds"])
    return {"import_to_answer_s": statistics.median(inside), "whole_process_s": statistics.median(whole)}


def training_time(catalog: Catalog, repeats: int) -> float:
    from classifier import train_default_model

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        train_default_model(catalog)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# ------------------------------------------------------------------------------ service
def service_load(model_path: Path, catalog: Catalog, requests: int, concurrency: int, max_seconds: float) -> dict:
    """POST /v1/check against ``gpsc serve`` on loopback: a bounded number of requests, bounded in time."""
    import httpx

    with running_server(model_path, timeout=120) as base:
        bodies = [{"text": t, "department": d} for t, d in workloads.lines(catalog, requests, seed=3)]

        async def run() -> tuple[list[float], float, int]:
            latencies: list[float] = []
            errors = 0
            queue = list(bodies)
            stop_at = time.monotonic() + max_seconds
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                for body in bodies[:20]:  # warm up
                    await client.post("/v1/check", json=body)

                async def worker() -> None:
                    nonlocal errors
                    while queue and time.monotonic() < stop_at:
                        body = queue.pop()
                        started = time.perf_counter()
                        response = await client.post("/v1/check", json=body)
                        latencies.append((time.perf_counter() - started) * 1000)
                        errors += response.status_code != 200

                started = time.perf_counter()
                await asyncio.gather(*(worker() for _ in range(concurrency)))
                return latencies, time.perf_counter() - started, errors

        latencies, elapsed, errors = asyncio.run(run())
        single = []
        with httpx.Client(base_url=base, timeout=30) as client:
            for body in bodies[:200]:
                started = time.perf_counter()
                client.post("/v1/check", json=body)
                single.append((time.perf_counter() - started) * 1000)
    return {
        "requests": len(latencies),
        "concurrency": concurrency,
        "rps": len(latencies) / elapsed,
        "p50_ms": float(np.percentile(latencies, 50)),
        "p99_ms": float(np.percentile(latencies, 99)),
        "sequential_p50_ms": float(np.percentile(single, 50)),
        "errors": errors,
    }


# ---------------------------------------------------------------------------------- CLI
def cli_tag(model_path: Path, catalog: Catalog, rows: int, suffix: str) -> dict:
    """``gpsc tag`` on a generated sheet: wall time and the process's peak RSS."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"sheet{suffix}"
        (workloads.write_xlsx if suffix == ".xlsx" else workloads.write_csv)(source, catalog, rows)
        output = Path(folder) / f"out{suffix}"
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "tag", str(source), "-o", str(output), "--model", str(model_path)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError("gpsc tag failed")
    return {
        "rows": rows,
        "format": suffix.lstrip("."),
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }
