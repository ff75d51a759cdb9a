"""What a person reads before saying yes: steps, diffs (secrets redacted), before and after.

:func:`warnings_for` turns the prediction into plain warnings ("will be shadowed by
~/.bashrc:12", "does not reach `ssh host cmd`"); :func:`render` lays everything out at 80
columns. The TUI shows the same pieces in its own widgets.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass

from goenv_tui.core.explain import where
from goenv_tui.core.layers import FILE_LINES, VIA_OS_ENV
from goenv_tui.core.model import ACTIVE, STALE, ChainEntry, Variable
from goenv_tui.core.names import OS_ONLY_NAMES
from goenv_tui.core.paths import clip, tilde
from goenv_tui.core.plan.build import Plan, Step
from goenv_tui.core.plan.change import BLOCK, GOENV, SET
from goenv_tui.core.plan.world import Prediction
from goenv_tui.core.redact import hide_secrets
from goenv_tui.core.resolve import Resolution

REACH_GOENV = "reaches every go command: shells, IDEs, services and cron alike"
REACH_STARTUP = "does not reach IDEs or services that start go without a shell"


def reach(step: Step, before: Resolution) -> str:
    """Who a step's new value reaches, and whether the go env file would reach more (not
    when an OS environment value, such as a go wrapper's export, would beat it there)."""
    if step.place.kind == GOENV:
        return REACH_GOENV
    var = before.variables.get(step.change.name)
    src = var.source if var is not None else None
    beaten = src is not None and src.layer in VIA_OS_ENV and src.layer not in FILE_LINES
    if step.change.name in OS_ONLY_NAMES or beaten:
        return REACH_STARTUP
    return REACH_STARTUP + " (--to goenv would)"


@dataclass(frozen=True)
class Row:
    """One affected variable: now and after, in go env and in a fresh shell."""

    name: str
    before: str
    before_where: str
    after: str
    after_where: str
    fresh_before: str | None
    fresh_after: str | None


def file_diff(path: str, old: bytes | None, new: bytes | None, home: str | None) -> str:
    """A unified diff of one file, secrets redacted, paths shown with ~."""
    shown = tilde(path, home)
    a = (old or b"").decode("utf-8", "replace").splitlines(keepends=True)
    b = (new or b"").decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(
        a,
        b,
        "/dev/null" if old is None else f"{shown} (now)",
        "/dev/null" if new is None else f"{shown} (after)",
        n=2,
    )
    text = "".join(x if x.endswith("\n") else x + "\n\\ No newline at end of file\n" for x in lines)
    return hide_secrets(text, "preview")


def _fresh_entry(var: Variable | None) -> ChainEntry | None:
    """The startup entry a fresh shell ends with."""
    if var is None:
        return None
    ends = [e for e in var.chain if e.layer in FILE_LINES and e.state in (ACTIVE, STALE)]
    return ends[-1] if ends else None


def rows(plan: Plan, before: Resolution, prediction: Prediction, home: str | None) -> list[Row]:
    """The before/after table."""
    out: list[Row] = []
    for name in plan.names:
        now = before.variables.get(name)
        after = prediction.variables.get(name)
        out.append(
            Row(
                name,
                now.value if now else "",
                _where(now, home),
                after.value if after else "",
                _where(after, home) if after else "?",
                before.shell.final_env.get(name),
                prediction.fresh.get(name),
            )
        )
    return out


def _where(var: Variable | None, home: str | None) -> str:
    src = var.source if var is not None else None
    return "unset" if src is None else where(src, home)


