"""Measurements. Timings are medians of repeats and are also given as ratios to a reference measured in
the same run, because the machines are noisy."""

from __future__ import annotations

import asyncio
import json
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
from .baselines import Baseline, section_resolver

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
    sample = list(workloads.realistic_lines(catalog, calls, seed=1))
    resolve = section_resolver(catalog)
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
        fastest.rank([text], [resolve(department)], 3)
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


LAUNCHER = Path(__file__).resolve().with_name("_launch.py")


def _launch(command: list[str]) -> tuple[str, dict]:
    """Run ``command`` through ``_launch.py``: its stdout, and its wall seconds, CPU seconds (user + sys) and
    peak RSS in MB from ``wait4`` (its own, not inherited from this process: see ``_launch.py``)."""
    with tempfile.TemporaryDirectory() as folder:
        usage_file = Path(folder) / "usage.json"
        process = subprocess.run(
            [sys.executable, "-I", "-S", str(LAUNCHER), str(usage_file), *command],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if process.returncode != 0 or not usage_file.is_file():
            raise RuntimeError(f"{command} failed ({process.returncode}): {process.stderr[-3000:]}")
        return process.stdout, json.loads(usage_file.read_text(encoding="utf-8"))


def _child(args: list[str]) -> tuple[dict, dict]:
    """Run ``python -m benchmarks.child ...``; its JSON answer and its usage (see ``_launch``)."""
    output, usage = _launch([sys.executable, "-m", "benchmarks.child", *args])
    return json.loads(output.strip().splitlines()[-1]), usage


def library_throughput(model_path: Path, workload: str, size: int, repeats: int) -> dict:
    """``judge_many`` lines/s (wall and CPU), streamed in chunks of 2,000 in a fresh process, beside the
    char TF-IDF baseline on the same lines in the same process; gpsc's peak RSS there."""
    answer, usage = _child(["library", str(model_path), workload, str(size), str(repeats)])
    return {**answer, "lines": size, "repeats": repeats, "child_peak_rss_mb": usage["peak_rss_mb"]}


def pinmu_index(model_path: Path, size: int, repeats: int) -> dict:
    """What the second (品目) index costs bulk checking: with and without it, side by side in a fresh process."""
    answer, usage = _child(["pinmu_index", str(model_path), str(size), str(repeats)])
    return {**answer, "peak_rss_mb": usage["peak_rss_mb"]}


def baseline_throughput(baselines: list[Baseline], catalog: Catalog, size: int) -> dict:
    """Each baseline's lines/s on ``size`` realistic lines in this process (departments resolved, chunks of
    2,000), median of 3."""
    sample = list(workloads.realistic_lines(catalog, size, seed=2))
    resolve = section_resolver(catalog)
    texts, departments = [t for t, _ in sample], [resolve(d) for _, d in sample]
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
        answer, usage = _child(["cold", str(model_path)])
        whole.append(usage["seconds"])
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
        bodies = [{"text": t, "department": d} for t, d in workloads.realistic_lines(catalog, requests, seed=3)]

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
def _tag_command(model_path: Path, sheet: Path, output: Path, jobs: int = 1) -> list[str]:
    return [
        sys.executable,
        "-m",
        "service.cli",
        "tag",
        str(sheet),
        "-o",
        str(output),
        "--model",
        str(model_path),
        "--jobs",
        str(jobs),
    ]


def cli_runs(model_path: Path, sheet: Path, rows: int, repeats: int, jobs: list[int], xlsx: bool) -> dict:
    """Whole-process ``gpsc tag`` on ``sheet`` (CSV out, ``--jobs 1``) beside the char TF-IDF baseline as a
    whole-process tagger of the same sheet, and optionally ``--jobs N`` and XLSX out: all taken in turn,
    ``repeats`` rounds, so each gets the same share of the machine's noise.

    Per run: wall seconds, lines/s, lines per CPU-second (user + sys of the process and the workers it
    waited for) and peak RSS (the largest single process); the ratio to the baseline is the median over the
    rounds of gpsc's rate over the baseline's rate in the same round."""
    folder = sheet.parent
    commands = {"csv": _tag_command(model_path, sheet, folder / "out.csv")}
    commands["baseline"] = [
        sys.executable,
        "-m",
        "benchmarks.child",
        "baseline_tag",
        str(sheet),
        str(folder / "baseline.csv"),
    ]
    for n in jobs:
        if n != 1:
            commands[f"jobs{n}"] = _tag_command(model_path, sheet, folder / f"out-jobs{n}.csv", n)
    if xlsx:
        commands["xlsx"] = _tag_command(model_path, sheet, folder / "out.xlsx")
    usages: dict[str, list[dict]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            _, usage = _launch(command)
            usages[name].append(usage)
        for leftover in [*folder.glob("out*"), folder / "baseline.csv"]:
            leftover.unlink(missing_ok=True)
    return {name: _summary(name, rows, usages[name], usages["baseline"]) for name in commands}


def _summary(name: str, rows: int, runs: list[dict], baseline: list[dict]) -> dict:
    seconds = statistics.median(r["seconds"] for r in runs)
    cpu = statistics.median(r["cpu_s"] for r in runs)
    row = {
        "run": name,
        "rows": rows,
        "repeats": len(runs),
        "seconds": seconds,
        "lines_per_s": rows / seconds,
        "cpu_s": cpu,
        "lines_per_cpu_s": rows / cpu if cpu else None,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
    }
    if name != "baseline":
        row["ratio"] = statistics.median(b["seconds"] / r["seconds"] for r, b in zip(runs, baseline, strict=True))
        row["ratio_cpu"] = statistics.median(
            b["cpu_s"] / r["cpu_s"] for r, b in zip(runs, baseline, strict=True) if r["cpu_s"]
        )
    return row
