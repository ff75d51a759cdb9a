"""The Markdown form of a snapshot: reads well pasted into a GitHub issue, and loads back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from goenv_tui.core.explain import LAYER_LABEL, where
from goenv_tui.core.textsafe import for_terminal

if TYPE_CHECKING:
    from goenv_tui.core.model import Variable
    from goenv_tui.core.snapshot import Snapshot


def _cell(text: str, limit: int = 80) -> str:
    """A table cell: code span, pipes escaped, long values cut."""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if not text:
        return ""
    ticks = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}".replace("|", "\\|")


def _row(var: Variable) -> str:
    src = var.source
    layer = LAYER_LABEL.get(src.layer, src.layer) if src else "-"
    loc = where(src, None) if src and src.layer != "default" else ""
    flags = ", ".join(var.flags)
    return f"| {var.name} | {_cell(var.value)} | {layer} | {_cell(loc, 60)} | {flags} |"


def markdown(snap: Snapshot, payload_json: str) -> str:
    """Summary table of what the user set, the rest in collapsible details, then the data."""
    res = snap.resolution
    m = snap.meta
    go = res.go
    sh = res.shell
    lines = [
        "### Go environment (goenv-tui snapshot)",
        "",
        f"`{m.get('tool', 'goenv-tui')}` · {m.get('created', '?')} · "
        f"{m.get('os', '?')}/{m.get('arch', '?')} · go `{go.version or 'not found'}`"
        + (f" (local `{go.local_version}`)" if go.local_version not in (None, go.version) else "")
        + f" · {sh.shell} {'traced' if sh.traced else 'read statically'}"
        + f" · {'redacted' if snap.redacted else '**not redacted**'}",
        "",
    ]
    if go.error:
        lines += [f"> **go error:** {_cell(go.error, 300)}", ""]
    set_vars = [v for _, v in sorted(res.variables.items()) if v.user_set]
    lines += ["| Variable | Value | Layer | Where | Flags |", "|---|---|---|---|---|"]
    lines += [_row(v) for v in set_vars] or ["| (none) | | | | |"]
    lines += ["", f"<details><summary>All {len(res.variables)} variables</summary>", ""]
    lines += ["| Variable | Value | Layer | Where | Flags |", "|---|---|---|---|---|"]
    lines += [_row(v) for _, v in sorted(res.variables.items())]
    lines += ["", "</details>", "", "<details><summary>Chains (lowest precedence first)</summary>"]
    lines += ["", "```text"]
    for name, var in sorted(res.variables.items()):
        if len(var.chain) < 2:
            continue
        lines.append(f"{name} = {var.value!r}")
        for e in var.chain:
            lines.append(f"  {e.state:<9} {e.layer:<8} {where(e, None):<34} {e.value!r}")
    lines += ["```", "", "</details>", ""]
    if snap.findings:
        lines += ["<details><summary>Findings</summary>", ""]
        lines += [
            f"- **{f.get('severity', '?')}** `{f.get('id', '?')}`: {f.get('message', '')}"
            for f in snap.findings
        ]
        lines += ["", "</details>", ""]
    if snap.redactions:
        lines += [f"<details><summary>Redacted ({len(snap.redactions)})</summary>", ""]
        lines += [f"- `{r['field']}`: {r['reason']}" for r in snap.redactions]
        lines += ["", "</details>", ""]
    from goenv_tui.core.snapshot import MD_BEGIN

    # The human part is read in browsers and terminals: controls and stray bytes escaped.
    lines = [for_terminal("\n".join(lines), keep="\n")]
    lines += [
        "<details><summary>Machine-readable (open with <code>goenv-tui --snapshot FILE</code>)"
        "</summary>",
        "",
        MD_BEGIN,
        "",
        "```json",
        payload_json,
        "```",
        "",
        "</details>",
        "",
    ]
    return "\n".join(lines)
