"""Build every Go variable's chain of layers from the probes (the heart of the core)."""

from __future__ import annotations

import os
import pwd
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from goenv_tui.core import envfile, pamenv
from goenv_tui.core.ancestry import Ancestor, ancestors, origin_of
from goenv_tui.core.changed import go_minor
from goenv_tui.core.direnv import direnv_value
from goenv_tui.core.goprobe import (
    goroot_of_binary,
    probe_go,
    telemetry_mode_file,
    user_config_env_file,
)
from goenv_tui.core.layers import FROM_GO
from goenv_tui.core.managers import session_switch, toolchain_origin, version_choice
from goenv_tui.core.model import (
    ACTIVE,
    COMPUTED_NOTE,
    EXPORTS_UNSET,
    FLAG_EMPTY_IGNORED,
    FLAG_STALE,
    FLAG_UNCERTAIN,
    IGNORED,
    NO_CHANGE,
    NOT_RUN,
    SHADOWED,
    STALE,
    TELEMETRY_NOTE,
    Assignment,
    ChainEntry,
    FileLine,
    GoInfo,
    ShellTrace,
    Variable,
    is_hook_note,
    unknown_here_note,
)
from goenv_tui.core.names import (
    ADDED_IN,
    COMMON_GO_NAMES,
    COMPUTED_NAMES,
    KNOWN_GO_NAMES,
    OS_ONLY_NAMES,
    is_go_name,
    watched_names,
)
from goenv_tui.core.shells import trace_startup
from goenv_tui.core.wrapper import WrapperTrace, is_script, program_shim, trace_wrapper

SCHEMA = "goenv-tui/show/1"
SHELLS = ("bash", "zsh", "sh", "fish")
LOGIN_PATH = "/usr/local/bin:/usr/bin:/bin"
ETC_ENVIRONMENT = "/etc/environment"


@dataclass
class Options:
    """What to probe: the environment, the go binary, the user's shell and how to read it."""

    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: str = field(default_factory=os.getcwd)
    go_path: str | None = None
    shell: str | None = None  # bash | zsh | sh | fish; default from $SHELL
    trace: bool = True
    mode: str = "login+interactive"
    cache_dir: str | None = None
    etc_environment: str = ETC_ENVIRONMENT


@dataclass
class Resolution:
    """Everything `show` prints: the go probe, the shell trace, every variable's chain."""

    go: GoInfo
    shell: ShellTrace
    variables: dict[str, Variable]
    system_files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self, names: list[str] | None = None) -> dict[str, Any]:
        """The `show --json` object (design.md, "Command-line contract")."""
        picked = names if names is not None else sorted(self.variables)
        shell = self.shell.to_json()
        return {
            "schema": SCHEMA,
            "go": self.go.to_json(),
            "shell": shell,
            "warnings": list(self.warnings),
            "variables": {n: self.variables[n].to_json() for n in picked},
        }


def resolution_from_json(data: Mapping[str, Any]) -> Resolution:
    """Rebuild a Resolution from `show --json` output; ValueError when it is not one."""
    if not isinstance(data, Mapping) or data.get("schema") != SCHEMA:
        raise ValueError(f"not a {SCHEMA} object")
    variables = data.get("variables")
    if not isinstance(variables, Mapping):
        raise ValueError("variables must be an object")
    warnings = data.get("warnings") or []
    if not isinstance(warnings, list):
        raise ValueError("warnings must be a list")
    return Resolution(
        GoInfo.from_json(data.get("go") or {}),
        ShellTrace.from_json(data.get("shell") or {}),
        {str(n): Variable.from_json(str(n), v) for n, v in variables.items()},
        warnings=[str(w) for w in warnings],
    )


#: Login shells that are not shells: service accounts and containers have them in passwd.
_NOT_SHELLS = frozenset({"nologin", "false", "true", "sync", "halt", "shutdown"})
_SHELL_KINDS = {"dash": "sh", "ksh": "sh", "mksh": "sh", "ash": "sh"}


