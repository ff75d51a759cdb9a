"""`trace_startup`: trace (or statically read) a fresh shell's startup for watched names."""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ..acting import may_read
from ..model import Assignment, ExecInto, ShellTrace
from . import cache
from .startup_files import (
    MODES,
    SHELLS,
    Candidate,
    bash_candidates,
    is_interactive,
    sh_candidates,
    zsh_candidates,
)

if TYPE_CHECKING:
    from .records import Record

# The tracer, the attribution, the static reader and the fish reader are imported where
# they are used: a cache hit needs none of them (start-up time matters, see benchmarks/).

SOURCE_WORDS = (". ", "source ")


def trace_startup(
    shell: str,
    shell_path: str,
    home: str,
    names: Iterable[str],
    base_env: Mapping[str, str],
    *,
    mode: str = "login+interactive",
    trace: bool = True,
    timeout: float = 5.0,
    cache_dir: str | None = None,
    cwd: str | None = None,
) -> ShellTrace:
    """What a fresh `shell` in `mode` sets at startup for `names`; never raises.

    With ``cwd`` (the session's folder), an interactive shell then enters it before its
    first prompt, as the user did: what its directory-change hooks set is part of the
    answer."""
    watched = sorted(set(names))
    cd_to = _entered(cwd, home) if is_interactive(mode) else None
    env = dict(base_env)
    result = ShellTrace(shell=shell, path=shell_path, mode=mode, traced=False)
    result.initial_env = {n: env[n] for n in watched if n in env}
    if shell not in SHELLS or mode not in MODES:
        result.error = f"unsupported shell {shell!r} or mode {mode!r}"
        return result
    try:
        key = cache.cache_key(shell, shell_path, mode, watched, env, home, cd_to)
        # a startup whose terminal ran no hook and no `cd` function answers for any folder
        any_folder = cache.cache_key(shell, shell_path, mode, watched, env, home, None)
        if trace and cache_dir and shell != "fish":
            hit = cache.load(cache_dir, key)
            if hit is None and cd_to is not None:
                hit = cache.load(cache_dir, any_folder)
                hit = hit if hit is not None and hit.folder_free else None
            if hit is not None:
                return hit
        result.version = _version(shell, shell_path)
        if shell == "fish":
            return _fish(result, home, watched, env, trace)
        if trace:
            if not os.access(shell_path, os.X_OK):
                result.error = f"cannot run {shell_path}: no such executable; read statically"
            else:
                started = time.time_ns()
                known = cache.previous_names(cache_dir, key) if cache_dir else set()
                if _traced(
                    result, shell, shell_path, home, watched, env, mode, timeout, known, cd_to
                ):
                    if result.exec_into is not None:
                        _follow_exec(result, home, watched, env, timeout, cd_to)
                    # a probed folder counts by its listing, not its time: goenv's init
                    # rewrites its shims folder (same names) at every start-up
                    probed = [p for p in result.probed if not os.path.isdir(p)]
                    fresh = not (
                        cache.changed_since(result.files_read, started)
                        or cache.changed_since(probed, started, missing_ok=True)
                    )
                    noted = result.error is None or result.exec_into is not None
                    cacheable = result.complete and noted and not result.uncached
                    if cache_dir and cacheable and fresh:
                        cands = [c.path for c in _candidates(shell, home, mode, env, None)]
                        cache.store(cache_dir, key, result, cands)
                        if result.folder_free and key != any_folder:
                            cache.store(cache_dir, any_folder, result, cands)
                    return result
        _static(result, shell, home, watched, env, mode)
        if trace and not result.complete:  # the trace was killed at its time limit
            _all_uncertain(result, f"{result.error}; the files were read statically instead")
    except Exception as exc:  # a broken rc file or an odd system must never crash the caller
        result.error = result.error or f"reading the {shell} startup files failed: {exc}"
        result.traced = False
        with contextlib.suppress(Exception):
            _static(result, shell, home, watched, env, mode)
    return result


#: How many exec'd shells are followed (a loop of execs ends here), per thread.
MAX_EXEC_DEPTH = 3
_EXEC_DEPTH = threading.local()

#: Programs a startup file can exec into that start a shell of theirs: program -> shell.
EXEC_SHELLS = {"bash": "bash", "zsh": "zsh", "fish": "fish", "sh": "sh", "dash": "sh"}


