"""validate(): the static rules, each positive and negative (no go needed)."""

from __future__ import annotations

import base64
import hashlib
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goenv_tui.core.validate import Problem, go_accepts, refusal, validate

NEW = "go1.27.3"
OLD = "go1.21.13"


def codes(name: str, value: str, **kw: object) -> set[str]:
    return {p.code for p in validate(name, value, **kw)}  # type: ignore[arg-type]


def severity(name: str, value: str, code: str, **kw: object) -> str:
    found = [p for p in validate(name, value, **kw) if p.code == code]  # type: ignore[arg-type]
    assert found, (name, value, code, validate(name, value, **kw))  # type: ignore[arg-type]
    return found[0].severity


def sumdb_key(name: str, pub: bytes = bytes(range(32)), alg: int = 1) -> str:
    """A verifier key name+hash+key as note.NewVerifier expects it."""
    key = bytes([alg]) + pub
    h = hashlib.sha256(name.encode() + b"\n" + key).digest()[:4].hex()
    return f"{name}+{h}+{base64.b64encode(key).decode()}"


# (name, value, kwargs, expected code, expected severity): each must be reported.
BAD: list[tuple[str, str, dict[str, str], str, str]] = [
    # names go env -w refuses
    ("GOVERSION", "go1.2", {}, "read-only", "error"),
    ("GOEXE", ".exe", {}, "read-only", "error"),
    ("GOWORK", "off", {}, "read-only", "error"),
    ("GOTELEMETRY", "off", {}, "read-only", "error"),
    ("GOTELEMETRYDIR", "/x", {"go_version": OLD}, "read-only", "error"),
    ("GOROOT", "/usr/lib/go", {"go_version": NEW}, "read-only", "error"),
    ("GOENV", "/x", {}, "os-only", "error"),
    ("GODEBUG", "x=1", {}, "os-only", "error"),
    ("GOPACKAGESDRIVER", "off", {}, "os-only", "error"),
    ("GO15VENDOREXPERIMENT", "1", {}, "retired", "error"),
    ("GOPROXYS", "x", {}, "unknown-name", "error"),
    ("GOAUTH", "netrc", {"go_version": OLD}, "unknown-name", "error"),
    ("GOFIPS140", "off", {"go_version": OLD}, "unknown-name", "error"),
    ("GOARM64", "v8.0", {"go_version": OLD}, "unknown-name", "error"),
    # the OS environment
    ("GOHOSTOS", "windows", {"target": "os"}, "os-ignored", "warning"),
    ("GOTELEMETRY", "on", {"target": "os"}, "os-ignored", "warning"),
    ("GOPROXYS", "x", {"target": "os"}, "unknown-name", "warning"),
    ("GOAUTH", "netrc", {"target": "os", "go_version": OLD}, "not-supported", "warning"),
    ("GOPROXY", "", {"target": "os"}, "empty-ignored", "warning"),
    ("GOENV", "rel/env", {"target": "os"}, "goenv-relative", "warning"),
    ("GODEBUG", "http2client", {"target": "os"}, "godebug-syntax", "warning"),
    ("GOWORK", "rel/go.work", {"target": "os"}, "gowork-relative", "error"),
    ("GOROOT", "/nonexistent/goroot", {"target": "os"}, "goroot-missing", "error"),
    ("GOROOT", "/", {"target": "os"}, "goroot-exported", "warning"),
    # go env's own flags hijack every `go env` (-u deletes the line it is asked for)
    ("GOFLAGS", "-json -v", {}, "goflags-go-env-flag", "error"),
    ("GOFLAGS", "-u", {}, "goflags-go-env-flag", "error"),
    ("GOFLAGS", "-ldflags=-s -w", {}, "goflags-go-env-flag", "error"),
    ("GOROOT", "/", {"go_version": OLD}, "goroot-in-file", "warning"),
    # text
    ("GOFLAGS", "-x\n-v", {}, "nul-newline-utf8", "error"),
    ("GOFLAGS", "-x\r", {}, "nul-newline-utf8", "error"),
    ("GOFLAGS", "-x\v", {}, "nul-newline-utf8", "error"),
    ("GOFLAGS", "-x\x00", {}, "nul-newline-utf8", "error"),
    ("GOFLAGS", "-x\udcff", {}, "nul-newline-utf8", "error"),
    ("GOFLAGS", "-x\x00", {"target": "os"}, "nul-newline-utf8", "error"),
    ("GOFLAGS", "-x\n", {"target": "os"}, "nul-newline-utf8", "warning"),
    # empty values in the go env file
    ("GOPROXY", "", {}, "empty-masks-default", "error"),
    ("GOSUMDB", "", {}, "empty-masks-default", "error"),
    ("GOTOOLCHAIN", "", {}, "empty-masks-default", "warning"),
    # GO111MODULE
    ("GO111MODULE", "ON", {}, "go111module-invalid", "error"),
    ("GO111MODULE", "yes", {"target": "os"}, "go111module-invalid", "error"),
    ("GO111MODULE", "off", {}, "go111module-off", "warning"),
    # paths
    ("GOPATH", "~/go", {}, "gopath-tilde", "error"),
    ("GOPATH", "go", {}, "gopath-relative", "error"),
    ("GOPATH", "/a:rel", {}, "gopath-relative", "error"),
    ("GOPATH", "/a:~/b", {}, "gopath-tilde", "error"),
    ("GOPATH", "rel", {"target": "os"}, "gopath-relative", "error"),
    ("GOPATH", "C:\\go;rel", {"goos": "windows"}, "gopath-relative", "error"),
    ("GOMODCACHE", "mod", {}, "gomodcache-relative", "error"),
    ("GOMODCACHE", "~/mod", {"target": "os"}, "gomodcache-relative", "error"),
    ("GOCACHE", "rel", {}, "gocache-relative", "error"),
    ("GOCACHE", "off", {}, "gocache-off", "error"),
    ("CGO_CFLAGS", "-O2 -bogusflag", {}, "cgo-flags-refused", "error"),
    ("CGO_LDFLAGS", "-lno-such-lib-anywhere", {}, "cgo-flags-refused", "error"),
    ("CGO_CFLAGS", "'-O2", {}, "cgo-flags-syntax", "error"),
    ("GOWORK", "/nonexistent/go.work", {"target": "os"}, "gowork-missing", "error"),
    ("GODEBUG", "panicnil=1, gctrace=1", {"target": "os"}, "godebug-spaces", "error"),
    ("CC", "no-such-cc -O2", {}, "cc-missing", "error"),
    ("CXX", "/nonexistent/g++", {}, "cxx-missing", "warning"),
    ("GOPATH", ":/srv/go", {"target": "os"}, "gopath-empty-first", "error"),
    ("GOMODCACHE", "/etc/passwd", {}, "gomodcache-not-dir", "error"),
    # GOFLAGS go accepts but that break builds, change `go list` or do nothing
    ("GOFLAGS", "-f", {}, "goflags-list-f", "error"),
    ("GOFLAGS", "-f={{.Dir}}", {}, "goflags-list-f", "error"),
    ("GOFLAGS", "-m", {}, "goflags-list-m", "error"),
    ("GOFLAGS", "-n", {}, "goflags-dry-run", "error"),
    ("GOFLAGS", "-p=0", {}, "goflags-bad-p", "error"),
    ("GOFLAGS", "-modfile=/nonexistent/go.mod", {}, "goflags-modfile-missing", "error"),
    ("GOFLAGS", "-overlay=/nonexistent.json", {}, "goflags-overlay-missing", "error"),
    ("GOFLAGS", "-overlay=o.json", {}, "goflags-overlay-relative", "warning"),
    ("GOFLAGS", "-race -msan", {}, "goflags-sanitizers", "error"),
    ("GOFLAGS", "-race", {"goarch": "386"}, "goflags-race-unsupported", "error"),
    ("GOFLAGS", "-race", {}, "goflags-race-cross", "warning"),
    ("GOFLAGS", "-buildmode=bogus", {}, "goflags-bad-buildmode", "error"),
    ("GOFLAGS", "-mod=vendor", {}, "goflags-mod-vendor", "error"),
    ("GOFLAGS", "-toolexec=/nonexistent/tool", {}, "goflags-toolexec-missing", "error"),
    ("GOBIN", "bin", {}, "gobin-relative", "error"),
    ("GOTMPDIR", "tmp", {}, "gotmpdir-relative", "error"),
    ("GOTMPDIR", "tmp", {"target": "os"}, "gotmpdir-relative", "warning"),
    ("GOTMPDIR", "/nonexistent/tmp", {}, "gotmpdir-missing", "error"),
    ("GOCACHEPROG", "/nonexistent/cacheprog", {}, "gocacheprog-missing", "error"),
    ("GOCACHEPROG", "'unterminated", {}, "gocacheprog-syntax", "error"),
    ("GOCACHEPROG", "/bin/true", {"go_version": OLD}, "gocacheprog-experiment", "warning"),
    ("CC", "bin/gcc -O2", {}, "cc-relative", "error"),
    ("CXX", "./g++", {"target": "os"}, "cc-relative", "warning"),
    ("CC", "'gcc", {}, "cc-syntax", "error"),
    ("CC", "   ", {}, "cc-syntax", "error"),
    # GOOS/GOARCH
    ("GOOS", "plan8", {}, "goos-goarch-unsupported", "error"),
    ("GOARCH", "sparc", {}, "goos-goarch-unsupported", "error"),
    ("GOOS", "windows", {"goarch": "arm", "go_version": NEW}, "goos-goarch-unsupported", "error"),
    (
        "GOARCH",
        "riscv64",
        {"goos": "openbsd", "go_version": OLD},
        "goos-goarch-unsupported",
        "error",
    ),
    # GOEXPERIMENT
    ("GOEXPERIMENT", "nosuch", {}, "goexperiment-unknown", "error"),
    ("GOEXPERIMENT", "LoopVar", {}, "goexperiment-unknown", "error"),
    ("GOEXPERIMENT", "coverageredesign", {"go_version": NEW}, "goexperiment-unknown", "error"),
    ("GOEXPERIMENT", "jsonv2", {"go_version": OLD}, "goexperiment-unknown", "error"),
    ("GOEXPERIMENT", "bogus", {"go_version": "go1.24.1"}, "goexperiment-unknown", "warning"),
    # GOFLAGS
    ("GOFLAGS", "-nosuchflag", {}, "goflags-unknown-flag", "error"),
    ("GOFLAGS", "-printf=false", {}, "goflags-unknown-flag", "error"),
    ("GOFLAGS", "word", {}, "goflags-non-flag", "error"),
    ("GOFLAGS", "-mod=mod -", {}, "goflags-non-flag", "error"),
    ("GOFLAGS", "---x", {}, "goflags-non-flag", "error"),
    ("GOFLAGS", "-ldflags='-s -w'", {}, "goflags-quote", "error"),
    ("GOFLAGS", "'-ldflags=-s -w", {}, "goflags-syntax", "error"),
    ("GOFLAGS", "-ldflags", {}, "goflags-missing-value", "error"),
    ("GOFLAGS", "-count", {}, "goflags-missing-value", "error"),
    ("GOFLAGS", "-race=maybe", {}, "goflags-bad-bool", "error"),
    ("GOFLAGS", "-mod=bogus", {}, "goflags-bad-mod", "error"),
    ("GOFLAGS", "-insecure", {}, "goflags-insecure", "error"),
    ("GOFLAGS", "-C=/tmp", {}, "goflags-chdir", "error"),
    # GOSUMDB
    ("GOSUMDB", "https://sum.golang.org", {}, "gosumdb-url", "error"),
    ("GOSUMDB", "sum.example.com", {}, "gosumdb-key", "error"),
    ("GOSUMDB", "a b c", {}, "gosumdb-fields", "error"),
    ("GOSUMDB", " ", {}, "gosumdb-missing", "error"),
    ("GOSUMDB", "off", {}, "gosumdb-off", "warning"),
    ("GOSUMDB", sumdb_key("sum.example.com")[:-2] + "AA", {}, "gosumdb-key", "error"),
    ("GOSUMDB", sumdb_key("sum.example.com", alg=2), {}, "gosumdb-key", "error"),
    ("GOSUMDB", sumdb_key("sum.example.com", pub=b"short"), {}, "gosumdb-key", "error"),
    ("GOSUMDB", sumdb_key("sum.example.com/"), {}, "gosumdb-key", "error"),
    ("GOSUMDB", "sum.golang.org sum.golang.google.cn", {}, "gosumdb-url-scheme", "warning"),
    ("GOSUMDB", "sum.golang.org https://u:p@s.example", {}, "gosumdb-credentials", "warning"),
    # GOPROXY
    ("GOPROXY", "nonsense", {}, "goproxy-missing-scheme", "error"),
    ("GOPROXY", "/srv/proxy", {}, "goproxy-missing-scheme", "error"),
    ("GOPROXY", "https://ok.example,nonsense", {}, "goproxy-missing-scheme", "error"),
    ("GOPROXY", "ftp://x.example", {}, "goproxy-scheme", "error"),
    ("GOPROXY", "file://host/srv", {}, "goproxy-file", "error"),
    ("GOPROXY", ",", {}, "goproxy-empty", "error"),
    ("GOPROXY", "https://x.example:port", {}, "goproxy-url", "error"),
    ("GOPROXY", "http://proxy.corp.example", {}, "goproxy-http", "warning"),
    ("GOPROXY", "https://u:p@proxy.example", {}, "goproxy-credentials", "warning"),
    ("GOPROXY", "u:p@proxy.example", {}, "goproxy-credentials", "warning"),
    ("GOPROXY", "direct,https://proxy.golang.org", {}, "goproxy-after-terminal", "warning"),
    ("GOPROXY", "off|direct", {}, "goproxy-after-terminal", "warning"),
    # glob lists
    ("GOPRIVATE", "a.example, b.example", {}, "glob-list-spaces", "error"),
    ("GONOSUMDB", "a.example ", {}, "glob-list-spaces", "error"),
    ("GONOPROXY", "[", {}, "glob-malformed", "error"),
    ("GOPRIVATE", "a\\", {}, "glob-malformed", "error"),
    ("GOPRIVATE", "[]a]", {}, "glob-malformed", "error"),
    ("GOPRIVATE", "[a-]", {}, "glob-malformed", "error"),
    ("GOINSECURE", "https://git.corp.example", {}, "glob-scheme", "error"),
    ("GOINSECURE", "git.corp.example", {}, "goinsecure-checksums", "warning"),
    # GOVCS
    ("GOVCS", "github.com:git,bad", {}, "govcs-syntax", "error"),
    ("GOVCS", "github.com:", {}, "govcs-syntax", "error"),
    ("GOVCS", ":git", {}, "govcs-syntax", "error"),
    ("GOVCS", "a:git,,b:hg", {}, "govcs-syntax", "error"),
    ("GOVCS", "./x:git", {}, "govcs-syntax", "error"),
    ("GOVCS", "a:git,a:hg", {}, "govcs-syntax", "error"),
    ("GOVCS", "a:git||hg", {}, "govcs-syntax", "error"),
    ("GOVCS", "private:gti", {}, "govcs-unknown-vcs", "error"),
    ("GOVCS", "private:bzr", {"go_version": NEW}, "govcs-unknown-vcs", "error"),
    ("GOVCS", "[x:git", {}, "glob-malformed", "error"),
    # GOAUTH
    ("GOAUTH", "netrc;", {}, "goauth-empty-command", "error"),
    ("GOAUTH", "off;netrc", {}, "goauth-off-combined", "error"),
    ("GOAUTH", "git rel/dir", {}, "goauth-git", "error"),
    ("GOAUTH", "git", {}, "goauth-git", "error"),
    ("GOAUTH", "git /nonexistent/dir", {}, "goauth-git-missing", "warning"),
    ("GOAUTH", "no-such-auth-helper --x", {}, "goauth-command-missing", "warning"),
    # GOTOOLCHAIN
    ("GOTOOLCHAIN", "bogus", {}, "gotoolchain-invalid", "error"),
    ("GOTOOLCHAIN", "go1.22.1+foo", {}, "gotoolchain-invalid", "error"),
    ("GOTOOLCHAIN", "go01.22+auto", {}, "gotoolchain-invalid", "error"),
    ("GOTOOLCHAIN", "go1.21.0rc1", {}, "gotoolchain-invalid", "error"),
    ("GOTOOLCHAIN", "go/1.22.0", {}, "gotoolchain-invalid", "error"),
    ("GOTOOLCHAIN", "auto+path", {}, "gotoolchain-invalid", "error"),
    ("GOTOOLCHAIN", "go1.22", {}, "gotoolchain-not-release", "error"),
    ("GOTOOLCHAIN", "go1.22+auto", {}, "gotoolchain-not-release", "error"),
    ("GOTOOLCHAIN", "go1.800-bigcorp", {}, "gotoolchain-not-release", "error"),
    ("GOTOOLCHAIN", "go1.800.0-bigcorp", {}, "gotoolchain-custom", "error"),
    ("GOTOOLCHAIN", "go1.20", {}, "gotoolchain-too-old", "error"),
    ("GOTOOLCHAIN", "go1.19.13+auto", {}, "gotoolchain-too-old", "error"),
    ("GOTOOLCHAIN", "go1.99.0+path", {}, "gotoolchain-not-on-path", "error"),
    ("GOTOOLCHAIN", "go1.22.0 ", {}, "gotoolchain-space", "error"),
    ("GOTOOLCHAIN", "local ", {}, "gotoolchain-invalid", "error"),
    ("GOTOOLCHAIN", "go2.0.0", {}, "gotoolchain-invalid", "error"),
    # GOFIPS140
    ("GOFIPS140", "bogus", {}, "gofips140-invalid", "error"),
    ("GOFIPS140", "v2.0.0", {}, "gofips140-invalid", "error"),
    ("GOFIPS140", "v1.9.9", {"go_version": NEW}, "gofips140-unknown-version", "error"),
    # architecture levels
    ("CGO_ENABLED", "yes", {}, "cgo-enabled-ignored", "error"),
    ("CGO_ENABLED", "true", {"target": "os"}, "cgo-enabled-ignored", "error"),
    # (go 1.27 ignores bad GOAMD64/GOARM; 1.21 fails that GOARCH's builds, every command
    # when exported; only the builds for the level's own GOARCH see a go env file value)
    ("GOAMD64", "v9", {"go_version": NEW}, "goamd64-ignored", "error"),
    ("GOAMD64", "v9", {"go_version": NEW, "goarch": "arm64"}, "goamd64-ignored", "warning"),
    ("GOAMD64", "v9", {"go_version": OLD}, "goamd64-invalid", "error"),
    ("GOAMD64", "v9", {"go_version": OLD, "goarch": "arm64"}, "goamd64-invalid", "warning"),
    (
        "GOAMD64",
        "v9",
        {"go_version": OLD, "goarch": "arm64", "target": "os"},
        "goamd64-invalid",
        "error",
    ),
    ("GOARM", "9", {}, "goarm-ignored", "warning"),
    ("GOARM", "9", {"goarch": "arm"}, "goarm-ignored", "error"),
    ("GOARM", "9", {"go_version": OLD}, "goarm-invalid", "warning"),
    ("GOARM", "7,softfloat", {"go_version": OLD, "goarch": "arm"}, "goarm-invalid", "error"),
    ("GOARM64", "v8.0,sve", {}, "goarm64-invalid", "warning"),
    ("GOARM64", "v8.0,sve", {"target": "os"}, "goarm64-invalid", "error"),
    ("GOARM64", "v7.0", {"goarch": "arm64"}, "goarm64-invalid", "error"),
    ("GOPPC64", "power7", {}, "goppc64-invalid", "warning"),
    ("GOPPC64", "power7", {"goarch": "ppc64le"}, "goppc64-invalid", "error"),
    ("GOMIPS", "soft", {"target": "os"}, "gomips-invalid", "error"),
    ("GORISCV64", "rva99u64", {"goarch": "riscv64"}, "goriscv64-invalid", "error"),
    ("GOWASM", "simd", {"target": "os"}, "gowasm-invalid", "error"),
    ("GO386", "bogus", {"target": "os"}, "go386-invalid", "warning"),
    ("GO386", "387", {"goarch": "386", "goos": "linux"}, "go386-invalid", "error"),
]

