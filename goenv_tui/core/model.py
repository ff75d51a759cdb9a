"""The data the core passes around: chain entries, variables, probe results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from goenv_tui.core.layers import FROM_GO
from goenv_tui.core.layers import IDS as LAYERS

__all__ = ["LAYERS"]

#: Chain entry states.
ACTIVE = "active"
SHADOWED = "shadowed"
NOT_RUN = "not-run"
STALE = "stale"
IGNORED = "ignored"
STATES: tuple[str, ...] = (ACTIVE, SHADOWED, NOT_RUN, STALE, IGNORED)

#: Variable flags.
FLAG_STALE = "stale"
FLAG_EMPTY_IGNORED = "empty-ignored"
FLAG_UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class ChainEntry:
    """One place that sets (or tried to set) a variable."""

    layer: str
    value: str
    state: str = SHADOWED
    file: str | None = None
    line: int | None = None
    origin: str | None = None
    note: str | None = None

    def with_state(self, state: str, note: str | None = None) -> ChainEntry:
        """Return a copy in another state (keeping the note unless a new one is given)."""
        return ChainEntry(
            self.layer,
            self.value,
            state,
            self.file,
            self.line,
            self.origin,
            note if note is not None else self.note,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ChainEntry:
        """Inverse of :meth:`to_json`; raises ValueError on a malformed entry."""
        layer, state = data.get("layer"), data.get("state")
        if layer not in LAYERS or state not in STATES:
            raise ValueError(f"bad chain entry layer/state: {layer!r}/{state!r}")
        return cls(
            layer,
            _str(data, "value"),
            state,
            _opt_str(data, "file"),
            _opt_int(data, "line"),
            _opt_str(data, "origin"),
            _opt_str(data, "note"),
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON form used by `show --json` (design.md)."""
        out: dict[str, Any] = {"layer": self.layer}
        if self.file is not None:
            out["file"] = self.file
            out["line"] = self.line
        if self.origin is not None:
            out["origin"] = self.origin
        out["value"] = self.value
        out["state"] = self.state
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Variable:
    """One Go variable: its effective value and the chain that explains it."""

    name: str
    value: str
    chain: list[ChainEntry] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def user_set(self) -> bool:
        """True when something other than go itself decides it (or it carries a flag)."""
        src = self.source
        return bool(self.flags) or (src is not None and src.layer not in FROM_GO)

    @property
    def source(self) -> ChainEntry | None:
        """The chain entry in effect, if any."""
        for entry in reversed(self.chain):
            if entry.state == ACTIVE:
                return entry
        return None

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any]) -> Variable:
        """Inverse of :meth:`to_json`; raises ValueError on a malformed variable."""
        chain = data.get("chain", [])
        flags = data.get("flags", [])
        if not isinstance(chain, list) or not isinstance(flags, list):
            raise ValueError(f"{name}: chain and flags must be lists")
        return cls(
            name,
            _str(data, "value"),
            [ChainEntry.from_json(_obj(e)) for e in chain],
            [str(f) for f in flags],
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON form used by `show --json` (design.md)."""
        src = self.source
        return {
            "value": self.value,
            "source": src.to_json() if src else None,
            "chain": [e.to_json() for e in self.chain],
            "flags": list(self.flags),
        }


@dataclass(frozen=True)
class GoBinary:
    """One `go` found on PATH (or given with --go)."""

    path: str
    realpath: str
    version: str | None


@dataclass
class GoInfo:
    """What the go probe learned about the go the user would run."""

    path: str | None = None
    realpath: str | None = None
    version: str | None = None  # the version that answered `go env` (after toolchain switch)
    local_version: str | None = None  # the version of the binary itself
    goroot: str | None = None
    env_file: str | None = None  # the user file `go env -w` writes ("" when GOENV=off)
    goroot_env_file: str | None = None  # $GOROOT/go.env
    error: str | None = None
    effective: dict[str, str] = field(default_factory=dict)  # `go env -json`
    defaults: dict[str, str] = field(default_factory=dict)  # built-in defaults
    on_path: list[GoBinary] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> GoInfo:
        """Inverse of :meth:`to_json` (the effective and default maps are not kept there)."""
        on_path = data.get("on_path") or []
        if not isinstance(on_path, list):
            raise ValueError("go.on_path must be a list")
        return cls(
            path=_opt_str(data, "path"),
            version=_opt_str(data, "version"),
            local_version=_opt_str(data, "local_version"),
            goroot=_opt_str(data, "goroot"),
            env_file=_opt_str(data, "env_file"),
            goroot_env_file=_opt_str(data, "goroot_env_file"),
            error=_opt_str(data, "error"),
            on_path=[
                GoBinary(_str(b, "path"), _str(b, "realpath"), _opt_str(b, "version"))
                for b in map(_obj, on_path)
            ],
        )

    def to_json(self) -> dict[str, Any]:
        """The `go` object of `show --json`."""
        return {
            "path": self.path,
            "version": self.version,
            "local_version": self.local_version,
            "goroot": self.goroot,
            "env_file": self.env_file,
            "goroot_env_file": self.goroot_env_file,
            "error": self.error,
            "on_path": [
                {"path": b.path, "realpath": b.realpath, "version": b.version} for b in self.on_path
            ],
        }


@dataclass(frozen=True)
class FileLine:
    """One line of a KEY=VALUE file (go env file, go.env, /etc/environment)."""

    line: int
    key: str | None  # None when the reader skips the line
    value: str
    raw: str
    note: str | None = None  # why the line is ignored or misread
    intended_key: str | None = None  # for an ignored/misread line: the key the user meant


#: The note of a bare `export NAME` while NAME is not set: it stays unset (nothing changes).
EXPORTS_UNSET = "exports it, but it is not set here, so it stays unset (no effect)"


#: The note of an assignment a prompt hook made (PROMPT_COMMAND, zsh precmd), run once by
#: the trace as a terminal's first prompt would.
HOOK_NOTE = "set by a prompt hook, when the first prompt is drawn"
CD_HOOK_NOTE = "set by a directory-change hook, when the shell enters this folder"


def is_hook_note(note: str | None) -> bool:
    """Whether an assignment's note says a hook set it (layer `hook`), wherever in the note
    (a hook that re-sets the same value leads with NO_CHANGE)."""
    return HOOK_NOTE in (note or "") or CD_HOOK_NOTE in (note or "")


#: The note on a value set for a variable go computes itself (GOVERSION, GOEXE, GOMOD...).
COMPUTED_NOTE = "go computes it itself and ignores this value"

#: The end of the note on a value for a variable the go that runs does not know yet.
UNKNOWN_HERE_NOTE = ", so nothing reads this"


def unknown_here_note(version: str, name: str, added: int) -> str:
    """The note on a value for ``name``, which ``version`` of go does not know."""
    return f"{version} does not know {name} (added in go1.{added}){UNKNOWN_HERE_NOTE}"


#: The note on a value for GOTELEMETRY outside its mode file.
TELEMETRY_NOTE = (
    "go reads the telemetry mode from its mode file (`go telemetry on|off|local`), not from here"
)

#: The lead of a note on a statement that set the value the variable already had.
NO_CHANGE = "no change: the variable already had this value"


@dataclass(frozen=True)
class Assignment:
    """One startup-file statement that sets, exports or unsets a watched variable."""

    name: str
    value: str | None  # None: the statement unsets the variable
    exported: bool
    file: str | None
    line: int | None
    ran: bool = True  # False: the statement exists but did not execute
    note: str | None = None


@dataclass(frozen=True)
class ExecInto:
    """A startup that ended by exec'ing another program (`exec zsh` in ~/.bashrc)."""

    shell: str  # the shell it starts (bash | zsh | sh | fish), "" for another program
    program: str  # as written: zsh, fish, tmux
    path: str
    login: bool
    where: str  # FILE:LINE of the exec


@dataclass
class ShellTrace:
    """What a fresh shell of the user's kind does at startup, for the watched names."""

    shell: str  # bash | zsh | sh | fish
    path: str
    mode: str  # e.g. "login+interactive"
    traced: bool  # False: static reading only (--no-trace or trace impossible)
    complete: bool = True  # False: the trace ended early (exec, set +x, timeout)
    error: str | None = None
    assignments: list[Assignment] = field(default_factory=list)  # in execution order
    final_env: dict[str, str] = field(default_factory=dict)  # exported watched names at the end
    initial_env: dict[str, str] = field(default_factory=dict)  # what the shell started with
    files_read: list[str] = field(default_factory=list)
    uncertain: dict[str, str] = field(default_factory=dict)  # name -> why the answer is uncertain
    version: str | None = None
    probed: list[str] = field(default_factory=list)  # other paths the startup depended on
    uncached: str | None = None  # why this trace cannot be cached (None: it can)
    exec_into: ExecInto | None = None  # the startup ended in this exec'd program
    folder_free: bool = False  # no hook or `cd` function ran: the folder entered is no input
    fresh_path: str | None = None  # PATH at the end of the startup (which go a new terminal runs)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ShellTrace:
        """Inverse of :meth:`to_json` (assignments and environments are not kept there)."""
        files = data.get("files_read") or []
        if not isinstance(files, list):
            raise ValueError("shell.files_read must be a list")
        return cls(
            shell=_str(data, "name"),
            path=_str(data, "path"),
            mode=_str(data, "mode"),
            traced=bool(data.get("traced")),
            complete=bool(data.get("complete", True)),
            error=_opt_str(data, "error"),
            files_read=[str(f) for f in files],
            version=_opt_str(data, "version"),
        )

    def to_json(self) -> dict[str, Any]:
        """The `shell` object of `show --json`."""
        return {
            "name": self.shell,
            "path": self.path,
            "version": self.version,
            "mode": self.mode,
            "traced": self.traced,
            "complete": self.complete,
            "error": self.error,
            "files_read": list(self.files_read),
        }


def _obj(value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"expected an object, got {type(value).__name__}")
    return value


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string, got {type(value).__name__}")
    return value


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key} must be a string or null, got {type(value).__name__}")
    return value


def _opt_int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise ValueError(f"{key} must be an integer or null, got {type(value).__name__}")
    return value
