"""The doctor's findings as text for an 80-column terminal."""

from __future__ import annotations

import textwrap

from goenv_tui.core.doctor.finding import ERROR, INFO, WARNING, Finding
from goenv_tui.core.paths import clip

MARK = {ERROR: "✗ error", WARNING: "! warning", INFO: "i info"}


def render(findings: list[Finding], width: int = 80) -> str:
    """Each finding: severity, id and variable, the message wrapped, evidence, the fix."""
    if not findings:
        return "No problems found: the Go environment looks right.\n"
    out: list[str] = []
    counts = {s: sum(f.severity == s for f in findings) for s in (ERROR, WARNING, INFO)}
    out.append(", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n))
    for f in findings:
        out.append("")
        head = f"{MARK[f.severity]}  {f.id}"
        out.append(head + (f"  ({f.variable})" if f.variable else ""))
        out.extend(
            textwrap.wrap(f.message, width - 4, initial_indent="    ", subsequent_indent="    ")
        )
        out.extend(clip(f"    at: {ev}", width) for ev in f.evidence)
        if f.fix is not None:
            label = "fix (recommended)" if f.recommended else "fix"
            out.append(clip(f"    {label}: {f.fix.summary}", width))
            out.append(f"    {' ' * len(label)}  goenv-tui fix {f.id}")
    return "\n".join(out) + "\n"
