"""Rich renderables for layers, states and chains (shared by the table and the detail pane)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from goenv_tui.core.explain import LAYER_LABEL, origin, story, where
from goenv_tui.core.model import Variable
from goenv_tui.ui.findings import MARK

if TYPE_CHECKING:
    from goenv_tui.core.doctor import Finding

#: A state's marker and word (again: readable without colour).
STATE_LABEL = {
    "active": ("=>", "ACTIVE"),
    "shadowed": ("  ", "shadowed"),
    "not-run": ("  ", "not run"),
    "stale": ("!!", "STALE"),
    "ignored": (" x", "ignored"),
}

FACTS = (
    "An exported but empty value counts as unset: it cannot cancel the go env file.",
    "`go env -w` cannot beat a non-empty value from the environment (shell, PAM, session).",
)


def layer_badge(layer: str, colors: Mapping[str, str], marks: str = "") -> Text:
    """The layer word in its theme colour, with flag marks."""
    color = colors.get(f"layer-{layer}", "")
    return Text(LAYER_LABEL.get(layer, layer) + marks, style=f"bold {color}".strip())


def chain_lines(var: Variable, colors: Mapping[str, str], home: str | None) -> list[Text]:
    """The chain, lowest precedence first: marker, state, layer, where; the value below.

    Two lines per entry so that a narrow pane never has to fold a path into a value.
    """
    lines: list[Text] = []
    for entry in var.chain:
        marker, word = STATE_LABEL.get(entry.state, ("  ", entry.state))
        state_color = colors.get(f"state-{entry.state}", "")
        style = f"bold {state_color}" if entry.state in ("active", "stale") else state_color
        badge = layer_badge(entry.layer, colors)
        badge.pad_right(8 - len(badge.plain))
        lines.append(Text.assemble((f"{marker} {word:<8} ", style), badge, " ", where(entry, home)))
        value_style = "bold" if entry.state == "active" else ""
        lines.append(Text.assemble(" " * 12, (repr(entry.value), value_style)))
    return lines


def detail(
    var: Variable,
    colors: Mapping[str, str],
    home: str | None,
    help_text: str | None,
    go_error: str | None,
    staged: Sequence[str] = (),
    findings: Sequence[Finding] = (),
    can_fix: bool = True,
) -> RenderableType:
    """Everything the detail pane shows for one variable (``staged``: its staged changes,
    ``findings``: the doctor's findings about it; ``can_fix``: f stages their fixes)."""
    head = Text.assemble((var.name, "bold"), " = ", (repr(var.value), "bold"))
    src = var.source
    parts: list[RenderableType] = [head]
    parts.extend(finding_line(f, colors, can_fix) for f in findings)
    parts.extend(Text(f"✎ staged: {line}", style="italic") for line in staged)
    if src is not None:
        where_from = origin(src, home)
        parts.append(Text.assemble("from ", layer_badge(src.layer, colors), ": ", where_from))
    if var.flags:
        parts.append(Text("flags: " + ", ".join(var.flags), style="bold"))
    parts += [Text(""), Text("Chain, lowest precedence first", style="underline")]
    parts.extend(chain_lines(var, colors, home) if var.chain else [Text("  (no layer sets it)")])
    parts += [Text(""), Text("Why", style="underline"), Text(story(var, home, go_error))]
    if help_text:
        parts += [Text(""), Text("go help environment", style="underline"), Text(help_text)]
    parts += [Text(""), Text("Facts", style="underline")]
    parts += [Text(f"- {fact}") for fact in FACTS]
    return Group(*parts)


def finding_line(f: Finding, colors: Mapping[str, str], can_fix: bool = True) -> Text:
    """One finding about the variable: its mark and word, the message, the fix (and f)."""
    color = colors.get(f"finding-{f.severity}", "")
    fix = ""
    if f.fix is not None:
        key = "f, recommended" if f.recommended else "f"
        fix = (
            f" ({key}: {f.fix.summary})"
            if can_fix and f.fix.changes
            else f" (fix: {f.fix.summary})"
        )
    return Text.assemble(
        (f"{MARK.get(f.severity, '?')} {f.severity}: ", f"bold {color}".strip()), f.message + fix
    )
