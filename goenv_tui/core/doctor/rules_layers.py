"""Rules about layers: shadowed go env values, misread lines, stale sessions, the guard."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from goenv_tui.core.doctor.facts import Facts, unset_change
from goenv_tui.core.doctor.finding import ERROR, WARNING, Finding, Fix, finding_id
from goenv_tui.core.model import ACTIVE, IGNORED, SHADOWED, STALE
from goenv_tui.core.names import OS_ONLY_NAMES
from goenv_tui.core.plan.change import BLOCK, SET, Change, Place

_USERINFO = re.compile(r"://[^/@\s]+@")


def goenv_shadowed(facts: Facts) -> Iterator[Finding]:
    """A go env file value that the OS environment silently overrides."""
    for var in facts.res.variables.values():
        src = var.source
        if src is None or src.layer not in ("startup", "system", "shell"):
            continue
        lost = [e for e in var.chain if e.layer == "goenv" and e.state == SHADOWED]
        if not lost or lost[-1].value == src.value:
            continue
        mine = lost[-1]
        fix = None
        change = unset_change(var.name, src)
        if change is not None:
            fix = Fix(
                f"disable {facts.where(src)} so the go env file's value takes effect", (change,)
            )
        how = (
            f"{facts.where(src)} exports {var.name}={src.value!r}"
            if src.layer != "shell"
            else f"this session has {var.name}={src.value!r} ({facts.where(src)})"
        )
        yield Finding(
            finding_id("goenv-shadowed", var.name),
            WARNING,
            var.name,
            f"The go env file sets {var.name}={mine.value!r} ({facts.where(mine)}), but {how}, "
            "and the environment always wins over `go env -w`: the file's value is never used.",
            src,
            (facts.where(mine), facts.where(src)),
            fix,
            rule="goenv-shadowed",
        )


def goenv_lines(facts: Facts) -> Iterator[Finding]:
    """go env file / go.env lines go skips or misreads, and duplicates."""
    for var in facts.res.variables.values():
        live = []
        for e in var.chain:
            if e.layer not in ("goenv", "goroot"):
                continue
            if e.state == IGNORED and e.note and "GOENV=off" not in e.note:
                if var.name in OS_ONLY_NAMES and "only from the OS environment" in e.note:
                    rule, sev = "goenv-os-only", WARNING
                else:
                    rule, sev = "goenv-line-ignored", WARNING
                yield Finding(
                    f"{finding_id(rule, var.name)}-line-{e.line}",
                    sev,
                    var.name,
                    f"go ignores line {e.line} of {facts.where(e).rsplit(':', 1)[0]}: "
                    f"{e.note}. Write it as {var.name}=VALUE (no spaces, quotes or comments) "
                    "or set it with `goenv-tui set`.",
                    e,
                    (facts.where(e),),
                    rule=rule,
                )
            elif e.layer == "goenv" and e.state != IGNORED:
                live.append(e)
        if len(live) > 1:
            yield Finding(
                finding_id("goenv-duplicate", var.name),
                WARNING,
                var.name,
                f"{var.name} is set {len(live)} times in the go env file; go uses the last "
                f"({facts.where(live[-1])}), so the earlier lines mislead readers.",
                live[-1],
                tuple(facts.where(e) for e in live),
                rule="goenv-duplicate",
            )


def goenv_file_readable(facts: Facts) -> Iterator[Finding]:
    """A go env file holding credentials that other users can read."""
    path = facts.res.go.env_file
    if not path:
        return
    try:
        st = os.stat(path)
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return
    if st.st_mode & 0o044 and _USERINFO.search(text):
        yield Finding(
            "goenv-file-readable",
            ERROR,
            None,
            f"{facts.where_path(path)} holds credentials (user:password in a URL) and is "
            f"readable by other users (mode {st.st_mode & 0o777:04o}); run "
            f"`chmod 600 {path}` and consider GOAUTH or ~/.netrc instead.",
            None,
            (f"{path}: mode {st.st_mode & 0o777:04o}",),
            rule="goenv-file-readable",
        )


def stale_session(facts: Facts) -> Iterator[Finding]:
    """This shell differs from what the startup files now give."""
    for var in facts.res.variables.values():
        if "stale" not in var.flags:
            continue
        fresh = facts.res.shell.final_env.get(var.name)
        shell = next((e for e in var.chain if e.layer == "shell"), None)
        now = facts.env.get(var.name)
        stale = next((e for e in var.chain if e.state == STALE), None)
        origin = shell.origin if shell is not None else None
        have = f"has {var.name}={now!r}" if now is not None else f"does not have {var.name}"
        msg = (
            f"This session {have}, but a fresh shell now gets "
            f"{'nothing' if fresh is None else repr(fresh)}"
            + (f" ({facts.where(stale)})" if stale is not None else "")
            + ": it started before the startup files changed."
        )
        if origin and "tmux" in origin:
            remedy = (
                f"tmux set-environment -g {var.name} {fresh}"
                if fresh is not None
                else f"tmux set-environment -gu {var.name}"
            )
            msg += (
                f" The value comes from the {origin}, which passes its old environment to every "
                f"new window; run `{remedy}` and open a new window."
            )
        else:
            msg += " Open a new terminal (or re-source your startup file)."
        yield Finding(
            finding_id("stale-session", var.name),
            WARNING,
            var.name,
            msg,
            shell or stale,
            tuple(x for x in (origin, facts.where(stale) if stale else None) if x),
            rule="stale-session",
        )


def after_interactive_guard(facts: Facts) -> Iterator[Finding]:
    """Go variables a login shell gets but `ssh host cmd` / `bash -c` / IDEs do not."""
    if facts.remote is None:
        return
    for var in facts.res.variables.values():
        fresh = facts.res.shell.final_env.get(var.name)
        if fresh is None or facts.remote.get(var.name) == fresh:
            continue
        end = [
            e
            for e in var.chain
            if e.layer == "startup" and e.state in (ACTIVE, STALE) and e.file and e.line
        ]
        if not end or os.path.basename(end[-1].file or "") != ".bashrc":
            continue
        e = end[-1]
        remote = facts.remote.get(var.name)
        unset = unset_change(var.name, e)
        changes = [Change(SET, var.name, fresh, Place(BLOCK))]
        if unset is not None:
            changes.append(unset)
        yield Finding(
            finding_id("after-interactive-guard", var.name),
            WARNING,
            var.name,
            f"{var.name} is set at {facts.where(e)}, after ~/.bashrc's interactive guard, so "
            "`ssh host cmd`, scripts run with `bash -c` and IDEs never see it (they get "
            f"{'nothing' if remote is None else repr(remote)}).",
            e,
            (facts.where(e),),
            Fix(
                "move it to the goenv-tui block at the top of ~/.bashrc (before the guard)",
                tuple(changes),
            ),
            rule="after-interactive-guard",
        )
