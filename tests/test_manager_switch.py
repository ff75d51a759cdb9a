"""A version switch the user made in this session (`gvm use`) is described as such, not as
stale: "open a new terminal" would undo what they chose."""

from __future__ import annotations

import json

import pytest

from .conftest import Sandbox


def _gvm_home(sandbox: Sandbox) -> None:
    """gvm's layout: its init script sources environments/default, which exports the
    chosen go's GOROOT/GOPATH and gvm_go_name (as `gvm use --default` writes it)."""
    root = sandbox.home / ".gvm"
    sandbox.write(".gvm/scripts/gvm", '. "$GVM_ROOT/environments/default"\n')
    sandbox.write(
        ".gvm/environments/default",
        f'export GVM_ROOT; GVM_ROOT="{root}"\n'
        'export gvm_go_name; gvm_go_name="go1.22.0"\n'
        f'export GOROOT; GOROOT="{root}/gos/go1.22.0"\n'
        f'export GOPATH; GOPATH="{root}/pkgsets/go1.22.0/global"\n',
    )
    sandbox.write(
        ".profile",
        f'export GVM_ROOT="{root}"\n'
        '[[ -s "$GVM_ROOT/scripts/gvm" ]] && source "$GVM_ROOT/scripts/gvm"\n',
    )


def test_gvm_use_in_this_session_is_not_stale(sandbox: Sandbox) -> None:
    _gvm_home(sandbox)
    root = sandbox.home / ".gvm"
    sandbox.env |= {  # after `gvm use go1.21.13` in this terminal
        "GVM_ROOT": str(root),
        "gvm_go_name": "go1.21.13",
        "GOPATH": f"{root}/pkgsets/go1.21.13/global",
    }
    done = sandbox.goenv_tui("show", "--json", "GOPATH")
    assert done.returncode == 0, done.stderr
    var = json.loads(done.stdout)["variables"]["GOPATH"]
    assert "stale" not in var["flags"]
    shell = [e for e in var["chain"] if e["layer"] == "shell"]
    assert shell and "switched to go1.21.13 with gvm" in shell[0]["note"]
    assert "gvm use go1.21.13 --default" in shell[0]["note"]
    ids = [f["id"] for f in sandbox.doctor_findings()]
    assert "stale-session-gopath" not in ids


def test_without_the_switch_marker_it_is_stale(sandbox: Sandbox) -> None:
    _gvm_home(sandbox)
    sandbox.env["GOPATH"] = "/srv/old"
    done = sandbox.goenv_tui("show", "--json", "GOPATH")
    assert "stale" in json.loads(done.stdout)["variables"]["GOPATH"]["flags"]


@pytest.mark.parametrize(
    ("goroot", "said"),
    [
        (
            "/home/u/.goenv/versions/1.22.1",
            "installed by goenv (1.22.1); switch with `goenv global",
        ),
        ("/home/u/sdk/go1.21.13", "installed by golang.org/dl (go1.21.13)"),
        ("/home/u/.go", "installed by g; switch with `g set VERSION`"),
        ("/opt/homebrew/Cellar/go/1.22.1/libexec", "installed by Homebrew (1.22.1)"),
        ("/usr/lib/go-1.21", "installed by Debian's golang-1.21 package"),
        ("/home/u/.local/share/mise/installs/go/1.22.0", "installed by mise (1.22.0)"),
    ],
)
def test_the_default_goroot_names_who_installed_it(goroot: str, said: str) -> None:
    from goenv_tui.core.managers import toolchain_origin

    assert (toolchain_origin(goroot) or "").startswith(said)
    assert toolchain_origin("/srv/custom/go") is None
