"""A fixed, realistic probe result for deterministic TUI tests and snapshots.

tests/data/resolution.json was recorded with `goenv-tui show --json` over a sandbox HOME
(go 1.27.3, bash, a stale GOFLAGS, a ~/.bashrc GOPROXY over the go env file's, ignored
lines) and its paths normalised to /home/gopher and /usr/local/go.
"""

from __future__ import annotations

import json
from pathlib import Path

from goenv_tui.core.background import ProbeResult
from goenv_tui.core.changed import emulated_changed
from goenv_tui.core.gohelp import parse_help
from goenv_tui.core.resolve import Options, resolution_from_json

DATA = Path(__file__).resolve().parent / "data"
HOME = "/home/gopher"


def fixture_result(go_error: str | None = None) -> ProbeResult:
    """The recorded resolution, with go's own help text and the changed set."""
    res = resolution_from_json(json.loads((DATA / "resolution.json").read_text()))
    if go_error is not None:
        res.go.error = go_error
    help_texts = parse_help((DATA / "go-help-environment.txt").read_text())
    changed = emulated_changed(res.variables)
    return ProbeResult(res, changed, "emulated go 1.23+ rules", help_texts)


def fixture_env() -> dict[str, str]:
    """The environment the app is told it runs in."""
    return {"HOME": HOME, "PATH": "/usr/local/go/bin:/usr/bin:/bin", "TERM": "xterm-256color"}


def fixture_options() -> Options:
    """Probe options pointing at the fixture HOME (the export screen shows the folder)."""
    return Options(env=fixture_env(), cwd=HOME)
