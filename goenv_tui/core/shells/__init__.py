"""Startup attribution: which shell startup file:line set each watched variable.

`trace_startup` runs the user's shell under xtrace in a sandbox (docs/shell-provenance.md §2)
and falls back to a static tree-sitter reading when tracing is off or impossible.
"""

from __future__ import annotations

from .startup import trace_startup

__all__ = ["trace_startup"]
