"""What a check reports: a Problem (severity, stable code, one sentence) and refusal()."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ERROR = "error"


WARNING = "warning"


TARGETS = ("goenv", "os")


#: The newest go whose rules are baked in; also the rules used when go_version is None.
NEWEST_MINOR = 27


@dataclass(frozen=True)
class Problem:
    """One finding about a proposed value."""

    severity: str  # "error" | "warning"
    code: str  # stable kebab-case identifier
    message: str  # one sentence: what, why, what instead


def refusal(problems: Iterable[Problem]) -> Problem | None:
    """The first error among `problems`, if any."""
    return next((p for p in problems if p.severity == ERROR), None)
