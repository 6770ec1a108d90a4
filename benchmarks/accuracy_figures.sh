#!/bin/bash
# Every held-out accuracy figure of one checkout, into a folder, so that two checkouts can be compared line by line:
#   git worktree add /tmp/gpsc-base <commit>
#   bash benchmarks/accuracy_figures.sh /tmp/gpsc-base /tmp/acc/base
#   bash benchmarks/accuracy_figures.sh . /tmp/acc/new
#   diff /tmp/acc/base/evaluate.txt /tmp/acc/new/evaluate.txt; diff /tmp/acc/{base,new}/what_is_bought.txt
# Each checkout trains its own checker in a cache folder of its own (about a minute), then: the real titles held
# out by project and the 采购意向 lines (what_is_bought), the audit of declared 品目 (pinmu_audit), and `gpsc evaluate`
# on the dev set and every held-out file (only aggregates are printed).
set -euo pipefail
checkout=$(cd "$1" && pwd)
out=$(mkdir -p "$2" && cd "$2" && pwd)
python=${PYTHON:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/python}
cd "$checkout"
export XDG_CACHE_HOME="$out/cache"
"$python" -m benchmarks.what_is_bought --out "$out/what_is_bought.json" > "$out/what_is_bought.txt" 2>&1
"$python" -m benchmarks.pinmu_audit > "$out/pinmu_audit.txt" 2>&1
: > "$out/evaluate.txt"
for name in dev.csv verdicts_test.csv verdicts_test2.csv negatives_test.csv intentions_test.csv \
    procurement_test.csv procurement_test2.csv; do
  echo "== $name" >> "$out/evaluate.txt"
  "$python" -m service.cli evaluate "training_data/$name" --misses 0 >> "$out/evaluate.txt" 2>&1
done
echo "$out"
