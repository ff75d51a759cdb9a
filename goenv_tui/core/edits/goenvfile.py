"""New bytes of the go env file, exactly as ``go env -w`` / ``go env -u`` would write them.

:func:`goenv_set` / :func:`goenv_unset` copy the current bytes to a scratch file and let the
real go edit it (``GOENV=<scratch> GOTOOLCHAIN=local go env -w ...`` in a clean environment
with a scratch HOME: never ``GOENV=off``, which writes the default file). Go validates and
formats. :func:`goenv_set_direct` / :func:`goenv_unset_direct` reproduce go's writer
(cmd/go/internal/envcmd/env.go: readEnvFileLines, updateEnvFile, lineToKey, checkEnvWrite;
identical in 1.21 ... 1.27) for when go itself cannot run.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable, Mapping

from goenv_tui.core.acting import as_acting_user, give_tree_to_acting_user
from goenv_tui.core.edits.errors import EditError, GoUnavailable
from goenv_tui.core.envflags import guarded
from goenv_tui.core.goprobe import first_error_line
from goenv_tui.core.names import KNOWN_GO_NAMES

TIMEOUT = 30.0

#: Names `go env -w/-u` always refuses (GOROOT is refused only from go 1.27; the direct
#: writer accepts it so that a GOROOT line pointing nowhere can be repaired).
READ_ONLY = frozenset(
    {
        "GOEXE",
        "GOGCCFLAGS",
        "GOHOSTARCH",
        "GOHOSTOS",
        "GOMOD",
        "GOTELEMETRY",
        "GOTELEMETRYDIR",
        "GOTOOLDIR",
        "GOVERSION",
        "GOWORK",
    }
)
OS_ONLY = frozenset({"GOENV", "GODEBUG"})


# --------------------------------------------------------------------------- through go


def goenv_set(go_path: str, current: bytes | None, assignments: Mapping[str, str]) -> bytes:
    """The file after ``go env -w K=V ...`` (``current`` None: the file does not exist).

    Raises EditError with go's own reason when go refuses, GoUnavailable when go cannot run
    with this file (or at all).
    """
    if not assignments:
        raise EditError("Nothing to set: no KEY=VALUE given.")
    for key, val in assignments.items():
        _argv_safe(key, val)
    args = [f"{k}={v}" for k, v in assignments.items()]
    out = _run_go(go_path, current, ["-w", *args])
    assert out is not None  # -w always writes
    return out


def goenv_unset(go_path: str, current: bytes | None, names: Iterable[str]) -> bytes | None:
    """The file after ``go env -u NAME ...``; None when the file does not exist (go fails
    then, after validating the names; there is nothing to remove)."""
    keys = list(names)
    if not keys:
        raise EditError("Nothing to unset: no name given.")
    for key in keys:
        _argv_safe(key, "")
    return _run_go(go_path, current, ["-u", *keys])


def _argv_safe(key: str, val: str) -> None:
    # A NUL cannot reach go through argv; report it the way go does for the value.
    if "\0" in key or "\0" in val:
        raise EditError(f"Go refuses the change: invalid NUL in {key.strip(chr(0))}=... value.")
    if not key:
        raise EditError("Go refuses the change: an empty variable name.")


def _go_env(home: str, scratch: str) -> dict[str, str]:
    return {
        "HOME": home,
        "GOENV": scratch,
        "GOTOOLCHAIN": "local",
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
    }


def _exec(go_path: str, env: Mapping[str, str], cwd: str, args: list[str]) -> tuple[int, str]:
    try:
        run = subprocess.run(
            [go_path, "env", *args],
            env=guarded(env),  # the file's GOFLAGS=-u would turn `-w` into an error
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
            **as_acting_user(),
        )
    except subprocess.TimeoutExpired as exc:
        raise GoUnavailable(f"{go_path} did not answer within {TIMEOUT:g}s.") from exc
    except OSError as exc:
        raise GoUnavailable(f"{go_path} could not start: {exc.strerror or exc}.") from exc
    return run.returncode, run.stderr.decode("utf-8", "replace")


def _run_go(go_path: str, current: bytes | None, args: list[str]) -> bytes | None:
    with tempfile.TemporaryDirectory(prefix="goenv-tui-goenv-", ignore_cleanup_errors=True) as tmp:
        home = os.path.join(tmp, "home")
        work = os.path.join(tmp, "work")
        os.mkdir(work)
        # telemetry off in the scratch HOME: no counters, no sidecar writing after go exits
        os.makedirs(os.path.join(home, ".config", "go", "telemetry"))
        with open(os.path.join(home, ".config", "go", "telemetry", "mode"), "w") as fh:
            fh.write("off")
        scratch = os.path.join(tmp, "env")
        if current is not None:
            with open(scratch, "wb") as fh:
                fh.write(current)
        give_tree_to_acting_user(tmp)
        code, err = _exec(go_path, _go_env(home, scratch), work, args)
        if code == 0:
            if not os.path.exists(scratch):
                return None
            with open(scratch, "rb") as fh:
                return fh.read()
        line = _go_line(err)
        if current is None and args[0] == "-u" and "reading go env config" in line:
            return None  # validated, but there is no file to remove anything from
        # Does go refuse the request itself, or can it not run with this file at all?
        # The same request against an empty file tells them apart.
        blank = os.path.join(tmp, "blank")
        with open(blank, "wb"):
            pass
        give_tree_to_acting_user(tmp)
        code2, err2 = _exec(go_path, _go_env(home, blank), work, args)
    if code2 != 0:
        if _go_line(err2) == line and "cannot find GOROOT" in line:
            raise GoUnavailable(f"Go cannot run: {_period(line)}", line)
        if _go_line(err2) != line:
            raise GoUnavailable(f"Go cannot run with this go env file: {_period(line)}", line)
        raise EditError(f"Go refuses the change: {_period(line)}")
    raise GoUnavailable(f"Go cannot run with this go env file: {_period(line)}", line)


def _period(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def _go_line(stderr: str) -> str:
    line = first_error_line(stderr)
    return line[len("go: ") :] if line.startswith("go: ") else line or "no error message"


# --------------------------------------------------------------------------- direct writer


def goenv_set_direct(current: bytes | None, assignments: Mapping[str, str]) -> bytes:
    """What ``go env -w`` writes, computed without go (validation: checkEnvWrite's rules)."""
    if not assignments:
        raise EditError("Nothing to set: no KEY=VALUE given.")
    lines = _lines(current)
    known = {k for k in (_key(ln) for ln in lines) if k}
    add: dict[bytes, bytes] = {}
    for key, val in assignments.items():
        _check_write(key, val, known)
        add[_enc(key)] = _enc(val)
    return _update(lines, add, set())


def goenv_unset_direct(current: bytes | None, names: Iterable[str]) -> bytes | None:
    """What ``go env -u`` writes, computed without go; None when the file does not exist."""
    keys = list(names)
    if not keys:
        raise EditError("Nothing to unset: no name given.")
    lines = _lines(current)
    known = {k for k in (_key(ln) for ln in lines) if k}
    for key in keys:
        _check_write(key, "", known)
    if current is None:
        return None
    return _update(lines, {}, {_enc(k) for k in keys})


def _enc(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _lines(data: bytes | None) -> list[bytes]:
    """readEnvFileLines: split after every \\n; a last line without one gets one."""
    if not data:
        return []
    parts = data.split(b"\n")
    lines = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1] + b"\n")
    return lines


