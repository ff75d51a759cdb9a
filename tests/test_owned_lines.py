"""Fixes respect the tools that own a line or a file: g's installer-marked line, a Bash-it
plugin reached through its enabled/ symlink. The tool's line stays, the override lands
after it, and the tool keeps working."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .conftest import Sandbox, shell_path

G_LINE = (
    'export GOPATH="$HOME/go"; export GOROOT="$HOME/.go"; export PATH="$GOPATH/bin:$PATH"; '
    "# g-install: do NOT edit, see https://github.com/stefanmaric/g\n"
)


def _fresh(sandbox: Sandbox, name: str) -> list[object]:
    done = sandbox.goenv_tui("show", "--json", name)
    assert done.returncode == 0, done.stderr
    chain = json.loads(done.stdout)["variables"][name]["chain"]
    return [e["value"] for e in chain if e["layer"] == "startup" and e["state"] != "not-run"]


def test_gs_install_line_is_kept_and_never_overridden(sandbox: Sandbox) -> None:
    """g reads the GOPATH and GOROOT its line exports (it refuses to run without
    $GOPATH/bin on PATH): neither is edited or overridden; GOFLAGS still lands after it."""
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", "alias ll='ls -l'\n\n" + G_LINE)
    refused = sandbox.goenv_tui("unset", "GOROOT", "--from", f"{sandbox.home}/.bashrc:3")
    assert refused.returncode == 2 and "g's installer" in refused.stderr
    refused = sandbox.goenv_tui("set", "GOPATH=/srv/mine", "--yes")
    assert refused.returncode == 2 and "$GOPATH/bin is on PATH" in refused.stderr
    done = sandbox.goenv_tui("set", "GOFLAGS=-mod=mod", "--to", "startup", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    text = (sandbox.home / ".bashrc").read_text()
    assert G_LINE in text
    assert _fresh(sandbox, "GOPATH") == [f"{sandbox.home}/go"]  # what g needs is intact
    assert _fresh(sandbox, "GOROOT") == [f"{sandbox.home}/.go"]


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
    assert "this overrides what Bash-it sets at" in done.stdout  # said, not silent
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


def test_gs_goroot_is_never_overridden(sandbox: Sandbox) -> None:
    """g reads the GOROOT its line exports ($GOROOT/.versions): setting or unsetting GOROOT
    anywhere would break every g command, so both are refused, naming `g set`."""
    sandbox.write(".profile", ". ~/.bashrc\n")
    bashrc = sandbox.write(".bashrc", "alias ll='ls -l'\n\n" + G_LINE)
    for args in (["set", "GOROOT=/usr/lib/go"], ["unset", "GOROOT"]):
        refused = sandbox.goenv_tui(*args, "--yes")
        assert refused.returncode == 2 and "`g set VERSION`" in refused.stderr, refused.stderr
    assert bashrc.read_text() == "alias ll='ls -l'\n\n" + G_LINE


def test_a_frameworks_custom_folder_is_the_users_and_its_tree_is_overridden_in_zshrc(
    sandbox: Sandbox,
) -> None:
    """oh-my-zsh: $ZSH/custom/*.zsh are the user's files (edited in place); a plugin in the
    framework's tree is overridden by a block in ~/.zshrc after oh-my-zsh is loaded, not in
    ~/.zshenv, which zsh reads first (the plugin would win)."""
    sandbox.env["SHELL"] = shell_path("zsh")
    sandbox.write(
        ".oh-my-zsh/oh-my-zsh.sh",
        'for f in $ZSH/plugins/*/*.plugin.zsh $ZSH/custom/*.zsh; do source "$f"; done\n',
    )
    plugin = sandbox.write(".oh-my-zsh/plugins/gox/gox.plugin.zsh", "export GOFLAGS=-mod=mod\n")
    custom = sandbox.write(".oh-my-zsh/custom/go.zsh", "export GOPRIVATE=example.com/a\n")
    zshrc = sandbox.write(
        ".zshrc", 'export ZSH="$HOME/.oh-my-zsh"\nplugins=(gox)\nsource $ZSH/oh-my-zsh.sh\n'
    )
    done = sandbox.goenv_tui("set", "GOPRIVATE=example.com/b", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert custom.read_text() == "export GOPRIVATE=example.com/b\n"
    done = sandbox.goenv_tui("set", "GOFLAGS=-trimpath", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert plugin.read_text() == "export GOFLAGS=-mod=mod\n"
    assert "-trimpath" in zshrc.read_text()
    assert not (sandbox.home / ".zshenv").exists()
    assert _fresh(sandbox, "GOFLAGS")[-1] == "-trimpath"
    assert _fresh(sandbox, "GOPRIVATE")[-1] == "example.com/b"


def test_a_goroot_of_another_version_is_refused_naming_the_manager(
    sandbox: Sandbox, go_bin: Path, old_go_bin: Path
) -> None:
    """gvm exports GOROOT and puts that version's go first on PATH: a GOROOT of another
    version would make every build fail (compile: version mismatch), so `set` refuses it and
    says how gvm switches the go itself."""
    gos = sandbox.home / ".gvm" / "gos"
    gos.mkdir(parents=True)
    (gos / "go1.27.3").symlink_to(go_bin.resolve().parent.parent)
    (gos / "go1.21.13").symlink_to(old_go_bin.resolve().parent.parent)
    sandbox.write(
        ".gvm/environments/default",
        'export GOROOT="$HOME/.gvm/gos/go1.27.3"\nexport PATH="$GOROOT/bin:$PATH"\n',
    )
    sandbox.write(".profile", ". ~/.gvm/environments/default\n")
    sandbox.env["GOROOT"] = str(gos / "go1.27.3")
    sandbox.env["PATH"] = f"{gos / 'go1.27.3' / 'bin'}:{sandbox.env['PATH']}"
    refused = sandbox.goenv_tui("set", f"GOROOT={gos / 'go1.21.13'}", "--yes")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "does not match go tool version" in refused.stderr
    assert "`gvm use go1.21.13 --default`" in refused.stderr
    assert not (sandbox.home / ".bashrc").exists()
    # after `gvm use go1.21.13` in this session, its GOROOT matches this session's go but
    # not the go a new terminal runs (gvm's default): refused as well
    sandbox.env["GOROOT"] = str(gos / "go1.21.13")
    sandbox.env["PATH"] = sandbox.env["PATH"].replace("go1.27.3", "go1.21.13")
    refused = sandbox.goenv_tui("set", f"GOROOT={gos / 'go1.21.13'}", "--yes")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "a new terminal runs ~/.gvm/gos/go1.27.3/bin/go (go1.27.3)" in refused.stderr
    assert "`gvm use go1.21.13 --default`" in refused.stderr
    assert not (sandbox.home / ".bashrc").exists()


def test_the_doctor_does_not_ask_to_remove_a_managers_goroot(
    sandbox: Sandbox, go_bin: Path
) -> None:
    """g's line exports the GOROOT g needs: no "remove the setting" warning, an info that
    names g and its switch instead."""
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", G_LINE)
    (sandbox.home / ".go").symlink_to(go_bin.resolve().parent.parent)  # g links a version
    sandbox.env["GOROOT"] = str(sandbox.home / ".go")
    ids = {f["id"]: f for f in sandbox.doctor_findings()}
    assert "goroot-exported" not in ids
    found = [f for f in ids.values() if f["variable"] == "GOROOT"]
    assert any("g's installer" in f["message"] for f in found), found


CONDA_BLOCK = (
    "# >>> conda initialize >>>\n"
    "# !! Contents within this block are managed by 'conda init' !!\n"
    "__conda_setup=\"$('{conda}' 'shell.bash' 'hook' 2> /dev/null)\"\n"
    "if [ $? -eq 0 ]; then\n"
    '    eval "$__conda_setup"\n'
    "fi\n"
    "unset __conda_setup\n"
    "# <<< conda initialize <<<\n"
)


def test_a_conda_like_block_is_explained_and_never_edited(sandbox: Sandbox) -> None:
    """conda init's block evals the hook's code, whose `conda activate` exports GOFLAGS: the
    value maps to the block's eval line naming the function; that line sets it through code
    it runs, so `unset --from` it is refused, and `set` lands after the block, which conda
    rewrites, warning that conda no longer decides it."""
    conda = sandbox.write(
        "miniconda3/bin/conda",
        "#!/bin/sh\n"
        "cat <<'EOF'\n"
        'conda() { if [ "$1" = activate ]; then export GOFLAGS=-trimpath; fi; }\n'
        "conda activate base\n"
        "EOF\n",
        mode=0o755,
    )
    block = CONDA_BLOCK.format(conda=conda)
    sandbox.write(".profile", ". ~/.bashrc\n")
    bashrc = sandbox.write(".bashrc", "# mine\n" + block)
    sandbox.env["GOFLAGS"] = "-trimpath"
    var = json.loads(sandbox.goenv_tui("show", "--json", "GOFLAGS").stdout)["variables"]
    src = var["GOFLAGS"]["source"]
    assert (src.get("file"), src.get("line")) == (str(bashrc), 6), var["GOFLAGS"]["chain"]
    assert "in function conda defined by the eval at" in src["note"]
    refused = sandbox.goenv_tui("unset", "GOFLAGS", "--from", f"{bashrc}:6", "--yes")
    assert refused.returncode == 2 and "through code it runs" in refused.stderr, refused.stderr
    done = sandbox.goenv_tui("set", "GOFLAGS=-mod=mod", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "this overrides what the “conda initialize” block" in done.stdout
    text = bashrc.read_text()
    assert block in text and text.index(block) < text.index("export GOFLAGS=-mod=mod")
    assert _fresh(sandbox, "GOFLAGS")[-1] == "-mod=mod"


def test_a_goroot_a_plugins_hook_exports_is_named_not_removed(
    sandbox: Sandbox, go_bin: Path
) -> None:
    """asdf-golang's set-env.zsh registers a precmd hook that exports GOROOT from the go
    asdf runs: the doctor names the plugin instead of asking to remove the line."""
    goroot = go_bin.resolve().parent.parent
    sandbox.env["SHELL"] = shell_path("zsh")
    sandbox.write(
        ".asdf/plugins/golang/set-env.zsh",
        "asdf_update_golang_env() {\n"
        f"  export GOROOT={goroot}\n"
        "}\n"
        "autoload -U add-zsh-hook\n"
        "add-zsh-hook precmd asdf_update_golang_env\n",
    )
    sandbox.write(".zshrc", ". ~/.asdf/plugins/golang/set-env.zsh\n")
    sandbox.env["GOROOT"] = str(goroot)
    findings = sandbox.doctor_findings()
    ids = {f["id"] for f in findings if f["variable"] == "GOROOT"}
    assert "goroot-exported" not in ids and "goroot-managed" in ids, findings


def test_the_doctor_offers_no_fix_that_would_move_gs_line(sandbox: Sandbox) -> None:
    """g's line sits after ~/.bashrc's interactive guard: the doctor says so, but offers no
    fix (copying g's GOPATH/GOROOT into a block is an override g does not survive)."""
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", "case $- in *i*) ;; *) return;; esac\n" + G_LINE)
    findings = sandbox.doctor_findings()
    guard = [f for f in findings if f["id"].startswith("after-interactive-guard")]
    assert guard and all(f.get("fix") is None for f in guard), guard
    assert all("belongs to g's installer" in f["message"] for f in guard)


def test_no_fix_moves_a_line_that_builds_on_an_earlier_value(sandbox: Sandbox) -> None:
    """`export GOFLAGS="$GOFLAGS -trimpath"` after the guard builds on a value also set after
    it: a copy of its result above the guard would be overwritten, so no fix is offered."""
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(
        ".bashrc",
        "case $- in *i*) ;; *) return;; esac\n"
        "export GOFLAGS=-trimpath\n"
        'export GOFLAGS="$GOFLAGS -trimpath"\n',
    )
    findings = sandbox.doctor_findings()
    guard = [f for f in findings if f["id"] == "after-interactive-guard-goflags"]
    assert guard and guard[0].get("fix") is None, guard
    assert "builds on an earlier value" in guard[0]["message"]
