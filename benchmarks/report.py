"""Turn the measurements into benchmarks/RESULTS.md and PNG plots (throughput, memory, accuracy).

python -m benchmarks.report benchmarks/results.json   # re-render without measuring again
"""

from __future__ import annotations

from pathlib import Path

TARGETS = {  # issue 24's, beside the earlier issues' (margin, HTTP)
    "realistic_ratio": 0.5,  # whole process (gpsc tag), × the char TF-IDF tagger on the same sheet, at every size
    "repetitive_ratio": 2.0,
    "target_rows": 100_000,
    "check_p50_ms": 1.0,  # at most
    "http_p50_ms": 5.0,
    "cold_start_s": 1.0,  # `gpsc check`, the whole command, at most
    "rss_1m_mb": 300,  # at every size up to 1M rows
    "rss_rows": 1_000_000,
    "rss_flat_growth": 0.10,  # "flat" from 100k to 1M rows: at most 10 % more
    "margin_points": 15,
    "distinct": 0.90,
}
WORKLOAD_TITLES = {"realistic": "realistic workload", "repetitive": "repetitive workload"}
COLORS = {"realistic": "C0", "repetitive": "C1"}


# ---------------------------------------------------------------------------------- plots
def _plots(results: dict, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = []
    cli, library = results.get("cli", {}), results.get("library", {})
    names = [n for n in WORKLOAD_TITLES if n in cli or n in library]
    if names:
        fig, ax = plt.subplots(figsize=(6, 4))
        for name in names:
            color = COLORS[name]
            if cli.get(name):
                rows = cli[name]
                ax.plot(
                    [r["rows"] for r in rows],
                    [r["lines_per_s"] for r in rows],
                    "o-",
                    color=color,
                    label=f"{name}: gpsc tag",
                )
                ax.plot(
                    [r["rows"] for r in rows],
                    [r["baseline"]["lines_per_s"] for r in rows],
                    "x:",
                    color=color,
                    linewidth=1,
                    label=f"{name}: char TF-IDF tagger",
                )
            if library.get(name):
                rows = library[name]
                ax.plot(
                    [r["lines"] for r in rows],
                    [r["check_lines_per_s"] for r in rows],
                    "s--",
                    color=color,
                    label=f"{name}: judge_many",
                )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("rows in the run")
        ax.set_ylabel("lines per second (one process)")
        ax.set_title("gpsc throughput vs input size")
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(out / "throughput.png", dpi=120)
        plt.close(fig)
        made.append("throughput.png")

        fig, ax = plt.subplots(figsize=(6, 4))
        for name in names:
            color = COLORS[name]
            if cli.get(name):
                rows = cli[name]
                ax.plot(
                    [r["rows"] for r in rows],
                    [r["peak_rss_mb"] for r in rows],
                    "o-",
                    color=color,
                    label=f"{name}: gpsc tag",
                )
            if library.get(name):
                rows = library[name]
                ax.plot(
                    [r["lines"] for r in rows],
                    [r["peak_rss_mb"] for r in rows],
                    "s--",
                    color=color,
                    label=f"{name}: judge_many",
                )
        ax.axhline(TARGETS["rss_1m_mb"], color="red", linewidth=1, label=f"target ≤ {TARGETS['rss_1m_mb']} MB")
        ax.set_xscale("log")
        ax.set_ylim(bottom=0)
        ax.set_xlabel("rows in the run")
        ax.set_ylabel("peak RSS (MB)")
        ax.set_title("gpsc peak memory vs input size")
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(out / "memory.png", dpi=120)
        plt.close(fig)
        made.append("memory.png")

    if "accuracy" in results:
        accuracy = {k: v for k, v in results["accuracy"].items() if not k.startswith("_")}
        levels = ["easy", "medium", "hard"]
        fig, ax = plt.subplots(figsize=(6, 4))
        width = 0.8 / len(accuracy)
        for i, (method, row) in enumerate(accuracy.items()):
            ax.bar([x + i * width for x in range(3)], [row["by_difficulty"][lv] for lv in levels], width, label=method)
        counts = results["accuracy"]["_counts"]["difficulty"]
        ax.set_xticks(
            [x + width * (len(accuracy) - 1) / 2 for x in range(3)], [f"{lv} (n={counts[lv]})" for lv in levels]
        )
        ax.set_ylabel("top-1 accuracy, department given")
        ax.set_ylim(0, 1)
        ax.set_title("dev set by difficulty (characters shared with the gold leaf name)")
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(out / "accuracy.png", dpi=120)
        plt.close(fig)
        made.append("accuracy.png")
    return made


# ------------------------------------------------------------------------------- sections
def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _workload_lines(results: dict, name: str) -> list[str]:
    """One workload: what it is, gpsc tag on it, judge_many on it."""
    described = results.get("workloads", {}).get(name, {})
    cli, library = results.get("cli", {}).get(name), results.get("library", {}).get(name)
    if not (described or cli or library):
        return []
    lines = [f"## Throughput: {WORKLOAD_TITLES[name]}", ""]
    if name == "realistic":
        lines.append(
            "Generated (seeded) from the training and dev lines by `benchmarks/workloads.py`: each line is changed "
            "where the ranking reads it (a character dropped, a qualifier put in, a fragment of another line "
            "spliced on) and most are wrapped as budget offices write them (`关于下达2026年…资金的通知——`, "
            "`（续建）`, `（第二批）`, `预算金额12万元`, `（柳财社〔2025〕12号）`, `服务期一年`); half name their "
            "buyer as county units do (`柳林县民政局`, `县人社局`, `县行政审批服务管理局`), the rest name none."
        )
    else:
        lines.append(
            "The training and dev lines with one piece of clerk's noise each (a year, a place, a batch note); "
            "half carry the section title as their department. Few are distinct, which flatters any cache: kept "
            "for comparison with earlier runs."
        )
    if described.get("distinct"):
        shares = ", ".join(f"{d['fraction']:.1%} of {d['lines']:,}" for d in described["distinct"])
        lowest = min(d["fraction"] for d in described["distinct"])
        note = ""
        if name == "realistic":
            ok = lowest >= TARGETS["distinct"]
            note = f" (wanted ≥ {TARGETS['distinct']:.0%}: {'met' if ok else '**not met**'})"
        lines.append(f"Distinct after `normalize_line`: {shares}{note}.")
    if "with_department" in described:
        lines.append(f"Lines with a department: {described['with_department']:.0%}.")
    lines.append("")
    if cli:
        lines += [
            "**Whole process**, `gpsc tag SHEET.csv -o OUT.csv` (columns guessed), beside the char TF-IDF "
            "baseline as a whole-process tagger of the same sheet (read, rank each row, write), taken in turn:",
            "",
            "| rows | repeats | seconds | lines/s | lines per CPU-s | peak RSS (MB) | baseline lines/s "
            "| × baseline | × baseline (CPU) |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in cli:
            b = r["baseline"]
            lines.append(
                f"| {r['rows']:,} | {r['repeats']} | {r['seconds']:.1f} | **{r['lines_per_s']:,.0f}** | "
                f"{_rate(r['lines_per_cpu_s'])} | {r['peak_rss_mb']:.0f} | {b['lines_per_s']:,.0f} | "
                f"{r['ratio']:.2f} | {r['ratio_cpu']:.2f} |"
            )
        lines.append("")
    if library:
        lines += [
            "**Library**, `judge_many` (the batch entry) streamed in chunks of 2,000 in a fresh process, beside the "
            "char TF-IDF baseline on the same lines in the same process (peak RSS read before the baseline is loaded):",
            "",
            "| lines | repeats | lines/s | lines per CPU-s | baseline lines/s | × baseline | × baseline (CPU) "
            "| peak RSS (MB) | RSS once loaded (MB) |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in library:
            lines.append(
                f"| {r['lines']:,} | {r['repeats']} | **{r['check_lines_per_s']:,.0f}** | "
                f"{r['check_lines_per_cpu_s']:,.0f} | {r['baseline_lines_per_s']:,.0f} | {r['ratio']:.2f} | "
                f"{r['ratio_cpu']:.2f} | {r['peak_rss_mb']:.0f} | {r['loaded_rss_mb']:.0f} |"
            )
        lines.append("")
    return lines


def _parallel_lines(results: dict) -> list[str]:
    cli = results.get("cli", {})
    lines = []
    if cli.get("jobs"):
        first = cli["jobs"][0]
        lines += [
            "## Parallel: `gpsc tag --jobs`",
            "",
            f"The realistic sheet of {first['rows']:,} rows, each `--jobs` value in turn with the baseline "
            f"({first['repeats']} rounds). CPU time includes the workers; peak RSS is the largest single process.",
            "",
            "| --jobs | seconds | lines/s | speed-up | lines per CPU-s | peak RSS (MB) | × baseline |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in cli["jobs"]:
            lines.append(
                f"| {r['jobs']} | {r['seconds']:.1f} | **{r['lines_per_s']:,.0f}** | "
                f"{r['lines_per_s'] / first['lines_per_s']:.2f}× | {_rate(r['lines_per_cpu_s'])} | "
                f"{r['peak_rss_mb']:.0f} | {r['ratio']:.2f} |"
            )
        lines.append("")
    if cli.get("xlsx"):
        x = cli["xlsx"]
        lines += [
            "## XLSX output",
            "",
            f"`gpsc tag` of the realistic sheet of {x['rows']:,} rows to `.xlsx`: {x['seconds']:.1f} s, "
            f"**{x['lines_per_s']:,.0f} rows/s** ({x['lines_per_s'] / x['csv_lines_per_s']:.2f}× the CSV output "
            f"rate, {x['ratio']:.2f}× the baseline), peak RSS **{x['peak_rss_mb']:.0f} MB**.",
            "",
        ]
    return lines


def _accuracy_lines(results: dict) -> tuple[list[str], float | None]:
    if "accuracy" not in results:
        return [], None
    acc = {k: v for k, v in results["accuracy"].items() if not k.startswith("_")}
    counts = results["accuracy"]["_counts"]
    best_baseline = max((v["top1_with"] for k, v in acc.items() if k != "gpsc"), default=0)
    margin = (acc["gpsc"]["top1_with"] - best_baseline) * 100
    lines = [
        "## Accuracy against the baselines",
        "",
        f"Dev set: {counts['dev']} lines; verdicts on the dev set plus {counts['negatives']} negatives "
        "(negatives.csv and the held-out negatives_test.csv). Baselines rank leaves by one similarity, restricted "
        "to the buyer's section like gpsc; for verdicts they get gpsc's rule table and their own threshold, "
        "chosen by the same cost (5 × false-eligible + missed-eligible), so the comparison isolates the matcher.",
        "",
        "| method | top-1 (dept) | top-3 (dept) | top-1 (no dept) | top-3 (no dept) | verdict accuracy "
        "| false-eligible |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for method, row in acc.items():
        lines.append(
            f"| {method} | {row['top1_with']:.3f} | {row['top3_with']:.3f} | {row['top1_without']:.3f} | "
            f"{row['top3_without']:.3f} | {row['verdict_accuracy']:.3f} | {row['false_eligible']:.3f} |"
        )
    lines += [
        "",
        f"gpsc's top-1 (department given) is **{margin:+.1f} points** over the best baseline "
        f"(goal: +{TARGETS['margin_points']}).",
        "",
        "![accuracy by difficulty](accuracy.png)",
        "",
    ]
    return lines, margin


def _library_lines(results: dict) -> list[str]:
    lines = ["## Speed and memory (library)", ""]
    lat = results.get("latency")
    if lat:
        lines += [
            f"`check` one line, warm, {lat['calls']} realistic lines: p50 **{lat['p50_ms']:.2f} ms**, p99 "
            f"{lat['p99_ms']:.2f} ms (target p50 ≤ {TARGETS['check_p50_ms']} ms); the {lat['reference']} baseline "
            f"ranks one line in {lat['reference_p50_ms']:.2f} ms, so check costs {lat['ratio_p50']:.1f}× the "
            "fastest baseline.",
            "",
        ]
    if results.get("baseline_throughput"):
        lines += [
            f"Baselines in one process on {results['baseline_lines']:,} realistic lines (lines/s): "
            + ", ".join(f"{k} {v:,.0f}" for k, v in results["baseline_throughput"].items())
            + ".",
            "",
        ]
    lines += _pinmu_index_lines(results)
    cold = results.get("cold_start")
    if cold:
        lines.append(
            f"Cold start (import to first answer, saved model): **{cold['import_to_answer_s']:.2f} s** "
            f"inside the process, {cold['whole_process_s']:.2f} s for the whole command "
            f"(target for the whole command ≤ {TARGETS['cold_start_s']} s). "
            + (
                f"Training: {results['training_s']:.1f} s."
                if results.get("training_s") is not None
                else "Training: not timed."
            )
        )
        lines.append("")
    return lines if len(lines) > 2 else []


def _service_lines(results: dict) -> list[str]:
    if "service" not in results:
        return []
    s = results["service"]
    versus = ""
    if "latency" in results:
        versus = f", {s['sequential_p50_ms'] / results['latency']['p50_ms']:.1f}× the library call"
    return [
        "## Service",
        "",
        f"`POST /v1/check` against `gpsc serve` (one worker) on loopback, {s['requests']} realistic lines, "
        f"{s['concurrency']} concurrent: **{s['rps']:.0f} requests/s**, p50 {s['p50_ms']:.1f} ms, p99 "
        f"{s['p99_ms']:.1f} ms, {s['errors']} errors. One request at a time: "
        f"p50 **{s['sequential_p50_ms']:.1f} ms** (target ≤ {TARGETS['http_p50_ms']} ms){versus}.",
        "",
    ]


def _cli_row(results: dict, workload: str, rows: int) -> dict | None:
    return next((r for r in results.get("cli", {}).get(workload, []) if r["rows"] == rows), None)


def _targets(results: dict, margin: float | None) -> list[str]:
    """The issue's targets, met or not, from this run's figures; a target this run did not measure says so."""
    checks: list[tuple[str, str, str, bool | None]] = []
    if margin is not None:
        checks.append(
            (
                "gpsc top-1 over the best baseline (department given)",
                f"+{TARGETS['margin_points']} points",
                f"{margin:+.1f} points",
                margin >= TARGETS["margin_points"],
            )
        )
    rows = TARGETS["target_rows"]
    for name in ("realistic", "repetitive"):
        goal = TARGETS[f"{name}_ratio"]
        runs = [r for r in results.get("cli", {}).get(name, []) if r.get("run") == "csv" and r.get("ratio")]
        worst = min((r["ratio"] for r in runs), default=None)
        checks.append(
            (
                f"gpsc tag, {name} workload, × the char TF-IDF tagger (every size, one process)",
                f"≥ {goal}×",
                ", ".join(f"{r['rows']:,}: {r['ratio']:.2f}×" for r in runs) if runs else "not measured",
                worst >= goal if worst is not None else None,
            )
        )
    big = [r for n in WORKLOAD_TITLES if (r := _cli_row(results, n, TARGETS["rss_rows"]))]
    small = [r for n in WORKLOAD_TITLES if (r := _cli_row(results, n, rows))]
    every = [r for n in WORKLOAD_TITLES for r in results.get("cli", {}).get(n, []) if r.get("run") == "csv"]
    peak_big = max((r["peak_rss_mb"] for r in every), default=None)
    checks.append(
        (
            f"peak RSS, gpsc tag, every size up to {TARGETS['rss_rows']:,} rows (largest of the workloads)",
            f"≤ {TARGETS['rss_1m_mb']} MB",
            f"{peak_big:.0f} MB" if peak_big is not None else "not measured",
            peak_big <= TARGETS["rss_1m_mb"] if peak_big is not None else None,
        )
    )
    pairs = [
        (b["peak_rss_mb"], s["peak_rss_mb"], b["workload"])
        for b in big
        for s in small
        if s["workload"] == b["workload"]
    ]
    growth = max(((b - s) / s for b, s, _ in pairs), default=None)
    checks.append(
        (
            f"peak RSS flat from {rows:,} to {TARGETS['rss_rows']:,} rows (gpsc tag)",
            f"≤ +{TARGETS['rss_flat_growth']:.0%}",
            (
                ", ".join(f"{w}: {s:.0f} → {b:.0f} MB" for b, s, w in pairs) + f" ({growth:+.0%})"
                if growth is not None
                else "not measured"
            ),
            growth <= TARGETS["rss_flat_growth"] if growth is not None else None,
        )
    )
    if "latency" in results:
        p50 = results["latency"]["p50_ms"]
        checks.append(
            (
                "single check p50 (library)",
                f"≤ {TARGETS['check_p50_ms']} ms",
                f"{p50:.2f} ms",
                p50 <= TARGETS["check_p50_ms"],
            )
        )
    if "cold_start" in results:
        cold = results["cold_start"].get("whole_process_s") or results["cold_start"]["import_to_answer_s"]
        goal = TARGETS["cold_start_s"]
        checks.append(("`gpsc check`, whole command, warm cache", f"≤ {goal} s", f"{cold:.2f} s", cold <= goal))
    if "service" in results:
        p50 = results["service"]["sequential_p50_ms"]
        checks.append(
            ("check p50 over HTTP", f"≤ {TARGETS['http_p50_ms']} ms", f"{p50:.1f} ms", p50 <= TARGETS["http_p50_ms"])
        )
    met = {True: "yes", False: "**no**", None: "not measured"}
    lines = ["## Targets", "", "| target | goal | this run | met |", "| --- | --- | --- | --- |"]
    lines += [f"| {name} | {goal} | {got} | {met[ok]} |" for name, goal, got, ok in checks]
    lines += ["", "Where the time goes and what was done about it: [benchmarks/README.md](README.md).", ""]
    return lines


def write(results: dict, out: Path) -> Path:
    if "settings" not in results:
        raise SystemExit("this results.json predates the workload benchmarks: run python -m benchmarks.run again")
    made = _plots(results, out)
    m = results["machine"]
    lines = [
        "# gpsc benchmarks",
        "",
        f"Produced by `{results['command']}` in {results['elapsed_s'] / 60:.1f} minutes. Every timing is a median of",
        "repeats, and each gpsc rate is also given as a ratio to the plain character TF-IDF nearest-neighbour",
        "baseline measured beside it on the same lines (× baseline: above 1, gpsc is faster), because the machines",
        "are noisy. Peak RSS is each measured process's own (`wait4` through a small launcher; see",
        "`benchmarks/_launch.py`).",
        "",
        "## Machine",
        "",
        f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']} ({m['platform']}); "
        + ", ".join(f"{k} {v}" for k, v in m["libraries"].items())
        + ".",
        "",
    ]
    lines += _workload_lines(results, "realistic")
    if "throughput.png" in made:
        lines += ["![throughput](throughput.png)", "", "![memory](memory.png)", ""]
    lines += _workload_lines(results, "repetitive")
    lines += _parallel_lines(results)
    accuracy, margin = _accuracy_lines(results)
    lines += accuracy
    lines += _library_lines(results)
    lines += _service_lines(results)
    lines += _targets(results, margin)
    path = out / "RESULTS.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _pinmu_index_lines(results: dict) -> list[str]:
    """The cost of the 品目 index (issue: a second index must not halve bulk throughput)."""
    p = results.get("pinmu_index")
    if not p:
        return []
    return [
        f"品目 index: `judge_many` on {p['lines']:,} realistic lines ({p['distinct']:.0%} distinct), with and "
        f"without it, alternating in one process, median of {p['repeats']}: **{p['with_lines_per_s']:,.0f}** "
        f"against {p['without_lines_per_s']:,.0f} lines/s, a ratio of **{p['ratio']:.2f}** (target ≥ 0.80).",
        "",
    ]


if __name__ == "__main__":  # re-render RESULTS.md and the plots from a results.json, without measuring again
    import json
    import sys

    source = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("results.json"))
    print(write(json.loads(source.read_text(encoding="utf-8")), source.parent))
