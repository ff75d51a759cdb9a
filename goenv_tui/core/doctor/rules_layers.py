"""Rules about layers: shadowed go env values, misread lines, stale sessions, the guard."""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator

from goenv_tui.core.advice import set_command
from goenv_tui.core.doctor.facts import Facts, has_userinfo, shown, unset_change
from goenv_tui.core.doctor.finding import ERROR, INFO, WARNING, Finding, Fix, finding_id
from goenv_tui.core.doctor.misread import cleaned, errors, misread_finding
from goenv_tui.core.edits.owned import owner_at
from goenv_tui.core.envfile import read_env_file
from goenv_tui.core.layers import FILE_LINES, VIA_OS_ENV
from goenv_tui.core.model import (
    ACTIVE,
    COMPUTED_NOTE,
    FLAG_EMPTY_IGNORED,
    IGNORED,
    SHADOWED,
    STALE,
    TELEMETRY_NOTE,
    UNKNOWN_HERE_NOTE,
    ChainEntry,
    FileLine,
    Variable,
)
from goenv_tui.core.names import (
    KNOWN_GO_NAMES,
    OS_ONLY_NAMES,
    TELEMETRY_NAMES,
    is_go_name,
)
from goenv_tui.core.plan.change import BLOCK, GOENV, LINE, SET, UNSET, Change, Place
from goenv_tui.core.shells.bashparse import reads_itself

_OS_LAYERS = VIA_OS_ENV
_MYTH = "a non-empty environment value always wins over the go env file (`go env -w`)"


def goenv_shadowed(facts: Facts) -> Iterator[Finding]:
    """A go env file value that the OS environment overrides (now, or in every new shell)."""
    for var in facts.res.variables.values():
        mine = _file_value(var)
        if mine is None or var.name not in KNOWN_GO_NAMES:
            continue
        src = var.source
        stale = next((e for e in var.chain if e.state == STALE and e.layer == "startup"), None)
        if src is not None and src.layer in FILE_LINES:
            winner, now = src, True
        elif src is not None and src.layer in ("goenv", "shell") and stale is not None:
            # a startup line that this session predates: every new shell exports it
            winner, now = stale, src.layer == "shell"
        elif src is not None and src.layer == "shell":
            if src.value != mine.value:
                yield _shadowed_by_session(facts, var, mine, src)
            continue
        else:
            continue
        if winner.value == mine.value:
            continue
        change = unset_change(var.name, winner)
        fix = None
        if change is not None:
            fix = Fix(
                f"disable {facts.where(winner)} so the go env file's value takes effect", (change,)
            )
        when = (
            "so go never uses the file's value"
            if now
            else "so every new shell ignores the file's value (this one started before)"
        )
        yield Finding(
            finding_id("goenv-shadowed", var.name),
            WARNING,
            var.name,
            f"The go env file sets {var.name}={shown(mine.value)} ({facts.where(mine)}), but "
            f"{facts.where(winner)} exports {var.name}={shown(winner.value)}, {when}: {_MYTH}. "
            "Keep one of the two.",
            winner,
            (facts.where(mine), facts.where(winner)),
            fix,
            rule="goenv-shadowed",
        )


def _file_value(var: Variable) -> ChainEntry | None:
    """The go env file's entry that go would use (the last line that go reads)."""
    live = [e for e in var.chain if e.layer == "goenv" and e.state in (SHADOWED, ACTIVE)]
    return live[-1] if live else None


def _shadowed_by_session(facts: Facts, var: Variable, mine: ChainEntry, src: ChainEntry) -> Finding:
    return Finding(
        finding_id("goenv-shadowed-by-session", var.name),
        WARNING,
        var.name,
        f"The go env file sets {var.name}={shown(mine.value)} ({facts.where(mine)}), but this "
        f"session has {var.name}={shown(src.value)} ({facts.where(src)}) and {_MYTH}. No "
        f"startup file sets it: run `unset {var.name}` or open a new terminal.",
        src,
        (facts.where(mine), facts.where(src)),
        rule="goenv-shadowed-by-session",
    )


def _raw_line(path: str | None, line: int | None) -> str | None:
    if not path or not line:
        return None
    try:
        with open(path, "rb") as fh:
            lines = fh.read().split(b"\n")
    except OSError:
        return None
    if not 1 <= line <= len(lines):
        return None
    return lines[line - 1].decode("utf-8", "surrogateescape")