def detect_shell(env: Mapping[str, str], override: str | None = None) -> tuple[str, str]:
    """The user's shell kind and path: --shell, else the shell that runs goenv-tui (its
    parent process), else $SHELL, else the passwd entry, else bash — never nologin or false."""
    from goenv_tui.core.paths import which

    for candidate in (override, _parent_shell(), env.get("SHELL"), _passwd_shell()):
        base = os.path.basename(candidate or "")
        if not base or base in _NOT_SHELLS:
            continue
        kind = _SHELL_KINDS.get(base, base)
        if kind not in SHELLS:
            continue
        assert candidate is not None
        path = candidate if os.path.isabs(candidate) else (which(candidate) or "")
        if not path or not os.path.exists(path):
            path = which(kind) or ""
        if path:
            return kind, path
    return "bash", which("bash") or "/bin/bash"


def _parent_shell() -> str | None:
    """The executable of the process that started goenv-tui, when it is an interactive
    shell (bash, zsh or fish)."""
    from goenv_tui.core.ancestry import parent_executable

    exe = parent_executable()
    if exe is None:
        return None
    base = os.path.basename(exe)
    kind = _SHELL_KINDS.get(base, base)
    # sh and dash run scripts (`sh -c`, make, subprocess shell=True) far more often than
    # people: they do not say which shell the user has
    return exe if kind in SHELLS and kind != "sh" else None


def _passwd_shell() -> str | None:
    """The acting user's login shell from passwd (root acting for a user: theirs)."""
    from goenv_tui.core.acting import on_behalf

    actor = on_behalf()
    try:
        return pwd.getpwuid(actor.uid if actor is not None else os.getuid()).pw_shell
    except KeyError:
        return None


#: What identifies the terminal a session runs in; a fresh terminal "like this one" has them
#: too (startup files test them: `[[ $TERM_PROGRAM == vscode ]] && return`, `$TMUX`, ssh).
TERMINAL_NAMES = (
    "TERM_PROGRAM",
    "TERM_PROGRAM_VERSION",
    "COLORTERM",
    "TMUX",
    "STY",
    "INSIDE_EMACS",
    "SSH_CONNECTION",
    "SSH_CLIENT",
    "SSH_TTY",
    "WT_SESSION",
    "KONSOLE_VERSION",
    "TERMINAL_EMULATOR",
)
TERMINAL_PREFIXES = ("VSCODE_",)
#: Per-process or per-socket ids among them: a new terminal would have its own.
_INSTANCE_IDS = ("VSCODE_PID", "VSCODE_IPC_HOOK", "VSCODE_GIT_IPC_HANDLE", "VSCODE_NONCE")


def terminal_env(env: Mapping[str, str]) -> dict[str, str]:
    """The terminal-identifying variables of ``env`` a fresh terminal like it would have."""
    return {
        name: value
        for name, value in env.items()
        if (name in TERMINAL_NAMES or name.startswith(TERMINAL_PREFIXES))
        and not name.startswith(_INSTANCE_IDS)
    }


def login_base_env(
    env: Mapping[str, str], shell_path: str, system: dict[str, str]
) -> dict[str, str]:
    """The environment a fresh login starts with, before any shell file: minimal, the
    terminal's identity (:func:`terminal_env`), then PAM."""
    home = env.get("HOME") or os.path.expanduser("~")
    user = env.get("USER") or env.get("LOGNAME") or _user_name()
    base = {
        "HOME": home,
        "USER": user,
        "LOGNAME": user,
        "SHELL": shell_path,
        "PATH": LOGIN_PATH,
        "TERM": env.get("TERM", "xterm-256color"),
        "LANG": env.get("LANG", "C.UTF-8"),
    }
    base.update(terminal_env(env))
    base.update(system)
    return base


