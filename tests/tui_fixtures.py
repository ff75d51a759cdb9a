"""A fixed, realistic probe result for deterministic TUI tests and snapshots.

tests/data/resolution.json was recorded with `goenv-tui show --json` over a sandbox HOME
(go 1.27.3, bash, a stale GOFLAGS, a ~/.bashrc GOPROXY over the go env file's, ignored
lines) and its paths normalised to /home/gopher and /usr/local/go; tests/data/findings.json
is what the doctor said about it (doctor/1 findings: three warnings, one fixable, and an info).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from goenv_tui.core.background import ProbeResult
from goenv_tui.core.changed import emulated_changed
from goenv_tui.core.doctor import Finding
from goenv_tui.core.gohelp import parse_help
from goenv_tui.core.model import Variable
from goenv_tui.core.plan.build import FilePlan, Plan, Step
from goenv_tui.core.plan.change import LINE, SET, Change, Place
from goenv_tui.core.plan.workflow import Preview
from goenv_tui.core.plan.world import Prediction
from goenv_tui.core.resolve import Options, resolution_from_json
from goenv_tui.core.txn import TxFile, TxRecord
from goenv_tui.ui.findings import from_snapshot

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


def fixture_finding_dicts() -> list[dict[str, Any]]:
    """The doctor's findings about the recorded resolution, as a snapshot keeps them."""
    data: list[dict[str, Any]] = json.loads((DATA / "findings.json").read_text())
    return data


def fixture_findings() -> list[Finding]:
    """The same findings as the doctor returns them (fixed data: the doctor does not run)."""
    return from_snapshot(fixture_finding_dicts(), HOME)


def fixture_env() -> dict[str, str]:
    """The environment the app is told it runs in."""
    return {"HOME": HOME, "PATH": "/usr/local/go/bin:/usr/bin:/bin", "TERM": "xterm-256color"}


def fixture_options() -> Options:
    """Probe options pointing at the fixture HOME (the export screen shows the folder)."""
    return Options(env=fixture_env(), cwd=HOME)


# -- the edit mode: a fixed preview and history (no probe, no real file, no clock) ----------

BASHRC_BEFORE = (
    b"# ~/.bashrc\nexport GOPROXY=https://proxy.corp.example,direct\nexport GOPATH=$HOME/work\n"
)
NEW_PROXY = "https://goproxy.example,direct"


def fixture_preview() -> Preview:
    """Set GOPROXY where it takes effect (~/.bashrc:2), predicted, with an ssh warning."""
    result = fixture_result()
    before = result.resolution
    assert before is not None
    before.shell.final_env["GOPROXY"] = "https://proxy.corp.example,direct"
    bashrc = f"{HOME}/.bashrc"
    change = Change(SET, "GOPROXY", NEW_PROXY)
    step = Step(change, Place(LINE, bashrc, 2), f"export GOPROXY={NEW_PROXY}")
    new = BASHRC_BEFORE.replace(b"https://proxy.corp.example,direct", NEW_PROXY.encode())
    plan = Plan([step], [FilePlan(bashrc, BASHRC_BEFORE, new, "startup file")])
    data = before.variables["GOPROXY"].to_json()
    data["value"] = data["source"]["value"] = data["chain"][-1]["value"] = NEW_PROXY
    after = Variable.from_json("GOPROXY", data)
    prediction = Prediction({"GOPROXY": after}, {"GOPROXY": NEW_PROXY}, {"GOPROXY": None})
    return Preview(plan, before, prediction, HOME)


def fixture_history() -> list[TxRecord]:
    """Three committed transactions, newest first (fixed ids and times)."""
    bashrc, goenv = f"{HOME}/.bashrc", f"{HOME}/.config/go/env"
    first = TxRecord(
        "20250301T091500000000Z-1a2b3c",
        "2025-03-01T09:15:00+00:00",
        f"set GOPRIVATE=*.corp.example → {goenv}",
        (TxFile(goenv, goenv, False, None, "0" * 64),),
    )
    second = TxRecord(
        "20250301T101500000000Z-4d5e6f",
        "2025-03-01T10:15:00+00:00",
        f"set GOPROXY={NEW_PROXY} → {bashrc}:2; unset GOFLAGS → {goenv}",
        (
            TxFile(bashrc, bashrc, True, BASHRC_BEFORE, "1" * 64),
            TxFile(goenv, goenv, True, b"GOFLAGS=-mod=mod\n", "2" * 64),
        ),
    )
    third = TxRecord(
        "20250302T080000000000Z-7a8b9c",
        "2025-03-02T08:00:00+00:00",
        f"Roll back: {second.description}",
        second.files,
        rollback_of=second.txid,
    )
    return [third, second, first]
