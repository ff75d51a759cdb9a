"""The rollback journal: everything needed to put each file back, written before any change."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from goenv_tui.core.paths import JOURNAL_NAME
from goenv_tui.core.txn.fsio import Meta, fsync_dir, remove_private_temps, write_private

FORMAT = 1


@dataclass(frozen=True)
class JournalEntry:
    """One file: where it is, whether it existed, its original bytes and metadata, new hash.

    ``new_sha256`` is None when the transaction deletes the file; ``original`` and ``meta``
    are None when it did not exist.
    """

    path: str
    realpath: str
    existed: bool
    original: bytes | None
    meta: Meta | None
    new_sha256: str | None


@dataclass(frozen=True)
class Journal:
    """A transaction in flight; a journal on disk is HOT until its deletion commits."""

    txid: str
    time: str
    description: str
    entries: tuple[JournalEntry, ...]
    rollback_of: str | None = None


def b64(data: bytes) -> str:
    """Bytes as base64 text for JSON."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """Base64 text back to bytes."""
    return base64.b64decode(text.encode("ascii"), validate=True)


def meta_to_json(meta: Meta) -> dict[str, Any]:
    """A :class:`Meta` as JSON (xattr values base64)."""
    return {
        "mode": meta.mode,
        "uid": meta.uid,
        "gid": meta.gid,
        "xattrs": [[name, b64(value)] for name, value in meta.xattrs],
    }


def meta_from_json(obj: dict[str, Any]) -> Meta:
    """The inverse of :func:`meta_to_json`."""
    xattrs = tuple((str(name), unb64(value)) for name, value in obj["xattrs"])
    return Meta(int(obj["mode"]), int(obj["uid"]), int(obj["gid"]), xattrs)


def _entry_to_json(e: JournalEntry) -> dict[str, Any]:
    return {
        "path": e.path,
        "realpath": e.realpath,
        "existed": e.existed,
        "original": None if e.original is None else b64(e.original),
        "meta": None if e.meta is None else meta_to_json(e.meta),
        "new_sha256": e.new_sha256,
    }


def _entry_from_json(obj: dict[str, Any]) -> JournalEntry:
    return JournalEntry(
        path=str(obj["path"]),
        realpath=str(obj["realpath"]),
        existed=bool(obj["existed"]),
        original=None if obj["original"] is None else unb64(obj["original"]),
        meta=None if obj["meta"] is None else meta_from_json(obj["meta"]),
        new_sha256=obj["new_sha256"],
    )


def dumps(journal: Journal) -> bytes:
    """The journal file's bytes."""
    obj = {
        "format": FORMAT,
        "txid": journal.txid,
        "time": journal.time,
        "description": journal.description,
        "rollback_of": journal.rollback_of,
        "entries": [_entry_to_json(e) for e in journal.entries],
    }
    return json.dumps(obj, indent=1).encode("utf-8")


def loads(data: bytes) -> Journal:
    """Parse a journal file (ValueError/KeyError/TypeError when it is not one)."""
    obj = json.loads(data)
    if obj.get("format") != FORMAT:
        raise ValueError(f"unknown journal format {obj.get('format')!r}")
    return Journal(
        txid=str(obj["txid"]),
        time=str(obj["time"]),
        description=str(obj["description"]),
        entries=tuple(_entry_from_json(e) for e in obj["entries"]),
        rollback_of=obj.get("rollback_of"),
    )


def journal_path(state_dir: str) -> str:
    """Where the (single) journal lives."""
    return os.path.join(state_dir, JOURNAL_NAME)


def write_journal(
    state_dir: str,
    journal: Journal,
    *,
    owner: tuple[int, int] | None,
    after_write: Callable[[], None] | None = None,
) -> None:
    """Write the journal 0600, fsync it, rename it into place, fsync the dir: it is HOT."""
    write_private(state_dir, JOURNAL_NAME, dumps(journal), owner=owner, after_write=after_write)


def read_journal(state_dir: str) -> Journal | None:
    """The hot journal, or None. Raises ValueError when it exists but cannot be parsed."""
    from goenv_tui.core.txn.trust import read_state_file

    data = read_state_file(journal_path(state_dir))
    if data is None:
        return None
    try:
        return loads(data)
    except (KeyError, TypeError, AttributeError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(str(exc)) from exc


def delete_journal(state_dir: str) -> None:
    """Delete the journal and fsync the state directory (the commit point of an apply)."""
    os.unlink(journal_path(state_dir))
    fsync_dir(state_dir)


def remove_stale_temp(state_dir: str) -> None:
    """Remove state temps (journal, plan, key) left by a kill before their rename."""
    remove_private_temps(state_dir)
