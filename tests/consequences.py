"""The consequence corpus: values that `go env -w` (or an export) accepts but that make a later
go command fail, or succeed while doing nothing with them, as the real go 1.27.3 and 1.21.13
do it on linux/amd64 without a network.

Each case is a NAME=VALUE, where it is set (`target`: "goenv", the scratch go env file through
the real `go env -w`, written directly when go refuses it; or "os", exported), the probes that
show what happens next, and the outcome per go version:

- "fails":  a probe fails on this host (every build, download or install of that kind);
- "cross":  host builds work, only a build for another GOOS/GOARCH fails or ignores the value;
- "noop":   the probe succeeds but the value does nothing (ignored, or the command does not
            do what was asked: no output file, no printed value);
- "unavailable": fails here only for want of what a valid value relies on (the network, a
            toolchain download, a newer toolchain the project asks for);
- "ok":     works as meant.

Our verdict must be an error for "fails" and "noop" and whenever `go env -w` refuses the value,
a warning without an error for "cross", and no error for "unavailable" and "ok".

tests/test_consequences.py runs every case with the real go; tests/measure_semantics.py
compares our validator's verdicts with the expectations and writes docs/consequences.md.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from unittest.mock import patch

from goenv_tui.core.plan.ports import pair_after, port_refusal
from goenv_tui.core.validate import ERROR, WARNING, Problem, validate

NEW = "go1.27.3"
OLD = "go1.21.13"
VERSIONS = (NEW, OLD)
OUTCOMES = ("fails", "cross", "noop", "unavailable", "ok")
#: Outcomes whose value our validator must report as an error.
MUST_ERR = frozenset({"fails", "noop"})
#: An https module proxy that refuses connections at once.
DEAD_HTTPS_PROXY = "https://127.0.0.1:9/"

# ---------------------------------------------------------------------------------------
# The modules the probes run in (file name → text). "{dep_sum}" is the go.sum of
# example.org/dep v1.0.0, served by the test's file:// proxy.

DEP_GOMOD = "module example.org/dep\n\ngo 1.21\n"
MODULES: dict[str, dict[str, str]] = {
    "plain": {
        "go.mod": "module example.com/m\n\ngo 1.21\n",
        "main.go": "package main\n\nfunc main() {}\n",
    },
    "dep": {
        "go.mod": "module example.com/m\n\ngo 1.21\n\nrequire example.org/dep v1.0.0\n",
        "go.sum": "{dep_sum}",
        "main.go": 'package main\n\nimport _ "example.org/dep"\n\nfunc main() {}\n',
    },
    "nosum": {
        "go.mod": "module example.com/m\n\ngo 1.21\n\nrequire example.org/dep v1.0.0\n",
    },
    "cgo": {
        "go.mod": "module example.com/m\n\ngo 1.21\n",
        "main.go": 'package main\n\n// int two(void) { return 2; }\nimport "C"\n\n'
        "func main() { _ = C.two() }\n",
    },
    "newer": {
        "go.mod": "module example.com/m\n\ngo 1.99.0\n",
        "main.go": "package main\n\nfunc main() {}\n",
    },
    "wants127": {
        "go.mod": "module example.com/m\n\ngo 1.27.3\n",
        "main.go": "package main\n\nfunc main() {}\n",
    },
    "asm": {
        "go.mod": "module example.com/m\n\ngo 1.21\n",
        "level.go": 'package asm\n\nimport (\n\t"math"\n\t"math/bits"\n)\n\n'
        "func Level(x uint64, f float64) int { return bits.OnesCount64(x) + int(math.Sqrt(f)) }\n",
    },
    "gc": {
        "go.mod": "module example.com/m\n\ngo 1.21\n",
        "main.go": 'package main\n\nimport "runtime"\n\nfunc main() { runtime.GC() }\n',
    },
}


# ---------------------------------------------------------------------------------------
# Probes


@dataclass(frozen=True)
class Probe:
    """One go command that shows a consequence.

    `kind` says how its result reads: "run" (exit status), "out" (exit 0 without the output
    file {out} is a noop), "stdout" (exit 0 printing something else than `stdout` is a noop),
    "same" (compared with the same command without the value: no difference is a noop),
    "intent" (the command works only when go honours the value: a failure is a noop).
    `goos`/`goarch` make it a cross build (exported for this probe only).
    """

    label: str
    argv: tuple[str, ...]
    module: str = "plain"
    kind: str = "run"
    goos: str = ""
    goarch: str = ""
    stdout: str = ""
    env: Mapping[str, str] = field(default_factory=dict)

    @property
    def cross(self) -> bool:
        """A build for another GOOS/GOARCH than the host's."""
        return bool(self.goos or self.goarch)

    @property
    def shown(self) -> str:
        """The command as docs show it."""
        pre = " ".join(f"{k}={v}" for k, v in self.environ().items())
        pre = pre.replace("{http_proxy}", "http://127.0.0.1:PORT")
        cmd = " ".join(a.replace("{out}", "OUT") for a in ("go", *self.argv))
        return f"{pre} {cmd}".strip()

    def environ(self) -> dict[str, str]:
        """What this probe exports on top of the case's environment."""
        env = dict(self.env)
        if self.goos:
            env["GOOS"] = self.goos
        if self.goarch:
            env["GOARCH"] = self.goarch
        return env


