"""Run a user's shell safely: minimal env, no tty, own session, SIGKILL timeout, PID namespace."""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from goenv_tui.core.acting import PopenIds, on_behalf, popen_ids


@dataclass(frozen=True)
class RunResult:
    """How a sandboxed run ended."""

    returncode: int | None  # None: killed at the timeout
    timed_out: bool
    stderr: str
    elapsed: float
    error: str | None = None  # the process could not be started


@lru_cache(maxsize=4)
def pid_namespace_prefix(euid: int) -> tuple[str, ...]:
    """The `unshare` prefix that gives a private PID namespace here, or () when none works."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    options: list[tuple[str, ...]] = []
    if euid == 0:
        options.append((unshare, "--pid", "--fork", "--kill-child"))
    options.append((unshare, "--user", "--map-current-user", "--pid", "--fork", "--kill-child"))
    for prefix in options:
        try:
            done = subprocess.run(
                [*prefix, "true"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=5,
                env={"PATH": "/usr/bin:/bin"},
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return prefix
    return ()


def _as_actor(prefix: tuple[str, ...]) -> tuple[tuple[str, ...], PopenIds]:
    """Run the user's startup files as the user root acts for (never as root).

    Root's PID-namespace prefix needs root to start, so the drop happens inside it (setpriv
    after unshare); otherwise the child itself starts as the user.
    """
    actor = on_behalf()
    if actor is None:
        return prefix, {}
    setpriv = shutil.which("setpriv")
    if prefix and "--user" not in prefix and setpriv is not None:
        groups = ",".join(str(g) for g in actor.groups) or str(actor.gid)
        drop = (setpriv, f"--reuid={actor.uid}", f"--regid={actor.gid}", f"--groups={groups}")
        return (*prefix, *drop, "--"), {}
    if prefix and "--user" not in prefix:
        prefix = ()  # no way to drop inside root's namespace: no PID namespace, but the user
    return prefix, popen_ids(actor)


def run_sandboxed(
    argv: list[str],
    env: dict[str, str],
    *,
    cwd: str,
    timeout: float,
    argv0: str | None = None,
    pass_fds: tuple[int, ...] = (),
    use_pid_namespace: bool = True,
    stderr_to: BinaryIO | None = None,
) -> RunResult:
    """Run argv with exactly `env`, stdin /dev/null, stdout discarded, in a new session.

    At the timeout the whole process group (and, with a PID namespace, every process the
    rc files started) is killed with SIGKILL. `argv0` replaces argv[0] as the program sees it.
    """
    prefix = pid_namespace_prefix(os.geteuid()) if use_pid_namespace else ()
    prefix, ids = _as_actor(prefix)
    program = argv[0]
    if prefix:
        # In its own PID namespace the shell must not be PID 1, which ignores `kill -9 $$`
        # (a real shell dies there): a waiting shell is PID 1 and sets argv0 as it starts it.
        # The waiter is the shell itself when it must set argv0 (bash's `exec -a`), else sh:
        # argv[0] may be no shell at all (a go wrapper script).
        start_it = '(exec -a "$0" "$@")' if argv0 is not None else '"$@"'
        waiter = program if argv0 is not None or not os.path.exists("/bin/sh") else "/bin/sh"
        argv = [waiter, "-c", f'{start_it} & exec 2>/dev/null; wait "$!"', argv0 or "-", *argv]
    elif argv0 is not None:
        argv = [argv0, *argv[1:]]
    full = [*prefix, *argv]
    start = time.monotonic()
    # stderr goes to a file, not a pipe: a daemon started by an rc file would hold a pipe open.
    with tempfile.TemporaryFile() as own_err:
        err_file = stderr_to if stderr_to is not None else own_err
        try:
            proc = subprocess.Popen(
                full,
                executable=None if (prefix or argv0 is None) else program,
                env=env,
                cwd=cwd if os.path.isdir(cwd) else "/",
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err_file,
                start_new_session=True,
                pass_fds=pass_fds,
                close_fds=True,
                **ids,
            )
        except OSError as exc:
            return RunResult(None, False, "", 0.0, f"cannot start {program}: {exc.strerror}")
        timed_out = False
        try:
            timed_out = not _exited_within(proc, timeout)
        finally:
            _kill_group(proc.pid)  # the timeout, or jobs left behind without a PID namespace
            proc.wait()
        own_err.seek(0)
        err = own_err.read()[-4000:]
    elapsed = time.monotonic() - start
    text = err.decode("utf-8", "replace")
    return RunResult(None if timed_out else proc.returncode, timed_out, text, elapsed)


def _exited_within(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait for `proc` to exit, at most `timeout` s. A pidfd wakes the moment it exits
    (`Popen.wait(timeout)` polls in sleeps of up to 50 ms); without one, that poll."""
    try:
        pidfd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return True
    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        return bool(poller.poll(max(0, int(timeout * 1000))))
    finally:
        os.close(pidfd)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
