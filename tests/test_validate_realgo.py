"""validate() against the real go toolchains (1.27.3 and 1.21.13).

1. Parity: whatever `go env -w NAME=VALUE` refuses, validate(target="goenv") reports as an
   error; and the refusal-only codes never fire for a value go accepts.
2. "Wrongly accepted": go env -w exits 0, the consequence is real (shown offline), and
   validate reports it before anything is written.

Every go runs with a scratch HOME, GOENV=<tmp file>, GOTOOLCHAIN=local (except where the
test is about GOTOOLCHAIN itself) and GOPROXY=off or a file:// proxy: no network.
"""

from __future__ import annotations

import os
import subprocess
import zipfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from goenv_tui.core.validate import go_accepts, refusal, validate

# Codes that only mean "go env -w refuses this": go must refuse whenever one is reported.
REFUSAL_CODES = {
    "read-only",
    "os-only",
    "unknown-name",
    "go111module-invalid",
    "gomodcache-relative",
    "gotmpdir-relative",
    "cc-syntax",
    "cc-relative",
    "goos-goarch-unsupported",
    "goexperiment-unknown",
    "nul-newline-utf8",
}

# (name, value, extra OS env for go / kwargs for validate)
PARITY: list[tuple[str, str, dict[str, str]]] = [
    *[
        (n, "x", {})
        for n in ["GOEXE", "GOGCCFLAGS", "GOHOSTARCH", "GOHOSTOS", "GOMOD", "GOTOOLDIR"]
    ],
    *[(n, "/x", {}) for n in ["GOVERSION", "GOWORK", "GOTELEMETRY", "GOTELEMETRYDIR", "GOROOT"]],
    ("GOROOT", "/", {}),
    ("GOENV", "/tmp/x", {}),
    ("GODEBUG", "panicnil=1", {}),
    ("GOPACKAGESDRIVER", "off", {}),
    ("GOPROXYS", "off", {}),
    ("goproxy", "off", {}),
    ("GOLOONG64", "x", {}),
    ("GOAUTH", "netrc", {}),
    ("GOFIPS140", "off", {}),
    ("GOARM64", "v8.0", {}),
    ("GORISCV64", "rva20u64", {}),
    ("GOCACHEPROG", "/bin/true", {}),
    ("CGO_CFLAGS_ALLOW", "-x", {}),
    ("GO_EXTLINK_ENABLED", "1", {}),
    ("GO111MODULE", "on", {}),
    ("GO111MODULE", "off", {}),
    ("GO111MODULE", "", {}),
    ("GO111MODULE", "ON", {}),
    ("GO111MODULE", "yes", {}),
    ("GOPATH", "/go", {}),
    ("GOPATH", "", {}),
    ("GOPATH", "rel", {}),
    ("GOPATH", "~/go", {}),
    ("GOPATH", "/a:rel", {}),
    ("GOPATH", "rel:/a", {}),
    ("GOPATH", "/a:~/b", {}),
    ("GOMODCACHE", "/m", {}),
    ("GOMODCACHE", "m", {}),
    ("GOMODCACHE", "~/m", {}),
    ("GOMODCACHE", "", {}),
    ("GOTMPDIR", "t", {}),
    ("GOTMPDIR", "/nonexistent/t", {}),
    ("GOTMPDIR", "", {}),
    ("GOCACHE", "rel", {}),
    ("GOBIN", "rel", {}),
    ("CC", "gcc", {}),
    ("CC", "bin/gcc", {}),
    ("CC", "./gcc -O2", {}),
    ("CC", "/usr/bin/gcc -O2", {}),
    ("CC", "'gcc", {}),
    ("CC", "  ", {}),
    ("CXX", "'/opt/x y/g++' -O2", {}),
    ("CXX", '"g++', {}),
    ("GOOS", "windows", {}),
    ("GOOS", "plan8", {}),
    ("GOARCH", "sparc", {}),
    ("GOARCH", "sparc64", {}),
    ("GOOS", "openbsd", {"GOARCH": "mips64"}),
    ("GOOS", "openbsd", {"GOARCH": "riscv64"}),
    ("GOOS", "windows", {"GOARCH": "arm"}),
    ("GOARCH", "wasm", {"GOOS": "js"}),
    ("GOARCH", "wasm", {}),
    ("GOEXPERIMENT", "", {}),
    ("GOEXPERIMENT", "nosuch", {}),
    ("GOEXPERIMENT", "LoopVar", {}),
    ("GOEXPERIMENT", "loopvar,noregabi", {}),
    ("GOEXPERIMENT", "none", {}),
    ("GOEXPERIMENT", "coverageredesign", {}),
    ("GOEXPERIMENT", "cacheprog", {}),
    ("GOEXPERIMENT", "jsonv2", {}),
    ("GOEXPERIMENT", "nogreenteagc", {}),
    ("GOEXPERIMENT", "arenas,", {}),
    ("GOFLAGS", "-x\n-v", {}),
    ("GOFLAGS", "-x\r", {}),
    ("GOFLAGS", "-x\v", {}),
    ("GOFLAGS", "-x\t-v", {}),
    ("GOFLAGS", "\udcff", {}),
    ("GOPRIVATE", "é.example", {}),
    # wrongly accepted: go env -w exits 0 (checked below with their consequences)
    ("GOFLAGS", "-nosuchflag", {}),
    ("GOSUMDB", "https://sum.golang.org", {}),
    ("GOPROXY", "nonsense", {}),
    ("GOPROXY", "", {}),
    ("GOTOOLCHAIN", "bogus", {}),
    ("CGO_ENABLED", "yes", {}),
    ("GOAMD64", "v9", {}),
    ("GOPRIVATE", "[", {}),
]


