"""The edit CLI end to end: a real SIGKILL at every checkpoint of ``goenv-tui apply``, then
``goenv-tui recover``; a crash during recovery; a file edited between preview and apply;
rollback; no terminal without --yes.

Every run is a real ``python -m goenv_tui`` subprocess with the sandbox's real go and bash. The
staged plan touches three files at once:

- ``~/.bashrc``, a symlink into ``~/dotfiles/`` (``stage set GOFLAGS=-mod=mod --to startup``);
- ``~/.profile``, mode 0640, whose ``export GOPATH=...`` line is rewritten (``--to FILE:LINE``);
- ``~/.config/go/env``, which does not exist yet (``--to goenv``).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from goenv_tui.core.plan import stage
from goenv_tui.core.plan.change import Change, parse_change
from goenv_tui.core.txn import CHECKPOINTS, PER_FILE, TEMP_PREFIX
from goenv_tui.core.txn.journal import journal_path

from .conftest import SKEL_BASHRC, SKEL_PROFILE, Sandbox
from .test_txn_crash import APPLY_POINTS, HOT, RECOVER_POINTS
from .test_txn_scenario import KILLED, committed

PROFILE = SKEL_PROFILE.read_bytes() + b"export GOPATH=$HOME/gopath\n"
GOPATH_LINE = PROFILE.count(b"\n")
PROXY = "https://proxy.example.com,direct"
#: (NAME=VALUE, --to PLACE) of the staged plan, in order.
STAGED = (
    ("GOFLAGS=-mod=mod", "startup"),
    ("GOPATH=/x", f"~/.profile:{GOPATH_LINE}"),
    (f"GOPROXY={PROXY}", "goenv"),
)
OLD: dict[str, bytes | None] = {
    "bashrc": SKEL_BASHRC.read_bytes(),
    "profile": PROFILE,
    "goenv": None,
}
SHOWN = ("~/.bashrc", "~/.profile", "~/.config/go/env")  # as the CLI names them

#: Recovery's checkpoints are passed only when there is a hot journal to roll back; `apply`
#: in a clean state directory finds none, so it runs to the end (exit 0, all-new) with them.
NOT_REACHED_BY_APPLY = tuple(RECOVER_POINTS)
EVERY_POINT = [*APPLY_POINTS, *NOT_REACHED_BY_APPLY]
#: Representative kills for "apply again finishes the job": before the journal is hot, while
#: it is hot with one file replaced, and after the commit.
RERUN_POINTS = ["apply.journal-temp-written", "apply.file-replaced:2", "apply.committed"]


class Home:
    """A sandbox HOME holding the three files, and the CLI run in it."""

    def __init__(self, root: Path, go: Path) -> None:
        self.sb = Sandbox(root, go)
        self.dotfiles = self.sb.home / "dotfiles"
        self.bashrc_real = self.sb.write("dotfiles/bashrc", SKEL_BASHRC.read_bytes(), mode=0o644)
        self.bashrc = self.sb.home / ".bashrc"
        self.bashrc.symlink_to("dotfiles/bashrc")
        self.profile = self.sb.write(".profile", PROFILE, mode=0o640)
        self.goenv = self.sb.go_env_file
        self.state = self.sb.state

    @property
    def home(self) -> str:
        return str(self.sb.home)

    def cli(self, *args: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
        """``goenv-tui ARGS`` (stdin /dev/null, stdout a pipe: no terminal)."""
        env = dict(self.sb.env)
        if fault is not None:
            env["GOENV_TUI_FAULT"] = fault
        return self.sb.goenv_tui(*args, env=env)

    def changes(self) -> list[Change]:
        """The plan as `stage set` records it."""
        return [parse_change("set", a, place, self.home) for a, place in STAGED]

    def stage_plan(self) -> None:
        """Stage the plan without three previews (the CLI path is checked once, below)."""
        for change in self.changes():
            stage.add(str(self.state), self.home, change)

    def staged(self) -> list[Change]:
        return stage.load(str(self.state), self.home)

    def files(self) -> dict[str, bytes | None]:
        """The three files' bytes (None: missing); ~/.bashrc read through its symlink."""
        return {
            name: path.read_bytes() if path.exists() else None
            for name, path in (
                ("bashrc", self.bashrc),
                ("profile", self.profile),
                ("goenv", self.goenv),
            )
        }

    def leftovers(self) -> list[str]:
        """Temp files, conflict copies and journal temps anywhere in the sandbox."""
        return sorted(
            os.path.join(d, n)
            for d, _, names in os.walk(self.sb.root)
            for n in names
            if n.startswith(TEMP_PREFIX)
            or ".conflict" in n
            or (d == str(self.state) and n.endswith(".tmp"))
        )

    def assert_side(self, want: dict[str, bytes | None], which: str) -> None:
        """All three files are `want`, metadata kept, nothing left over, no journal."""
        got = self.files()
        for name in want:
            assert got[name] == want[name], f"{name} is not {which}"
        assert self.bashrc.is_symlink() and os.readlink(self.bashrc) == "dotfiles/bashrc"
        assert stat.S_IMODE(self.bashrc_real.stat().st_mode) == 0o644
        assert stat.S_IMODE(self.profile.stat().st_mode) == 0o640
        assert self.leftovers() == []
        assert not os.path.exists(journal_path(str(self.state)))

    def history(self) -> list[dict[str, Any]]:
        """The transactions of ``history --json``, oldest first."""
        out = self.cli("history", "--json")
        assert out.returncode == 0, out.stderr
        txs: list[dict[str, Any]] = json.loads(out.stdout)["transactions"]
        return txs


