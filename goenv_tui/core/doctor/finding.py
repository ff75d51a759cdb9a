"""A finding: what is wrong, how sure, the evidence, and the fix when a safe one exists."""

from __future__ import annotations

from dataclasses import dataclass, field
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
        }


def finding_id(rule: str, variable: str | None) -> str:
    """``goenv-shadowed-goflags``: the rule and the variable, kebab-case."""
    if variable is None:
        return rule
    return f"{rule}-{variable.lower().replace('_', '-')}"


def order(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; by id within a severity; no duplicate ids."""
    seen: dict[str, Finding] = {}
    for f in sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.id)):
        seen.setdefault(f.id, f)
    return list(seen.values())
