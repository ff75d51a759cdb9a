"""Managed blocks: byte-for-byte round trips, reach in real shells, quoting, syntax refusal."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goenv_tui.core.edits.blocks import block_info, block_set, block_unset
from goenv_tui.core.edits.errors import EditError
from goenv_tui.core.edits.syntax import syntax_error
from tests.conftest import SKEL_BASHRC, SKEL_PROFILE, shell_path

SKEL = SKEL_BASHRC
ORIGINALS: list[bytes | None] = [
    None,
    b"",
    b"echo hi",  # no final newline
    b"echo hi\n",
    b"echo a\r\necho b\r\n",  # CRLF
    b"echo a\r\necho b",  # CRLF, no final newline
    b"\xef\xbb\xbf# bom header\necho a\n",  # BOM
    b"#!/bin/sh\n# header\n\necho body\n",
]


@pytest.mark.parametrize("shell", ["bash", "sh", "zsh", "fish"])
@pytest.mark.parametrize("position", ["top", "end"])
@pytest.mark.parametrize("original", ORIGINALS)
def test_round_trip(shell: str, position: str, original: bytes | None) -> None:
    shell_path("dash" if shell == "sh" else shell)
    one = block_set(
        original, shell, {"GOPATH": "$HOME/go", "GOFLAGS": "-mod=mod"}, position=position
    )
    if original:
        assert original.startswith(b"\xef\xbb\xbf") == one.startswith(b"\xef\xbb\xbf")
        assert original.endswith(b"\n") == one.endswith(b"\n")
        if b"\r\n" in original:
            assert b"# <<< goenv-tui <<<\r\n" in one or one.endswith(b"# <<< goenv-tui <<<")
    info = block_info(one, shell)
    assert info is not None and info.names == ("GOPATH", "GOFLAGS")
    two = block_set(one, shell, {"GOPATH": "/other path", "GOBIN": "/b"}, position=position)
    assert block_info(two, shell).names == ("GOPATH", "GOFLAGS", "GOBIN")  # type: ignore[union-attr]
    three = block_unset(two, shell, ["GOFLAGS", "GOPATH"])
    assert three is not None and b"GOBIN" in three and b"GOPATH" not in three
    assert block_unset(three, shell, ["GOBIN"]) == (original or b"")
    assert block_unset(original, shell, ["GOBIN"]) == original


def test_crlf_block_lines_use_crlf() -> None:
    out = block_set(b"echo a\r\necho b\r\n", "bash", {"GOBIN": "/b"}, position="end")
    assert out.endswith(b"export GOBIN=/b\r\n# <<< goenv-tui <<<\r\n")


def test_markers_crlf_tolerant_and_damaged() -> None:
    text = b"a=1\r\n# >>> goenv-tui >>>\r\nexport GOBIN=/b\r\n# <<< goenv-tui <<<\r\n"
    assert block_unset(text, "bash", ["GOBIN"]) == b"a=1\r\n"
    with pytest.raises(EditError, match="markers are damaged"):
        block_set(b"# >>> goenv-tui >>>\nexport A=1\n", "bash", {"GOBIN": "/b"}, position="end")


def test_top_goes_after_header_before_guard() -> None:
    skel = SKEL.read_bytes()
    out = block_set(skel, "bash", {"GOBIN": "/b"}, position="top")
    head = out.split(b"# >>> goenv-tui >>>")[0]
    assert head.startswith(b"# ~/.bashrc") and b"case $-" not in head
    assert out.index(b"export GOBIN") < out.index(b"case $- in")


def test_existing_block_moves_to_requested_position() -> None:
    base = b"echo one\necho two\n"
    end = block_set(base, "bash", {"GOBIN": "/b"}, position="end")
    top = block_set(end, "bash", {"GOPATH": "/p"}, position="top")
    assert top.startswith(b"# >>> goenv-tui >>>") and b"export GOBIN=/b" in top
    assert block_unset(top, "bash", ["GOBIN", "GOPATH"]) == base


def test_bom_before_code_refused_at_top() -> None:
    with pytest.raises(EditError, match="byte-order mark"):
        block_set(b"\xef\xbb\xbfexport A=1\n", "bash", {"GOBIN": "/b"}, position="top")


def test_syntax_refusals() -> None:
    # the reason for checking the block BY ITSELF: a later quote closes the block's quote
    block = b"export X='unterminated\n"
    whole = block + b"echo later'\n"
    assert syntax_error("bash", block, "the block") is not None
    assert syntax_error("bash", whole, "the file") is None
    with pytest.raises(EditError, match="already has a syntax error"):
        block_set(b"if true; then\n", "bash", {"GOBIN": "/b"}, position="end")
    with pytest.raises(EditError, match="here-document"):
        block_set(b"cat <<EOF\nhello\n", "bash", {"GOBIN": "/b"}, position="end")
    with pytest.raises(EditError, match="newline"):
        block_set(b"", "bash", {"GOBIN": "a\nb"}, position="end")
    # removal stays possible in a broken file
    broken = b"# >>> goenv-tui >>>\nexport GOBIN=/b\n# <<< goenv-tui <<<\nif true; then\n"
    assert block_unset(broken, "bash", ["GOBIN"]) == b"if true; then\n"


# ----------------------------------------------------------------------- reach in real shells


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "dumb"}
    env.update(extra)
    return env


def _run(argv: list[str], env: dict[str, str]) -> str:
    run = subprocess.run(
        argv,
        env=env,
        cwd=env["HOME"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        start_new_session=True,
        check=False,
    )
    for line in run.stdout.splitlines():
        if line.startswith("X=["):
            return line
    return ""


def _debian_home(tmp_path: Path, position: str) -> Path:
    home = tmp_path / position
    home.mkdir()
    shutil.copy(SKEL, home / ".bashrc")
    shutil.copy(SKEL_PROFILE, home / ".profile")
    bashrc = home / ".bashrc"
    bashrc.write_bytes(block_set(bashrc.read_bytes(), "bash", {"X": "$HOME/go"}, position=position))
    return home


def test_bashrc_top_reaches_every_bash_end_does_not(tmp_path: Path) -> None:
    bash = shell_path("bash")
    cmd = 'echo "X=[$X]"'
    for position in ("top", "end"):
        home = _debian_home(tmp_path, position)
        want = f"X=[{home}/go]"
        assert _run([bash, "-lc", cmd], _env(home)) == (want if position == "top" else "X=[]")
        assert _run([bash, "-ic", cmd], _env(home)) == want
        # sshd runs `bash -c CMD` with SSH_CLIENT set: Debian's bash then reads ~/.bashrc,
        # whose interactive guard returns before an END block
        ssh = _run([bash, "-c", cmd], _env(home, SSH_CLIENT="10.0.0.1 5555 22"))
        assert ssh == (want if position == "top" else "X=[]")


def test_zshenv_reaches_zsh_c(tmp_path: Path) -> None:
    zsh = shell_path("zsh")
    (tmp_path / ".zshenv").write_bytes(block_set(None, "zsh", {"X": "~/go"}, position="end"))
    assert _run([zsh, "-c", 'echo "X=[$X]"'], _env(tmp_path)) == f"X=[{tmp_path}/go]"


def test_fish_confd_reaches_fish_c(tmp_path: Path) -> None:
    fish = shell_path("fish")
    confd = tmp_path / ".config" / "fish" / "conf.d"
    confd.mkdir(parents=True)
    (confd / "goenv-tui.fish").write_bytes(
        block_set(None, "fish", {"X": "$HOME/go"}, position="end")
    )
    assert _run([fish, "-c", 'echo "X=[$X]"'], _env(tmp_path)) == f"X=[{tmp_path}/go]"


# ----------------------------------------------------------------------- quoting round trip

_HOSTILE = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\0\n\r"), max_size=12
)
_FIXED = [
    "a b",
    "it's",
    'say "hi"',
    "$HOME",
    "`id`",
    "$(id)",
    "back\\slash",
    "ünï 🚀",
    "-x",
    "*",
    "",
    "a\tb",
    "~",
    "\\'",
]


def _read_back(shell: str, path: Path, home: Path) -> bytes:
    exe = shutil.which("dash" if shell == "sh" else shell)
    assert exe is not None
    script = f'. {path}; printf %s "$X"' if shell != "fish" else f'source {path}; printf %s "$X"'
    argv = [exe, "-c", script]
    run = subprocess.run(argv, env=_env(home), capture_output=True, timeout=30, check=True)
    return run.stdout


def _round_trip(tmp_path: Path, value: str) -> None:
    for shell in ("bash", "sh", "zsh", "fish"):
        path = tmp_path / f"rc.{shell}"
        path.write_bytes(block_set(None, shell, {"X": value}, position="end", expand_home=False))
        assert _read_back(shell, path, tmp_path) == value.encode(), (shell, value)


@pytest.fixture
def quoting_shells() -> None:
    """bash, dash (reads the sh syntax), zsh and fish: skipped here when one is missing, a
    failure in CI."""
    for name in ("bash", "dash", "zsh", "fish"):
        shell_path(name)


@pytest.mark.parametrize("value", _FIXED)
def test_quoting_fixed(tmp_path: Path, value: str, quoting_shells: None) -> None:
    _round_trip(tmp_path, value)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=_HOSTILE)
def test_quoting_hypothesis(tmp_path: Path, value: str, quoting_shells: None) -> None:
    """quote -> write -> source round trip of generated values in bash, dash, zsh and fish."""
    _round_trip(tmp_path, value)


def test_expand_home_detection(tmp_path: Path, quoting_shells: None) -> None:
    for value, want in (
        ("$HOME/go", f"{tmp_path}/go"),
        ("${HOME}/a b", f"{tmp_path}/a b"),
        ("~", str(tmp_path)),
    ):
        for shell in ("bash", "sh", "zsh", "fish"):
            path = tmp_path / f"rc.{shell}"
            path.write_bytes(block_set(None, shell, {"X": value}, position="end"))
            assert _read_back(shell, path, tmp_path) == want.encode(), (shell, value)
    assert b"export X='$HOME/go'" in block_set(
        None, "bash", {"X": "$HOME/go"}, position="end", expand_home=False
    )
    assert os.sep == "/"
