"""Rolling a hot journal back: every file to its original bytes and metadata, idempotently.

Recovery runs at the start of every apply, on demand, and inside a failed apply. It can be
killed at any point and re-run: each step looks at what is on disk now. A file whose content
is neither the original nor the transaction's new content (edited by someone after a crash)
is kept aside as ``<file>.conflict`` (``.conflict.2``, ...) before the original is restored.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from dataclasses import dataclass

from goenv_tui.core.acting import Actor, state_owner
from goenv_tui.core.txn.errors import TxnError, reason, shown, state_dir_error
from goenv_tui.core.txn.faults import checkpoint
from goenv_tui.core.txn.fsio import (
    Meta,
    NotRegularFile,
    fsync_dir,
    read_snapshot,
    remove_quietly,
    remove_temps,
    write_temp,
)
from goenv_tui.core.txn.history import remove_record, remove_stale_temps
from goenv_tui.core.txn.journal import (
    Journal,
    JournalEntry,
    delete_journal,
    journal_path,
    read_journal,
    remove_stale_temp,
)
from goenv_tui.core.txn.lock import state_lock
from goenv_tui.core.txn.plan import sha256_hex
from goenv_tui.core.txn.trust import check_replay_target, check_state_dir, safe_meta


@dataclass(frozen=True)
class RecoverResult:
    """What recovery did; ``txid`` is None when there was no hot journal."""

    txid: str | None = None
    description: str = ""
    restored: tuple[str, ...] = ()  # original content put back
    removed: tuple[str, ...] = ()  # files the transaction had created, deleted again
    conflicts: tuple[tuple[str, str], ...] = ()  # (path, where its unexpected content was kept)
    temps_removed: tuple[str, ...] = ()

    @property
    def recovered(self) -> bool:
        """True when a hot journal was rolled back."""
        return self.txid is not None


#: errno values meaning "this file system has no hard links" (vfat, some FUSE mounts).
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK}


def place_new(tmp: str, dest: str) -> None:
    """Move ``tmp`` to ``dest`` without ever replacing an existing ``dest``."""
    try:
        os.link(tmp, dest)
    except OSError as exc:
        if exc.errno == errno.EEXIST:
            remove_quietly(tmp)
            raise
        if exc.errno not in _NO_HARD_LINKS:
            raise
        if os.path.lexists(dest):
            remove_quietly(tmp)
            raise FileExistsError(errno.EEXIST, "File exists", dest) from exc
        os.replace(tmp, dest)  # no hard links on this file system
        return
    os.unlink(tmp)


def _keep_aside(realpath: str, data: bytes, meta: Meta) -> str:
    """Save ``data`` as ``<realpath>.conflict[.N]`` (reusing one that already holds it)."""
    directory = os.path.dirname(realpath)
    n = 1
    while True:
        cand = realpath + (".conflict" if n == 1 else f".conflict.{n}")
        n += 1
        try:
            snap = read_snapshot(cand)
        except NotRegularFile:
            continue
        if snap is not None:
            if snap.data == data:
                return cand
            continue
        tmp = write_temp(directory, data, tag="conflict", meta=meta, owner=None)
        try:
            place_new(tmp, cand)
        except FileExistsError:
            continue
        fsync_dir(directory)
        return cand


def _restore_one(txid: str, e: JournalEntry, owner: Actor) -> tuple[str, str | None]:
    """Put one file back; returns (what was done, conflict copy or None)."""
    directory = os.path.dirname(e.realpath)
    current = read_snapshot(e.realpath)
    cur_sha = None if current is None else sha256_hex(current.data)
    conflict = None
    if e.existed:
        assert e.original is not None and e.meta is not None
        if current is not None and cur_sha == sha256_hex(e.original):
            m, want = current.meta, safe_meta(e.meta, owner)
            if (m.uid, m.gid) != (want.uid, want.gid):
                os.chown(e.realpath, want.uid, want.gid, follow_symlinks=False)
            if m.mode != want.mode or (m.uid, m.gid) != (want.uid, want.gid):
                os.chmod(e.realpath, want.mode, follow_symlinks=False)
            return "intact", None
        if current is not None and cur_sha != e.new_sha256:
            conflict = _keep_aside(e.realpath, current.data, current.meta)
        tmp = write_temp(directory, e.original, tag=txid, meta=safe_meta(e.meta, owner), owner=None)
        os.replace(tmp, e.realpath)
        fsync_dir(directory)
        return "restored", conflict
    if current is None:
        return "absent", None
    if cur_sha != e.new_sha256:
        conflict = _keep_aside(e.realpath, current.data, current.meta)
    os.unlink(e.realpath)
    fsync_dir(directory)
    return "removed", conflict


def undo(state_dir: str, journal: Journal, entries: Sequence[JournalEntry]) -> RecoverResult:
    """Restore ``entries``, clean temps, void the record, delete the journal (lock held)."""
    restored: list[str] = []
    removed: list[str] = []
    conflicts: list[tuple[str, str]] = []
    owner = state_owner(state_dir)
    for k, e in enumerate(entries, 1):
        done, conflict = _restore_one(journal.txid, e, owner)
        if done == "restored":
            restored.append(e.path)
        elif done == "removed":
            removed.append(e.path)
        if conflict is not None:
            conflicts.append((e.path, conflict))
        checkpoint("recover.file-restored", k)
    temps: list[str] = []
    for directory in sorted({os.path.dirname(e.realpath) for e in journal.entries}):
        temps.extend(remove_temps(directory))
    checkpoint("recover.temps-removed")
    remove_record(state_dir, journal.txid)
    checkpoint("recover.history-removed")
    checkpoint("recover.before-journal-delete")
    delete_journal(state_dir)
    checkpoint("recover.journal-deleted")
    return RecoverResult(
        journal.txid,
        journal.description,
        tuple(restored),
        tuple(removed),
        tuple(conflicts),
        tuple(temps),
    )


def recover_locked(state_dir: str) -> RecoverResult:
    """Roll back a hot journal, if any (the caller holds the state lock)."""
    try:
        remove_stale_temp(state_dir)
        remove_stale_temps(state_dir)
        journal = read_journal(state_dir)
    except OSError as exc:
        raise state_dir_error(state_dir, exc) from exc
    except ValueError as exc:
        path = journal_path(state_dir)
        raise TxnError(
            f"The journal {shown(path)} cannot be read ({exc}); it was kept: restore the files "
            "it names by hand, then delete it.",
            (path,),
        ) from exc
    if journal is None:
        return RecoverResult()
    owner = state_owner(state_dir)
    for entry in journal.entries:
        check_replay_target(entry.realpath, owner)
    checkpoint("recover.journal-read")
    try:
        return undo(state_dir, journal, journal.entries)
    except (OSError, NotRegularFile) as exc:
        raise TxnError(
            f"Could not roll back the interrupted change {journal.description!r} "
            f"({_what(exc)}); its journal is kept and recovery will be retried.",
            tuple(e.path for e in journal.entries),
        ) from exc


def _what(exc: OSError | NotRegularFile) -> str:
    if isinstance(exc, NotRegularFile):
        return f"{shown(str(exc))} is no longer a regular file"
    where = f"{shown(str(exc.filename))}: " if exc.filename else ""
    return where + reason(exc)


def recover(state_dir: str) -> RecoverResult:
    """Roll back an interrupted transaction, if any. Idempotent; safe to kill and re-run."""
    if not check_state_dir(state_dir):
        return RecoverResult()
    with state_lock(state_dir):
        return recover_locked(state_dir)
