"""Whom goenv-tui acts for: this process's user, or, as root on a user's behalf, that user.

Root acts for a user when it runs with that user's HOME: through ``sudo`` (SUDO_UID names a
real, non-root user) or with a HOME that a non-root user owns (``su`` keeping HOME). Then every
piece of user-controlled code (startup files, the go probe, the prediction) runs with the
user's uid/gid/groups, and everything created in that HOME belongs to the user.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypedDict


@dataclass(frozen=True)
class Actor:
    """A user identity: the one this process has, or the one root acts for."""

    uid: int
    gid: int
    groups: tuple[int, ...]
    name: str
    home: str

    @property
    def is_self(self) -> bool:
        """True when this identity is this process's own (no privilege change needed)."""
        return self.uid == os.geteuid()


def _groups_of(name: str, gid: int) -> tuple[int, ...]:
    try:
        return tuple(sorted(set(os.getgrouplist(name, gid))))
    except (OSError, KeyError):
        return (gid,)


def _from_pw(entry: pwd.struct_passwd, gid: int | None = None) -> Actor:
    group = entry.pw_gid if gid is None else gid
    return Actor(entry.pw_uid, group, _groups_of(entry.pw_name, group), entry.pw_name, entry.pw_dir)


def sudo_user(env: Mapping[str, str]) -> Actor | None:
    """The user SUDO_UID/SUDO_GID name (group: their primary one by default); None for root
    or when they name no real user."""
    try:
        uid = int(env.get("SUDO_UID", ""))
    except ValueError:
        return None
    if uid <= 0:
        return None
    try:
        entry = pwd.getpwuid(uid)
    except KeyError:
        return None
    try:
        gid: int | None = int(env.get("SUDO_GID", ""))
    except ValueError:
        gid = None
    return _from_pw(entry, gid)


def _home_owner(home: str) -> int | None:
    try:
        return os.stat(home).st_uid
    except OSError:
        return None


def acting_user(env: Mapping[str, str] | None = None) -> Actor:
    """The identity user-controlled code runs as and new files in HOME belong to.

    Not root: this process's user. Root whose HOME belongs to the sudo user (or, without sudo,
    to any non-root user): that user. Root in its own HOME (``sudo -H``, ``sudo -i``): root.
    """
    env = os.environ if env is None else env
    euid = os.geteuid()
    home = env.get("HOME", "")
    if euid != 0:
        try:
            return _from_pw(pwd.getpwuid(euid), os.getegid())
        except KeyError:
            return Actor(euid, os.getegid(), tuple(os.getgroups()), str(euid), home)
    owner = _home_owner(home) if home else None
    sudo = sudo_user(env)
    if sudo is not None and owner == sudo.uid:
        return sudo
    if owner is not None and owner != 0:
        try:
            return _from_pw(pwd.getpwuid(owner))
        except KeyError:
            return Actor(owner, owner, (owner,), str(owner), home)
    return Actor(0, 0, (0,), "root", home or "/root")


def own_identity() -> Actor:
    """This process's own identity (as root: root, whomever it acts for)."""
    euid = os.geteuid()
    try:
        return _from_pw(pwd.getpwuid(euid), os.getegid())
    except KeyError:
        return Actor(euid, os.getegid(), tuple(os.getgroups()), str(euid), "/")


def within(path: str, root: str) -> bool:
    """True when ``path`` (resolved) is ``root`` (resolved here) or below it; ``/`` and ""
    contain nothing."""
    root = os.path.realpath(root) if root else root
    return root not in {"", "/"} and (path == root or path.startswith(root.rstrip("/") + "/"))


def state_owner(state_dir: str) -> Actor:
    """Whose a state directory is: the acting user's when it lies in their HOME, otherwise
    this process's own (root's state for a user lives outside that user's HOME)."""
    actor = acting_user()
    if actor.is_self:
        return actor
    real = os.path.realpath(state_dir)
    homes = {h for h in (actor.home, os.environ.get("HOME", "")) if h}
    if any(within(real, home) for home in homes):
        return actor
    return own_identity()


def on_behalf() -> Actor | None:
    """The user root acts for, or None when this process acts as itself."""
    actor = acting_user()
    return None if actor.is_self else actor


def _allows(st: os.stat_result, actor: Actor, want: int) -> bool:
    """Whether the mode bits give `actor` the `want` bits (4 read, 1 search)."""
    if st.st_uid == actor.uid:
        bits = st.st_mode >> 6
    elif st.st_gid == actor.gid or st.st_gid in actor.groups:
        bits = st.st_mode >> 3
    else:
        bits = st.st_mode
    return bits & want == want


def may_read(path: str) -> bool:
    """Whether the acting user can read `path` (root for a user: by that user's mode bits
    along the resolved path; ACLs are not consulted)."""
    actor = on_behalf()
    if actor is None:
        return os.access(path, os.R_OK)
    real = os.path.realpath(path)
    try:
        parents = [os.stat(p) for p in _ancestors(real)]
        target = os.stat(real)
    except OSError:
        return False
    return all(_allows(st, actor, 1) for st in parents) and _allows(target, actor, 4)


def _ancestors(path: str) -> list[str]:
    out: list[str] = []
    parent = os.path.dirname(path)
    while True:
        out.append(parent)
        up = os.path.dirname(parent)
        if up == parent:
            return out
        parent = up


def demote(actor: Actor | None) -> Callable[[], None] | None:
    """A ``preexec_fn`` that becomes ``actor`` (groups, gid, then uid), or None for no change.

    The child can never regain root: setgroups, setresgid and setresuid all change the real,
    effective and saved ids.
    """
    if actor is None or actor.is_self:
        return None
    uid, gid, groups = actor.uid, actor.gid, list(actor.groups)

    def become() -> None:
        os.setgroups(groups)
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)

    return become


class PopenIds(TypedDict, total=False):
    """The ``subprocess`` keyword arguments that set a child's ids."""

    user: int
    group: int
    extra_groups: list[int]


def popen_ids(actor: Actor | None) -> PopenIds:
    """``subprocess`` keyword arguments (user, group, extra_groups) that run as ``actor``."""
    if actor is None or actor.is_self:
        return {}
    return {"user": actor.uid, "group": actor.gid, "extra_groups": list(actor.groups)}


def as_acting_user() -> PopenIds:
    """``subprocess`` keyword arguments for a child that runs user-controlled code (startup
    files, go): as root on a user's behalf, that user's ids; otherwise nothing changes."""
    return popen_ids(on_behalf())


def give_tree_to_acting_user(path: str) -> None:
    """As root on a user's behalf, make a scratch folder we created, and everything in it,
    theirs (so go, run as them, can use it); otherwise nothing."""
    actor = on_behalf()
    if actor is None:
        return
    for folder, dirs, files in os.walk(path):
        for name in (*dirs, *files):
            os.chown(os.path.join(folder, name), actor.uid, actor.gid, follow_symlinks=False)
    os.chown(path, actor.uid, actor.gid, follow_symlinks=False)