def _key(line: bytes) -> bytes:
    """lineToKey: the text before the first '=', or b'' (no '=', or a '#' before it)."""
    i = line.find(b"=")
    if i < 0 or b"#" in line[:i]:
        return b""
    return line[:i]


def _update(lines: list[bytes], add: dict[bytes, bytes], delete: set[bytes]) -> bytes:
    """updateEnvFile: dedupe (last copy wins), replace or append, delete, sort key runs."""
    lines = list(lines)
    prev: dict[bytes, int] = {}
    for i, line in enumerate(lines):
        key = _key(line)
        if key:
            if key in prev:
                lines[prev[key]] = b""
            prev[key] = i
    pending = dict(add)
    for key, val in add.items():
        if key in prev:
            lines[prev[key]] = key + b"=" + val + b"\n"
            del pending[key]
    lines.extend(key + b"=" + val + b"\n" for key, val in pending.items())
    for key in delete:
        if key in prev:
            lines[prev[key]] = b""
    start = 0
    for i in range(len(lines) + 1):
        if i == len(lines) or not _key(lines[i]):
            # keys in a run are unique after the dedupe, so go's unstable sort is exact here
            lines[start:i] = sorted(lines[start:i], key=_key)
            start = i + 1
    return b"".join(lines)


def _check_write(key: str, val: str, known: set[bytes]) -> None:
    """checkEnvWrite's portable rules (the GOOS/GOARCH and GOEXPERIMENT checks need go)."""

    def refuse(why: str) -> EditError:
        return EditError(f"Go refuses the change: {_period(why)}")

    if key in READ_ONLY:
        raise refuse(f"{key} cannot be modified")
    if key in OS_ONLY:
        raise refuse(f"{key} can only be set using the OS environment")
    if not key or "=" in key or "\0" in key:
        raise refuse(f"invalid variable name {key!r}")
    if key not in KNOWN_GO_NAMES and key != "GOROOT" and _enc(key) not in known:
        raise refuse(f"unknown go command variable {key}")
    if key == "GO111MODULE" and val not in ("", "auto", "on", "off"):
        raise refuse(f'invalid GO111MODULE value "{val}"')
    if key == "GOPATH" and val.startswith("~"):
        raise refuse(f"GOPATH entry cannot start with shell metacharacter '~': \"{val}\"")
    if key in ("GOPATH", "GOMODCACHE", "GOTMPDIR") and val and not os.path.isabs(val):
        raise refuse(f'{key} entry is relative; must be absolute path: "{val}"')
    if key in ("CC", "CXX") and val:
        first = val.split()[0] if val.split() else ""
        if not first:
            raise refuse(f"{key} entry cannot contain only space")
        first = first.strip("'\"")
        if not os.path.isabs(first) and first != os.path.basename(first):
            raise refuse(f'{key} entry is relative; must be absolute path: "{first}"')
    try:
        val.encode("utf-8")
    except UnicodeEncodeError:
        raise refuse(f"invalid UTF-8 in {key}=... value") from None
    if "\0" in val:
        raise refuse(f"invalid NUL in {key}=... value")
    if any(c in val for c in "\v\r\n"):
        raise refuse(f"invalid newline in {key}=... value")


def goenv_line(current: bytes | None, line: int, name: str, value: str | None) -> bytes | None:
    """The file with line ``line`` (1-based) replaced by ``NAME=VALUE`` (go's own form, LF), or
    deleted when ``value`` is None: for lines go skips or misreads, which `go env -w/-u`
    cannot reach (``gopath=/x``, ``GOPATH = /x``, a BOM, a CR). None when the file ends up
    empty."""
    lines = _lines(current)
    if not 1 <= line <= len(lines):
        raise EditError(f"Line {line} is not in the go env file (it has {len(lines)} lines).")
    if value is not None:
        _check_write(name, value, {_key(x) for x in lines})
        lines[line - 1] = _enc(f"{name}={value}\n")
    else:
        del lines[line - 1]
    out = b"".join(lines)
    return out or None
