"""The edit mode's refusals: one sentence, nothing staged or changed."""

from __future__ import annotations


class PlanError(Exception):
    """A change cannot be planned (bad input, a refused value, a file that cannot be edited)."""


class NeedsRoot(PlanError):
    """A file of the plan can only be changed by root; ``path`` names it."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path