def one_sentence(err: str) -> str:
    """stderr of a refusal: one line, no traceback."""
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def recovery_report(out: subprocess.CompletedProcess[str]) -> list[str] | None:
    """The "Recovered from an interrupted change" report and its indented lines, from
    stdout (the recover command) or stderr (the recovery every command runs first)."""
    for stream in (out.stderr, out.stdout):
        lines = stream.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("Recovered from an interrupted change"):
                end = i + 1
                while end < len(lines) and lines[end].startswith("  "):
                    end += 1
                return lines[i:end]
    return None


@dataclass
class Reference:
    """The plan staged, listed, previewed and applied through the CLI, once per module."""

    home: Home
    staged: list[subprocess.CompletedProcess[str]]
    listed: subprocess.CompletedProcess[str]
    preview: subprocess.CompletedProcess[str]
    applied: subprocess.CompletedProcess[str]
    cli_changes: list[Change]
    new: dict[str, bytes | None] = field(default_factory=dict)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, go_bin: Path) -> Reference:
    h = Home(tmp_path_factory.mktemp("reference"), go_bin)
    staged = [h.cli("stage", "set", a, "--to", place) for a, place in STAGED]
    listed = h.cli("stage", "list")
    preview = h.cli("preview")
    cli_changes = h.staged()
    applied = h.cli("apply", "--yes")
    return Reference(h, staged, listed, preview, applied, cli_changes, h.files())


@pytest.fixture
def staged(tmp_path: Path, go_bin: Path) -> Home:
    """A fresh HOME with the three-file plan staged."""
    h = Home(tmp_path, go_bin)
    h.stage_plan()
    return h


def test_plan_through_the_cli(reference: Reference) -> None:
    for out in reference.staged:
        assert out.returncode == 0, out.stderr
    listed = reference.listed
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 3 and [ln[:3] for ln in lines] == ["1. ", "2. ", "3. "], listed.stdout
    assert reference.cli_changes == reference.home.changes()  # what `staged` stages directly
    pv = reference.preview
    assert pv.returncode == 0, pv.stderr
    assert "3 changes, 3 files to write" in pv.stdout
    for shown in SHOWN:
        assert f"\n{shown} (" in pv.stdout, (shown, pv.stdout)
    assert "writes through symlink → ~/dotfiles/bashrc" in pv.stdout
    assert reference.applied.returncode == 0, reference.applied.stderr
    new = reference.new
    assert new["goenv"] == f"GOPROXY={PROXY}\n".encode()
    assert new["profile"] == PROFILE.replace(b"$HOME/gopath", b"/x")
    assert new["bashrc"] is not None and b"\nexport GOFLAGS=-mod=mod\n" in new["bashrc"]
    reference.home.assert_side(new, "new")
    assert reference.home.staged() == []


