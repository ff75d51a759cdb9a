"""goenv-tui's own `go env` runs are immune to GOFLAGS: with `go env`'s own flags in it
(GOFLAGS=-u makes a plain `go env GOPATH` delete the GOPATH line), no command but an apply
or rollback changes a byte of the go env file, and GOFLAGS is reported as set."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .conftest import Sandbox

GOFLAGS = ["-u", "-json", "-ldflags=-s -w", "--changed=true"]


@pytest.mark.parametrize("goflags", GOFLAGS)
def test_no_read_only_command_changes_the_go_env_file(
    sandbox: Sandbox, go_bin: Path, goflags: str
) -> None:
    text = f"GOFLAGS={goflags}\nGOPATH=/srv/keep\nGOPRIVATE=example.com/keep\n".encode()
    sandbox.go_env_file.parent.mkdir(parents=True, exist_ok=True)
    sandbox.go_env_file.write_bytes(text)
    if goflags == "-u":  # what go itself does with it: the reason for the guard
        plain = subprocess.run(
            [str(go_bin), "env", "GOPRIVATE"], env=sandbox.env, cwd=sandbox.home, check=False
        )
        assert plain.returncode == 0
        assert b"GOPRIVATE" not in sandbox.go_env_file.read_bytes()
        sandbox.go_env_file.write_bytes(text)
    for args in (
        ["show", "--json"],
        ["show", "--changed"],
        ["explain", "GOPATH"],
        ["doctor"],
        ["snapshot"],
        ["set", "GOPRIVATE=example.com/new", "--dry-run"],
    ):
        done = sandbox.goenv_tui(*args)
        assert "Traceback" not in done.stderr, done.stderr
        assert sandbox.go_env_file.read_bytes() == text, args
    shown = json.loads(sandbox.goenv_tui("show", "--json", "GOFLAGS", "GOPATH").stdout)
    flags = shown["variables"]["GOFLAGS"]
    assert (flags["value"], flags["source"]["layer"]) == (goflags, "goenv")
    assert shown["variables"]["GOPATH"]["value"] == "/srv/keep"
    assert shown["go"]["error"] is None  # the probe itself ran: go env -json answered
    findings = sandbox.doctor_findings()
    assert not [f for f in findings if f["id"].startswith("go-fails")], findings


def test_a_shims_go_env_runs_are_immune_too(sandbox: Sandbox, go_bin: Path) -> None:
    """Through goenv's shim the tool runs `go env GOROOT` (the wrapper trace) and
    `go env GOVERSION`: with GOFLAGS=-u they would delete the file's GOROOT line."""
    from .test_wrapper import _goenv_shims

    root = _goenv_shims(sandbox, go_bin)
    text = f"GOFLAGS=-u\nGOROOT={root}/versions/1.21.13\nGOVERSION=x\n".encode()
    sandbox.go_env_file.parent.mkdir(parents=True, exist_ok=True)
    sandbox.go_env_file.write_bytes(text)
    for args in (["show", "--json"], ["doctor"], ["set", "GOPRIVATE=a.example", "--dry-run"]):
        sandbox.goenv_tui(*args)
        assert sandbox.go_env_file.read_bytes() == text, args


def test_an_apply_still_edits_the_file_goflags_would_break(sandbox: Sandbox) -> None:
    """`go env -w` itself fails with GOFLAGS=-u in the file ("cannot use -u with -w"); the
    tool's own writer runs go with a neutral GOFLAGS, so unsetting GOFLAGS works."""
    sandbox.go_env_file.parent.mkdir(parents=True, exist_ok=True)
    sandbox.go_env_file.write_bytes(b"GOFLAGS=-u\nGOPATH=/srv/keep\n")
    done = sandbox.goenv_tui("unset", "GOFLAGS", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert sandbox.go_env_file.read_bytes() == b"GOPATH=/srv/keep\n"


def test_go_env_flags_in_goflags_are_refused_and_fixed(sandbox: Sandbox) -> None:
    """`set` refuses them (the unquoted -ldflags' stray -w too); the doctor reports the
    file's GOFLAGS=-u as an error naming GOFLAGS, and its fix removes it."""
    for value in ("-u", "-ldflags=-s -w", "-json"):
        refused = sandbox.goenv_tui("set", f"GOFLAGS={value}", "--yes")
        assert refused.returncode == 2 and "also a flag of `go env`" in refused.stderr
    sandbox.go_env_file.parent.mkdir(parents=True, exist_ok=True)
    sandbox.go_env_file.write_bytes(b"GOFLAGS=-u\nGOPATH=/srv/keep\n")
    findings = sandbox.doctor_findings()
    (found,) = [f for f in findings if f["id"] == "goflags-go-env-flag"]
    assert (found["severity"], found["variable"]) == ("error", "GOFLAGS")
    done = sandbox.goenv_tui("fix", "goflags-go-env-flag", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert sandbox.go_env_file.read_bytes() == b"GOPATH=/srv/keep\n"