def warnings_for(
    plan: Plan, before: Resolution, prediction: Prediction, home: str | None
) -> list[str]:
    """What will not happen as the user probably expects, computed from the prediction."""
    out = list(plan.warnings)
    if prediction.error is not None:
        out.append(f"The result could not be predicted ({prediction.error}); apply verifies it.")
        return out
    for written in prediction.writes:
        out.append(
            f"A startup file tried to write {tilde(written, home)} during the prediction "
            "(kept out: the prediction only reads); every new shell writes it for real."
        )
    for step in plan.steps:
        change = step.change
        name = change.name
        after = prediction.variables.get(name)
        fresh = prediction.fresh.get(name)
        if change.op != SET:
            also_set = any(s.change.op == SET and s.change.name == name for s in plan.steps)
            if after is not None and after.user_set and not also_set:
                src = after.source
                assert src is not None
                out.append(f"{name} stays set: {where(src, home)} still gives {src.value!r}.")
            continue
        value = change.value
        end = _fresh_entry(after)
        if step.place.kind == GOENV:
            if end is not None and fresh is not None and fresh != value:
                loc = where(end, home)
                fix = f"use --to {loc}" if _editable(end, home) else "use --to startup"
                out.append(
                    f"{name} will be shadowed by {loc} in every new shell (it exports "
                    f"{fresh!r}); {fix}."
                )
        elif fresh != value and os.path.basename(step.place.path or "") != ".envrc":
            # (an .envrc is direnv's, read in its folder, not by the startup files)
            got = "nothing" if fresh is None else repr(fresh)
            winner = where(end, home) if end is not None else None
            hint = ""
            if winner and end is not None and end.file:
                hint = f"; use --to {winner}" if _editable(end, home) else ", which its tool owns"
            out.append(
                f"A fresh shell will still get {got} for {name}"
                + (f" from {winner}{hint}." if winner else ": this file is not read by your shell.")
            )
        elif prediction.remote is not None and prediction.remote.get(name) != value:
            remote = prediction.remote.get(name)
            out.append(
                f"{name}={value} does not reach `ssh host cmd` or `bash -c` "
                f"(they get {'nothing' if remote is None else repr(remote)})"
                + (
                    "; --to startup puts it where they read it."
                    if step.place.kind != BLOCK
                    else "; they do not read the file the block is in, or stop before it "
                    "(it stays after what it overrides)."
                )
            )
        session = before.variables.get(name)
        in_session = session is not None and any(e.layer == "shell" for e in session.chain)
        if in_session and after is not None and after.value != value:
            assert session is not None
            out.append(
                f"This session exports {name}={session.value!r}, so go here keeps using "
                f"it until you open a new shell (or run `unset {name}`)."
            )
    return out


def render(
    plan: Plan,
    before: Resolution,
    prediction: Prediction,
    home: str | None,
    width: int = 80,
) -> str:
    """The whole preview as text."""
    lines: list[str] = []
    files = plan.changed_files
    lines.append(
        f"{len(plan.steps)} change{'s' if len(plan.steps) != 1 else ''}, "
        f"{len(files)} file{'s' if len(files) != 1 else ''} to write"
    )
    lines.append("")
    for k, step in enumerate(plan.steps, 1):
        path = tilde(step.place.path or "", home)
        target = "go env file " + path if step.place.kind == GOENV else step.place.spec
        target = target.replace(step.place.path or "\0", path)
        lines.append(f"{k}. {step.change.describe().split('  [')[0]}  →  {target}")
        lines.append(
            f"   {'equivalent' if step.place.kind == GOENV else 'writes'}: "
            f"{hide_secrets(step.command, 'preview')}"
        )
        if step.change.op == SET:
            lines.append(f"   {reach(step, before)}")
        lines.extend(f"   note: {n}" for n in step.notes)
    for fp in files:
        lines.append("")
        head = f"{tilde(fp.path, home)} ({fp.role})"
        lines.append(head + "".join(f"; {n}" for n in fp.notes))
        lines.append(file_diff(fp.path, fp.old, fp.new, home).rstrip("\n"))
    if not files:
        lines.append("")
        lines.append("Every file already has this content: nothing to write.")
    if prediction.error is None:
        lines.append("")
        lines.append("After apply: go env here, and in a fresh shell (computed with the real go")
        lines.append("and your traced shell over the new files):")
        nw = min(max(len(n) for n in plan.names) + 1, 18) if plan.names else 5
        col = (width - nw - 1) // 2
        lines.append(f"{'NAME':<{nw}} {'NOW':<{col}} AFTER")
        for r in rows(plan, before, prediction, home):
            now = clip(f"{r.before or '(empty)'}  {r.before_where}", col - 1)
            then = clip(f"{r.after or '(empty)'}  {r.after_where}", width - nw - 1 - col)
            lines.append(f"{clip(r.name, nw - 1):<{nw}} {now:<{col}} {then}")
            if r.fresh_before != r.fresh_after:
                fb = "unset" if r.fresh_before is None else r.fresh_before
                fa = "unset" if r.fresh_after is None else r.fresh_after
                lines.append(clip(f"{'':<{nw}} fresh shell: {fb} → {fa}", width))
    warns = warnings_for(plan, before, prediction, home)
    if warns:
        lines.append("")
        lines.append("Warnings:")
        lines.extend(f"  ! {w}" for w in warns)
    return hide_secrets("\n".join(lines), "preview") + "\n"


def _editable(entry: ChainEntry, home: str | None) -> bool:
    """Whether the line an entry names may be edited (no tool owns it or its file)."""
    from goenv_tui.core.edits.owned import owner_at

    if entry.file is None or entry.line is None:
        return False
    return owner_at(entry.file, entry.line, home or "") is None