def _keeps_value(a: Assignment, name: str) -> bool:
    """A statement that set the value it already had, from the variable itself
    (`export GOPATH="${GOPATH:-$HOME/go}"`): the earlier line decides. One that sets a fixed
    value (a folder hook's `export GOPATH=$HOME/go-default`) decides by itself."""
    if not (a.note or "").startswith(NO_CHANGE) or a.line is None or not a.file:
        return False
    from goenv_tui.core.shells.bashparse import reads_itself

    return reads_itself(a.file, a.line, name)


def _user_name() -> str:
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return str(os.getuid())


def read_system_layer(
    env: Mapping[str, str], etc_environment: str
) -> tuple[list[tuple[str, FileLine]], list[str]]:
    """The `system` layer: /etc/environment, then ~/.pam_environment (PAM syntax)."""
    home = env.get("HOME") or os.path.expanduser("~")
    found: list[tuple[str, FileLine]] = []
    warnings: list[str] = []
    for path, reader in (
        (etc_environment, pamenv.read_etc_environment),
        (os.path.join(home, ".pam_environment"), _read_pam_user(home)),
    ):
        try:
            lines = reader(path)
        except OSError as err:
            if not isinstance(err, FileNotFoundError):
                warnings.append(f"cannot read {path}: {err.strerror or err}")
            continue
        found.extend((path, fl) for fl in lines)
    return found, warnings


def _read_pam_user(home: str) -> Callable[[str], list[FileLine]]:
    def read(path: str) -> list[FileLine]:
        return pamenv.read_pam_environment(path, home=home)

    return read


def _read_go_file(path: str | None, warnings: list[str]) -> list[FileLine]:
    if not path:
        return []
    try:
        return envfile.read_env_file(path)
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as err:
        warnings.append(f"cannot read {path}: {getattr(err, 'strerror', None) or err}")
        return []


def probe(opts: Options) -> Resolution:
    """Run the go probe and the shell trace concurrently, then build every chain."""
    env = dict(opts.env)
    kind, shell_path = detect_shell(env, opts.shell)
    system, warnings = read_system_layer(env, opts.etc_environment)
    system_values = {fl.key: fl.value for _, fl in system if fl.key}
    base = login_base_env(env, shell_path, system_values)
    names = watched_names(env)
    # The go probe and the shell trace wait on subprocesses: run them side by side.
    results: dict[str, Any] = {}

    def run_go() -> None:
        go = results["go"] = probe_go(env, opts.cwd, opts.go_path, cache_dir=opts.cache_dir)
        if go.path and is_script(go.path):  # a shim or wrapper: what does it set?
            results["wrapper"] = trace_wrapper(
                go.path, env, names, cwd=opts.cwd, cache_dir=opts.cache_dir
            )
        elif go.path and go.realpath and go.effective and goroot_of_binary(go.realpath) is None:
            # a link to another program (mise's shims): what it passed the real go
            results["wrapper"] = program_shim(go.path, go.realpath, go.effective, env, opts.cwd)

    go_thread = threading.Thread(target=run_go, name="goenv-tui-go-probe")
    go_thread.start()
    trace = trace_startup(
        kind,
        shell_path,
        base["HOME"],
        names,
        base,
        mode=opts.mode,
        trace=opts.trace,
        cache_dir=opts.cache_dir,
        cwd=opts.cwd,
    )
    go_thread.join()
    go: GoInfo = results["go"]
    return resolve(go, trace, env, system, ancestors, warnings, results.get("wrapper"))


