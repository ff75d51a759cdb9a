"""Validate a proposed Go variable value before anything is written.

`validate()` is static and fast (no subprocess): it knows what `go env -w` refuses
(cmd/go/internal/envcmd checkEnvWrite, runEnvW) and, more importantly, what it accepts
although the next go command, build or download then fails or silently ignores it.
The rules follow the go 1.21.13 and 1.27.3 sources; `go_version` picks the version-
dependent ones (None: the newest rules). `go_accepts()` asks a real go instead, on a
scratch GOENV file, and reports go's own refusal.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from goenv_tui.core.names import COMPUTED_NAMES, OS_ONLY_NAMES

__all__ = ["Problem", "go_accepts", "refusal", "validate"]

ERROR = "error"
WARNING = "warning"
TARGETS = ("goenv", "os")

#: The newest go whose rules are baked in; also the rules used when go_version is None.
NEWEST_MINOR = 27


@dataclass(frozen=True)
class Problem:
    """One finding about a proposed value."""

    severity: str  # "error" | "warning"
    code: str  # stable kebab-case identifier
    message: str  # one sentence: what, why, what instead


def refusal(problems: Iterable[Problem]) -> Problem | None:
    """The first error among `problems`, if any."""
    return next((p for p in problems if p.severity == ERROR), None)


# ---------------------------------------------------------------------------------------
# Tables baked from the go sources (internal/cfg KnownEnv, internal/platform zosarch.go,
# internal/goexperiment flags.go, cmd/go flag definitions).

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
#: Names added to KnownEnv later: name -> first go minor version that knows it.
_ADDED_IN = {"GOARM64": 23, "GORISCV64": 23, "GOAUTH": 24, "GOFIPS140": 24}

#: `go env -w` says "cannot be modified" (GOTELEMETRY* from 1.23, GOROOT from 1.27;
#: before that go says "unknown go command variable" for GOTELEMETRY* and accepts GOROOT).
_READ_ONLY = frozenset(
    {"GOEXE", "GOGCCFLAGS", "GOHOSTARCH", "GOHOSTOS", "GOMOD", "GOTOOLDIR", "GOVERSION", "GOWORK"}
)
_TELEMETRY = frozenset({"GOTELEMETRY", "GOTELEMETRYDIR"})
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


# ---------------------------------------------------------------------------------------
# Helpers mirroring Go functions.


def _minor(go_version: str | None) -> int | None:
    """The minor version of "go1.27.3", "1.21", "devel go1.27-..."; None if unknown."""
    if not go_version:
        return None
    m = _MINOR_RE.search(go_version)
    return int(m.group(1)) if m else None


def _quoted_split(s: str) -> list[str] | str:
    """cmd/internal/quoted.Split: fields, quoted only when the quote starts the field.

    Returns the fields, or go's error text.
    """
    fields: list[str] = []
    i, n = 0, len(s)
    while i < n:
        while i < n and s[i] in " \t\n\r":
            i += 1
        if i >= n:
            break
        if s[i] in "'\"":
            quote = s[i]
            end = s.find(quote, i + 1)
            if end < 0:
                return f"unterminated {quote} string"
            fields.append(s[i + 1 : end])
            i = end + 1
            continue
        j = i
        while j < n and s[j] not in " \t\n\r":
            j += 1
        fields.append(s[i:j])
        i = j
    return fields


def _is_abs(path: str, hostos: str) -> bool:
    """filepath.IsAbs for `hostos`."""
    if hostos != "windows":
        return path.startswith("/")
    if path.startswith(("\\\\", "//")):
        return True
    return bool(re.match(r"^[A-Za-z]:[\\/]", path))


def _glob_ok(pattern: str) -> bool:
    """Whether path.Match accepts `pattern` (no ErrBadPattern)."""
    i, n = 0, len(pattern)

    def esc(k: int) -> int:
        if k >= n or pattern[k] in "-]":
            return -1
        if pattern[k] == "\\":
            k += 1
            if k >= n:
                return -1
        return k + 1

    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                return False
            i += 2
        elif c == "[":
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            nrange = 0
            while True:
                if i < n and pattern[i] == "]" and nrange > 0:
                    i += 1
                    break
                i = esc(i)
                if i < 0:
                    return False
                if i < n and pattern[i] == "-":
                    i = esc(i + 1)
                    if i < 0:
                        return False
                nrange += 1
        else:
            i += 1
    return True


@dataclass(frozen=True)
class _URL:
    scheme: str
    userinfo: str
    host: str
    rest: str  # path, query and fragment


def _parse_url(raw: str) -> _URL | str:
    """A small net/url.Parse: the parts goenv-tui checks, or go's error text."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in raw):
        return f'parse "{raw}": net/url: invalid control character in URL'
    if raw.startswith(":"):
        return f'parse "{raw}": missing protocol scheme'
    m = _SCHEME_RE.match(raw)
    scheme, rest = (m.group(1).lower(), raw[m.end() :]) if m else ("", raw)
    userinfo = host = ""
    if rest.startswith("//"):
        end = len(rest)
        for sep in "/?#":
            k = rest.find(sep, 2)
            if 0 <= k < end:
                end = k
        auth, rest = rest[2:end], rest[end:]
        if "@" in auth:
            userinfo, _, auth = auth.rpartition("@")
        host = auth
        port = host.rpartition("]")[2] if host.startswith("[") else host
        if ":" in port:
            digits = port.rpartition(":")[2]
            if digits and not digits.isdigit():
                return f'parse "{raw}": invalid port ":{digits}" after host'
        if " " in host:
            return f'parse "{raw}": invalid character " " in host name'
    return _URL(scheme, userinfo, host, rest)


