"""The `direnv` layer, with the real direnv: a session value its hook loaded from an .envrc
names that .envrc and line, and is not called stale or "typed in this session"."""

from __future__ import annotations

import json
import shutil
import subprocess

from .conftest import Sandbox, require


def _direnv_session(sandbox: Sandbox) -> dict[str, str]:
    """What direnv's hook exports in ~/proj (after `direnv allow`), run for real."""
    direnv = shutil.which("direnv")
    require(direnv is not None, "direnv")
    assert direnv is not None
    proj = sandbox.home / "proj"
    proj.mkdir()
    (proj / ".envrc").write_text("# project settings\nexport GOFLAGS=-trimpath\n")
    env = dict(sandbox.env, XDG_CONFIG_HOME=str(sandbox.home / ".config"))
    env["XDG_DATA_HOME"] = str(sandbox.home / ".local" / "share")
    subprocess.run([direnv, "allow", str(proj)], env=env, cwd=proj, check=True)
    done = subprocess.run(
        [direnv, "export", "json"], env=env, cwd=proj, capture_output=True, text=True, check=True
    )
    exported: dict[str, str] = json.loads(done.stdout)
    return exported


def test_a_value_direnv_loaded_names_its_envrc(sandbox: Sandbox) -> None:
    sandbox.write(".profile", "export GOFLAGS=-mod=mod\n")
    sandbox.env |= _direnv_session(sandbox)
    done = sandbox.goenv_tui("show", "--json", "GOFLAGS")
    assert done.returncode == 0, done.stderr
    var = json.loads(done.stdout)["variables"]["GOFLAGS"]
    src = var["source"]
    assert (src["layer"], src["value"], src["line"]) == ("direnv", "-trimpath", 2)
    assert src["file"] == str(sandbox.home / "proj" / ".envrc")
    assert "stale" not in var["flags"]


def test_a_forged_direnv_diff_is_ignored(sandbox: Sandbox) -> None:
    """DIRENV_DIFF is untrusted: garbage is no direnv value and no crash."""
    sandbox.env |= {"DIRENV_DIFF": "!!not-base64", "DIRENV_FILE": "/x/.envrc", "GOFLAGS": "-v"}
    done = sandbox.goenv_tui("show", "--json", "GOFLAGS")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["variables"]["GOFLAGS"]["source"]["layer"] == "shell"


def test_set_on_a_direnv_value_says_what_it_does_in_that_folder(sandbox: Sandbox) -> None:
    """In the folder, direnv's .envrc still wins over the go env file; editing the .envrc
    itself makes direnv refuse it until `direnv allow`: the preview says both."""
    sandbox.env |= _direnv_session(sandbox)
    proj = sandbox.home / "proj"
    elsewhere = sandbox.goenv_tui("set", "GOFLAGS=-mod=mod", "--dry-run", cwd=proj)
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert "direnv loads ~/proj/.envrc, whose value still wins there" in elsewhere.stdout
    there = sandbox.goenv_tui(
        "set", "GOFLAGS=-mod=mod", "--to", f"{proj}/.envrc:2", "--dry-run", cwd=proj
    )
    assert there.returncode == 0, there.stderr
    assert "until you run `direnv allow ~/proj`" in there.stdout
    assert "not read by your shell" not in there.stdout
    assert "ok GOFLAGS: direnv loads it in ~/proj once you run `direnv allow ~/proj`" in (
        there.stdout
    )  # its verdict: not "no effect" because a fresh shell's startup files never read it
