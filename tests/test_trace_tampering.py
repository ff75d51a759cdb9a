"""A startup file that turns tracing off is reported as uncertain, never as the wrong line."""

from __future__ import annotations

import json

import pytest

from .conftest import Sandbox, shell_path


@pytest.mark.parametrize("off", ["set +x", "set +o xtrace", "set +eux"])
def test_an_assignment_made_with_tracing_off_names_no_line(sandbox: Sandbox, off: str) -> None:
    sandbox.write(
        ".profile",
        f"export GOFLAGS=-mod=mod\n{off}\nexport GOPATH=/srv/hidden\nset -x\nexport GOBIN=/srv/b\n",
    )
    done = sandbox.goenv_tui("show", "--json", "GOPATH", "GOBIN")
    assert done.returncode == 0, done.stderr
    variables = json.loads(done.stdout)["variables"]
    startup = [e for e in variables["GOPATH"]["chain"] if e["layer"] == "startup"]
    assert startup and all(e.get("line") is None for e in startup)  # not the `set +x` line 2
    assert all(e["state"] != "not-run" for e in startup)
    assert "uncertain" in variables["GOPATH"]["flags"]
    gobin = [e for e in variables["GOBIN"]["chain"] if e["layer"] == "startup"]
    assert [e.get("line") for e in gobin] == [5]  # traced again after set -x
    said = sandbox.goenv_tui("explain", "GOPATH").stdout
    assert "turned tracing off" in said


def _startup(sandbox: Sandbox, *names: str) -> dict[str, dict[str, object]]:
    done = sandbox.goenv_tui("show", "--json", *names)
    assert done.returncode == 0, done.stderr
    variables: dict[str, dict[str, object]] = json.loads(done.stdout)["variables"]
    return variables


def _startup_entries(variable: dict[str, object]) -> list[dict[str, object]]:
    chain = variable["chain"]
    assert isinstance(chain, list)
    return [e for e in chain if e["layer"] == "startup"]


BLINDING = {
    "PS4": "saved=$PS4\nPS4='+ '\nexport GOPATH=/srv/hidden\nPS4=$saved\n",
    "BASH_XTRACEFD": (
        'exec 88>&"$BASH_XTRACEFD"\nBASH_XTRACEFD=2\nexport GOPATH=/srv/hidden\nBASH_XTRACEFD=88\n'
    ),
    "exec": (
        'exec 88>&"$BASH_XTRACEFD"\neval "exec $BASH_XTRACEFD>/dev/null"\n'
        'export GOPATH=/srv/hidden\neval "exec $BASH_XTRACEFD>&88"\n'
    ),
}


@pytest.mark.parametrize("how", sorted(BLINDING))
def test_a_startup_file_that_moves_the_trace_names_no_line(sandbox: Sandbox, how: str) -> None:
    """PS4 replaced, BASH_XTRACEFD moved, the trace fd redirected by exec: the change made
    while the trace was blind is uncertain with the reason, never the blinding line."""
    sandbox.write(".profile", BLINDING[how] + "export GOBIN=/srv/b\n")
    variables = _startup(sandbox, "GOPATH", "GOBIN")
    gopath = _startup_entries(variables["GOPATH"])
    assert gopath and all(e.get("line") is None for e in gopath), gopath
    assert "uncertain" in variables["GOPATH"]["flags"]  # type: ignore[operator]
    assert [e.get("line") for e in _startup_entries(variables["GOBIN"])] == [5]
    assert [e["value"] for e in gopath] == ["/srv/hidden"]


SHADOWING = {
    "function": "export() { builtin export GOPATH=/srv/evil; }\nexport GOPATH=/srv/x\n",
    "builtin": 'builtin() { command export "$@"; }\nbuiltin export GOPATH=/srv/x\n',
    "enable -n": "enable -n export\nexport GOPATH=/srv/x\n",
    "declare": "declare() { :; }\ndeclare -x GOPATH=/srv/x\n",
}


@pytest.mark.parametrize("how", sorted(SHADOWING))
def test_a_redefined_or_disabled_builtin_makes_its_lines_uncertain(
    sandbox: Sandbox, how: str
) -> None:
    """`export(){…}`, a redefined `builtin` or `declare`, `enable -n export`: what the line
    did is unknown, so it is uncertain with the reason and names no line."""
    sandbox.write(".profile", SHADOWING[how] + "export GOBIN=/srv/b\n")
    variables = _startup(sandbox, "GOPATH")
    gopath = _startup_entries(variables["GOPATH"])
    assert all(e.get("line") is None for e in gopath), gopath
    assert all("no change" not in str(e.get("note")) for e in gopath), gopath
    assert "uncertain" in variables["GOPATH"]["flags"]  # type: ignore[operator]
    said = sandbox.goenv_tui("explain", "GOPATH").stdout
    assert "redefined" in said or "disabled" in said, said


def test_a_shell_that_kills_itself_stops_there(sandbox: Sandbox) -> None:
    """`kill -9 $$` ends a real login; the traced shell is not PID 1 of its namespace, so
    it dies too: what came before holds, what came after did not run."""
    sandbox.write(".profile", "export GOPATH=/srv/before\nkill -9 $$\nexport GOPATH=/srv/after\n")
    done = sandbox.goenv_tui("show", "--json", "GOPATH")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert "killed" in data["shell"]["error"] and ".profile:2" in data["shell"]["error"]
    entries = _startup_entries(data["variables"]["GOPATH"])
    assert [(e["line"], e["value"]) for e in entries if e["state"] != "not-run"] == [
        (1, "/srv/before")
    ]
    assert [e["line"] for e in entries if e["state"] == "not-run"] == [3]


@pytest.mark.parametrize("off", ["unsetopt xtrace", "setopt no_xtrace", "set +x"])
def test_zsh_tracing_turned_off_names_no_line(sandbox: Sandbox, off: str) -> None:
    sandbox.env["SHELL"] = shell_path("zsh")
    sandbox.write(
        ".zshrc", f"{off}\nexport GOPATH=/srv/hidden\nsetopt xtrace\nexport GOBIN=/srv/b\n"
    )
    variables = _startup(sandbox, "GOPATH", "GOBIN")
    gopath = _startup_entries(variables["GOPATH"])
    assert [(e.get("line"), e["value"]) for e in gopath] == [(None, "/srv/hidden")]
    assert [e.get("line") for e in _startup_entries(variables["GOBIN"])] == [4]
