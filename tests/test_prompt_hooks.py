"""The `hook` layer: prompt hooks a terminal runs (bash PROMPT_COMMAND, zsh precmd) are run
once by the trace, as the first prompt would, and name the hook function's file:line."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import Sandbox, require, shell_path


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
        "  export GOFLAGS=-trimpath\n"
        "}\n"
        'PROMPT_COMMAND="${PROMPT_COMMAND:+$PROMPT_COMMAND;}__go_auto"\n',
        "GOFLAGS",
        "-trimpath",
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
    assert refused.returncode == 2 and "directory-change hook at" in refused.stderr


CD_HOOKS = {  # shell: (startup file, its text: a folder switcher, the line that sets GOFLAGS)
    "zsh": (
        ".zshrc",
        'eval "$(direnv hook zsh)"\n'
        "autoload -Uz add-zsh-hook\n"
        "_go_project() {\n"
        "  if [[ -f .goflags ]]; then\n"
        '    export GOFLAGS="$(<.goflags)"\n'
        "  fi\n"
        "}\n"
        "add-zsh-hook chpwd _go_project\n",
        5,
    ),
    "bash": (  # a `cd` function, the way bash folder switchers hook in
        ".bashrc",
        'eval "$(direnv hook bash)"\n'
        "cd() {\n"
        '  builtin cd "$@" || return\n'
        '  [ -f .goflags ] && export GOFLAGS="$(cat .goflags)"\n'
        "}\n",
        4,
    ),
}


@pytest.mark.parametrize("shell", sorted(CD_HOOKS))
def test_a_folder_switch_hook_runs_when_the_trace_enters_the_session_folder(
    sandbox: Sandbox, shell: str
) -> None:
    """Run in ~/proj, a session whose chpwd hook (zsh) or `cd` function (bash) set GOFLAGS
    on entering it: the hook's line, not "typed in this session", and not stale (the
    trace enters the same folder). direnv's hook beside it leaves the trace intact (its
    diff would reset PS4 as root) and its value still names the .envrc."""
    require(shutil.which("direnv") is not None, "direnv")
    rc, text, line = CD_HOOKS[shell]
    sandbox.env["SHELL"] = shell_path(shell)
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(rc, text)
    proj = sandbox.home / "proj"
    proj.mkdir()
    (proj / ".goflags").write_text("-trimpath\n")
    (proj / ".envrc").write_text("export GOPRIVATE=example.com/private\n")
    env = dict(sandbox.env, XDG_DATA_HOME=str(sandbox.home / ".local" / "share"))
    subprocess.run(["direnv", "allow", str(proj)], env=env, cwd=proj, check=True)
    exported = subprocess.run(
        ["direnv", "export", "json"], env=env, cwd=proj, capture_output=True, text=True
    )
    sandbox.env |= json.loads(exported.stdout) | {"GOFLAGS": "-trimpath", "PWD": str(proj)}
    done = sandbox.goenv_tui("show", "--json", "GOFLAGS", "GOPRIVATE", cwd=proj)
    assert done.returncode == 0, done.stderr
    variables = json.loads(done.stdout)["variables"]
    flags = variables["GOFLAGS"]
    assert flags["source"]["layer"] == "hook", flags["chain"]
    assert flags["source"]["file"] == str(sandbox.home / rc)
    assert (flags["source"]["line"], flags["value"]) == (line, "-trimpath")
    assert "directory-change hook" in str(flags["source"]["note"])
    assert "stale" not in flags["flags"] and "uncertain" not in flags["flags"]
    private = variables["GOPRIVATE"]["source"]
    assert (private["layer"], private["file"]) == ("direnv", str(proj / ".envrc"))
    # from HOME, the same startup gives no GOFLAGS: the folder is part of the answer
    sandbox.env.pop("GOFLAGS")
    home = sandbox.goenv_tui("show", "--json", "GOFLAGS")
    assert json.loads(home.stdout)["variables"]["GOFLAGS"]["source"]["layer"] == "default"


def test_a_hook_that_sets_a_fixed_value_decides_it_even_when_startup_gave_it(
    sandbox: Sandbox,
) -> None:
    """A folder hook exporting a fixed value the startup already gave: it is still the hook
    layer (its note leads with "no change"), and it decides (editing the startup line would
    change nothing where the hook runs); a hook that keeps the variable's own value
    (`${GOFLAGS:-...}`) leaves the decision to the startup line."""
    sandbox.env["SHELL"] = shell_path("zsh")
    sandbox.env["GOFLAGS"] = "-mod=mod"
    for body, decider in (("export GOFLAGS=-mod=mod", 4), ('export GOFLAGS="${GOFLAGS:-x}"', 1)):
        rc = sandbox.write(
            ".zshrc",
            "export GOFLAGS=-mod=mod\n"
            "autoload -Uz add-zsh-hook\n"
            "_go_again() {\n"
            f"  {body}\n"
            "}\n"
            "add-zsh-hook precmd _go_again\n",
        )
        done = sandbox.goenv_tui("show", "--json", "GOFLAGS")
        var = json.loads(done.stdout)["variables"]["GOFLAGS"]
        hooks = [e for e in var["chain"] if e.get("line") == 4]
        assert [e["layer"] for e in hooks] == ["hook"], var["chain"]
        assert (var["source"]["file"], var["source"]["line"]) == (str(rc), decider), var["chain"]


def test_a_session_that_drew_no_prompt_lacks_the_hooks_value_and_is_told_why(
    sandbox: Sandbox,
) -> None:
    """Run from `zsh -c` (no prompt drawn), a precmd hook's value is missing: the doctor
    says the hook has not run here, as info, not that the startup files changed."""
    rc, text, name, _ = HOOKS["zsh"]
    sandbox.env["SHELL"] = shell_path("zsh")
    sandbox.write(rc, text)
    found = [f for f in sandbox.doctor_findings() if f["variable"] == name]
    stale = [f for f in found if f["id"].startswith("stale-session-")]
    assert stale and stale[0]["severity"] == "info", found
    assert "has not run it" in stale[0]["message"]
    assert "startup files changed" not in stale[0]["message"]


def test_a_terminal_without_hooks_is_traced_once_for_every_folder(sandbox: Sandbox) -> None:
    """No hook and no `cd` function ran: the answer holds in any folder, so a run in
    another folder reuses the cached trace; with a folder hook each folder has its own."""
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", "export GOFLAGS=-mod=mod\n")
    folders = [sandbox.home / name for name in ("a", "b")]
    for folder in folders:  # first: a new entry in HOME is a new listing of a folder read
        folder.mkdir()
    counts = []
    for folder in folders:
        done = sandbox.goenv_tui("show", "--json", "GOFLAGS", cwd=folder)
        assert json.loads(done.stdout)["variables"]["GOFLAGS"]["chain"][-1]["line"] == 1
        cache = sandbox.home / ".cache" / "goenv-tui"
        counts.append(len([p for p in cache.glob("*.json") if "-" not in p.name]))
    assert counts[0] == counts[1], counts  # b reused a's trace: no new one
    sandbox.write(".bashrc", CD_HOOKS["bash"][1].replace('eval "$(direnv hook bash)"\n', ""))
    (folders[0] / ".goflags").write_text("-trimpath\n")

    def flags(folder: Path) -> str | None:
        done = sandbox.goenv_tui("show", "--json", "GOFLAGS", cwd=folder)
        chain = json.loads(done.stdout)["variables"]["GOFLAGS"]["chain"]
        return next(
            (e["value"] for e in chain if e["layer"] == "hook" and e["state"] != "not-run"), None
        )

    flags(sandbox.home)  # a run in HOME first: it enters no folder, so it tells nothing
    assert [flags(folders[0]), flags(folders[1]), flags(folders[0])] == [
        "-trimpath",
        None,
        "-trimpath",
    ]


def test_an_untaken_branch_of_a_hook_is_the_hooks(sandbox: Sandbox) -> None:
    """A chpwd hook's `else` branch that did not run in this folder belongs to the hook
    layer too (a not-run hook line), not to the startup files."""
    rc, text, _ = CD_HOOKS["zsh"]
    sandbox.env["SHELL"] = shell_path("zsh")
    sandbox.write(
        rc,
        text.replace('eval "$(direnv hook zsh)"\n', "").replace(
            "  fi\n", "  else\n    export GOFLAGS=-mod=mod\n  fi\n"
        ),
    )
    proj = sandbox.home / "proj"
    proj.mkdir()
    (proj / ".goflags").write_text("-trimpath\n")
    sandbox.env["GOFLAGS"] = "-trimpath"
    done = sandbox.goenv_tui("show", "--json", "GOFLAGS", cwd=proj)
    chain = json.loads(done.stdout)["variables"]["GOFLAGS"]["chain"]
    untaken = [e for e in chain if e.get("line") == 6]
    assert [(e["layer"], e["state"]) for e in untaken] == [("hook", "not-run")], chain
    assert "directory-change hook" in untaken[0]["note"]
