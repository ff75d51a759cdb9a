"""What a target *is*, not just what it holds: link or file, where it points, which inode.

A preview records it for every file it plans to write; apply (under the lock) and a staged
apply compare it again, so a target swapped for a symlink, renamed over or pointed elsewhere
since the preview is refused even when the bytes are the same.
"""

from __future__ import annotations

import os
import stat


def _one(path: str) -> str:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable({exc.errno})"
    if stat.S_ISLNK(st.st_mode):
        try:
            return f"link→{os.readlink(path)}"
        except OSError as exc:
            return f"link({exc.errno})"
    kind = "file" if stat.S_ISREG(st.st_mode) else f"type{stat.S_IFMT(st.st_mode):o}"
    return f"{kind}:{st.st_dev}:{st.st_ino}"


def target_identity(path: str) -> str:
    """A comparable description of ``path`` as written and of its resolved path.

    The path's own kind (file, or symlink and its target), the resolved path, and that
    file's device and inode (or "missing"). Never raises.
    """
    path = os.path.abspath(path)
    real = os.path.realpath(path)
    return f"{_one(path)} | {real} | {_one(real)}"


def preview_fingerprint(old_sha256: str | None, identity: str) -> str:
    """What a staged preview keeps per file: its content hash (or absent) and its identity."""
    return f"{old_sha256 or 'absent'} {identity}"
