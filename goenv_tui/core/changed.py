"""`show --changed`: what `go env -changed` answers, on every go version."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Collection, Mapping

from goenv_tui.core.acting import as_acting_user
from goenv_tui.core.envflags import guarded
from goenv_tui.core.layers import FROM_GO
from goenv_tui.core.model import GoInfo, Variable
from goenv_tui.core.names import KNOWN_GO_NAMES

#: Variables go (1.23+) reports as changed whenever they are non-empty.
_NONEMPTY_IS_CHANGED = frozenset(
    {
        "GOEXPERIMENT",
        "GOFLAGS",
        "GOINSECURE",
        "GOPACKAGESDRIVER",
        "GOPRIVATE",
        "GOTMPDIR",
        "GOVCS",
        "GODEBUG",
    }
)


def go_minor(version: str | None) -> int | None:
    """1.23 -> 23 for 'go1.23.4' (None when unknown)."""
    m = re.match(r"go1\.(\d+)", version or "")
    return int(m.group(1)) if m else None


def real_changed(
    go: GoInfo, env: Mapping[str, str], cwd: str, timeout: float = 10.0
) -> set[str] | None:
    """Ask the go binary itself (`go env -changed -json`, go >= 1.23); None if it cannot."""
    minor = go_minor(go.version)
    if go.path is None or go.error or minor is None or minor < 23:
        return None
    try:
        out = subprocess.run(
            [go.path, "env", "-changed", "-json"],
            env=guarded(env),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
            **as_acting_user(),
        )
        data = json.loads(out.stdout) if out.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None
    return set(data) if isinstance(data, dict) else None


#: Never listed by `go env -changed` whatever sets them (go 1.27.3, env_changed.txt).
_NEVER_CHANGED = frozenset({"GOROOT", "GOTELEMETRY", "GOTELEMETRYDIR", "GOWORK"})


def emulated_changed(
    variables: Mapping[str, Variable], listed: Collection[str] | None = None
) -> set[str]:
    """go 1.23's rules, computed from the chains (for go 1.21/1.22, or a go that cannot run).

    ``listed``: the names this go's `go env` prints (None: go's known names). Like go, it
    leaves out GOROOT, GOWORK, the telemetry names, empty values, and a CGO_ENABLED=0 that a cross
    build (GOOS/GOARCH not the host's) has by default.
    """
    known = listed if listed is not None else KNOWN_GO_NAMES | {"GOENV"}
    out: set[str] = set()
    for name, var in variables.items():
        src = var.source
        if name not in known or name in _NEVER_CHANGED or var.value == "":
            continue
        if src is None or src.layer in FROM_GO:
            continue
        if name == "GO111MODULE":
            if var.value != "on":
                out.add(name)
            continue
        if name in _NONEMPTY_IS_CHANGED or name in ("CC", "CXX"):
            out.add(name)
            continue
        if name == "GOPATH" and src.layer != "goenv":
            continue  # go compares an OS-environment GOPATH with itself
        if name == "CGO_ENABLED" and _cross(variables):
            if var.value != "0":
                out.add(name)
            continue
        base = [e for e in var.chain if e.layer == "goroot" and e.state != "ignored"]
        if not base:
            base = [e for e in var.chain if e.layer == "default"]
        if not base or base[-1].value != var.value:
            out.add(name)
    return out


def _cross(variables: Mapping[str, Variable]) -> bool:
    """Whether GOOS/GOARCH name another platform than the host (cgo is then off by default)."""

    def value(name: str) -> str:
        var = variables.get(name)
        return var.value if var is not None else ""

    return (value("GOOS"), value("GOARCH")) != (value("GOHOSTOS"), value("GOHOSTARCH"))


def changed_names(
    go: GoInfo, variables: Mapping[str, Variable], env: Mapping[str, str], cwd: str
) -> tuple[set[str], str]:
    """The changed names and how they were found ("go env -changed" or "emulated")."""
    real = real_changed(go, env, cwd)
    if real is not None:
        return real, "go env -changed"
    return emulated_changed(variables, set(go.effective) or None), "emulated go 1.23+ rules"
