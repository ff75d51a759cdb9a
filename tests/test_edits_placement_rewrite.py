"""Where blocks go (placement) and FILE:LINE rewrites on real-world forms."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from goenv_tui.core.edits.errors import EditError
from goenv_tui.core.edits.placement import startup_target
from goenv_tui.core.edits.rewrite import rewrite_line
from goenv_tui.core.edits.syntax import require_valid
from tests.conftest import shell_path


def test_bash_target_and_notes(tmp_path: Path) -> None:
    t = startup_target("bash", str(tmp_path), {})
    assert (t.path, t.position, t.shell_syntax) == (str(tmp_path / ".bashrc"), "top", "bash")
    assert t.note is not None and "will be created" in t.note and "No ~/.bash_profile" in t.note
    (tmp_path / ".bashrc").write_text("echo\n")
    (tmp_path / ".profile").write_text('if [ -f "$HOME/.bashrc" ]; then\n  . "$HOME/.bashrc"\nfi\n')
    assert startup_target("bash", str(tmp_path), {}).note is None
    (tmp_path / ".bash_profile").write_text("export A=1\n")
    note = startup_target("bash", str(tmp_path), {}).note
    assert note is not None and "~/.bash_profile, which does not source ~/.bashrc" in note


def test_other_targets(tmp_path: Path) -> None:
    home = str(tmp_path)
    assert startup_target("zsh", home, {}).path == f"{home}/.zshenv"
    assert startup_target("zsh", home, {"ZDOTDIR": "/z"}).path == "/z/.zshenv"
    fish = startup_target("fish", home, {})
    assert fish.path == f"{home}/.config/fish/conf.d/goenv-tui.fish" and fish.shell_syntax == "fish"
    assert startup_target("fish", home, {"XDG_CONFIG_HOME": "/c"}).path.startswith("/c/fish/")
    assert startup_target("sh", home, {}).path == f"{home}/.profile"
    system = startup_target("zsh", home, {}, scope="system")
    assert system.path == "/etc/profile.d/goenv-tui.sh" and system.shell_syntax == "sh"
    assert system.note is not None and "LOGIN" in system.note and "zsh" in system.note


REAL = b"""# ~/.bashrc
case $- in
    *i*) ;;
      *) return;;
esac
export PATH="$HOME/bin:$PATH" GOPATH="$HOME/go" EDITOR=vim
export GOFLAGS="-mod=mod
 -trimpath"
declare -x GOBIN=/opt/bin
if [ -n "$X" ]; then
    export GOROOT=/usr/local/go