def _redact(raw: str) -> str:
    """A URL with its password (or whole userinfo) replaced, for messages."""
    u = _parse_url(raw)
    if isinstance(u, str) or not u.userinfo:
        return raw
    user = u.userinfo.partition(":")[0]
    shown = f"{user}:xxxxx" if ":" in u.userinfo else "xxxxx"
    return raw.replace(u.userinfo + "@", shown + "@", 1)


def _gover_valid(v: str) -> bool:
    """internal/gover.IsValid: 1, 1.21, 1.21.3, 1.21rc1, 1.21beta (no leading zeros)."""
    m = re.fullmatch(r"(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(.*))?", v)
    if not m:
        return False
    rest = m.group(3)
    if m.group(2) is None or not rest:
        return True
    if rest.startswith("."):
        return re.fullmatch(r"\.(0|[1-9]\d*)", rest) is not None
    return re.fullmatch(r"[a-z]+(?:0|[1-9]\d*)?", rest) is not None


def _toolchain_version(name: str) -> str:
    """cmd/go/internal/gover.FromToolchain: "go1.22.0-custom" -> "1.22.0", or ""."""
    if "/" in name or "\\" in name or not name.startswith("go"):
        return ""
    v = re.split(r"[ \t-]", name[2:], maxsplit=1)[0]
    return v if _gover_valid(v) else ""


def _is_this_host(hostos: str) -> bool:
    """Whether paths for `hostos` can be checked on this machine."""
    return (os.name == "nt") == (hostos == "windows")


def _which(word: str, hostos: str) -> bool:
    """Whether a command word resolves (an absolute/relative path exists, or it is on PATH)."""
    if "/" in word or (hostos == "windows" and "\\" in word):
        return os.path.isfile(word) and os.access(word, os.X_OK)
    return shutil.which(word) is not None


# ---------------------------------------------------------------------------------------
# The checker.


class _Check:
    """State of one validate() call: the inputs and the problems found so far."""

    def __init__(
        self,
        name: str,
        value: str,
        minor: int | None,
        goos: str,
        goarch: str,
        hostos: str,
        target: str,
    ) -> None:
        self.name = name
        self.value = value
        self.exact = minor  # the real version when known
        self.minor = minor if minor is not None else NEWEST_MINOR
        self.goos = goos
        self.goarch = goarch
        self.hostos = hostos
        self.target = target
        self.goenv = target == "goenv"
        self.problems: list[Problem] = []

    def add(self, severity: str, code: str, message: str) -> None:
        self.problems.append(Problem(severity, code, message))

    def err(self, code: str, message: str) -> None:
        self.add(ERROR, code, message)

    def warn(self, code: str, message: str) -> None:
        self.add(WARNING, code, message)

    @property
    def where(self) -> str:
        """How the user would set it, for messages."""
        return "go env -w" if self.goenv else "the OS environment"

    def abs(self, path: str) -> bool:
        return _is_abs(path, self.hostos)

    def known(self) -> frozenset[str]:
        added = {n for n, v in _ADDED_IN.items() if self.minor >= v}
        return _KNOWN_121 | added


