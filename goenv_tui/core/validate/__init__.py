"""Validate a proposed Go variable value before anything is written.

`validate()` is static and fast (no subprocess but one: CGO_*FLAGS are shown to the C
compiler in effect, as the acting user, once per value): it knows what `go env -w` refuses
(cmd/go/internal/envcmd checkEnvWrite, runEnvW) and, more importantly, what it accepts
although the next go command, build or download then fails or silently ignores it.
The rules follow the go 1.21.13 and 1.27.3 sources; `go_version` picks the version-
dependent ones (None: the newest rules). `go_accepts()` asks a real go instead, on a
scratch GOENV file, and reports go's own refusal.
"""

from __future__ import annotations

from goenv_tui.core.validate.problem import ERROR, TARGETS, WARNING, Problem, refusal
from goenv_tui.core.validate.realgo import go_accepts
from goenv_tui.core.validate.rules_build import port_problem
from goenv_tui.core.validate.run import validate

__all__ = [
    "ERROR",
    "TARGETS",
    "WARNING",
    "Problem",
    "go_accepts",
    "port_problem",
    "refusal",
    "validate",
]
