"""The `wrapper` layer: a `go` on PATH that is a script (a version manager's shim, a
hand-written wrapper) and sets variables before it execs the real go.

goenv's shim execs ``goenv exec go``, whose bash script exports GOROOT and GOPATH for the
chosen version and then execs the real binary; asdf's and hand-written wrappers work alike.
So the chain is run the way go is run, with every bash script in it traced (BASH_ENV turns
xtrace on in each one, as root too, where bash ignores an inherited PS4), and what the
scripts set on the way to the real go is attributed to their file:line.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import shlex
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from goenv_tui.core.envflags import guarded
from goenv_tui.core.model import Assignment

#: Bump when what a cached wrapper trace holds changes.
SCHEMA = 1
#: Variables a shell changes by itself between two commands: not part of the cache key.
_VOLATILE = frozenset({"_", "OLDPWD"})

#: Version managers by the folder their shim lives in.
SHIM_OWNERS = (
    ("/.goenv/shims/", "goenv"),
    ("/.asdf/shims/", "asdf"),
    ("/mise/shims/", "mise"),
    ("/.gvm/bin/", "gvm"),
)


@dataclass
class WrapperTrace:
    """What the go wrapper chain set before the real go ran."""

    script: str  # the `go` on PATH
    manager: str | None  # goenv, asdf, ... (None: a wrapper of the user's own)
    sets: dict[str, Assignment] = field(default_factory=dict)  # name -> its last assignment
    files: list[str] = field(default_factory=list)  # the scripts of the chain
    error: str | None = None
    probed: list[str] = field(default_factory=list)  # paths its commands named
    uncached: str | None = None  # why the chain's reads cannot be followed


def is_script(path: str) -> bool:
    """Whether ``path`` is a text file run through an interpreter (`#!`)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == b"#!"
    except OSError:
        return False


#: Managers by the variable naming their root (their shims are in ROOT/shims, gvm's in bin).
ROOT_VARIABLES = (
    ("GOENV_ROOT", "goenv", "shims"),
    ("ASDF_DATA_DIR", "asdf", "shims"),
    ("MISE_DATA_DIR", "mise", "shims"),
    ("GVM_ROOT", "gvm", "bin"),
)
#: What a manager's shim says about itself (asdf writes its plugin lines into every shim).
SHIM_SIGNS = ((b"# asdf-plugin:", "asdf"), (b"goenv exec", "goenv"), (b"/libexec/goenv", "goenv"))


def manager_of(path: str, env: Mapping[str, str] | None = None) -> str | None:
    """The version manager whose shim ``path`` is: by its folder (the default one, or the
    root the manager's variable names), else by what the shim says; None otherwise."""
    for folder, name in SHIM_OWNERS:
        if folder in path:
            return name
    for variable, name, sub in ROOT_VARIABLES:
        root = (env or {}).get(variable, "")
        if root and os.path.dirname(path) == os.path.join(os.path.abspath(root), sub):
            return name
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    return next((name for sign, name in SHIM_SIGNS if sign in head), None)


def trace_wrapper(
    go_path: str,
    env: Mapping[str, str],
    names: list[str],
    timeout: float = 10.0,
    *,
    cwd: str | None = None,
    cache_dir: str | None = None,
) -> WrapperTrace | None:
    """Trace the wrapper chain of a script `go` run in ``cwd`` (a shim reads the version
    file up from there) as go is run; None when go is a real binary. With ``cache_dir``,
    a trace whose scripts and every path their commands named are unchanged is reused."""
    from goenv_tui.core.shells import cache

    if not go_path or not is_script(go_path):
        return None
    folder = cwd or env.get("HOME", "/")
    key = _cache_key(go_path, env, names, folder)
    if cache_dir:
        hit = _load(cache_dir, key)
        if hit is not None:
            return hit
    started = time.time_ns()
    result = _traced(go_path, env, names, timeout, folder)
    reads = [*result.files, *result.probed]
    if (
        cache_dir
        and result.error is None
        and result.uncached is None
        and not cache.changed_since(reads, started, missing_ok=True)
    ):
        trace = dataclasses.asdict(result)
        cache.store_payload(
            cache_dir, f"wrapper-{key}.json", trace, result.files, (), result.probed
        )
    return result


def _cache_key(go_path: str, env: Mapping[str, str], names: list[str], cwd: str) -> str:
    try:
        st = os.stat(go_path)
        ident: list[object] = [os.path.realpath(go_path), st.st_size, st.st_mtime_ns]
    except OSError:
        ident = [go_path]
    settled = sorted((k, v) for k, v in env.items() if k not in _VOLATILE)
    blob = json.dumps([SCHEMA, ident, sorted(names), settled, cwd, os.geteuid()])
    import hashlib

    return hashlib.sha256(blob.encode("utf-8", "surrogateescape")).hexdigest()[:40]