def _check_name(c: _Check) -> bool:
    """Name rules; False when the name alone decides (no value checks follow)."""
    n = c.name
    if c.goenv:
        if n in _READ_ONLY or (n == "GOROOT" and c.minor >= 27) or (n in _TELEMETRY):
            why = (
                "go computes it"
                if n not in {"GOWORK", "GOROOT"}
                else "set it in the OS environment instead"
            )
            if n in _TELEMETRY:
                why = "use `go telemetry on|off|local` instead"
            if n in _TELEMETRY and c.minor < 23:
                said = f"unknown go command variable {n}"
            else:
                said = f"{n} cannot be modified"
            c.err("read-only", f"go env -w refuses {n} (“{said}”): {why}.")
            return False
        if n in _OS_ONLY:
            said = (
                f"{n} can only be set using the OS environment"
                if n != "GOPACKAGESDRIVER" and (n != "GODEBUG" or c.minor >= 23)
                else f"unknown go command variable {n}"
            )
            c.err("os-only", f"go env -w refuses {n} (“{said}”): export it from a startup file.")
            return False
        if n not in c.known():
            c.err("unknown-name", _unknown_message(c, f"unknown go command variable {n}"))
            return False
        if n == "GOROOT":
            c.warn(
                "goroot-in-file",
                "GOROOT in the go env file decides which toolchain tree every go uses and "
                "breaks every command when it points nowhere (go 1.27 cannot even `go env -u` "
                "it); let go find its own GOROOT instead.",
            )
        return True
    # target == "os"
    if n in _OS_IGNORED:
        c.warn(
            "os-ignored",
            f"go computes {n} itself and ignores an exported value; remove the export.",
        )
        return False
    if n in _ADDED_IN and c.minor < _ADDED_IN[n]:
        c.warn(
            "not-supported",
            f"go1.{c.minor} does not read {n} (added in go1.{_ADDED_IN[n]}), so the value has "
            "no effect with this go.",
        )
        return False
    if n in c.known() or n in _OS_ONLY or n in _ADDED_IN:
        return True
    if _GOISH.match(n):
        c.warn("unknown-name", _unknown_message(c, f"go does not read {n}"))
    return False


def _unknown_message(c: _Check, said: str) -> str:
    pool = sorted(c.known() | (set() if c.goenv else _OS_ONLY))
    close = difflib.get_close_matches(c.name.upper(), pool, n=1, cutoff=0.7)
    hint = f"did you mean {close[0]}?" if close else "check the spelling in `go help environment`."
    if c.goenv and c.name in _ADDED_IN:
        hint = f"{c.name} needs go1.{_ADDED_IN[c.name]} or newer."
    return f"“{said}”: {hint}"


def _check_text(c: _Check) -> bool:
    """NUL, newline, invalid UTF-8 (checkEnvWrite); False when the value is unusable."""
    v = c.value
    try:
        v.encode("utf-8")
        utf8_ok = True
    except UnicodeEncodeError:
        utf8_ok = False
    if "\x00" in v:
        c.err(
            "nul-newline-utf8",
            f"{c.name} contains a NUL byte, which {c.where} cannot hold (“invalid NUL in "
            f"{c.name}=... value”); remove it.",
        )
        return False
    bad_nl = any(ch in v for ch in "\v\r\n")
    if bad_nl or not utf8_ok:
        what = "a newline or carriage return" if bad_nl else "invalid UTF-8"
        said = "invalid newline" if bad_nl else "invalid UTF-8"
        if c.goenv:
            c.err(
                "nul-newline-utf8",
                f"{c.name} contains {what}, which go env -w refuses (“{said} in {c.name}=... "
                "value”); remove it.",
            )
            return False
        c.warn(
            "nul-newline-utf8",
            f"{c.name} contains {what}, which go treats as part of the value; remove it.",
        )
    return True


def _check_empty(c: _Check) -> None:
    n = c.name
    if not c.goenv:
        c.warn(
            "empty-ignored",
            f"go treats an exported empty {n} exactly like an unset one, so it cannot cancel "
            f"a value from the go env file; use `go env -u {n}` or unset it instead.",
        )
        return
    if n == "GOPROXY":
        c.err(
            "empty-masks-default",
            "GOPROXY= in the go env file masks the $GOROOT/go.env default and every download "
            "fails (“GOPROXY list is not the empty string, but contains no entries”); use "
            "`go env -u GOPROXY` instead.",
        )
    elif n == "GOSUMDB":
        c.err(
            "empty-masks-default",
            "GOSUMDB= in the go env file masks the $GOROOT/go.env default and every download "
            "of a public module fails (“missing GOSUMDB”); use `go env -u GOSUMDB` instead.",
        )
    elif n == "GOTOOLCHAIN":
        c.warn(
            "empty-masks-default",
            "GOTOOLCHAIN= in the go env file masks the $GOROOT/go.env default (auto), so go "
            "never switches to the toolchain a go.mod asks for; use `go env -u GOTOOLCHAIN`.",
        )


