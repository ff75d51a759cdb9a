"""validate(): every rule that applies to one NAME=VALUE, errors first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from goenv_tui.core.validate.check import _Check, _check_empty, _check_name, _check_text
from goenv_tui.core.validate.problem import ERROR, TARGETS, Problem
from goenv_tui.core.validate.rules_build import (
    _ARCH_VALUES,
    _arch_var,
    _cc,
    _cgo_enabled,
    _go111module,
    _godebug,
    _goexperiment,
    _goos_goarch,
)
from goenv_tui.core.validate.rules_cgo import _FLAG_VARS, _cgo_flags
from goenv_tui.core.validate.rules_goflags import _goflags
from goenv_tui.core.validate.rules_modules import _globs, _goauth, _goproxy, _gosumdb, _govcs
from goenv_tui.core.validate.rules_paths import (
    _gobin,
    _gocache,
    _gocacheprog,
    _goenv_os,
    _gomodcache,
    _gopath,
    _goroot,
    _gotmpdir,
    _gowork,
)
from goenv_tui.core.validate.rules_toolchain import _gofips140, _gotoolchain
from goenv_tui.core.validate.syntax import _minor

_RULES: dict[str, Callable[[_Check], None]] = {
    "GO111MODULE": _go111module,
    "GOPATH": _gopath,
    "GOMODCACHE": _gomodcache,
    "GOCACHE": _gocache,
    "GOBIN": _gobin,
    "GOTMPDIR": _gotmpdir,
    "GOCACHEPROG": _gocacheprog,
    "CC": _cc,
    "CXX": _cc,
    "GOOS": _goos_goarch,
    "GOARCH": _goos_goarch,
    "GOEXPERIMENT": _goexperiment,
    "GOFLAGS": _goflags,
    "GOSUMDB": _gosumdb,
    "GOPROXY": _goproxy,
    "GOPRIVATE": _globs,
    "GONOPROXY": _globs,
    "GONOSUMDB": _globs,
    "GOINSECURE": _globs,
    "GOVCS": _govcs,
    "GOAUTH": _goauth,
    "GOTOOLCHAIN": _gotoolchain,
    "GOFIPS140": _gofips140,
    "CGO_ENABLED": _cgo_enabled,
    "GOWORK": _gowork,
    "GOROOT": _goroot,
    "GOENV": _goenv_os,
    "GODEBUG": _godebug,
    **dict.fromkeys(_ARCH_VALUES, _arch_var),
    **dict.fromkeys(_FLAG_VARS, _cgo_flags),
}


def validate(
    name: str,
    value: str,
    *,
    go_version: str | None = None,
    goos: str = "linux",
    goarch: str = "amd64",
    target: str = "goenv",
    hostos: str | None = None,
    cc: str = "",
    path: str | None = None,
) -> list[Problem]:
    """Problems with setting `name` to `value`, errors first; [] when it is fine.

    `target` is "goenv" (a `go env -w` line) or "os" (an exported variable). `goos` and
    `goarch` are the current GOOS/GOARCH (for the pair check); `hostos` (default `goos`)
    decides path syntax. `go_version` ("go1.21.13") picks version-dependent rules. `cc` is
    the CC in effect (for CGO_ENABLED=1; "" = go's default, gcc or clang); `path` the
    user's PATH, where commands a value names are looked up (None: this process's).
    Never raises on any name or value; raises ValueError only for a bad `target`.
    """
    if target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, not {target!r}")
    c = _Check(name, value, _minor(go_version), goos, goarch, hostos or goos, target)
    c.go_version = go_version
    c.cc = cc
    c.path = path
    try:
        if not _check_name(c) or not _check_text(c):
            return _shown(c)
        if value == "":
            _check_empty(c)
            return _shown(c)
        rule = _RULES.get(name)
        if rule is not None:
            rule(c)
    except Exception as exc:  # pragma: no cover - a bug must not crash the editor
        c.warn("internal", f"goenv-tui could not check {name}: {type(exc).__name__}.")
    return _shown(c)


def _shown(c: _Check) -> list[Problem]:
    """The problems, errors first, their messages with the value's secrets hidden (a message
    quotes the value, or go's parse error that echoes a URL password)."""
    if not c.problems:
        return []
    from goenv_tui.core.redact import secrets_only

    redactor = secrets_only()
    problems = c.problems
    if redactor.value(c.name, c.value, "validate") != c.value:  # the value holds a secret
        problems = [replace(p, message=redactor.text(p.message, "validate")) for p in problems]
    return sorted(problems, key=lambda p: p.severity != ERROR)
