"""Ask the real go command what it does: which go runs, its effective values, its defaults.

Two ``go env -json`` runs go in parallel:

* the EFFECTIVE run: the user's go with the user's environment (what ``go env`` prints);
* the DEFAULTS run: the same binary with a scrubbed environment (no Go variable at all),
  ``GOENV=/dev/null`` (no user file), ``GOTOOLCHAIN=local`` and ``GOROOT`` pointing at a
  scratch directory of symlinks to every entry of the real GOROOT except ``go.env`` — so
  every value is go's built-in default. The scratch prefix is then replaced by the real
  GOROOT, ``GOENV`` is dropped (the caller computes its default) and ``GOTOOLCHAIN`` is set
  to "" (its built-in default: envcmd uses ``EnvOrAndChanged("GOTOOLCHAIN", "")``).

:func:`probe_go` never raises: when go is missing or broken, ``GoInfo.error`` is one
sentence with go's own error line, and the probe still finds what it can (named queries,
a ``GOTOOLCHAIN=local`` retry, the user file and GOROOT computed with go's own rules).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from goenv_tui.core.acting import as_acting_user, give_tree_to_acting_user
from goenv_tui.core.envfile import read_env_map
from goenv_tui.core.gobuildinfo import go_version
from goenv_tui.core.model import GoBinary, GoInfo
from goenv_tui.core.names import KNOWN_GO_NAMES, is_go_name
from goenv_tui.core.wrapper import is_script

#: Names whose evaluation needs a build cache / C toolchain (envcmd ExtraEnvVarsCostly).
COSTLY_NAMES: frozenset[str] = frozenset(
    {
        "CGO_CFLAGS",
        "CGO_CPPFLAGS",
        "CGO_CXXFLAGS",
        "CGO_FFLAGS",
        "CGO_LDFLAGS",
        "PKG_CONFIG",
        "GOGCCFLAGS",
    }
)
#: Environment names kept in the defaults run (everything else is removed).
KEEP_FOR_DEFAULTS: tuple[str, ...] = (
    "HOME",
    "USER",
    "LOGNAME",
    "PATH",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TMPDIR",
)
_SCRUB_EXTRA = frozenset({"CC", "CXX", "AR", "PKG_CONFIG", "FC"})
_CACHE_VERSION = 1


# --------------------------------------------------------------------------- finding go


def _executable_file(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_go_binaries(path_env: str, override: str | None = None) -> list[GoBinary]:
    """Every executable ``go`` in PATH order, de-duplicated by realpath; ``override`` first.

    An empty PATH element means the current directory (as in the shell). Versions come
    from the embedded build info (None for a script wrapper or an old binary).
    """
    candidates: list[str] = []
    if override:
        candidates.append(os.path.abspath(override))
    for entry in path_env.split(os.pathsep) if path_env else []:
        candidates.append(os.path.join(entry or ".", "go"))
    seen: set[str] = set()
    out: list[GoBinary] = []
    for cand in candidates:
        if not _executable_file(cand):
            continue
        real = os.path.realpath(cand)
        if real in seen:
            continue
        seen.add(real)
        out.append(GoBinary(os.path.abspath(cand), real, go_version(real)))
    return out


def goroot_of_binary(realpath: str) -> str | None:
    """GOROOT as go's findGOROOT finds it from the executable: bin/go or bin/GOOS_GOARCH/go."""
    for up in ("../..", "../../.."):
        root = os.path.normpath(os.path.join(realpath, up))
        if os.path.isdir(os.path.join(root, "pkg", "tool")):
            return root
    return None


