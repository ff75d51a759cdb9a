"""End to end in a real pseudo-terminal: goenv-tui typed into a login shell in tmux, 80x24.

The issue's "done when", for real: it starts over a sandbox HOME, shows GOPATH and GOFLAGS
with the files they come from, `/GOSUMDB` narrows the table, Enter shows the chain with
$GOROOT/go.env, F1 shows help, `o` opens the file:line in $EDITOR, `q` quits — with colour,
with NO_COLOR and with TERM=linux.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest

from .conftest import REPO, Sandbox, shell_path


class Pane:
    """A detached tmux session running one command, read with capture-pane."""

    def __init__(self, sb: Sandbox, env: dict[str, str], cmd: str) -> None:
        self.sock = f"goenv-tui-e2e-{os.getpid()}-{time.monotonic_ns()}"
        self.env = dict(env, TMUX_TMPDIR=str(sb.root), PYTHONPATH=str(REPO))
        self.tmux = [shell_path("tmux"), "-L", self.sock, "-f", "/dev/null"]
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-x", "80", "-y", "24", cmd],
            env=self.env,
            cwd=sb.home,
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            [*self.tmux, "capture-pane", "-p"],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        ).stdout

    def wait_for(self, text: str, limit: float = 30) -> str:
        return self.wait_until(lambda shown: text in shown, text, limit)

    def wait_until(self, ok: Callable[[str], bool], what: str, limit: float = 30) -> str:
        deadline = time.monotonic() + limit
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if ok(shown):
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{what!r} never appeared; screen:\n{shown}")

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", *keys], env=self.env, check=True)
        time.sleep(0.3)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], env=self.env, capture_output=True, check=False)


#: What may precede a name in the table: a finding's severity, a staged change.
MARKS = frozenset({"✗", "!", "i", "✎"})


def name_of(line: str) -> str:
    """The first word of a table row that is not a mark (the variable's name)."""
    words = [w for w in line.split() if w not in MARKS]
    return words[0] if words else ""


@pytest.fixture
def e2e_home(sandbox: Sandbox) -> Iterator[Sandbox]:
    sandbox.write(".config/go/env", "GOFLAGS=-mod=mod\n")
    sandbox.write(".bash_profile", f'export PATH="{sandbox.bin}:$PATH"\n. ~/.bashrc\n')
    sandbox.write(".bashrc", "# rc\nexport GOPATH=$HOME/work\n")
    log = sandbox.root / "editor.log"
    sandbox.write(str(sandbox.bin / "fake-editor"), f'#!/bin/sh\necho "$@" > {log}\n', mode=0o755)
    yield sandbox


@pytest.mark.parametrize(
    "extra",
    [{"TERM": "xterm-256color"}, {"TERM": "xterm-256color", "NO_COLOR": "1"}, {"TERM": "linux"}],
    ids=["color", "no-color", "term-linux"],
)
def test_done_when_in_tmux(e2e_home: Sandbox, extra: dict[str, str]) -> None:
    sb = e2e_home
    env = dict(sb.env, EDITOR="fake-editor", **extra)
    env.pop("VISUAL", None)
    cmd = f"bash -lic '{sys.executable} -m goenv_tui; echo EXITED-$?; sleep 30'"
    pane = Pane(sb, env, cmd)
    try:
        first = pane.wait_for("variables")
        # What the user set comes first: both rows and their files are on the first screen
        # (the doctor's mark may precede a name, depending on when it answers).
        gopath = next(line for line in first.splitlines() if name_of(line) == "GOPATH")
        assert "work" in gopath and "startup" in gopath and "~/.bashrc:2" in gopath
        goflags = next(ln for ln in first.splitlines() if name_of(ln) == "GOFLAGS")
        assert "-mod=mod" in goflags and "~/.config/go/env:1" in goflags
        pane.keys("/", "GOSUMDB")

        def rows(shown: str) -> list[str]:
            table = shown.split("────")[0].split(" Name ", 1)[-1].splitlines()[1:]
            return [name_of(ln) for ln in table if ln.strip()]

        pane.wait_until(lambda shown: rows(shown) == ["GOSUMDB"], "only the GOSUMDB row")
        pane.keys("Enter", "Enter")
        detail = pane.wait_for("Chain, lowest precedence first")
        assert "go.env:" in detail and "ACTIVE" in detail
        pane.keys("F1")
        assert "Keys everywhere" in pane.wait_for("Keys everywhere")
        for _ in range(3):  # help, detail, filter (ESC then a key at once reads as Alt+key)
            pane.keys("Escape")
        pane.keys("/", "GOPATH", "Enter", "o")
        log = sb.root / "editor.log"
        deadline = time.monotonic() + 10
        while not log.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert log.exists(), pane.screen()
        assert log.read_text().split() == ["+2", str(sb.home / ".bashrc")]
        time.sleep(1)  # the app takes the terminal back and re-probes
        pane.wait_for("variables")
        pane.keys("Escape")
        pane.keys("q")
        pane.wait_for("EXITED-0")
    finally:
        pane.close()


def test_snapshot_opens_read_only_in_tmux(sandbox: Sandbox) -> None:
    snap = sandbox.root / "snap.toml"
    sandbox.write(".config/go/env", "GOFLAGS=-mod=mod\n")
    assert sandbox.goenv_tui("snapshot", "-o", str(snap)).returncode == 0
    pane = Pane(
        sandbox,
        dict(sandbox.env, TERM="xterm-256color"),
        f"{sys.executable} -m goenv_tui --snapshot {snap}; echo EXITED-$?; sleep 30",
    )
    try:
        wanted = ("READ-ONLY snapshot of", "GOFLAGS", "~/.config/go/env:1", "Quit")
        shown = pane.wait_until(lambda s: all(w in s for w in wanted), "the snapshot's table")
        for word in ("Reprobe", "Edit", "Preview"):  # nothing to re-probe or edit in a snapshot
            assert word not in shown
        pane.keys("q")
        pane.wait_for("EXITED-0")
    finally:
        pane.close()


def test_bad_snapshot_is_one_sentence(sandbox: Sandbox) -> None:
    bad = sandbox.root / "bad.toml"
    bad.write_text("this is = not [ toml")
    out = sandbox.goenv_tui("--snapshot", str(bad))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and str(bad) in out.stderr
