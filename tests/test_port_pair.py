"""GOOS/GOARCH pairs are checked on the result of a plan, as `go env -u` checks them
(envcmd.checkBuildConfig): the OS environment's value, else the new file's, else go's default."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from tests.conftest import Sandbox


@pytest.fixture
def wasm(sandbox: Sandbox) -> Iterator[Sandbox]:
    """A go env file that cross-compiles for js/wasm."""
    sandbox.write(".config/go/env", "GOOS=js\nGOARCH=wasm\n")
    yield sandbox


def test_unset_half_of_a_pair_is_refused_like_go_does(wasm: Sandbox) -> None:
    before = wasm.go_env_file.read_bytes()
    real = subprocess.run(
        ["go", "env", "-u", "GOARCH"], env=wasm.env, capture_output=True, text=True, check=False
    )
    assert real.returncode != 0 and "unsupported GOOS/GOARCH pair js/amd64" in real.stderr
    out = wasm.goenv_tui("unset", "GOARCH", "--yes")
    assert out.returncode == 2, out.stdout + out.stderr
    assert "GOOS=js and GOARCH=amd64" in out.stderr and "js/amd64" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert wasm.go_env_file.read_bytes() == before


def test_an_exported_goos_decides_the_pair_after_unset(wasm: Sandbox) -> None:
    """go's own case: GOOS=windows exported, GOARCH=mips in the file, `go env -u GOOS`."""
    wasm.write(".config/go/env", "GOOS=linux\nGOARCH=mips\n")
    env = dict(wasm.env, GOOS="windows")
    out = wasm.goenv_tui("unset", "GOOS", "--from", "goenv", "--yes", env=env)
    assert out.returncode == 2 and "windows/mips" in out.stderr, out.stdout + out.stderr
    assert wasm.go_env_file.read_text() == "GOOS=linux\nGOARCH=mips\n"


def test_both_halves_staged_one_by_one_then_applied(wasm: Sandbox) -> None:
    first = wasm.goenv_tui("stage", "set", "GOOS=linux", "--to", "goenv")
    assert first.returncode == 0, first.stderr
    assert "Not ready to apply" in first.stdout and "linux/wasm" in first.stdout
    assert wasm.goenv_tui("apply", "--yes").returncode == 2  # half a pair is never applied
    assert wasm.go_env_file.read_text() == "GOOS=js\nGOARCH=wasm\n"
    second = wasm.goenv_tui("stage", "set", "GOARCH=amd64", "--to", "goenv")
    assert second.returncode == 0 and "Not ready" not in second.stdout, second.stdout
    done = wasm.goenv_tui("apply", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    got = wasm.run(["go", "env", "GOOS", "GOARCH"]).stdout.split()
    assert got == ["linux", "amd64"]
