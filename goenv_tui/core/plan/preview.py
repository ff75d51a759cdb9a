"""What a person reads before saying yes: steps, diffs (secrets redacted), before and after.

:func:`warnings_for` turns the prediction into plain warnings ("will be shadowed by
~/.bashrc:12", "does not reach `ssh host cmd`"); :func:`render` lays everything out at 80
columns. The TUI shows the same pieces in its own widgets.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from goenv_tui.core.advice import set_command
from goenv_tui.core.explain import where
from goenv_tui.core.layers import VIA_OS_ENV
from goenv_tui.core.model import IGNORED, NOT_RUN, Variable
from goenv_tui.core.names import OS_ONLY_NAMES
from goenv_tui.core.paths import clip, tilde
from goenv_tui.core.plan.build import Plan, Step
from goenv_tui.core.plan.change import BLOCK, GOENV, SET
from goenv_tui.core.plan.fresh import (
    NEW_TERMINALS,
    NO_EFFECT,
    TAKES_EFFECT,
    fresh_view,
    verdicts,
)
from goenv_tui.core.plan.world import Prediction
from goenv_tui.core.redact import hide_secrets
from goenv_tui.core.resolve import Resolution

REACH_GOENV = "reaches every go command: shells, editors, services and cron alike"
#: (VS Code and GoLand read the environment from an interactive login shell: they get it.)
REACH_STARTUP = (
    "reaches new shells, VS Code and GoLand (they read a login shell), not cron or services"
)


def reach(step: Step, before: Resolution) -> str:
    """Who a step's new value reaches, and the command that would reach more: the go env
    file, when nothing in the OS environment would beat it there (no live startup line,
    session value or go wrapper export)."""
    if step.reaches_go:
        return REACH_GOENV
    change = step.change
    var = before.variables.get(change.name)
    exported = var is not None and any(
        e.layer in VIA_OS_ENV and e.layer != "session" and e.state not in (NOT_RUN, IGNORED)
        for e in var.chain
    )
    no_file = before.go.env_file == ""  # GOENV=off: go reads no go env file
    if change.name in OS_ONLY_NAMES or exported or no_file or change.op != SET or not change.value:
        return REACH_STARTUP
    return f"{REACH_STARTUP} ({set_command(change.name, change.value, GOENV)} would)"


@dataclass(frozen=True)
class Row:
    """One affected variable: what go here has now, what a fresh terminal's go gets after
    apply, and (when it differs) what this session keeps until it is restarted."""

    name: str
    before: str
    before_where: str
    after: str
    after_where: str
    session: str | None  # this session's value after apply, when it differs from ``after``
    session_where: str


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


def rows(plan: Plan, before: Resolution, prediction: Prediction, home: str | None) -> list[Row]:
    """The before/after table: AFTER is a fresh terminal's go (core/plan/fresh.py)."""
    out: list[Row] = []
    for name in plan.names:
        now = before.variables.get(name)
        after = prediction.variables.get(name)
        view = fresh_view(after, prediction.fresh.get(name), wrapper_yields=name in plan.yields)
        src = view.source
        kept = after.value if after is not None else ""
        out.append(
            Row(
                name,
                now.value if now else "",
                _where(now, home),
                view.value,
                where(src, home) if src is not None else ("inherited" if view.value else "unset"),
                kept if kept != view.value else None,
                _where(after, home),
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
    # (whether each change reaches a fresh terminal, and what shadows it, is its verdict)
    for step in plan.steps:
        change = step.change
        name, value = change.name, change.value
        if change.op != SET or prediction.remote is None or step.reaches_go:
            continue  # (go reads the go env file itself, over ssh too)
        after = prediction.variables.get(name)
        view = fresh_view(after, prediction.fresh.get(name), wrapper_yields=name in plan.yields)
        if view.value == value and prediction.remote.get(name) != value:
            remote = prediction.remote.get(name)
            out.append(
                f"{name}={value} does not reach `ssh host cmd` or `bash -c` "
                f"(they get {'nothing' if remote is None else repr(remote)})"
                + (
                    f"; {set_command(name, value, 'startup')} puts it where they read it."
                    if step.place.kind != BLOCK
                    else "; they do not read the file the block is in, or stop before it "
                    "(it stays after what it overrides)."
                )
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
        lines.append("After apply, in a fresh terminal (computed with the real go and your traced")
        lines.append("shell over the new files):")
        nw = min(max(len(n) for n in plan.names) + 1, 18) if plan.names else 5
        col = (width - nw - 1) // 2
        lines.append(f"{'NAME':<{nw}} {'NOW':<{col}} AFTER")
        for r in rows(plan, before, prediction, home):
            now = clip(f"{r.before or '(empty)'}  {r.before_where}", col - 1)
            then = clip(f"{r.after or '(empty)'}  {r.after_where}", width - nw - 1 - col)
            lines.append(f"{clip(r.name, nw - 1):<{nw}} {now:<{col}} {then}")
            if r.session is not None:
                kept = f"this session keeps {r.session or '(empty)'}  {r.session_where}"
                lines.append(f"{'':<{nw}} {clip(kept, width - nw - 1)}")
        lines.append("")
        for v in verdicts(plan, before, prediction, home):
            lines.append(f"{VERDICT_MARK[v.kind]} {v.message}")
    warns = warnings_for(plan, before, prediction, home)
    if warns:
        lines.append("")
        lines.append("Warnings:")
        lines.extend(f"  ! {w}" for w in warns)
    return hide_secrets("\n".join(lines), "preview") + "\n"


#: How a verdict reads in text: a mark a person sees without colour.
VERDICT_MARK = {TAKES_EFFECT: "ok", NEW_TERMINALS: "ok", NO_EFFECT: "!!"}
