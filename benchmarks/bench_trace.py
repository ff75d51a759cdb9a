"""A traced shell start-up against the same start-up untraced, side by side, as a ratio.

Usage: python benchmarks/bench_trace.py [--runs N] [--home DIR --shell zsh|bash]

Without --home it builds a framework-like HOME in a scratch folder for zsh and for bash:
forty library files full of functions, aliases and loops, a plugin that sets GOPATH,
compinit for zsh. With --home it measures that HOME (e.g. one built from oh-my-zsh's
installer). Columns: the untraced `SHELL -lic exit`, `trace_startup` with no cache (what a
first run pays, in process) and the ratio of their medians.
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from goenv_tui.core.names import watched_names  # noqa: E402
from goenv_tui.core.shells import trace_startup  # noqa: E402

LIBRARY = """\
# library {n}
lib{n}_helper() {{
  local word
  for word in a b c d e f; do
    case $word in a) : ;; *) : "$word" ;; esac
  done
}}
alias l{n}='ls -l'
typeset -a lib{n}_list
lib{n}_list=(one two three four)
for item in "${{lib{n}_list[@]}}"; do lib{n}_helper "$item"; done
"""


def framework_home(root: Path, shell: str) -> Path:
    """A HOME whose rc file loads a framework-sized tree of library files and a Go plugin."""
    home = root / shell
    lib = home / ".framework" / "lib"
    lib.mkdir(parents=True)
    for n in range(40):
        (lib / f"lib{n}.sh").write_text(LIBRARY.format(n=n))
    plugin = home / ".framework" / "plugins" / "golang.sh"
    plugin.parent.mkdir()
    plugin.write_text("export GOPATH=$HOME/go\nalias gob='go build'\n")
    loader = (
        'for file in "$HOME"/.framework/lib/*.sh; do . "$file"; done\n'
        '. "$HOME/.framework/plugins/golang.sh"\n'
    )
    if shell == "zsh":
        rc = "autoload -Uz compinit && compinit -u -d $HOME/.zcompdump\n" + loader
        (home / ".zshrc").write_text(rc)
    else:
        (home / ".bashrc").write_text(loader)
        (home / ".profile").write_text(". ~/.bashrc\n")
    return home


def env_for(home: Path, shell: str) -> dict[str, str]:
    return {
        "HOME": str(home),
        "USER": "bench",
        "LOGNAME": "bench",
        "SHELL": shell,
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
    }


def untraced(path: str, env: dict[str, str], home: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [path, "-l", "-i", "-c", "exit"],
        env=env,
        cwd=home,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start


def traced(shell: str, path: str, env: dict[str, str], home: Path) -> float:
    start = time.perf_counter()
    result = trace_startup(shell, path, str(home), watched_names(env), env)
    elapsed = time.perf_counter() - start
    if not result.traced:
        raise SystemExit(f"the {shell} trace of {home} failed: {result.error}")
    return elapsed


def measure(shell: str, home: Path, runs: int) -> None:
    path = shutil.which(shell)
    if path is None:
        print(f"{shell:<5} not installed")
        return
    env = env_for(home, path)
    untraced(path, env, home)  # compinit writes its dump once
    plain, trace = [], []
    for _ in range(runs):  # alternated, so load changes hit both columns alike
        plain.append(untraced(path, env, home))
        trace.append(traced(shell, path, env, home))
    p, t = statistics.median(plain), statistics.median(trace)
    print(f"{shell:<5} {home}\n      untraced {p:.3f} s   traced {t:.3f} s   ratio {t / p:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--home", type=Path, help="measure this HOME instead")
    parser.add_argument("--shell", default="zsh", choices=("zsh", "bash"))
    args = parser.parse_args()
    if args.home is not None:
        measure(args.shell, args.home.resolve(), args.runs)
        return
    with tempfile.TemporaryDirectory(prefix="goenv-tui-bench-") as tmp:
        for shell in ("zsh", "bash"):
            measure(shell, framework_home(Path(tmp), shell), args.runs)


if __name__ == "__main__":
    main()