def _load(cache_dir: str, key: str) -> WrapperTrace | None:
    """A cached wrapper trace whose inputs are unchanged, else None."""
    from goenv_tui.core.shells import cache

    trace = cache.load_payload(cache_dir, f"wrapper-{key}.json")
    if trace is None:
        return None
    try:
        trace["sets"] = {n: Assignment(**a) for n, a in trace["sets"].items()}
        return WrapperTrace(**trace)
    except (KeyError, TypeError, AttributeError):
        return None


def _traced(
    go_path: str, env: Mapping[str, str], names: list[str], timeout: float, cwd: str
) -> WrapperTrace:
    """Run `go env GOROOT` through the chain in ``cwd``, every bash script traced."""
    import tempfile

    from goenv_tui.core.managers import version_files
    from goenv_tui.core.shells.attribution import attribute
    from goenv_tui.core.shells.inputs import startup_inputs
    from goenv_tui.core.shells.records import bash_ps4, parse_records
    from goenv_tui.core.shells.sandbox import run_sandboxed
    from goenv_tui.core.shells.tracer import TRACE_FD

    result = WrapperTrace(go_path, manager_of(os.path.realpath(go_path), env))
    import secrets

    nonce = secrets.token_hex(6)
    with (
        tempfile.TemporaryDirectory(prefix="goenv-tui-wrap-") as scratch,
        tempfile.TemporaryFile() as trace_file,
    ):
        high = fcntl.fcntl(trace_file.fileno(), fcntl.F_DUPFD, TRACE_FD)
        hook = os.path.join(scratch, "bash_env")
        with open(hook, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(f"PS4={shlex.quote(bash_ps4(nonce, names))}\n")
            fh.write(f"BASH_XTRACEFD={high}\nset -x\n")
        os.chmod(scratch, 0o755)
        os.chmod(hook, 0o644)
        run_env = guarded(env)  # as go is run, but never `go env -u GOROOT` by GOFLAGS
        run_env["BASH_ENV"] = hook
        try:
            done = run_sandboxed(
                [go_path, "env", "GOROOT"],
                run_env,
                cwd=cwd,
                timeout=timeout,
                pass_fds=(high,),
            )
        finally:
            os.close(high)
        trace_file.seek(0)
        data = trace_file.read()
    if done.error or done.timed_out:
        result.error = done.error or f"the go wrapper did not finish within {timeout:g} s"
        return result
    if done.returncode not in (0, None):
        result.error = f"`go env GOROOT` through it exited with status {done.returncode}"
    records = parse_records(data, nonce, "bash")
    att = attribute(records, names, "bash")
    result.files = att.files
    home = env.get("HOME", "/")
    result.probed, result.uncached = startup_inputs(records, env, home, att.files, cwd)
    if result.manager:  # a compiled manager (asdf >= 0.16) reads them where we cannot see
        result.probed.extend(version_files(result.manager, env, cwd))
    for assignment in att.assignments:
        # the same value the session has counts too: the wrapper decides it either way
        if assignment.line is not None and assignment.exported:
            result.sets[assignment.name] = assignment
    return result


def lets_environment_through(
    go_path: str, env: Mapping[str, str], name: str, cwd: str | None = None
) -> bool:
    """Whether the wrapper chain keeps a value ``name`` already has in the environment
    (asdf-golang's exec-env sets GOPATH and GOBIN only when they are unset; goenv's shim
    always overwrites): run go through it with a probe value and see what go gets."""
    import secrets

    from goenv_tui.core.goprobe import env_value

    probe = f"/nonexistent/goenv-tui-probe-{secrets.token_hex(4)}"
    got = env_value(go_path, {**env, name: probe}, cwd or os.getcwd(), name)
    return got == probe


def program_shim(
    go_path: str,
    realpath: str,
    effective: Mapping[str, str],
    env: Mapping[str, str],
    cwd: str | None = None,
) -> WrapperTrace | None:
    """A `go` on PATH that is another program (mise's shims are links to mise itself): what
    it passed go is the difference between go's answer through it and the answer of the
    real go it ran (under the GOROOT it reported), run directly with the same environment.
    None when go is the real binary."""
    from goenv_tui.core.gobuildinfo import go_version
    from goenv_tui.core.goprobe import go_env_json

    real = os.path.join(effective.get("GOROOT", ""), "bin", "go")
    if not os.path.isabs(real) or os.path.realpath(real) == realpath:
        return None
    if go_version(os.path.realpath(real)) is None:
        return None
    result = WrapperTrace(go_path, manager_of(go_path, env) or manager_of(realpath, env))
    direct = go_env_json(real, env, cwd or os.getcwd())
    if direct is None:
        result.error = f"the go it runs ({real}) did not answer `go env -json`"
        return result
    for name, value in effective.items():
        if direct.get(name) != value and name != "GOROOT":
            result.sets[name] = Assignment(name, value, True, go_path, None, True, None)
    return result