BUILD_ARGV = ("build", "-o", "{out}", ".")
BUILD = Probe("build", BUILD_ARGV, kind="out")
DEP_BUILD = Probe("build with a dependency", BUILD_ARGV, module="dep", kind="out")
CGO = Probe("cgo build", BUILD_ARGV, module="cgo", kind="out")
#: a cgo build that works only when cgo is on (a failure means the value was ignored)
CGO_INTENT = Probe("cgo build", BUILD_ARGV, module="cgo", kind="intent")
INSTALL = Probe("install", ("install", "."))
LIST = Probe("list", ("list", "."))
LIST_M = Probe("list -m all", ("list", "-m", "all"), module="dep")
DOWNLOAD = Probe("mod download", ("mod", "download", "example.org/dep"), module="nosum")
GO_ENV = Probe("go env", ("env",))
GO_VERSION = Probe("go version", ("version",))
GOPATH_PRINT = Probe("go env GOPATH", ("env", "GOPATH"), kind="stdout", stdout="{gopath}")
ASM_ARGV = ("build", "-gcflags=-S", ".")
#: the compiler's assembly of a popcount and a square root (a library package: no runtime to
#: compile per GOARCH): it changes with the architecture level (GOAMD64=v3 uses POPCNT,
#: GOARM=5 soft float), so an ignored level shows no change.
ASM = Probe("assembly", ASM_ARGV, module="asm", kind="same")
CGO_ON = Probe("cgo enabled", ("env", "CGO_ENABLED"), kind="same")
GC_TRACE = Probe("run (GC trace)", ("run", "."), module="gc", kind="same")
#: a direct fetch of a github.com module: go knows it is git without the network, so GOVCS
#: is consulted before the (failing) git ls-remote.
DIRECT_GITHUB = Probe(
    "direct download",
    ("mod", "download", "github.com/a/b@v1.0.0"),
    kind="same",
    env={"GOPROXY": "direct"},
)
#: a download through an https proxy that refuses connections: GOAUTH runs first.
HTTPS_DOWNLOAD = Probe(
    "https download",
    ("mod", "download", "example.org/dep"),
    module="nosum",
    kind="same",
    env={"GOPROXY": DEAD_HTTPS_PROXY},
)


def cross(goos: str, goarch: str) -> Probe:
    """A build of the plain module for goos/goarch."""
    return Probe(f"build {goos}/{goarch}", BUILD_ARGV, kind="out", goos=goos, goarch=goarch)


def cross_asm(goos: str, goarch: str) -> Probe:
    """The assembly of a goos/goarch build, compared with the build without the value."""
    return Probe(
        f"assembly {goos}/{goarch}", ASM_ARGV, module="asm", kind="same", goos=goos, goarch=goarch
    )


