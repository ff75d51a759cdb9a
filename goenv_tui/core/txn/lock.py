"""The state directory (0700) and the exclusive lock every transaction holds."""

from __future__ import annotations

import fcntl
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager

from goenv_tui.core.acting import state_owner
from goenv_tui.core.txn.errors import TxnError, reason, shown, state_dir_error
from goenv_tui.core.txn.ownership import make_dirs, new_file_owner
from goenv_tui.core.txn.trust import check_state_dir, check_state_file

LOCK_NAME = "lock"


def ensure_state_dir(state_dir: str) -> None:
    """Create the state directory (and missing parents) 0700, owned by its owner
    (core/acting.py ``state_owner``: the acting user in their HOME, else this process).

    An existing one must be provably ours (core/txn/trust.py: UntrustedState otherwise, and
    nothing is changed); ours but readable by others, it is tightened to 0700.
    """
    state_dir = os.path.abspath(state_dir)
    try:
        if not check_state_dir(state_dir):
            make_dirs(state_dir, 0o700)
            actor = state_owner(state_dir)
            if not actor.is_self and os.lstat(state_dir).st_uid != actor.uid:
                os.chown(state_dir, actor.uid, actor.gid, follow_symlinks=False)
            check_state_dir(state_dir)
        st = os.lstat(state_dir)
        if stat.S_IMODE(st.st_mode) != 0o700:
            os.chmod(state_dir, 0o700, follow_symlinks=False)
    except OSError as exc:
        raise state_dir_error(state_dir, exc) from exc


@contextmanager
def state_lock(state_dir: str, timeout: float = 10.0) -> Iterator[None]:
    """Hold an exclusive flock on ``<state_dir>/lock`` (the kernel drops it if we die)."""
    path = os.path.join(state_dir, LOCK_NAME)
    flags = os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW
    created = True
    try:
        try:
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            created = False
            fd = os.open(path, flags | os.O_NONBLOCK)
    except OSError as exc:
        raise TxnError(
            f"Cannot open the lock {shown(path)}: {reason(exc)}; nothing was changed.", (path,)
        ) from exc
    try:
        owner = new_file_owner(state_dir)
        if created and owner is not None:
            os.fchown(fd, *owner)
        if not created:
            check_state_file(path, os.fstat(fd))
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise TxnError(
                        "Another goenv-tui is applying changes right now, so "
                        "nothing was changed; try again when it has finished.",
                        (path,),
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)