def resolve(
    go: GoInfo,
    trace: ShellTrace,
    env: Mapping[str, str],
    system: list[tuple[str, FileLine]],
    chain: Callable[[], list[Ancestor]],
    warnings: list[str] | None = None,
    wrapper: WrapperTrace | None = None,
) -> Resolution:
    """Build every variable from already-probed facts (`chain` reads the process tree;
    `wrapper` is what a script `go` sets before the real go runs)."""
    warnings = list(warnings or [])
    goenv_path = go.env_file
    if goenv_path == "":  # GOENV=off: show the file go would read otherwise, as ignored
        goenv_path = user_config_env_file(
            {k: v for k, v in env.items() if k != "GOENV"}, go.local_version
        )
    goenv_lines = _read_go_file(goenv_path, warnings)
    goroot_lines = _read_go_file(go.goroot_env_file, warnings)
    if go.goroot_env_file and not os.path.exists(go.goroot_env_file):
        warnings.append(f"{go.goroot_env_file} is missing: GOPROXY and GOSUMDB become empty")
    names = set(go.effective)
    names.update(n for n in env if n in KNOWN_GO_NAMES or is_go_name(n))
    names.update(a.name for a in trace.assignments if is_go_name(a.name))
    names.update(trace.final_env)
    for lines in (goenv_lines, goroot_lines):
        names.update(fl.key for fl in lines if fl.key and is_go_name(fl.key))
        names.update(fl.intended_key for fl in lines if fl.intended_key)
    names.update(fl.key for _, fl in system if fl.key and is_go_name(fl.key))
    if not go.effective:
        names.update(go.defaults)
        names.update(COMMON_GO_NAMES)
    if wrapper is not None and wrapper.error:
        warnings.append(f"{wrapper.script} is a wrapper script: {wrapper.error}")
    builder = _ChainBuilder(
        go, trace, env, system, chain, goenv_path, goenv_lines, goroot_lines, wrapper
    )
    variables = {n: builder.build(n) for n in sorted(names)}
    return Resolution(go, trace, variables, sorted({f for f, _ in system}), warnings)