#: a download whose checksum check fails unless GONOSUMDB (or GOPRIVATE) covers example.org
#: (GOSUMDB set to a URL fails fast: "malformed verifier id"; GONOPROXY keeps the proxy).
NOSUMDB_DOWNLOAD = Probe(
    "mod download, GOSUMDB broken on purpose (works only if the value covers example.org)",
    DOWNLOAD.argv,
    module="nosum",
    kind="intent",
    env={"GOSUMDB": "https://sum.golang.org", "GONOPROXY": "none.invalid"},
)
#: a direct download from an http-only host (the test's HTTP proxy refuses CONNECT, so https
#: fails): it works only when GOINSECURE covers example.org.
INSECURE_DOWNLOAD = Probe(
    "direct download from an http-only example.org (works only if GOINSECURE covers it)",
    DOWNLOAD.argv,
    module="nosum",
    kind="intent",
    env={"GOPROXY": "direct", "HTTP_PROXY": "{http_proxy}", "HTTPS_PROXY": "{http_proxy}"},
)
SWITCHED = Probe(
    "go version (go.mod: go 1.27.3)",
    ("version",),
    module="wants127",
    kind="stdout",
    stdout="go version go1.27.3 linux/amd64",
)
NEWER_BUILD = Probe("build (go.mod: go 1.99.0)", BUILD_ARGV, module="newer", kind="out")


# ---------------------------------------------------------------------------------------
# Cases


@dataclass(frozen=True)
class Expect:
    """What one go version does: the outcome, a substring of its output (stderr first), and
    what `go env -w` says when it refuses the value ("" = it accepts)."""

    outcome: str
    go_says: str = ""
    refused: str = ""


@dataclass(frozen=True)
class Case:
    """One value and what the real go does next.

    `env`: the OS environment of every go run of the case ("" removes a name); `preset`:
    lines written with `go env -w` before the value; `unset`: the value is the result of
    `go env -u NAME` (the line is removed directly when go refuses the -u); `goos`/`goarch`:
    the GOOS/GOARCH our validator is told are current.
    """

    family: str
    name: str
    value: str
    new: Expect
    old: Expect | None = None
    probes: tuple[Probe, ...] = (BUILD,)
    target: str = "goenv"
    env: Mapping[str, str] = field(default_factory=dict)
    preset: tuple[tuple[str, str], ...] = ()
    unset: bool = False
    goos: str = "linux"
    goarch: str = "amd64"
    note: str = ""

    def expect(self, version: str) -> Expect:
        """The expectation for `version` (NEW or OLD)."""
        if version == OLD and self.old is not None:
            return self.old
        return self.new

    @property
    def ident(self) -> str:
        """A stable id: NAME=VALUE and where it is set."""
        how = f"-u {self.name}" if self.unset else f"{self.name}={self.value!r}"
        if self.preset:
            how += " after " + " ".join(f"{k}={v}" for k, v in self.preset)
        extra = "".join(f" {k}={v!r}" for k, v in self.env.items())
        return f"{how} ({self.target}{extra})"


def _c(
    family: str,
    name: str,
    value: str,
    outcome: str,
    go_says: str = "",
    *,
    refused: str = "",
    old: Expect | None = None,
    probes: tuple[Probe, ...] = (BUILD,),
    target: str = "goenv",
    env: Mapping[str, str] | None = None,
    note: str = "",
) -> Case:
    """A case whose 1.27.3 expectation is (outcome, go_says, refused); `old` when 1.21.13
    differs."""
    new = Expect(outcome, go_says, refused)
    return Case(family, name, value, new, old, probes, target, env or {}, note=note)


def _old(outcome: str, go_says: str = "", refused: str = "") -> Expect:
    """The 1.21.13 expectation when it differs."""
    return Expect(outcome, go_says, refused)


