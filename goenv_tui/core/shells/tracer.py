"""Run the user's shell under xtrace and collect the records (bash, sh via bash, zsh)."""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shlex
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache

from goenv_tui.core.acting import on_behalf

from .records import Record, bash_ps4, parse_records, zsh_ps4
from .sandbox import run_sandboxed
from .startup_files import bash_login_file, is_interactive, is_login

TRACE_FD = 87  # the trace fd is >= this, so rc files that juggle fds 3-9 leave it alone
#: The function direnv's hook defines (bash and zsh).
DIRENV_HOOK = "_direnv_hook"

#: Builtins a startup file can redefine as a function or disable (`enable -n`, zsh
#: `disable`), after which what a line like `export GOPATH=...` did is unknown.
SHADOWABLE = frozenset(
    {
        "export", "declare", "typeset", "readonly", "local", "unset", "builtin", "command",
        "set", "source", "eval", "enable", "exec", "shopt", "alias", "unalias", "setopt",
        "unsetopt", "emulate", "disable", "float", "integer",
    }
)  # fmt: skip


@dataclass
class RawTrace:
    """What one traced run produced."""

    records: list[Record] = field(default_factory=list)
    complete: bool = False
    error: str | None = None
    how: str = ""  # the command line, for the report
    elapsed: float = 0.0
    timed_out: bool = False
    shadowed: frozenset[str] = frozenset()  # builtins still redefined or disabled at the end
    hook_sentinel: str = ""  # the command before the prompt hooks ran


