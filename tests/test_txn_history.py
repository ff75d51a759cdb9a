"""history() and rollback(): originals kept, rollback journaled, refused when files changed."""

from __future__ import annotations

import importlib
import os
import stat
from pathlib import Path

import pytest

from goenv_tui.core.txn import FileChange, TxnError, apply, history, recover, rollback, sha256_hex

from .conftest import require
from .test_txn_scenario import KILLED, Scenario, scenario

__all__ = ["scenario"]

NOBODY = 65534

ROLLBACK_CHILD = """
import sys
from goenv_tui.core.txn import rollback
rollback(sys.argv[1])
"""


def test_history_keeps_originals_and_rollback_restores_them(scenario: Scenario) -> None:
    state = str(scenario.state)
    first = apply(scenario.changes(), state, description="go setup")
    (rec,) = history(state)
    assert (rec.txid, rec.description, rec.rollback_of) == (first.txid, "go setup", None)
    by_path = {f.path: f for f in rec.files}
    bashrc = by_path[str(scenario.bashrc)]
    assert bashrc.realpath == str(scenario.bashrc_real) and bashrc.existed
    assert bashrc.original == scenario.old[scenario.bashrc]
    assert bashrc.new_sha256 == sha256_hex(scenario.new[scenario.bashrc] or b"")
    assert by_path[str(scenario.goenv)].existed is False

    undone = rollback(state)
    scenario.assert_state("old")
    assert undone.deleted == (str(scenario.goenv),)
    records = history(state)
    assert [r.rollback_of for r in records] == [None, first.txid]
    assert records[1].description == "Roll back: go setup"

    with pytest.raises(TxnError, match="rolled back already"):
        rollback(state)  # a bare rollback steps back: nothing is in effect any more
    rollback(state, records[1].txid)  # the rollback's own id re-applies
    scenario.assert_state("new")
    rollback(state)  # and now the re-applied change is the one in effect
    scenario.assert_state("old")
    assert rollback(state, first.txid).txid is None  # already original: nothing to do


def test_rollback_refuses_when_a_file_changed_since_unless_forced(scenario: Scenario) -> None:
    state = str(scenario.state)
    txid = apply(scenario.changes(), state, description="go setup").txid
    scenario.profile.write_bytes(b"edited since\n")
    with pytest.raises(TxnError) as err:
        rollback(state)
    assert str(err.value) == (
        f"Nothing was rolled back: {scenario.profile} changed since 'go setup' was applied "
        f"(`goenv-tui rollback {txid} --force` overwrites those changes)."
    )
    assert err.value.paths == (str(scenario.profile),)
    assert scenario.profile.read_bytes() == b"edited since\n"
    assert scenario.content(scenario.goenv) == scenario.new[scenario.goenv]
    assert len(history(state)) == 1
    rollback(state, force=True)
    scenario.assert_state("old")


def test_rollback_is_itself_a_journaled_transaction(scenario: Scenario) -> None:
    state = str(scenario.state)
    apply(scenario.changes(), state, description="go setup")
    out = scenario.run(ROLLBACK_CHILD, "apply.file-replaced:2", state)
    assert out.returncode == KILLED, out.stderr
    assert recover(state).recovered
    scenario.assert_state("new")  # the half-done rollback is undone
    assert len(history(state)) == 1
    assert scenario.run(ROLLBACK_CHILD, None, state).returncode == 0
    scenario.assert_state("old")


def test_rollback_without_history_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TxnError, match="nothing to roll back"):
        rollback(str(tmp_path / "state"))
    (tmp_path / "state").mkdir()
    with pytest.raises(TxnError, match="nothing to roll back"):
        rollback(str(tmp_path / "state"))
    apply([FileChange(str(tmp_path / "f"), b"x", None)], str(tmp_path / "state"), description="x")
    with pytest.raises(TxnError, match="No applied change has the id nope"):
        rollback(str(tmp_path / "state"), "nope")


def test_history_is_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.import_module("goenv_tui.core.txn.history"), "KEEP", 3)
    f = tmp_path / "f"
    old: bytes | None = None
    for i in range(5):
        new = f"v{i}\n".encode()
        apply([FileChange.from_preview(str(f), old, new)], str(tmp_path / "s"), description=f"{i}")
        old = new
    assert [r.description for r in history(str(tmp_path / "s"))] == ["2", "3", "4"]


def test_root_keeps_a_users_ownership_and_creates_files_as_the_folder_owner(
    tmp_path: Path,
) -> None:
    require(os.geteuid() == 0, "root")
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, NOBODY, NOBODY)
    existing = home / ".profile"
    existing.write_bytes(b"old\n")
    os.chown(existing, NOBODY, NOBODY)
    existing.chmod(0o4750)  # set-id bits survive only if fchmod comes after fchown
    created = home / ".bashrc"
    apply(
        [
            FileChange.from_preview(str(existing), b"old\n", b"new\n"),
            FileChange(str(created), b"x\n", None),
        ],
        str(tmp_path / "state"),
        description="as root",
    )
    st = existing.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (NOBODY, NOBODY, 0o4750)
    assert existing.read_bytes() == b"new\n"
    assert (created.stat().st_uid, created.stat().st_gid) == (NOBODY, NOBODY)


def test_sudo_creates_files_in_the_users_home_as_that_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require(os.geteuid() == 0, "root")
    home = tmp_path / "home"
    (home / ".config" / "go").mkdir(parents=True)  # root-owned, as if made by an earlier sudo
    elsewhere = tmp_path / "etc"
    elsewhere.mkdir()
    monkeypatch.setenv("SUDO_UID", str(NOBODY))
    monkeypatch.setenv("SUDO_GID", str(NOBODY))
    os.chown(home, NOBODY, NOBODY)
    monkeypatch.setenv("HOME", str(home))  # sudo -E / sudo keeping HOME: the user's home
    env_file = home / ".config" / "go" / "env"
    profile_d = elsewhere / "go.sh"
    apply(
        [FileChange(str(env_file), b"GOPATH=/x\n", None), FileChange(str(profile_d), b"y\n", None)],
        str(tmp_path / "state"),
        description="sudo",
    )
    assert (env_file.stat().st_uid, env_file.stat().st_gid) == (NOBODY, NOBODY)
    assert profile_d.stat().st_uid == 0
