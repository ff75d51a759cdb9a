"""Fixes respect the tools that own a line or a file: g's installer-marked line, a Bash-it
plugin reached through its enabled/ symlink. The tool's line stays, the override lands
after it, and the tool keeps working."""

from __future__ import annotations

import json
import subprocess

from .conftest import Sandbox

G_LINE = (
    'export GOPATH="$HOME/go"; export GOROOT="$HOME/.go"; export PATH="$GOPATH/bin:$PATH"; '
    "# g-install: do NOT edit, see https://github.com/stefanmaric/g\n"
)


def _fresh(sandbox: Sandbox, name: str) -> list[object]:
    done = sandbox.goenv_tui("show", "--json", name)
    assert done.returncode == 0, done.stderr
    chain = json.loads(done.stdout)["variables"][name]["chain"]
    return [e["value"] for e in chain if e["layer"] == "startup" and e["state"] != "not-run"]


def test_gs_install_line_is_kept_and_overridden_after_it(sandbox: Sandbox) -> None:
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", "alias ll='ls -l'\n\n" + G_LINE)
    refused = sandbox.goenv_tui("unset", "GOROOT", "--from", f"{sandbox.home}/.bashrc:3")
    assert refused.returncode == 2 and "g's installer" in refused.stderr
    done = sandbox.goenv_tui("set", "GOPATH=/srv/mine", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    text = (sandbox.home / ".bashrc").read_text()
    assert G_LINE in text and text.index(G_LINE) < text.index("export GOPATH=/srv/mine")
    assert _fresh(sandbox, "GOPATH")[-1] == "/srv/mine"
    assert _fresh(sandbox, "GOROOT") == [f"{sandbox.home}/.go"]  # what g needs is intact


def test_a_framework_plugin_is_not_edited_through_its_enabled_link(sandbox: Sandbox) -> None:
    """Bash-it loads enabled/*.bash, symlinks into plugins/available/: an update rewrites
    the plugin, so the override goes in ~/.bashrc after Bash-it is loaded."""
    root = sandbox.home / ".bash_it"
    plugin = sandbox.write(
        ".bash_it/plugins/available/go.plugin.bash", "export GOPATH=/srv/bashit\n"
    )
    (root / "enabled").mkdir()
    (root / "enabled" / "250---go.plugin.bash").symlink_to(plugin)
    sandbox.write(
        ".bash_it/bash_it.sh",
        'for f in "$BASH_IT"/enabled/*.bash; do source "$f"; done\n',
    )
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", 'export BASH_IT="$HOME/.bash_it"\nsource "$BASH_IT"/bash_it.sh\n')
    refused = sandbox.goenv_tui(
        "set", "GOPATH=/srv/x", "--to", f"{root}/enabled/250---go.plugin.bash:1", "--yes"
    )
    assert refused.returncode == 2 and "Bash-it's own tree" in refused.stderr
    done = sandbox.goenv_tui("set", "GOPATH=/srv/mine", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert plugin.read_text() == "export GOPATH=/srv/bashit\n"
    assert _fresh(sandbox, "GOPATH")[-1] == "/srv/mine"
    still = subprocess.run(
        ["bash", "-c", f". {root}/bash_it.sh"], env=dict(sandbox.env, BASH_IT=str(root))
    )
    assert still.returncode == 0


def test_a_plugin_that_re_exports_the_users_value_does_not_decide_it(sandbox: Sandbox) -> None:
    """Bash-it's go plugin exports GOPATH="${GOPATH:-$(go env GOPATH)}" after the user's own
    line: it sets the same value again, so the user's line decides, and `set` rewrites it."""
    root = sandbox.home / ".bash_it"
    plugin = sandbox.write(
        ".bash_it/plugins/available/go.plugin.bash",
        "# go environment variables\n"
        'export GOPATH="${GOPATH:-$HOME/go}"\n'
        'export PATH="$GOPATH/bin:$PATH"\n',
    )
    (root / "enabled").mkdir()
    (root / "enabled" / "270---go.plugin.bash").symlink_to(plugin)
    sandbox.write(".bash_it/bash_it.sh", 'for f in "$BASH_IT"/enabled/*.bash; do . "$f"; done\n')
    sandbox.write(".profile", ". ~/.bashrc\n")
    bashrc = sandbox.write(
        ".bashrc",
        'export GOPATH="$HOME/work"\nexport BASH_IT="$HOME/.bash_it"\n. "$BASH_IT"/bash_it.sh\n',
    )
    sandbox.env["GOPATH"] = f"{sandbox.home}/work"  # the terminal the user runs it in
    done = sandbox.goenv_tui("show", "--json", "GOPATH")
    var = json.loads(done.stdout)["variables"]["GOPATH"]
    assert (var["source"].get("file"), var["source"].get("line")) == (str(bashrc), 1), var
    del sandbox.env["GOPATH"]
    changed = sandbox.goenv_tui("set", "GOPATH=/srv/mine", "--yes")
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert bashrc.read_text().splitlines()[0] == "export GOPATH=/srv/mine"
    assert "/srv/mine" not in bashrc.read_text().split("\n", 1)[1]  # rewritten, no block
    assert _fresh(sandbox, "GOPATH")[-1] == "/srv/mine"
