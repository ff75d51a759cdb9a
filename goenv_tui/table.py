"""Plain-text rendering of `show` for terminals 80 columns wide (no Rich: pipes and CI)."""

from __future__ import annotations

from collections.abc import Mapping

from goenv_tui.core.explain import LAYER_LABEL, flag_marks, short_where, tilde_text
from goenv_tui.core.model import Variable
from goenv_tui.core.paths import clip, clip_location, tilde
from goenv_tui.core.resolve import Resolution


def header(res: Resolution, home: str | None) -> list[str]:
    """The lines above the table: which go answered, which shell was read and how."""
    go = res.go
    out: list[str] = []
    if go.path:
        ver = go.version or "?"
        if go.local_version and go.version and go.local_version != go.version:
            ver = f"{go.version} (switched from {go.local_version} by GOTOOLCHAIN)"
        out.append(f"go:    {tilde(go.path, home)}  {ver}")
    else:
        out.append("go:    not found on PATH")
    if go.error:
        out.append(f"error: {go.error}")
    if len(go.on_path) > 1:
        others = ", ".join(f"{tilde(b.path, home)} ({b.version or '?'})" for b in go.on_path[1:])
        out.append(f"also:  {others} (later on PATH, not used)")
    if go.env_file is not None:
        out.append(f"file:  {tilde(go.env_file, home) if go.env_file else 'GOENV=off'}")
    sh = res.shell
    how = "traced" if sh.traced else "read statically (values uncertain)"
    out.append(f"shell: {sh.shell} {sh.mode}, {how}")
    if sh.error:
        out.append(f"note:  {tilde_text(sh.error, home)}")
    out.extend(f"note:  {w}" for w in res.warnings)
    return out


def table(
    variables: Mapping[str, Variable],
    home: str | None,
    width: int = 80,
    reasons: Mapping[str, str] | None = None,
) -> list[str]:
    """NAME VALUE LAYER WHERE, fitting `width` columns."""
    if not variables:
        return []
    name_w = min(max(len("NAME"), *(len(n) for n in variables)), 16)
    rows: list[tuple[str, str, str, str]] = []
    for name, var in variables.items():
        src = var.source
        layer = LAYER_LABEL.get(src.layer, src.layer) if src else "-"
        value = var.value if src is not None else "?"
        rows.append((name, value, layer + flag_marks(var), short_where(src, home)))
    # "default!?" fits (marks are never cut), and so does the header
    layer_w = min(max(len("LAYER"), *(len(r[2]) for r in rows)), 10)
    where_w = min(max((len(r[3]) for r in rows), default=0), 26)
    value_w = max(width - name_w - layer_w - where_w - 6, 12)
    out = [f"{'NAME':<{name_w}}  {'VALUE':<{value_w}}  {'LAYER':<{layer_w}}  WHERE".rstrip()]
    for name, value, layer, loc in rows:
        line = (
            f"{clip(name, name_w):<{name_w}}  {clip(value, value_w):<{value_w}}  "
            f"{clip(layer, layer_w):<{layer_w}}  {clip_location(loc, where_w)}"
        )
        out.append(line.rstrip())
        if reasons and name in reasons:
            out.append(clip(f"{'':<{name_w}}  ↳ {reasons[name]}", width))
    return out


LEGEND = "! stale (a fresh shell differs)  ∅ empty: go ignores it  ? uncertain (not traced)"