def test_debug_checkpoints_are_the_ones_tested(staged: Home) -> None:
    out = staged.cli("debug", "checkpoints")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == list(CHECKPOINTS)
    names = [p.split(":")[0] for p in EVERY_POINT]
    assert sorted(set(names)) == sorted(CHECKPOINTS)
    for name in PER_FILE:  # once per file of the three-file plan
        assert [p for p in EVERY_POINT if p.split(":")[0] == name] == [
            f"{name}:{k}" for k in (1, 2, 3)
        ]


RECOVERED = [
    "  restored ~/.bashrc",
    "  restored ~/.profile",
    "  removed  ~/.config/go/env (the change had created it)",
]


def _replaced_and_temps(fault: str) -> tuple[int, int]:
    """How many of the three files a kill at hot `fault` had replaced, and how many temp
    files it left beside them."""
    name, _, k = fault.partition(":")
    if name == "apply.temp-written":
        return 0, int(k)
    if name == "apply.file-replaced":
        return int(k), 3 - int(k)
    if name == "apply.journal-written":
        return 0, 0
    return 3, 0  # history written / before the commit


@pytest.mark.parametrize("fault", EVERY_POINT)
def test_kill_apply_at_every_checkpoint_then_recover(
    staged: Home, reference: Reference, fault: str
) -> None:
    out = staged.cli("apply", "--yes", fault=fault)
    if fault in NOT_REACHED_BY_APPLY:
        assert out.returncode == 0, f"{fault}: {out.stderr}"
        done = True
    else:
        assert out.returncode == KILLED, f"{fault} was never reached: {out.stderr}"
        done = committed(fault)
    rec = staged.cli("recover")
    assert rec.returncode == 0, rec.stderr
    hot = fault in APPLY_POINTS and fault.split(":")[0] in HOT
    report = recovery_report(rec)
    if hot:
        assert report is not None, (rec.stdout, rec.stderr)
        replaced, temps = _replaced_and_temps(fault)
        assert report[1 : 1 + replaced] == RECOVERED[:replaced], report
        stray = report[1 + replaced :]
        assert len(stray) == temps, report
        assert all(ln.startswith("  removed stray temp file ~/") for ln in stray), report
    else:
        assert report is None, report
        assert rec.stdout == "Nothing to recover: no change was interrupted.\n", rec.stdout
    staged.assert_side(reference.new if done else OLD, "new" if done else "old")
    assert staged.goenv.exists() == done
    history = staged.cli("history")
    assert history.returncode == 0, history.stderr
    if done:
        lines = history.stdout.splitlines()
        assert len(lines) == 4, history.stdout
        assert lines[1:] == ["    ~/.bashrc", "    ~/.profile", "    ~/.config/go/env  (created)"]
    else:
        assert history.stdout == "No change has been applied yet.\n"
        assert staged.staged() == staged.changes()  # the plan waits to be applied again


@pytest.mark.parametrize("fault", RERUN_POINTS)
def test_apply_again_after_a_kill_finishes_the_job(
    staged: Home, reference: Reference, fault: str
) -> None:
    assert staged.cli("apply", "--yes", fault=fault).returncode == KILLED
    out = staged.cli("apply", "--yes")  # recovers first, then applies (or finds nothing to do)
    assert out.returncode == 0, out.stderr
    staged.assert_side(reference.new, "new")
    assert len(staged.history()) == 1
    assert staged.staged() == []


@pytest.mark.parametrize("rfault", RECOVER_POINTS)
def test_kill_during_recovery_then_recover_again(staged: Home, rfault: str) -> None:
    assert staged.cli("apply", "--yes", fault="apply.file-replaced:2").returncode == KILLED
    out = staged.cli("recover", fault=rfault)
    assert out.returncode == KILLED, f"{rfault} was never reached: {out.stderr}"
    out = staged.cli("recover")
    assert out.returncode == 0, out.stderr
    staged.assert_side(OLD, "old")
    assert staged.history() == []


