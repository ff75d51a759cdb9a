"""Compare two snapshots: go version, values, sources and findings."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from goenv_tui.core.explain import where
from goenv_tui.core.model import ChainEntry
from goenv_tui.core.snapshot import Snapshot


@dataclass(frozen=True)
class Difference:
    """One thing that differs between A and B (None: absent on that side)."""

    kind: str  # "go" | "shell" | "variable" | "finding"
    name: str  # e.g. "version", "GOPROXY", a finding id
    field: str  # "value" | "source" | "present" | ...
    a: str | None
    b: str | None


# GOGCCFLAGS holds a fresh /tmp/go-build<random> on every run of go: not a difference.
_GO_BUILD_DIR = re.compile(r"/go-build\d+")


def _comparable(name: str, value: str) -> str:
    return _GO_BUILD_DIR.sub("/go-build*", value) if name == "GOGCCFLAGS" else value


def _source(entry: ChainEntry | None) -> str | None:
    if entry is None:
        return None
    return f"{entry.layer} {where(entry, None)}" if entry.layer != "default" else "default"


def diff(a: Snapshot, b: Snapshot) -> list[Difference]:
    """Everything that differs, go first, then variables by name, then findings."""
    out: list[Difference] = []
    ga, gb = a.resolution.go, b.resolution.go
    for name in ("version", "local_version", "error"):
        va, vb = getattr(ga, name), getattr(gb, name)
        if va != vb:
            out.append(Difference("go", name, "value", va, vb))
    sa, sb = a.resolution.shell, b.resolution.shell
    if sa.shell != sb.shell:
        out.append(Difference("shell", "name", "value", sa.shell, sb.shell))
    va_all, vb_all = a.resolution.variables, b.resolution.variables
    for name in sorted(set(va_all) | set(vb_all)):
        x, y = va_all.get(name), vb_all.get(name)
        if x is None or y is None:
            out.append(
                Difference(
                    "variable",
                    name,
                    "present",
                    None if x is None else x.value,
                    None if y is None else y.value,
                )
            )
            continue
        if _comparable(name, x.value) != _comparable(name, y.value):
            out.append(Difference("variable", name, "value", x.value, y.value))
        if _source(x.source) != _source(y.source):
            out.append(Difference("variable", name, "source", _source(x.source), _source(y.source)))
        if sorted(x.flags) != sorted(y.flags):
            out.append(
                Difference(
                    "variable", name, "flags", ",".join(sorted(x.flags)), ",".join(sorted(y.flags))
                )
            )
    fa = {str(f.get("id")): f for f in a.findings}
    fb = {str(f.get("id")): f for f in b.findings}
    for fid in sorted(set(fa) | set(fb)):
        if (fid in fa) != (fid in fb):
            out.append(
                Difference(
                    "finding",
                    fid,
                    "present",
                    str(fa[fid].get("severity")) if fid in fa else None,
                    str(fb[fid].get("severity")) if fid in fb else None,
                )
            )
    return out


def diff_json(diffs: list[Difference], a_label: str, b_label: str) -> dict[str, Any]:
    """The `diff --json` object."""
    return {
        "schema": "goenv-tui/diff/1",
        "a": a_label,
        "b": b_label,
        "equal": not diffs,
        "differences": [asdict(d) for d in diffs],
    }


def diff_text(diffs: list[Difference], a_label: str, b_label: str) -> str:
    """A readable report: one block per difference, A above B."""
    if not diffs:
        return f"No differences between {a_label} and {b_label}."
    lines = [f"A: {a_label}", f"B: {b_label}", ""]
    for d in diffs:
        head = f"{d.name}" if d.kind == "variable" else f"{d.kind} {d.name}"
        what = {"present": "present", "value": "value", "source": "set by", "flags": "flags"}
        lines.append(f"{head} ({what.get(d.field, d.field)} differs)")
        lines.append(f"  A: {'(absent)' if d.a is None else repr(d.a)}")
        lines.append(f"  B: {'(absent)' if d.b is None else repr(d.b)}")
    lines.append("")
    lines.append(f"{len(diffs)} difference(s).")
    return "\n".join(lines)