NO_CC = {"CC": "/nonexistent/cc"}
NO_GCC = {"PATH": "/nonexistent-bin"}  # no gcc to find: cgo is off by default
#: PATH without the test's toolchain shims: a GOTOOLCHAIN switch must download.
NO_SHIMS = {"PATH": "/usr/bin:/bin"}
UNKNOWN_121 = "unknown go command variable"
NOT_TOOLCHAIN = "is a language version but not a toolchain version"
NOT_AVAILABLE = "for linux/amd64: toolchain not available"
NOT_IN_PATH = 'cannot find "go1.99.0" in PATH'
CC_SAYS = 'C compiler "/nonexistent/cc" not found'
MALFORMED_ID = "invalid GOSUMDB: malformed verifier id"
NO_TLS = "no TLS on this host"
TOOLCHAIN_PROBES = (GO_VERSION, BUILD)
MODCACHE_PROBES = (BUILD, DEP_BUILD, DOWNLOAD)

goflags = partial(_c, "GOFLAGS", "GOFLAGS")
GOFLAGS_CASES = [
    goflags("-f", "fails", "flag needs an argument: -f (from $GOFLAGS)", probes=(BUILD, LIST)),
    goflags("-p=0", "fails", "-p must be a positive integer: 0"),
    goflags("-modfile=/missing/go.mod", "fails", "open /missing/go.mod: no such file"),
    goflags("-overlay=/missing.json", "fails", "open /missing.json: no such file"),
    goflags("-race -msan", "fails", "may not use -race and -msan simultaneously"),
    goflags("-buildmode=bogus", "fails", "buildmode=bogus not supported"),
    goflags(
        "-race",
        "cross",
        "-race is not supported on linux/386",
        probes=(BUILD, cross("linux", "386")),
    ),
    goflags("-mod=vendor", "fails", "inconsistent vendoring", probes=(BUILD, DEP_BUILD)),
    goflags(
        "-n",
        "noop",
        "mkdir -p $WORK/b001/",
        note="go build only prints the commands it would run; no binary is written",
    ),
    goflags(
        "-ldflags=-s -w",
        "fails",
        "arguments must be KEY=VALUE: invalid argument: GOPATH",
        probes=(BUILD, GOPATH_PRINT),
        note="the stray -w is go env's: `go env GOPATH` becomes `go env -w GOPATH`",
    ),
    goflags(
        "-u",
        "noop",
        "",
        probes=(BUILD, GOPATH_PRINT),
        note="`go env GOPATH` becomes `go env -u GOPATH`: it prints nothing",
    ),
    goflags(
        "-json",
        "noop",
        '"GOPATH": "',
        probes=(BUILD, GOPATH_PRINT),
        note="`go env GOPATH` prints JSON",
    ),
    goflags("-toolexec=/nonexistent", "fails", "fork/exec /nonexistent"),
    goflags("-tags=a,b", "ok"),
    goflags("-trimpath", "ok"),
    goflags("-mod=mod", "ok", probes=(BUILD, DEP_BUILD, LIST_M)),
    goflags("-v", "ok", "example.com/m"),
]

toolchain = partial(_c, "GOTOOLCHAIN", "GOTOOLCHAIN", probes=TOOLCHAIN_PROBES)
GOTOOLCHAIN_CASES = [
    toolchain("go1.22", "fails", f"go1.22 {NOT_TOOLCHAIN}"),
    toolchain("go1.22+auto", "fails", f"go1.22 {NOT_TOOLCHAIN}"),
    toolchain(
        "go1.20",
        "fails",
        f"download go1.20 {NOT_AVAILABLE}",
        note="go1.20 and older were never published as toolchain modules",
    ),
    toolchain("go1.21.0", "unavailable", f"download go1.21.0 {NOT_AVAILABLE}"),
    toolchain(
        "path",
        "unavailable",
        NOT_IN_PATH,
        probes=(BUILD, NEWER_BUILD),
        note="go.mod asks for go 1.99.0: path never downloads, and no go1.99.0 is on PATH "
        "(GOTOOLCHAIN=local fails the same module too)",
    ),
    toolchain("go1.99.0+path", "fails", NOT_IN_PATH),
    toolchain("local ", "fails", 'invalid GOTOOLCHAIN "local "'),
    toolchain("go1.800-bigcorp", "fails", f"go1.800-bigcorp {NOT_TOOLCHAIN}", env=NO_SHIMS),
    toolchain(
        "go1.800.0-bigcorp",
        "fails",
        f"download go1.800.0-bigcorp {NOT_AVAILABLE}",
        env=NO_SHIMS,
        note="valid syntax, but only a private GOPROXY serving golang.org/toolchain "
        "v0.0.1-go1.800.0-bigcorp.linux-amd64 can provide it",
    ),
    toolchain(
        "go1.800-bigcorp+path",
        "fails",
        'cannot find "go1.800-bigcorp" in PATH',
        note="with +path the name is only looked up on PATH",
    ),
    toolchain("go1.800.0-bigcorp+path", "fails", 'cannot find "go1.800.0-bigcorp" in PATH'),
    toolchain("local+auto", "ok", "go version go1.2"),
    toolchain(
        "auto",
        "ok",
        "go version go1.27.3",
        probes=(*TOOLCHAIN_PROBES, SWITCHED),
        note="go.mod asks for go 1.27.3: go 1.21.13 runs the go1.27.3 found on PATH",
    ),
    toolchain("local", "ok", "go version go1.2"),
]


