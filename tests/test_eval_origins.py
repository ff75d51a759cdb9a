"""Code run by `eval` maps to the eval line, never to a line that does not exist or to an
unrelated statement; functions an eval defined name that eval (goenv init, conda's hook)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import Sandbox, shell_path

MANAGERS = Path(__file__).parent / "data" / "managers"


def _startup(sandbox: Sandbox, *names: str) -> dict[str, list[dict[str, object]]]:
    done = sandbox.goenv_tui("show", "--json", *names)
    assert done.returncode == 0, done.stderr
    variables = json.loads(done.stdout)["variables"]
    return {
        n: [e for e in variables[n]["chain"] if e["layer"] == "startup" and e["state"] != "not-run"]
        for n in names
    }


BASHRC = (
    "# ~/.bashrc\n\n"
    'export GOENV_ROOT="$HOME/.goenv"\n'
    'export PATH="$GOENV_ROOT/bin:$PATH"\n'
    'eval "$(goenv init -)"\n'
)


def _goenv_home(sandbox: Sandbox) -> Path:
    """A HOME set up the way goenv's README says, with a goenv that works like the real one."""
    root = sandbox.home / ".goenv"
    (root / "bin").mkdir(parents=True)
    shutil.copy(MANAGERS / "goenv", root / "bin" / "goenv")
    (root / "version").write_text("1.21.13\n")
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", BASHRC)
    return root


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_functions_defined_by_goenv_init_map_to_its_eval_line(sandbox: Sandbox, shell: str) -> None:
    """goenv's init defines a goenv() function whose `rehash` evals sh-rehash's exports of
    GOROOT and GOPATH: bash numbers those lines from the eval line (past the file's end),
    zsh names the inner eval by a line of that function (past the end too)."""
    root = _goenv_home(sandbox)
    if shell == "zsh":
        sandbox.env["SHELL"] = shell_path("zsh")
        sandbox.write(".zshrc", BASHRC.replace("bashrc", "zshrc"))
    found = _startup(sandbox, "GOROOT", "GOPATH")
    expected = {"GOROOT": f"{root}/versions/1.21.13", "GOPATH": f"{sandbox.home}/go/1.21.13"}
    for name, value in expected.items():
        (entry,) = found[name]
        assert (entry["line"], entry["value"]) == (5, value), entry
        assert "in function goenv defined by the eval at" in str(entry["note"])


def test_a_value_set_by_eval_code_is_overridden_after_the_eval(sandbox: Sandbox) -> None:
    """`set` puts the new value in a block after the eval (it would lose above it), and the
    preview's fresh shell gets it; `unset --from` the eval line says why it cannot."""
    _goenv_home(sandbox)
    done = sandbox.goenv_tui("set", "GOPATH=/srv/mine", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    text = (sandbox.home / ".bashrc").read_text()
    assert text.startswith(BASHRC) and "export GOPATH=/srv/mine" in text
    assert [(e["value"]) for e in _startup(sandbox, "GOPATH")["GOPATH"]][-1] == "/srv/mine"
    refused = sandbox.goenv_tui("unset", "GOROOT", "--from", f"{sandbox.home}/.bashrc:5")
    assert refused.returncode == 2
    assert "through code it runs" in refused.stderr and "Traceback" not in refused.stderr


def test_top_level_eval_code_never_lands_on_a_later_statement(sandbox: Sandbox) -> None:
    sandbox.write(
        ".profile",
        "export GOFLAGS=-mod=mod\n"
        "eval \"$(printf 'export GOPRIVATE=a.example\\nexport GOPATH=/srv/e\\n')\"\n"
        "alias ll='ls -l'\n"
        "export GOBIN=/srv/b\n",
    )
    found = _startup(sandbox, "GOPRIVATE", "GOPATH", "GOBIN")
    assert [e["line"] for e in found["GOPRIVATE"]] == [2]
    assert [e["line"] for e in found["GOPATH"]] == [2]  # not line 3, the alias
    assert [e["line"] for e in found["GOBIN"]] == [4]
