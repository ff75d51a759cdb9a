"""Which environment variable names count as Go variables."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

#: Every name some supported go (1.21 ... 1.27) prints in `go env -json` or reads from
#: the environment, on any GOARCH. Used to watch a shell before go has answered.
KNOWN_GO_NAMES: frozenset[str] = frozenset(
    """
    AR CC CGO_CFLAGS CGO_CPPFLAGS CGO_CXXFLAGS CGO_ENABLED CGO_FFLAGS CGO_LDFLAGS CXX FC GCCGO
    GO111MODULE GO386 GOAMD64 GOARCH GOARM GOARM64 GOAUTH GOBIN GOCACHE GOCACHEPROG GODEBUG
    GOENV GOEXE GOEXPERIMENT GOFIPS140 GOFLAGS GOGCCFLAGS GOHOSTARCH GOHOSTOS GOINSECURE
    GOMIPS GOMIPS64 GOMOD GOMODCACHE GONOPROXY GONOSUMDB GOOS GOPACKAGESDRIVER GOPATH
    GOPPC64 GOPRIVATE GOPROXY GORISCV64 GOROOT GOSUMDB GOTELEMETRY GOTELEMETRYDIR GOTMPDIR
    GOTOOLCHAIN GOTOOLDIR GOVCS GOVERSION GOWASM GOWORK PKG_CONFIG
    """.split()  # noqa: SIM905
)

#: What every supported go prints on every GOARCH (go 1.21's `go env -json` keys minus
#: the GOARCH-specific one): the variables listed when go cannot answer.
COMMON_GO_NAMES: frozenset[str] = frozenset(
    """
    AR CC CGO_CFLAGS CGO_CPPFLAGS CGO_CXXFLAGS CGO_ENABLED CGO_FFLAGS CGO_LDFLAGS CXX GCCGO
    GO111MODULE GOARCH GOBIN GOCACHE GOENV GOEXE GOEXPERIMENT GOFLAGS GOGCCFLAGS GOHOSTARCH
    GOHOSTOS GOINSECURE GOMOD GOMODCACHE GONOPROXY GONOSUMDB GOOS GOPATH GOPRIVATE GOPROXY
    GOROOT GOSUMDB GOTMPDIR GOTOOLCHAIN GOTOOLDIR GOVCS GOVERSION GOWORK PKG_CONFIG
    """.split()  # noqa: SIM905
)

#: Names the go command reads only from the OS environment, never from a file.
OS_ONLY_NAMES: frozenset[str] = frozenset({"GOENV", "GODEBUG", "GOPACKAGESDRIVER"})

#: Names go computes and never takes from the environment or a file.
COMPUTED_NAMES: frozenset[str] = frozenset(
    {"GOEXE", "GOGCCFLAGS", "GOHOSTARCH", "GOHOSTOS", "GOMOD", "GOTOOLDIR", "GOVERSION"}
)

#: Names newer go versions added to `go env`: name -> the first go minor version that knows it
#: (cmd/go/internal/cfg.KnownEnv; GOTELEMETRY* are listed from go1.23).
ADDED_IN: dict[str, int] = {
    "GOARM64": 23,
    "GORISCV64": 23,
    "GOTELEMETRY": 23,
    "GOTELEMETRYDIR": 23,
    "GOAUTH": 24,
    "GOFIPS140": 24,
}

#: Telemetry names: go takes them from the telemetry mode file and its config folder.
TELEMETRY_NAMES: frozenset[str] = frozenset({"GOTELEMETRY", "GOTELEMETRYDIR"})

# Go's own names never have an underscore after "GO" (GO111MODULE, GOAMD64, ...); that
# keeps GOOGLE_APPLICATION_CREDENTIALS or GOENV_TUI_STATE_DIR out.
_GOISH = re.compile(r"^(GO[A-Z0-9]+|CGO_[A-Z0-9_]+)$")


def is_go_name(name: str) -> bool:
    """True for a name go knows or that looks like one (GO*, CGO_*)."""
    return name in KNOWN_GO_NAMES or bool(_GOISH.match(name))


def watched_names(env: Mapping[str, str], extra: Iterable[str] = ()) -> list[str]:
    """The names to watch in a shell trace: known names, Go-looking names in `env`, `extra`."""
    names = set(KNOWN_GO_NAMES)
    names.update(n for n in env if _GOISH.match(n))
    names.update(extra)
    return sorted(names)
