"""The doctor: pure rules over the chains and the probe's facts -> findings with fixes.

``finding`` (Finding, Fix, severities, ids), ``facts`` (what rules see), ``rules_values``
(validate() on every user-set value; what makes go fail), ``rules_go`` (GOROOT, go.env, several
gos, PATH), ``rules_layers`` (shadowed go env values, misread lines, stale sessions, the
interactive guard), ``globs`` (go's module path patterns), ``report`` (the 80-column text).
:func:`diagnose` runs them all.

Finding ids (``<var>`` is the variable in lower case, ``_`` as ``-``; ``N`` a line number):

- go cannot run: ``go-fails-<var>`` (the value go's own error names), ``go-fails`` (nothing
  explains it), ``go-not-found``;
- values (validate() codes): ``gosumdb-url``, ``gosumdb-key``, ``goproxy-missing-scheme``,
  ``goflags-insecure``, ``go111module-off``, ``cgo-enabled-ignored``, ``goamd64-ignored``,
  ``glob-list-spaces-<var>``, ``glob-scheme-<var>``, ``empty-masks-default-<var>``,
  ``goproxy-credentials``, ``gosumdb-off``, ``not-supported-<var>``, ... ;
  ``goinsecure-checksums`` (GOINSECURE paths no GONOSUMDB/GOPRIVATE entry covers);
- GOROOT and go: ``goroot-missing``, ``goroot-not-go``, ``goroot-mismatch``, ``goroot-in-file``,
  ``goroot-exported`` (``goroot-managed`` when a tool owns the line), ``goroot-go-env-missing``,
  ``multiple-go``, ``toolchain-switch``, ``gopath-is-goroot``, ``gobin-not-on-path``;
- layers: ``goenv-shadowed-<var>``, ``goenv-shadowed-by-session-<var>``,
  ``empty-export-ignored-<var>``, ``goenv-line-ignored-<var>-line-N``,
  ``goenv-line-misread-<var>-line-N``, ``goenv-os-only-<var>-line-N``,
  ``goenv-duplicate-<var>``, ``goenv-wrong-file``, ``goenv-file-readable``,
  ``credentials-readable-<var>``, ``stale-session-<var>``, ``after-interactive-guard-<var>``,
  ``computed-set-<var>`` (a value set for a variable go computes itself),
  ``go-not-on-path-remote`` (`ssh host cmd` and `bash -c` find no go on their PATH),
  ``not-supported-<var>`` (a value for a variable this go does not know yet),
  ``telemetry-set-gotelemetry`` (GOTELEMETRY in the go env file: go reads its mode file).

Severity: error = something is or will be broken; warning = likely not what the user wants;
info = worth knowing.
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
    computed_set,
    empty_export,
    go_missing_remotely,
    goenv_file_readable,
    goenv_lines,
    goenv_shadowed,
    goenv_wrong_file,
    stale_session,
    telemetry_set,
    unknown_here,
)
from goenv_tui.core.doctor.rules_values import value_rules
from goenv_tui.core.redact import Redactor
from goenv_tui.core.resolve import Options, Resolution

__all__ = [
    "ERROR",
    "INFO",
    "SCHEMA",
    "WARNING",
    "Facts",
    "Finding",
    "Fix",
    "diagnose",
    "diagnose_live",
]


def diagnose(
    res: Resolution,
    env: Mapping[str, str],
    remote: Mapping[str, str | None] | None = None,
) -> list[Finding]:
    """Every finding, errors first. No writes, and no subprocess but validate()'s one (a
    CGO_*FLAGS value shown to the C compiler, as the acting user, cached); it reads ``res``,
    ``env``, ``remote``, the files the chains name, and a few file facts (a GOROOT's VERSION
    and go.env, file modes, the GOBIN folder's listing)."""
    facts = Facts(res, env, remote)
    found = [*value_rules(facts), *goroot_rules(facts)]
    explained = any(f.rule == "go-fails" for f in found)
    found += go_fails_unexplained(facts, explained)
    for rule in (
        several_gos,
        path_rules,
        goenv_shadowed,
        empty_export,
        goenv_lines,
        goenv_wrong_file,
        goenv_file_readable,
        stale_session,
        after_interactive_guard,
        go_missing_remotely,
        computed_set,
        unknown_here,
        telemetry_set,
    ):
        found += rule(facts)
    return order(_no_fix_against(_editable_fixes(found, facts.home)))


def _editable_fixes(found: list[Finding], home: str) -> list[Finding]:
    """No fix that edits a startup line goenv-tui does not edit (a tool's, or one that sets
    the name through code it runs): `fix` would only be refused."""
    from dataclasses import replace

    from goenv_tui.core.model import ChainEntry
    from goenv_tui.core.plan.build import line_editable
    from goenv_tui.core.plan.change import LINE

    out = []
    for f in found:
        changes = f.fix.changes if f.fix is not None else ()
        for c in changes:
            if c.place is None or c.place.kind != LINE or not c.place.path:
                continue
            source = f.source
            if source is not None and source.layer != "startup":
                continue  # a line in the go env file: goenv-tui rewrites those itself
            at_line = (
                source is not None and source.file == c.place.path and source.line == c.place.line
            )
            entry = (
                source
                if source is not None and at_line
                else ChainEntry("startup", "", file=c.place.path, line=c.place.line)
            )
            if not line_editable(c.name, entry, home):
                f = replace(f, fix=None)
                break
        out.append(f)
    return out


def _no_fix_against(found: list[Finding]) -> list[Finding]:
    """Drop a fix that would make another finding about its variable worse: moving a line
    that hides the go env file's value above the interactive guard spreads the hiding to
    `ssh host cmd` and scripts."""
    from dataclasses import replace

    hidden = {f.variable: f.id for f in found if f.rule == "goenv-shadowed" and f.variable}
    out = []
    for f in found:
        if f.rule == "after-interactive-guard" and f.variable in hidden and f.fix is not None:
            f = replace(
                f,
                fix=None,
                message=f.message + f" Take {hidden[f.variable]}'s fix first: moving this line "
                "would make it hide the go env file's value from ssh and scripts too.",
            )
        out.append(f)
    return out


def diagnose_live(res: Resolution, opts: Options, *, check_fixes: bool = True) -> list[Finding]:
    """:func:`diagnose` of a live resolution, with what `ssh host cmd` gets (a traced
    non-interactive shell, for the interactive-guard rule) when the login shell was traced.

    ``check_fixes``: each recommended fix is predicted for real, and one that would make
    another finding worse is not offered (see ``fixcheck``); a prediction per fix.
    """
    from goenv_tui.core.remote import remote_env

    names = [*res.shell.final_env, "PATH"]  # (PATH: does `ssh host go ...` find go at all)
    remote = remote_env(opts, names) if res.shell.traced else None
    found = diagnose(res, opts.env, remote)
    if not check_fixes:
        return found
    from goenv_tui.core.doctor.fixcheck import checked_fixes

    return checked_fixes(found, res, opts)


def to_json(findings: list[Finding]) -> dict[str, object]:
    """The doctor/1 object."""
    return {"schema": SCHEMA, "findings": [f.to_json() for f in findings]}


def snapshot_findings(
    findings: list[Finding], res: Resolution, redactor: Redactor | None
) -> list[dict[str, Any]]:
    """The findings as a snapshot of ``res`` keeps them, through the snapshot's redactor
    (which first learns every value of ``res``: a private host in a message is hidden too)."""
    from goenv_tui.core.snapshot import learn_values

    out = [f.to_json() for f in findings]
    if redactor is None:
        return out
    learn_values(res, redactor)
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
