"""The `hook` layer: prompt hooks a terminal runs (bash PROMPT_COMMAND, zsh precmd) are run
once by the trace, as the first prompt would, and name the hook function's file:line."""

from __future__ import annotations

import json

from .conftest import Sandbox, shell_path


def _source(sandbox: Sandbox, name: str) -> dict[str, object]:
    done = sandbox.goenv_tui("show", "--json", name)
    assert done.returncode == 0, done.stderr
    var = json.loads(done.stdout)["variables"][name]
    hooks = [e for e in var["chain"] if e["layer"] == "hook"]
    assert hooks, var["chain"]
    entry: dict[str, object] = hooks[-1]
    return entry


def test_a_prompt_command_hook_is_the_hook_layer(sandbox: Sandbox) -> None:
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(
        ".bashrc",
        "export GOFLAGS=-mod=mod\n"
        "__go_auto() {\n"
        "  export GOFLAGS=-mod=vendor\n"
        "}\n"
        'PROMPT_COMMAND="${PROMPT_COMMAND:+$PROMPT_COMMAND;}__go_auto"\n',
    )
    entry = _source(sandbox, "GOFLAGS")
    assert (entry["line"], entry["value"]) == (3, "-mod=vendor")
    assert "prompt hook" in str(entry["note"])
    refused = sandbox.goenv_tui("set", "GOFLAGS=-v", "--yes")
    assert refused.returncode == 2 and "prompt hook" in refused.stderr


def test_a_zsh_precmd_hook_is_the_hook_layer(sandbox: Sandbox) -> None:
    sandbox.env["SHELL"] = shell_path("zsh")
    sandbox.write(
        ".zshrc",
        "autoload -Uz add-zsh-hook\n"
        "_go_switch() {\n"
        "  export GOTOOLCHAIN=go1.21.13\n"
        "}\n"
        "add-zsh-hook precmd _go_switch\n",
    )
    entry = _source(sandbox, "GOTOOLCHAIN")
    assert (entry["line"], entry["value"]) == (3, "go1.21.13")
