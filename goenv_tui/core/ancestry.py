"""Which ancestor process introduced a value this process has (psutil; never a guess)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Ancestor:
    """One process above this one, with its environment at exec time (None: unreadable)."""

    pid: int
    name: str
    environ: dict[str, str] | None

    @property
    def label(self) -> str:
        """How an origin names this process."""
        return f"{self.name} (pid {self.pid})"

    @property
    def is_tmux_server(self) -> bool:
        """True for a tmux server, which keeps the environment of its first client."""
        return (self.name.startswith("tmux") and "server" in self.name) or self.name == "tmux"


def ancestors(pid: int | None = None, limit: int = 32) -> list[Ancestor]:
    """This process's ancestors, parent first, up to pid 1.

    Linux: read straight from /proc (what psutil reads, without its import cost);
    elsewhere through psutil.
    """
    start = pid if pid is not None else os.getpid()
    if os.path.isdir("/proc/self"):
        return _ancestors_proc(start, limit)
    return _ancestors_psutil(start, limit)


def parent_executable() -> str | None:
    """The executable of this process's parent (its name when the path is hidden, as for
    a login shell's ``-bash``); None when it cannot be read.

    Linux: /proc/PPID/exe (what psutil reads, without its import cost); elsewhere psutil.
    """
    ppid = os.getppid()
    if not os.path.isdir("/proc/self"):
        return _parent_executable_psutil(ppid)
    try:
        exe = os.readlink(f"/proc/{ppid}/exe")
    except OSError:
        return None
    if exe.endswith(" (deleted)") and not os.path.exists(exe):
        exe = exe[: -len(" (deleted)")]
    if exe:
        return exe
    try:
        with open(f"/proc/{ppid}/comm", "rb") as fh:
            return fh.read().decode(errors="replace").strip().lstrip("-") or None
    except OSError:
        return None


def _parent_executable_psutil(ppid: int) -> str | None:
    import psutil

    try:
        parent = psutil.Process(ppid)
        return str(parent.exe() or parent.name().lstrip("-"))
    except (OSError, ValueError, psutil.Error):
        return None


def _ancestors_proc(pid: int, limit: int) -> list[Ancestor]:
    out: list[Ancestor] = []
    ppid = _proc_ppid(pid)
    while ppid and len(out) < limit:
        cur = ppid
        try:
            with open(f"/proc/{cur}/cmdline", "rb") as fh:
                argv = [a.decode(errors="replace") for a in fh.read().split(b"\0") if a]
            with open(f"/proc/{cur}/comm", "rb") as fh:
                comm = fh.read().decode(errors="replace").strip()
        except OSError:
            break
        env: dict[str, str] | None
        try:
            with open(f"/proc/{cur}/environ", "rb") as fh:
                env = _parse_environ(fh.read())
        except OSError:
            env = None
        out.append(Ancestor(cur, _name(comm, argv), env))
        if cur <= 1:
            break
        ppid = _proc_ppid(cur)
    return out


def _proc_ppid(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return 0
    # The command name in parentheses may contain spaces; fields resume after the last ')'.
    return int(stat[stat.rindex(b")") + 2 :].split()[1])


def _parse_environ(data: bytes) -> dict[str, str]:
    env: dict[str, str] = {}
    for item in data.split(b"\0"):
        key, eq, value = item.partition(b"=")
        if eq:
            env[key.decode(errors="surrogateescape")] = value.decode(errors="surrogateescape")
    return env


def _name(comm: str, argv: list[str]) -> str:
    """A readable process name; tmux servers show up as 'tmux: server'."""
    if argv and argv[0].startswith("tmux"):
        return "tmux: server" if "server" in argv[0] or comm.startswith("tmux: server") else "tmux"
    return comm or (os.path.basename(argv[0]) if argv else "?")


def _ancestors_psutil(pid: int, limit: int) -> list[Ancestor]:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is a dependency
        return []
    out: list[Ancestor] = []
    try:
        proc = psutil.Process(pid).parent()
    except psutil.Error:
        return out
    while proc is not None and len(out) < limit:
        try:
            name = _name(proc.name(), proc.cmdline())
        except psutil.Error:
            name = "?"
        try:
            env: dict[str, str] | None = dict(proc.environ())
        except psutil.Error:
            env = None
        out.append(Ancestor(proc.pid, name, env))
        if proc.pid <= 1:
            break
        try:
            proc = proc.parent()
        except psutil.Error:
            break
    return out


def origin_of(name: str, value: str, chain: list[Ancestor]) -> str:
    """Say which ancestor introduced `name=value` into this process's environment.

    Returns "session" when the parent process did not start with it (typed in this shell,
    or `NAME=v cmd`); "tmux: server (pid N)" when a tmux server holds it (it keeps the
    environment of the client that started it); "<name> (pid N)" for the oldest ancestor
    that started with it (its own parent added it); "unknown" when an environment on the
    way cannot be read (another user's process, or a hardened one). Never a guess.
    """
    holder: Ancestor | None = None
    for anc in chain:
        if anc.environ is None:
            return "unknown"
        if anc.environ.get(name) != value:
            break
        holder = anc
        if anc.is_tmux_server:
            return anc.label
    if holder is None:
        return "session" if chain else "unknown"
    return holder.label
