"""A startup file that turns tracing off is reported as uncertain, never as the wrong line."""

from __future__ import annotations

import json

import pytest

from .conftest import Sandbox


@pytest.mark.parametrize("off", ["set +x", "set +o xtrace", "set +eux"])
def test_an_assignment_made_with_tracing_off_names_no_line(sandbox: Sandbox, off: str) -> None:
    sandbox.write(
        ".profile",
        f"export GOFLAGS=-mod=mod\n{off}\nexport GOPATH=/srv/hidden\nset -x\nexport GOBIN=/srv/b\n",
    )
    done = sandbox.goenv_tui("show", "--json", "GOPATH", "GOBIN")
    assert done.returncode == 0, done.stderr
    variables = json.loads(done.stdout)["variables"]
    startup = [e for e in variables["GOPATH"]["chain"] if e["layer"] == "startup"]
    assert startup and all(e.get("line") is None for e in startup)  # not the `set +x` line 2
    assert all(e["state"] != "not-run" for e in startup)
    assert "uncertain" in variables["GOPATH"]["flags"]
    gobin = [e for e in variables["GOBIN"]["chain"] if e["layer"] == "startup"]
    assert [e.get("line") for e in gobin] == [5]  # traced again after set -x
    said = sandbox.goenv_tui("explain", "GOPATH").stdout
    assert "turned tracing off" in said
