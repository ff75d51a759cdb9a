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
    """This process's ancestors, parent first, up to pid 1 (empty when psutil is missing)."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is a dependency
        return []
    out: list[Ancestor] = []
    try:
        proc = psutil.Process(pid if pid is not None else os.getpid()).parent()
    except psutil.Error:
        return out
    while proc is not None and len(out) < limit:
        try:
            name = _process_name(proc)
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


def _process_name(proc: object) -> str:
    """A readable process name; tmux servers show up as 'tmux: server'."""
    import psutil

    assert isinstance(proc, psutil.Process)
    try:
        cmdline = proc.cmdline()
    except psutil.Error:
        cmdline = []
    if cmdline and cmdline[0].startswith("tmux"):
        return "tmux: server" if len(cmdline) == 1 or "server" in cmdline[0] else "tmux"
    return str(proc.name())


def origin_of(name: str, value: str, chain: list[Ancestor]) -> str:
    """Say which ancestor introduced `name=value` into this process's environment.

    "session": the parent set it after it started (typed, or a file no trace explains);
    "<process> (pid N)": the oldest ancestor that already had it when it started, and whose
    own parent did not pass it on (a tmux server keeps the value of its first client);
    "unknown": an environment on the way could not be read.
    """
    if not chain:
        return "unknown"
    holder: Ancestor | None = None
    for anc in chain:
        if anc.environ is None:
            return "unknown"
        if anc.environ.get(name) != value:
            if holder is None:
                return "session"
            return f"set in {anc.label} after it started, inherited by {holder.label}"
        holder = anc
        if anc.is_tmux_server:
            return f"{anc.label}: keeps the environment of the client that started it"
    assert holder is not None
    return f"inherited from {holder.label}"
