"""Variables go computes itself (GOVERSION, GOEXE, GOMOD, ...): a value a layer sets for
them is ignored by go, so it is shown as ignored, never as deciding, with a finding."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Sandbox


def test_a_computed_variable_set_anywhere_is_ignored_and_reported(sandbox: Sandbox) -> None:
    sandbox.go_env_file.parent.mkdir(parents=True, exist_ok=True)
    sandbox.go_env_file.write_bytes(b"GOVERSION=go9\nGOEXE=.x\nGOPATH=/srv/keep\n")
    sandbox.env["GOMOD"] = "/x/go.mod"
    shown = json.loads(sandbox.goenv_tui("show", "--json", "GOVERSION", "GOEXE", "GOMOD").stdout)
    for name in ("GOVERSION", "GOEXE", "GOMOD"):
        var = shown["variables"][name]
        assert var["source"]["layer"] == "default", var["chain"]
        assert [e["state"] for e in var["chain"] if e["layer"] != "default"] == ["ignored"]
        assert "stale" not in var["flags"]
    assert shown["variables"]["GOVERSION"]["value"].startswith("go1.")
    findings = sandbox.doctor_findings()
    ids = {f["id"] for f in findings}
    assert {"computed-set-goversion", "computed-set-goexe", "computed-set-gomod"} <= ids
    assert not [i for i in ids if i.startswith("goenv-line-ignored")], ids
    done = sandbox.goenv_tui("fix", "computed-set-goversion", "--yes")  # go env -u refuses
    assert done.returncode == 0, done.stdout + done.stderr
    assert sandbox.go_env_file.read_bytes() == b"GOEXE=.x\nGOPATH=/srv/keep\n"


def test_gotelemetry_is_the_mode_file(sandbox: Sandbox) -> None:
    """go reads GOTELEMETRY from its mode file, not from the environment or the go env file."""
    mode = sandbox.home / ".config" / "go" / "telemetry" / "mode"
    mode.parent.mkdir(parents=True, exist_ok=True)
    mode.write_text("on\n")
    sandbox.env["GOTELEMETRY"] = "off"  # exported: go ignores it
    real = sandbox.run(["go", "env", "GOTELEMETRY"]).stdout.strip()
    shown = json.loads(sandbox.goenv_tui("show", "--json", "GOTELEMETRY").stdout)
    var = shown["variables"]["GOTELEMETRY"]
    assert var["value"] == real == "on"
    assert (var["source"]["layer"], var["source"]["file"]) == ("telemetry", str(mode))
    assert [e["state"] for e in var["chain"] if e["layer"] == "shell"] == ["ignored"]
    mode.unlink()
    real = sandbox.run(["go", "env", "GOTELEMETRY"]).stdout.strip()
    var = json.loads(sandbox.goenv_tui("show", "--json", "GOTELEMETRY").stdout)["variables"]
    assert var["GOTELEMETRY"]["value"] == real == "local"
    assert var["GOTELEMETRY"]["source"]["layer"] == "default"


def test_a_variable_this_go_does_not_know_is_not_set(tmp_path: Path, old_go_bin: Path) -> None:
    """go 1.21 has no GOFIPS140 or GOAUTH: a line for them is shown ignored, never as
    deciding nor as changed, and the doctor says why (its fix deletes the line)."""
    sb = Sandbox(tmp_path, old_go_bin)
    sb.go_env_file.parent.mkdir(parents=True, exist_ok=True)
    sb.go_env_file.write_bytes(b"GOFIPS140=latest\nGOAUTH=netrc\nGOPATH=/srv/keep\n")
    shown = json.loads(sb.goenv_tui("show", "--json", "GOFIPS140", "GOAUTH").stdout)
    for name in ("GOFIPS140", "GOAUTH"):
        var = shown["variables"][name]
        assert var["value"] == "" and var["source"] is None, var
        assert [e["state"] for e in var["chain"]] == ["ignored"]
    changed = sb.goenv_tui("show", "--changed").stdout
    assert "GOFIPS140" not in changed and "GOAUTH" not in changed and "GOPATH" in changed
    findings = {f["id"]: f for f in sb.doctor_findings()}
    assert findings["not-supported-gofips140"]["severity"] == "error"
    assert "go1.24" in findings["not-supported-gofips140"]["message"]
    done = sb.goenv_tui("fix", "not-supported-gofips140", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert sb.go_env_file.read_bytes() == b"GOAUTH=netrc\nGOPATH=/srv/keep\n"


def test_telemetry_lines_in_the_go_env_file_are_reported(sandbox: Sandbox) -> None:
    sandbox.go_env_file.parent.mkdir(parents=True, exist_ok=True)
    sandbox.go_env_file.write_bytes(b"GOTELEMETRY=on\nGOTELEMETRYDIR=/x\nGOPATH=/srv/keep\n")
    found = {f["id"]: f for f in sandbox.doctor_findings()}
    assert "`go telemetry on`" in found["telemetry-set-gotelemetry"]["message"]
    assert "computed-set-gotelemetrydir" in found
    assert not [i for i in found if i.startswith("goenv-line-ignored")], sorted(found)
    refused = sandbox.goenv_tui("set", "GOTELEMETRY=off")
    assert refused.returncode == 2 and "go telemetry on|off|local" in refused.stderr
    for fid in ("telemetry-set-gotelemetry", "computed-set-gotelemetrydir"):
        done = sandbox.goenv_tui("fix", fid, "--yes")
        assert done.returncode == 0, done.stdout + done.stderr
    assert sandbox.go_env_file.read_bytes() == b"GOPATH=/srv/keep\n"