def goenv_lines(facts: Facts) -> Iterator[Finding]:
    """go env file lines go skips or misreads, and duplicates."""
    for var in facts.res.variables.values():
        for e in var.chain:
            if e.layer != "goenv" or "GOENV=off" in (e.note or ""):
                continue
            if any(n in (e.note or "") for n in (COMPUTED_NOTE, UNKNOWN_HERE_NOTE, TELEMETRY_NOTE)):
                continue  # computed_set, unknown_here and telemetry_set say it
            if e.state == IGNORED and e.note:
                yield _ignored_line(facts, var, e)
            else:
                found = misread_finding(facts, var.name, e)
                if found is not None:
                    yield found
        live = [e for e in var.chain if e.layer == "goenv" and e.state != IGNORED]
        if len(live) > 1:
            last = live[-1]
            fix = None
            if not errors(facts, var.name, last.value, "goenv"):
                fix = Fix(
                    f"keep only the last line ({facts.where(last)})",
                    (Change(SET, var.name, last.value, Place(GOENV)),),
                )
            yield Finding(
                finding_id("goenv-duplicate", var.name),
                WARNING,
                var.name,
                f"{var.name} is set {len(live)} times in the go env file; go uses the last one "
                f"({facts.where(last)}: {shown(last.value)}), so the earlier lines mislead "
                "whoever reads the file.",
                last,
                tuple(facts.where(e) for e in live),
                fix,
                rule="goenv-duplicate",
            )


def _ignored_line(facts: Facts, var: Variable, e: ChainEntry) -> Finding:
    loc = facts.where(e)
    raw = _raw_line(e.file, e.line)
    text = f" ({raw!r})" if raw is not None else ""
    if var.name in OS_ONLY_NAMES and "only from the OS environment" in (e.note or ""):
        return Finding(
            f"{finding_id('goenv-os-only', var.name)}-line-{e.line}",
            WARNING,
            var.name,
            f"go reads {var.name} only from the OS environment, never from the go env file, so "
            f"{loc}{text} has no effect; export it from a startup file instead.",
            e,
            (loc,),
            rule="goenv-os-only",
        )
    value = cleaned(e.value)
    fix = None
    if e.file and e.line and not errors(facts, var.name, value, "goenv"):
        fix = Fix(
            f"rewrite {loc} as {var.name}={value}",
            (Change(SET, var.name, value, Place(LINE, e.file, e.line)),),
        )
    over = [x for x in var.chain if x.layer == "startup" and x.state in (ACTIVE, STALE)]
    if over:  # a startup file's export beats the go env file anyway
        how = (
            f"write {var.name}={value} instead; even then {facts.where(over[-1])} sets "
            f"{var.name} and wins over the go env file."
        )
    else:
        how = (
            f"write {var.name}={value} (or run {set_command(var.name, value, 'goenv')}) and "
            "delete this line."
        )
    return Finding(
        f"{finding_id('goenv-line-ignored', var.name)}-line-{e.line}",
        WARNING,
        var.name,
        f"go never reads {loc}{text}: {e.note}, so {var.name} does not get "
        f"{shown(value)} from it. go keeps only lines that start with an upper-case "
        f"letter and takes everything before the first '=' as the name: " + how,
        e,
        (loc,),
        fix,
        rule="goenv-line-ignored",
    )


def _mode(path: str) -> int | None:
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        return None


def empty_export(facts: Facts) -> Iterator[Finding]:
    """`export NAME=` meant to cancel a go env file value: go treats empty as unset."""
    for var in facts.res.variables.values():
        src = var.source
        if (
            FLAG_EMPTY_IGNORED not in var.flags
            or src is None
            or src.layer
            not in (
                "goenv",
                "goroot",
            )
        ):
            continue
        if src.value == "":
            continue
        empty = next(
            (e for e in reversed(var.chain) if e.state == IGNORED and e.layer in _OS_LAYERS),
            None,
        )
        if empty is None:
            continue
        undo = (
            f"`go env -u {var.name}` removes the file's value"
            if src.layer == "goenv"
            else f"set {var.name} to the value you want instead"
        )
        yield Finding(
            finding_id("empty-export-ignored", var.name),
            WARNING,
            var.name,
            f"{facts.where(empty)} sets {var.name} to the empty string, but go treats an empty "
            f"value exactly like an unset one, so {var.name}={shown(src.value)} from "
            f"{facts.where(src)} still applies; {undo}.",
            empty,
            (facts.where(empty), facts.where(src)),
            rule="empty-export-ignored",
        )