@lru_cache(maxsize=16)
def shell_version(path: str, mtime: float) -> str | None:
    """`<shell> --version`'s first line (None when it has none, e.g. dash)."""
    del mtime  # part of the cache key only
    try:
        done = subprocess.run(
            [path, "--version"],
            env={"PATH": "/usr/bin:/bin"},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=3,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    first = done.stdout.decode("utf-8", "replace").strip().splitlines()
    return first[0] if first else None


def marker_command(marker: str, shell: str, closing_ps4: str = "") -> str:
    """The last command of a trace: the marker, and (as its words) which of SHADOWABLE are
    functions or disabled at the end of the startup (bash: `declare -F`, `enable -n`; zsh:
    the `functions`, `dis_builtins` and `dis_reswords` parameters). With `closing_ps4`, PS4
    is set to it first, so the marker's record shows every watched name."""
    swap = f"{CLOSING_SWAP}{shlex.quote(closing_ps4)}\n" if closing_ps4 else ""
    if shell == "zsh":
        return swap + (
            f': {marker} "${{(k)functions}}" "${{(k)dis_builtins}}" "${{(k)dis_reswords}}"'
        )
    names = " ".join(sorted(SHADOWABLE))
    return swap + (
        f': {marker} "$(builtin declare -F {names} 2>/dev/null)" "$(builtin enable -n 2>/dev/null)"'
    )


#: How the closing PS4 is set (the record of that assignment is dropped from the trace).
CLOSING_SWAP = "PS4="


def _drop_swap(records: list[Record], marker: str) -> list[Record]:
    """The records without the closing PS4's assignment (the command right before the
    marker, run from our command string, not from a startup file)."""
    for i in range(len(records) - 1, 0, -1):
        words = records[i].text.split(None, 2)
        if records[i].main and words[:2] == [":", marker]:
            before = records[i - 1]
            if before.text.startswith(CLOSING_SWAP) and not os.path.isabs(before.file):
                return records[: i - 1] + records[i:]
            break
    return records


#: The sentinel before the hooks run: what follows is what entering the session's folder
#: (directory-change hooks, a `cd` function) and then the first prompt do.
HOOKS_SUFFIX = "_HOOKS"
#: Appended to the hooks sentinel: what follows it is the first prompt's hooks.
PROMPT_SUFFIX = "_PROMPT"


def hook_sentinel(marker: str) -> str:
    """The traced command that comes right before the prompt hooks run."""
    return f": {marker}{HOOKS_SUFFIX}"


def hook_phases(records: list[Record], sentinel: str) -> tuple[int | None, int | None]:
    """(index of the hooks sentinel, index of the first prompt's sentinel) in ``records``:
    between them the terminal entered the folder, after the second its prompt hooks ran."""
    hooks_at = next((i for i, r in enumerate(records) if r.text.strip() == sentinel), None)
    if hooks_at is None:
        return None, None
    prompt = sentinel + PROMPT_SUFFIX
    prompt_at = next(
        (i for i in range(hooks_at, len(records)) if records[i].text.strip() == prompt), hooks_at
    )
    return hooks_at, prompt_at


def hook_command(marker: str, shell: str, cd_to: str | None = None) -> str:
    """After a sentinel, `cd` into ``cd_to`` (the session's folder, when it is not HOME) as
    the user did (zsh's chpwd hooks, a `cd` function), then run the prompt hooks once, as
    the first prompt there would: bash's PROMPT_COMMAND (a string or, bash 5.1+, an
    array), zsh's precmd functions."""
    sentinel = hook_sentinel(marker)
    # direnv's hook is not run: the session's own direnv state says what it loaded (layer
    # `direnv`), and its diff would reset the trace's PS4 (bash ignores an inherited one
    # as root), blinding the trace for every hook after it
    lines = [sentinel, f"{DIRENV_HOOK}() {{ :; }}"]
    if cd_to:
        folder = shlex.quote(cd_to)
        lines.append(f"if [ -d {folder} ] && [ -x {folder} ]; then cd -- {folder}; fi")
    lines.append(sentinel + PROMPT_SUFFIX)
    if shell == "zsh":
        lines.append('for __goenv_tui_hook in ${precmd_functions-}; do "$__goenv_tui_hook"; done')
        lines.append("(( $+functions[precmd] )) && precmd")
    else:
        lines.append(
            'for __goenv_tui_hook in "${PROMPT_COMMAND[@]}"; do eval "$__goenv_tui_hook"; done'
        )
    return "\n".join(lines) + "\n"


def shadowed_at_end(records: list[Record], marker: str) -> tuple[bool, frozenset[str]]:
    """(the marker ran, the builtins its words name as redefined or disabled)."""
    for rec in reversed(records):
        words = rec.text.split(None, 2)
        if rec.main and words[:2] == [":", marker]:
            rest = words[2] if len(words) > 2 else ""
            rest = re.sub(r"\benable -n ", " ", rest)
            found = {w for w in re.findall(r"[A-Za-z_]+", rest) if w in SHADOWABLE}
            return True, frozenset(found)
    return False, frozenset()


def _bash_driver(
    files: list[str],
    marker: str,
    sh: bool,
    trace_fd: int,
    hooks: bool = False,
    closing_ps4: str = "",
    cd_to: str | None = None,
) -> str:
    """The -c script of an emulated startup: set up xtrace, source the files, the marker."""
    lines = ["PS4=$1", "shift", f"BASH_XTRACEFD={trace_fd}"]
    if sh:  # look like dash to the files: /etc/profile and ~/.profile test $BASH/$BASH_VERSION
        lines.append("unset BASH BASH_VERSION")
    lines.append("set -x")
    # an unreadable startup file is skipped with an error, as bash and dash do (a failing
    # `.` would end a POSIX-mode shell)
    lines.extend(f"if [ -r {shlex.quote(f)} ]; then . {shlex.quote(f)}; fi" for f in files)
    if sh:
        lines.append(
            'case $- in *i*) if [ -n "${ENV-}" ] && [ -r "$ENV" ]; then . "$ENV"; fi;; esac'
        )
    if hooks:
        lines.append(hook_command(marker, "bash", cd_to))
    lines.append(marker_command(marker, "bash", closing_ps4))
    return "\n".join(lines)


def bash_plan(
    shell_path: str,
    home: str,
    mode: str,
    sh: bool,
    root: bool,
    ps4: str,
    marker: str,
    trace_fd: int,
    closing_ps4: str = "",
    cd_to: str | None = None,
) -> tuple[list[str], str | None, dict[str, str]]:
    """(argv, argv0, extra env) for bash/sh in this mode.

    As root bash ignores PS4 from the environment, and `ssh host cmd` cannot be reproduced
    directly: there the startup is emulated with `--noprofile --norc -c '. FILE; ...'` under
    argv0 `-bash` (a login shell, `shopt login_shell` on, `$0` = `-bash`).
    """
    login, inter = is_login(mode), is_interactive(mode)
    flags = ["-i"] if inter else []
    name = "sh" if sh else "bash"
    argv0 = ("-" + name) if login else name
    if not sh and not root and mode != "noninteractive":
        # `bash -c CMD NAME` sets $0 to NAME: a real login shell has $0 = -bash
        command = (hook_command(marker, "bash", cd_to) if inter else "") + marker_command(
            marker, "bash", closing_ps4
        )
        argv = [shell_path, *(["-l"] if login else []), *flags, "-x", "-c", command, argv0]
        return argv, None, {"PS4": ps4, "BASH_XTRACEFD": str(trace_fd)}
    files: list[str] = []
    if login:
        files.append("/etc/profile")
        if sh:
            files.append(os.path.join(home, ".profile"))
        else:
            chosen = bash_login_file(home)
            if chosen:
                files.append(chosen)
    elif not sh:
        files.extend(["/etc/bash.bashrc", os.path.join(home, ".bashrc")])
    files = [f for f in files if os.path.isfile(f)]
    posix = ["--posix"] if sh else []
    argv = [
        shell_path,
        *posix,
        "--noprofile",
        "--norc",
        *flags,
        "-c",
        _bash_driver(files, marker, sh, trace_fd, inter and not sh, closing_ps4, cd_to),
        argv0,
        ps4,
    ]
    return argv, argv0, {}


def zsh_plan(
    shell_path: str,
    mode: str,
    marker: str,
    ps4: str,
    closing_ps4: str = "",
    cd_to: str | None = None,
) -> tuple[list[str], dict[str, str]]:
    """argv and extra env for zsh: `zsh -o promptsubst -x [-l] [-i] -c ': MARKER'`."""
    flags = (["-l"] if is_login(mode) else []) + (["-i"] if is_interactive(mode) else [])
    hooks = hook_command(marker, "zsh", cd_to) if is_interactive(mode) else ""
    command = hooks + marker_command(marker, "zsh", closing_ps4)
    return [shell_path, "-o", "promptsubst", *flags, "-x", "-c", command], {"PS4": ps4}


def run_trace(
    shell: str,
    shell_path: str,
    home: str,
    names: list[str],
    base_env: dict[str, str],
    mode: str,
    timeout: float,
    closing: list[str] | None = None,
    cd_to: str | None = None,
) -> RawTrace:
    """Trace one startup for `names`; never raises. With `closing`, the marker's record
    shows those names too (how the caller checks that `names` were enough); with `cd_to`,
    an interactive shell then enters that folder before its first prompt."""
    nonce = secrets.token_hex(6)
    marker = f"GOENV_TUI_TRACE_END_{nonce}"
    env = dict(base_env)
    env.setdefault("HOME", home)
    root = os.geteuid() == 0 and on_behalf() is None  # as root for a user: the user's shell
    with tempfile.TemporaryFile() as trace_file:
        fd = trace_file.fileno()
        if shell == "zsh":
            final = zsh_ps4(nonce, closing, closing=True) if closing is not None else ""
            argv, extra = zsh_plan(shell_path, mode, marker, zsh_ps4(nonce, names), final, cd_to)
            env.update(extra)
            result = run_sandboxed(argv, env, cwd=home, timeout=timeout, stderr_to=trace_file)
        else:
            high = fcntl.fcntl(fd, fcntl.F_DUPFD, TRACE_FD)  # no fd of ours is clobbered
            final = bash_ps4(nonce, closing, closing=True) if closing is not None else ""
            ps4 = bash_ps4(nonce, names)
            argv, argv0, extra = bash_plan(
                shell_path, home, mode, shell == "sh", root, ps4, marker, high, final, cd_to
            )
            env.update(extra)
            try:
                result = run_sandboxed(
                    argv, env, cwd=home, timeout=timeout, argv0=argv0, pass_fds=(high,)
                )
            finally:
                os.close(high)
        trace_file.seek(0)
        data = trace_file.read()
    raw = RawTrace(
        how=" ".join(shlex.quote(a) for a in argv[:6]),
        elapsed=result.elapsed,
        timed_out=result.timed_out,
    )
    if result.error:
        raw.error = result.error
        return raw
    raw.records = _drop_swap(
        parse_records(data, nonce, "zsh" if shell == "zsh" else "bash"), marker
    )
    raw.complete, raw.shadowed = shadowed_at_end(raw.records, marker)
    raw.hook_sentinel = hook_sentinel(marker)
    if result.timed_out:
        raw.error = (
            f"the {shell} startup files did not finish within {timeout:g} s (the trace was killed)"
        )
    elif not raw.records:
        raw.error = f"{shell} printed no trace: {_first_line(result.stderr)}"
    elif not raw.complete and result.returncode in (-9, 128 + 9):
        raw.error = (
            f"the {shell} startup was killed (SIGKILL){_after(raw.records)}: a real {shell} "
            "dies there too, so nothing after it runs (a new terminal would close)"
        )
    elif not raw.complete and (unset := _unset_error(result.stderr, raw.records)) is not None:
        raw.error = (
            f"the {shell} startup exited at {unset[0]}:{unset[1]} ({unset[2]} is not set, and "
            "`set -u` is on): a new terminal closes there too"
        )
    elif not raw.complete and _errexit(raw.records):
        raw.error = (
            f"the {shell} startup exited{_after(raw.records)} with `set -e` or `set -u` on "
            "(a failing command or an unset variable there ends the shell): a new terminal "
            "closes there too"
        )
    elif not raw.complete:
        raw.error = (
            f"the {shell} trace ended before the startup files finished{_after(raw.records)} "
            "(exec, `set +x` or an exit in a startup file)"
        )
    return raw


_ERREXIT = re.compile(
    r"^\s*set\s+(?:-[A-Za-z]*[eu][A-Za-z]*\b|(?:-\S+\s+)*-o\s+(?:errexit|nounset)\b)"
)


#: bash's message for an unset variable under `set -u` (an interactive bash gives no line).
_UNSET_ERROR = re.compile(
    r"^(?:(?P<file>/[^:\n]+): line (?P<line>\d+)|-?[\w.-]+): (?P<name>\w+): unbound variable$",
    re.M,
)


def _unset_error(stderr: str, records: list[Record]) -> tuple[str, int, str] | None:
    """(file, line, name) of the unset variable that ended the shell: from bash's message,
    the line found as the first one after the last traced command that expands it."""
    found = list(_UNSET_ERROR.finditer(stderr))
    if not found:
        return None
    from .bashparse import expansion_of

    last, name = found[-1], found[-1]["name"]
    if last["file"]:
        return last["file"], int(last["line"]), name
    before = _last_command(records)
    if before is None:
        return None
    try:
        with open(before.file, encoding="utf-8", errors="replace") as fh:
            lines = fh.read(1 << 20).splitlines()
    except OSError:
        return None
    for number in range(before.line + 1, len(lines) + 1):
        if expansion_of(name).search(lines[number - 1]):
            return before.file, number, name
    return None


def _errexit(records: list[Record]) -> bool:
    """Whether a startup file turned errexit or nounset on (`set -euo pipefail`)."""
    return any(
        r.main and os.path.isabs(r.file) and _ERREXIT.match(r.text) is not None for r in records
    )


def _last_command(records: list[Record]) -> Record | None:
    """The last command of a startup file the main shell ran."""
    return next((r for r in reversed(records) if r.main and os.path.isabs(r.file)), None)


def _after(records: list[Record]) -> str:
    """ " after FILE:LINE (COMMAND)" for the last record the main shell printed."""
    last = _last_command(records)
    if last is None:
        return ""
    command = last.text.split("\n", 1)[0].strip()
    return f" after {last.file}:{last.line} ({command})"


def _first_line(text: str) -> str:
    lines = [
        ln
        for ln in text.splitlines()
        if ln.strip() and "job control" not in ln and "terminal process group" not in ln
    ]
    return lines[0] if lines else "no error output"