# (name, value, kwargs): nothing at all to report.
GOOD: list[tuple[str, str, dict[str, str]]] = [
    ("GOROOT", "/", {"go_version": OLD}),  # see goroot-in-file: reported as a warning only
    ("HOME", "/home/x", {"target": "os"}),
    ("GOENV", "off", {"target": "os"}),
    ("GODEBUG", "http2client=0,panicnil=1", {"target": "os"}),
    ("GOWORK", "off", {"target": "os"}),
    ("CGO_CFLAGS_ALLOW", "-fopenmp", {}),
    ("CGO_CFLAGS", "-O2 -g '-DNAME=a b'", {}),
    ("CGO_LDFLAGS", "-lm", {}),
    ("GOFLAGS", "", {}),
    ("GOPROXY", "https://proxy.golang.org,direct", {}),
    ("GOSUMDB", "sum.golang.org", {}),
    ("GO111MODULE", "on", {}),
    ("GO111MODULE", "", {}),
    ("GO111MODULE", "auto", {"target": "os"}),
    ("GOPATH", "/home/u/go", {}),
    ("GOPATH", "/a::/b", {}),
    ("GOPATH", "/srv/go~old", {}),
    ("GOPATH", "C:\\go;D:\\go", {"goos": "windows"}),
    ("GOMODCACHE", "/var/cache/gomod", {}),
    ("GOCACHE", "/var/cache/go-build", {}),
    ("GOBIN", "/usr/local/bin", {}),
    ("GOTMPDIR", "/tmp", {}),
    ("GOCACHEPROG", "/bin/true --flag", {}),
    ("CC", "gcc", {}),
    ("CC", "/usr/bin/gcc -O2", {}),
    ("CXX", "'/usr/bin/g++' -std=c++17", {}),
    ("GOOS", "windows", {}),
    ("GOARCH", "arm64", {"goos": "darwin"}),
    ("GOARCH", "mips64", {"goos": "openbsd", "go_version": OLD}),
    ("GOOS", "openbsd", {"goarch": "riscv64", "go_version": NEW}),
    ("GOARCH", "sparc64", {}),  # a known-broken port, still accepted by go env -w
    ("GOEXPERIMENT", "jsonv2,nogreenteagc", {"go_version": NEW}),
    ("GOEXPERIMENT", "coverageredesign", {"go_version": OLD}),
    ("GOEXPERIMENT", "none,regabi,noregabi", {}),
    ("GOEXPERIMENT", "swissmap", {"go_version": "go1.24.1"}),
    ("GOFLAGS", "-mod=mod -trimpath -tags=a,b -ldflags=-s", {}),
    ("GOFLAGS", "'-ldflags=-s -w' -v", {}),
    ("GOFLAGS", '"-gcflags=all=-N -l" --trimpath=true -count=1', {}),
    ("GOFLAGS", "-c -test.v -buildvcs=false -modcacherw", {}),
    ("GOSUMDB", "sum.golang.google.cn", {}),
    ("GOSUMDB", "sum.golang.org https://sum.golang.google.cn", {}),
    ("GOSUMDB", "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8", {}),
    ("GOSUMDB", sumdb_key("sum.example.com"), {}),
    ("GOSUMDB", sumdb_key("sum.example.com/path") + " https://s.example/x", {}),
    ("GOPROXY", "off", {}),
    ("GOPROXY", "direct", {}),
    ("GOPROXY", "proxy.example.com|https://proxy.golang.org,direct", {}),
    ("GOPROXY", " https://a.example , direct , ", {}),
    ("GOPROXY", "file:///srv/proxy,direct", {}),
    ("GOPROXY", "http://localhost:3000,direct", {}),
    ("GOPROXY", "localhost:3000", {}),
    ("GOPRIVATE", "*.corp.example,github.com/org/*,a.example/", {}),
    ("GONOSUMDB", "[a-c].example,x\\*y", {}),
    ("GONOPROXY", ",,a.example", {}),
    ("GOVCS", "github.com:git,evil.example:off,*:git|hg,private:all,public:git|hg", {}),
    ("GOVCS", " a:git ", {}),
    ("GOVCS", "private:bzr", {"go_version": OLD}),
    ("GOAUTH", "netrc", {}),
    ("GOAUTH", "off", {}),
    ("GOAUTH", "git /", {}),
    ("GOAUTH", "netrc; git /tmp ;/bin/true --x", {}),
    ("GOTOOLCHAIN", "local", {}),
    ("GOTOOLCHAIN", "auto", {}),
    ("GOTOOLCHAIN", "path", {}),
    ("GOTOOLCHAIN", "go1.22.3", {}),
    ("GOTOOLCHAIN", "go1.22.3+auto", {}),
    ("GOTOOLCHAIN", "go1.23rc1+auto", {}),
    ("GOTOOLCHAIN", "go1.27.3+path", {"go_version": NEW}),  # this go itself
    ("GOTOOLCHAIN", "local+auto", {}),
    ("GOFIPS140", "off", {}),
    ("GOFIPS140", "latest", {}),
    ("GOFIPS140", "certified", {"go_version": NEW}),
    ("GOFIPS140", "v1.0.0-c2097c7c", {"go_version": NEW}),
    ("GOFIPS140", "v1.9.9-rc1", {"go_version": "go1.25.0"}),
    ("CGO_ENABLED", "0", {}),
    ("CGO_ENABLED", "1", {"target": "os"}),
    ("GOAMD64", "v3", {}),
    ("GOARM", "6,hardfloat", {}),
    ("GOARM", "7", {"go_version": OLD}),
    ("GOARM64", "v8.2,lse,crypto", {}),
    ("GOPPC64", "power10", {}),
    ("GOMIPS64", "softfloat", {}),
    ("GORISCV64", "rva23u64", {}),
    ("GOWASM", "satconv,signext", {}),
]


