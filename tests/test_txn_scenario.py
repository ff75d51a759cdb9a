"""The three-file plan the transaction tests share, and checks of all-old / all-new states.

The plan touches ``~/.bashrc`` (a symlink into ``~/dotfiles/``, BOM + CRLF, mode 0600),
``~/.profile`` (mode 0640, an xattr, no final newline) and ``~/.config/go/env`` (not existing:
created). Children run the engine with ``GOENV_TUI_FAULT`` set and die by a real SIGKILL.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from goenv_tui.core.txn import CHECKPOINTS, PER_FILE, TEMP_PREFIX, FileChange, history, recover
from goenv_tui.core.txn.journal import journal_path

from .conftest import REPO

XATTR = "user.goenv-test"


def _xattrs_supported(path: Path) -> bool:
    try:
        os.setxattr(path, XATTR, b"probe")
        os.removexattr(path, XATTR)
    except OSError:
        return False
    return True


class Scenario:
    """A sandbox HOME with the shared three-file plan and its state directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.state = root / "state"
        dotfiles = self.home / "dotfiles"
        dotfiles.mkdir(parents=True)
        (self.home / ".config" / "go").mkdir(parents=True)
        self.bashrc_real = dotfiles / "bashrc"
        self.bashrc_real.write_bytes(b"\xef\xbb\xbfexport A=1\r\nexport B=2\r\n")
        self.bashrc_real.chmod(0o600)
        self.bashrc = self.home / ".bashrc"
        self.bashrc.symlink_to("dotfiles/bashrc")
        self.profile = self.home / ".profile"
        self.profile.write_bytes(b"PATH=$PATH:/usr/local/go/bin")
        self.profile.chmod(0o640)
        self.xattrs = _xattrs_supported(self.profile)
        if self.xattrs:
            os.setxattr(self.profile, XATTR, b"kept")
        self.goenv = self.home / ".config" / "go" / "env"
        self.old: dict[Path, bytes | None] = {
            self.bashrc: self.bashrc_real.read_bytes(),
            self.profile: self.profile.read_bytes(),
            self.goenv: None,
        }
        self.new: dict[Path, bytes | None] = {
            self.bashrc: b"\xef\xbb\xbfexport A=1\r\nexport B=2\r\nexport GOPATH=~/go\r\n",
            self.profile: b"PATH=$PATH:/usr/local/go/bin:$HOME/go/bin",
            self.goenv: b"GOPROXY=https://user:s3cret@proxy.example\n",
        }

    def changes(self) -> list[FileChange]:
        """The plan, guarded by the hashes of the old contents."""
        return [FileChange.from_preview(str(p), self.old[p], self.new[p]) for p in self.old]

    def spec(self) -> str:
        """The plan as JSON for a child process."""
        return json.dumps(
            {
                "state": str(self.state),
                "changes": [
                    [c.path, None if c.new is None else c.new.hex(), c.expected_sha256]
                    for c in self.changes()
                ],
            }
        )

    def content(self, path: Path) -> bytes | None:
        """A file's bytes (None when missing)."""
        return path.read_bytes() if path.exists() else None

    def temps(self) -> list[str]:
        """Stray temp files anywhere in the sandbox."""
        return [
            os.path.join(d, n)
            for d, _, names in os.walk(self.root)
            for n in names
            if n.startswith(TEMP_PREFIX) or n.endswith(".tmp")
        ]

    def assert_state(self, which: str) -> None:
        """Every file all-old or all-new, metadata kept, no temps, no journal."""
        want = self.old if which == "old" else self.new
        for path, content in want.items():
            assert self.content(path) == content, f"{path.name} is not {which}"
        assert self.bashrc.is_symlink() and os.readlink(self.bashrc) == "dotfiles/bashrc"
        assert stat.S_IMODE(self.bashrc_real.stat().st_mode) == 0o600
        assert stat.S_IMODE(self.profile.stat().st_mode) == 0o640
        if self.xattrs:
            assert os.getxattr(self.profile, XATTR) == b"kept"
        assert self.temps() == []
        assert not os.path.exists(journal_path(str(self.state)))
        assert not list(self.home.rglob("*.conflict*"))

    def run(self, code: str, fault: str | None, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``code`` in a child python (HOME is the sandbox), with GOENV_TUI_FAULT."""
        env = {k: v for k, v in os.environ.items() if k != "GOENV_TUI_FAULT"}
        env.update({"PYTHONPATH": str(REPO), "HOME": str(self.home)})
        if fault is not None:
            env["GOENV_TUI_FAULT"] = fault
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def apply_child(self, fault: str | None) -> subprocess.CompletedProcess[str]:
        """Apply the plan in a child process."""
        return self.run(APPLY_CHILD, fault, self.spec())

    def recover_child(self, fault: str | None) -> subprocess.CompletedProcess[str]:
        """Run recovery in a child process."""
        return self.run(RECOVER_CHILD, fault, str(self.state))


APPLY_CHILD = """
import json, sys
from goenv_tui.core.txn import FileChange, apply
spec = json.loads(sys.argv[1])
changes = [FileChange(p, None if n is None else bytes.fromhex(n), e) for p, n, e in spec["changes"]]
apply(changes, spec["state"], description="set GOPATH, GOPROXY and PATH")
"""

RECOVER_CHILD = """
import sys
from goenv_tui.core.txn import recover
recover(sys.argv[1])
"""

KILLED = -signal.SIGKILL


def expand(prefix: str, files: int = 3) -> list[str]:
    """Every checkpoint with ``prefix``, per-file ones once per file (``name:k``)."""
    out: list[str] = []
    for name in CHECKPOINTS:
        if not name.startswith(prefix):
            continue
        if name in PER_FILE:
            out.extend(f"{name}:{k}" for k in range(1, files + 1))
        else:
            out.append(name)
    return out


def committed(fault: str) -> bool:
    """True for apply checkpoints at or after the commit point."""
    name = fault.split(":")[0]
    return CHECKPOINTS.index(name) >= CHECKPOINTS.index("apply.committed")


@pytest.fixture
def scenario(tmp_path: Path) -> Scenario:
    """A fresh three-file scenario."""
    return Scenario(tmp_path)


def test_scenario_applies_in_a_child(scenario: Scenario) -> None:
    out = scenario.apply_child(None)
    assert out.returncode == 0, out.stderr
    scenario.assert_state("new")
    assert [r.description for r in history(str(scenario.state))] == ["set GOPATH, GOPROXY and PATH"]
    assert not recover(str(scenario.state)).recovered
