"""The doctor's findings for the TUI, Textual-free: the app runs :func:`examine` in a thread
worker, reads a snapshot's findings back with :func:`from_snapshot`, and asks
:func:`fix_choice` which finding `f` means.

The doctor itself is imported only when first used (it pulls in the validators): not on the
way to the first paint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from goenv_tui.core.doctor import Finding
    from goenv_tui.core.resolve import Options, Resolution

#: A severity's mark: readable without colour (the same marks as `goenv-tui doctor`).
MARK = {"error": "✗", "warning": "!", "info": "i"}
#: Severities, worst first.
ORDER = ("error", "warning", "info")


def examine(res: Resolution, opts: Options) -> tuple[list[Finding], str | None]:
    """The findings for ``res`` (with what `ssh host cmd` gets, as `goenv-tui doctor` does),
    or the sentence why the doctor could not run. Slow (a traced shell): worker side only."""
    try:
        from goenv_tui.core.doctor import diagnose_live

        return [as_keys_finding(f) for f in diagnose_live(res, opts)], None
    except Exception as exc:  # the doctor must never take the explorer down with it
        return [], f"The doctor failed ({exc!r}); the table is still right."


def as_keys_finding(finding: Finding) -> Finding:
    """``finding`` with each suggested command said as the TUI's keys for it."""
    from dataclasses import replace

    from goenv_tui.core.advice import as_keys

    fix = finding.fix
    if fix is not None:
        fix = replace(fix, summary=as_keys(fix.summary))
    return replace(finding, message=as_keys(finding.message), fix=fix)


def from_snapshot(items: Iterable[Mapping[str, Any]], home: str) -> list[Finding]:
    """A snapshot's findings (doctor/1 dicts) as findings, worst first; entries that are not
    one (or repeat an id) are skipped, a fix whose changes cannot be read keeps its summary
    (a snapshot is read-only anyway)."""
    from goenv_tui.core.doctor.finding import SEVERITIES, Finding, Fix
    from goenv_tui.core.model import ChainEntry
    from goenv_tui.core.plan.change import Change
    from goenv_tui.core.plan.errors import PlanError

    out: list[Finding] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            continue
        if item["id"] in seen:  # ids are unique in what goenv-tui writes: keep the first
            continue
        seen.add(item["id"])
        severity, variable, evidence = (item.get(k) for k in ("severity", "variable", "evidence"))
        source = None
        if isinstance(item.get("source"), Mapping):
            try:
                source = ChainEntry.from_json(item["source"])
            except (KeyError, TypeError, ValueError):
                source = None
        fix = None
        raw_fix = item.get("fix")
        if isinstance(raw_fix, Mapping):
            changes: tuple[Change, ...] = ()
            try:
                changes = tuple(Change.from_json(c, home) for c in raw_fix.get("changes") or ())
            except (PlanError, AttributeError, TypeError):
                changes = ()
            fix = Fix(str(raw_fix.get("summary") or ""), changes)
        out.append(
            Finding(
                item["id"],
                severity if severity in SEVERITIES else "info",
                variable if isinstance(variable, str) else None,
                str(item.get("message") or ""),
                source,
                tuple(str(e) for e in evidence) if isinstance(evidence, list) else (),
                fix,
                recommended=item.get("recommended") is True,
            )
        )
    return sorted(out, key=lambda f: ORDER.index(f.severity))


def counts(findings: Sequence[Finding]) -> list[tuple[str, str]]:
    """``[("error", "✗ 1 error"), ("warning", "! 2 warnings")]``: the severities present."""
    out = []
    for sev in ORDER:
        n = sum(f.severity == sev for f in findings)
        if n:
            out.append((sev, f"{MARK[sev]} {n} {sev}{'s' if n != 1 else ''}"))
    return out


def worst_by_variable(findings: Sequence[Finding]) -> dict[str, str]:
    """Each variable a finding is about, with its worst severity (for the table's marks)."""
    out: dict[str, str] = {}
    for f in findings:
        if f.variable is None:
            continue
        now = out.get(f.variable)
        if now is None or ORDER.index(f.severity) < ORDER.index(now):
            out[f.variable] = f.severity
    return out


@dataclass(frozen=True)
class FixChoice:
    """What `f` does: stage ``finding``'s fix, or say ``sentence`` (a notification of
    ``severity``: information or warning)."""

    finding: Finding | None
    sentence: str = ""
    severity: str = "information"


def no_fix_sentence(finding: Finding) -> str:
    """There is no automatic fix, and the finding's own message (as `goenv-tui fix` says)."""
    return f"{finding.id} has no automatic fix; {finding.message}"


def fix_choice(
    findings: Sequence[Finding] | None, chosen: Finding | None, variable: str | None
) -> FixChoice:
    """The finding `f` fixes: ``chosen`` (highlighted in the findings list), else the one
    fixable finding about ``variable`` (the table's selection)."""
    if findings is None:
        return FixChoice(None, "The doctor is still checking; try f again in a moment.")
    if chosen is not None:
        if chosen.fix is None or not chosen.fix.changes:
            return FixChoice(None, no_fix_sentence(chosen), "warning")
        return FixChoice(chosen)
    mine = [f for f in findings if variable is not None and f.variable == variable]
    fixable = [f for f in mine if f.fix is not None and f.fix.changes]
    recommended = [f for f in fixable if f.recommended]
    if len(fixable) == 1 or recommended:
        return FixChoice((recommended or fixable)[0])
    if fixable:
        ids = ", ".join(f.id for f in fixable)
        return FixChoice(
            None, f"{variable} has {len(fixable)} fixable findings ({ids}): press d and choose one."
        )
    if mine:
        return FixChoice(None, no_fix_sentence(mine[0]), "warning")
    if variable is None:
        return FixChoice(None, "Select a variable or a finding first.")
    return FixChoice(None, f"The doctor has no finding about {variable}.")
