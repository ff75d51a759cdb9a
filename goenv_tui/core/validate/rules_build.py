"""Rules for build settings: GO111MODULE, CC/CXX, GOOS/GOARCH, GOEXPERIMENT, GOFLAGS,
CGO_ENABLED, the per-architecture levels (GOAMD64, GOARM, ...), GODEBUG."""

from __future__ import annotations

import os
from collections.abc import Callable

from goenv_tui.core.envflags import GO_ENV_FLAGS
from goenv_tui.core.validate.check import _Check
from goenv_tui.core.validate.problem import ERROR, NEWEST_MINOR, WARNING
from goenv_tui.core.validate.rules_modules import _goquote
from goenv_tui.core.validate.syntax import _quoted_split
from goenv_tui.core.validate.tables import (
    _BOOL_FLAGS,
    _BOOL_WORDS,
    _EXP_121,
    _EXP_127,
    _EXP_BETWEEN,
    _FLAGS_NOT_121,
    _GO_FLAGS,
    _PAIRS_121,
    _PAIRS_127,
    _VALUE_FLAGS,
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


def _pairs(c: _Check) -> frozenset[str]:
    if c.exact is None or c.exact >= NEWEST_MINOR:
        return _PAIRS_127
    if c.exact <= 21:
        return _PAIRS_121
    return _PAIRS_121 | _PAIRS_127


def _goos_goarch(c: _Check) -> None:
    goos, goarch = (c.value, c.goarch) if c.name == "GOOS" else (c.goos, c.value)
    if not goos or not goarch:
        return
    if f"{goos}/{goarch}" not in _pairs(c):
        c.err(
            "goos-goarch-unsupported",
            f"{goos}/{goarch} is not a Go port (“unsupported GOOS/GOARCH pair "
            f"{goos}/{goarch}”); see `go tool dist list` for the valid pairs.",
        )


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


#: What each of `go env`'s own flags does to every `go env` run when GOFLAGS holds it.
_ENV_FLAG_EFFECT = {
    "u": "every `go env NAME` then deletes NAME from the go env file (`go env GOPATH` "
    "removes the GOPATH line), and `go env -json` fails (“cannot use -json with -u”)",
    "w": "every `go env` then fails or writes (“go env -w arguments must be NAME=VALUE”, "
    "“cannot use -json with -w”)",
    "json": "every `go env NAME` then prints JSON, which scripts and editors reading it cannot use",
    "changed": "every `go env` then prints only the changed variables",
}


def _goflags(c: _Check) -> None:
    fields = _quoted_split(c.value)
    if isinstance(fields, str):
        c.err(
            "goflags-syntax",
            f"every build fails (“parsing $GOFLAGS: {fields}”); close the quote, and note a "
            "quote only counts at the start of a field.",
        )
        return
    quote_reported = False
    for f in fields:
        if not f.startswith("-") or f in {"-", "--"} or f.startswith(("---", "-=", "--=")):
            c.err(
                "goflags-non-flag",
                f"GOFLAGS may hold only -flag or -flag=value fields, so every build fails "
                f"(“parsing $GOFLAGS: non-flag {_goquote(f)}”); remove {f!r}.",
            )
            continue
        name = f[2:] if f.startswith("--") else f[1:]
        name, has_value, value = name.partition("=")
        if any(q in f for q in "'\""):
            if quote_reported:
                continue
            quote_reported = True
            c.err(
                "goflags-quote",
                f"GOFLAGS field {f!r} has a quote inside it, but quotes only group words when "
                "they start the field; quote the whole field instead, e.g. "
                "GOFLAGS='\"-ldflags=-s -w\"'.",
            )
            continue
        if name == "insecure":
            c.err(
                "goflags-insecure",
                "-insecure was removed from go get (“-insecure flag is no longer supported; "
                "use GOINSECURE instead”); list the hosts in GOINSECURE.",
            )
            continue
        too_new = c.exact is not None and c.exact <= 21 and name in _FLAGS_NOT_121
        if name not in _GO_FLAGS or too_new:
            c.err(
                "goflags-unknown-flag",
                f"no go command has a -{name} flag, so every build fails (“parsing $GOFLAGS: "
                f"unknown flag -{name}”); remove it.",
            )
            continue
        if name in GO_ENV_FLAGS:
            stray = " (an unquoted -ldflags=-s -w leaves this -w on its own)" if f == "-w" else ""
            c.err(
                "goflags-go-env-flag",
                f"{f} is also a flag of `go env`, which takes it from GOFLAGS{stray}: "
                + _ENV_FLAG_EFFECT.get(name, "")
                + f"; remove {f} (quote a field that needs spaces: "
                "GOFLAGS='\"-ldflags=-s -w\"').",
            )
            continue
        if name == "C":
            c.err(
                "goflags-chdir",
                "-C cannot come from GOFLAGS (“-C flag must be first flag on command line”), "
                "so every build fails; remove it.",
            )
        elif name in _VALUE_FLAGS and not has_value:
            c.err(
                "goflags-missing-value",
                f"-{name} needs a value and GOFLAGS cannot pass it as a separate word (“flag "
                f"needs an argument: -{name} (from $GOFLAGS)”); write -{name}=VALUE.",
            )
        elif name in _BOOL_FLAGS and has_value and value not in _BOOL_WORDS:
            c.err(
                "goflags-bad-bool",
                f"-{name} is a boolean flag, so every command that has it fails (“invalid "
                f"boolean value {_goquote(value)} for flag -{name}”); write -{name} or "
                f"-{name}=false.",
            )
        elif name == "mod" and value not in {"readonly", "vendor", "mod"}:
            c.err(
                "goflags-bad-mod",
                f"-mod={value} is not a mode (“-mod={value} not supported (can be '', 'mod', "
                "'readonly', or 'vendor')”); use mod, readonly or vendor.",
            )


def _cgo_enabled(c: _Check) -> None:
    if c.value not in {"0", "1"}:
        c.warn(
            "cgo-enabled-ignored",
            f"go silently ignores CGO_ENABLED={c.value} (only 0 and 1 count), so cgo stays at "
            "its default; write 0 or 1.",
        )


_ARCH_VALUES: dict[str, tuple[str, Callable[[str, int], bool]]] = {}


def _arch_rule(name: str, allowed: str, ok: Callable[[str, int], bool]) -> None:
    _ARCH_VALUES[name] = (allowed, ok)


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


_arch_rule("GOAMD64", "v1, v2, v3 or v4", lambda v, m: v in {"v1", "v2", "v3", "v4"})


_arch_rule("GOARM", "5, 6 or 7 (optionally ,softfloat or ,hardfloat)", _goarm_ok)


_arch_rule("GOARM64", "v8.0-v8.9 or v9.0-v9.5 (optionally ,lse ,crypto)", _goarm64_ok)


_arch_rule("GOMIPS", "hardfloat or softfloat", lambda v, m: v in {"hardfloat", "softfloat"})


_arch_rule("GOMIPS64", "hardfloat or softfloat", lambda v, m: v in {"hardfloat", "softfloat"})


_arch_rule(
    "GOPPC64", "power8, power9 or power10", lambda v, m: v in {"power8", "power9", "power10"}
)


_arch_rule("GORISCV64", "rva20u64, rva22u64 or rva23u64", _goriscv64_ok)


_arch_rule("GOWASM", "a comma list of satconv and signext", _gowasm_ok)


def _arch_var(c: _Check) -> None:
    allowed, ok = _ARCH_VALUES[c.name]
    if ok(c.value, c.minor):
        return
    n = c.name.lower()
    if c.minor >= 23:
        c.warn(
            f"{n}-ignored",
            f"go1.{c.minor} silently ignores {c.name}={c.value} and builds for the default "
            f"level; use {allowed}.",
        )
    else:
        c.err(
            f"{n}-invalid",
            f"go1.{c.minor} fails every build with {c.name}={c.value} (“invalid {c.name}”); "
            f"use {allowed}.",
        )


def _godebug(c: _Check) -> None:
    for item in c.value.split(","):
        if item.strip() and "=" not in item:
            c.warn(
                "godebug-syntax",
                f"the GODEBUG item {item!r} has no '=', so go ignores it; write name=value "
                "pairs separated by commas.",
            )
