"""apply(): write-through symlinks, metadata, preview guards, refusals, private state files."""

from __future__ import annotations

import fcntl
import importlib
import os
import stat
from pathlib import Path

import pytest

from goenv_tui.core.txn import FileChange, TxnError, apply, history, sha256_hex
from goenv_tui.core.txn.journal import journal_path, read_journal

from .test_txn_scenario import KILLED, Scenario, scenario

__all__ = ["scenario"]

# The package exports the function `apply`, which hides the submodule of the same name.
apply_module = importlib.import_module("goenv_tui.core.txn.apply")


def _mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_apply_writes_through_the_symlink_and_keeps_metadata(scenario: Scenario) -> None:
    result = apply(scenario.changes(), str(scenario.state), description="three files")
    scenario.assert_state("new")
    assert result.txid is not None
    assert result.written == tuple(str(p) for p in scenario.old)
    assert result.created == (str(scenario.goenv),)
    assert _mode(scenario.goenv) == 0o644 & ~_umask()


def _umask() -> int:
    old = os.umask(0)
    os.umask(old)
    return old


def test_nothing_to_do_writes_nothing(scenario: Scenario) -> None:
    same = [FileChange.from_preview(str(p), scenario.old[p], scenario.old[p]) for p in scenario.old]
    result = apply(same, str(scenario.state), description="no-op")
    assert result.txid is None and len(result.unchanged) == 3
    assert history(str(scenario.state)) == []
    scenario.assert_state("old")


def test_delete_and_create(tmp_path: Path) -> None:
    doomed = tmp_path / "doomed"
    doomed.write_bytes(b"x")
    born = tmp_path / "born"
    apply(
        [FileChange.from_preview(str(doomed), b"x", None), FileChange(str(born), b"y", None)],
        str(tmp_path / "state"),
        description="swap",
    )
    assert not doomed.exists() and born.read_bytes() == b"y"


@pytest.mark.parametrize("edit", ["content", "same-size-same-mtime", "created", "deleted"])
def test_concurrent_edit_between_preview_and_apply_changes_nothing(
    scenario: Scenario, edit: str
) -> None:
    changes = scenario.changes()  # the preview
    if edit == "content":
        scenario.profile.write_bytes(b"export EDITOR=vim\n")
        victim = scenario.profile
    elif edit == "same-size-same-mtime":
        st = scenario.bashrc_real.stat()
        data = scenario.bashrc_real.read_bytes()
        scenario.bashrc_real.write_bytes(data.replace(b"A=1", b"A=9"))
        os.utime(scenario.bashrc_real, ns=(st.st_atime_ns, st.st_mtime_ns))
        victim = scenario.bashrc
    elif edit == "created":
        scenario.goenv.write_bytes(b"GOFLAGS=-v\n")
        victim = scenario.goenv
    else:
        scenario.profile.unlink()
        victim = scenario.profile
    snapshot = {p: scenario.content(p) for p in scenario.old}
    with pytest.raises(TxnError) as err:
        apply(changes, str(scenario.state), description="stale preview")
    message = str(err.value)
    assert victim.name in message and "after the preview" in message
    assert "nothing was changed" in message
    assert {p: scenario.content(p) for p in scenario.old} == snapshot
    assert scenario.temps() == [] and history(str(scenario.state)) == []
    assert not os.path.exists(journal_path(str(scenario.state)))


