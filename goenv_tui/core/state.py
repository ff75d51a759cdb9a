"""The redaction key kept in the state directory (the directory itself: core/txn/lock.py)."""

from __future__ import annotations

import os
import secrets

from goenv_tui.core.txn.lock import ensure_state_dir
from goenv_tui.core.txn.ownership import new_file_owner

KEY_FILE = "redact.key"


def redaction_key(state_dir: str) -> bytes:
    """This user's secret for stable pseudonyms (32 random bytes, created once, 0600).

    The state directory is made 0700 the way transactions make it (owned by the user, also
    under sudo). Raises OSError, or TxnError when the directory cannot be prepared.
    """
    ensure_state_dir(state_dir)
    path = os.path.join(state_dir, KEY_FILE)
    try:
        with open(path, "rb") as fh:
            key = fh.read()
        if len(key) >= 16:
            return key
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(32)
    tmp = f"{path}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, key)
        os.fsync(fd)
        owner = new_file_owner(state_dir)
        if owner is not None:
            os.fchown(fd, *owner)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return key
