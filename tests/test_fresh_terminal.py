"""A trace is "a fresh terminal like this one": it carries the terminal's identity."""

from __future__ import annotations

import json

import pytest

from .conftest import Sandbox

GUARDED = "[[ $TERM_PROGRAM == vscode ]] && return\nexport GOPATH=/srv/outside-vscode\n"


def _gopath(sandbox: Sandbox) -> tuple[list[object], list[str]]:
    done = sandbox.goenv_tui("show", "--json", "GOPATH")
    assert done.returncode == 0, done.stderr
    var = json.loads(done.stdout)["variables"]["GOPATH"]
    startup = [
        e["value"] for e in var["chain"] if e["layer"] == "startup" and e["state"] != "not-run"
    ]
    return startup, var["flags"]


@pytest.mark.parametrize(
    "name,value", [("TERM_PROGRAM", "vscode"), ("TMUX", "/tmp/tmux-0/default,1,0")]
)
def test_a_terminal_guard_sees_this_terminal(sandbox: Sandbox, name: str, value: str) -> None:
    """In VS Code's terminal (or tmux) the rc returns early; the trace must too, else the
    session is called stale and told to open a terminal that would get the same."""
    guard = (
        GUARDED
        if name == "TERM_PROGRAM"
        else GUARDED.replace("$TERM_PROGRAM == vscode", "-n $TMUX")
    )
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", guard)
    assert _gopath(sandbox)[0] == ["/srv/outside-vscode"]
    sandbox.env[name] = value
    startup, flags = _gopath(sandbox)
    assert startup == [] and "stale" not in flags


def test_instance_ids_are_not_carried() -> None:
    from goenv_tui.core.resolve import terminal_env

    env = {
        "VSCODE_PID": "1",
        "VSCODE_IPC_HOOK_CLI": "/x",
        "VSCODE_INJECTION": "1",
        "TMUX_PANE": "%1",
    }
    assert terminal_env(env) == {"VSCODE_INJECTION": "1"}