fi
[ -n "$X" ] && export GOPROXY=direct
GOPRIVATE=*.corp.example.com; export GOPRIVATE
"""


def _value(data: bytes, name: str, tmp_path: Path) -> str:
    path = tmp_path / "rc"
    path.write_bytes(data)
    script = f'. {path} >/dev/null 2>&1; printf %s "${{{name}-UNSET}}"'
    run = subprocess.run(
        [shell_path("bash"), "-ic", script],  # -i: REAL returns early otherwise
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "X": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


@pytest.mark.parametrize(
    ("line", "name"),
    [
        (6, "GOPATH"),
        (7, "GOFLAGS"),
        (8, "GOFLAGS"),
        (9, "GOBIN"),
        (11, "GOROOT"),
        (13, "GOPROXY"),
        (14, "GOPRIVATE"),
    ],
)
def test_rewrite_and_disable_real_forms(tmp_path: Path, line: int, name: str) -> None:
    new = rewrite_line(REAL, "bash", line, name, "/new value's")
    assert _value(new, name, tmp_path) == "/new value's"
    off = rewrite_line(REAL, "bash", line, name, None)
    assert _value(off, name, tmp_path) == "UNSET"
    # lines outside the statement are untouched
    first = REAL.decode().splitlines()
    for text in (new.decode(), off.decode()):
        assert text.splitlines()[:5] == first[:5]
    if name == "GOPATH":  # a multi-name export keeps the other names
        assert off.splitlines()[5] == b'export PATH="$HOME/bin:$PATH" EDITOR=vim'
        assert _value(off, "EDITOR", tmp_path) == "vim"
    if name == "GOFLAGS":
        assert off.splitlines()[6:8] == [
            b'# goenv-tui: export GOFLAGS="-mod=mod',
            b'# goenv-tui:  -trimpath"',
        ]
    if name == "GOROOT":  # a comment alone would leave `then fi`: a no-op keeps it valid
        assert off.splitlines()[10] == b"    : # goenv-tui: export GOROOT=/usr/local/go"


def test_rewrite_home_value(tmp_path: Path) -> None:
    new = rewrite_line(REAL, "bash", 9, "GOBIN", "$HOME/bin")
    assert b'declare -x GOBIN="$HOME"/bin' in new
    assert _value(new, "GOBIN", tmp_path) == f"{tmp_path}/bin"


@pytest.mark.parametrize(
    ("data", "line", "name", "fragment"),
    [
        (REAL, 2, "GOPATH", "holds no assignment to GOPATH"),
        (b"f() {\n  export GOPATH=/x\n}\n", 2, "GOPATH", "inside the function f"),
        (b"cat <<EOF\nexport GOPATH=/x\nEOF\n", 2, "GOPATH", "inside a here-document"),
        (b"(export GOPATH=/x)\n", 1, "GOPATH", "subshell"),
        (b"GOPATH=/x go build\n", 1, "GOPATH", "only for the one command"),
        (b"export GOPATH=/a; export GOPATH=/b\n", 1, "GOPATH", "more than once"),
        (b"export GOPATH\n", 1, "GOPATH", "holds no assignment"),
        (b"export GOPATH=/x\n", 5, "GOPATH", "not in the file"),
    ],
)
def test_rewrite_refusals(data: bytes, line: int, name: str, fragment: str) -> None:
    with pytest.raises(EditError) as err:
        rewrite_line(data, "bash", line, name, "/v")
    assert fragment in str(err.value) and str(err.value).endswith(".")


def test_rewrite_zsh_and_sh(tmp_path: Path) -> None:
    shell_path("zsh")
    shell_path("dash")
    data = b"typeset -x GOPATH=/old\nexport GOBIN=/b\n"
    assert (
        rewrite_line(data, "zsh", 1, "GOPATH", "/a b")
        == b"typeset -x GOPATH='/a b'\nexport GOBIN=/b\n"
    )
    assert (
        rewrite_line(data, "sh", 2, "GOBIN", None)
        == b"typeset -x GOPATH=/old\n# goenv-tui: export GOBIN=/b\n"
    )


def test_rewrite_fish(tmp_path: Path) -> None:
    fish = shell_path("fish")
    data = (
        b"set -gx GOPATH $HOME/go\n"
        b"if status is-interactive\n    set --global --export GOFLAGS '-v' \"-x\"\nend\n"
        b"test -d /; and set -gx GOBIN /x\n"
        b"function f\n    set -gx GOZ 1\nend\n"
    )
    flags = rewrite_line(data, "fish", 3, "GOFLAGS", "it's $x")
    assert b"set --global --export GOFLAGS 'it\\'s $x'\n" in flags
    new = rewrite_line(data, "fish", 1, "GOPATH", "it's $x")
    off = rewrite_line(data, "fish", 5, "GOBIN", None)
    assert b"test -d /; and true # goenv-tui: set -gx GOBIN /x\n" in off
    path = tmp_path / "c.fish"
    path.write_bytes(new)
    run = subprocess.run(
        [fish, "-c", f"source {path}; printf %s $GOPATH"],
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout == "it's $x"
    with pytest.raises(EditError, match="inside a function"):
        rewrite_line(data, "fish", 7, "GOZ", None)
    with pytest.raises(EditError, match="no fish `set` of GOPATH"):
        rewrite_line(data, "fish", 2, "GOPATH", None)


def test_rewrite_syntax_policy() -> None:
    # an error the edit did not cause (same message before and after) does not block it
    out = rewrite_line(b"export GOPATH=/x\nif true; then\n", "bash", 1, "GOPATH", "/y")
    assert out == b"export GOPATH=/y\nif true; then\n"
    # an error the edit causes is refused, in one sentence
    with pytest.raises(EditError, match=r"^The change would break the file: bash -n reports"):
        require_valid("bash", b"if true; then\n", b"true\n", "the file")
    assert shutil.which("bash")