class _ChainBuilder:
    """Builds one variable's chain; holds the per-probe facts."""

    def __init__(
        self,
        go: GoInfo,
        trace: ShellTrace,
        env: Mapping[str, str],
        system: list[tuple[str, FileLine]],
        chain: Callable[[], list[Ancestor]],
        goenv_path: str | None,
        goenv_lines: list[FileLine],
        goroot_lines: list[FileLine],
        wrapper: WrapperTrace | None = None,
    ) -> None:
        self.go = go
        self.trace = trace
        self.env = env
        self.system = system
        self._ancestors = chain
        self._ancestors_read: list[Ancestor] | None = None
        self.goenv_lines = goenv_lines
        self.goroot_lines = goroot_lines
        self.goenv_off = go.env_file == ""
        self.goenv_path = goenv_path  # with GOENV=off: the file go would otherwise read
        self.wrapper = wrapper  # what a script `go` sets before the real go runs

    def ancestors(self) -> list[Ancestor]:
        """The process tree, read once and only when a session value needs an origin."""
        if self._ancestors_read is None:
            self._ancestors_read = self._ancestors()
        return self._ancestors_read

    # -- layer entries -------------------------------------------------------------------

    def _default(self, name: str) -> ChainEntry | None:
        if name in self.go.defaults:
            value = self.go.defaults[name]
            origin = toolchain_origin(value) if name == "GOROOT" else None
            return ChainEntry("default", value, SHADOWED, note=origin)
        if name in self.go.effective:
            return ChainEntry("default", "", SHADOWED, note="no built-in value")
        return None

    def _file_entries(
        self, layer: str, path: str | None, lines: list[FileLine], name: str
    ) -> tuple[list[ChainEntry], ChainEntry | None]:
        """Entries of a go-format file for `name`, and the one go would use."""
        entries = [e for fl in lines if (e := _line_entry(layer, path, fl, name)) is not None]
        live = [e for e in entries if e.state != IGNORED]
        winner = live[-1] if live else None
        if winner is not None and name in OS_ONLY_NAMES:
            idx = entries.index(winner)
            entries[idx] = winner.with_state(
                IGNORED, f"go reads {name} only from the OS environment"
            )
            winner = None
        return entries, winner

    def _system_entries(self, name: str) -> list[ChainEntry]:
        """Entries of the PAM files (/etc/environment, ~/.pam_environment) for `name`."""
        entries = (_line_entry("system", path, fl, name) for path, fl in self.system)
        return [e for e in entries if e is not None]

    def _startup_entries(self, name: str) -> list[tuple[ChainEntry, Assignment]]:
        out: list[tuple[ChainEntry, Assignment]] = []
        for a in self.trace.assignments:
            if a.name != name:
                continue
            if a.ran and out and out[-1][1].ran and a.value == out[-1][1].value:
                prev_entry, prev = out[-1]
                if a.exported and not prev.exported:
                    # `X=v` ... `export X`: keep the value line, mention the export line.
                    merged = _join(prev_entry.note, f"exported at {a.file}:{a.line}")
                    out[-1] = (
                        ChainEntry(
                            "startup",
                            prev_entry.value,
                            prev_entry.state,
                            prev_entry.file,
                            prev_entry.line,
                            note=merged,
                        ),
                        Assignment(prev.name, prev.value, True, prev.file, prev.line, True),
                    )
                    continue
            if (a.note or "").startswith(EXPORTS_UNSET):
                continue  # `export NAME` while NAME is unset: nothing happened
            value = a.value if a.value is not None else ""
            note = a.note
            if a.value is None:
                note = _join(note, f"unsets {name}")
            state = SHADOWED if a.ran else NOT_RUN
            if not a.ran and note is None:
                note = "did not run"
            layer = "hook" if is_hook_note(a.note) else "startup"
            out.append((ChainEntry(layer, value, state, a.file, a.line, note=note), a))
        # lowest precedence first: a hook runs after every startup line (a line that did not
        # run is listed after the ones that did)
        out.sort(key=lambda pair: pair[0].layer == "hook")
        return out

    # -- the chain -----------------------------------------------------------------------

    def build(self, name: str) -> Variable:
        """One variable: every layer's entries, lowest first, states and flags decided."""
        chain: list[ChainEntry] = []
        flags: list[str] = []

        def add(entry: ChainEntry | None) -> int | None:
            if entry is None:
                return None
            chain.append(entry)
            return len(chain) - 1

        default_idx = add(self._default(name))
        goroot_idx = self._add_file_layer(
            chain, "goroot", self.go.goroot_env_file, self.goroot_lines, name
        )
        first_goenv = len(chain)
        goenv_idx = self._add_file_layer(chain, "goenv", self.goenv_path, self.goenv_lines, name)
        if self.goenv_off:
            goenv_idx = None
            for i in range(first_goenv, len(chain)):
                off = "GOENV=off: go does not read the go env file"
                chain[i] = chain[i].with_state(IGNORED, _join(chain[i].note, off))
        system_idx = [add(e) for e in self._system_entries(name)]
        startup = [(add(e), a) for e, a in self._startup_entries(name)]

        def mark(idx: int, state: str, note: str | None = None) -> None:
            joined = _join(chain[idx].note, note) if note else None
            chain[idx] = chain[idx].with_state(state, joined)

        os_value = self.env.get(name)
        fresh_value = self.trace.final_env.get(name)
        ran = [(i, a) for i, a in startup if a.ran and i is not None]
        # The entry a fresh shell ends with: the last startup statement that ran, else PAM.
        fresh_idx: int | None = None
        if fresh_value is not None:
            # the last statement that made the value, not one that set it again unchanged
            # (Bash-it's go plugin re-exports `$(go env GOPATH)`: the user's line decides)
            matches = [(i, a) for i, a in reversed(ran) if a.value == fresh_value]
            made = [i for i, a in matches if not _keeps_value(a, name)]
            live = [i for i in system_idx if i is not None and chain[i].state != IGNORED]
            if made:
                fresh_idx = made[0]
                note = chain[fresh_idx].note or ""
                if note.startswith(NO_CHANGE):
                    # it sets the value it already had, but by itself: it decides from here
                    rest = note[len(NO_CHANGE) :].lstrip("; ")
                    again = "sets the same value again, by itself: it decides from here on"
                    chain[fresh_idx] = chain[fresh_idx].with_state(
                        chain[fresh_idx].state, f"{again}; {rest}" if rest else again
                    )
            elif live and chain[live[-1]].value == fresh_value:
                fresh_idx = live[-1]
            elif matches:
                fresh_idx = matches[0][0]
        elif ran and ran[-1][1].value is not None and not ran[-1][1].exported:
            mark(ran[-1][0], IGNORED, "not exported: go never sees it")

        active: int | None = None
        stale_ancestor = False
        loaded = None
        if os_value is not None and os_value == fresh_value and fresh_idx is not None:
            active = fresh_idx
        elif (loaded := direnv_value(name, os_value, self.env)) is not None:
            note = "loaded by direnv's hook for this folder (a new terminal here gets it too)"
            active = add(
                ChainEntry("direnv", os_value or "", SHADOWED, loaded.envrc, loaded.line, note=note)
            )
        elif os_value is not None:
            origin = origin_of(name, os_value, self.ancestors())
            stale_ancestor = "tmux" in origin
            active = add(ChainEntry("shell", os_value, SHADOWED, origin=origin))
        fresh_differs = fresh_value is not None and fresh_value != os_value
        if loaded is not None:
            fresh_differs = False  # the folder's .envrc decides it, not the startup files
        wrapped = self._wrapper_entry(name)
        switched = session_switch(os_value, self.env) if fresh_differs else None
        if switched is not None and active is not None:
            mark(active, chain[active].state, switched)  # chosen on purpose: not stale
        elif self.trace.complete and (fresh_differs or stale_ancestor) and wrapped is None:
            # (a wrapper sets it every time go runs: neither this session's value nor a
            # fresh shell's reaches go, so the session is not stale for it)
            flags.append(FLAG_STALE)
            if fresh_idx is not None:
                have = "no value" if os_value is None else repr(os_value)
                mark(fresh_idx, STALE, f"a fresh shell would set this; this process has {have}")
        if active is not None and os_value == "":
            flags.append(FLAG_EMPTY_IGNORED)
            mark(active, IGNORED, "empty: go treats an empty value as unset")
            active = None
        if wrapped is not None:  # the wrapper sets it right before the real go runs: it wins
            active = add(wrapped)
        if active is None:
            active = next((i for i in (goenv_idx, goroot_idx, default_idx) if i is not None), None)
        if name in COMPUTED_NAMES or name == "GOTELEMETRYDIR":  # go prints its own value
            active = self._computed(name, chain, flags, default_idx)
        elif name == "GOTELEMETRY":
            active = self._telemetry(chain, flags, default_idx)
        unknown = self._unknown_here(name)
        if unknown:  # this go has no such variable: nothing sets it
            _ignore_all(chain, flags, unknown)
            active = None
        if name in self.trace.uncertain:
            flags.append(FLAG_UNCERTAIN)
        value = "" if unknown else self._value(name, chain[active] if active is not None else None)
        if active is not None:
            mark(active, ACTIVE)
            if chain[active].layer == "default" and chain[active].value != value:
                chain[active] = ChainEntry(
                    "default", value, ACTIVE, note=_join(chain[active].note, "computed by go")
                )
        return Variable(name, value, chain, flags)

    def _computed(
        self, name: str, chain: list[ChainEntry], flags: list[str], default_idx: int | None
    ) -> int:
        """A variable go computes (GOVERSION, GOEXE, GOMOD, ...): every value a layer set
        is ignored, never shown as deciding, and the session is not stale for it."""
        _ignore_all(chain, flags, COMPUTED_NOTE)
        if default_idx is not None:
            return default_idx
        chain.insert(0, ChainEntry("default", self.go.effective.get(name, ""), SHADOWED))
        return 0

    def _telemetry(self, chain: list[ChainEntry], flags: list[str], default_idx: int | None) -> int:
        """GOTELEMETRY is the mode go keeps in its mode file (`go telemetry on|off|local`):
        an exported or go env file value is ignored; the file, when there is one, decides."""
        _ignore_all(chain, flags, TELEMETRY_NOTE)
        if default_idx is not None:  # (the probe's own runs have a mode file saying off)
            chain[default_idx] = ChainEntry(
                "default", "local", SHADOWED, note="go's mode when there is no mode file"
            )
        path = telemetry_mode_file(self.env)
        mode = _first_word(path) if path else None
        if mode is None and default_idx is not None:
            return default_idx
        if mode is None:
            chain.insert(0, ChainEntry("default", "local", SHADOWED))
            return 0
        at = default_idx + 1 if default_idx is not None else 0
        value = self.go.effective.get("GOTELEMETRY", mode)
        chain.insert(at, ChainEntry("telemetry", value, SHADOWED, path, 1))
        return at

    def _unknown_here(self, name: str) -> str:
        """Why the go that runs has no variable ``name`` ("" when it has): go1.21 does not
        know GOFIPS140."""
        version = self.go.version or self.go.local_version
        minor = go_minor(version)
        added = ADDED_IN.get(name)
        if minor is None or added is None or minor >= added:
            return ""
        return unknown_here_note(version or "this go", name, added)

    def _wrapper_entry(self, name: str) -> ChainEntry | None:
        wrapper = self.wrapper
        assignment = wrapper.sets.get(name) if wrapper is not None else None
        if wrapper is None or assignment is None:
            return None
        who = f"{wrapper.manager}'s go shim" if wrapper.manager else "the go wrapper"
        note = f"set by {who} ({wrapper.script}) before it runs the real go"
        chosen = version_choice(wrapper.manager, self.env) if wrapper.manager else None
        if chosen:
            note = f"{note}; {chosen}"
        value = assignment.value if assignment.value is not None else ""
        return ChainEntry("wrapper", value, SHADOWED, assignment.file, assignment.line, note=note)

    def _add_file_layer(
        self,
        chain: list[ChainEntry],
        layer: str,
        path: str | None,
        lines: list[FileLine],
        name: str,
    ) -> int | None:
        entries, winner = self._file_entries(layer, path, lines, name)
        idx: int | None = None
        for e in entries:
            chain.append(e)
            if e is winner:
                idx = len(chain) - 1
        return idx

    def _value(self, name: str, active: ChainEntry | None) -> str:
        """What go prints; a prediction from the active entry when go cannot answer."""
        if name in self.go.effective:
            return self.go.effective[name]
        if active is not None:
            return active.value
        return self.env.get(name, "")


