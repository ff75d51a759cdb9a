"""trace_startup for zsh (traced), fish (static) and sh (traced with bash in POSIX mode)."""

from __future__ import annotations

from pathlib import Path

from goenv_tui.core.names import KNOWN_GO_NAMES
from goenv_tui.core.shells import trace_startup
from tests.conftest import SKEL_PROFILE, shell_path

NAMES = sorted(KNOWN_GO_NAMES)


def env(home: Path, **extra: str) -> dict[str, str]:
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "TERM": "dumb", **extra}


def test_zsh_zshenv_zdotdir(tmp_path: Path) -> None:
    home = tmp_path / "h"
    zd = home / "zd"
    zd.mkdir(parents=True)
    (home / ".zshenv").write_text(f"export ZDOTDIR={zd}\nexport GOPATH=/zenv\n")
    (zd / ".zshrc").write_text(
        'GOFLAGS="-a\n-b"\nexport GOFLAGS\n'
        "f() {\n  export GOBIN=/fb\n}\nf\nGOOS=x true\n"
        "if false; then export GOROOT=/n; fi\n"
        "export GOPROXY='50%off'\n"
    )
    (home / ".zshrc").write_text("export GOPATH=/ignored\n")
    t = trace_startup(
        "zsh", shell_path("zsh"), str(home), NAMES, env(home), mode="login+interactive"
    )
    assert t.traced and t.complete, t.error
    assert t.final_env == {
        "GOPATH": "/zenv",
        "GOFLAGS": "-a\n-b",
        "GOBIN": "/fb",
        "GOPROXY": "50%off",
    }
    zrc = str(zd / ".zshrc")
    flags = [(a.line, a.exported) for a in t.assignments if a.name == "GOFLAGS" and a.ran]
    assert flags == [(1, False), (3, True)]
    [gobin] = [a for a in t.assignments if a.name == "GOBIN"]
    assert (gobin.file, gobin.line) == (zrc, 5) and "called from" in (gobin.note or "")
    [nr] = [a for a in t.assignments if a.name == "GOROOT"]
    assert not nr.ran
    ignored = [a for a in t.assignments if a.file == str(home / ".zshrc")]
    assert ignored and not ignored[0].ran and "ZDOTDIR" in (ignored[0].note or "")
    assert not [a for a in t.assignments if a.name == "GOOS"]
    assert t.files_read[-1] == zrc or zrc in t.files_read


def test_zsh_ssh_reads_only_zshenv(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (home / ".zshenv").write_text("export GOPATH=/e\n")
    (home / ".zshrc").write_text("export GOBIN=/rc\n")
    t = trace_startup("zsh", shell_path("zsh"), str(home), NAMES, env(home), mode="noninteractive")
    assert t.final_env == {"GOPATH": "/e"}
    [rc] = [a for a in t.assignments if a.name == "GOBIN"]
    assert not rc.ran and "interactive" in (rc.note or "")


def test_fish_confd_and_universal(tmp_path: Path) -> None:
    shell_path("fish")
    home = tmp_path / "h"
    fish = home / ".config" / "fish"
    (fish / "conf.d").mkdir(parents=True)
    (fish / "conf.d" / "go.fish").write_text(
        "set -gx GOPATH $HOME/gofish\nif test -d /x\n  set -gx GOBIN /b\nend\n"
    )
    (fish / "config.fish").write_text("set --export GOFLAGS -mod=mod\n")
    (fish / "fish_variables").write_text(
        "# This file contains fish universal variable definitions.\n"
        "SETUVAR --export GOPROXY:direct\nSETUVAR --export GOPATH:/uni\n"
    )
    t = trace_startup("fish", shell_path("fish"), str(home), NAMES, env(home))
    assert not t.traced
    assert t.final_env["GOPATH"] == f"{home}/gofish"
    assert t.final_env["GOFLAGS"] == "-mod=mod" and t.final_env["GOPROXY"] == "direct"
    assert t.uncertain["GOBIN"] == "inside a if block"
    [uni] = [a for a in t.assignments if a.name == "GOPATH" and "universal" in (a.note or "")]
    assert not uni.ran and "shadowed" in (uni.note or "")
    fr = t.files_read
    assert fr.index(str(fish / "conf.d" / "go.fish")) < fr.index(str(fish / "config.fish"))


def test_sh_dash_login(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    prof = SKEL_PROFILE.read_text() + "export GOPATH=/shp\n"
    (home / ".profile").write_text(prof)
    (home / ".bashrc").write_text("export GOBIN=/bash-only\n")
    t = trace_startup(
        "sh", shell_path("dash"), str(home), NAMES, env(home), mode="login+interactive"
    )
    assert t.traced and t.complete, t.error
    assert t.final_env.get("GOPATH") == "/shp"
    assert "GOBIN" not in t.final_env  # ~/.profile sources ~/.bashrc only under bash
    assert "/etc/bash.bashrc" not in t.files_read
    assert t.version and "POSIX" in t.version
