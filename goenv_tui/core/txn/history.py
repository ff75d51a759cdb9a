"""Committed transactions, kept 0600 under ``<state_dir>/history`` so they can be rolled back.

A record is written just BEFORE the commit point and is void while the journal with the same
txid is hot: recovery deletes it, and :func:`history` never lists it. So a kill between the
commit and the record cannot lose a committed transaction's originals.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from goenv_tui.core.txn.fsio import fsync_dir, remove_private_temps, remove_quietly, write_private
from goenv_tui.core.txn.journal import Journal, b64, read_journal, unb64
from goenv_tui.core.txn.lock import state_lock
from goenv_tui.core.txn.plan import sha256_hex

HISTORY_DIR = "history"
#: How many committed transactions are kept (they hold original bytes, so not forever).
KEEP = 50


@dataclass(frozen=True)
class TxFile:
    """One file of a committed transaction: its original bytes and the new content's hash.

    ``original`` is None when the transaction created the file; ``new_sha256`` is None when
    it deleted it.
    """

    path: str
    realpath: str
    existed: bool
    original: bytes | None
    new_sha256: str | None

    @property
    def original_sha256(self) -> str | None:
        """The hash of the original content (None: the file did not exist)."""
        return None if self.original is None else sha256_hex(self.original)


@dataclass(frozen=True)
class TxRecord:
    """A committed transaction: id, UTC time (ISO 8601), description, files."""

    txid: str
    time: str
    description: str
    files: tuple[TxFile, ...]
    rollback_of: str | None = None


def history_dir(state_dir: str) -> str:
    """Where the records live."""
    return os.path.join(state_dir, HISTORY_DIR)


def record_from_journal(journal: Journal) -> TxRecord:
    """The record a journal becomes once committed."""
    files = tuple(
        TxFile(e.path, e.realpath, e.existed, e.original, e.new_sha256) for e in journal.entries
    )
    return TxRecord(journal.txid, journal.time, journal.description, files, journal.rollback_of)


def _to_json(rec: TxRecord) -> bytes:
    obj: dict[str, Any] = {
        "txid": rec.txid,
        "time": rec.time,
        "description": rec.description,
        "rollback_of": rec.rollback_of,
        "files": [
            {
                "path": f.path,
                "realpath": f.realpath,
                "existed": f.existed,
                "original": None if f.original is None else b64(f.original),
                "new_sha256": f.new_sha256,
            }
            for f in rec.files
        ],
    }
    return json.dumps(obj, indent=1).encode("utf-8")


def _from_json(data: bytes) -> TxRecord:
    obj = json.loads(data)
    files = tuple(
        TxFile(
            str(f["path"]),
            str(f["realpath"]),
            bool(f["existed"]),
            None if f["original"] is None else unb64(f["original"]),
            f["new_sha256"],
        )
        for f in obj["files"]
    )
    return TxRecord(
        str(obj["txid"]), str(obj["time"]), str(obj["description"]), files, obj["rollback_of"]
    )


def write_record(state_dir: str, rec: TxRecord, *, owner: tuple[int, int] | None) -> None:
    """Write a record atomically (0600, in a 0700 directory)."""
    directory = history_dir(state_dir)
    if not os.path.isdir(directory):
        os.mkdir(directory, 0o700)
        os.chmod(directory, 0o700)
        if owner is not None:
            os.chown(directory, *owner)
        fsync_dir(state_dir)
    write_private(directory, f"{rec.txid}.json", _to_json(rec), owner=owner)


def remove_record(state_dir: str, txid: str) -> bool:
    """Remove the record of ``txid`` (a rolled-back transaction); True if there was one."""
    directory = history_dir(state_dir)
    path = os.path.join(directory, f"{txid}.json")
    if not os.path.exists(path):
        return False
    os.unlink(path)
    fsync_dir(directory)
    return True


def remove_stale_temps(state_dir: str) -> None:
    """Remove record temps left by a kill mid-write."""
    remove_private_temps(history_dir(state_dir))


def _record_ids(state_dir: str) -> list[str]:
    try:
        names = os.listdir(history_dir(state_dir))
    except FileNotFoundError:
        return []
    return sorted(n[: -len(".json")] for n in names if n.endswith(".json"))


def _void_txid(state_dir: str) -> str | None:
    try:
        hot = read_journal(state_dir)
    except ValueError:
        return None  # unreadable journal: recovery refuses and says so
    return None if hot is None else hot.txid


def read_records(state_dir: str) -> list[TxRecord]:
    """Every committed record, oldest first (caller holds the lock; unreadable ones skipped)."""
    from goenv_tui.core.txn.trust import check_state_dir, read_state_file

    void = _void_txid(state_dir)
    out: list[TxRecord] = []
    check_state_dir(history_dir(state_dir))
    for txid in _record_ids(state_dir):
        if txid == void:
            continue
        try:
            data = read_state_file(os.path.join(history_dir(state_dir), f"{txid}.json"))
            if data is not None:
                out.append(_from_json(data))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return out


def prune(state_dir: str, keep: int | None = None) -> None:
    """Drop the oldest records beyond ``keep`` (default :data:`KEEP`)."""
    keep = KEEP if keep is None else keep
    ids = _record_ids(state_dir)
    for txid in ids[: max(0, len(ids) - keep)]:
        remove_quietly(os.path.join(history_dir(state_dir), f"{txid}.json"))
    if len(ids) > keep:
        fsync_dir(history_dir(state_dir))


def history(state_dir: str) -> list[TxRecord]:
    """Committed transactions, oldest first (a hot journal's void record is never listed)."""
    if not os.path.isdir(state_dir):
        return []
    with state_lock(state_dir):
        return read_records(state_dir)
