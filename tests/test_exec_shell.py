"""A startup that ends in `exec zsh` / `exec fish` / `exec tmux`: the tool says where the
terminal really ends, and traces that shell from the state the first one handed it."""

from __future__ import annotations

import json
import shutil

from .conftest import Sandbox, require, shell_path


def _show(sandbox: Sandbox, *names: str) -> dict[str, object]:
    done = sandbox.goenv_tui("show", "--json", *names)
    assert done.returncode == 0, done.stderr
    data: dict[str, object] = json.loads(done.stdout)
    return data


def _startup(data: dict[str, object], name: str) -> list[tuple[str, object, str]]:
    chain = data["variables"][name]["chain"]  # type: ignore[index]
    return [
        (e["file"].rsplit("/", 1)[-1], e["value"], e["state"])
        for e in chain
        if e["layer"] == "startup" and e["state"] != "not-run"
    ]


def test_exec_zsh_at_the_end_of_bashrc_traces_zsh_after_bash(sandbox: Sandbox) -> None:
    zsh = shell_path("zsh")
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", f"export GOPATH=/srv/bash\nexport GOFLAGS=-mod=mod\nexec {zsh}\n")
    sandbox.write(".zshrc", "export GOPATH=/srv/zsh\n")
    data = _show(sandbox, "GOPATH", "GOFLAGS")
    shell = data["shell"]
    assert shell["complete"] and ".bashrc:3 execs zsh" in shell["error"]  # type: ignore[index]
    assert "the terminal ends in zsh" in shell["error"]  # type: ignore[index]
    gopath = _startup(data, "GOPATH")
    assert [(f, v) for f, v, _ in gopath] == [(".bashrc", "/srv/bash"), (".zshrc", "/srv/zsh")]
    assert gopath[0][2] == "shadowed"  # zsh's value is the one the terminal ends with
    assert [(f, v) for f, v, _ in _startup(data, "GOFLAGS")] == [(".bashrc", "-mod=mod")]
    # the exec'd zsh is traced in turn, so the exec is no command whose reads are unknown:
    # the trace is cached, and an edit of ~/.zshrc gives the new answer
    cache = sandbox.home / ".cache" / "goenv-tui"
    assert [p for p in cache.glob("*.json") if "-" not in p.name]
    sandbox.write(".zshrc", "export GOPATH=/srv/zsh2\n")
    again = _startup(_show(sandbox, "GOPATH"), "GOPATH")
    assert [(f, v) for f, v, _ in again] == [(".bashrc", "/srv/bash"), (".zshrc", "/srv/zsh2")]


def test_exec_fish_reads_fish_after_bash(sandbox: Sandbox) -> None:
    fish = shell_path("fish")
    sandbox.write(".profile", f"export GOPATH=/srv/bash\nexec {fish} -l\n")
    sandbox.write(".config/fish/config.fish", "set -gx GOPATH /srv/fish\n")
    data = _show(sandbox, "GOPATH")
    assert "the terminal ends in fish" in data["shell"]["error"]  # type: ignore[index]
    assert [v for _, v, _ in _startup(data, "GOPATH")] == ["/srv/bash", "/srv/fish"]


def test_exec_tmux_traces_the_shell_of_its_window(sandbox: Sandbox) -> None:
    """`exec tmux` (guarded by $TMUX, as people write it): tmux's window runs its
    default-shell (~/.tmux.conf) as a login shell, with TMUX set, so the guard stops there."""
    tmux = shutil.which("tmux")
    require(tmux is not None, "tmux")
    zsh = shell_path("zsh")
    sandbox.write(".profile", f'export GOPATH=/srv/bash\n[ -z "$TMUX" ] && exec {tmux}\n')
    sandbox.write(".tmux.conf", f"set -g mouse on\nset-option -g default-shell {zsh}  # zsh\n")
    sandbox.write(".zprofile", '[ -n "$TMUX" ] && export GOFLAGS=-mod=mod\n')
    sandbox.write(".zshrc", "export GOPATH=/srv/zsh\n")
    data = _show(sandbox, "GOPATH", "GOFLAGS")
    said = str(data["shell"]["error"])  # type: ignore[index]
    assert ".profile:2 execs tmux" in said and "ends in a tmux window's zsh" in said
    assert [(f, v) for f, v, _ in _startup(data, "GOPATH")] == [
        (".profile", "/srv/bash"),
        (".zshrc", "/srv/zsh"),
    ]
    assert [(f, v) for f, v, _ in _startup(data, "GOFLAGS")] == [(".zprofile", "-mod=mod")]


def test_exec_tmux_running_a_command_is_named_not_followed(sandbox: Sandbox) -> None:
    tmux = shutil.which("tmux")
    require(tmux is not None, "tmux")
    sandbox.write(".profile", f"export GOPATH=/srv/bash\nexec {tmux}\n")
    sandbox.write(".tmux.conf", "set -g default-command 'reattach-to-user-namespace -l bash'\n")
    data = _show(sandbox, "GOPATH")
    said = str(data["shell"]["error"])  # type: ignore[index]
    assert ".profile:2 execs tmux" in said and "not traced" in said
    assert "uncertain" in data["variables"]["GOPATH"]["flags"]  # type: ignore[index]


def test_fish_follows_source_and_flags_what_it_read_statically(sandbox: Sandbox) -> None:
    sandbox.env["SHELL"] = shell_path("fish")
    sandbox.write(
        ".config/fish/config.fish",
        "source ~/.config/fish/go.fish\nif status --is-interactive\n    . $HOME/more.fish\nend\n",
    )
    sandbox.write(".config/fish/go.fish", "set -gx GOPATH /srv/fish-go\n")
    sandbox.write("more.fish", "set -gx GOBIN /srv/fish-bin\n")
    data = _show(sandbox, "GOPATH", "GOBIN")
    assert _startup(data, "GOPATH") == [("go.fish", "/srv/fish-go", "stale")]
    assert [v for _, v, _ in _startup(data, "GOBIN")] == ["/srv/fish-bin"]
    for name in ("GOPATH", "GOBIN"):
        assert "uncertain" in data["variables"][name]["flags"]  # type: ignore[index]


def test_an_exec_loop_ends(sandbox: Sandbox) -> None:
    """~/.bashrc execs zsh, whose ~/.zshrc execs bash: followed a few times, then stopped."""
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", f"export GOPATH=/srv/b\nexec {shell_path('zsh')}\n")
    sandbox.write(".zshrc", f"export GOPATH=/srv/z\nexec {shell_path('bash')}\n")
    data = _show(sandbox, "GOPATH")
    assert ".bashrc:2 execs zsh" in data["shell"]["error"]  # type: ignore[index]