def _arch(
    name: str, value: str, goos: str, goarch: str, outcome: str, says: str = "", **kw: object
) -> Case:
    """An architecture level, probed on the host and on a cross build to its GOARCH (the
    build, and its assembly compared with the build without the value)."""
    probes = (BUILD, cross(goos, goarch), cross_asm(goos, goarch))
    return _c("arch", name, value, outcome, says, probes=probes, **kw)  # type: ignore[arg-type]


RISCV_SAYS = "invalid GORISCV64: must be rva20u64, rva22u64, rva23u64"
ARCH_CASES = [
    _c(
        "arch",
        "GOAMD64",
        "v5",
        "noop",
        "",
        probes=(BUILD, ASM),
        old=_old("fails", "invalid GOAMD64: must be v1, v2, v3, v4"),
        note="go 1.27 compiles for v1: the assembly is the default one",
    ),
    _c("arch", "GOAMD64", "v3", "ok", "", probes=(BUILD, ASM)),
    _arch(
        "GOARM",
        "9",
        "linux",
        "arm",
        "cross",
        "",
        old=_old("cross", "invalid GOARM: must be 5, 6, 7"),
        note="go 1.27 builds arm for GOARM=7 (the assembly is the default one)",
    ),
    _arch("GOARM", "5", "linux", "arm", "ok"),
    _arch(
        "GOARM64",
        "v7.0",
        "linux",
        "arm64",
        "cross",
        "invalid GOARM64: must start with v8.",
        old=_old("cross", "", refused=UNKNOWN_121),
    ),
    _arch(
        "GORISCV64",
        "bogus",
        "linux",
        "riscv64",
        "cross",
        RISCV_SAYS,
        old=_old("cross", "", refused=UNKNOWN_121),
    ),
    _arch(
        "GOPPC64",
        "power7",
        "linux",
        "ppc64le",
        "cross",
        "invalid GOPPC64: must be power8, power9, power10",
    ),
    _arch("GOMIPS", "bogus", "linux", "mips", "cross", "invalid GOMIPS: must be hardfloat"),
    _arch("GOMIPS64", "bogus", "linux", "mips64", "cross", "invalid GOMIPS64: must be hardfloat"),
    _arch("GOWASM", "bogus", "js", "wasm", "cross", 'invalid GOWASM: no such feature "bogus"'),
    _arch("GO386", "bogus", "linux", "386", "cross", "unsupported setting GO386=bogus"),
    _arch(
        "GORISCV64",
        "bogus",
        "linux",
        "riscv64",
        "fails",
        RISCV_SAYS,
        target="os",
        old=_old("cross", ""),
    ),
    _arch(
        "GOARM",
        "9",
        "linux",
        "arm",
        "cross",
        "",
        target="os",
        old=_old("fails", "invalid GOARM: must be 5, 6, 7"),
    ),
]