# --- per-variable rules ----------------------------------------------------------------


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


def _gopath(c: _Check) -> None:
    v = c.value
    sep = ";" if c.hostos == "windows" else ":"
    if v.startswith("~"):
        c.err(
            "gopath-tilde",
            "GOPATH cannot start with '~' because go does not expand it (every go command "
            "exits 2: “GOPATH entry cannot start with shell metacharacter '~'”); write the "
            "absolute path, e.g. $HOME/go.",
        )
        return
    if c.goenv and not c.abs(v):
        c.err(
            "gopath-relative",
            f"go env -w refuses a GOPATH that does not start with an absolute path (“GOPATH "
            f"entry is relative; must be absolute path”); use absolute paths separated by "
            f"{sep!r}.",
        )
        return
    for part in v.split(sep):
        if not part:
            continue
        if part.startswith("~"):
            c.err(
                "gopath-tilde",
                f"GOPATH element {part!r} starts with '~', which go does not expand, so every "
                "go command exits 2; write the absolute path.",
            )
        elif not c.abs(part):
            c.err(
                "gopath-relative",
                f"GOPATH element {part!r} is relative, so every go command exits 2 (“GOPATH "
                "entry is relative; must be absolute path”), even `go env -u GOPATH`; use "
                f"absolute paths separated by {sep!r}.",
            )


def _abs_dir(c: _Check, what_fails: str) -> bool:
    v = c.value
    if c.abs(v):
        return True
    c.err(
        f"{c.name.lower()}-relative",
        f"{c.name} must be an absolute path ({what_fails}); write it in full, without '~' or '.'.",
    )
    return False


def _gomodcache(c: _Check) -> None:
    _abs_dir(
        c,
        "go env -w refuses a relative one"
        if c.goenv
        else "module commands fail: “GOMODCACHE entry is relative”",
    )


def _gocache(c: _Check) -> None:
    if c.value == "off":
        c.warn(
            "gocache-off",
            "GOCACHE=off makes every build fail (“build cache is disabled by GOCACHE=off, "
            "but required as of Go 1.12”); remove it or point it at an absolute directory.",
        )
        return
    _abs_dir(c, "otherwise full `go env` and every build fail: “GOCACHE is not an absolute path”")


def _gobin(c: _Check) -> None:
    _abs_dir(c, "otherwise `go install` fails: “GOBIN must be an absolute path”")


def _gotmpdir(c: _Check) -> None:
    v = c.value
    if not c.abs(v):
        if c.goenv:
            c.err(
                "gotmpdir-relative",
                "go env -w refuses a relative GOTMPDIR (“GOTMPDIR must be an absolute path”); "
                "write an absolute directory.",
            )
        else:
            c.warn(
                "gotmpdir-relative",
                "a relative GOTMPDIR is resolved against each command's working directory, "
                "so builds litter or fail in the current folder; use an absolute directory.",
            )
        return
    if _is_this_host(c.hostos) and not os.path.isdir(v):
        c.warn(
            "gotmpdir-missing",
            f"GOTMPDIR {v} is not an existing directory, so every build and full `go env` "
            "fail (“creating work dir”); create it first or choose another.",
        )


