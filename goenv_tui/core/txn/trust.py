"""State is trusted only when it is provably ours: owned by the acting user, private, no links.

The state directory and every file in it (journal, history, staged plan, key, lock) must be
owned by the user goenv-tui acts for (core/acting.py), not group- or world-writable and not a
symlink. A journal is replayed only onto files that user may write, with setid bits and
capabilities stripped, so a planted journal can never make root write where the user could not.
"""

from __future__ import annotations

import os
import stat

from goenv_tui.core.acting import Actor, state_owner
from goenv_tui.core.txn.errors import TxnError, reason, shown
from goenv_tui.core.txn.fsio import Meta, NotRegularFile, open_no_follow, read_at_most

#: The largest state file we read (a journal holds whole startup files, base64).
MAX_STATE_FILE = 64 * 1024 * 1024


class UntrustedState(TxnError):
    """A state file or directory that is not provably ours: refused, never replayed."""


def _refuse(path: str, why: str) -> UntrustedState:
    return UntrustedState(
        f"The state path {shown(path)} {why}, so goenv-tui does not trust it and changed "
        "nothing; remove it (or use --state-dir DIR with a directory of your own).",
        (path,),
    )


def _check_stat(path: str, st: os.stat_result, actor: Actor, kind: str) -> None:
    if st.st_uid != actor.uid:
        raise _refuse(path, f"is owned by uid {st.st_uid}, not by {actor.name} ({actor.uid})")
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise _refuse(path, f"is a {kind} others may write (mode {stat.S_IMODE(st.st_mode):04o})")


def check_state_dir(state_dir: str) -> bool:
    """Raise UntrustedState unless ``state_dir`` is absent or a private directory of ours.

    Returns whether it exists. Never follows a symlink and never changes anything.
    """
    try:
        st = os.lstat(state_dir)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise _refuse(state_dir, f"cannot be examined ({reason(exc)})") from exc
    if stat.S_ISLNK(st.st_mode):
        raise _refuse(state_dir, "is a symbolic link")
    if not stat.S_ISDIR(st.st_mode):
        raise _refuse(state_dir, "is not a directory")
    owner = state_owner(state_dir)
    _check_stat(state_dir, st, owner, "directory")
    _check_ancestors(state_dir, owner)
    return True


def _check_ancestors(state_dir: str, owner: Actor) -> None:
    """Every folder above the state dir must be root's or the owner's and writable by no one
    else (a sticky folder such as /tmp excepted): else another user could swap it."""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(state_dir)))
    while True:
        try:
            st = os.stat(folder)
        except OSError as exc:
            raise _refuse(state_dir, f"is in {shown(folder)}, which cannot be examined") from exc
        shared = st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not st.st_mode & stat.S_ISVTX
        if st.st_uid not in (0, owner.uid) or shared:
            raise _refuse(
                state_dir,
                f"is in {shown(folder)}, which others may change (owner uid {st.st_uid}, "
                f"mode {stat.S_IMODE(st.st_mode):04o})",
            )
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


def check_state_file(path: str, st: os.stat_result) -> None:
    """Raise UntrustedState unless ``st`` (an fstat) is a private regular file of ours."""
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(path, "is not a regular file")
    _check_stat(path, st, state_owner(os.path.dirname(path)), "file")


def read_state_file(path: str, limit: int = MAX_STATE_FILE) -> bytes | None:
    """A state file's bytes (None when absent), read only when it is a private file of ours."""
    try:
        fd = open_no_follow(path)
    except NotRegularFile as exc:
        raise _refuse(path, "is a symbolic link") from exc
    if fd is None:
        return None
    try:
        st = os.fstat(fd)
        check_state_file(path, st)
        data = b"" if st.st_size > limit else read_at_most(fd, limit)
        if st.st_size > limit or len(data) > limit:
            raise _refuse(path, f"is larger than {limit // (1024 * 1024)} MiB")
        return data
    finally:
        os.close(fd)


_SAFE_XATTR_PREFIX = "user."


def safe_meta(meta: Meta, actor: Actor) -> Meta:
    """``meta`` as a replay for ``actor`` (the state's owner) may apply it: no setid/sticky
    bits, no capabilities, and, for anyone but root, their ownership and only ``user.*``
    xattrs."""
    mode = meta.mode & 0o777
    xattrs = tuple(x for x in meta.xattrs if x[0] != "security.capability")
    if actor.uid == 0:
        return Meta(mode, meta.uid, meta.gid, xattrs)
    gid = meta.gid if meta.gid in actor.groups else actor.gid
    kept = tuple(x for x in xattrs if x[0].startswith(_SAFE_XATTR_PREFIX))
    return Meta(mode, actor.uid, gid, kept)


def check_replay_target(realpath: str, actor: Actor, source: str = "journal") -> None:
    """Raise UntrustedState unless ``actor`` (whose state the journal or history record is:
    :func:`~goenv_tui.core.acting.state_owner`) may write ``realpath`` themselves.

    Root's own state (root's, 0700, outside any user's HOME) may name any file. For anyone
    else, an existing target must be a regular file they own, and a missing one must be in a
    directory they own: what the user could have done without us.
    """
    if actor.uid == 0:
        return
    try:
        st = os.lstat(realpath)
    except FileNotFoundError:
        parent = os.path.dirname(realpath)
        try:
            pst = os.lstat(parent)
        except OSError as exc:
            raise _replay_refused(
                realpath, f"its folder cannot be examined ({reason(exc)})", source
            ) from exc
        if not stat.S_ISDIR(pst.st_mode) or pst.st_uid != actor.uid:
            raise _replay_refused(realpath, f"its folder is not {actor.name}'s", source) from None
        return
    except OSError as exc:
        raise _replay_refused(realpath, f"it cannot be examined ({reason(exc)})", source) from exc
    if not stat.S_ISREG(st.st_mode):
        raise _replay_refused(realpath, "it is not a regular file", source)
    if st.st_uid != actor.uid:
        raise _replay_refused(realpath, f"it is not {actor.name}'s file", source)


def _replay_refused(realpath: str, why: str, source: str) -> UntrustedState:
    if source == "journal":
        return UntrustedState(
            f"The journal names {shown(realpath)}, but {why}, so it was not replayed and "
            "nothing was changed; restore that file by hand if needed, then delete the journal.",
            (realpath,),
        )
    return UntrustedState(
        f"The history names {shown(realpath)}, but {why}, so nothing was rolled back; "
        "roll it back as the user who owns that file.",
        (realpath,),
    )
