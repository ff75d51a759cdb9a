"""Rules for build settings: GO111MODULE, CC/CXX, GOOS/GOARCH, GOEXPERIMENT,
CGO_ENABLED, the per-architecture levels (GOAMD64, GOARM, ...), GODEBUG."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from goenv_tui.core.validate.check import _Check
from goenv_tui.core.validate.problem import ERROR, NEWEST_MINOR, WARNING, Problem
from goenv_tui.core.validate.syntax import _is_this_host, _minor, _quoted_split
from goenv_tui.core.validate.tables import (
    _EXP_121,
    _EXP_127,
    _EXP_BETWEEN,
    _PAIRS_121,
    _PAIRS_127,
)


def _go111module(c: _Check) -> None:
    v = c.value
    if v not in {"", "on", "off", "auto"}:
        said = (
            f'invalid GO111MODULE value "{v}"'
            if c.goenv
            else f"go: unknown environment setting GO111MODULE={v}"
        )
        c.err(
            "go111module-invalid",
            f"GO111MODULE must be on, off or auto (lower case) — go fails with “{said}”.",
        )
    elif v == "off":
        c.warn(
            "go111module-off",
            "GO111MODULE=off switches to the legacy GOPATH mode: go.mod files are ignored and "
            "most modern tools break; remove it (modules are the default).",
        )


def _cc(c: _Check) -> None:
    words = _quoted_split(c.value)
    if isinstance(words, str):
        c.err(
            "cc-syntax",
            f"go cannot split {c.name} into words (“invalid {c.name}: {words}”); close the quote.",
        )
        return
    if not words:
        c.err(
            "cc-syntax",
            f"{c.name} holds only spaces (“{c.name} entry cannot contain only space”); use "
            "`go env -u` to go back to the default.",
        )
        return
    first = words[0]
    if _is_this_host(c.hostos) and (c.abs(first) or first == os.path.basename(first)):
        if not c.which(first):
            what = (
                'every build that uses cgo (import "C", or net and os/user: go turns cgo on '
                "whenever CC is set)"
                if c.name == "CC"
                else "every cgo build with C++ files"
            )
            c.add(
                ERROR if c.name == "CC" else WARNING,
                f"{c.name.lower()}-missing",
                f'{what} fails unless CGO_ENABLED=0 (“cgo: C compiler "{first}" not '
                f"found”): {first!r} is not on PATH; install it or name a compiler that is.",
            )
        return
    if not c.abs(first) and first != os.path.basename(first):
        text = (
            f"go env -w refuses it (“{c.name} entry is relative; must be absolute path”)"
            if c.goenv
            else "cgo builds then depend on the current directory"
        )
        sev = ERROR if c.goenv else WARNING
        c.add(
            sev,
            "cc-relative",
            f"the {c.name} command {first!r} is a relative path, so {text}; give a bare "
            "command name found on PATH or an absolute path.",
        )


def c_compiler(c: _Check) -> str:
    """The C compiler cgo runs: the first word of the CC in effect, else cmd/go's default
    (cfg.DefaultCC: clang on the BSDs and macOS, else gcc)."""
    words = _quoted_split(c.cc) if c.cc else []
    if isinstance(words, list) and words:
        return words[0]
    return "clang" if c.hostos in {"darwin", "ios", "freebsd", "openbsd"} else "gcc"


def _pairs(minor: int | None) -> frozenset[str]:
    if minor is None or minor >= NEWEST_MINOR:
        return _PAIRS_127
    if minor <= 21:
        return _PAIRS_121
    return _PAIRS_121 | _PAIRS_127


def port_problem(goos: str, goarch: str, go_version: str | None) -> Problem | None:
    """The error go gives for a GOOS/GOARCH pair that is not a port (None when it is one)."""
    if not goos or not goarch or f"{goos}/{goarch}" in _pairs(_minor(go_version)):
        return None
    return Problem(
        ERROR,
        "goos-goarch-unsupported",
        f"{goos}/{goarch} is not a Go port (“unsupported GOOS/GOARCH pair {goos}/{goarch}”); "
        "see `go tool dist list` for the valid pairs.",
    )


def _goos_goarch(c: _Check) -> None:
    goos, goarch = (c.value, c.goarch) if c.name == "GOOS" else (c.goos, c.value)
    found = port_problem(goos, goarch, c.go_version)
    if found is not None:
        c.problems.append(found)


def _experiments(c: _Check) -> tuple[frozenset[str], bool]:
    """The known experiment names, and whether the table is exact for this version."""
    if c.exact is None or c.exact >= NEWEST_MINOR:
        return _EXP_127, True
    if c.exact <= 21:
        return _EXP_121, True
    return _EXP_121 | _EXP_127 | _EXP_BETWEEN, False


def _goexperiment(c: _Check) -> None:
    names, exact = _experiments(c)
    names = names | {"regabi"}
    for f in c.value.split(","):
        if not f or f == "none":
            continue
        base = f[2:] if f.startswith("no") else f
        if base in names:
            continue
        msg = (
            f"go1.{c.minor} knows no experiment {base!r} (“unknown GOEXPERIMENT "
            f"{base}”), so it refuses to build; names are lower case, see `go doc "
            "internal/goexperiment`."
        )
        if exact:
            c.err("goexperiment-unknown", msg)
        else:
            c.warn("goexperiment-unknown", msg)


def _cgo_enabled(c: _Check) -> None:
    if c.value == "1" and _is_this_host(c.hostos):
        compiler = c_compiler(c)
        if not c.which(compiler):
            c.err(
                "cgo-no-compiler",
                f"CGO_ENABLED=1 with no C compiler makes every build fail, even one without "
                f"cgo code (“cgo: C compiler "
                f'"{compiler}" not found”); install {compiler}, set CC to one, or remove '
                "CGO_ENABLED (go turns cgo off by itself when there is no compiler).",
            )
        return
    if c.value not in {"0", "1"}:
        c.err(
            "cgo-enabled-ignored",
            f"go silently ignores CGO_ENABLED={c.value} (only 0 and 1 count), so cgo stays at "
            "its default; write 0 or 1.",
        )


@dataclass(frozen=True)
class _Level:
    """One architecture-level variable: the GOARCHes it is for, what it allows, its parser."""

    arches: tuple[str, ...]
    allowed: str
    ok: Callable[[str, int], bool]
    said: Callable[[str, int], str]  # go's own complaint about a bad value


_ARCH_VALUES: dict[str, _Level] = {}


def _arch_rule(
    name: str,
    arches: tuple[str, ...],
    allowed: str,
    ok: Callable[[str, int], bool],
    said: Callable[[str, int], str] | None = None,
) -> None:
    complaint = said or (lambda v, m: f"invalid {name}: must be {allowed.replace(' or ', ', ')}")
    _ARCH_VALUES[name] = _Level(arches, allowed, ok, complaint)


_ARM64_VERSIONS = {"v8.0"} | {f"v8.{i}" for i in range(1, 10)} | {f"v9.{i}" for i in range(6)}


def _goarm_ok(v: str, minor: int) -> bool:
    if minor >= 22:
        for opt in (",softfloat", ",hardfloat"):
            v = v.removesuffix(opt)
    return v in {"5", "6", "7"}


def _goarm64_ok(v: str, minor: int) -> bool:
    while True:
        for opt in (",lse", ",crypto"):
            if v.endswith(opt):
                v = v[: -len(opt)]
                break
        else:
            break
    return v in _ARM64_VERSIONS


def _gowasm_ok(v: str, minor: int) -> bool:
    return all(opt in {"", "satconv", "signext"} for opt in v.split(","))


def _goriscv64_ok(v: str, minor: int) -> bool:
    return v in {"rva20u64", "rva22u64"} or (v == "rva23u64" and minor >= 25)


def _gowasm_said(v: str, minor: int) -> str:
    bad = next((o for o in v.split(",") if o not in {"", "satconv", "signext"}), v)
    return f'invalid GOWASM: no such feature "{bad}"'


_arch_rule(
    "GOAMD64",
    ("amd64",),
    "v1, v2, v3 or v4",
    lambda v, m: v in {"v1", "v2", "v3", "v4"},
    lambda v, m: "invalid GOAMD64: must be v1, v2, v3, v4",
)


_arch_rule(
    "GOARM",
    ("arm",),
    "5, 6 or 7 (optionally ,softfloat or ,hardfloat)",
    _goarm_ok,
    lambda v, m: "invalid GOARM: must be 5, 6, 7",
)


_arch_rule(
    "GOARM64",
    ("arm64",),
    "v8.0-v8.9 or v9.0-v9.5 (optionally ,lse ,crypto)",
    _goarm64_ok,
    lambda v, m: "invalid GOARM64: must start with v8.{0-9} or v9.{0-5}",
)


_arch_rule(
    "GO386",
    ("386",),
    "sse2 or softfloat",
    lambda v, m: v in {"sse2", "softfloat"},
    lambda v, m: f"unsupported setting GO386={v}",
)


_arch_rule(
    "GOMIPS",
    ("mips", "mipsle"),
    "hardfloat or softfloat",
    lambda v, m: v in {"hardfloat", "softfloat"},
)


_arch_rule(
    "GOMIPS64",
    ("mips64", "mips64le"),
    "hardfloat or softfloat",
    lambda v, m: v in {"hardfloat", "softfloat"},
)


_arch_rule(
    "GOPPC64",
    ("ppc64", "ppc64le"),
    "power8, power9 or power10",
    lambda v, m: v in {"power8", "power9", "power10"},
)


_arch_rule(
    "GORISCV64",
    ("riscv64",),
    "rva20u64, rva22u64 or rva23u64",
    _goriscv64_ok,
    lambda v, m: "invalid GORISCV64: must be rva20u64, rva22u64, rva23u64",
)


_arch_rule("GOWASM", ("wasm",), "a comma list of satconv and signext", _gowasm_ok, _gowasm_said)


#: Levels whose bad value go 1.23+ ignores (builds use the default level) instead of failing.
_IGNORED_FROM_123 = frozenset({"GOAMD64", "GOARM"})
#: Levels only the compiler checks: even an exported bad value fails only that GOARCH's builds.
_COMPILER_ONLY = frozenset({"GO386"})


def _arch_var(c: _Check) -> None:
    """A bad level fails (or, for GOAMD64/GOARM on go 1.23+, is ignored by) the builds for its
    GOARCH; exported, most also stop every go command at startup (internal/buildcfg.Check),
    while from the go env file only the compiler sees them. Verified on go 1.21.13 and 1.27.3."""
    level = _ARCH_VALUES[c.name]
    if level.ok(c.value, c.minor):
        return
    n = c.name.lower()
    arches = " or ".join(f"GOARCH={a}" for a in level.arches)
    said = level.said(c.value, c.minor)
    here = c.goarch in level.arches
    if c.minor >= 23 and c.name in _IGNORED_FROM_123:
        msg = f"go1.{c.minor} silently ignores {c.name}={c.value} and builds for the default level"
        if here:
            c.err(f"{n}-ignored", f"{msg}, so the setting does nothing; use {level.allowed}.")
        else:
            c.warn(f"{n}-ignored", f"{msg} in cross builds for {arches}; use {level.allowed}.")
        return
    if not c.goenv and c.name not in _COMPILER_ONLY:
        c.err(
            f"{n}-invalid",
            f"every go command fails at startup, whatever GOARCH (“go: {said}”); use "
            f"{level.allowed}.",
        )
        return
    if here:
        c.err(
            f"{n}-invalid",
            f"every build for GOARCH={c.goarch} fails (“{said}”); use {level.allowed}.",
        )
    else:
        c.warn(
            f"{n}-invalid",
            f"only cross builds for {arches} fail (“{said}”); builds for GOARCH={c.goarch} "
            f"ignore it; use {level.allowed}.",
        )


def _godebug(c: _Check) -> None:
    for item in c.value.split(","):
        if item.strip() and item != item.strip():
            c.err(
                "godebug-spaces",
                f"the GODEBUG item {item!r} has spaces around it, so go reads a setting named "
                f"{item.split('=')[0]!r}, which does not exist, and ignores it; write "
                f"GODEBUG={','.join(i.strip() for i in c.value.split(',') if i.strip())}.",
            )
        elif item.strip() and "=" not in item:
            c.warn(
                "godebug-syntax",
                f"the GODEBUG item {item!r} has no '=', so go ignores it; write name=value "
                "pairs separated by commas.",
            )