PAIR = "unsupported GOOS/GOARCH pair"
GOOS_GOARCH_CASES = [
    _c(
        "GOOS/GOARCH", "GOARCH", "wasm", "fails", f"{PAIR} linux/wasm", refused=f"{PAIR} linux/wasm"
    ),
    _c(
        "GOOS/GOARCH",
        "GOOS",
        "bogus",
        "fails",
        f"{PAIR} bogus/amd64",
        refused=f"{PAIR} bogus/amd64",
    ),
    _c("GOOS/GOARCH", "GOOS", "bogus", "fails", f"{PAIR} bogus/amd64", target="os"),
    Case(
        "GOOS/GOARCH",
        "GOARCH",
        "",
        Expect("fails", f"{PAIR} js/amd64", refused=f"{PAIR} js/amd64"),
        unset=True,
        preset=(("GOOS", "js"), ("GOARCH", "wasm")),
        goos="js",
        goarch="wasm",
        note="the file holds GOOS=js and GOARCH=wasm: `go env -u GOARCH` is refused, and "
        "removing the line by hand leaves js/amd64",
    ),
]

paths = partial(_c, "paths")
PATH_CASES = [
    paths(
        "GOMODCACHE",
        "{root}/afile",
        "fails",
        "could not create module cache",
        probes=MODCACHE_PROBES,
    ),
    paths(
        "GOPATH",
        ":{root}/gopath",
        "fails",
        "neither GOMODCACHE nor GOPATH is set",
        refused="GOPATH entry is relative",
        probes=MODCACHE_PROBES,
    ),
    paths("GOPATH", "{root}/gopath:", "ok", probes=MODCACHE_PROBES),
    paths(
        "GOPATH",
        "gopath",
        "fails",
        'GOPATH entry is relative; must be absolute path: "gopath"',
        refused="GOPATH entry is relative",
        probes=TOOLCHAIN_PROBES,
    ),
    paths("GOCACHE", "off", "fails", "build cache is disabled by GOCACHE=off"),
    paths("GOCACHE", "cache", "fails", "GOCACHE is not an absolute path", probes=(GO_ENV, BUILD)),
    paths("GOTMPDIR", "{root}/missing", "fails", "go: creating work dir: stat"),
    paths(
        "GOCACHEPROG",
        "/nonexistent/cacheprog",
        "fails",
        'error starting GOCACHEPROG program "/nonexistent/cacheprog"',
        old=_old("ok"),
        probes=(GO_ENV, BUILD),
        note="go 1.21 reads GOCACHEPROG only with GOEXPERIMENT=cacheprog",
    ),
    paths("GOBIN", "bin", "fails", "GOBIN must be an absolute path", probes=(BUILD, INSTALL)),
    paths(
        "GOMODCACHE",
        "modcache",
        "fails",
        "GOMODCACHE entry is relative; must be absolute",
        refused="GOMODCACHE entry is relative",
        probes=MODCACHE_PROBES,
    ),
]

cgo = partial(_c, "cgo", probes=(BUILD, CGO))
CGO_CASES = [
    cgo("CGO_ENABLED", "1", "fails", CC_SAYS, env=NO_CC),
    cgo("CGO_ENABLED", "1", "fails", 'C compiler "gcc" not found', env=NO_GCC),
    cgo(
        "CGO_ENABLED",
        "yes",
        "noop",
        "build constraints exclude all Go files",
        env=NO_GCC,
        probes=(BUILD, CGO_ON, CGO_INTENT),
        note="without a C compiler cgo stays off: the cgo build finds no Go files",
    ),
    cgo("CGO_ENABLED", "yes", "noop", "", probes=(BUILD, CGO_ON)),
    cgo("CC", "/nonexistent/cc", "fails", CC_SAYS),
    cgo("CC", "/nonexistent/cc", "fails", CC_SAYS, target="os"),
    cgo("CGO_CFLAGS", "-bogusflag", "fails", "unrecognized command-line option '-bogusflag'"),
]

