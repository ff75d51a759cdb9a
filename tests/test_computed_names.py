"""Variables go computes itself (GOVERSION, GOEXE, GOMOD, ...): a value a layer sets for
them is ignored by go, so it is shown as ignored, never as deciding, with a finding."""

from __future__ import annotations

import json

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
    findings = json.loads(sandbox.goenv_tui("doctor", "--json").stdout)["findings"]
    ids = {f["id"] for f in findings}
    assert {"computed-set-goversion", "computed-set-goexe", "computed-set-gomod"} <= ids
    assert not [i for i in ids if i.startswith("goenv-line-ignored")], ids
    done = sandbox.goenv_tui("fix", "computed-set-goversion", "--yes")  # go env -u refuses
    assert done.returncode == 0, done.stdout + done.stderr
    assert sandbox.go_env_file.read_bytes() == b"GOEXE=.x\nGOPATH=/srv/keep\n"
