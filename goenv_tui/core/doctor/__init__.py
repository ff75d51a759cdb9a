"""The doctor: pure rules over the chains and the probe's facts -> findings with fixes.

``finding`` (Finding, Fix, severities, ids), ``facts`` (what rules see), ``rules_values``
(validate() on every user-set value; what makes go fail), ``rules_go`` (GOROOT, several gos,
PATH), ``rules_layers`` (shadowed go env values, misread lines, stale sessions, the interactive
guard), ``report`` (the 80-column text). :func:`diagnose` runs them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from goenv_tui.core.doctor.facts import Facts
from goenv_tui.core.doctor.finding import ERROR, INFO, SCHEMA, WARNING, Finding, Fix, order
from goenv_tui.core.doctor.rules_go import (
    go_fails_unexplained,
    goroot_rules,
    path_rules,
    several_gos,
)
from goenv_tui.core.doctor.rules_layers import (
    after_interactive_guard,
    goenv_file_readable,
    goenv_lines,
    goenv_shadowed,
    stale_session,
)
from goenv_tui.core.doctor.rules_values import value_rules
from goenv_tui.core.redact import Redactor
from goenv_tui.core.resolve import Resolution

__all__ = ["ERROR", "INFO", "SCHEMA", "WARNING", "Facts", "Finding", "Fix", "diagnose"]


def diagnose(
    res: Resolution,
    env: Mapping[str, str],
    remote: Mapping[str, str | None] | None = None,
) -> list[Finding]:
    """Every finding, errors first. Pure: reads only ``res``, ``env``, ``remote`` and the
    files the chains name."""
    facts = Facts(res, env, remote)
    found = list(value_rules(facts))
    explained = any(f.rule == "go-fails" for f in found)
    found += go_fails_unexplained(facts, explained)
    for rule in (
        goroot_rules,
        several_gos,
        path_rules,
        goenv_shadowed,
        goenv_lines,
        goenv_file_readable,
        stale_session,
        after_interactive_guard,
    ):
        found += rule(facts)
    return order(found)


def to_json(findings: list[Finding]) -> dict[str, object]:
    """The doctor/1 object."""
    return {"schema": SCHEMA, "findings": [f.to_json() for f in findings]}


def snapshot_findings(findings: list[Finding], redactor: Redactor | None) -> list[dict[str, Any]]:
    """The findings as a snapshot keeps them, through the snapshot's redactor."""
    out = [f.to_json() for f in findings]
    if redactor is None:
        return out
    for f in out:
        field = f"findings.{f['id']}"
        f["message"] = redactor.text(f["message"], field)
        f["evidence"] = [redactor.text(e, field) for e in f["evidence"]]
        src = f["source"]
        if src is not None:
            src["value"] = redactor.value(f["variable"], src["value"], field)
            if "file" in src:
                src["file"] = redactor.text(src["file"], field)
            if "note" in src:
                src["note"] = redactor.text(src["note"], field)
        if f["fix"] is not None:
            f["fix"]["summary"] = redactor.text(f["fix"]["summary"], field)
            for c in f["fix"]["changes"]:
                if c["value"] is not None:
                    c["value"] = redactor.value(c["name"], c["value"], field)
                if c["place"] is not None:
                    c["place"] = redactor.text(c["place"], field)
    return out