def exec_target(
    records: list[Record], home: str = "", env: Mapping[str, str] | None = None
) -> ExecInto | None:
    """What the startup's last command exec'd into (`exec zsh`, `exec fish -l`, `exec tmux`:
    the shell of tmux's new window), or None when it did not end in an exec."""
    import shlex
    import shutil

    main = [r for r in records if r.main and os.path.isabs(r.file)]
    if not main:
        return None
    last = main[-1]
    try:
        words = shlex.split(last.text.split("\n", 1)[0])
    except ValueError:
        return None
    if len(words) < 2 or words[0] != "exec":
        return None
    args = [w for w in words[1:] if not w.startswith("-") or w in ("-l", "--login")]
    program = next((w for w in words[1:] if not w.startswith("-")), "")
    name = os.path.basename(program)
    path = program if os.path.isabs(program) else (shutil.which(program) or program)
    login = any(w in ("-l", "--login") for w in args) or name.startswith("-")
    shell = EXEC_SHELLS.get(name.lstrip("-"), "")
    where = f"{last.file}:{last.line}"
    if name == "tmux" and len(words) == 2:  # a new session: its window runs tmux's shell
        inner = tmux_shell(home, env or {})
        if inner is not None:
            kind = EXEC_SHELLS.get(os.path.basename(inner), "")
            return ExecInto(kind, "tmux", inner, True, where)
    if not shell and name != "tmux":
        return None  # another program: the terminal runs it and closes (an incomplete trace)
    return ExecInto(shell, name, path, login, where)


#: tmux's configuration files, in the order it reads them (later settings win).
TMUX_CONFS = ("/etc/tmux.conf", "~/.tmux.conf", "~/.config/tmux/tmux.conf")

_TMUX_OPTION = re.compile(
    r"^\s*set(?:-option)?\s+(?:-[a-zA-Z]+\s+)*(default-shell|default-command)\s+(.*?)\s*$"
)


def _tmux_confs(home: str) -> list[str]:
    return [os.path.join(home, c[2:]) if c.startswith("~/") else c for c in TMUX_CONFS]


