"""The go probe against the real go binaries: effective values, defaults, broken setups."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from goenv_tui.core.goprobe import (
    find_go_binaries,
    probe_go,
    user_config_env_file,
)

from .conftest import go_env_json

VOLATILE = {"GOGCCFLAGS"}  # holds a random /tmp/go-build... path


def base_env(tmp_path: Path, go: Path | None) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    if go is not None and not (bindir / "go").exists():
        (bindir / "go").symlink_to(go)
    return {
        "HOME": str(home),
        "PATH": f"{bindir}:/usr/bin:/bin",
        "USER": "u",
        "LANG": "C.UTF-8",
        "GOTOOLCHAIN": "local",
        "GOTELEMETRY": "off",
    }


def strip(d: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in d.items() if k not in VOLATILE}


def test_find_go_binaries(go_bin: Path, old_go_bin: Path, tmp_path: Path) -> None:
    a, b, c = (tmp_path / n for n in "abc")
    for d in (a, b, c):
        d.mkdir()
    (a / "go").symlink_to(old_go_bin)
    (b / "go").symlink_to(go_bin)
    (c / "go").symlink_to(a / "go")  # duplicate by realpath
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "go").write_text("not executable")
    path = os.pathsep.join(str(p) for p in (tmp_path / "d", a, b, c))
    found = find_go_binaries(path)
    assert [f.path for f in found] == [str(a / "go"), str(b / "go")]
    assert [f.version for f in found] == ["go1.21.13", "go1.27.3"]
    assert found[0].realpath == str(old_go_bin.resolve())
    first = find_go_binaries(path, override=str(b / "go"))
    assert [f.path for f in first] == [str(b / "go"), str(a / "go")]


def test_effective_and_defaults(any_go: Path, tmp_path: Path) -> None:
    env = base_env(tmp_path, any_go)
    cfg = Path(env["HOME"]) / ".config" / "go"
    cfg.mkdir(parents=True)
    (cfg / "env").write_text("GOPATH=/from/file\nGOPRIVATE=corp.example.com\n")
    env["GOPATH"] = "/from/env"
    info = probe_go(env, str(tmp_path))
    assert info.error is None
    assert strip(info.effective) == strip(go_env_json(any_go, env, tmp_path))
    assert info.effective["GOPATH"] == "/from/env"
    want = "go1.27.3" if "1.21" not in str(any_go) else "go1.21.13"
    assert info.version == info.local_version == want
    goroot = str(any_go.resolve().parent.parent)
    assert info.goroot == goroot
    assert info.goroot_env_file == os.path.join(goroot, "go.env")
    assert info.env_file == str(cfg / "env")
    d = info.defaults
    assert d["GOPATH"] == os.path.join(env["HOME"], "go")
    assert d["GOPRIVATE"] == "" and d["GONOPROXY"] == ""
    assert d["GOPROXY"] == "" and d["GOSUMDB"] == ""  # go.env is not a default
    assert d["GOTOOLCHAIN"] == ""
    assert d["GOROOT"] == goroot
    assert d["GOTOOLDIR"].startswith(goroot + "/pkg/tool/")
    assert "GOENV" not in d
    assert not any("goenv-tui-goroot" in v for v in d.values())
    assert set(d) == set(info.effective) - {"GOENV"}
    assert info.on_path[0].version == want


def test_gotoolchain_default_is_empty(any_go: Path, tmp_path: Path) -> None:
    """Without GOTOOLCHAIN=local the scrubbed run says "" — the constant we substitute."""
    env = base_env(tmp_path, any_go)
    del env["GOTOOLCHAIN"]
    info = probe_go(env, str(tmp_path))
    from goenv_tui.core.goprobe import make_scratch_goroot

    scratch = make_scratch_goroot(info.goroot or "")
    try:
        out = subprocess.run(
            [str(any_go), "env", "GOTOOLCHAIN"],
            capture_output=True,
            text=True,
            check=True,
            env={
                "HOME": env["HOME"],
                "PATH": "/usr/bin:/bin",
                "GOENV": os.devnull,
                "GOROOT": scratch,
            },
        )
    finally:
        import shutil

        shutil.rmtree(scratch)
    assert out.stdout.strip() == ""


def test_wrapper_script(go_bin: Path, tmp_path: Path) -> None:
    """A wrapper that exports GOROOT (like go-bin's) still yields pure defaults."""
    env = base_env(tmp_path, None)
    wrapper = tmp_path / "bin" / "go"
    goroot = go_bin.resolve().parent.parent
    wrapper.write_text(f'#!/bin/sh\nGOROOT={goroot} exec {go_bin} "$@"\n')
    wrapper.chmod(0o755)
    info = probe_go(env, str(tmp_path))
    assert info.error is None
    assert info.defaults["GOPROXY"] == "" and info.defaults["GOROOT"] == str(goroot)
    assert info.local_version == "go1.27.3"
    assert info.on_path[0].version == "go1.27.3"


def _write_user_file(env: dict[str, str], text: str) -> Path:
    cfg = Path(env["HOME"]) / ".config" / "go"
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "env").write_text(text)
    return cfg / "env"


