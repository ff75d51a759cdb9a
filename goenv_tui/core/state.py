"""The state directory (0700): the redaction key now; the journal and history later."""

from __future__ import annotations

import os
import secrets

KEY_FILE = "redact.key"


def ensure_state_dir(path: str) -> str:
    """Create the state directory 0700 if missing (tightening a looser existing one)."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    if os.stat(path).st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


def redaction_key(state_dir: str) -> bytes:
    """This user's secret for stable pseudonyms (32 random bytes, created once, 0600)."""
    path = os.path.join(ensure_state_dir(state_dir), KEY_FILE)
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
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return key