def goenv_wrong_file(facts: Facts) -> Iterator[Finding]:
    """A file where blog posts say `go env -w` writes: go never reads it."""
    real = facts.res.go.env_file
    candidates = [os.path.join(facts.home, "go", "env")]
    if facts.res.go.goroot:
        candidates.append(os.path.join(facts.res.go.goroot, "misc", "go", "env"))
    for path in candidates:
        if not os.path.isfile(path) or (real and os.path.realpath(path) == os.path.realpath(real)):
            continue
        values = {fl.key: fl.value for fl in _read_lines(path) if fl.key and is_go_name(fl.key)}
        names = sorted(values)
        if not names:
            continue
        moves = ", ".join(set_command(name, values[name], "goenv") for name in names)
        target = facts.where_path(real) if real else "the file `go env GOENV` prints"
        yield Finding(
            "goenv-wrong-file",
            WARNING,
            None,
            f"{facts.where_path(path)} sets {', '.join(names)}, but go never reads "
            f"that file: `go env -w` writes and go reads {target} (`go env GOENV` prints it). "
            f"Move the settings there: {moves}.",
            None,
            (facts.where_path(path),),
            rule="goenv-wrong-file",
        )


def _read_lines(path: str) -> list[FileLine]:
    try:
        return read_env_file(path)
    except OSError:
        return []


def goenv_file_readable(facts: Facts) -> Iterator[Finding]:
    """Credentials in a go env file (or a startup file) that other users can read."""
    path = facts.res.go.env_file
    if path:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
        except OSError:
            text = ""
        mode = _mode(path)
        if mode is not None and mode & 0o044 and has_userinfo(text):
            shown_path = facts.where_path(path)
            yield Finding(
                "goenv-file-readable",
                ERROR,
                None,
                f"{shown_path} holds credentials (user:password in a URL) and other users can "
                f"read it (mode {mode:04o}). Run `chmod 600 {shown_path}`; better, keep "
                "credentials in ~/.netrc (mode 600) or GOAUTH instead of GOPROXY/GOSUMDB.",
                None,
                (f"{shown_path}: mode {mode:04o}",),
                rule="goenv-file-readable",
            )
    for var in facts.res.variables.values():
        src = var.source
        if src is None or src.layer not in FILE_LINES or not src.file:
            continue
        mode = _mode(src.file)
        if mode is None or not mode & 0o044 or not has_userinfo(src.value):
            continue
        loc = facts.where(src)
        yield Finding(
            finding_id("credentials-readable", var.name),
            ERROR,
            var.name,
            f"{var.name} at {loc} holds credentials (user:password in a URL) and other users "
            f"can read {facts.where_path(src.file)} (mode {mode:04o}). Keep them in ~/.netrc "
            "(mode 600) or GOAUTH instead, or at least make the file private.",
            src,
            (loc, f"{facts.where_path(src.file)}: mode {mode:04o}"),
            rule="credentials-readable",
        )


def stale_session(facts: Facts) -> Iterator[Finding]:
    """This shell differs from what the startup files now give."""
    for var in facts.res.variables.values():
        if "stale" not in var.flags:
            continue
        stale = next((e for e in var.chain if e.state == STALE), None)
        fresh = facts.res.shell.final_env.get(var.name, stale.value if stale else None)
        shell = next((e for e in var.chain if e.layer == "shell"), None)
        now = facts.env.get(var.name)
        if now is None and fresh == var.value:
            continue  # go here gets that value anyway (GOPATH=$HOME/go is go's default)
        origin = shell.origin if shell is not None else None
        have = f"has {var.name}={shown(now)}" if now is not None else f"does not have {var.name}"
        msg = (
            f"This session {have}, but a fresh shell now gets "
            f"{'nothing' if fresh is None else shown(fresh)}"
            + (f" ({facts.where(stale)})" if stale is not None else "")
            + "."
        )
        if origin and "tmux" in origin:
            remedy = (
                f"tmux set-environment -g {var.name} {shlex.quote(fresh)}"
                if fresh is not None
                else f"tmux set-environment -gu {var.name}"
            )
            msg += (
                f" The value comes from the {origin}: a tmux server keeps the environment it "
                f"started with and gives it to every new window. Run `{remedy}`, then open a "
                "new window."
            )
        elif stale is not None and stale.layer == "hook":
            msg += (
                " A terminal's hook sets it when a prompt is drawn (or the folder changes); "
                "this process has not run it since: it was started by a script, `-c` "
                "command or program rather than at a prompt. Nothing needs changing for "
                "terminals; run the command from a prompt (or run the hook first)."
            )
        else:
            msg += (
                " This shell started before what its startup files give changed (the files, "
                "or what a command they run reads, such as a version manager's version file): "
                "open a new terminal (or source the startup file)."
            )
        yield Finding(
            finding_id("stale-session", var.name),
            INFO if stale is not None and stale.layer == "hook" else WARNING,
            var.name,
            msg,
            shell or stale,
            tuple(x for x in (origin, facts.where(stale) if stale else None) if x),
            rule="stale-session",
        )


