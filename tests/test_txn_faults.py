"""Failures at the real system calls: ENOSPC, EIO, EPERM, EACCES, EROFS; a real full disk;
chattr +i; an unprivileged user. Every failure leaves every file as it was."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from goenv_tui.core.txn import TxnError, apply, history, recover, sha256_hex
from goenv_tui.core.txn.errors import reason
from goenv_tui.core.txn.journal import journal_path

from .conftest import REPO, require
from .test_txn_scenario import Scenario

NOBODY = 65534


@contextmanager
def failing(name: str, err: int, nth: int, sticky: bool = False) -> Iterator[list[int]]:
    """Make ``os.<name>`` raise OSError(err) on its nth call (and every later one if sticky)."""
    real: Callable[..., Any] = getattr(os, name)
    calls = [0]

    def fake(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == nth or (sticky and calls[0] > nth):
            raise OSError(err, os.strerror(err))
        return real(*args, **kwargs)

    setattr(os, name, fake)
    try:
        yield calls
    finally:
        setattr(os, name, real)


def _count_calls(tmp_path: Path, name: str) -> int:
    s = Scenario(tmp_path / "count")
    with failing(name, errno.EIO, 0) as calls:
        apply(s.changes(), str(s.state), description="count")
    s.assert_state("new")
    return calls[0]


INJECTIONS = [
    ("write", errno.ENOSPC),
    ("fsync", errno.EIO),
    ("open", errno.EACCES),
    ("replace", errno.EROFS),
    ("link", errno.ENOSPC),
    ("unlink", errno.EPERM),
    ("fchmod", errno.EPERM),
    ("setxattr", errno.EIO),
]


@pytest.mark.parametrize(("name", "err"), INJECTIONS)
def test_failure_at_every_call_leaves_all_old(tmp_path: Path, name: str, err: int) -> None:
    """SQLite's method: fail the 1st, 2nd, ... call; each run is all-old or, past the
    commit point, all-new."""
    total = _count_calls(tmp_path, name)
    assert total > 0
    failures = 0
    for nth in range(1, total + 1):
        s = Scenario(tmp_path / f"{name}{nth}")
        with failing(name, err, nth):
            try:
                apply(s.changes(), str(s.state), description="x")
            except TxnError as exc:
                failures += 1
                assert reason(OSError(err, "")) in str(exc), str(exc)
                assert str(exc).endswith("nothing was changed."), str(exc)
                s.assert_state("old")
                assert history(str(s.state)) == []
                continue
        s.assert_state("new")  # the failure hit after the commit point (an fsync: a warning)
        assert len(history(str(s.state))) == 1
    assert failures > 0


@pytest.mark.parametrize(("name", "err"), [("write", errno.ENOSPC), ("fsync", errno.EIO)])
def test_persistent_failure_then_recovery_leaves_all_old(
    tmp_path: Path, name: str, err: int
) -> None:
    """The disk stays full, so the in-process rollback may fail too; recovery finishes it."""
    total = _count_calls(tmp_path, name)
    for nth in range(1, total + 1):
        s = Scenario(tmp_path / f"{name}{nth}")
        try:
            with failing(name, err, nth, sticky=True):
                apply(s.changes(), str(s.state), description="x")
        except TxnError:
            pass
        else:
            s.assert_state("new")
            continue
        recover(str(s.state))
        s.assert_state("old")


def test_enospc_message_names_the_file(tmp_path: Path) -> None:
    s = Scenario(tmp_path)
    # write #1 is the journal; #2 the temp of ~/.bashrc.
    with failing("write", errno.ENOSPC, 2), pytest.raises(TxnError) as err:
        apply(s.changes(), str(s.state), description="x")
    assert str(err.value) == (
        f"Could not write {s.bashrc} (→ {s.bashrc_real}): no space left on device; "
        "nothing was changed."
    )
    s.assert_state("old")


TMPFS_CHILD = r"""
import json, os, sys
from goenv_tui.core.txn import FileChange, TxnError, apply, sha256_hex
disk, state = sys.argv[1], sys.argv[2]
os.makedirs(state, exist_ok=True)
a, b = os.path.join(disk, "a.env"), os.path.join(disk, "b.env")
for p in (a, b):
    with open(p, "wb") as f:
        f.write(b"GOPATH=/old\n" * 100)
