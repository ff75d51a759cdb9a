"""The one exception the transaction engine raises, and how OS errors read in it."""

from __future__ import annotations

import errno
import os

from goenv_tui.core.paths import tilde


class TxnError(Exception):
    """A refused or failed transaction; ``str()`` is one sentence for the user.

    ``paths`` names the files the sentence is about (for a UI that wants to highlight them).
    """

    def __init__(self, message: str, paths: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.paths = paths


_REASONS = {
    errno.EPERM: "the operation is not permitted (is it immutable? see lsattr)",
    errno.EACCES: "permission denied",
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EIO: "an I/O error occurred",
}


def reason(exc: OSError) -> str:
    """A short lower-case phrase for an OSError (no path, no errno number)."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:]


def shown(path: str) -> str:
    """A path as the user reads it (~ for HOME)."""
    return tilde(path, os.environ.get("HOME"))


def state_dir_error(state_dir: str, exc: OSError) -> TxnError:
    """The state directory cannot be prepared or read: nothing was changed."""
    return TxnError(
        f"Cannot prepare the state directory {shown(state_dir)}: {reason(exc)}; "
        "nothing was changed.",
        (state_dir,),
    )
