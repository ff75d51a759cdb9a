"""Findings as the user reads them: every secret hidden (URL passwords, tokens, -X values).

A finding's message and evidence quote values, go's error text and file lines; before it is
printed or shown (doctor, its --json, the TUI) it goes through a secrets-only redactor that has
first learnt every value of the resolution, so a password cut short by go's own parse error
(``invalid port ":pa"``) or split at ``/`` and ``,`` is hidden too. Fixes keep their real values
for applying; only the copy that is shown is redacted.
"""

from __future__ import annotations

from dataclasses import replace

from goenv_tui.core.doctor.finding import Finding, Fix
from goenv_tui.core.redact import Redactor, secrets_only
from goenv_tui.core.resolve import Resolution


def shown_findings(findings: list[Finding], res: Resolution | None) -> list[Finding]:
    """Copies of ``findings`` with their secrets redacted (for display and --json only)."""
    redactor = secrets_only()
    if res is not None:
        for name, var in res.variables.items():
            for value in (var.value, *(e.value for e in var.chain)):
                redactor.learn_secrets(name, value)
    return [_shown(f, redactor) for f in findings]


def _shown(finding: Finding, r: Redactor) -> Finding:
    field = f"findings.{finding.id}"
    source = finding.source
    if source is not None:
        source = replace(source, value=r.hide_learnt(source.value, field))
    fix = finding.fix
    if fix is not None:
        changes = tuple(
            c if c.value is None else replace(c, value=r.hide_learnt(c.value, field))
            for c in fix.changes
        )
        fix = Fix(r.hide_learnt(fix.summary, field), changes)
    return replace(
        finding,
        message=r.hide_learnt(finding.message, field),
        evidence=tuple(r.hide_learnt(e, field) for e in finding.evidence),
        source=source,
        fix=fix,
    )