def user_config_env_file(env: Mapping[str, str], go_version_str: str | None = None) -> str:
    """The go env file go would use, by go's own rules ("" when there is none).

    ``$GOENV`` unless it is "off" (then ""); else os.UserConfigDir()/go/env: on Linux
    ``$XDG_CONFIG_HOME`` when set (go ≥ 1.24 refuses a relative one: no file at all;
    older go uses it as is), else ``$HOME/.config``; on macOS
    ``$HOME/Library/Application Support``.
    """
    goenv = env.get("GOENV", "")
    if goenv == "off":
        return ""
    if goenv:
        return goenv
    home = env.get("HOME", "")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Application Support", "go", "env") if home else ""
    xdg = env.get("XDG_CONFIG_HOME", "")
    if xdg:
        if not os.path.isabs(xdg) and _version_at_least(go_version_str, (1, 24)):
            return ""
        return os.path.join(xdg, "go", "env")
    return os.path.join(home, ".config", "go", "env") if home else ""


def telemetry_mode_file(env: Mapping[str, str]) -> str:
    """Where go keeps its telemetry mode: os.UserConfigDir()/go/telemetry/mode ("" when there
    is no config folder; os.UserConfigDir refuses a relative $XDG_CONFIG_HOME)."""
    home = env.get("HOME", "")
    if sys.platform == "darwin":
        base = os.path.join(home, "Library", "Application Support") if home else ""
    else:
        xdg = env.get("XDG_CONFIG_HOME", "")
        base = (
            xdg
            if os.path.isabs(xdg)
            else ""
            if xdg
            else (os.path.join(home, ".config") if home else "")
        )
    return os.path.join(base, "go", "telemetry", "mode") if base else ""


def _version_at_least(version: str | None, want: tuple[int, int]) -> bool:
    """True when "goX.Y..." is at least ``want`` (unknown versions count as new)."""
    if not version or not version.startswith("go"):
        return True
    parts = version[2:].split(".")
    try:
        major = int(parts[0])
        minor = int("".join(ch for ch in parts[1] if ch.isdigit()) or 0) if len(parts) > 1 else 0
    except ValueError:
        return True
    return (major, minor) >= want


# --------------------------------------------------------------------------- running go


@dataclass
class _Run:
    """One finished go run."""

    argv: list[str]
    returncode: int | None  # None: timed out (killed) or could not start
    stdout: str
    stderr: str
    timed_out: bool = False
    start_error: str | None = None

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def json(self) -> dict[str, str] | None:
        """The stdout as a JSON object of strings, or None."""
        if not self.ok:
            return None
        try:
            data = json.loads(self.stdout)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        return {str(k): str(v) for k, v in data.items()}


class _Pending:
    """A started go process (or a start failure)."""

    def __init__(self, argv: list[str], env: Mapping[str, str], cwd: str) -> None:
        from goenv_tui.core.envflags import guarded

        self.argv = argv
        self.proc: subprocess.Popen[bytes] | None = None
        self.start_error: str | None = None
        if argv[1:2] == ["env"]:
            env = guarded(env)  # GOFLAGS=-u must not make our `go env` delete lines
        try:
            self.proc = subprocess.Popen(
                argv,
                env=dict(env),
                cwd=cwd if os.path.isdir(cwd) else None,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
                **as_acting_user(),
            )
        except OSError as exc:
            self.start_error = exc.strerror or str(exc)

    def wait(self, deadline: float) -> _Run:
        """Wait until ``deadline`` (time.monotonic()); kill the process group on timeout."""
        if self.proc is None:
            return _Run(self.argv, None, "", "", start_error=self.start_error)
        proc = self.proc
        try:
            out, err = proc.communicate(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                proc.kill()
            try:
                out, err = proc.communicate(timeout=2)
            except subprocess.TimeoutExpired:
                out, err = b"", b""
            return _Run(self.argv, None, _dec(out), _dec(err), timed_out=True)
        return _Run(self.argv, proc.returncode, _dec(out), _dec(err))


#: Runs started ahead of the probe (start_effective_run), by what they run.
_STARTED: dict[tuple[tuple[str, ...], tuple[tuple[str, str], ...], str], _Pending] = {}


def _run_key(
    argv: Sequence[str], env: Mapping[str, str], cwd: str
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...], str]:
    return tuple(argv), tuple(sorted(env.items())), cwd