old = {p: open(p, "rb").read() for p in (a, b)}
filler = os.path.join(disk, "filler")
fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
try:
    while True:
        os.write(fd, b"\0" * 4096)
except OSError:
    pass
os.close(fd)
os.truncate(filler, max(0, os.path.getsize(filler) - 8192))  # ~8 KiB free
changes = [FileChange(a, b"GOPATH=/new\n" * 100, sha256_hex(old[a])),
           FileChange(b, b"GOPATH=/new\n" * 4000, sha256_hex(old[b]))]  # 48 KiB: does not fit
out = {}
try:
    apply(changes, state, description="fill the disk")
except TxnError as exc:
    out["error"] = str(exc)
out["same"] = all(open(p, "rb").read() == old[p] for p in (a, b))
out["names"] = sorted(os.listdir(disk))
os.unlink(filler)
apply(changes, state, description="room now")
out["after"] = [open(p, "rb").read() == c.new for p, c in zip((a, b), changes)]
print(json.dumps(out))
"""


def test_real_full_disk_on_a_small_tmpfs(tmp_path: Path) -> None:
    require(os.geteuid() == 0 and shutil.which("unshare") is not None, "root + unshare -m")
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (
        "set -e; mount --make-rprivate / 2>/dev/null || true; "
        f"mount -t tmpfs -o size=64k tmpfs {disk}; "
        'exec "$@"'
    )
    argv = ["unshare", "-m", "--", "sh", "-c", script, "sh"]
    argv += [sys.executable, "-c", TMPFS_CHILD, str(disk), str(tmp_path / "state")]
    out = subprocess.run(
        argv,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["error"] == (
        f"Could not write {disk}/b.env: no space left on device; nothing was changed."
    )
    assert result["same"] and result["names"] == ["a.env", "b.env", "filler"]
    assert result["after"] == [True, True]


def _chattr(path: Path, flag: str) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


def test_immutable_target_is_refused(scenario_root: Path) -> None:
    s = Scenario(scenario_root)
    require(os.geteuid() == 0 and _chattr(s.profile, "+i"), "root + chattr +i on this file system")
    try:
        with pytest.raises(TxnError) as err:
            apply(s.changes(), str(s.state), description="x")
        assert str(err.value) == (
            f"{s.profile} is immutable or append-only (chattr +i/+a; remove that with chattr -i); "
            "nothing was changed."
        )
    finally:
        _chattr(s.profile, "-i")
    s.assert_state("old")


def test_immutable_folder_mid_apply_rolls_back(
    scenario_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """chattr +i on a target's folder after the temps are written: the real os.replace fails
    with EPERM, and even our temp there cannot be removed until the flag goes; recovery then
    finishes the job."""
    import importlib

    s = Scenario(scenario_root)
    folder = s.bashrc_real.parent
    require(os.geteuid() == 0 and _chattr(folder, "+i"), "root + chattr +i on this file system")
    _chattr(folder, "-i")
    module = importlib.import_module("goenv_tui.core.txn.apply")
    real = module.checkpoint

    def hook(name: str, k: int | None = None) -> None:
        if (name, k) == ("apply.temp-written", 3):
            _chattr(folder, "+i")
        real(name, k)

    monkeypatch.setattr(module, "checkpoint", hook)
    try:
        with pytest.raises(TxnError) as err:
            apply(s.changes(), str(s.state), description="x")
        for p, content in s.old.items():
            assert s.content(p) == content
    finally:
        _chattr(folder, "-i")
    assert str(err.value) == (
        f"Writing {s.bashrc} (→ {s.bashrc_real}) failed and the rollback failed too (the "
        "operation is not permitted (is it immutable? see lsattr)); the journal is kept and "
        "goenv-tui will finish the rollback on its next start."
    )
    assert recover(str(s.state)).recovered
    s.assert_state("old")


def test_metadata_change_mid_apply_aborts(
    scenario_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chmod (or chattr) after the preflight changes ctime: the replace is not done."""
    import importlib

    s = Scenario(scenario_root)
    module = importlib.import_module("goenv_tui.core.txn.apply")
    real = module.checkpoint

    def hook(name: str, k: int | None = None) -> None:
        if (name, k) == ("apply.file-replaced", 1):
            os.chmod(s.profile, 0o600)
        real(name, k)

    monkeypatch.setattr(module, "checkpoint", hook)
    with pytest.raises(TxnError, match=r"\.profile changed while the changes were being applied"):
        apply(s.changes(), str(s.state), description="x")
    os.chmod(s.profile, 0o640)
    s.assert_state("old")


