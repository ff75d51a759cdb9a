"""Tables baked from the go sources: KnownEnv per version, GOOS/GOARCH pairs, experiments,
cmd/go flags, the checksum databases go knows."""

from __future__ import annotations

import re

from goenv_tui.core.names import ADDED_IN, COMPUTED_NAMES, OS_ONLY_NAMES, TELEMETRY_NAMES

#: internal/cfg.KnownEnv of go 1.21.
_KNOWN_121 = frozenset(
    """
    AR CC CGO_CFLAGS CGO_CFLAGS_ALLOW CGO_CFLAGS_DISALLOW CGO_CPPFLAGS CGO_CPPFLAGS_ALLOW
    CGO_CPPFLAGS_DISALLOW CGO_CXXFLAGS CGO_CXXFLAGS_ALLOW CGO_CXXFLAGS_DISALLOW CGO_ENABLED
    CGO_FFLAGS CGO_FFLAGS_ALLOW CGO_FFLAGS_DISALLOW CGO_LDFLAGS CGO_LDFLAGS_ALLOW
    CGO_LDFLAGS_DISALLOW CXX FC GCCGO GO111MODULE GO386 GOAMD64 GOARCH GOARM GOBIN GOCACHE
    GOCACHEPROG GOENV GOEXE GOEXPERIMENT GOFLAGS GOGCCFLAGS GOHOSTARCH GOHOSTOS GOINSECURE
    GOMIPS GOMIPS64 GOMODCACHE GONOPROXY GONOSUMDB GOOS GOPATH GOPPC64 GOPRIVATE GOPROXY
    GOROOT GOSUMDB GOTMPDIR GOTOOLCHAIN GOTOOLDIR GOVCS GOWASM GOWORK GO_EXTLINK_ENABLED
    PKG_CONFIG
    """.split()  # noqa: SIM905
)


#: Names added to KnownEnv later: name -> first go minor version that knows it (the
#: telemetry names have rules of their own).
_ADDED_IN = {n: v for n, v in ADDED_IN.items() if n not in TELEMETRY_NAMES}


#: `go env -w` says "cannot be modified" (GOTELEMETRY* from 1.23, GOROOT from 1.27;
#: before that go says "unknown go command variable" for GOTELEMETRY* and accepts GOROOT).
_READ_ONLY = frozenset(
    {"GOEXE", "GOGCCFLAGS", "GOHOSTARCH", "GOHOSTOS", "GOMOD", "GOTOOLDIR", "GOVERSION", "GOWORK"}
)


_TELEMETRY = TELEMETRY_NAMES


#: Read only from the OS environment; `go env -w` refuses them.
_OS_ONLY = OS_ONLY_NAMES


#: Computed by go: an exported value is ignored (checked with go 1.21.13 and 1.27.3).
_OS_IGNORED = COMPUTED_NAMES | _TELEMETRY


_PAIRS_COMMON = frozenset(
    """
    aix/ppc64 android/386 android/amd64 android/arm android/arm64 darwin/amd64 darwin/arm64
    dragonfly/amd64 freebsd/386 freebsd/amd64 freebsd/arm freebsd/arm64 freebsd/riscv64
    illumos/amd64 ios/amd64 ios/arm64 js/wasm linux/386 linux/amd64 linux/arm linux/arm64
    linux/loong64 linux/mips linux/mips64 linux/mips64le linux/mipsle linux/ppc64
    linux/ppc64le linux/riscv64 linux/s390x linux/sparc64 netbsd/386 netbsd/amd64 netbsd/arm
    netbsd/arm64 openbsd/386 openbsd/amd64 openbsd/arm openbsd/arm64 openbsd/ppc64
    plan9/386 plan9/amd64 plan9/arm solaris/amd64 wasip1/wasm windows/386 windows/amd64
    windows/arm64
    """.split()  # noqa: SIM905
)


_PAIRS_121 = _PAIRS_COMMON | {"openbsd/mips64", "windows/arm"}


_PAIRS_127 = _PAIRS_COMMON | {"openbsd/riscv64"}


_EXP_121 = frozenset(
    """
    fieldtrack preemptibleloops staticlockranking boringcrypto regabiwrappers regabiargs
    heapminimum512kib coverageredesign arenas pagetrace cgocheck2 loopvar cacheprog
    """.split()  # noqa: SIM905
)


