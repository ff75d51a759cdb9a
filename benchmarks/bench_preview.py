"""Median wall time of the edit preview (`set NAME=VALUE --dry-run`) and of `doctor --json`.

Usage: python benchmarks/bench_preview.py [--runs N]

Over the same sandbox HOME as bench_show.py, three previews: a go env file change
(`--to goenv`), a managed block (`--to startup`) and a rewrite of the winning ~/.bashrc line
(no `--to`). Each builds the plan (the real `go env -w` on a scratch copy), predicts in a
private mount namespace (the real go and the traced shell over the new bytes) and renders.
`doctor --json` probes, traces a non-interactive shell (what `ssh host cmd` gets) and runs
every rule. For scale, `show --json` on the same HOME.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_show import make_home

CASES = {
    "show --json": ["show", "--json"],
    "doctor --json": ["doctor", "--json"],
    "set --to goenv": ["set", "GOFLAGS=-trimpath", "--to", "goenv", "--dry-run"],
    "set --to startup": ["set", "GOFLAGS=-trimpath", "--to", "startup", "--dry-run"],
    "set (FILE:LINE)": ["set", "GOPATH=/srv/go", "--dry-run"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="goenv-tui-bench-") as tmp:
        env = make_home(Path(tmp))
        env["GOENV_TUI_STATE_DIR"] = str(Path(tmp) / "state")
        times: dict[str, list[float]] = {k: [] for k in CASES}
        for k in range(runs + 1):  # the first round warms the trace cache
            for label, args in CASES.items():
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "goenv_tui", *args],
                    env=env,
                    cwd=env["HOME"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    stdin=subprocess.DEVNULL,
                    check=label != "doctor --json",  # exit 1 = an error finding
                )
                if k:
                    times[label].append((time.perf_counter() - start) * 1000)
    for label, ts in times.items():
        print(f"{label:<18} median {statistics.median(ts):7.1f} ms  (n={len(ts)})")


if __name__ == "__main__":
    main()
