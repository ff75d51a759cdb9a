"""Apply several file edits as ONE all-or-nothing transaction (SQLite's rollback journal).

Protocol: lock, recover, preflight every target against its preview hash, write the journal
(HOT), write every temp file beside its target, replace the targets one by one (symlinks are
written through; mode, owner and xattrs carried over), write the history record, delete the
journal (COMMIT). Any error before the commit rolls back what was replaced and raises
:class:`TxnError`; a kill is rolled back by the next :func:`recover`.

Hard links (``st_nlink > 1``) are refused: replacing the file would split the links, and an
in-place rewrite could not be atomic for readers.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from goenv_tui.core.txn.errors import TxnError, reason, shown
from goenv_tui.core.txn.faults import checkpoint
from goenv_tui.core.txn.fsio import (
    NotRegularFile,
    Snapshot,
    fsync_dir,
    identity,
    read_snapshot,
    remove_quietly,
    write_temp,
)
from goenv_tui.core.txn.history import prune, record_from_journal, write_record
from goenv_tui.core.txn.identity import target_identity
from goenv_tui.core.txn.journal import (
    Journal,
    JournalEntry,
    journal_path,
    remove_stale_temp,
    write_journal,
)
from goenv_tui.core.txn.lock import ensure_state_dir, state_lock
from goenv_tui.core.txn.ownership import new_file_owner
from goenv_tui.core.txn.plan import FileChange, sha256_hex
from goenv_tui.core.txn.recover import RecoverResult, place_new, recover_locked, undo


@dataclass(frozen=True)
class ApplyResult:
    """A committed transaction (``txid`` None when every file already had its new content)."""

    txid: str | None
    description: str
    written: tuple[str, ...] = ()  # paths given new content (created ones included)
    created: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()  # already as wanted: not touched
    recovered: RecoverResult = field(
        default_factory=RecoverResult
    )  # an earlier interrupted change rolled back first
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Target:
    change: FileChange
    path: str
    realpath: str
    snap: Snapshot | None
    owner: tuple[int, int] | None  # for a file to be created

    @property
    def name(self) -> str:
        if self.realpath == self.path:
            return shown(self.path)
        return f"{shown(self.path)} (→ {shown(self.realpath)})"

    @property
    def needs_write(self) -> bool:
        old = None if self.snap is None else self.snap.data
        return old != self.change.new


class _ChangedDuringApply(Exception):
    def __init__(self, target: _Target) -> None:
        super().__init__(target.path)
        self.target = target


def _refuse(target: _Target, why: str) -> TxnError:
    return TxnError(f"{target.name} {why}; nothing was changed.", (target.path,))


def _in_group(gid: int) -> bool:
    return gid == os.getegid() or gid in os.getgroups()


def _preflight(change: FileChange) -> _Target:
    """Check one target under the lock; TxnError (one sentence) when it must not be written."""
    path = os.path.abspath(change.path)
    real = os.path.realpath(path)
    t = _Target(change, path, real, None, None)
    if change.expected_identity is not None and target_identity(path) != change.expected_identity:
        raise _refuse(
            t,
            "was replaced since the preview (a different file, link or target); "
            "review the changes again",
        )
    try:
        snap = read_snapshot(real)
    except NotRegularFile:
        raise _refuse(t, "is not a regular file") from None
    except OSError as exc:
        raise _refuse(t, f"cannot be read ({reason(exc)})") from exc
    t = _Target(change, path, real, snap, None)
    if change.expected_sha256 is None and snap is not None:
        raise _refuse(t, "was created after the preview; review the changes again")
    if change.expected_sha256 is not None and snap is None:
        raise _refuse(t, "was deleted after the preview; review the changes again")
    if snap is not None and sha256_hex(snap.data) != change.expected_sha256:
        raise _refuse(t, "changed after the preview; review the changes again")
    if not t.needs_write:
        return t
    if snap is not None and snap.nlink > 1:
        raise _refuse(
            t, f"has {snap.nlink} hard links and replacing it would split them (edit it by hand)"
        )
    directory = os.path.dirname(real)
    if not os.path.isdir(directory):
        raise _refuse(t, f"cannot be created: the folder {shown(directory)} does not exist")
    if os.statvfs(directory).f_flag & os.ST_RDONLY:
        raise _refuse(t, "is on a read-only file system")
    if snap is not None and snap.immutable:
        raise _refuse(t, "is immutable or append-only (chattr +i/+a; remove that with chattr -i)")
    euid = os.geteuid()
    if snap is not None and euid != 0:
        if not os.access(real, os.W_OK, effective_ids=os.access in os.supports_effective_ids):
            raise _refuse(t, "is not writable by you (permission denied)")
        if snap.meta.uid != euid:
            raise _refuse(
                t, f"belongs to another user (uid {snap.meta.uid}) and would change owner"
            )
        if not _in_group(snap.meta.gid):
            raise _refuse(t, f"has a group you are not in (gid {snap.meta.gid}) and would lose it")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise _refuse(
            t, f"cannot be replaced safely: no permission to create files in {shown(directory)}"
        )
    owner = new_file_owner(directory) if snap is None else None
    return _Target(change, path, real, snap, owner)


def _preflight_all(changes: Sequence[FileChange]) -> list[_Target]:
    targets = [_preflight(c) for c in changes]
    seen: dict[str, _Target] = {}
    for t in targets:
        other = seen.setdefault(t.realpath, t)
        if other is not t:
            raise TxnError(
                f"{other.name} and {t.name} are the same file; nothing was changed.",
                (other.path, t.path),
            )
    return targets


def _entry(t: _Target) -> JournalEntry:
    new_sha = None if t.change.new is None else sha256_hex(t.change.new)
    if t.snap is None:
        return JournalEntry(t.path, t.realpath, False, None, None, new_sha)
    return JournalEntry(t.path, t.realpath, True, t.snap.data, t.snap.meta, new_sha)


def _swap(t: _Target, tmp: str | None) -> None:
    """Put the new content in place (replace, create without clobbering, or delete)."""
    directory = os.path.dirname(t.realpath)
    if t.snap is None:
        assert tmp is not None
        try:
            place_new(tmp, t.realpath)
        except FileExistsError:
            raise _ChangedDuringApply(t) from None
    else:
        try:
            st = os.lstat(t.realpath)
        except FileNotFoundError:
            raise _ChangedDuringApply(t) from None
        if not stat.S_ISREG(st.st_mode) or identity(st) != t.snap.identity:
            raise _ChangedDuringApply(t)
        if tmp is None:
            os.unlink(t.realpath)
        else:
            os.replace(tmp, t.realpath)
    fsync_dir(directory)


def _discard_journal(state_dir: str) -> None:
    """Best effort: remove a journal whose writing failed (no file was touched yet)."""
    try:
        remove_stale_temp(state_dir)
        remove_quietly(journal_path(state_dir))
        fsync_dir(state_dir)
    except OSError:
        pass  # a leftover journal only restores files that are already original


def _new_txid() -> tuple[str, str]:
    now = datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3), now.isoformat()


def _failure(
    state_dir: str, journal: Journal, undo_count: int, where: str, exc: BaseException
) -> BaseException:
    """Roll back the first ``undo_count`` files; the exception to raise for ``exc``."""
    try:
        undo(state_dir, journal, journal.entries[:undo_count])
    except (OSError, NotRegularFile) as undo_exc:
        why = reason(undo_exc) if isinstance(undo_exc, OSError) else "a file was replaced"
        return TxnError(
            f"Writing {where} failed and the rollback failed too ({why}); the journal is kept "
            "and goenv-tui will finish the rollback on its next start.",
            tuple(e.path for e in journal.entries),
        )
    if isinstance(exc, _ChangedDuringApply):
        return _refuse(exc.target, "changed while the changes were being applied; review again")
    if isinstance(exc, OSError):
        return TxnError(f"Could not write {where}: {reason(exc)}; nothing was changed.")
    return exc


def apply_locked(
    changes: Sequence[FileChange],
    state_dir: str,
    description: str,
    *,
    rollback_of: str | None = None,
    recovered: RecoverResult | None = None,
) -> ApplyResult:
    """The transaction proper; the caller holds the lock and has run recovery."""
    recovered = recovered or RecoverResult()
    targets = _preflight_all(changes)
    checkpoint("apply.preflighted")
    todo = [t for t in targets if t.needs_write]
    unchanged = tuple(t.path for t in targets if not t.needs_write)
    if not todo:
        return ApplyResult(None, description, unchanged=unchanged, recovered=recovered)
    txid, when = _new_txid()
    journal = Journal(txid, when, description, tuple(_entry(t) for t in todo), rollback_of)
    state_owner = new_file_owner(state_dir)
    try:
        write_journal(
            state_dir,
            journal,
            owner=state_owner,
            after_write=lambda: checkpoint("apply.journal-temp-written"),
        )
    except OSError as exc:
        _discard_journal(state_dir)
        raise TxnError(
            f"Could not write the journal in {shown(state_dir)}: {reason(exc)}; "
            "nothing was changed.",
            (journal_path(state_dir),),
        ) from exc
    checkpoint("apply.journal-written")

    temps: dict[int, str] = {}
    done = 0
    in_swap = False
    where = "the history record"
    try:
        for k, t in enumerate(todo, 1):
            where = t.name
            if t.change.new is not None:
                meta = None if t.snap is None else t.snap.meta
                temps[k] = write_temp(
                    os.path.dirname(t.realpath), t.change.new, tag=txid, meta=meta, owner=t.owner
                )
            checkpoint("apply.temp-written", k)
        for k, t in enumerate(todo, 1):
            where = t.name
            in_swap = True
            _swap(t, temps.pop(k, None))
            in_swap = False
            done = k
            checkpoint("apply.file-replaced", k)
        where = f"the history record in {shown(state_dir)}"
        write_record(state_dir, record_from_journal(journal), owner=state_owner)
        checkpoint("apply.history-written")
        checkpoint("apply.before-commit")
        where = f"the journal in {shown(state_dir)}"
        os.unlink(journal_path(state_dir))  # the COMMIT POINT
    except BaseException as exc:
        for tmp in temps.values():
            remove_quietly(tmp)
        count = done + (1 if in_swap and not isinstance(exc, _ChangedDuringApply) else 0)
        raise _failure(state_dir, journal, count, where, exc) from exc

    warnings: list[str] = []
    try:
        fsync_dir(state_dir)
    except OSError as exc:
        warnings.append(f"The commit may not be durable yet: {reason(exc)}.")
    checkpoint("apply.committed")
    try:
        prune(state_dir)
    except OSError as exc:
        warnings.append(f"Old history records could not be pruned: {reason(exc)}.")
    checkpoint("apply.history-pruned")
    return ApplyResult(
        txid,
        description,
        written=tuple(t.path for t in todo if t.change.new is not None),
        created=tuple(t.path for t in todo if t.snap is None),
        deleted=tuple(t.path for t in todo if t.change.new is None),
        unchanged=unchanged,
        recovered=recovered,
        warnings=tuple(warnings),
    )


def apply(
    changes: Sequence[FileChange],
    state_dir: str,
    *,
    description: str,
    lock_timeout: float = 10.0,
) -> ApplyResult:
    """Apply every change or none; raises :class:`TxnError` (nothing changed) on refusal."""
    ensure_state_dir(state_dir)
    with state_lock(state_dir, lock_timeout):
        checkpoint("apply.locked")
        recovered = recover_locked(state_dir)
        checkpoint("apply.recovered")
        return apply_locked(changes, state_dir, description, recovered=recovered)