def _gocacheprog(c: _Check) -> None:
    words = _quoted_split(c.value)
    if isinstance(words, str):
        c.err("gocacheprog-syntax", f"GOCACHEPROG cannot be split into words ({words}).")
        return
    if not words:
        return
    if c.minor < 24:
        c.warn(
            "gocacheprog-experiment",
            f"go1.{c.minor} ignores GOCACHEPROG unless GOEXPERIMENT=cacheprog is set "
            "(it is standard from go1.24).",
        )
    if not _which(words[0], c.hostos):
        c.warn(
            "gocacheprog-missing",
            f"the GOCACHEPROG command {words[0]!r} is not found, so full `go env` and every "
            "build fail; install it or give its absolute path.",
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


def _goquote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _b64std(s: str) -> bytes | None:
    """encoding/base64.StdEncoding.DecodeString (padding required), or None."""
    s = s.replace("\r", "").replace("\n", "")
    if not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", s) or len(s) % 4:
        return None
    try:
        return base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        return None


def _verifier_error(vkey: str) -> str:
    """golang.org/x/mod/sumdb/note.NewVerifier plus dbDial's name check: "" when valid."""
    name, _, rest = vkey.partition("+")
    hash16, _, key64 = rest.partition("+")
    key = _b64std(key64)
    name_ok = name != "" and "+" not in name and not any(ch.isspace() for ch in name)
    if len(hash16) != 8 or not re.fullmatch(r"[0-9A-Fa-f]{8}", hash16) or key is None:
        return "malformed verifier id"
    if not name_ok or not key:
        return "malformed verifier id"
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape") + b"\n" + key).digest()
    if int(hash16, 16) != int.from_bytes(digest[:4], "big"):
        return "invalid verifier hash"
    if key[0] != 1:
        return "unknown verifier algorithm"
    if len(key) != 33:
        return "malformed verifier id"
    u = _parse_url("https://" + name)
    if (
        isinstance(u, str)
        or name.endswith("/")
        or not u.host
        or u.userinfo
        or "?" in u.rest
        or "#" in u.rest
        or "%" in name
    ):
        return f"invalid sumdb name (must be host[/path]): {name}"
    return ""


def _gosumdb(c: _Check) -> None:
    v = c.value
    if v == "off":
        c.warn(
            "gosumdb-off",
            "GOSUMDB=off turns off checksum verification for every module, so a tampered "
            "download goes unnoticed; list only your private paths in GOPRIVATE or GONOSUMDB "
            "instead.",
        )
        return
    if v == "sum.golang.google.cn":
        return
    fields = v.split()
    if not fields:
        c.err(
            "gosumdb-missing",
            "GOSUMDB holds only spaces, so every download of a public module fails (“missing "
            "GOSUMDB”); use `go env -u GOSUMDB`.",
        )
        return
    if len(fields) > 2:
        c.err(
            "gosumdb-fields",
            "GOSUMDB takes a name or key and at most one URL, so every download fails "
            "(“invalid GOSUMDB: too many fields”).",
        )
        return
    first = fields[0]
    if "://" in first:
        c.err(
            "gosumdb-url",
            f"GOSUMDB starts with a URL, which go reads as a key, so every download fails "
            f"(“invalid GOSUMDB: malformed verifier id”); write “sum.golang.org "
            f"{_redact(first)}” to reach the database through that URL.",
        )
        return
    if first not in _KNOWN_SUMDB:
        err = _verifier_error(first)
        if err:
            if "+" not in first:
                hint = (
                    "only sum.golang.org is known by name; any other database needs its full "
                    "key name+hash+key"
                )
            else:
                hint = "copy the key exactly as the database operator publishes it"
            c.err(
                "gosumdb-key",
                f"every download fails (“invalid GOSUMDB: {err}”); {hint}.",
            )
            return
    if len(fields) == 2:
        u = _parse_url(fields[1])
        if isinstance(u, str):
            c.err("gosumdb-url", f"every download fails (“invalid GOSUMDB URL: {u}”).")
        elif u.scheme not in {"http", "https"}:
            c.warn(
                "gosumdb-url-scheme",
                f"the GOSUMDB URL {_redact(fields[1])!r} has no http(s) scheme, so lookups "
                "fail; write https://host.",
            )
        elif u.userinfo:
            c.warn(
                "gosumdb-credentials",
                "the GOSUMDB URL holds credentials, which `go env` and `go bug` print "
                "verbatim; put them in ~/.netrc or GOAUTH instead.",
            )


def _goproxy(c: _Check) -> None:
    rest = c.value
    entries: list[tuple[str, str]] = []  # (entry, separator that follows)
    while rest:
        m = re.search(r"[,|]", rest)
        if m:
            entries.append((rest[: m.start()], m.group()))
            rest = rest[m.end() :]
        else:
            entries.append((rest, ""))
            rest = ""
    seen = 0
    terminal = ""
    for raw, _sep in entries:
        url = raw.strip()
        if not url:
            continue
        if terminal:
            c.warn(
                "goproxy-after-terminal",
                f"GOPROXY entries after {terminal!r} are never used because go stops at "
                f"{terminal!r}; move {terminal!r} to the end.",
            )
            return
        seen += 1
        if url in {"off", "direct"}:
            terminal = url
            continue
        if (
            any(ch in url for ch in ".:/")
            and ":/" not in url
            and not _is_abs(url, c.hostos)
            and not url.startswith("/")
        ):
            url = "https://" + url
        u = _parse_url(url)
        if isinstance(u, str):
            c.err("goproxy-url", f"every download fails ({u}); fix the GOPROXY entry.")
            return
        shown = _redact(url)
        if u.scheme == "":
            hint = (
                f"use file://{url} for a directory"
                if url.startswith("/")
                else "write https://HOST, or off/direct"
            )
            c.err(
                "goproxy-missing-scheme",
                f"every download fails (“invalid proxy URL missing scheme: {shown}”); {hint}.",
            )
            return
        if u.scheme not in {"http", "https", "file"}:
            c.err(
                "goproxy-scheme",
                f"every download fails (“invalid proxy URL scheme (must be https, http, file): "
                f"{shown}”).",
            )
            return
        if u.scheme == "file" and (u.host or u.userinfo or "?" in u.rest or "#" in u.rest):
            c.err(
                "goproxy-file",
                f"every download fails (“invalid file:// proxy URL with non-path elements: "
                f"{shown}”); write file:///absolute/dir.",
            )
            return
        if u.userinfo:
            c.warn(
                "goproxy-credentials",
                f"the GOPROXY entry {shown} holds credentials, which `go env`, `go bug` and "
                "logs print verbatim; move them to ~/.netrc or GOAUTH.",
            )
        if u.scheme == "http" and u.host.partition(":")[0] not in {"localhost", "127.0.0.1"}:
            c.warn(
                "goproxy-http",
                f"the GOPROXY entry {shown} uses plain http, so modules (and any credentials) "
                "travel unencrypted; use https.",
            )
    if seen == 0:
        c.err(
            "goproxy-empty",
            "GOPROXY has no entries, so every download fails (“GOPROXY list is not the empty "
            "string, but contains no entries”); use `go env -u GOPROXY`.",
        )


def _globs(c: _Check) -> None:
    for raw in c.value.split(","):
        pattern = raw.removesuffix("/")
        if not pattern:
            continue
        if pattern != pattern.strip():
            c.warn(
                "glob-list-spaces",
                f"the {c.name} pattern {raw!r} has spaces around it and go does not trim "
                f"them, so it never matches; write {c.name}={_joined(c.value)}.",
            )
        elif "://" in pattern:
            c.warn(
                "glob-scheme",
                f"the {c.name} pattern {raw!r} has a URL scheme, but patterns match module "
                f"paths, so it never matches; write {pattern.split('://', 1)[1]!r}.",
            )
        elif not _glob_ok(pattern):
            c.warn(
                "glob-malformed",
                f"the {c.name} pattern {raw!r} is not a valid glob (path.Match), so go "
                "silently ignores it; close the '[' or escape it with '\\'.",
            )
    if c.name == "GOINSECURE" and c.value.strip(", "):
        c.warn(
            "goinsecure-checksums",
            "GOINSECURE allows plain http and unverified TLS for these paths but still "
            "checks them against the public checksum database; add them to GONOSUMDB (or "
            "GOPRIVATE) if they are private.",
        )


def _joined(value: str) -> str:
    return ",".join(p.strip() for p in value.split(",") if p.strip())


def _govcs(c: _Check) -> None:
    s = c.value.strip()
    if not s:
        return
    vcs = {"git", "hg", "svn", "fossil", "all", "off"} | ({"bzr"} if c.minor < 27 else set())
    have: dict[str, str] = {}
    for raw in s.split(","):
        item = raw.strip()
        pattern, found, lst = item.partition(":")
        pattern, lst = pattern.strip(), lst.strip()
        err = ""
        if not item:
            err = "empty entry in GOVCS"
        elif not found:
            err = f"malformed entry in GOVCS (missing colon): {_goquote(item)}"
        elif not pattern:
            err = f"empty pattern in GOVCS: {_goquote(item)}"
        elif not lst:
            err = f"empty VCS list in GOVCS: {_goquote(item)}"
        elif pattern.startswith(("./", "../")) or pattern in {".", ".."}:
            err = f"relative pattern not allowed in GOVCS: {_goquote(pattern)}"
        elif pattern in have:
            err = f"unreachable pattern in GOVCS: {_goquote(item)} after {_goquote(have[pattern])}"
        elif any(not a.strip() for a in lst.split("|")):
            err = f"empty VCS name in GOVCS: {_goquote(item)}"
        if err:
            c.err(
                "govcs-syntax",
                f"every fetch from a version control system fails (“{err}”); write "
                "pattern:vcs|vcs entries separated by commas.",
            )
            return
        have[pattern] = item
        for a in lst.split("|"):
            if a.strip() not in vcs:
                c.warn(
                    "govcs-unknown-vcs",
                    f"GOVCS names {a.strip()!r}, which is not a version control system go "
                    f"knows, so it allows nothing; use {', '.join(sorted(vcs))}.",
                )
        if pattern not in {"public", "private"} and not _glob_ok(pattern):
            c.warn(
                "glob-malformed",
                f"the GOVCS pattern {pattern!r} is not a valid glob (path.Match), so it never "
                "matches; fix the brackets.",
            )


def _goauth(c: _Check) -> None:
    cmds = c.value.split(";")
    for raw in cmds:
        words = raw.split()
        if not words:
            c.err(
                "goauth-empty-command",
                "GOAUTH has an empty command (a stray ';'), so every authenticated download "
                "fails (“GOAUTH encountered an empty command”); remove it.",
            )
            return
        head = words[0]
        if head == "off":
            if len(cmds) != 1:
                c.err(
                    "goauth-off-combined",
                    "GOAUTH=off cannot be combined with other methods (“GOAUTH=off cannot be "
                    "combined with other authentication commands”); use off alone.",
                )
                return
        elif head == "netrc":
            continue
        elif head == "git":
            if len(words) != 2 or not c.abs(words[1]):
                c.err(
                    "goauth-git",
                    "the GOAUTH git method needs exactly one absolute directory (“GOAUTH=git "
                    "dir method requires an absolute path to the git working directory”); "
                    "write `git /abs/dir`.",
                )
                return
            if not os.path.isdir(words[1]):
                c.warn(
                    "goauth-git-missing",
                    f"the GOAUTH git directory {words[1]} does not exist, so authenticated "
                    "downloads fail (“cannot stat”); create it or fix the path.",
                )
        elif not _which(head, c.hostos):
            c.warn(
                "goauth-command-missing",
                f"the GOAUTH command {head!r} is not found, so go gets no credentials from "
                "it; install it or give its absolute path.",
            )


def _gotoolchain(c: _Check) -> None:
    v = c.value
    if v in {"auto", "path", "local"}:
        return
    lo, plus, suffix = v.partition("+")
    err = ""
    if lo != "local" and not _toolchain_version(lo):
        err = (
            f'invalid GOTOOLCHAIN "{v}": invalid minimum toolchain "{lo}"'
            if plus
            else f'invalid GOTOOLCHAIN "{v}"'
        )
    elif plus and suffix not in {"auto", "path"}:
        err = f'invalid GOTOOLCHAIN "{v}": only version suffixes are +auto and +path'
    if err:
        c.err(
            "gotoolchain-invalid",
            f"every go command fails (“{err}”; recovery needs GOTOOLCHAIN=local in the OS "
            "environment); use local, auto, path or goX.Y.Z with optional +auto or +path.",
        )
        return
    ver = _toolchain_version(lo) if lo != "local" else ""
    m = re.fullmatch(r"1\.(\d+)", ver)
    if m and int(m.group(1)) >= 21:
        c.warn(
            "gotoolchain-not-release",
            f"{lo} is a language version, not a release (the first release is {lo}.0), so "
            f"go cannot find or download it; write {lo}.0 or a later patch release.",
        )


def _gofips140(c: _Check) -> None:
    v = c.value
    if v in {"off", "latest"}:
        return
    if v not in {"inprocess", "certified"} and not re.fullmatch(
        r"v1\.\d+\.\d+(?:-rc\d+|-.{8})?", v, flags=re.DOTALL
    ):
        # From the file go only fails later (cmd/go/internal/fips140); an exported value
        # fails at startup (internal/buildcfg), even `go version`.
        said = (
            f'unknown GOFIPS140 version "{v}"'
            if c.goenv
            else "invalid GOFIPS140: must be off, latest, inprocess, certified, or v1.Y.Z"
        )
        c.err(
            "gofips140-invalid",
            f"almost every go command fails (“{said}”); use off, latest, inprocess, "
            "certified or a v1.Y.Z snapshot.",
        )
        return
    if c.exact is not None and c.exact == NEWEST_MINOR and v not in _FIPS_127:
        c.err(
            "gofips140-unknown-version",
            f"go1.{c.exact} has no FIPS 140 snapshot {v} (every build fails: “unknown "
            f"GOFIPS140 version”); use one of {', '.join(sorted(_FIPS_127))}, latest or off.",
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


def _gowork(c: _Check) -> None:
    v = c.value
    if v not in {"off", "auto"} and not c.abs(v):
        c.err(
            "gowork-relative",
            "GOWORK must be off, auto or an absolute path to a go.work file, otherwise module "
            "commands fail (“invalid GOWORK: not an absolute path”).",
        )


def _goroot(c: _Check) -> None:
    v = c.value
    if not c.abs(v):
        c.err(
            "goroot-relative",
            "GOROOT must be an absolute directory, otherwise every go command fails; better, "
            "unset it and let go find its own tree.",
        )
    elif not os.path.isdir(v):
        c.err(
            "goroot-missing",
            f"GOROOT {v} is not a directory, so every go command fails (“cannot find GOROOT "
            "directory”); unset it and let go find its own tree.",
        )
    elif not c.goenv:
        c.warn(
            "goroot-exported",
            "an exported GOROOT is rarely needed and, when it belongs to another go version, "
            "builds fail (“compile: version … does not match go tool version”); unset it.",
        )


def _goenv_os(c: _Check) -> None:
    if c.value != "off" and not c.abs(c.value):
        c.warn(
            "goenv-relative",
            "a relative GOENV is resolved against each command's working directory, so go "
            "reads a different file in every folder; use an absolute path or off.",
        )


def _godebug(c: _Check) -> None:
    for item in c.value.split(","):
        if item.strip() and "=" not in item:
            c.warn(
                "godebug-syntax",
                f"the GODEBUG item {item!r} has no '=', so go ignores it; write name=value "
                "pairs separated by commas.",
            )


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
) -> list[Problem]:
    """Problems with setting `name` to `value`, errors first; [] when it is fine.

    `target` is "goenv" (a `go env -w` line) or "os" (an exported variable). `goos` and
    `goarch` are the current GOOS/GOARCH (for the pair check); `hostos` (default `goos`)
    decides path syntax. `go_version` ("go1.21.13") picks version-dependent rules.
    Never raises on any name or value; raises ValueError only for a bad `target`.
    """
    if target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, not {target!r}")
    c = _Check(name, value, _minor(go_version), goos, goarch, hostos or goos, target)
    try:
        if not _check_name(c) or not _check_text(c):
            return _sorted(c.problems)
        if value == "":
            _check_empty(c)
            return _sorted(c.problems)
        rule = _RULES.get(name)
        if rule is not None:
            rule(c)
    except Exception as exc:  # pragma: no cover - a bug must not crash the editor
        c.warn("internal", f"goenv-tui could not check {name}: {type(exc).__name__}: {exc}.")
    return _sorted(c.problems)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.severity != ERROR)


