"""Who owns a file goenv-tui creates: never root inside a user's HOME."""

from __future__ import annotations

import os

from goenv_tui.core.acting import acting_user, sudo_user, within


def new_file_owner(directory: str) -> tuple[int, int] | None:
    """The (uid, gid) to give a new file or directory created in ``directory``.

    None means "whoever creates it" (not root, or root in a root-owned place). As root: under
    the HOME of the user who ran sudo (SUDO_UID/SUDO_GID), that user; otherwise the owner and
    group of the directory when it is not root's, so a user's HOME never gains root-owned files.
    """
    if os.geteuid() != 0:
        return None
    real = os.path.realpath(directory)
    actor = acting_user()
    if not actor.is_self:
        homes = {h for h in (actor.home, os.environ.get("HOME")) if h}
        if any(within(real, home) for home in homes):
            return (actor.uid, actor.gid)
    sudo = sudo_user(os.environ)
    if sudo is not None and within(real, sudo.home):
        return (sudo.uid, sudo.gid)
    st = os.stat(real)
    if st.st_uid != 0:
        return (st.st_uid, st.st_gid)
    return None


def make_dirs(path: str, mode: int) -> list[str]:
    """Create ``path`` and its missing parents with ``mode`` (exactly), each owned as
    :func:`new_file_owner` says; the created folders, outermost first (one another thread
    or process made meanwhile is not ours). Raises OSError."""
    missing: list[str] = []
    cur = os.path.abspath(path)
    while not os.path.isdir(cur):
        missing.append(cur)
        parent = os.path.dirname(cur)
        if parent == cur:
            break
        cur = parent
    created: list[str] = []
    for one in reversed(missing):
        owner = new_file_owner(os.path.dirname(one))
        try:
            os.mkdir(one, mode)
        except FileExistsError:
            if os.path.isdir(one) and not os.path.islink(one):
                continue  # made meanwhile (the go probe and the trace share the cache dir)
            raise
        os.chmod(one, mode)
        if owner is not None:
            os.chown(one, *owner)
        created.append(one)
    return created


def give_away(path: str, fd: int | None = None) -> None:
    """As root, hand a file or folder we just created to whom :func:`new_file_owner` says
    (best effort: a cache or temp file must never stay root's inside a user's HOME)."""
    owner = new_file_owner(os.path.dirname(os.path.abspath(path)))
    if owner is None:
        return
    try:
        if fd is not None:
            os.fchown(fd, *owner)
        else:
            os.chown(path, *owner, follow_symlinks=False)
    except OSError:
        pass
