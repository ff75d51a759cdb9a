"""Low-level file I/O: full writes, fsync, metadata snapshots, temp files beside a target."""

from __future__ import annotations

import array
import contextlib
import errno
import fcntl
import os
import re
import secrets
import stat
from collections.abc import Callable
from dataclasses import dataclass

#: Every temp file goenv-tui creates beside a target starts with this (recovery removes them).
TEMP_PREFIX = ".goenv-tui-tmp-"

_FS_IOC_GETFLAGS = 0x80086601
_FS_IMMUTABLE_FL = 0x10
_FS_APPEND_FL = 0x20
_NOT_SUPPORTED = {errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}


@dataclass(frozen=True)
class Meta:
    """What a rewrite must carry over: permission bits, owner, group, extended attributes."""

    mode: int
    uid: int
    gid: int
    xattrs: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True)
class Snapshot:
    """A regular file's bytes and metadata, read through one descriptor."""

    data: bytes
    meta: Meta
    nlink: int
    identity: tuple[int, int, int, int, int]  # dev, ino, size, mtime_ns, ctime_ns
    flags: int  # chattr flags (0 when unknown)

    @property
    def immutable(self) -> bool:
        """True for chattr +i or +a (even root gets EPERM)."""
        return bool(self.flags & (_FS_IMMUTABLE_FL | _FS_APPEND_FL))


def identity(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """What changes when anyone rewrites a file (ctime also catches ``touch -r``)."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class NotRegularFile(Exception):
    """The path exists but is a directory, device, FIFO or socket."""


def write_all(fd: int, data: bytes) -> None:
    """Write every byte (os.write may write fewer)."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def fsync_dir(path: str) -> None:
    """fsync a directory so a rename or unlink in it is durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in {errno.EINVAL, *_NOT_SUPPORTED}:
            raise
    finally:
        os.close(fd)


def _read_fd(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def read_at_most(fd: int, limit: int) -> bytes:
    """Up to ``limit + 1`` bytes from ``fd``: more than ``limit`` means it is too big (a file
    can grow after its fstat), and nothing past that is ever read into memory."""
    chunks: list[bytes] = []
    total = 0
    while total <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - total))):
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def open_no_follow(path: str) -> int | None:
    """A read-only, non-blocking descriptor of ``path`` itself, None when it does not exist;
    NotRegularFile when it is a symlink (O_NOFOLLOW: ELOOP). The caller checks the fstat."""
    try:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotRegularFile(path) from exc
        raise


def _xattrs(fd: int) -> tuple[tuple[str, bytes], ...]:
    try:
        names = os.listxattr(fd)
    except OSError as exc:
        if exc.errno in _NOT_SUPPORTED:
            return ()
        raise
    out = []
    for name in sorted(names):
        try:
            out.append((name, os.getxattr(fd, name)))
        except OSError as exc:
            if exc.errno not in {errno.ENODATA, *_NOT_SUPPORTED}:
                raise
    return tuple(out)


def _flags(fd: int) -> int:
    buf = array.array("l", [0])
    try:
        fcntl.ioctl(fd, _FS_IOC_GETFLAGS, buf, True)
    except OSError:
        return 0
    return int(buf[0])


def read_snapshot(path: str) -> Snapshot | None:
    """The file's bytes and metadata; None when it does not exist. Never follows a symlink."""
    fd = open_no_follow(path)
    if fd is None:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(path)
        data = _read_fd(fd)
        meta = Meta(stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid, _xattrs(fd))
        return Snapshot(data, meta, st.st_nlink, identity(os.fstat(fd)), _flags(fd))
    finally:
        os.close(fd)


def _set_xattr(fd: int, name: str, value: bytes) -> None:
    try:
        os.setxattr(fd, name, value)
    except OSError as exc:
        if exc.errno in _NOT_SUPPORTED:
            return  # the target's file system keeps no xattrs
        if exc.errno in {errno.EPERM, errno.EACCES} and name.startswith("security."):
            return  # LSM labels follow policy; the new file gets the directory's default
        raise


def write_temp(
    directory: str,
    data: bytes,
    *,
    tag: str,
    meta: Meta | None,
    owner: tuple[int, int] | None,
) -> str:
    """Write ``data`` to a new temp file in ``directory`` and fsync it; returns its path.

    With ``meta`` the temp file gets that owner, xattrs and mode (in that order: chown clears
    set-id bits). Without, it is a new file: mode 0644 minus the umask, owned by ``owner``.
    """
    path = os.path.join(directory, f"{TEMP_PREFIX}{tag}-{secrets.token_hex(4)}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
    fd = os.open(path, flags, 0o600 if meta is not None else 0o644)
    try:
        if meta is not None:
            st = os.fstat(fd)
            if (st.st_uid, st.st_gid) != (meta.uid, meta.gid):
                os.fchown(fd, meta.uid, meta.gid)
            for name, value in meta.xattrs:
                _set_xattr(fd, name, value)
            os.fchmod(fd, meta.mode)
        elif owner is not None:
            os.fchown(fd, *owner)
        write_all(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        remove_quietly(path)
        raise
    os.close(fd)
    return path


def remove_quietly(path: str) -> None:
    """Unlink a file of ours, ignoring that it is already gone."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def create_exclusive(final: str, mode: int) -> tuple[int, str]:
    """A new temp file beside ``final`` (O_EXCL|O_NOFOLLOW, random name): (fd, its path).

    Nobody else's file is ever opened: a name someone pre-created is skipped, not reused.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
    for _ in range(100):
        tmp = f"{final}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", final)


_PRIVATE_TEMP = re.compile(r".+\.[0-9a-f]{12}\.tmp")


def remove_private_temps(directory: str) -> None:
    """Remove temps :func:`create_exclusive` left in ``directory`` (a kill mid-write)."""
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if _PRIVATE_TEMP.fullmatch(name):
            path = os.path.join(directory, name)
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(path).st_mode):
                    os.unlink(path)


def write_private(
    directory: str,
    name: str,
    data: bytes,
    *,
    owner: tuple[int, int] | None,
    after_write: Callable[[], None] | None = None,
) -> str:
    """Atomically write a 0600 state file: temp, fsync, rename into place, fsync the dir."""
    final = os.path.join(directory, name)
    fd, tmp = create_exclusive(final, 0o600)
    try:
        os.fchmod(fd, 0o600)
        if owner is not None:
            os.fchown(fd, *owner)
        write_all(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        remove_quietly(tmp)
        raise
    os.close(fd)
    if after_write is not None:
        after_write()
    try:
        os.replace(tmp, final)
    except BaseException:
        remove_quietly(tmp)
        raise
    fsync_dir(directory)
    return final


def remove_temps(directory: str) -> list[str]:
    """Remove our stray temp files (regular files with :data:`TEMP_PREFIX`) in a directory."""
    removed: list[str] = []
    try:
        names = os.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return removed
    for name in sorted(names):
        if not name.startswith(TEMP_PREFIX):
            continue
        path = os.path.join(directory, name)
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            os.unlink(path)
        except FileNotFoundError:
            continue
        removed.append(path)
    if removed:
        fsync_dir(directory)
    return removed
