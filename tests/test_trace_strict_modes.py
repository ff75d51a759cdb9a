"""The trace survives the strict modes people put in their startup files (set -u, set -e,
pipefail, ERR traps, nounset inside a sourced file), in bash and zsh."""

from __future__ import annotations

import json

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
