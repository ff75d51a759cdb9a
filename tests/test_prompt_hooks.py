"""The `hook` layer: prompt hooks a terminal runs (bash PROMPT_COMMAND, zsh precmd) are run
once by the trace, as the first prompt would, and name the hook function's file:line."""

from __future__ import annotations

import json

import pytest

from .conftest import Sandbox, shell_path


def _source(sandbox: Sandbox, name: str) -> dict[str, object]:
    done = sandbox.goenv_tui("show", "--json", name)
    assert done.returncode == 0, done.stderr
    var = json.loads(done.stdout)["variables"][name]
    hooks = [e for e in var["chain"] if e["layer"] == "hook"]
    assert hooks, var["chain"]
    entry: dict[str, object] = hooks[-1]
    return entry


HOOKS = {  # shell: (startup file, its text, the name the hook sets, the value)
    "bash": (
        ".bashrc",
        "export GOFLAGS=-mod=mod\n"
        "__go_auto() {\n"
        "  export GOFLAGS=-mod=vendor\n"
        "}\n"
        'PROMPT_COMMAND="${PROMPT_COMMAND:+$PROMPT_COMMAND;}__go_auto"\n',
        "GOFLAGS",
        "-mod=vendor",
    ),
    "zsh": (
        ".zshrc",
        "autoload -Uz add-zsh-hook\n"
        "_go_switch() {\n"
        "  export GOTOOLCHAIN=go1.21.13\n"
        "}\n"
        "add-zsh-hook precmd _go_switch\n",
        "GOTOOLCHAIN",
        "go1.21.13",
    ),
}


@pytest.mark.parametrize("shell", sorted(HOOKS))
def test_a_prompt_hook_is_the_hook_layer(sandbox: Sandbox, shell: str) -> None:
    """bash's PROMPT_COMMAND, zsh's precmd: the hook's line (3), not "typed in this
    session"; and set refuses, since a hook runs after every startup file."""
    rc, text, name, value = HOOKS[shell]
    sandbox.env["SHELL"] = shell_path(shell)
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(rc, text)
    entry = _source(sandbox, name)
    assert (entry["line"], entry["value"]) == (3, value)
    assert "prompt hook" in str(entry["note"])
    refused = sandbox.goenv_tui("set", f"{name}=local", "--yes")
    assert refused.returncode == 2 and "prompt hook" in refused.stderr
