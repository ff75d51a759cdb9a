"""The redaction key kept in the state directory (the directory itself: core/txn/lock.py)."""

from __future__ import annotations

import os
import secrets

from goenv_tui.core.txn.fsio import write_private
from goenv_tui.core.txn.lock import ensure_state_dir
from goenv_tui.core.txn.ownership import new_file_owner
from goenv_tui.core.txn.trust import read_state_file

KEY_FILE = "redact.key"


def redaction_key(state_dir: str) -> bytes:
    """This user's secret for stable pseudonyms (32 random bytes, created once, 0600).

    The state directory is made 0700 the way transactions make it (owned by the user, also
    under sudo). Raises OSError, or TxnError when the directory cannot be prepared.
    """
    ensure_state_dir(state_dir)
    path = os.path.join(state_dir, KEY_FILE)
    key = read_state_file(path, limit=4096)
    if key is not None and len(key) >= 16:
        return key
    key = secrets.token_bytes(32)
    write_private(state_dir, KEY_FILE, key, owner=new_file_owner(state_dir))
    return key