def after_interactive_guard(facts: Facts) -> Iterator[Finding]:
    """Go variables a login shell gets but `ssh host cmd` / `bash -c` / cron do not (VS Code
    and GoLand run an interactive login shell to read the environment, so they do)."""
    if facts.remote is None:
        return
    from goenv_tui.core.plan.fresh import fresh_view

    for var in facts.res.variables.values():
        fresh = facts.res.shell.final_env.get(var.name)
        if fresh is None or facts.remote.get(var.name) == fresh:
            continue
        if fresh_view(var, facts.remote.get(var.name)).value == fresh:
            continue  # go gets the same there anyway (GOPATH=$HOME/go is go's own default)
        end = [
            e
            for e in var.chain
            if e.layer == "startup" and e.state in (ACTIVE, STALE) and e.file and e.line
        ]
        if not end or os.path.basename(end[-1].file or "") != ".bashrc":
            continue
        e = end[-1]
        remote = facts.remote.get(var.name)
        assert e.file is not None and e.line is not None
        owner = owner_at(e.file, e.line, facts.home)
        unset = unset_change(var.name, e)
        changes = [Change(SET, var.name, fresh, Place(BLOCK))]
        if unset is not None:
            changes.append(unset)
        fix: Fix | None = Fix(
            "move it to the goenv-tui block at the top of ~/.bashrc (before the guard)",
            tuple(changes),
        )
        tail = ""
        if owner is not None:  # a copy above the guard would fight the tool (g needs its own)
            fix = None
            tail = (
                f" That line belongs to {owner}: load that tool's setup above the guard "
                "yourself, if scripts need it."
            )
        elif reads_itself(e.file, e.line, var.name):
            # `GOFLAGS="$GOFLAGS -trimpath"` builds on values set after the guard too: a
            # copy of its result above the guard would be overwritten by them
            fix = None
            tail = (
                " That line builds on an earlier value of it; move what it builds on above "
                "the guard as well, by hand."
            )
        yield Finding(
            finding_id("after-interactive-guard", var.name),
            WARNING,
            var.name,
            f"{var.name} is set at {facts.where(e)}, after ~/.bashrc's interactive guard (the "
            "early `return` for non-interactive shells), so `ssh host cmd`, scripts run with "
            "`bash -c`, cron and services never see it (they get "
            f"{'nothing' if remote is None else shown(remote)}); VS Code and GoLand do, since "
            "they read the environment from an interactive login shell." + tail,
            e,
            (facts.where(e),),
            fix,
            rule="after-interactive-guard",
        )


def go_missing_remotely(facts: Facts) -> Iterator[Finding]:
    """`ssh host cmd` and `bash -c` get a PATH without go (the line that adds go's folder is
    after ~/.bashrc's interactive guard, or only a login shell reads it)."""
    import shutil

    if facts.remote is None or facts.res.go.path is None:
        return
    remote_path = facts.remote.get("PATH")
    if remote_path is None or shutil.which("go", path=remote_path) is not None:
        return
    from goenv_tui.core.doctor.pathline import guard_line, login_only, path_line

    folder = os.path.dirname(facts.res.go.path)
    shown_folder = facts.where_path(folder)
    first = (
        f"`ssh host cmd` and scripts run with `bash -c` find no go: their PATH "
        f"({clip_path(remote_path, facts.home)}) lacks {shown_folder}, which this session has."
    )
    found = path_line(facts.res.shell.files_read, folder, facts.home)
    evidence: tuple[str, ...] = (f"PATH={remote_path}",)
    if found is None:
        advice = (
            " Add that folder to PATH above ~/.bashrc's interactive guard (or in ~/.profile "
            "and ~/.bashrc both), or call go by its full path in scripts."
        )
    else:
        path, line = found
        where = f"{facts.where_path(path)}:{line}"
        guard = guard_line(path) if os.path.basename(path) == ".bashrc" else None
        evidence = (where, *evidence)
        if guard is not None and guard < line:
            advice = (
                f" {where} puts it on PATH after the interactive guard at "
                f"{facts.where_path(path)}:{guard} (the early `return` for non-interactive "
                "shells): move that line above the guard, or call go by its full path in "
                "scripts."
            )
        elif login_only(path):
            advice = (
                f" {where} puts it on PATH, but only login shells read "
                f"{facts.where_path(path)}: add the same line to ~/.bashrc above its "
                "interactive guard, or call go by its full path in scripts."
            )
        else:
            advice = (
                f" {where} puts it on PATH, but those shells stop before it or do not read "
                "that file: add it to PATH above ~/.bashrc's interactive guard, or call go "
                "by its full path in scripts."
            )
    fresh_path = facts.res.shell.fresh_path
    # a fresh terminal finds go but those shells do not: the startup puts it where they
    # never look (a warning); go only on this session's PATH is worth knowing (info)
    fresh_has_go = fresh_path is not None and shutil.which("go", path=fresh_path) is not None
    yield Finding(
        "go-not-on-path-remote",
        WARNING if fresh_has_go or found is not None else INFO,
        None,
        first + advice,
        None,
        evidence,
        rule="go-not-on-path-remote",
    )