@pytest.mark.parametrize(("name", "value", "kw", "code", "sev"), BAD)
def test_reports(name: str, value: str, kw: dict[str, str], code: str, sev: str) -> None:
    assert severity(name, value, code, **kw) == sev


@pytest.mark.parametrize(("name", "value", "kw"), GOOD)
def test_clean(name: str, value: str, kw: dict[str, str]) -> None:
    found = validate(name, value, **kw)  # type: ignore[arg-type]
    if name == "GOROOT":
        assert [p.code for p in found] == ["goroot-in-file"]
    else:
        assert found == []


def test_messages_are_one_sentence() -> None:
    for name, value, kw, _code, _sev in BAD:
        for p in validate(name, value, **kw):  # type: ignore[arg-type]
            assert p.severity in {"error", "warning"}
            assert p.code == p.code.lower() and " " not in p.code
            assert p.message.endswith((".", "?")), p
            assert "\n" not in p.message


def test_errors_come_first_and_refusal() -> None:
    found = validate("GOPROXY", "https://u:p@a.example,nonsense")
    assert [p.severity for p in found] == ["error", "warning"]
    first = refusal(found)
    assert first is not None and first.code == "goproxy-missing-scheme"
    assert refusal(validate("GOPROXY", "http://a.example")) is None
    assert refusal([]) is None