def test_file_edited_between_preview_and_apply(staged: Home) -> None:
    pv = staged.cli("preview")
    assert pv.returncode == 0, pv.stderr
    with staged.profile.open("ab") as fh:
        fh.write(b"alias ll='ls -l'\n")
    before = staged.files()
    out = staged.cli("apply", "--yes")
    assert out.returncode == 2, out.stdout[-600:]
    assert "~/.profile" in one_sentence(out.stderr) or str(staged.profile) in out.stderr
    assert staged.files() == before  # the user's edit kept, nothing else written
    assert before["profile"] == PROFILE + b"alias ll='ls -l'\n"
    assert staged.history() == []


def test_rollback_restores_every_byte(staged: Home, reference: Reference) -> None:
    assert staged.cli("apply", "--yes").returncode == 0
    staged.assert_side(reference.new, "new")
    out = staged.cli("rollback", "--yes")
    assert out.returncode == 0, out.stderr
    assert "Rolled back " in out.stdout
    staged.assert_side(OLD, "old")  # symlink and mode kept, the created go env file gone
    first, second = staged.history()
    assert second["rollback_of"] == first["txid"]
    assert [f["deleted"] for f in second["files"]] == [False, False, True]

    # A bare rollback steps back: nothing is left to roll back now (one change, undone)
    out = staged.cli("rollback", "--yes")
    assert out.returncode == 2 and "rolled back already" in one_sentence(out.stderr)
    # Rolling back the rollback by its id re-applies; a file changed since needs --force.
    with staged.profile.open("ab") as fh:
        fh.write(b"# edited after the rollback\n")
    edited = staged.files()
    out = staged.cli("rollback", second["txid"], "--yes")
    assert out.returncode == 2
    msg = one_sentence(out.stderr)
    assert "~/.profile changed since" in msg and "--force" in msg, msg
    assert staged.files() == edited and len(staged.history()) == 2
    out = staged.cli("rollback", second["txid"], "--yes", "--force")
    assert out.returncode == 0, out.stderr
    assert f"Re-apply what {second['txid']}" in out.stdout
    staged.assert_side(reference.new, "new")
    assert len(staged.history()) == 3


def test_rollback_of_a_file_changed_since_needs_force(staged: Home) -> None:
    assert staged.cli("apply", "--yes").returncode == 0
    (txid,) = (t["txid"] for t in staged.history())
    with staged.bashrc.open("ab") as fh:  # through the symlink, as an editor would
        fh.write(b"alias ll='ls -l'\n")
    edited = staged.files()
    out = staged.cli("rollback", str(txid), "--yes")
    assert out.returncode == 2
    msg = one_sentence(out.stderr)
    assert "~/.bashrc changed since" in msg and "--force" in msg, msg
    assert "~/.bashrc  ! changed since that change was applied" in out.stdout
    assert staged.files() == edited and len(staged.history()) == 1
    out = staged.cli("rollback", str(txid), "--yes", "--force")
    assert out.returncode == 0, out.stderr
    staged.assert_side(OLD, "old")


def test_no_terminal_and_no_yes_changes_nothing(staged: Home, reference: Reference) -> None:
    for argv in (["apply"], ["set", "GOPATH=/y", "--to", "goenv"]):
        out = staged.cli(*argv)
        assert out.returncode == 2, (argv, out.stdout)
        assert "there is no terminal to confirm on" in one_sentence(out.stderr)
        staged.assert_side(OLD, "old")
        assert staged.staged() == staged.changes() and staged.history() == []
    assert staged.cli("apply", "--yes").returncode == 0
    out = staged.cli("rollback")
    assert out.returncode == 2, out.stdout
    assert "there is no terminal to confirm on" in one_sentence(out.stderr)
    staged.assert_side(reference.new, "new")
    assert len(staged.history()) == 1