def tmux_shell(home: str, env: Mapping[str, str]) -> str | None:
    """The shell a new tmux window runs as a login shell: `default-shell` from tmux's
    configuration, else $SHELL, else /bin/sh; None when `default-command` runs something
    else (`tmux` then runs that command, not a login shell)."""
    import shlex

    shell = env.get("SHELL") or "/bin/sh"
    command = ""
    for path in _tmux_confs(home):
        if not _parseable(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as handle:
            for text in handle:
                found = _TMUX_OPTION.match(text.split(" #", 1)[0])
                if found is None:
                    continue
                try:
                    words = shlex.split(found.group(2))
                except ValueError:
                    continue
                value = words[0] if len(words) == 1 else " ".join(words)
                if found.group(1) == "default-shell":
                    shell = value
                else:
                    command = value
    return shell if not command and os.path.isabs(shell) else None


def _entered(cwd: str | None, home: str) -> str | None:
    """The folder a traced terminal enters after startup: the session's, unless it is HOME."""
    if not cwd or not os.path.isabs(cwd):
        return None
    try:
        if os.path.samefile(cwd, home):
            return None
    except OSError:
        return None
    return cwd


def _follow_exec(
    result: ShellTrace,
    home: str,
    watched: list[str],
    env: dict[str, str],
    timeout: float,
    cd_to: str | None = None,
) -> None:
    """The terminal ends in the exec'd shell: trace it (interactive, login when asked) from
    the state the first shell handed it, and append its part of the story."""
    target = result.exec_into
    assert target is not None
    if not target.shell:
        note = (
            f"{target.where} execs {target.program}: the terminal ends there, not in "
            f"{result.shell}; the shells {target.program} starts are not traced"
        )
        result.error = note
        for name in [*result.final_env, *(a.name for a in result.assignments)]:
            result.uncertain[name] = note
        return
    depth = getattr(_EXEC_DEPTH, "n", 0)
    if depth >= MAX_EXEC_DEPTH:  # bash execs zsh, whose rc execs bash, ...
        result.error = (
            f"{target.where} execs {target.program} again: the exec chain is not followed further"
        )
        return
    inherited = {k: v for k, v in env.items() if k not in watched}
    inherited |= result.final_env
    inherited["SHELL"] = env.get("SHELL", target.path)
    if target.program == "tmux":  # what tmux puts in a new window's environment
        result.probed.extend(_tmux_confs(home))  # they chose the shell: part of the answer
        inherited |= {
            "TMUX": f"/tmp/tmux-{os.getuid()}/default,0,0",
            "TMUX_PANE": "%0",
            "TERM": "tmux-256color",
            "TERM_PROGRAM": "tmux",
        }
    mode = "login+interactive" if target.login else "interactive"
    _EXEC_DEPTH.n = depth + 1
    try:
        then = trace_startup(
            target.shell,
            target.path,
            home,
            watched,
            inherited,
            mode=mode,
            timeout=timeout,
            cwd=cd_to,
        )
    finally:
        _EXEC_DEPTH.n = depth
    result.assignments.extend(then.assignments)
    result.files_read.extend(f for f in then.files_read if f not in result.files_read)
    result.final_env = then.final_env
    result.uncertain.update(then.uncertain)
    result.probed.extend(then.probed)
    result.uncached = result.uncached or then.uncached or then.error
    result.complete = then.complete
    result.folder_free = result.folder_free and then.folder_free
    result.fresh_path = then.fresh_path
    how = "traced" if then.traced else "read statically"
    inside = (
        f"a tmux window's {target.shell} (tmux's default-shell; a tmux server already running "
        "would give the window that server's environment instead)"
        if target.program == "tmux"
        else target.shell
    )
    result.error = (
        f"{target.where} execs {target.program}: the terminal ends in {inside} "
        f"({mode}, {how} after {result.shell})" + (f"; {then.error}" if then.error else "")
    )


def _version(shell: str, shell_path: str) -> str | None:
    from .tracer import shell_version

    try:
        mtime = os.stat(shell_path).st_mtime
    except OSError:
        return None
    if shell == "sh":
        real = os.path.basename(os.path.realpath(shell_path))
        bash = (
            shell_version("/bin/bash", os.stat("/bin/bash").st_mtime)
            if os.path.exists("/bin/bash")
            else None
        )
        own = shell_version(shell_path, mtime) if real != "dash" else None
        return own or (f"{real} (traced with {bash} in POSIX mode)" if bash else real)
    return shell_version(shell_path, mtime)


def _candidates(
    shell: str, home: str, mode: str, env: Mapping[str, str], final_zdotdir: str | None
) -> list[Candidate]:
    if shell == "bash":
        return bash_candidates(home, mode)
    if shell == "sh":
        return sh_candidates(home, mode, env.get("ENV"))
    start = env.get("ZDOTDIR")
    return zsh_candidates(home, mode, start, final_zdotdir or start)


def _sh_tracer(shell_path: str) -> tuple[str, str]:
    """sh is traced with bash in POSIX mode (dash has no BASH_SOURCE/LINENO per file)."""
    real = os.path.basename(os.path.realpath(shell_path))
    if "bash" in real:
        return shell_path, ""
    return "/bin/bash", f"{shell_path} is {real}; traced with bash in POSIX mode"


def _traced(
    result: ShellTrace,
    shell: str,
    shell_path: str,
    home: str,
    watched: list[str],
    env: dict[str, str],
    mode: str,
    timeout: float,
    known: set[str] | None = None,
    cd_to: str | None = None,
) -> bool:
    """Fill `result` from a trace; False when the trace gave nothing usable. `known`: names
    an earlier trace found set (watched from the start); `cd_to`: the folder entered."""
    from .attribution import attribute
    from .inputs import startup_inputs
    from .static import not_run_entries
    from .tracer import run_trace
    from .watchset import first_names, missed_names, narrowed, settled

    run_path = shell_path
    if shell == "sh":
        run_path, _ = _sh_tracer(shell_path)
        if not os.access(run_path, os.X_OK):
            result.error = "sh is traced with bash, which is missing; read statically"
            return False
    names = [*watched, "ZDOTDIR"] if shell == "zsh" and "ZDOTDIR" not in watched else watched
    # the startup files of every mode: ~/.profile often sources ~/.bashrc
    tops = {c.path: None for each in MODES for c in _candidates(shell, home, each, env, None)}
    always = ["ZDOTDIR", *(known or ())]
    watch = first_names(names, env, [p for p in tops if _parseable(p)], always)
    closing = [*names, "PATH"]  # PATH only at the end: which go a new terminal runs
    raw = run_trace(shell, run_path, home, watch, env, mode, timeout, closing, cd_to)
    missed = missed_names(raw.records, watch, names) if not raw.timed_out else set()
    filled = settled(raw.records, missed) if missed and raw.complete else None
    if filled is not None:  # the records tell the missed names' story: no second trace
        raw.records, watch, missed = filled, sorted({*watch, *missed}), set()
    if missed:  # a name the first trace did not watch mattered: trace again, watching it
        watch = sorted({*watch, *missed})
        raw = run_trace(shell, run_path, home, watch, env, mode, timeout, closing, cd_to)
        for name in missed_names(raw.records, watch, names) if not raw.timed_out else ():
            result.uncertain[name] = "its value changed between two traces of the startup"
    end = next((r for r in reversed(raw.records) if r.all_names), None)
    fresh_path = end.vars.get("PATH") if end is not None else None
    raw.records = narrowed(raw.records, watch)
    if raw.timed_out or not raw.records:
        result.error = raw.error or f"the {shell} trace produced nothing"
        result.complete = not raw.timed_out
        return False
    ended = not raw.complete and not raw.timed_out
    execs = exec_target(raw.records, home, env) if ended else None
    if execs is not None:
        result.exec_into = execs
        if execs.shell:
            raw.complete, raw.error = True, None  # the startup goes on in the exec'd shell
    att = attribute(
        raw.records, names, "zsh" if shell == "zsh" else "bash", raw.shadowed, raw.hook_sentinel
    )
    final = att.final
    zdot = final.get("ZDOTDIR", (False, ""))[1] if shell == "zsh" else None
    cands = _candidates(shell, home, mode, env, zdot or None)
    result.traced = True
    result.complete = raw.complete
    # only a terminal that entered a folder shows whether a `cd` function or a chpwd hook
    # exists (one in HOME ran neither)
    result.folder_free = cd_to is not None and not _hooks_ran(raw.records, raw.hook_sentinel)
    result.fresh_path = fresh_path[1] if fresh_path is not None and fresh_path[0] else None
    result.error = raw.error
    result.assignments = [a for a in att.assignments if a.name in set(watched)]
    result.uncertain.update({n: why for n, why in att.uncertain.items() if n in set(watched)})
    result.files_read = _files_read(raw.records, cands, att.files)
    result.probed, result.uncached = startup_inputs(raw.records, env, home, (), cd_to)
    _note_unreadable(result, cands)
    result.final_env = {n: v for n, (x, v) in final.items() if x and n in set(watched)}
    state_env = dict(env)
    state_env.update({n: v for n, (_, v) in final.items()})
    hooks = _hook_functions(raw.records, raw.hook_sentinel)
    for path in result.files_read:
        result.assignments.extend(
            _in_hook(entry, hooks)
            for entry in not_run_entries(path, watched, state_env, att.executed.get(path, {}), "")
            if entry.name not in att.uncertain  # run with tracing off: "did not run" is unknown
        )
    for c in cands:
        if not c.read and c.path not in result.files_read and _parseable(c.path):
            result.assignments.extend(
                not_run_entries(c.path, watched, state_env, None, c.note or "not read")
            )
    if not raw.complete:
        why = raw.error or "the trace ended before the startup files finished"
        for a in result.assignments:
            result.uncertain.setdefault(a.name, why)
        for n in result.final_env:
            result.uncertain.setdefault(n, why)
    return True


def _hook_functions(records: list[Record], sentinel: str) -> dict[str, str]:
    """The functions that ran as hooks, each with its hook note (entering the folder,
    or the first prompt)."""
    from ..model import CD_HOOK_NOTE, HOOK_NOTE
    from .tracer import hook_phases

    hooks_at, prompt_at = hook_phases(records, sentinel)
    out: dict[str, str] = {}
    if hooks_at is None or prompt_at is None:
        return out
    for i in range(hooks_at + 1, len(records)):
        if records[i].function:
            out.setdefault(records[i].function, CD_HOOK_NOTE if i < prompt_at else HOOK_NOTE)
    return out


def _in_hook(entry: Assignment, hooks: dict[str, str]) -> Assignment:
    """A line that did not run inside a hook function is the hook's (an untaken branch)."""
    from dataclasses import replace

    from .bashparse import parse_file

    if not hooks or entry.line is None or not entry.file or not _parseable(entry.file):
        return entry
    statement = parse_file(entry.file).statement_at(entry.line)
    note = hooks.get(statement.function or "") if statement is not None else None
    if note is None:
        return entry
    return replace(entry, note=f"{note}; {entry.note}" if entry.note else note)


def _hooks_ran(records: list[Record], sentinel: str) -> bool:
    """Whether code of a file ran after the hooks sentinel (a hook, a `cd` function): then
    the answer depends on the folder the terminal entered."""
    from .attribution import is_binary  # zsh names its own `-c` code by the shell's path
    from .tracer import hook_phases

    at, _ = hook_phases(records, sentinel)
    if at is None:
        return False
    return any(os.path.isabs(r.file) and not is_binary(r.file) for r in records[at + 1 :])


def _files_read(records: list[Record], cands: list[Candidate], seen: list[str]) -> list[str]:
    """Every file the shell read, in order (top-level files without records included)."""
    named: dict[str, None] = {}
    for r in records:
        named.setdefault(r.file, None)
        sourced = _sourced(r.text) if r.text.startswith(SOURCE_WORDS) else None
        if sourced:
            named.setdefault(sourced, None)
    out = [
        path
        for path in named
        if path
        and os.path.isabs(path)
        and not path.startswith(("/dev/", "/proc/"))
        and os.path.isfile(path)
    ]
    tops = [c.path for c in cands if c.read and _parseable(c.path)]
    for i, top in enumerate(tops):
        if top in out:
            continue
        later = [out.index(t) for t in tops[i + 1 :] if t in out]
        out.insert(min(later) if later else len(out), top)
    return out


def _note_unreadable(result: ShellTrace, cands: list[Candidate]) -> None:
    """A startup file the shell would read but the user cannot: the shell skips it (with
    "Permission denied"), so it is neither read nor statically parsed here."""
    for c in cands:
        if c.read and os.path.isfile(c.path) and not may_read(c.path):
            note = f"{c.path} cannot be read by this user: the shell skips it (Permission denied)"
            result.error = f"{result.error}; {note}" if result.error else note


def _parseable(path: str) -> bool:
    """A file this user could read (as root for a user, nothing that user cannot read)."""
    return os.path.isfile(path) and may_read(path)


def _sourced(text: str) -> str | None:
    from .quoting import unquote

    first = text.split("\n", 1)[0]
    for word in SOURCE_WORDS:
        if first.startswith(word):
            return unquote(first[len(word) :].strip().split(" ")[0])
    return None


def _static(
    result: ShellTrace, shell: str, home: str, watched: list[str], env: dict[str, str], mode: str
) -> None:
    """Fill `result` from a static reading (--no-trace, or the trace failed)."""
    from .static import not_run_entries, static_read

    result.traced = False
    cands = _candidates(shell, home, mode, env, None)
    if shell == "zsh":
        zenv = static_read([c.path for c in cands[:2]], ["ZDOTDIR"], env)
        cands = _candidates(shell, home, mode, env, zenv.env.get("ZDOTDIR"))
    res = static_read([c.path for c in cands if c.read and may_read(c.path)], watched, env)
    _note_unreadable(result, cands)
    result.assignments = res.assignments
    result.files_read = res.files_read
    result.final_env = {n: res.env[n] for n in watched if n in res.env and n in res.exported}
    for c in cands:
        if not c.read and c.path not in res.files_read and _parseable(c.path):
            result.assignments.extend(
                not_run_entries(c.path, watched, res.env, None, c.note or "not read")
            )
    result.uncertain.update(res.uncertain)


def _fish(
    result: ShellTrace, home: str, watched: list[str], env: dict[str, str], trace: bool
) -> ShellTrace:
    """Fill `result` from a static reading of fish's files (fish is not traced yet)."""
    from .fishstatic import read_fish

    res = read_fish(home, watched, env)
    result.traced = False
    result.assignments = res.assignments
    result.final_env = res.final_env
    result.files_read = res.files_read
    result.uncertain = res.uncertain
    if trace:
        _all_uncertain(
            result, "fish is read statically (no trace): branches and functions are not evaluated"
        )
    return result


def _all_uncertain(result: ShellTrace, why: str) -> None:
    """Every name the startup files set (as read) is uncertain for ``why``."""
    for name in [*(a.name for a in result.assignments), *result.final_env]:
        result.uncertain.setdefault(name, why)


__all__ = ["Assignment", "trace_startup"]