def _ignore_all(chain: list[ChainEntry], flags: list[str], note: str) -> None:
    """Every value a layer other than go's own set is ignored (with ``note``); not stale."""
    for i, e in enumerate(chain):
        if e.layer not in FROM_GO and e.state != NOT_RUN:
            chain[i] = e.with_state(IGNORED, _join(e.note, note))
    if FLAG_STALE in flags:
        flags.remove(FLAG_STALE)


def _first_word(path: str) -> str | None:
    """The first word of a small file (the telemetry mode), or None when it cannot be read
    (root acting for a user reads only what that user may: a link to /etc/shadow is not)."""
    from goenv_tui.core.acting import may_read

    if not may_read(path):
        return None
    try:
        with open(path, "rb") as fh:
            words = fh.read(256).decode("utf-8", "replace").split()
    except OSError:
        return None
    return words[0] if words else None


def _line_entry(layer: str, path: str | None, fl: FileLine, name: str) -> ChainEntry | None:
    """The chain entry one KEY=VALUE line gives `name`: set, ignored (misread), or none."""
    if fl.key == name:
        return ChainEntry(layer, fl.value, SHADOWED, path, fl.line, note=fl.note)
    if fl.intended_key == name:
        shown = fl.value if fl.key is not None else _apparent_value(fl.raw)
        return ChainEntry(
            layer, shown, IGNORED, path, fl.line, note=fl.note or "go skips this line"
        )
    return None


def _apparent_value(raw: str) -> str:
    """What a skipped `KEY=value` line evidently meant to set (shown, never used)."""
    return raw.partition("=")[2].rstrip("\r\n")


def _join(a: str | None, b: str) -> str:
    return f"{a}; {b}" if a else b