# ---------------------------------------------------------------------------------------
# Asking the real go.


def go_accepts(
    go_path: str | os.PathLike[str],
    name: str,
    value: str,
    *,
    goos: str | None = None,
    goarch: str | None = None,
    timeout: float = 30.0,
) -> Problem | None:
    """Run `go env -w NAME=VALUE` on a scratch GOENV file; go's refusal as an error.

    HOME and GOENV point into a temporary directory, GOTOOLCHAIN=local, so neither the
    user's file nor the network is touched. Returns None when go accepts; a warning
    with code "go-unavailable" when go cannot be run.
    """
    with tempfile.TemporaryDirectory(
        prefix="goenv-tui-validate-", ignore_cleanup_errors=True
    ) as tmp:
        # Telemetry mode "off" (the env var is ignored): no counter files, no upload child.
        telemetry = os.path.join(tmp, "config", "go", "telemetry")
        os.makedirs(telemetry)
        with open(os.path.join(telemetry, "mode"), "w", encoding="utf-8") as f:
            f.write("off")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp,
            "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
            "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
            "GOENV": os.path.join(tmp, "env"),
            "GOTOOLCHAIN": "local",
            "GOFLAGS": "",
        }
        if goos:
            env["GOOS"] = goos
        if goarch:
            env["GOARCH"] = goarch
        env.pop(name, None)
        try:
            argv = [os.fsencode(go_path), b"env", b"-w", os.fsencode(f"{name}={value}")]
            out = subprocess.run(
                argv,
                env=env,
                cwd=tmp,
                capture_output=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except (OSError, ValueError, UnicodeError, subprocess.SubprocessError) as exc:
            return Problem(WARNING, "go-unavailable", f"could not ask go about {name}: {exc}.")
        if out.returncode == 0:
            return None
        text = out.stderr.decode("utf-8", "replace").strip().splitlines()
        said = text[0].removeprefix("go: ") if text else f"exit status {out.returncode}"
        return Problem(ERROR, "go-refused", f"go env -w refuses {name}: “{said}”.")
