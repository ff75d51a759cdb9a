"""The trace cache follows everything startup read: files its commands named, the version
files of the managers it ran, the host; a command it cannot follow means no cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Sandbox
from .test_eval_origins import _goenv_home


def _startup_value(sandbox: Sandbox, name: str) -> str | None:
    done = sandbox.goenv_tui("show", "--json", name)
    assert done.returncode == 0, done.stderr
    chain = json.loads(done.stdout)["variables"][name]["chain"]
    values = [e["value"] for e in chain if e["layer"] == "startup" and e["state"] != "not-run"]
    return values[-1] if values else None


def _cached(sandbox: Sandbox) -> list[Path]:
    """The cached traces (other caches there have a prefix: defaults-..., help-...)."""
    folder = sandbox.home / ".cache" / "goenv-tui"
    return sorted(p for p in folder.glob("*.json") if "-" not in p.name)


def test_a_file_read_by_a_command_is_followed(sandbox: Sandbox) -> None:
    flags = sandbox.write("goflags.txt", "-mod=mod\n")
    sandbox.write(".profile", 'export GOFLAGS="$(cat ~/goflags.txt)"\n')
    assert _startup_value(sandbox, "GOFLAGS") == "-mod=mod"
    assert _cached(sandbox)  # cat is followed: the trace is cached
    flags.write_text("-trimpath\n")
    assert _startup_value(sandbox, "GOFLAGS") == "-trimpath"


def test_a_tested_folder_is_followed(sandbox: Sandbox) -> None:
    folder = sandbox.root / "opt-go"
    sandbox.write(".profile", f"if [ -d {folder} ]; then export GOROOT={folder}; fi\n")
    assert _startup_value(sandbox, "GOROOT") is None
    folder.mkdir()
    assert _startup_value(sandbox, "GOROOT") == str(folder)


def test_a_goenv_version_switch_gives_the_new_answer(sandbox: Sandbox) -> None:
    """`goenv global 1.22.0` rewrites ~/.goenv/version, which only a command reads."""
    root = _goenv_home(sandbox)
    assert _startup_value(sandbox, "GOROOT") == f"{root}/versions/1.21.13"
    assert _cached(sandbox)
    (root / "version").write_text("1.22.0\n")
    assert _startup_value(sandbox, "GOROOT") == f"{root}/versions/1.22.0"


def test_a_command_that_cannot_be_followed_is_not_cached(sandbox: Sandbox) -> None:
    tool = sandbox.home / ".local" / "bin" / "mytool"
    tool.parent.mkdir(parents=True)
    tool.write_text('#!/bin/sh\ncat "$HOME/.mytool/gopath"\n')
    tool.chmod(0o755)
    (sandbox.home / ".mytool").mkdir()
    (sandbox.home / ".mytool" / "gopath").write_text("/srv/one\n")
    sandbox.write(".profile", 'export GOPATH="$(~/.local/bin/mytool)"\n')
    assert _startup_value(sandbox, "GOPATH") == "/srv/one"
    assert _cached(sandbox) == []
    (sandbox.home / ".mytool" / "gopath").write_text("/srv/two\n")
    assert _startup_value(sandbox, "GOPATH") == "/srv/two"


def test_installing_a_program_a_startup_looks_for_gives_the_new_answer(sandbox: Sandbox) -> None:
    """`command -v mytool && eval ...`: installing mytool later must not keep the old answer."""
    tools = sandbox.home / ".local" / "bin"
    sandbox.write(
        ".profile",
        f'export PATH="{tools}:$PATH"\n'
        'if command -v mytool >/dev/null; then export GOPATH="$(mytool)"; fi\n',
    )
    assert _startup_value(sandbox, "GOPATH") is None
    tools.mkdir(parents=True)
    (tools / "mytool").write_text("#!/bin/sh\necho /srv/tool\n")
    (tools / "mytool").chmod(0o755)
    assert _startup_value(sandbox, "GOPATH") == "/srv/tool"


def test_a_startup_that_rewrites_a_folder_it_names_is_still_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """goenv's init rehashes ~/.goenv/shims (the same names, new files) at every start-up:
    the folder's listing is what counts, so the next run is a cache hit, not a new trace."""
    from goenv_tui.core.names import KNOWN_GO_NAMES
    from goenv_tui.core.shells import trace_startup, tracer
    from tests.conftest import shell_path

    home = tmp_path / "h"
    root = home / ".goenv"
    (root / "shims").mkdir(parents=True)
    (root / "bin").mkdir()
    (root / "bin" / "goenv").write_text(  # rehash: the same shim, written anew
        '#!/bin/sh\nrm -f "$HOME/.goenv/shims/go" && : > "$HOME/.goenv/shims/go"\n'
    )
    (root / "bin" / "goenv").chmod(0o755)
    (home / ".profile").write_text(
        'export PATH="$HOME/.goenv/bin:$HOME/.goenv/shims:$PATH"\n'
        "goenv rehash\n"
        "export GOPATH=/srv/g\n"
    )
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "TERM": "dumb"}
    runs: list[object] = []
    real = tracer.run_trace
    monkeypatch.setattr(tracer, "run_trace", lambda *a, **k: runs.append(a) or real(*a, **k))
    for _ in range(2):
        t = trace_startup(
            "bash",
            shell_path("bash"),
            str(home),
            sorted(KNOWN_GO_NAMES),
            env,
            cache_dir=str(tmp_path / "cache"),
        )
        assert t.final_env["GOPATH"] == "/srv/g" and t.uncached is None
    assert len(runs) == 1  # the second run is a cache hit