def test_edit_during_apply_aborts_and_keeps_the_edit(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone rewrites .profile after the preflight, before its replace: abort, keep theirs."""

    def intruder(name: str, k: int | None = None) -> None:
        if (name, k) == ("apply.file-replaced", 1):
            scenario.profile.write_bytes(b"theirs\n")

    monkeypatch.setattr(apply_module, "checkpoint", intruder)
    with pytest.raises(TxnError, match=r"\.profile changed while the changes were being applied"):
        apply(scenario.changes(), str(scenario.state), description="race")
    assert scenario.profile.read_bytes() == b"theirs\n"
    assert scenario.content(scenario.bashrc) == scenario.old[scenario.bashrc]
    assert not scenario.goenv.exists() and scenario.temps() == []
    assert not os.path.exists(journal_path(str(scenario.state)))


def test_hard_linked_target_is_refused(scenario: Scenario) -> None:
    os.link(scenario.profile, scenario.home / "profile.bak")
    with pytest.raises(TxnError, match=r"\.profile has 2 hard links.*nothing was changed"):
        apply(scenario.changes(), str(scenario.state), description="x")
    scenario.assert_state("old")
    assert os.stat(scenario.profile).st_nlink == 2


def test_same_file_twice_is_refused(scenario: Scenario) -> None:
    a = FileChange.from_preview(str(scenario.bashrc), scenario.old[scenario.bashrc], b"1")
    b = FileChange.from_preview(str(scenario.bashrc_real), scenario.old[scenario.bashrc], b"2")
    with pytest.raises(TxnError, match="are the same file"):
        apply([a, b], str(scenario.state), description="x")
    scenario.assert_state("old")


def test_missing_folder_and_non_regular_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TxnError, match="does not exist"):
        apply(
            [FileChange(str(tmp_path / "no" / "f"), b"x", None)],
            str(tmp_path / "s"),
            description="x",
        )
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(TxnError, match="is not a regular file"):
        apply(
            [FileChange(str(tmp_path / "fifo"), b"x", "0" * 64)],
            str(tmp_path / "s"),
            description="x",
        )


def test_state_journal_and_history_are_private(scenario: Scenario) -> None:
    scenario.state.mkdir(mode=0o755)
    os.chmod(scenario.state, 0o755)
    assert scenario.apply_child("apply.journal-written").returncode == KILLED
    journal = journal_path(str(scenario.state))
    assert _mode(scenario.state) == 0o700 and _mode(journal) == 0o600
    hot = read_journal(str(scenario.state))
    assert hot is not None and hot.entries[2].existed is False
    assert hot.entries[1].original == scenario.old[scenario.profile]
    assert hot.entries[0].realpath == str(scenario.bashrc_real)
    assert hot.entries[1].meta is not None and hot.entries[1].meta.mode == 0o640
    apply(scenario.changes(), str(scenario.state), description="again")
    records = list((scenario.state / "history").iterdir())
    assert len(records) == 1 and _mode(records[0]) == 0o600
    assert _mode(scenario.state / "history") == 0o700
    assert _mode(scenario.state / "lock") == 0o600


def test_lock_held_by_another_process_refuses(scenario: Scenario) -> None:
    scenario.state.mkdir(mode=0o700)
    fd = os.open(scenario.state / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(TxnError, match="Another goenv-tui is applying changes"):
            apply(scenario.changes(), str(scenario.state), description="x", lock_timeout=0.1)
    finally:
        os.close(fd)
    scenario.assert_state("old")


def test_unreadable_journal_is_kept_and_refused(scenario: Scenario) -> None:
    scenario.state.mkdir(mode=0o700)
    Path(journal_path(str(scenario.state))).write_bytes(b"{not json")
    with pytest.raises(TxnError, match=r"cannot be read.*it was kept"):
        apply(scenario.changes(), str(scenario.state), description="x")
    assert Path(journal_path(str(scenario.state))).read_bytes() == b"{not json"
    assert scenario.content(scenario.profile) == scenario.old[scenario.profile]


def test_bytes_are_written_exactly(tmp_path: Path) -> None:
    f = tmp_path / "f"
    raw = b"\xef\xbb\xbfa\r\nb\rc\n\n\xff\xfe no final newline"
    f.write_bytes(b"old")
    apply([FileChange(str(f), raw, sha256_hex(b"old"))], str(tmp_path / "s"), description="x")
    assert f.read_bytes() == raw