def test_broken_gotoolchain(any_go: Path, tmp_path: Path) -> None:
    env = base_env(tmp_path, any_go)
    del env["GOTOOLCHAIN"]
    f = _write_user_file(env, "GOTOOLCHAIN=bogus\n")
    info = probe_go(env, str(tmp_path))
    assert info.error is not None
    assert info.error.startswith('go env failed (exit 1): go: invalid GOTOOLCHAIN "bogus"')
    assert "GOTOOLCHAIN=local" in info.error
    assert info.effective["GOTOOLCHAIN"] == "bogus"  # what go reads
    assert info.effective["GOVERSION"].startswith("go1.")
    assert info.env_file == str(f)
    assert info.defaults["GOPATH"].endswith("/go")


def test_relative_gocache(any_go: Path, tmp_path: Path) -> None:
    env = base_env(tmp_path, any_go)
    f = _write_user_file(env, "GOCACHE=rel\nGOPRIVATE=x.example\n")
    info = probe_go(env, str(tmp_path))
    assert info.error is not None and "GOCACHE is not an absolute path" in info.error
    assert "named queries" in info.error
    assert info.effective["GOPRIVATE"] == "x.example"
    assert info.effective["GOCACHE"] == "rel"
    assert info.env_file == str(f)
    assert "GOAUTH" not in info.effective or "1.21" not in str(any_go)


