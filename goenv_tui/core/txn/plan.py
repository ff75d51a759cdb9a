"""What a transaction is asked to do: a sequence of :class:`FileChange`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


def sha256_hex(data: bytes) -> str:
    """The hex sha256 of ``data`` (the hash a preview shows and a plan expects)."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class FileChange:
    """One file's new content, guarded by the content hash the preview showed.

    ``path`` is the path as the user sees it; a symlink is written through to its target.
    ``new`` is the exact bytes to write (line endings, BOM and final newline are never
    touched), or None to delete the file. ``expected_sha256`` is the sha256 of the content the
    preview was computed from, or None when the file must not exist yet. ``expected_identity``
    (core/txn/identity.target_identity at the preview), when set, must still hold.
    """

    path: str
    new: bytes | None
    expected_sha256: str | None
    expected_identity: str | None = None

    @classmethod
    def from_preview(
        cls, path: str, old: bytes | None, new: bytes | None, identity: str | None = None
    ) -> FileChange:
        """A change whose guard is the hash of ``old`` (None: the file did not exist)."""
        return cls(path, new, None if old is None else sha256_hex(old), identity)