def test_name_refusal_stops_value_checks() -> None:
    assert codes("GOVERSION", "\n") == {"read-only"}


def test_read_only_goroot_depends_on_version() -> None:
    assert "read-only" in codes("GOROOT", "/", go_version=NEW)
    assert "read-only" in codes("GOROOT", "/")  # None: the newest rules
    assert "read-only" not in codes("GOROOT", "/", go_version="go1.26.0")


def test_unknown_name_suggests() -> None:
    (p,) = validate("GOPRIAVTE", "x")
    assert "GOPRIVATE" in p.message
    (q,) = validate("GOFIPS140", "off", go_version=OLD)
    assert "go1.24" in q.message


def test_gosumdb_message_keeps_go_text() -> None:
    (p,) = validate("GOSUMDB", "https://sum.golang.org")
    assert "invalid GOSUMDB: malformed verifier id" in p.message
    assert "sum.golang.org https://sum.golang.org" in p.message
    bad_hash = sumdb_key("sum.example.com")
    name, h, key = bad_hash.split("+")
    wrong = f"{name}+{int(h, 16) ^ 1:08x}+{key}"
    (q,) = validate("GOSUMDB", wrong)
    assert "invalid verifier hash" in q.message


def test_goproxy_credentials_are_not_echoed() -> None:
    for p in validate("GOPROXY", "https://alice:s3cret@proxy.example,nonsense"):
        assert "s3cret" not in p.message


