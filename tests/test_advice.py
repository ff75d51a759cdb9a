"""Advice that works: what a user would try first, on the classic setups, and every command
goenv-tui suggests in return (a refusal, a warning, a verdict) followed with --dry-run. Each
suggestion must work as it stands on today's files and must not send the user on again.

The TUI says the same suggestions as keys (core.advice.as_keys), checked at the end."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from goenv_tui.core.advice import as_keys, commands, set_command, unset_command
from tests.advice_check import follow
from tests.conftest import SKEL_BASHRC, SKEL_PROFILE, Sandbox, shell_path

#: Setups: (files to write, the session's extra environment).
Setup = Callable[[Sandbox], dict[str, str]]


def _shadowed_goenv_value(sb: Sandbox) -> dict[str, str]:
    """The issue's case: a `go env -w` value, shadowed by an export in ~/.bashrc."""
    sb.write(".bashrc", SKEL_BASHRC.read_text() + "export GOPROXY=https://old.example\n")
    sb.write(".profile", SKEL_PROFILE.read_text())
    sb.write(".config/go/env", "GOPROXY=https://proxy.example\n")
    return {"GOPROXY": "https://old.example"}


def _export_before_the_guard(sb: Sandbox) -> dict[str, str]:
    """An export above Debian's interactive guard, another after it."""
    sb.write(
        ".bashrc",
        "export GOFLAGS=-mod=mod\n" + SKEL_BASHRC.read_text() + "export GOPRIVATE=*.corp.example\n",
    )
    sb.write(".profile", SKEL_PROFILE.read_text())
    return {"GOFLAGS": "-mod=mod", "GOPRIVATE": "*.corp.example"}


def _tool_owned_line(sb: Sandbox) -> dict[str, str]:
    """g's installer line, which goenv-tui never edits."""
    sb.write(".profile", ". ~/.bashrc\n")
    sb.write(
        ".bashrc",
        'export GOPATH="$HOME/go"; export GOROOT="$HOME/.go"; export PATH="$GOPATH/bin:$PATH"; '
        "# g-install: do NOT edit, see https://github.com/stefanmaric/g\n"
        "export GOFLAGS=-trimpath\n",
    )
    return {"GOPATH": str(sb.home / "go"), "GOFLAGS": "-trimpath"}


def _eval_line(sb: Sandbox) -> dict[str, str]:
    """A value set through code a line runs (an eval), not by the line itself."""
    sb.write(".profile", ". ~/.bashrc\n")
    sb.write(".bashrc", "eval \"$(printf 'export GOFLAGS=-mod=vendor')\"\n")
    return {"GOFLAGS": "-mod=vendor"}


def _goenv_off(sb: Sandbox) -> dict[str, str]:
    """GOENV=off: go reads no go env file."""
    sb.write(".profile", ". ~/.bashrc\n")
    sb.write(".bashrc", "export GOENV=off\n")
    return {"GOENV": "off"}


SETUPS: dict[str, Setup] = {
    "shadowed-goenv-value": _shadowed_goenv_value,
    "export-before-the-guard": _export_before_the_guard,
    "tool-owned-line": _tool_owned_line,
    "eval-line": _eval_line,
    "goenv-off": _goenv_off,
}

VALUES = {"GOPROXY": "https://new.example", "GOFLAGS": "-mod=readonly", "GOPATH": "/srv/go"}
NAMES = {
    "shadowed-goenv-value": ["GOPROXY"],
    "export-before-the-guard": ["GOFLAGS", "GOPROXY"],
    "tool-owned-line": ["GOPATH", "GOFLAGS"],
    "eval-line": ["GOFLAGS"],
    "goenv-off": ["GOPROXY"],
}


def _tries(name: str) -> list[list[str]]:
    """What a user tries first (each with --dry-run)."""
    pair = f"{name}={VALUES[name]}"
    tries = [["set", pair, "--to", "goenv"], ["set", pair], ["set", pair, "--to", "startup"]]
    return [*tries, ["unset", name]]


@pytest.mark.parametrize("setup", list(SETUPS))
def test_every_suggestion_works_as_it_stands(sandbox: Sandbox, setup: str) -> None:
    extra = SETUPS[setup](sandbox)
    env = dict(sandbox.env, **extra)
    seen: set[tuple[str, ...]] = set()
    suggested = 0
    for name in NAMES[setup]:
        for argv in _tries(name):
            out = sandbox.goenv_tui(*argv, "--dry-run", env=env)
            said = out.stdout + out.stderr
            assert out.returncode in (0, 1, 2) and "Traceback" not in said, said
            if out.returncode == 2:  # a refusal: one sentence, what to do instead in it
                assert said.startswith("goenv-tui: ") and said.count("\n") == 1, said
            suggested += len(follow(sandbox, said, env, seen))
    for finding in sandbox.doctor_findings(env):  # (follows the doctor's advice itself)
        assert finding["message"]
    assert suggested >= 1, "every setup leads to at least one suggestion"


def test_the_shadowed_value_is_fixed_by_following_the_advice(sandbox: Sandbox) -> None:
    """The issue's loop end to end: set in the go env file → no effect, and the suggested
    command, applied for real, makes a fresh login shell's go get the value."""
    env = dict(sandbox.env, **_shadowed_goenv_value(sandbox))
    out = sandbox.goenv_tui("set", "GOPROXY=https://new.example", "--to", "goenv", "--yes", env=env)
    assert out.returncode == 1, out.stdout + out.stderr
    onward = sorted({tuple(a) for a in commands(out.stdout) if a[0] == "unset"})
    assert onward == [("unset", "GOPROXY", "--from", f"~/.bashrc:{_lines(sandbox)}")], out.stdout
    done = sandbox.goenv_tui(*onward[0], "--yes", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    login = sandbox.run([shell_path("bash"), "-ic", "go env GOPROXY"], env=sandbox.env)
    assert login.returncode == 0, login.stdout + login.stderr
    assert login.stdout.strip().splitlines()[-1] == "https://new.example", login.stdout


def _lines(sb: Sandbox) -> int:
    return len((sb.home / ".bashrc").read_text().splitlines())


def test_the_tui_says_keys_where_the_cli_says_commands() -> None:
    text = (
        f"no effect; remove it there: {unset_command('GOPATH', '~/.bashrc:3')}; or "
        f"{set_command('GOPROXY', 'https://p.example', 'startup')}; `goenv-tui fix stale-x` "
        "and `goenv-tui rollback 20261203-1`; `go env -u GOPATH` stays"
    )
    keys = as_keys(text)
    assert "goenv-tui" not in keys
    assert "press u on GOPATH" in keys
    assert "press e on GOPROXY, type 'https://p.example', choose the managed block" in keys
    assert "press f on finding stale-x" in keys and "press H, choose 20261203-1" in keys
    assert "`go env -u GOPATH`" in keys  # go's own commands are left as they are
    assert commands(text)[0] == ["unset", "GOPATH", "--from", "~/.bashrc:3"]
