"""The prediction only reads: a startup file that writes is kept out, and the preview says so."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from goenv_tui.core.plan.world import predict
from goenv_tui.core.resolve import Options

from .conftest import NOBODY, Sandbox, require

PROFILE = ". ~/.bashrc\nexport GOFLAGS=-mod=mod\n"


@pytest.fixture
def outside() -> Iterator[Path]:
    """A path outside HOME and /tmp (the prediction makes it read-only)."""
    require(os.geteuid() == 0, "root, for a folder outside /tmp and HOME")
    path = Path("/var/tmp") / f"goenv-tui-test-{secrets.token_hex(4)}"
    yield path
    path.unlink(missing_ok=True)


def _writer(sandbox: Sandbox, outside: Path) -> Path:
    """A ~/.bashrc that appends to ~/.profile and writes into /tmp and outside HOME."""
    dropped = sandbox.root / "dropped-in-tmp"
    sandbox.write(".profile", PROFILE)
    sandbox.write(
        ".bashrc",
        "export GOPATH=/srv/go\n"
        "echo '# appended' >> ~/.profile\n"
        f"echo x > {outside} 2>/dev/null\n"
        f"echo y > {dropped}\n",
    )
    return dropped


@pytest.mark.parametrize("who", ["root", "root-for-user"])
def test_the_prediction_writes_nothing_and_names_the_writes(
    sandbox: Sandbox, outside: Path, who: str, nobody_kit: dict[str, str]
) -> None:
    if who == "root-for-user":  # a HOME the user can reach, a go the user may run
        top = Path(tempfile.mkdtemp(prefix="goenv-tui-ro-", dir="/tmp"))
        top.chmod(0o755)
        sandbox = Sandbox(top, Path(nobody_kit["go"]))
    dropped = _writer(sandbox, outside)
    env = dict(sandbox.env)
    if who == "root-for-user":
        for folder, dirs, files in os.walk(sandbox.root):
            for name in (folder, *(os.path.join(folder, n) for n in dirs + files)):
                os.chown(name, NOBODY, NOBODY, follow_symlinks=False)
        env |= {"SUDO_UID": str(NOBODY), "SUDO_GID": str(NOBODY), "SUDO_USER": "nobody"}
    opts = Options(env=env, cwd=str(sandbox.home), cache_dir=str(sandbox.root / "cache"))
    new_env_file = str(sandbox.go_env_file)
    prediction = predict({new_env_file: b"GOPRIVATE=*.corp.example\n"}, opts, ["GOPRIVATE"])
    assert prediction.error is None, prediction.error
    assert prediction.go_error is None, prediction.go_error
    assert prediction.variables["GOPRIVATE"].value == "*.corp.example"
    assert (sandbox.home / ".profile").read_text() == PROFILE
    assert not dropped.exists()
    assert not outside.exists()
    assert not sandbox.go_env_file.exists()
    assert str(sandbox.home / ".profile") in prediction.writes
    assert str(dropped) in prediction.writes
    if who == "root-for-user":
        shutil.rmtree(sandbox.root, ignore_errors=True)


def test_the_preview_names_a_startup_file_that_writes(sandbox: Sandbox, outside: Path) -> None:
    _writer(sandbox, outside)
    done = sandbox.goenv_tui("set", "GOPRIVATE=*.corp.example", "--to", "goenv", "--dry-run")
    assert done.returncode == 0, done.stdout + done.stderr
    text = " ".join(done.stdout.split())
    assert "could not be predicted" not in text
    assert "tried to write ~/.profile during the prediction" in text


def test_an_unprivileged_prediction_writes_nothing(
    outside: Path, nobody_kit: dict[str, str]
) -> None:
    """As an ordinary user (setpriv to 65534, a user namespace for the overlay): the
    prediction leaves ~/.profile, /tmp and /var/tmp untouched and names the writes."""
    top = Path(tempfile.mkdtemp(prefix="goenv-tui-ro-", dir="/tmp"))
    top.chmod(0o755)
    try:
        sandbox = Sandbox(top, Path(nobody_kit["go"]))
        dropped = _writer(sandbox, outside)
        for folder, dirs, files in os.walk(top):
            for name in (folder, *(os.path.join(folder, n) for n in dirs + files)):
                os.chown(name, NOBODY, NOBODY, follow_symlinks=False)
        env = dict(sandbox.env, PYTHONPATH=nobody_kit["pythonpath"])
        script = (
            "import json, os, sys\n"
            "from goenv_tui.core.plan.world import predict\n"
            "from goenv_tui.core.resolve import Options\n"
            "env = dict(os.environ)\n"
            "opts = Options(env=env, cwd=env['HOME'], cache_dir=sys.argv[2])\n"
            "p = predict({sys.argv[1]: b'GOPRIVATE=*.corp.example\\n'}, opts, ['GOPRIVATE'])\n"
            "print(json.dumps([p.error, p.variables['GOPRIVATE'].value, sorted(p.writes)]))\n"
        )
        argv = [
            "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
            nobody_kit["python"], "-c", script, str(sandbox.go_env_file), str(top / "cache"),
        ]  # fmt: skip
        done = sandbox.run(argv, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        error, value, writes = json.loads(done.stdout)
        assert error is None and value == "*.corp.example"
        assert (sandbox.home / ".profile").read_text() == PROFILE
        assert not dropped.exists() and not outside.exists()
        assert not sandbox.go_env_file.exists()
        assert str(sandbox.home / ".profile") in writes and str(dropped) in writes
    finally:
        shutil.rmtree(top, ignore_errors=True)
