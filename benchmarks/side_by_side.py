"""Library throughput of this tree against another checkout of gpsc, run side by side on the same lines.

    git worktree add /tmp/gpsc-base <commit>
    .venv/bin/python -m benchmarks.side_by_side /tmp/gpsc-base --lines 6000 --rounds 5

Each round runs ``Checker.check_many`` over the same realistic lines (``workloads.realistic_lines``, 2,000 a chunk,
first pass only, so no cache is warm from an earlier pass) once in a fresh process on each tree, alternating, so
both see the same machine load; it reports each tree's median lines per CPU-second and the median of the per-round
ratios. Both trees use this environment's libraries; each trains or loads its own cached checker first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = """
import json, sys, time
from classifier.eligibility import get_checker
lines = json.load(open(sys.argv[1], encoding="utf-8"))
checker = get_checker()
texts = [t for t, _ in lines]; departments = [d for _, d in lines]
checker.check_many(texts[:50], departments[:50])
start = time.process_time()
for i in range(0, len(texts), 2000):
    checker.check_many(texts[i:i + 2000], departments[i:i + 2000])
print(json.dumps(len(texts) / (time.process_time() - start)))
"""


def rate(tree: Path, workload: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(workload)], env=env, cwd=tree, check=True, capture_output=True, text=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="another checkout of gpsc (the baseline)")
    parser.add_argument("--lines", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from catalog import load_catalog

    from .workloads import realistic_lines

    here = Path(__file__).resolve().parents[1]
    lines = [list(line)[:2] for line in realistic_lines(load_catalog(), args.lines, seed=7)]
    with tempfile.TemporaryDirectory() as folder:
        workload = Path(folder) / "lines.json"
        workload.write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")
        rate(args.other, workload), rate(here, workload)  # train or load each checker before timing
        base, this = [], []
        for _ in range(args.rounds):
            base.append(rate(args.other, workload))
            this.append(rate(here, workload))
    ratios = [t / b for t, b in zip(this, base, strict=True)]
    print(
        json.dumps(
            {
                "lines": args.lines,
                "baseline_lines_per_cpu_s": [round(x) for x in base],
                "this_lines_per_cpu_s": [round(x) for x in this],
                "median_ratio": round(statistics.median(ratios), 3),
                "ratio_of_medians": round(statistics.median(this) / statistics.median(base), 3),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
