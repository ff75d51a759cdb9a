"""The trace survives the strict modes people put in their startup files (set -u, set -e,
pipefail, ERR traps, nounset inside a sourced file), in bash and zsh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Sandbox, shell_path


def _lines(sandbox: Sandbox, name: str) -> list[tuple[str, int | None]]:
    done = sandbox.goenv_tui("show", "--json", name)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["shell"]["complete"], data["shell"]["error"]
    chain = data["variables"][name]["chain"]
    return [
        (e["file"].rsplit("/", 1)[-1], e["line"])
        for e in chain
        if e["layer"] == "startup" and e["state"] != "not-run"
    ]


BASH_STRICT = {  # case: (~/.bashrc, the line that sets GOPATH)
    "set -u": ("set -u\nexport GOPATH=/srv/a\n", 2),
    "set -euo pipefail + ERR trap": (
        "set -euo pipefail\ntrap 'echo failed >&2' ERR\nfalse || true\nexport GOPATH=/srv/a\n",
        4,
    ),
    "nounset in a function": (
        "f() { local x=$1; export GOPATH=/srv/a; }\nset -o nounset\nf y\n",
        1,
    ),
}


@pytest.mark.parametrize("case", sorted(BASH_STRICT))
def test_bash_strict_modes_keep_the_trace(sandbox: Sandbox, case: str) -> None:
    text, line = BASH_STRICT[case]
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", text)
    assert _lines(sandbox, "GOPATH") == [(".bashrc", line)]


def test_nounset_inside_a_sourced_file(sandbox: Sandbox) -> None:
    sandbox.write(".profile", ". ~/.go.sh\nexport GOBIN=/srv/bin\n")
    sandbox.write(".go.sh", "set -u\nexport GOPATH=${GOPATH:-/srv/a}\n")
    assert _lines(sandbox, "GOPATH") == [(".go.sh", 2)]
    assert _lines(sandbox, "GOBIN") == [(".profile", 2)]


def test_zsh_nounset_and_err_exit_keep_the_trace(sandbox: Sandbox) -> None:
    sandbox.env["SHELL"] = shell_path("zsh")
    sandbox.write(".zshrc", "set -u\nsetopt err_exit pipefail\nexport GOPATH=/srv/a\n")
    assert _lines(sandbox, "GOPATH") == [(".zshrc", 3)]


def test_a_timed_out_trace_marks_what_it_set_uncertain(tmp_path: Path) -> None:
    """A startup that hangs is killed at the limit; the static reading that replaces it
    marks every name it set uncertain, and says why."""
    from goenv_tui.core.shells.startup import trace_startup

    home = tmp_path / "home"
    home.mkdir()
    (home / ".profile").write_text("export GOPATH=/srv/a\nsleep 30\nexport GOBIN=/srv/b\n")
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    trace = trace_startup(
        "bash", shell_path("bash"), str(home), ["GOPATH", "GOBIN"], env, timeout=1
    )
    assert trace.error is not None and "did not finish within 1 s" in trace.error
    assert set(trace.uncertain) >= {"GOPATH", "GOBIN"}
    assert "read statically" in trace.uncertain["GOPATH"]


def test_the_where_column_never_cuts_the_line_number() -> None:
    from goenv_tui.core.paths import clip_location

    long = "~/.config/shell/frameworks/plugins/golang/golang.plugin.sh:131"
    assert clip_location(long, 26).endswith("golang.plugin.sh:131"[-12:])
    assert clip_location(long, 26).endswith(":131") and len(clip_location(long, 26)) == 26
    assert clip_location("~/.bashrc:12", 26) == "~/.bashrc:12"


def test_a_bare_export_of_an_unset_variable_is_no_assignment(sandbox: Sandbox) -> None:
    """`export GOROOT` while GOROOT is unset leaves it unset: not a '' that loses."""
    sandbox.write(".profile", "export GOROOT\nexport GOPATH=/srv/p\n")
    assert _lines(sandbox, "GOROOT") == []
    said = sandbox.goenv_tui("explain", "GOROOT").stdout
    assert "''" not in said


def test_a_startup_that_set_e_kills_names_the_failing_line(sandbox: Sandbox) -> None:
    """`set -euo pipefail` on top of Debian's skeleton ~/.bashrc, whose
    `if [ -n "$force_color_prompt" ]` then meets an unset variable: a real terminal closes
    at that line; the tool says where and why, and what ran before it still counts."""
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(
        ".bashrc",
        "set -euo pipefail\nexport GOPATH=/srv/a\nshopt -s checkwinsize\n"
        'if [ -n "$force_color_prompt" ]; then :; fi\nexport GOBIN=/srv/bin\n',
    )
    done = sandbox.goenv_tui("show", "--json", "GOPATH")
    data = json.loads(done.stdout)
    error = data["shell"]["error"]
    # the failing expansion prints no trace line: the shell's own message names it
    assert ".bashrc:4 (force_color_prompt is not set, and `set -u` is on)" in error, error
    shown = sandbox.goenv_tui("show", "GOPATH").stdout  # 80 columns: wrapped, not cut
    assert "~/.bashrc:4 (force_color_prompt" in " ".join(shown.split()), shown
    chain = data["variables"]["GOPATH"]["chain"]
    assert [(e["line"], e["value"]) for e in chain if e["layer"] == "startup"] == [(2, "/srv/a")]