_EXP_127 = frozenset(
    """
    fieldtrack preemptibleloops staticlockranking boringcrypto regabiwrappers regabiargs
    heapminimum512kib arenas cgocheck2 loopvar newinliner dwarf5 jsonv2 greenteagc
    randomizedheapbase64 runtimefreegc sizespecializedmalloc simd runtimesecret mapsplitgroup
    """.split()  # noqa: SIM905
)


#: Experiments of go 1.22-1.26 that are in neither table above (from the release history).
_EXP_BETWEEN = frozenset(
    """
    allocheaders rangefunc exectracer2 swissmap spinbitmutex synchashtriemap aliastypeparams
    synctest
    """.split()  # noqa: SIM905
)


#: GOFIPS140 snapshots shipped in go 1.27.3's lib/fips140 (.zip or .txt alias).
_FIPS_127 = frozenset({"inprocess", "certified", "v1.0.0", "v1.0.0-c2097c7c", "v1.26.0"})


_TEST_PASS = """
    artifacts bench benchmem benchtime blockprofile blockprofilerate count coverprofile cpu
    cpuprofile failfast fullpath fuzz fuzzminimizetime fuzztime list memprofile memprofilerate
    mutexprofile mutexprofilefraction outputdir parallel run short shuffle skip timeout trace v
""".split()  # noqa: SIM905


#: Flags that are boolean on every go subcommand that has them.
_BOOL_FLAGS = frozenset(
    """
    a asan artifacts benchmem cache changed compiled cover deps diff e export failfast
    find fmt fullpath fuzzcache i insecure linkshared m modcache modcacherw msan n print r
    race retracted short t test testcache trimpath versions w work x
    """.split()  # noqa: SIM905
)


#: Flags that need `=value` on every go subcommand that has them.
_VALUE_FLAGS = frozenset(
    """
    C asmflags bench benchtime blockprofile blockprofilerate buildmode compat compiler count
    covermode coverpkg coverprofile cpu cpuprofile debug-actiongraph debug-runtime-trace
    debug-trace dropexclude dropgodebug dropignore dropreplace droprequire dropretract droptool
    dropuse exclude exec fixtool fuzz fuzzminimizetime fuzztime gccgoflags gcflags go godebug
    ignore installsuffix ldflags list memprofile memprofilerate mod modfile module mutexprofile
    mutexprofilefraction o outputdir overlay p parallel pgo pkgdir replace require retract
    reuse run shuffle skip tags timeout toolchain toolexec trace use vet vettool
    """.split()  # noqa: SIM905
)


#: Every flag of some go subcommand (1.21 and 1.27): `$GOFLAGS` may name only these.
_GO_FLAGS = (
    _BOOL_FLAGS
    | _VALUE_FLAGS
    | {"buildvcs", "c", "d", "f", "fix", "json", "tool", "u", "v"}
    | {"test." + f for f in _TEST_PASS}
)


#: Flags go 1.21 does not have yet (all exist in 1.27).
_FLAGS_NOT_121 = frozenset(
    """
    artifacts changed diff dropgodebug dropignore droptool fixtool godebug ignore
    test.artifacts tool
    """.split()  # noqa: SIM905
)


#: strconv.ParseBool's words.
_BOOL_WORDS = frozenset("1 t T TRUE true True 0 f F FALSE false False".split())  # noqa: SIM905


#: The key of sum.golang.org (cmd/go/internal/modfetch/key.go).
_KNOWN_SUMDB = {"sum.golang.org"}


_GOROOT_ENV_DEFAULTS = {"GOPROXY", "GOSUMDB", "GOTOOLCHAIN"}


_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


_GOISH = re.compile(r"^(GO[A-Z0-9_]*|CGO_[A-Z0-9_]+)$")


_MINOR_RE = re.compile(r"(?:^|go)1\.(\d+)")


#: Read by every Go program at run time (package runtime, testing, coverage), not by the go
#: command: exporting them is legitimate, `go env -w` refuses them.
#: Names go once read and no longer does: why, instead of a "did you mean" guess.
RETIRED_NAMES = {
    "GO15VENDOREXPERIMENT": "go1.7 dropped it (vendor directories are always used)",
}

_RUNTIME_NAMES = frozenset(
    {"GOGC", "GOMAXPROCS", "GOMEMLIMIT", "GOTRACEBACK", "GORACE", "GOCOVERDIR"}
)
