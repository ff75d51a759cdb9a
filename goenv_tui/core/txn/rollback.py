"""Undo a committed transaction from its history record, as a journaled transaction itself."""

from __future__ import annotations

import os

from goenv_tui.core.acting import Actor, state_owner
from goenv_tui.core.advice import command
from goenv_tui.core.txn.apply import ApplyResult, apply_locked
from goenv_tui.core.txn.errors import TxnError, reason, shown
from goenv_tui.core.txn.fsio import NotRegularFile, read_snapshot
from goenv_tui.core.txn.history import TxRecord, read_records
from goenv_tui.core.txn.lock import ensure_state_dir, state_lock
from goenv_tui.core.txn.plan import FileChange, sha256_hex
from goenv_tui.core.txn.recover import recover_locked
from goenv_tui.core.txn.trust import check_replay_target


def _current_sha(path: str) -> str | None:
    try:
        snap = read_snapshot(path)
    except NotRegularFile:
        raise TxnError(
            f"{shown(path)} is no longer a regular file; nothing was rolled back."
        ) from None
    except OSError as exc:
        raise TxnError(
            f"Cannot read {shown(path)} ({reason(exc)}); nothing was rolled back."
        ) from exc
    return None if snap is None else sha256_hex(snap.data)


def rollback_plan(rec: TxRecord, owner: Actor) -> tuple[list[FileChange], list[str]]:
    """The changes that restore ``rec``'s originals, and the files changed since it.

    ``owner`` is whose history it is: a record in a user's state names only files that user
    may write (the same rule as a journal's replay), whoever runs the rollback.
    """
    changes: list[FileChange] = []
    changed: list[str] = []
    for f in rec.files:
        check_replay_target(f.realpath, owner, "history")
        # Write where the transaction wrote, even if a symlink now points elsewhere.
        path = f.path if os.path.realpath(f.path) == f.realpath else f.realpath
        now = _current_sha(f.realpath)
        if now not in {f.new_sha256, f.original_sha256}:
            changed.append(f.path)
        changes.append(FileChange(path, f.original, now))
    return changes, changed


def pick_record(records: list[TxRecord], txid: str | None = None) -> TxRecord:
    """The record a rollback undoes: ``txid``, or (None) the latest change still in effect —
    not a rollback, not undone by a rollback that is itself in effect — so that a bare
    rollback, run again and again, steps back through the history."""
    if not records:
        raise TxnError("There is nothing to roll back: no change has been applied yet.")
    if txid is not None:
        for rec in records:
            if rec.txid == txid:
                return rec
        raise TxnError(f"No applied change has the id {txid}; see the history for the ids.")
    live = in_effect(records)
    picked = [r for r in records if r.rollback_of is None and r.txid in live]
    if not picked:
        undone = [r for r in records if r.rollback_of is not None and r.txid in live]
        again = f"{command('rollback', undone[-1].txid)} re-applies the last one" if undone else ""
        raise TxnError(
            "Every applied change is rolled back already"
            + (f"; {again} (see {command('history')} for the others)." if again else ".")
        )
    return picked[-1]


def in_effect(records: list[TxRecord]) -> set[str]:
    """The ids of the records whose changes are in effect: a record is, unless a later
    rollback of it is in effect itself."""
    undone_by: dict[str, list[TxRecord]] = {}
    for rec in records:
        if rec.rollback_of is not None:
            undone_by.setdefault(rec.rollback_of, []).append(rec)
    live: set[str] = set()
    for rec in reversed(records):  # a rollback comes after what it undoes
        if not any(r.txid in live for r in undone_by.get(rec.txid, [])):
            live.add(rec.txid)
    return live


def rollback(
    state_dir: str, txid: str | None = None, *, force: bool = False, lock_timeout: float = 10.0
) -> ApplyResult:
    """Restore the originals of transaction ``txid`` (default: the latest), journaled.

    Refuses with a :class:`TxnError` listing the files changed since that transaction, unless
    ``force``. Without ``txid`` it undoes the latest change still in effect
    (:func:`pick_record`); naming a rollback's id re-applies what it undid.
    """
    if not os.path.isdir(state_dir):
        raise TxnError("There is nothing to roll back: no change has been applied yet.")
    ensure_state_dir(state_dir)
    with state_lock(state_dir, lock_timeout):
        recovered = recover_locked(state_dir)
        rec = pick_record(read_records(state_dir), txid)
        changes, changed = rollback_plan(rec, state_owner(state_dir))
        if changed and not force:
            names = ", ".join(shown(p) for p in changed)
            raise TxnError(
                f"Nothing was rolled back: {names} changed since {rec.description!r} was applied "
                f"({command('rollback', rec.txid, '--force')} overwrites those changes).",
                tuple(changed),
            )
        return apply_locked(
            changes,
            state_dir,
            f"Roll back: {rec.description}",
            rollback_of=rec.txid,
            recovered=recovered,
        )
