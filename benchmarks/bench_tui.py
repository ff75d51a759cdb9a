"""Time to the first frame that shows resolved values, vs a bare Textual app's first frame.

Usage: python benchmarks/bench_tui.py [--runs N]

Both run in a real pseudo-terminal: a detached tmux session of 80x24 over a sandbox HOME
(the same one benchmarks/bench_show.py builds). The clock starts when tmux is asked to start
the program and stops when `tmux capture-pane` first shows the marker: for goenv-tui the
status line's "N variables" together with the first row's value (both appear in the frame
that paints the resolved table), the word "ready" for the bare app. Alternated, N runs
each (default 10).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_show import make_home

BARE = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Bare(App):\n"
    "    def compose(self):\n"
    "        yield Static('ready')\n"
    "Bare().run()\n"
)


def first_frame(cmd: str, marker: str, env: dict[str, str], sock: str, limit: float = 10) -> float:
    """Seconds from starting `cmd` in a fresh 80x24 tmux session until `marker` shows."""
    tmux = ["tmux", "-L", sock, "-f", "/dev/null"]
    start = time.perf_counter()
    subprocess.run([*tmux, "new-session", "-d", "-x", "80", "-y", "24", cmd], env=env, check=True)
    try:
        while time.perf_counter() - start < limit:
            shown = subprocess.run(
                [*tmux, "capture-pane", "-p"], env=env, capture_output=True, text=True, check=False
            ).stdout
            if marker in shown:
                return time.perf_counter() - start
            time.sleep(0.005)
        raise RuntimeError(f"{marker!r} never appeared; last screen:\n{shown}")
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, capture_output=True, check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="goenv-tui-bench-tui-"))
    try:
        env = make_home(root)
        env["TERM"] = "xterm-256color"
        env["TMUX_TMPDIR"] = str(root)
        bare_py = root / "bare.py"
        bare_py.write_text(BARE)
        ours_cmd = f"{sys.executable} -m goenv_tui"
        bare_cmd = f"{sys.executable} {bare_py}"
        ours: list[float] = []
        bare: list[float] = []
        marker = "variables"
        first_frame(ours_cmd, marker, env, "bench-warm-o")  # warm caches (trace, pyc)
        first_frame(bare_cmd, "ready", env, "bench-warm-b")
        for i in range(args.runs):
            ours.append(first_frame(ours_cmd, marker, env, f"bench-o{i}"))
            bare.append(first_frame(bare_cmd, "ready", env, f"bench-b{i}"))
        a, b = statistics.median(ours), statistics.median(bare)
        print(f"runs: {args.runs} each, alternated, tmux 80x24")
        print(f"goenv-tui first frame with values: median {a * 1000:7.1f} ms (target <= 500)")
        print(f"bare Textual app first frame:      median {b * 1000:7.1f} ms")
        print(f"ratio: {a / b:.2f} (target <= 1.5)")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