@pytest.fixture
def scenario_root(tmp_path: Path) -> Path:
    """Where a Scenario may be built."""
    return tmp_path / "s"


NOBODY_CHILD = r"""
import json, sys
from goenv_tui.core.txn import FileChange, TxnError, apply, sha256_hex
state, paths = sys.argv[1], sys.argv[2:]
out = []
for p in paths:
    old = open(p, "rb").read()
    try:
        apply([FileChange(p, b"GOPATH=/evil\n", sha256_hex(old))], state, description="x")
        out.append("applied")
    except TxnError as exc:
        out.append(str(exc))
print(json.dumps(out))
"""


def test_unprivileged_user_cannot_replace_root_files(tmp_path: Path) -> None:
    require(os.geteuid() == 0 and shutil.which("setpriv") is not None, "root + setpriv")
    kit = Path(tempfile.mkdtemp(prefix="goenv-tui-txn-", dir="/tmp"))
    try:
        shutil.copytree(
            REPO / "goenv_tui",
            kit / "py" / "goenv_tui",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        for dirpath, dirnames, filenames in os.walk(kit):
            for d in dirnames:
                os.chmod(os.path.join(dirpath, d), 0o755)
            for f in filenames:
                os.chmod(os.path.join(dirpath, f), 0o644)
        shared = kit / "shared"  # world-writable, no sticky bit: rename WOULD succeed
        shared.mkdir()
        os.chmod(kit, 0o755)
        os.chmod(shared, 0o777)
        ro = shared / "root-0644.env"
        rw = shared / "root-0666.env"
        own = shared / "nobody.env"
        for p, mode in ((ro, 0o644), (rw, 0o666), (own, 0o644)):
            p.write_bytes(b"GOPATH=/root\n")
            os.chmod(p, mode)
        os.chown(own, NOBODY, NOBODY)
        state_parent = kit / "nobody"  # the state lives where no one else may change it
        state_parent.mkdir(mode=0o700)
        os.chown(state_parent, NOBODY, NOBODY)
        python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        out = subprocess.run(
            [
                *("setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"),
                *(
                    python,
                    "-c",
                    NOBODY_CHILD,
                    str(state_parent / "state"),
                    str(ro),
                    str(rw),
                    str(own),
                ),
            ],
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(kit / "py"), "HOME": "/nonexistent"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        require(
            out.returncode == 0 or "Permission denied" not in out.stderr, "a python nobody can run"
        )
        assert out.returncode == 0, out.stderr
        results = json.loads(out.stdout)
        assert results == [
            f"{ro} is not writable by you (permission denied); nothing was changed.",
            f"{rw} belongs to another user (uid 0) and would change owner; nothing was changed.",
            "applied",
        ]
        for p in (ro, rw):
            assert p.read_bytes() == b"GOPATH=/root\n" and os.stat(p).st_uid == 0
        assert stat.S_IMODE(os.stat(ro).st_mode) == 0o644
        assert own.read_bytes() == b"GOPATH=/evil\n" and os.stat(own).st_uid == NOBODY
        assert not [n for n in os.listdir(shared) if n.startswith(".goenv-tui-tmp-")]
        assert not os.path.exists(journal_path(str(state_parent / "state")))
    finally:
        shutil.rmtree(kit, ignore_errors=True)


def test_sha_guard_helper() -> None:
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