def clip_path(path: str, home: str | None) -> str:
    """A PATH as people read it: ~ for HOME, at most 60 characters."""
    from goenv_tui.core.paths import clip, tilde

    return clip(":".join(tilde(p, home) for p in path.split(":")), 60)


def computed_set(facts: Facts) -> Iterator[Finding]:
    """A value set for a variable go computes itself (GOVERSION, GOEXE, GOMOD, ...): go
    ignores it, so whoever set it expects something that never happens."""
    for var in facts.res.variables.values():
        for e, at in _ignored_with(facts, var, COMPUTED_NOTE):
            yield Finding(
                finding_id("computed-set", var.name),
                WARNING,
                var.name,
                f"{var.name} is set to {shown(e.value)} {at}, but go computes "
                f"{var.name} itself ({shown(var.value)} here) and ignores the setting; "
                "remove it.",
                e,
                (facts.where(e),),
                _line_removal(facts, var.name, e),
                rule="computed-set",
            )


def unknown_here(facts: Facts) -> Iterator[Finding]:
    """A value set for a variable the go that runs does not know yet (GOFIPS140 with go
    1.21): nothing reads it, so it is not in effect. (Every go ignores an exported
    GOTELEMETRY, a common way to say "off" ahead of time: not worth a finding.)"""
    for var in facts.res.variables.values():
        if var.name in TELEMETRY_NAMES:
            continue
        for e, at in _ignored_with(facts, var, UNKNOWN_HERE_NOTE):
            why = next(p for p in (e.note or "").split("; ") if UNKNOWN_HERE_NOTE in p)
            why = why.removesuffix(UNKNOWN_HERE_NOTE)
            # a go env file line this go does not know is one `go env -w` refuses: an
            # error; an export may be meant for another go or program: a warning
            yield Finding(
                finding_id("not-supported", var.name),
                ERROR if e.layer == "goenv" else WARNING,
                var.name,
                f"{var.name}={shown(e.value)} is set {at}, but {why}: the value has no "
                "effect with this go; remove it or upgrade go.",
                e,
                (facts.where(e),),
                _line_removal(facts, var.name, e),
                rule="not-supported",
            )


def telemetry_set(facts: Facts) -> Iterator[Finding]:
    """GOTELEMETRY written into the go env file: go reads the mode from its mode file, so the
    line does nothing (`go env -w` refuses it; an export, a common "off" ahead of time, is
    only shown as ignored)."""
    var = facts.res.variables.get("GOTELEMETRY")
    if var is None:
        return
    for e, at in _ignored_with(facts, var, TELEMETRY_NOTE):
        if e.layer != "goenv":
            continue
        yield Finding(
            finding_id("telemetry-set", var.name),
            WARNING,
            var.name,
            f"GOTELEMETRY is set to {shown(e.value)} {at}, but go reads the telemetry mode from "
            f"its mode file ({shown(var.value)} here) and never from the go env file; run "
            f"`go telemetry {e.value if e.value in ('on', 'off', 'local') else 'off'}` for that "
            "mode and remove the line.",
            e,
            (facts.where(e),),
            _line_removal(facts, var.name, e),
            rule="telemetry-set",
        )


def _ignored_with(facts: Facts, var: Variable, note: str) -> Iterator[tuple[ChainEntry, str]]:
    """The ignored entries of ``var`` whose note says ``note``, each with where it is set."""
    for e in var.chain:
        if e.state == IGNORED and note in (e.note or ""):
            yield e, ("in this session" if e.layer == "shell" else f"at {facts.where(e)}")


def _line_removal(facts: Facts, name: str, e: ChainEntry) -> Fix | None:
    """Remove ``e``'s setting; in the go env file by deleting its line, which works where go
    refuses `go env -u` (a name it computes, or does not know)."""
    change = unset_change(name, e)
    if e.layer == "goenv" and e.file and e.line:
        change = Change(UNSET, name, None, Place(LINE, e.file, e.line))
    return Fix(f"remove {name} at {facts.where(e)}", (change,)) if change else None