modules = partial(_c, "modules")
MODULE_CASES = [
    modules(
        "GOPROXY",
        "off",
        "ok",
        note="downloads are refused by design (“module lookup disabled by GOPROXY=off”); "
        "builds from the module cache work",
    ),
    modules(
        "GOPROXY",
        "direct",
        "unavailable",
        'https fetch: Get "https://example.org/dep?go-get=1"',
        probes=(BUILD, DOWNLOAD),
    ),
    modules(
        "GOPROXY",
        "proxy",
        "fails",
        "invalid proxy URL missing scheme: proxy",
        probes=(BUILD, DOWNLOAD),
    ),
    modules(
        "GOPROXY",
        "proxy.example.com",
        "unavailable",
        'Get "https://proxy.example.com/example.org/dep/@v/v1.0.0.info"',
        probes=(BUILD, DOWNLOAD),
        note="a host with a dot gets https://",
    ),
    modules("GOSUMDB", "off", "ok", probes=(DOWNLOAD,)),
    modules("GOSUMDB", "https://sum.golang.org", "fails", MALFORMED_ID, probes=(DOWNLOAD,)),
    modules(
        "GOPRIVATE", "a.example, example.org", "noop", MALFORMED_ID, probes=(NOSUMDB_DOWNLOAD,)
    ),
    modules("GOPRIVATE", "a.example,example.org", "ok", probes=(NOSUMDB_DOWNLOAD,)),
    modules("GONOSUMDB", "example.org", "ok", probes=(NOSUMDB_DOWNLOAD,)),
    modules("GONOSUMDB", "https://example.org", "noop", MALFORMED_ID, probes=(NOSUMDB_DOWNLOAD,)),
    modules(
        "GONOSUMDB", "a.example, example.org", "noop", MALFORMED_ID, probes=(NOSUMDB_DOWNLOAD,)
    ),
    modules("GOINSECURE", "example.org", "ok", probes=(INSECURE_DOWNLOAD,)),
    modules("GOINSECURE", "*.example,example.org", "ok", probes=(INSECURE_DOWNLOAD,)),
    modules("GOINSECURE", "a.example, example.org", "noop", NO_TLS, probes=(INSECURE_DOWNLOAD,)),
    modules("GOINSECURE", "http://example.org", "noop", NO_TLS, probes=(INSECURE_DOWNLOAD,)),
    modules(
        "GOVCS",
        "bogus",
        "fails",
        'malformed entry in GOVCS (missing colon): "bogus"',
        probes=(DIRECT_GITHUB,),
    ),
    modules(
        "GOVCS",
        "github.com:gti",
        "fails",
        "GOVCS disallows using git for public github.com",
        probes=(DIRECT_GITHUB,),
        note="an unknown VCS name allows nothing",
    ),
    modules(
        "GOAUTH",
        "git relative/dir",
        "fails",
        "GOAUTH=git dir method requires an absolute path",
        probes=(HTTPS_DOWNLOAD,),
        old=_old("noop", refused=UNKNOWN_121),
    ),
    modules(
        "GOAUTH",
        "off;netrc",
        "fails",
        "GOAUTH=off cannot be combined with other",
        probes=(HTTPS_DOWNLOAD,),
        old=_old("noop", refused=UNKNOWN_121),
    ),
    modules(
        "GO111MODULE",
        "off",
        "ok",
        note="GOPATH mode: go.mod is ignored (“list -m cannot be used with GO111MODULE=off”)",
    ),
    modules(
        "GO111MODULE",
        "bogus",
        "fails",
        "unknown environment setting GO111MODULE=bogus",
        refused="invalid GO111MODULE value",
    ),
]

misc = partial(_c, "misc")
MISC_CASES = [
    misc(
        "GOEXPERIMENT",
        "bogus",
        "fails",
        "unknown GOEXPERIMENT bogus",
        refused="unknown GOEXPERIMENT bogus",
    ),
    misc(
        "GOFIPS140",
        "bogus",
        "fails",
        'unknown GOFIPS140 version "bogus"',
        probes=TOOLCHAIN_PROBES,
        old=_old("ok", refused=UNKNOWN_121),
        note="from the file `go version` still works",
    ),
    misc(
        "GOFIPS140",
        "bogus",
        "fails",
        "invalid GOFIPS140: must be off, latest, inprocess",
        target="os",
        probes=TOOLCHAIN_PROBES,
        old=_old("ok"),
        note="go 1.21 has no GOFIPS140: the value is ignored",
    ),
    misc(
        "GOFIPS140",
        "v1.9.9",
        "fails",
        'unknown GOFIPS140 version "v1.9.9"',
        old=_old("ok", refused=UNKNOWN_121),
    ),
    misc(
        "GODEBUG",
        "x=1, gctrace=1",
        "noop",
        target="os",
        probes=(GC_TRACE,),
        note="items are not trimmed: “ gctrace” is an unknown setting",
    ),
    misc("GODEBUG", "gctrace=1", "ok", "gc 1 @", target="os", probes=(GC_TRACE,)),
    misc(
        "GOWORK", "/missing/go.work", "fails", "reading go.work: open /missing/go.work", target="os"
    ),
]

