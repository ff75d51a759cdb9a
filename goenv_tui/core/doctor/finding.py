"""A finding: what is wrong, how sure, the evidence, and the fix when a safe one exists."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from goenv_tui.core.model import ChainEntry
from goenv_tui.core.plan.change import Change

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SCHEMA = "goenv-tui/doctor/1"


@dataclass(frozen=True)
class Fix:
    """Staged changes that repair a finding (they go through preview and the journal)."""

    summary: str
    changes: tuple[Change, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"summary", "changes"}`` as design.md's doctor/1 object has it."""
        return {"summary": self.summary, "changes": [c.to_json() for c in self.changes]}


@dataclass(frozen=True)
class Finding:
    """One diagnosis. ``id`` is stable kebab-case: the rule, then the variable."""

    id: str
    severity: str
    variable: str | None
    message: str  # what is wrong and why, in plain sentences
    source: ChainEntry | None = None
    evidence: tuple[str, ...] = ()  # file:line, go's own error text
    fix: Fix | None = None
    rule: str = field(default="", compare=False)
    recommended: bool = field(default=False, compare=False)  # the one fix to take for it

    def to_json(self) -> dict[str, Any]:
        """One element of doctor/1's ``findings``."""
        return {
            "id": self.id,
            "severity": self.severity,
            "variable": self.variable,
            "message": self.message,
            "evidence": list(self.evidence),
            "source": None if self.source is None else self.source.to_json(),
            "fix": None if self.fix is None else self.fix.to_json(),
            "recommended": self.recommended,
        }


def finding_id(rule: str, variable: str | None) -> str:
    """``goenv-shadowed-goflags``: the rule and the variable, kebab-case."""
    if variable is None:
        return rule
    return f"{rule}-{variable.lower().replace('_', '-')}"


#: Which rule's fix to take first when several findings about one variable have one: the
#: cause before its symptoms (go failing, then the value that hides the go env file's).
_FIX_FIRST = ("go-fails", "goenv-shadowed", "goenv-shadowed-by-session")


def order(findings: list[Finding]) -> list[Finding]:
    """Grouped by variable (the group with the worst finding first; a finding about no
    variable is a group of its own), no duplicate ids; in a group, the recommended fix first,
    then by severity and id. Exactly one fixable finding per variable is ``recommended``."""
    seen: dict[str, Finding] = {}
    for f in sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.id)):
        seen.setdefault(f.id, f)
    groups: dict[str, list[Finding]] = {}
    for f in seen.values():  # worst first, so a group's first finding is its worst
        groups.setdefault(f.variable or f"\0{f.id}", []).append(f)
    out: list[Finding] = []
    for group in groups.values():
        fixable = [f for f in group if f.fix is not None and f.fix.changes]
        best = min(fixable, key=_fix_rank, default=None)
        marked = [replace(f, recommended=f is best) for f in group]
        out.extend(sorted(marked, key=lambda f: not f.recommended))
    return out


def _fix_rank(f: Finding) -> tuple[int, int, str]:
    rule = f.rule or f.id
    first = next((k for k, r in enumerate(_FIX_FIRST) if rule.startswith(r)), len(_FIX_FIRST))
    return SEVERITIES.index(f.severity), first, f.id
