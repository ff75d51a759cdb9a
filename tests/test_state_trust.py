"""State is trusted only when it is provably ours: planted journals, symlinked or shared state."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from goenv_tui.core.txn.fsio import Meta
from goenv_tui.core.txn.history import TxFile, TxRecord, write_record
from goenv_tui.core.txn.journal import Journal, JournalEntry, dumps

from .conftest import NOBODY, REPO, Sandbox, require

pytestmark = pytest.mark.root


@pytest.fixture
def user_home() -> Iterator[Path]:
    """A HOME owned by uid 65534 under a 0755 folder that user may not write."""
    require(os.geteuid() == 0, "root")
    root = Path(tempfile.mkdtemp(prefix="goenv-tui-trust-", dir="/tmp"))
    root.chmod(0o755)
    home = root / "home"
    home.mkdir(mode=0o755)
    os.chown(home, NOBODY, NOBODY)
    try:
        yield home
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _env(home: Path, state: Path, sudo: bool) -> dict[str, str]:
    env = {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "SHELL": "/bin/sh",
        "PYTHONPATH": str(REPO),
        "GOENV_TUI_STATE_DIR": str(state),
    }
    if sudo:
        env |= {"SUDO_UID": str(NOBODY), "SUDO_GID": str(NOBODY), "SUDO_USER": "nobody"}
    return env


def _run(
    env: dict[str, str], *args: str, as_nobody: bool = False, root_home: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run goenv-tui; ``root_home`` is bind-mounted over /root in a private mount namespace
    (root's own state lands there, never in the real /root)."""
    argv = [sys.executable, "-m", "goenv_tui", *args]
    if as_nobody:
        argv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *argv]
    if root_home is not None:
        require(pwd.getpwuid(0).pw_dir == "/root", "root's HOME is /root")
        mounts = ["mount --make-rprivate /"]
        python_home = os.path.realpath(sys.base_prefix)
        if python_home.startswith("/root/"):  # e.g. pyenv: keep this python visible
            inner = root_home / os.path.relpath(python_home, "/root")
            inner.mkdir(parents=True, exist_ok=True)
            mounts.append(f"mount --bind {python_home} {inner}")
        mounts += [f"mount --rbind {root_home} /root", 'exec "$@"']
        argv = ["unshare", "-m", "--", "sh", "-c", " && ".join(mounts), "sh", *argv]
    return subprocess.run(
        argv,
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def _plant(state: Path, entries: list[JournalEntry], owner: int) -> Path:
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chown(state, owner, owner)
    journal = state / "journal.json"
    journal.write_bytes(
        dumps(Journal("tx-planted", "2026-01-01T00:00:00Z", "planted", tuple(entries)))
    )
    journal.chmod(0o600)
    os.chown(journal, owner, owner)
    return journal


def test_a_planted_journal_cannot_make_root_write_for_a_user(user_home: Path) -> None:
    """Root with the user's HOME and SUDO_*: a journal the user planted touches no root file."""
    victim = user_home.parent / "root-owned.conf"
    victim.write_text("root's own\n")
    victim.chmod(0o644)
    shell_copy = user_home.parent / "rootshell"
    state = user_home / ".local" / "state" / "goenv-tui"
    entries = [
        JournalEntry(str(victim), str(victim), True, b"owned\n", Meta(0o644, 0, 0), None),
        JournalEntry(
            str(shell_copy), str(shell_copy), True, b"#!/bin/sh\n", Meta(0o4755, 0, 0), None
        ),
    ]
    journal = _plant(state, entries, NOBODY)
    done = _run(_env(user_home, state, sudo=True), "show", "GOPATH")
    assert done.returncode == 2, done.stderr
    assert "not replayed" in done.stderr and "Traceback" not in done.stderr
    assert victim.read_text() == "root's own\n"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert not shell_copy.exists()
    assert journal.exists()  # kept for the user to look at, never replayed


def test_a_journal_replay_never_creates_setid_or_foreign_files(user_home: Path) -> None:
    """Onto the user's own file the replay runs, but with the user's owner and no setid bit."""
    target = user_home / "tool"
    target.write_text("new\n")
    os.chown(target, NOBODY, NOBODY)
    state = user_home / ".local" / "state" / "goenv-tui"
    _plant(
        state,
        [JournalEntry(str(target), str(target), True, b"old\n", Meta(0o6755, 0, 0), None)],
        NOBODY,
    )
    done = _run(_env(user_home, state, sudo=True), "recover")
    assert done.returncode == 0, done.stderr
    st = target.stat()
    assert target.read_text() == "old\n"
    assert st.st_uid == NOBODY
    assert not st.st_mode & (stat.S_ISUID | stat.S_ISGID)


def test_a_shared_state_dir_is_refused_between_users(user_home: Path) -> None:
    """A world-writable state dir holding another user's journal: refused, nothing replayed."""
    keys = user_home / ".ssh" / "authorized_keys"
    keys.parent.mkdir()
    keys.write_text("ssh-ed25519 AAAA mine\n")
    for p in (keys.parent, keys):
        os.chown(p, NOBODY, NOBODY)
    shared = user_home.parent / "shared-state"
    _plant(
        shared,
        [
            JournalEntry(
                str(keys),
                str(keys),
                True,
                b"ssh-ed25519 AAAA attacker\n",
                Meta(0o600, NOBODY, NOBODY),
                None,
            )
        ],
        0,
    )
    shared.chmod(0o777)
    done = _run(_env(user_home, shared, sudo=False), "show", "GOPATH", as_nobody=True)
    assert done.returncode == 2, done.stderr
    assert "does not trust" in done.stderr
    assert keys.read_text() == "ssh-ed25519 AAAA mine\n"


@pytest.mark.parametrize(
    "command", [["snapshot", "-o", "-"], ["history"], ["stage", "list"], ["apply", "--yes"]]
)
def test_a_symlinked_state_dir_is_refused_and_not_chmodded(
    sandbox: Sandbox, command: list[str]
) -> None:
    target = sandbox.root / "elsewhere"
    target.mkdir(mode=0o755)
    target.chmod(0o755)
    (target / "journal.json").write_text("{}")
    link = sandbox.root / "state-link"
    link.symlink_to(target)
    env = dict(sandbox.env, GOENV_TUI_STATE_DIR=str(link))
    done = sandbox.goenv_tui(*command, env=env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "symbolic link" in done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert (target / "journal.json").read_text() == "{}"


def test_snapshot_output_never_writes_through_a_symlink(sandbox: Sandbox) -> None:
    other = sandbox.root / "someone-elses"
    other.write_text("keep me\n")
    out = sandbox.root / "snap.toml"
    out.symlink_to(other)
    done = sandbox.goenv_tui("snapshot", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert other.read_text() == "keep me\n"
    assert out.is_file() and not out.is_symlink()
    assert [p.name for p in sandbox.root.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("swap", ["symlink", "renamed-over"])
def test_apply_refuses_a_target_swapped_since_the_preview(sandbox: Sandbox, swap: str) -> None:
    """Same bytes, another file: a staged apply changes nothing when the target was swapped."""
    env_file = sandbox.write(".config/go/env", "GOFLAGS=-mod=mod\n")
    assert sandbox.goenv_tui("stage", "set", "GOPATH=/srv/go", "--to", "goenv").returncode == 0
    assert sandbox.goenv_tui("preview").returncode == 0
    other = sandbox.root / "other-file"
    other.write_text("GOFLAGS=-mod=mod\n")  # identical content: only the identity differs
    if swap == "symlink":
        env_file.unlink()
        env_file.symlink_to(other)
    else:
        os.replace(other, env_file)
        other.write_text("GOFLAGS=-mod=mod\n")
    out = sandbox.goenv_tui("apply", "--yes")
    assert out.returncode == 2, out.stdout + out.stderr
    assert "changed since goenv-tui preview" in out.stderr
    assert other.read_text() == "GOFLAGS=-mod=mod\n"
    assert env_file.read_text() == "GOFLAGS=-mod=mod\n"


def test_apply_refuses_a_symlink_swap_after_an_in_process_preview(sandbox: Sandbox) -> None:
    """The TUI's path: a preview held in memory, then apply under the lock re-checks."""
    from goenv_tui.core.txn.apply import apply
    from goenv_tui.core.txn.errors import TxnError
    from goenv_tui.core.txn.identity import target_identity
    from goenv_tui.core.txn.plan import FileChange

    target = sandbox.write(".bashrc", "export GOPATH=/a\n")
    change = FileChange.from_preview(
        str(target), b"export GOPATH=/a\n", b"export GOPATH=/b\n", target_identity(str(target))
    )
    other = sandbox.root / "victim"
    other.write_text("export GOPATH=/a\n")
    target.unlink()
    target.symlink_to(other)
    with pytest.raises(TxnError, match="replaced since the preview"):
        apply([change], str(sandbox.state), description="test")
    assert other.read_text() == "export GOPATH=/a\n"


def test_root_for_a_user_runs_their_startup_files_and_go_as_them(
    user_home: Path, nobody_kit: dict[str, str]
) -> None:
    """sudo goenv-tui with the user's HOME: the trace and go run as the user; HOME gains
    nothing of root's (no root-owned ~/.cache, ~/.config/go)."""
    gobin = Path(nobody_kit["go"]).parent
    marker = user_home.parent / "who"
    marker.touch()
    os.chown(marker, NOBODY, NOBODY)
    (user_home / ".profile").write_text(
        f"export PATH={gobin}:$PATH\nid -u > {marker}\nexport GOPATH=/srv/gp\n"
    )
    os.chown(user_home / ".profile", NOBODY, NOBODY)
    env = _env(user_home, user_home / ".local" / "state" / "goenv-tui", sudo=True)
    env |= {"PATH": f"{gobin}:/usr/bin:/bin", "SHELL": "/bin/bash", "GOTOOLCHAIN": "local"}
    env.pop("GOENV_TUI_STATE_DIR")
    root_home = user_home.parent / "root-home"
    root_home.mkdir(mode=0o700)
    for args in (["show", "--json", "GOPATH"], ["snapshot", "-o", "-"], ["doctor"]):
        done = _run(env, *args, root_home=root_home)
        assert done.returncode in (0, 1), done.stderr
        assert marker.read_text().strip() == str(NOBODY), args
    assert '"/srv/gp"' in _run(env, "show", "--json", "GOPATH", root_home=root_home).stdout
    root_owned = [
        str(Path(folder, name))
        for folder, dirs, files in os.walk(user_home)
        for name in (*dirs, *files)
        if os.lstat(Path(folder, name)).st_uid != NOBODY
    ]
    assert root_owned == []
    assert (user_home / ".cache").exists()  # the caches were written, as the user


def test_root_for_a_user_never_reads_a_startup_file_the_user_cannot(
    user_home: Path, nobody_kit: dict[str, str]
) -> None:
    """An unreadable ~/.bash_profile is what bash picks and skips ("Permission denied"): it
    is not listed as read, its contents are not parsed, and ~/.profile stays unread."""
    gobin = Path(nobody_kit["go"]).parent
    hidden = user_home / ".bash_profile"
    hidden.write_text("export GOPATH=/srv/secret\n")
    os.chown(hidden, NOBODY, NOBODY)
    hidden.chmod(0o000)
    (user_home / ".profile").write_text("export GOPATH=/srv/profile\n")
    env = _env(user_home, user_home.parent / "state", sudo=True)
    env |= {"PATH": f"{gobin}:/usr/bin:/bin", "SHELL": "/bin/bash", "GOTOOLCHAIN": "local"}
    done = _run(env, "show", "--json", "GOPATH")
    assert done.returncode == 0, done.stderr
    assert "/srv/secret" not in done.stdout
    shell = json.loads(done.stdout)["shell"]
    assert str(hidden) not in shell["files_read"]
    assert "cannot be read by this user" in shell["error"]
    startup = [
        e
        for e in json.loads(done.stdout)["variables"]["GOPATH"]["chain"]
        if e["layer"] == "startup" and e["state"] != "not-run"
    ]
    assert startup == []


def test_root_for_a_user_keeps_its_journal_and_history_out_of_their_home(
    user_home: Path, nobody_kit: dict[str, str]
) -> None:
    """sudo goenv-tui set: the user's file is changed (still theirs), root's journal and
    history are root's, in root's HOME; a journal the user planted in their own state dir is
    never read by root; `sudo goenv-tui rollback` undoes the change from root's history."""
    gobin = Path(nobody_kit["go"]).parent
    profile = user_home / ".profile"
    profile.write_text(f"export PATH={gobin}:$PATH\n")
    os.chown(profile, NOBODY, NOBODY)
    victim = user_home.parent / "root-owned.conf"
    victim.write_text("root's own\n")
    planted = _plant(
        user_home / ".local" / "state" / "goenv-tui",
        [JournalEntry(str(victim), str(victim), True, b"owned\n", Meta(0o644, 0, 0), None)],
        NOBODY,
    )
    root_home = user_home.parent / "root-home"
    root_home.mkdir(mode=0o700)
    env = _env(user_home, user_home.parent / "unused", sudo=True)
    env.pop("GOENV_TUI_STATE_DIR")
    env |= {"PATH": f"{gobin}:/usr/bin:/bin", "SHELL": "/bin/bash", "GOTOOLCHAIN": "local"}
    done = _run(
        env, "set", "GOPATH=/srv/new", "--to", f"startup:{profile}", "--yes", root_home=root_home
    )
    assert done.returncode == 0, done.stderr
    assert "GOPATH=/srv/new" in profile.read_text()
    assert (profile.stat().st_uid, profile.stat().st_gid) == (NOBODY, NOBODY)
    assert victim.read_text() == "root's own\n" and planted.exists()
    root_state = root_home / ".local" / "state" / "goenv-tui"
    owners = {
        os.lstat(Path(d, n)).st_uid
        for d, dirs, files in os.walk(root_state)
        for n in (*dirs, *files)
    }
    assert root_state.is_dir() and owners == {0}
    assert not any((user_home / ".local" / "state" / "goenv-tui").glob("history*"))
    done = _run(env, "rollback", "--yes", root_home=root_home)
    assert done.returncode == 0, done.stderr
    assert "GOPATH" not in profile.read_text()


def test_a_planted_history_record_cannot_make_root_roll_back_a_root_file(
    user_home: Path,
) -> None:
    """A history record in a user's state names a root-owned file: root's rollback (with
    that state) refuses it, in the preview and in the rollback, and writes nothing."""
    victim = user_home.parent / "root-owned.conf"
    victim.write_text("root's own\n")
    victim.chmod(0o644)
    state = user_home / ".local" / "state" / "goenv-tui"
    state.mkdir(parents=True, mode=0o700)
    record = TxRecord(
        "tx-planted",
        "2026-01-01T00:00:00Z",
        "planted",
        (TxFile(str(victim), str(victim), True, b"owned\n", None),),
    )
    write_record(str(state), record, owner=(NOBODY, NOBODY))
    for folder, dirs, files in os.walk(user_home):
        for name in (*dirs, *files):
            os.chown(Path(folder, name), NOBODY, NOBODY)
    done = _run(_env(user_home, state, sudo=True), "rollback", "--yes")
    assert done.returncode == 2, done.stderr
    assert "The history names" in done.stderr and "Traceback" not in done.stderr
    assert victim.read_text() == "root's own\n"


@pytest.mark.parametrize("how", ["world-writable", "another user's"])
def test_a_state_dir_in_a_folder_others_may_change_is_refused(user_home: Path, how: str) -> None:
    """Another user who may rename a folder above the state dir could swap the state: the
    command refuses with one sentence naming that folder, and changes nothing."""
    shared = user_home.parent / "shared"
    shared.mkdir()
    if how == "world-writable":
        shared.chmod(0o777)
    else:
        os.chown(shared, NOBODY, NOBODY)
    state = shared / "state"
    victim = shared / "file"
    victim.write_text("now\n")
    journal = _plant(
        state, [JournalEntry(str(victim), str(victim), True, b"old\n", Meta(0o644, 0, 0), None)], 0
    )
    env = _env(user_home.parent / "roots-home", state, sudo=False)
    for args in (["show", "GOPATH"], ["history"]):
        done = _run(env, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert str(shared) in done.stderr and "others may change" in done.stderr
        assert "Traceback" not in done.stderr
    assert victim.read_text() == "now\n" and journal.exists()


def test_root_for_a_user_never_shows_a_file_the_user_may_not_read(
    user_home: Path, nobody_kit: dict[str, str]
) -> None:
    """A telemetry mode file that is a link to a root-only file: root acting for the user
    (SUDO_UID) does not read it for them, so its first word is never shown."""
    secret = user_home.parent / "root-only"
    secret.write_text("s3cr3t-first-word rest\n")
    secret.chmod(0o600)
    mode = user_home / ".config" / "go" / "telemetry" / "mode"
    mode.parent.mkdir(parents=True)
    mode.symlink_to(secret)
    env = _env(user_home, user_home / "state", sudo=True)
    env["PATH"] = f"{os.path.dirname(nobody_kit['go'])}:{env['PATH']}"  # a go the user can run
    out = _run(env, "show", "--json", "GOTELEMETRY")
    assert out.returncode == 0, out.stderr
    assert "s3cr3t" not in out.stdout + out.stderr
