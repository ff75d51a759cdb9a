"""The predicted chains after apply, computed for real.

A child process enters a private mount namespace (as root: ``unshare(CLONE_NEWNS)``; as a
user: a user namespace mapped to root for the mounts, then a nested one mapped back to the
user's own uid, so the shell and go see the same uid as always). There every planned file is
bind-mounted with its new bytes (a file that does not exist yet appears through an overlay on
its nearest existing folder), and the ordinary probe runs: the real ``go env`` and the real
traced login shell, plus a non-interactive trace (what ``ssh host cmd`` gets). Nothing outside
the namespace changes; the user's files are only read.

Run as ``python -m goenv_tui.core.plan.world`` with the request as JSON on stdin.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import errno
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from goenv_tui.core.model import Variable
from goenv_tui.core.paths import nearest_dir
from goenv_tui.core.resolve import Options, detect_shell

TIMEOUT = 90.0
#: Set (to anything) to make the child's unshare fail with EPERM, as where user namespaces are
#: off (Ubuntu 24.04's AppArmor policy): the way tests reach the unpredicted path for real.
DENY_ENV = "GOENV_TUI_DENY_NAMESPACE"
_CLONE_NEWNS = 0x00020000
_CLONE_NEWUSER = 0x10000000
_MS_BIND = 4096
_MS_REC = 16384
_MS_PRIVATE = 1 << 18
_MS_RDONLY = 1
_MS_REMOUNT = 32
#: Per-mount flags a remount must keep (a user namespace may not clear them).
_KEEP_FLAGS = {
    "nosuid": 2,
    "nodev": 4,
    "noexec": 8,
    "noatime": 1024,
    "nodiratime": 2048,
    "relatime": 1 << 21,
}
#: Mounts left as they are: kernel interfaces, not files a startup file could change.
_LEFT_ALONE = ("/proc", "/dev/pts")


@dataclass
class Prediction:
    """What go and a fresh shell would say after apply (``error``: not computed, and why)."""

    variables: dict[str, Variable] = field(default_factory=dict)
    fresh: dict[str, str | None] = field(default_factory=dict)  # a fresh login shell exports
    remote: dict[str, str | None] | None = None  # `ssh host cmd` (non-interactive) exports
    go_error: str | None = None
    error: str | None = None
    writes: list[str] = field(default_factory=list)  # files the startup files tried to write
    #: The doctor's findings in that world, (id, severity, variable) (None: not asked for).
    findings: list[tuple[str, str, str | None]] | None = None


def predict(
    overrides: Mapping[str, bytes | None],
    opts: Options,
    names: Iterable[str],
    *,
    diagnose: bool = False,
) -> Prediction:
    """Probe with ``overrides`` (real path -> new bytes, None = deleted) in place; never raises.
    ``diagnose``: also run the doctor there (``Prediction.findings``)."""
    request = {
        "overrides": [
            {"path": p, "data": None if d is None else base64.b64encode(d).decode()}
            for p, d in overrides.items()
        ],
        "options": {
            "env": dict(opts.env),
            "cwd": opts.cwd,
            "go_path": opts.go_path,
            # the shell this process traces: the child's own parent is not the user's shell
            "shell": opts.shell or detect_shell(opts.env)[1],
            "trace": opts.trace,
            "cache_dir": opts.cache_dir,
            "etc_environment": opts.etc_environment,
        },
        "names": sorted(set(names)),
        "diagnose": diagnose,
    }
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": root}
    for name in ACTING_NAMES:  # whom the child acts for (core/acting.py), as here
        if name in opts.env:
            env[name] = opts.env[name]
    if os.environ.get(DENY_ENV):
        env[DENY_ENV] = os.environ[DENY_ENV]
    try:
        with tempfile.TemporaryDirectory(prefix="goenv-tui-predict-") as scratch:
            request["scratch"] = scratch  # the child mounts a tmpfs here
            done = subprocess.run(
                [sys.executable, "-m", "goenv_tui.core.plan.world"],
                input=json.dumps(request).encode(),
                capture_output=True,
                timeout=TIMEOUT,
                env=env,
                check=False,
            )
    except (OSError, subprocess.SubprocessError) as err:
        return Prediction(error=f"the prediction could not run ({err})")
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return Prediction(error=why[-1] if why else f"the prediction failed ({done.returncode})")
    try:
        out = json.loads(done.stdout)
        return Prediction(
            {n: Variable.from_json(n, v) for n, v in out["variables"].items()},
            dict(out["fresh"]),
            None if out["remote"] is None else dict(out["remote"]),
            out.get("go_error"),
            writes=[str(w) for w in out.get("writes", [])],
            findings=(
                None
                if out.get("findings") is None
                else [
                    (str(i), str(sev), None if var is None else str(var))
                    for i, sev, var in out["findings"]
                ]
            ),
        )
    except (ValueError, KeyError, TypeError) as err:
        return Prediction(error=f"the prediction gave an unreadable answer ({err})")


#: What core/acting.py decides whom we act for by.
ACTING_NAMES = ("HOME", "SUDO_UID", "SUDO_GID", "SUDO_USER")

# ------------------------------------------------------------------ the child


class _Unavailable(Exception):
    pass


def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _call(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise _Unavailable(f"{what}: {os.strerror(err)}")


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as fh:
        fh.write(text)


def _enter_namespace(libc: Any, uid: int, gid: int) -> None:
    if os.environ.get(DENY_ENV):  # fault injection: unshare refused, as on a locked-down host
        raise _Unavailable(f"unshare: {os.strerror(errno.EPERM)} ({DENY_ENV} is set)")
    if uid == 0:
        _call(libc.unshare(_CLONE_NEWNS), "no private mount namespace")
    else:
        _call(
            libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNS),
            "no private mount namespace for this user (user namespaces are off here)",
        )
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
    _call(libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None), "mount --make-rprivate")


def _back_to_user(libc: Any, uid: int, gid: int) -> None:
    if uid == 0:
        return
    _call(libc.unshare(_CLONE_NEWUSER), "nested user namespace")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{uid} 0 1")
    _write("/proc/self/gid_map", f"{gid} 0 1")


def _overlay_safe(folder: str) -> bool:
    """Whether ``folder`` can be named in overlay options (``,`` ``:`` ``\\`` are syntax)."""
    return not any(c in folder for c in ",:\\")


def _mount_overlay(libc: Any, folder: str, upper: str, work: str) -> None:
    """Overlay ``folder`` with ``upper`` (``userxattr`` when a user namespace needs it)."""
    opts = f"lowerdir={folder},upperdir={upper},workdir={work}"
    if libc.mount(b"overlay", folder.encode(), b"overlay", 0, opts.encode()) != 0:
        _call(
            libc.mount(b"overlay", folder.encode(), b"overlay", 0, (opts + ",userxattr").encode()),
            f"overlay on {folder}",
        )


def _mount_overrides(libc: Any, overrides: list[tuple[str, bytes | None]], scratch: str) -> None:
    new = [(p, d) for p, d in overrides if not os.path.lexists(p)]
    old = [(p, d) for p, d in overrides if os.path.lexists(p)]
    groups: dict[str, list[tuple[str, bytes | None]]] = {}
    for p, d in new:
        groups.setdefault(nearest_dir(p), []).append((p, d))
    for folder in sorted(groups, key=len):  # merge a group into an enclosing one
        outer = next((o for o in groups if o != folder and folder.startswith(o + "/")), None)
        if outer is not None:
            groups[outer].extend(groups.pop(folder))
    for k, (folder, files) in enumerate(sorted(groups.items())):
        if folder == "/" or not _overlay_safe(folder):
            raise _Unavailable(f"cannot show a new file in {folder}")
        upper, work = os.path.join(scratch, f"up{k}"), os.path.join(scratch, f"wk{k}")
        os.makedirs(work)
        for p, d in files:
            dest = os.path.join(upper, os.path.relpath(p, folder))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as fh:
                fh.write(d or b"")
        _mount_overlay(libc, folder, upper, work)
    for k, (p, d) in enumerate(old):
        src = "/dev/null"
        if d is not None:
            src = os.path.join(scratch, f"file{k}")
            with open(src, "wb") as fh:
                fh.write(d)
            os.chmod(src, os.stat(p).st_mode & 0o7777)
        _call(libc.mount(src.encode(), p.encode(), None, _MS_BIND, None), f"bind over {p}")


def _unescape_mount(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _capture(libc: Any, scratch: str, folders: list[str]) -> list[tuple[str, str]]:
    """Overlay each folder with an upper dir on the scratch tmpfs: writes land there (and
    are reported), never in the real folder. Returns (folder, upper) pairs."""
    out: list[tuple[str, str]] = []
    for k, folder in enumerate(folders):
        upper, work = os.path.join(scratch, f"cap{k}", "up"), os.path.join(scratch, f"cap{k}", "wk")
        os.makedirs(upper)
        os.makedirs(work)
        st = os.stat(folder)
        with contextlib.suppress(OSError):  # an owner outside a user namespace's map
            os.chown(upper, st.st_uid, st.st_gid)
        os.chmod(upper, st.st_mode & 0o7777)
        _mount_overlay(libc, folder, upper, work)
        out.append((folder, upper))
    return out


def _outermost(candidates: list[str]) -> list[str]:
    """The existing folders among ``candidates``, without one inside another (an overlay
    hides the mounts under its folder)."""
    found = [
        f for f in dict.fromkeys(candidates) if f != "/" and os.path.isdir(f) and _overlay_safe(f)
    ]
    return [f for f in found if not any(o != f and _under(f, o) for o in found)]


def _write_through(overrides: list[tuple[str, bytes | None]]) -> None:
    """Give planned files their new bytes inside a captured folder (the overlay keeps the
    real file as it is; a deleted file becomes a whiteout)."""
    for path, data in overrides:
        if data is None:
            if os.path.lexists(path):
                os.unlink(path)
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)


def _read_only(libc: Any, writable: list[str]) -> None:
    """Remount every mount read-only but the ``writable`` folders (and what is under them)."""
    with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as fh:
        mounts = [line.split() for line in fh]
    for fields in mounts:
        point = _unescape_mount(fields[4])
        if any(_under(point, w) for w in writable) or any(_under(point, a) for a in _LEFT_ALONE):
            continue
        flags = _MS_REMOUNT | _MS_BIND | _MS_RDONLY
        for option in fields[5].split(","):
            flags |= _KEEP_FLAGS.get(option, 0)
        if libc.mount(None, point.encode("utf-8", "surrogateescape"), None, flags, None) != 0:
            err = ctypes.get_errno()
            if err == errno.ENOENT:
                continue  # hidden by a mount over its parent
            raise _Unavailable(f"cannot make {point} read-only: {os.strerror(err)}")


def _written(captured: list[tuple[str, str]], ignore: list[str]) -> list[str]:
    """The files a startup file wrote (or deleted) in the captured folders."""
    out: list[str] = []
    for folder, upper in captured:
        for where, dirs, files in os.walk(upper):
            for name in files + [d for d in dirs if os.path.islink(os.path.join(where, d))]:
                real = os.path.join(folder, os.path.relpath(os.path.join(where, name), upper))
                if not any(_under(real, i) for i in ignore):
                    out.append(real)
    return sorted(out)


def _probe(request: dict[str, Any]) -> dict[str, Any]:
    from goenv_tui.core.remote import remote_env
    from goenv_tui.core.resolve import probe

    o = request["options"]
    opts = Options(
        env=o["env"],
        cwd=o["cwd"],
        go_path=o["go_path"],
        shell=o["shell"],
        trace=o["trace"],
        cache_dir=o["cache_dir"],
        etc_environment=o["etc_environment"],
    )
    names = request["names"]
    res = probe(opts)
    # the doctor needs what `ssh host cmd` gets of every name a fresh shell exports, and PATH
    wanted = sorted({*names, *res.shell.final_env, "PATH"}) if request.get("diagnose") else names
    remote_all = remote_env(opts, wanted) if res.shell.traced else None
    remote = None if remote_all is None else {n: remote_all.get(n) for n in names}
    out: dict[str, Any] = {
        "variables": {n: res.variables[n].to_json() for n in names if n in res.variables},
        "fresh": {n: res.shell.final_env.get(n) for n in names},
        "remote": remote,
        "go_error": res.go.error,
    }
    if request.get("diagnose"):
        from goenv_tui.core.doctor import diagnose

        found = diagnose(res, opts.env, remote_all)
        out["findings"] = [(f.id, f.severity, f.variable) for f in found]
    return out


def _own_writes(request: dict[str, Any]) -> list[str]:
    """What the probe itself may write (its caches, go's telemetry): not the startup files."""
    from goenv_tui.core.paths import cache_dir

    env = request["options"]["env"]
    home = env.get("HOME") or "/nonexistent"
    own = [request["options"].get("cache_dir") or cache_dir(env)]
    own.append(os.path.join(env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config"), "go"))
    cache_home = env.get("XDG_CACHE_HOME") or os.path.join(home, ".cache")
    own.append(env.get("GOCACHE") or os.path.join(cache_home, "go-build"))  # go env's own
    return [os.path.realpath(p) for p in own]


def _main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    overrides = [
        (
            os.path.realpath(item["path"]),
            None if item["data"] is None else base64.b64decode(item["data"]),
        )
        for item in request["overrides"]
    ]
    libc = _libc()
    uid, gid = os.geteuid(), os.getegid()
    scratch = request["scratch"]
    try:
        _enter_namespace(libc, uid, gid)
        # the scratch files live on a tmpfs that dies with the namespace (overlay leaves
        # root-owned work folders the user could not remove)
        _call(libc.mount(b"tmpfs", scratch.encode(), b"tmpfs", 0, b"mode=0700"), "tmpfs")
        # the scratch tmpfs by descriptor: an overlay over /tmp would hide its mount point
        scratch_fd = os.open(scratch, os.O_RDONLY | os.O_DIRECTORY)
        scratch_root = f"/proc/self/fd/{scratch_fd}"
        home = os.path.realpath(request["options"]["env"].get("HOME") or "/nonexistent")
        folders = _outermost([home, "/tmp"])
        captured = _capture(libc, scratch_root, folders)
        inside = [(p, d) for p, d in overrides if any(_under(p, f) for f in folders)]
        _write_through(inside)
        _mount_overrides(libc, [o for o in overrides if o not in inside], scratch_root)
        _read_only(libc, [scratch, *folders])
        _back_to_user(libc, uid, gid)
        out = _probe(request)
        planned = [p for p, _ in inside]
        out["writes"] = [w for w in _written(captured, _own_writes(request)) if w not in planned]
    except (_Unavailable, OSError) as err:
        print(f"the prediction needs a private mount namespace: {err}", file=sys.stderr)
        return 3
    sys.stdout.write(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