def test_a_program_run_by_its_path_is_no_call_of_a_function_of_that_name(
    sandbox: Sandbox,
) -> None:
    """conda's init block runs /opt/conda/bin/conda, whose hook then defines a `conda`
    function: the program's reads (its env's config) cannot be followed, so no cache."""
    conda = sandbox.home / "miniconda3" / "bin" / "conda"
    conda.parent.mkdir(parents=True)
    conda.write_text(
        "#!/bin/sh\n"
        "printf 'conda() { :; }\\n'\n"
        'printf "export GOFLAGS=%s\\n" "$(cat "$HOME/miniconda3/vars")"\n'
    )
    conda.chmod(0o755)
    variables = sandbox.write("miniconda3/vars", "-mod=mod\n")
    sandbox.write(
        ".profile",
        f"__conda_setup=\"$('{conda}' shell.bash hook 2> /dev/null)\"\n"
        'eval "$__conda_setup"\n'
        "conda activate base\n",
    )
    assert _startup_value(sandbox, "GOFLAGS") == "-mod=mod"
    assert not _cached(sandbox)
    variables.write_text("-trimpath\n")
    assert _startup_value(sandbox, "GOFLAGS") == "-trimpath"


def test_pyenvs_init_is_cached_and_follows_its_version_file(sandbox: Sandbox) -> None:
    """`eval "$(pyenv init -)"` in ~/.bashrc no longer makes every trace uncacheable: what
    pyenv's init reads (its version files, scripts, plugins) is fingerprinted instead."""
    pyenv = sandbox.write(
        ".pyenv/bin/pyenv",
        "#!/usr/bin/env bash\n"
        'root="${PYENV_ROOT:-$HOME/.pyenv}"\n'
        'if [ "$1" = init ]; then\n'
        '  cat "$root/libexec/init.bash"\n'
        '  echo "export GOPRIVATE=example.com/py$(cat "$root/version")"\n'
        "fi\n",
    )
    # as pyenv's init does: drop the shims folder from PATH in a child bash, then prepend it
    sandbox.write(
        ".pyenv/libexec/init.bash",
        "PATH=\"$(bash --norc -ec 'IFS=:; kept=($PATH); for i in ${!kept[@]}; do "
        '[[ ${kept[i]} == "$HOME/.pyenv/shims" ]] && unset kept[i]; done; echo "${kept[*]}"\')"\n'
        'export PATH="$HOME/.pyenv/shims:$PATH"\n'
        "export PYENV_SHELL=bash\n",
    )
    pyenv.chmod(0o755)
    version = sandbox.write(".pyenv/version", "3.12\n")
    sandbox.write(".profile", ". ~/.bashrc\n")
    sandbox.write(".bashrc", 'export PATH="$HOME/.pyenv/bin:$PATH"\neval "$(pyenv init -)"\n')
    assert _startup_value(sandbox, "GOPRIVATE") == "example.com/py3.12"
    assert _cached(sandbox)
    version.write_text("3.13\n")
    assert _startup_value(sandbox, "GOPRIVATE") == "example.com/py3.13"