def test_goroot_nowhere(old_go_bin: Path, tmp_path: Path) -> None:
    env = base_env(tmp_path, old_go_bin)
    subprocess.run(
        [str(old_go_bin), "env", "-w", "GOROOT=/nowhere"],
        env=env,
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    info = probe_go(env, str(tmp_path))
    assert info.error is not None
    assert "cannot find GOROOT directory: /nowhere" in info.error
    assert info.env_file == str(Path(env["HOME"]) / ".config" / "go" / "env")
    assert info.goroot_env_file == "/nowhere/go.env"
    assert info.local_version == "go1.21.13"
    assert info.defaults["GOROOT"] == str(old_go_bin.resolve().parent.parent)


def test_go_missing(tmp_path: Path) -> None:
    env = base_env(tmp_path, None)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    info = probe_go(env, str(tmp_path))
    assert info.error == "No go command found on PATH."
    assert info.env_file == str(tmp_path / "xdg" / "go" / "env")
    assert info.path is None and info.on_path == []
    info2 = probe_go(env, str(tmp_path), go_path=str(tmp_path / "nope"))
    assert info2.error is not None and "not an executable file" in info2.error


def test_hanging_go_times_out(tmp_path: Path) -> None:
    env = base_env(tmp_path, None)
    fake = tmp_path / "bin" / "go"
    fake.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n")
    fake.chmod(0o755)
    start = time.monotonic()
    info = probe_go(env, str(tmp_path), timeout=1.0)
    assert time.monotonic() - start < 8
    assert info.error is not None
    assert info.error.startswith("go env did not answer within 1s and was stopped")


def test_toolchain_download_hang(go_bin: Path, tmp_path: Path) -> None:
    """GOTOOLCHAIN asking for a download from a proxy that never answers: timeout, retry."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    conns: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                conns.append(srv.accept()[0])

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        env = base_env(tmp_path, go_bin)
        env.update(
            GOTOOLCHAIN="go1.99.0",
            GOSUMDB="off",
            GOPROXY=f"http://127.0.0.1:{srv.getsockname()[1]}",
        )
        info = probe_go(env, str(tmp_path), timeout=2.0)
    finally:
        stop.set()
        t.join()
        for c in conns:
            c.close()
        srv.close()
    assert info.error is not None and "did not answer within 2s" in info.error
    assert "GOTOOLCHAIN=local" in info.error
    assert info.effective["GOVERSION"] == "go1.27.3"


def test_user_config_env_file_rules() -> None:
    assert user_config_env_file({"GOENV": "off", "HOME": "/h"}) == ""
    assert user_config_env_file({"GOENV": "/x", "HOME": "/h"}) == "/x"
    assert user_config_env_file({"HOME": "/h"}) == "/h/.config/go/env"
    assert user_config_env_file({"HOME": "/h", "XDG_CONFIG_HOME": "/c"}) == "/c/go/env"
    assert user_config_env_file({"HOME": "/h", "XDG_CONFIG_HOME": "rel"}, "go1.27.3") == ""
    assert user_config_env_file({"HOME": "/h", "XDG_CONFIG_HOME": "rel"}, "go1.21.13") == (
        "rel/go/env"
    )
    assert user_config_env_file({}) == ""


@pytest.mark.parametrize("xdg", ["rel", ""])
def test_user_config_matches_go(any_go: Path, tmp_path: Path, xdg: str) -> None:
    env = base_env(tmp_path, any_go)
    if xdg:
        env["XDG_CONFIG_HOME"] = xdg
    got = go_env_json(any_go, env, tmp_path)["GOENV"]
    ver = "go1.21.13" if "1.21" in str(any_go) else "go1.27.3"
    assert user_config_env_file(env, ver) == got


def test_cache(go_bin: Path, tmp_path: Path) -> None:
    env = base_env(tmp_path, go_bin)
    cache = tmp_path / "cache"
    first = probe_go(env, str(tmp_path), cache_dir=str(cache))
    assert list(cache.iterdir())
    second = probe_go(env, str(tmp_path), cache_dir=str(cache))
    assert second.defaults == first.defaults


def test_a_run_started_ahead_is_taken_only_for_the_same_run(go_bin: Path, tmp_path: Path) -> None:
    """The console script starts `go env -json` before its imports; the probe takes that
    process over only when it would run exactly the same command, and an unclaimed one is
    ended, never handed to a later probe."""
    from goenv_tui.core import goprobe

    env = base_env(tmp_path, go_bin)
    goprobe.start_effective_run(env, str(tmp_path))
    (started,) = goprobe._STARTED.values()
    info = probe_go(env, str(tmp_path))
    assert not goprobe._STARTED  # taken over
    assert started.proc is not None and started.proc.returncode == 0
    assert strip(info.effective) == strip(go_env_json(go_bin, env, tmp_path))

    goprobe.start_effective_run(env, str(tmp_path))
    other = {**env, "GOPATH": "/not/the/started/one"}
    info = probe_go(other, str(tmp_path))
    assert info.effective["GOPATH"] == "/not/the/started/one"
    (left,) = goprobe._STARTED.values()  # another environment: not taken
    goprobe.drop_started_runs()
    assert not goprobe._STARTED
    assert left.proc is not None and left.proc.returncode is not None  # ended and reaped