def start_effective_run(env: Mapping[str, str], cwd: str, go_path: str | None = None) -> None:
    """Start the effective `go env -json` that :func:`probe_go` will ask for, ahead of time
    (the console script calls it before its heavy imports). The probe takes it over only
    when it asks for exactly this run: the same go, environment and folder."""
    go = os.path.abspath(go_path) if go_path else _which(env.get("PATH", ""))
    if go is None or not _executable_file(go):
        return
    argv = [go, "env", "-json"]
    _STARTED[_run_key(argv, env, cwd)] = _Pending(argv, env, cwd)


def drop_started_runs() -> None:
    """End the runs started ahead that no probe took (a later probe must not get them)."""
    while _STARTED:
        _, pending = _STARTED.popitem()
        pending.wait(0.0)  # past its deadline: killed and reaped


def _pending(argv: list[str], env: Mapping[str, str], cwd: str) -> _Pending:
    """The run started ahead of time for exactly this, else a new one."""
    started = _STARTED.pop(_run_key(argv, env, cwd), None) if _STARTED else None
    return started if started is not None else _Pending(argv, env, cwd)


def _dec(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", "replace")


def _run(argv: list[str], env: Mapping[str, str], cwd: str, timeout: float) -> _Run:
    return _Pending(argv, env, cwd).wait(time.monotonic() + timeout)


def go_env_json(
    go: str, env: Mapping[str, str], cwd: str, timeout: float = 10.0
) -> dict[str, str] | None:
    """`go env -json` run with exactly ``env`` in ``cwd`` (None: it failed)."""
    return _run([go, "env", "-json"], env, cwd, timeout).json()


def env_value(
    go: str, env: Mapping[str, str], cwd: str, name: str, timeout: float = 10.0
) -> str | None:
    """What `go env NAME` prints when run with exactly ``env`` in ``cwd`` (None: it failed)."""
    run = _run([go, "env", name], env, cwd, timeout)
    return run.stdout.rstrip("\n") if run.ok else None


def first_error_line(stderr: str) -> str:
    """go's first meaningful error line (download progress and warnings skipped if possible),
    its secrets hidden: go echoes URL passwords and tokens in its parse errors."""
    from goenv_tui.core.redact import hide_secrets

    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    noise = ("go: downloading ", "go: finding ", "warning: ")
    chosen = next((ln for ln in lines if not ln.startswith(noise)), lines[0] if lines else "")
    return hide_secrets(chosen, "go.error")


def _failure(what: str, run: _Run, timeout: float) -> str:
    """One sentence for a failed run (no final period; the caller may add a clause)."""
    if run.start_error is not None:
        return f"{what} could not start: {run.start_error}"
    if run.timed_out:
        line = first_error_line(run.stderr)
        extra = f" (last output: {line})" if line else ""
        return f"{what} did not answer within {timeout:g}s and was stopped{extra}"
    line = first_error_line(run.stderr) or "no error message"
    if run.returncode == 0:
        return f"{what} printed no valid JSON"
    return f"{what} failed (exit {run.returncode}): {line}"


def _toolchain_related(run: _Run) -> bool:
    text = run.stderr
    return (
        run.timed_out
        or "GOTOOLCHAIN" in text
        or "toolchain" in text
        or ("go: downloading go" in text)
    )


# --------------------------------------------------------------------------- defaults run


def defaults_env(env: Mapping[str, str], scratch_goroot: str | None) -> dict[str, str]:
    """The scrubbed environment of the defaults run (see the module doc)."""
    out = {k: v for k, v in env.items() if k in KEEP_FOR_DEFAULTS or k.startswith("XDG_")}
    for name in list(out):
        if name in KNOWN_GO_NAMES or name in _SCRUB_EXTRA or is_go_name(name):
            del out[name]
    out["GOENV"] = os.devnull
    out["GOTOOLCHAIN"] = "local"
    if scratch_goroot is not None:
        out["GOROOT"] = scratch_goroot
    return out


def make_scratch_goroot(goroot: str) -> str:
    """A temp dir of symlinks to every entry of ``goroot`` except go.env (caller removes it)."""
    import tempfile

    scratch = tempfile.mkdtemp(prefix="goenv-tui-goroot-")
    give_tree_to_acting_user(scratch)  # still empty: just the folder
    for name in os.listdir(goroot):
        if name == "go.env":
            continue
        os.symlink(os.path.join(goroot, name), os.path.join(scratch, name))
    return scratch


def _remove_tree(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _finish_defaults(raw: dict[str, str], scratch: str, goroot: str) -> dict[str, str] | None:
    """Map scratch paths back to the real GOROOT; None when go did not use the scratch."""
    reported = raw.get("GOROOT", "")
    scratch_real = os.path.realpath(scratch)
    if reported not in (scratch, scratch_real):
        return None
    out: dict[str, str] = {}
    for key, value in raw.items():
        out[key] = value.replace(scratch_real, goroot).replace(scratch, goroot)
    out.pop("GOENV", None)
    if "GOTOOLCHAIN" in out:
        out["GOTOOLCHAIN"] = ""
    return out


def _cache_key(realpath: str, env: Mapping[str, str], cwd: str, *more: str) -> str | None:
    try:
        st = os.stat(realpath)
    except OSError:
        return None
    parts = [
        str(_CACHE_VERSION),
        realpath,
        str(st.st_mtime_ns),
        str(st.st_size),
        str(st.st_ino),
        cwd,
        *(f"{k}={env.get(k, '')}" for k in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "PATH")),
        *more,
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _cache_load(cache_dir: str | None, key: str | None) -> dict[str, str] | None:
    if cache_dir is None or key is None:
        return None
    try:
        with open(os.path.join(cache_dir, f"defaults-{key}.json"), encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    return {str(k): str(v) for k, v in data.items()}


def _cache_store(cache_dir: str | None, key: str | None, data: Mapping[str, str]) -> None:
    if cache_dir is None or key is None:
        return
    from goenv_tui.core.shells.cache import write_cache_file

    write_cache_file(cache_dir, f"defaults-{key}.json", json.dumps(dict(data)))


# --------------------------------------------------------------------------- the probe


def _which(path_env: str) -> str | None:
    from goenv_tui.core.paths import which

    return which("go", path_env)


def _named_query(
    go: str, env: Mapping[str, str], cwd: str, timeout: float, names: Sequence[str]
) -> tuple[dict[str, str] | None, _Run]:
    """``go env -json NAMES...``: all names, then without the costly ones."""
    run = _run([go, "env", "-json", *names], env, cwd, timeout)
    data = run.json()
    if data is None and not run.timed_out:
        cheap = [n for n in names if n not in COSTLY_NAMES]
        run2 = _run([go, "env", "-json", *cheap], env, cwd, timeout)
        data2 = run2.json()
        if data2 is not None:
            return data2, run2
    return data, run


def probe_go(
    env: Mapping[str, str],
    cwd: str,
    go_path: str | None = None,
    timeout: float = 10.0,
    cache_dir: str | None = None,
) -> GoInfo:
    """Probe the go the user would run (first on env's PATH, or ``go_path``); never raises."""
    info = GoInfo()
    path_env = env.get("PATH", "")
    try:
        info.on_path = find_go_binaries(path_env, go_path)
    except OSError:
        info.on_path = []
    go = os.path.abspath(go_path) if go_path else _which(path_env)
    if go is None or not _executable_file(go):
        where = go_path if go_path else "PATH"
        info.error = (
            f"The go command {go_path} is not an executable file."
            if go_path
            else f"No go command found on {where}."
        )
        info.env_file = user_config_env_file(env)
        _fill_goroot_fallback(info, env, None)
        return info
    info.path = go
    info.realpath = os.path.realpath(go)
    own_version = go_version(info.realpath)
    local_goroot = goroot_of_binary(info.realpath)

    # Start both runs.
    deadline = time.monotonic() + timeout
    pending_eff = _pending([go, "env", "-json"], env, cwd)
    # a shim go (a manager's script, or a link to a program such as mise) picks its real go
    # from files we do not see here (~/.tool-versions, ~/.goenv/version): its defaults are
    # never reused
    shim = local_goroot is None or is_script(info.realpath)  # not the go binary itself
    cache_key = None if shim else _cache_key(info.realpath, env, cwd)
    # which go binary a shim really runs: its own version, no toolchain switch
    pending_local = (
        _Pending([go, "env", "GOVERSION"], {**env, "GOTOOLCHAIN": "local"}, cwd) if shim else None
    )
    cached = _cache_load(cache_dir, cache_key)
    scratch: str | None = None
    pending_def: _Pending | None = None
    try:
        if cached is None and local_goroot is not None:
            try:
                scratch = make_scratch_goroot(local_goroot)
            except OSError:
                scratch = None
            if scratch is not None:
                pending_def = _Pending(
                    [info.realpath, "env", "-json"], defaults_env(env, scratch), cwd
                )
        eff = pending_eff.wait(deadline)
        def_run = pending_def.wait(deadline) if pending_def is not None else None
        defaults: dict[str, str] | None = cached
        if def_run is not None and scratch is not None and local_goroot is not None:
            raw = def_run.json()
            if raw is not None:
                defaults = _finish_defaults(raw, scratch, local_goroot)
    finally:
        if scratch is not None:
            _remove_tree(scratch)

    effective = eff.json()
    error: str | None = None
    if effective is None:
        error, effective = _recover(go, env, cwd, timeout, eff, defaults)
    info.effective = effective or {}
    if "GOFLAGS" in info.effective:
        from goenv_tui.core.envflags import hijacking, in_effect

        if hijacking(real := in_effect(env)):
            info.effective["GOFLAGS"] = real  # our run had a neutral GOFLAGS of its own

    if defaults is None:
        defaults = _defaults_fallback(info, env, cwd, timeout, own_version, cache_dir)
    if defaults is not None and cached is None:
        _cache_store(cache_dir, cache_key, defaults)
    info.defaults = defaults or {}

    info.version = info.effective.get("GOVERSION") or None
    info.local_version = info.defaults.get("GOVERSION") or own_version
    if pending_local is not None:
        ran = pending_local.wait(deadline)
        runs = ran.stdout.strip() if ran.ok else ""
        if runs.startswith("go"):
            info.local_version = runs
    if "GOENV" in info.effective:
        info.env_file = info.effective["GOENV"]
    else:
        info.env_file = user_config_env_file(env, info.local_version)
    info.goroot = info.effective.get("GOROOT") or None
    _fill_goroot_fallback(info, env, local_goroot, cwd)
    for i, b in enumerate(info.on_path):
        if b.realpath == info.realpath and b.version is None and info.local_version:
            info.on_path[i] = GoBinary(b.path, b.realpath, info.local_version)
    info.error = error
    return info


def _recover(
    go: str,
    env: Mapping[str, str],
    cwd: str,
    timeout: float,
    eff: _Run,
    defaults: Mapping[str, str] | None,
) -> tuple[str, dict[str, str] | None]:
    """After a failed ``go env -json``: (one-sentence error, whatever values go still gives)."""
    sentence = _failure("go env", eff, timeout)
    names = sorted(defaults) if defaults else sorted(KNOWN_GO_NAMES)
    if eff.start_error is not None:
        return sentence + ".", None
    toolchain = _toolchain_related(eff) and env.get("GOTOOLCHAIN") != "local"
    if toolchain:
        local_env = dict(env)
        local_env["GOTOOLCHAIN"] = "local"
        run = _run([go, "env", "-json"], local_env, cwd, timeout)
        data = run.json()
        if data is None:
            data, run = _named_query(go, local_env, cwd, timeout, names)
        if data is not None:
            configured = _configured(env, data, "GOTOOLCHAIN")
            if configured is not None:
                data["GOTOOLCHAIN"] = configured  # what go reads, not our override
            return sentence + "; the values shown come from GOTOOLCHAIN=local.", data
    if not eff.timed_out:
        data, _run2 = _named_query(go, env, cwd, timeout, names)
        if data is not None:
            if defaults:
                data = {k: v for k, v in data.items() if k in defaults or k == "GOENV"}
            if data.get("GOCACHE") == "off":
                # go prints "off" for an unusable GOCACHE (e.g. relative): show the setting.
                configured = _configured(env, data, "GOCACHE")
                if configured:
                    data["GOCACHE"] = configured
            return sentence + "; the values shown come from named queries.", data
    return sentence + ".", None


def _configured(env: Mapping[str, str], data: Mapping[str, str], name: str) -> str | None:
    """The value go reads for ``name``: non-empty OS env, user file, $GOROOT/go.env."""
    if env.get(name):
        return env[name]
    goenv = data.get("GOENV")
    if goenv is None:
        goenv = user_config_env_file(env, data.get("GOVERSION"))
    user = read_env_map(goenv) if goenv else {}
    goroot = user.get("GOROOT") or env.get("GOROOT") or data.get("GOROOT", "")
    goroot_map = read_env_map(os.path.join(goroot, "go.env")) if goroot else {}
    merged = dict(goroot_map)
    merged.update(user)
    return merged.get(name)


def _defaults_fallback(
    info: GoInfo,
    env: Mapping[str, str],
    cwd: str,
    timeout: float,
    own_version: str | None,
    cache_dir: str | None = None,
) -> dict[str, str] | None:
    """Defaults when the scratch trick could not run on the binary itself (e.g. a wrapper).

    Uses the real go binary under the GOROOT that the effective run reported; cached by
    that binary (a shim that switches versions runs another binary: another key).
    """
    roots = [info.effective.get("GOROOT", "")]
    real = info.realpath or ""
    roots.append(goroot_of_binary(real) or "")
    for root in roots:
        if not root or not os.path.isdir(os.path.join(root, "pkg", "tool")):
            continue
        binary = os.path.join(root, "bin", "go")
        if go_version(binary) is None:
            continue
        key = _cache_key(os.path.realpath(binary), env, cwd, root)  # root: the paths in it
        cached = _cache_load(cache_dir, key)
        if cached is not None:
            return cached
        try:
            scratch = make_scratch_goroot(root)
        except OSError:
            continue
        try:
            run = _run([binary, "env", "-json"], defaults_env(env, scratch), cwd, timeout)
            raw = run.json()
            if raw is not None:
                result = _finish_defaults(raw, scratch, root)
                if result is not None:
                    _cache_store(cache_dir, key, result)
                    return result
        finally:
            _remove_tree(scratch)
    return None


def _fill_goroot_fallback(
    info: GoInfo, env: Mapping[str, str], local_goroot: str | None, cwd: str = ""
) -> None:
    """Fill goroot and goroot_env_file with go's findGOROOT rules when go could not say.

    go.env is read from the user file's GOROOT first, then $GOROOT, then the binary's own
    location (cfg.go initEnvCache/findGOROOT) — even when the OS $GOROOT wins for GOROOT.
    """
    file_goroot = ""
    if info.env_file:
        file_goroot = read_env_map(info.env_file).get("GOROOT", "")
    os_goroot = env.get("GOROOT", "")
    if info.goroot is not None and info.realpath and is_script(info.realpath):
        # a shim exports GOROOT itself before the real go runs: go's answer is what that
        # go saw, not this process's $GOROOT
        os_goroot = info.goroot
    if info.goroot is None:
        pick = os_goroot or file_goroot or local_goroot
        info.goroot = os.path.normpath(pick) if pick else None
    goenv_root = file_goroot or os_goroot or info.goroot or ""
    # (a relative GOROOT is relative to the folder go runs in, as go resolves it)
    info.goroot_env_file = (
        os.path.join(cwd, os.path.normpath(goenv_root), "go.env") if goenv_root else None
    )
