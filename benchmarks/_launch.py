"""Run a command; write its wall time, CPU time and peak RSS (from ``wait4``) as JSON to a file.

    python -I -S benchmarks/_launch.py USAGE.json COMMAND [ARG ...]

The benchmark starts every measured process through this small launcher instead of directly. On Linux a
process started by fork/vfork + exec inherits its parent's peak RSS as its own ``ru_maxrss`` (the kernel
records the old address space's high-water mark at exec), so a command started straight from the benchmark
(a few hundred MB: a trained model, three baselines) would report the benchmark's peak, not its own. Started
from this launcher (about 10 MB), its ``ru_maxrss`` is its own. Standard library only, no site packages.
"""

import json
import os
import sys
import time


def main() -> int:
    out, *command = sys.argv[1:]
    started = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)  # the child and the descendants it waited for (gpsc tag --jobs)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "seconds": seconds,
                "user_s": usage.ru_utime,
                "sys_s": usage.ru_stime,
                "cpu_s": usage.ru_utime + usage.ru_stime,
                "peak_rss_mb": usage.ru_maxrss / 1024,  # KiB on Linux; the largest single process, not a sum
                "exit_code": code,
            },
            handle,
        )
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