def _version(go: Path) -> str:
    return "go1.21.13" if ".cache/go1.21.13" in str(go) else "go1.27.3"


def _base_env(tmp: Path) -> dict[str, str]:
    home = tmp / "home"
    mode = home / ".config" / "go" / "telemetry" / "mode"
    mode.parent.mkdir(parents=True, exist_ok=True)
    mode.write_text("off")  # no telemetry counters and no upload child in the sandbox
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "GOENV": str(tmp / "goenv"),
        "GOTOOLCHAIN": "local",
        "GOPROXY": "off",
        "GOFLAGS": "-modcacherw",
        "GOCACHE": str(tmp / "cache"),
        "GOPATH": str(tmp / "gopath"),
        "LANG": "C.UTF-8",
    }


def _run(go: Path, argv: list[str | bytes], env: Mapping[str, str], cwd: Path) -> tuple[int, str]:
    out = subprocess.run(
        [str(go), *argv],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    return out.returncode, out.stderr.decode("utf-8", "replace") + out.stdout.decode(
        "utf-8", "replace"
    )


def _go_env_w(go: Path, tmp: Path, name: str, value: str, extra: Mapping[str, str]) -> int:
    """`go env -w NAME=VALUE` on its own scratch GOENV; the exit status."""
    tmp.mkdir()
    env = _base_env(tmp)
    env.pop(name, None)
    env.update(extra)
    rc, _ = _run(go, ["env", "-w", os.fsencode(f"{name}={value}")], env, tmp)
    return rc


def test_parity_with_go_env_w(any_go: Path, tmp_path: Path) -> None:
    version = _version(any_go)
    with ThreadPoolExecutor(max_workers=8) as pool:
        rcs = list(
            pool.map(
                lambda i: _go_env_w(any_go, tmp_path / str(i), *PARITY[i]),
                range(len(PARITY)),
            )
        )
    mismatches = []
    for (name, value, extra), rc in zip(PARITY, rcs, strict=True):
        found = validate(
            name,
            value,
            go_version=version,
            goos=extra.get("GOOS", "linux"),
            goarch=extra.get("GOARCH", "amd64"),
        )
        refused_by_go = rc != 0
        ours = {p.code for p in found if p.severity == "error"}
        if refused_by_go and refusal(found) is None:
            mismatches.append(f"go refuses {name}={value!r} but validate has no error")
        if not refused_by_go and ours & REFUSAL_CODES:
            mismatches.append(f"go accepts {name}={value!r} but validate says {ours}")
    assert not mismatches, "\n".join(mismatches)


def test_version_dependent_refusals(go_bin: Path, old_go_bin: Path, tmp_path: Path) -> None:
    """The rows where 1.21.13 and 1.27.3 disagree, and validate follows each."""
    rows = [
        ("GOROOT", "/", {}),
        ("GOAUTH", "netrc", {}),
        ("GOFIPS140", "off", {}),
        ("GOEXPERIMENT", "coverageredesign", {}),
        ("GOEXPERIMENT", "jsonv2", {}),
        ("GOOS", "openbsd", {"GOARCH": "mips64"}),
        ("GOOS", "openbsd", {"GOARCH": "riscv64"}),
    ]
    for i, (name, value, extra) in enumerate(rows):
        new = _go_env_w(go_bin, tmp_path / f"n{i}", name, value, extra)
        old = _go_env_w(old_go_bin, tmp_path / f"o{i}", name, value, extra)
        assert (new == 0) != (old == 0), (name, value)
        for rc, version in ((new, "go1.27.3"), (old, "go1.21.13")):
            found = validate(
                name,
                value,
                go_version=version,
                goos=extra.get("GOOS", "linux"),
                goarch=extra.get("GOARCH", "amd64"),
            )
            assert (refusal(found) is not None) == (rc != 0), (name, value, version, found)


def test_go_accepts_reports_go_text(any_go: Path) -> None:
    p = go_accepts(any_go, "GOPATH", "rel")
    assert p is not None and p.severity == "error" and p.code == "go-refused"
    assert "GOPATH entry is relative" in p.message
    assert go_accepts(any_go, "GOPROXY", "nonsense") is None  # wrongly accepted
    q = go_accepts(any_go, "GOOS", "windows", goarch="arm")
    if _version(any_go) == "go1.27.3":
        assert q is not None and "unsupported GOOS/GOARCH pair windows/arm" in q.message
    else:
        assert q is None


# ---------------------------------------------------------------------------------------
# Wrongly accepted: go env -w exits 0, then the consequence is real.


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A tiny main module in tmp_path/mod."""
    mod = tmp_path / "mod"
    mod.mkdir()
    (mod / "go.mod").write_text("module example.com/m\n\ngo 1.21\n")
    (mod / "main.go").write_text("package main\n\nfunc main() {}\n")
    return tmp_path


def _written(go: Path, tmp: Path, name: str, value: str) -> dict[str, str]:
    """Write NAME=VALUE with the real go env -w (asserting exit 0); the env to use next."""
    env = _base_env(tmp)
    env.pop(name, None)
    rc, text = _run(go, ["env", "-w", f"{name}={value}"], env, tmp)
    assert rc == 0, text
    assert f"{name}={value}\n" in (tmp / "goenv").read_text()
    return env


def _errors(name: str, value: str, go: Path) -> set[str]:
    return {p.code for p in validate(name, value, go_version=_version(go)) if p.severity == "error"}


def test_gopath_relative_element_breaks_every_command(any_go: Path, work: Path) -> None:
    env = _written(any_go, work, "GOPATH", "/a:rel")

    for argv in (["env", "GOPATH"], ["version"], ["env", "-u", "GOPATH"]):
        rc, text = _run(any_go, list(argv), env, work / "mod")
        assert rc == 2 and "GOPATH entry is relative" in text, (argv, text)
    assert "gopath-relative" in _errors("GOPATH", "/a:rel", any_go)


def test_gocache_relative_breaks_go_env(any_go: Path, work: Path) -> None:
    env = _written(any_go, work, "GOCACHE", "rel")

    rc, text = _run(any_go, ["env"], env, work / "mod")
    assert rc != 0 and "GOCACHE is not an absolute path" in text
    assert "gocache-relative" in _errors("GOCACHE", "rel", any_go)


def test_gobin_relative_breaks_install(any_go: Path, work: Path) -> None:
    env = _written(any_go, work, "GOBIN", "bin")
    rc, text = _run(any_go, ["install", "."], env, work / "mod")
    assert rc != 0 and "GOBIN must be an absolute path" in text
    assert "gobin-relative" in _errors("GOBIN", "bin", any_go)


def test_gotoolchain_bogus_breaks_every_command(any_go: Path, work: Path) -> None:
    env = _written(any_go, work, "GOTOOLCHAIN", "bogus")
    # _written removed GOTOOLCHAIN from the OS env: the file value now decides
    rc, text = _run(any_go, ["version"], env, work)
    assert rc == 1 and 'invalid GOTOOLCHAIN "bogus"' in text
    rc, _ = _run(any_go, ["version"], {**env, "GOTOOLCHAIN": "local"}, work)
    assert rc == 0  # the recovery the message names
    assert "gotoolchain-invalid" in _errors("GOTOOLCHAIN", "bogus", any_go)


def test_gofips140_bogus_breaks_go(go_bin: Path, work: Path) -> None:
    env = _written(go_bin, work, "GOFIPS140", "bogus")
    rc, text = _run(go_bin, ["version"], env, work)
    assert rc == 0  # from the file, only `go version` survives ...
    for argv in (["env", "GOFIPS140"], ["list", "."], ["build", "-o", os.devnull, "."]):
        rc, text = _run(go_bin, argv, env, work / "mod")
        assert rc == 1 and 'unknown GOFIPS140 version "bogus"' in text, (argv, text)
    env.update(GOFIPS140="bogus")  # ... exported, even that fails
    rc, text = _run(go_bin, ["version"], env, work)
    assert rc == 2 and "invalid GOFIPS140: must be off, latest" in text
    assert "gofips140-invalid" in _errors("GOFIPS140", "bogus", go_bin)
    env = _written(go_bin, work, "GOFIPS140", "v1.9.9")
    rc, text = _run(go_bin, ["build", "-o", os.devnull, "."], env, work / "mod")
    assert rc != 0 and 'unknown GOFIPS140 version "v1.9.9"' in text
    assert "gofips140-unknown-version" in _errors("GOFIPS140", "v1.9.9", go_bin)


def test_gocacheprog_missing_breaks_go_env(go_bin: Path, work: Path) -> None:
    env = _written(go_bin, work, "GOCACHEPROG", "/nonexistent/cacheprog")
    rc, text = _run(go_bin, ["env"], env, work / "mod")
    assert rc != 0 and "GOCACHEPROG" in text
    found = validate("GOCACHEPROG", "/nonexistent/cacheprog", go_version="go1.27.3")
    assert [p.code for p in found] == ["gocacheprog-missing"]


@pytest.mark.parametrize(
    ("value", "go_says"),
    [
        ("-nosuchflag", "unknown flag -nosuchflag"),
        ("word", 'non-flag "word"'),
        ("-ldflags='-s -w'", "unknown flag -w'"),
        ("-printf=false", "unknown flag -printf"),
    ],
)
def test_goflags_broken_builds(any_go: Path, work: Path, value: str, go_says: str) -> None:
    env = _written(any_go, work, "GOFLAGS", value)

    rc, text = _run(any_go, ["env", "GOFLAGS"], env, work / "mod")
    assert rc == 0 and text.strip() == value  # go env hides the problem
    rc, text = _run(any_go, ["build", "-o", os.devnull, "."], env, work / "mod")
    assert rc != 0 and "parsing $GOFLAGS" in text and go_says in text, text
    assert refusal(validate("GOFLAGS", value, go_version=_version(any_go))) is not None


@pytest.mark.parametrize(
    ("value", "go_says"),
    [("-ldflags", "flag needs an argument: -ldflags"), ("-race=maybe", "invalid boolean")],
)
def test_goflags_bad_values(any_go: Path, work: Path, value: str, go_says: str) -> None:
    env = _written(any_go, work, "GOFLAGS", value)

    rc, text = _run(any_go, ["build", "-o", os.devnull, "."], env, work / "mod")
    assert rc != 0 and go_says in text, text
    assert refusal(validate("GOFLAGS", value, go_version=_version(any_go))) is not None


def test_gotmpdir_missing_breaks_builds(any_go: Path, work: Path) -> None:
    missing = str(work / "no-such-dir")
    env = _written(any_go, work, "GOTMPDIR", missing)
    rc, text = _run(any_go, ["build", "-o", os.devnull, "."], env, work / "mod")
    assert rc != 0 and "creating work dir" in text
    found = validate("GOTMPDIR", missing, go_version=_version(any_go))
    assert [p.code for p in found] == ["gotmpdir-missing"]


def test_cgo_enabled_yes_is_ignored(any_go: Path, work: Path) -> None:
    env = _written(any_go, work, "CGO_ENABLED", "yes")
    for cgo in ("0", "1"):
        rc, text = _run(any_go, ["env", "CGO_ENABLED"], {**env, "CC": "gcc", "PATH": "/bin"}, work)
        assert rc == 0 and text.strip() in {"0", "1"}  # never "yes"
        del cgo
    assert [p.code for p in validate("CGO_ENABLED", "yes")] == ["cgo-enabled-ignored"]


def test_goamd64_v9(any_go: Path, work: Path) -> None:
    version = _version(any_go)
    env = _written(any_go, work, "GOAMD64", "v9")
    found = validate("GOAMD64", "v9", go_version=version)
    if version == "go1.21.13":
        rc, text = _run(any_go, ["build", "-o", os.devnull, "."], env, work / "mod")
        assert rc != 0 and "invalid GOAMD64" in text, text
        assert refusal(found) is not None
    else:
        rc, text = _run(any_go, ["list", "-f", "{{context.ToolTags}}", "."], env, work / "mod")
        assert rc == 0 and "amd64.v1" in text and "amd64.v2" not in text  # silently v1
        assert [(p.severity, p.code) for p in found] == [("error", "goamd64-ignored")]
        # it does nothing on amd64, and only cross builds for amd64 would read it elsewhere
        on_arm = validate("GOAMD64", "v9", go_version=version, goarch="arm64")
        assert [(p.severity, p.code) for p in on_arm] == [("warning", "goamd64-ignored")]


# --- downloads, offline through a file:// proxy -----------------------------------------


@pytest.fixture
def proxy(work: Path) -> Path:
    """A file:// module proxy holding example.org/dep v1.0.0, and a module requiring it."""
    root = work / "proxy" / "example.org" / "dep" / "@v"
    root.mkdir(parents=True)
    gomod = "module example.org/dep\n\ngo 1.21\n"
    (root / "list").write_text("v1.0.0\n")
    (root / "v1.0.0.info").write_text('{"Version":"v1.0.0","Time":"2020-01-01T00:00:00Z"}\n')
    (root / "v1.0.0.mod").write_text(gomod)
    with zipfile.ZipFile(root / "v1.0.0.zip", "w") as z:
        z.writestr("example.org/dep@v1.0.0/go.mod", gomod)
        z.writestr("example.org/dep@v1.0.0/dep.go", "package dep\n")
    dl = work / "dl"
    dl.mkdir()
    (dl / "go.mod").write_text(
        "module example.com/dl\n\ngo 1.21\n\nrequire example.org/dep v1.0.0\n"
    )
    return work / "proxy"


def _download(go: Path, env: Mapping[str, str], work: Path) -> tuple[int, str]:
    return _run(go, ["mod", "download", "example.org/dep"], env, work / "dl")


@pytest.mark.parametrize(
    ("value", "go_says"),
    [
        ("https://sum.golang.org", "invalid GOSUMDB: malformed verifier id"),
        ("sum.example.com", "invalid GOSUMDB: malformed verifier id"),
        ("", "missing GOSUMDB"),
    ],
)
def test_gosumdb_breaks_downloads(
    any_go: Path, work: Path, proxy: Path, value: str, go_says: str
) -> None:
    env = _written(any_go, work, "GOSUMDB", value)
    env["GOPROXY"] = f"file://{proxy}"
    rc, text = _download(any_go, env, work)
    assert rc != 0 and go_says in text, text
    assert refusal(validate("GOSUMDB", value, go_version=_version(any_go))) is not None


@pytest.mark.parametrize(
    ("value", "go_says"),
    [
        ("nonsense", "invalid proxy URL missing scheme: nonsense"),
        ("/srv/proxy", "invalid proxy URL missing scheme: /srv/proxy"),
        ("", "GOPROXY list is not the empty string, but contains no entries"),
        (",", "GOPROXY list is not the empty string, but contains no entries"),
        ("ftp://x.example", "invalid proxy URL scheme (must be https, http, file)"),
    ],
)
def test_goproxy_breaks_downloads(
    any_go: Path, work: Path, proxy: Path, value: str, go_says: str
) -> None:
    env = _written(any_go, work, "GOPROXY", value)

    env["GOSUMDB"] = "off"
    rc, text = _download(any_go, env, work)
    assert rc != 0 and go_says in text, text
    assert refusal(validate("GOPROXY", value, go_version=_version(any_go))) is not None


def test_goproxy_entries_after_off_are_ignored(any_go: Path, work: Path, proxy: Path) -> None:
    good = f"file://{proxy}"
    env = {**_base_env(work), "GOSUMDB": "off"}
    rc, text = _download(any_go, {**env, "GOPROXY": good}, work)
    assert rc == 0, text
    env["GOPATH"] = str(work / "gopath2")
    rc, text = _download(any_go, {**env, "GOPROXY": f"off,{good}"}, work)
    assert rc != 0 and "GOPROXY=off" in text
    found = validate("GOPROXY", f"off,{good}")
    assert [p.code for p in found] == ["goproxy-after-terminal"]


@pytest.mark.parametrize(
    ("value", "matches"),
    [
        ("other.example,example.org", True),
        ("other.example,*.org", True),
        ("[,example.org", True),  # the malformed pattern is skipped silently
        ("other.example, example.org", False),  # leading space: never matches
        ("https://example.org", False),  # scheme: never matches
    ],
)
def test_gonosumdb_patterns(
    any_go: Path, work: Path, proxy: Path, value: str, matches: bool
) -> None:
    """With a broken GOSUMDB, a download works only when GONOSUMDB matches the module."""
    env = _written(any_go, work, "GONOSUMDB", value)
    env.update(GOPROXY=f"file://{proxy}", GOSUMDB="https://sum.golang.org")
    rc, text = _download(any_go, env, work)
    assert (rc == 0) == matches, text
    found = {p.code for p in validate("GONOSUMDB", value)}
    expected = {
        "other.example, example.org": {"glob-list-spaces"},
        "https://example.org": {"glob-scheme"},
        "[,example.org": {"glob-malformed"},
    }.get(value, set())
    assert found == expected


def test_goflags_flag_table_matches_go(any_go: Path, work: Path) -> None:
    """Every flag name validate knows is known to go (per version), and typos are not."""
    from goenv_tui.core.validate.tables import _GO_FLAGS

    version = _version(any_go)
    env = _base_env(work)
    names = [*sorted(_GO_FLAGS), "printf", "nosuch", "test.bogus", "vettool", "i2"]

    def go_unknown(flag: str) -> bool:
        _, text = _run(any_go, ["version"], {**env, "GOFLAGS": f"-{flag}=1"}, work)
        return "parsing $GOFLAGS: unknown flag" in text

    with ThreadPoolExecutor(max_workers=8) as pool:
        unknown = dict(zip(names, pool.map(go_unknown, names), strict=True))
    for flag in names:
        ours = "goflags-unknown-flag" in codes_of("GOFLAGS", f"-{flag}=1", version)
        assert ours == unknown[flag], (flag, version)


def codes_of(name: str, value: str, version: str) -> set[str]:
    return {p.code for p in validate(name, value, go_version=version)}