def test_goflags_quote_reported_once() -> None:
    assert [p.code for p in validate("GOFLAGS", "-ldflags='-s -w'")] == ["goflags-quote"]


def test_fs_dependent_rules(tmp_path: Path) -> None:
    assert validate("GOTMPDIR", str(tmp_path)) == []
    exe = tmp_path / "cacheprog"
    exe.write_text("#!/bin/sh\n")
    assert codes("GOCACHEPROG", str(exe)) == {"gocacheprog-missing"}  # not executable
    exe.chmod(0o755)
    assert validate("GOCACHEPROG", str(exe)) == []
    assert validate("GOAUTH", f"git {tmp_path}") == []


def test_bad_target_raises() -> None:
    with pytest.raises(ValueError):
        validate("GOPROXY", "off", target="file")


def test_fast() -> None:
    rows = [(n, v, kw) for n, v, kw, _c, _s in BAD] + GOOD
    start = time.perf_counter()
    for _ in range(5):
        for name, value, kw in rows:
            validate(name, value, **kw)  # type: ignore[arg-type]
    per_call = (time.perf_counter() - start) / (5 * len(rows))
    assert per_call < 0.005


@settings(max_examples=400, deadline=None)
@given(
    name=st.one_of(st.sampled_from(sorted({r[0] for r in BAD} | {"GOROOT"})), st.text()),
    value=st.text(),
    target=st.sampled_from(["goenv", "os"]),
    go_version=st.one_of(st.none(), st.sampled_from([OLD, NEW, "go1.24.2", "devel"]), st.text()),
)
def test_never_raises(name: str, value: str, target: str, go_version: str | None) -> None:
    found = validate(name, value, target=target, go_version=go_version)
    assert all(isinstance(p, Problem) for p in found)
    assert all(p.code != "internal" for p in found), found