CASES: list[Case] = [
    *GOFLAGS_CASES,
    *GOTOOLCHAIN_CASES,
    *ARCH_CASES,
    *GOOS_GOARCH_CASES,
    *PATH_CASES,
    *CGO_CASES,
    *MODULE_CASES,
    *MISC_CASES,
]

FAMILIES = tuple(dict.fromkeys(c.family for c in CASES))


# ---------------------------------------------------------------------------------------
# Our verdict


def verdict(case: Case, version: str) -> list[Problem]:
    """What our validator says about the case's value on `version`, asked in the case's
    environment (its `env` on top of ours: a missing CC, a PATH without gcc) as goenv-tui asks
    it in the user's, with {root} a real folder laid out like the test's sandbox. A CC in the
    case's environment is also passed as the effective C compiler (`cc=`)."""
    effective_cc = {"cc": case.env["CC"]} if case.env.get("CC") else {}
    with tempfile.TemporaryDirectory(prefix="goenv-tui-conseq-") as root, patch.dict(os.environ):
        make_sandbox_files(Path(root))
        for key, val in case.env.items():
            if val:
                os.environ[key] = val
            else:
                os.environ.pop(key, None)
        if case.unset:
            return unset_verdict(case, version)
        return validate(
            case.name,
            case.value.replace("{root}", root),
            go_version=version,
            goos=case.goos,
            goarch=case.goarch,
            target=case.target,
            **effective_cc,
        )


def unset_verdict(case: Case, version: str) -> list[Problem]:
    """What a plan that unsets the case's name is told: the GOOS/GOARCH pair go would use
    afterwards (core/plan/ports.py; the preset lines are the go env file)."""
    in_file = {k: v for k, v in case.preset if k != case.name}
    current = {"GOOS": case.goos, "GOARCH": case.goarch, "GOHOSTOS": "linux"}
    current["GOHOSTARCH"] = "amd64"
    pair = pair_after(current, staged={}, unset={case.name}, exported={}, in_file=in_file)
    why = port_refusal(*pair, version)
    return [] if why is None else [Problem(ERROR, "goos-goarch-unsupported", why)]


def make_sandbox_files(root: Path) -> None:
    """What every sandbox root holds that a value may name: a regular file `afile` and the
    folder `gopath` (`missing` is missing)."""
    (root / "gopath").mkdir(exist_ok=True)
    (root / "afile").write_text("a regular file\n")


def shown_value(case: Case) -> str:
    """The value as the docs show it: the sandbox root as /tmp/sandbox."""
    return case.value.replace("{root}", "/tmp/sandbox")


def judge(case: Case, version: str) -> str:
    """ "right", "warned" (an error was due, only a warning came) or "wrong"."""
    problems = verdict(case, version)
    severities = {p.severity for p in problems}
    want = case.expect(version)
    outcome = want.outcome
    if outcome in MUST_ERR or want.refused:  # go env -w refuses it: so must we
        if ERROR in severities:
            return "right"
        return "warned" if WARNING in severities else "wrong"
    if outcome == "cross":
        return "right" if severities == {WARNING} else "wrong"
    return "wrong" if ERROR in severities else "right"


def verdict_text(problems: list[Problem]) -> str:
    """The verdict in a few words: the first problem's severity and code, or "fine"."""
    if not problems:
        return "fine"
    first = problems[0]
    more = f" (+{len(problems) - 1})" if len(problems) > 1 else ""
    return f"{first.severity}: {first.code}{more}"