@settings(max_examples=200, deadline=None)
@given(value=st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_never_raises_on_structured_values(value: str) -> None:
    for name in ("GOPROXY", "GOSUMDB", "GOFLAGS", "GOVCS", "GOAUTH", "GOTOOLCHAIN", "GOPRIVATE"):
        for extra in ("", ",", " ", "+", "|", "'", "[", "://"):
            found = validate(name, extra + value + extra)
            assert all(p.code != "internal" for p in found), (name, value, found)


def test_go_accepts_unavailable(tmp_path: Path) -> None:
    p = go_accepts(tmp_path / "no-go", "GOPROXY", "off")
    assert p is not None and p.severity == "warning" and p.code == "go-unavailable"
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", ["GOGC", "GOMAXPROCS", "GOMEMLIMIT", "GOTRACEBACK", "GORACE"])
def test_runtime_variables_are_fine_exported_but_not_in_the_go_env_file(name: str) -> None:
    assert validate(name, "100", target="os") == []
    assert any(p.severity == "error" for p in validate(name, "100", target="goenv"))


def test_gotoolchain_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A toolchain go cannot download (too old, custom, +path) is fine once a go of that name is
    on PATH: go runs it instead of downloading."""
    values = ("go1.20", "go1.22.0-custom", "go1.23rc1+path")
    assert all(refusal(validate("GOTOOLCHAIN", v, go_version=NEW)) for v in values)
    for value in values:
        program = tmp_path / value.partition("+")[0]
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ.get('PATH', '')}")
    assert [validate("GOTOOLCHAIN", v, go_version=NEW) for v in values] == [[], [], []]


def test_cgo_enabled_needs_a_c_compiler() -> None:
    """CGO_ENABLED=1 with no compiler fails every build; go's default (no CC) is gcc here."""
    assert validate("CGO_ENABLED", "1", cc="gcc") == []
    assert [p.code for p in validate("CGO_ENABLED", "1", cc="no-such-cc")] == ["cgo-no-compiler"]
    assert validate("CGO_ENABLED", "0", cc="no-such-cc") == []


def test_gowork_naming_a_file(tmp_path: Path) -> None:
    work = tmp_path / "go.work"
    assert [p.code for p in validate("GOWORK", str(work), target="os")] == ["gowork-missing"]
    work.write_text("go 1.21\n")
    assert validate("GOWORK", str(work), target="os") == []
