"""Rules about the go installation: go failing, GOROOT, go.env, several gos, paths."""

from __future__ import annotations

import os
from collections.abc import Iterator

from goenv_tui.core.doctor.facts import Facts, unset_change
from goenv_tui.core.doctor.finding import ERROR, INFO, WARNING, Finding, Fix
from goenv_tui.core.edits.owned import owner_at
from goenv_tui.core.layers import USER_SET
from goenv_tui.core.managers import toolchain_origin
from goenv_tui.core.model import ChainEntry
from goenv_tui.core.paths import tilde
from goenv_tui.core.plan.change import GOENV, SET, Change, Place
from goenv_tui.core.validate.rules_paths import tree_version

#: What $GOROOT/go.env ships (identical in go 1.21 ... 1.27; go-env-facts.md §1).
GO_ENV_DEFAULTS = {"GOPROXY": "https://proxy.golang.org,direct", "GOSUMDB": "sum.golang.org"}
_USER_LAYERS = USER_SET


def go_fails_unexplained(facts: Facts, explained: bool) -> Iterator[Finding]:
    """go cannot run and no value explains it: say so with go's own words."""
    said = facts.go_said
    if said and facts.res.go.path is None:
        yield Finding(
            "go-not-found",
            ERROR,
            None,
            f"{said.rstrip('.')}: nothing can build Go code in this environment. Install go or "
            "add its bin folder to PATH.",
            None,
            (f"PATH={facts.env.get('PATH', '')}",),
            rule="go-not-found",
        )
        return
    if said and not explained:
        yield Finding(
            "go-fails",
            ERROR,
            None,
            f"The go command fails: “{said}”. No Go variable that you set explains it; check "
            "the go installation (its files, their permissions) or run the command by hand.",
            None,
            (said,),
            rule="go-fails",
        )


def _removal(facts: Facts, name: str, src: ChainEntry) -> tuple[Fix | None, str]:
    """The fix that removes ``src``, or a sentence saying how to remove it by hand."""
    change = unset_change(name, src)
    if change is not None:
        return Fix(f"remove {name} at {facts.where(src)}", (change,)), ""
    if src.layer == "shell":
        return None, f" It is set only in this session: run `unset {name}`."
    return None, f" Remove it from {facts.where(src)}."


def _owner(facts: Facts, src: ChainEntry) -> str | None:
    """The tool that owns the line exporting GOROOT (g's installer line, gvm's tree, a
    plugin's hook such as asdf-golang's set-env.zsh)."""
    if src.layer not in ("startup", "hook") or not src.file or not src.line:
        return None
    return owner_at(src.file, src.line, facts.home)


def goroot_rules(facts: Facts) -> Iterator[Finding]:
    """GOROOT set at all, pointing nowhere or at another version's tree; go.env missing."""
    var = facts.res.variables.get("GOROOT")
    go = facts.res.go
    src = var.source if var is not None else None
    goroot_broken = False
    if src is not None and src.layer in _USER_LAYERS:
        value, loc = src.value, facts.where(src)
        fix, by_hand = _removal(facts, "GOROOT", src)
        own = "The go binary finds its own GOROOT from where it is installed; remove the setting."
        tree = tree_version(value) if os.path.isabs(value) and os.path.isdir(value) else None
        if not os.path.isabs(value) or not os.path.isdir(value):
            goroot_broken = True
            fails = bool(go.error) and facts.names_in_go_error("GOROOT")
            said = facts.go_said if fails else "cannot find GOROOT directory"
            yield Finding(
                "go-fails-goroot" if fails else "goroot-missing",
                ERROR,
                "GOROOT",
                f"GOROOT={value!r} ({loc}) is not a directory, so every go command fails "
                f"(“{said}”). {own}" + by_hand,
                src,
                (loc, said or ""),
                fix,
                rule="go-fails" if fails else "goroot-missing",
            )
        elif not any(os.path.isdir(os.path.join(value, d)) for d in ("pkg/tool", "src/runtime")):
            yield Finding(
                "goroot-not-go",
                ERROR,
                "GOROOT",
                f"GOROOT={value} ({loc}) is not a Go installation (it has no pkg/tool or "
                "src/runtime), so go finds no standard library and builds fail (“cannot find "
                f"package”). {own}" + by_hand,
                src,
                (loc,),
                fix,
                rule="goroot-not-go",
            )
        elif tree and go.local_version and tree != go.local_version:
            yield Finding(
                "goroot-mismatch",
                ERROR,
                "GOROOT",
                f"GOROOT={value} ({loc}) is a {tree} tree but the go binary is "
                f"{go.local_version}: go uses that tree's standard library and tools, so builds "
                f'fail (“compile: version "{tree}" does not match go tool version '
                f'"{go.local_version}"”). {own}' + by_hand,
                src,
                (loc, f"{value}/VERSION: {tree}"),
                fix,
                rule="goroot-mismatch",
            )
        elif src.layer == "goenv":
            yield Finding(
                "goroot-in-file",
                WARNING,
                "GOROOT",
                f"GOROOT={value} is written in the go env file ({loc}). Every go reads it, so "
                "after you install another go version it points at the wrong tree (builds fail) "
                "or at nothing (every go command fails), and go 1.27 refuses `go env -u GOROOT`. "
                + own,
                src,
                (loc,),
                fix,
                rule="goroot-in-file",
            )
        elif (owner := _owner(facts, src)) is not None:
            origin = toolchain_origin(value)
            yield Finding(
                "goroot-managed",
                INFO,
                "GOROOT",
                f"GOROOT={value} is exported by {owner} ({loc}), which keeps it in step with "
                "the go it puts on PATH"
                + (f"; that go was {origin}." if origin else "; switch versions with that tool."),
                src,
                (loc,),
                None,
                rule="goroot-exported",
            )
        else:
            yield Finding(
                "goroot-exported",
                WARNING,
                "GOROOT",
                f"GOROOT={value} is exported ({loc}). It is rarely needed: when another go "
                "version runs or this one is upgraded, the exported tree no longer matches and "
                "builds fail (“compile: version … does not match go tool version”). "
                + own
                + by_hand,
                src,
                (loc,),
                fix,
                rule="goroot-exported",
            )
    yield from _go_env_missing(facts, goroot_broken)


def _go_env_missing(facts: Facts, goroot_broken: bool) -> Iterator[Finding]:
    """$GOROOT/go.env missing: GOPROXY and GOSUMDB are empty, so every download fails."""
    path = facts.res.go.goroot_env_file
    if goroot_broken or not path or not os.path.isdir(os.path.dirname(path)):
        return
    if os.path.exists(path):
        return
    v = facts.res.variables
    empty = [n for n in GO_ENV_DEFAULTS if n not in v or v[n].value == ""]
    if not empty:
        return  # the user sets both: nothing is broken
    changes = tuple(Change(SET, n, GO_ENV_DEFAULTS[n], Place(GOENV)) for n in empty)
    yield Finding(
        "goroot-go-env-missing",
        ERROR,
        None,
        f"{facts.where_path(path)} is missing, so {' and '.join(empty)} "
        f"{'are' if len(empty) > 1 else 'is'} empty and every module download fails "
        "(“GOPROXY list is not the empty string, but contains no entries”, “missing GOSUMDB”). "
        "Reinstall go to get the file back, or set the standard values in the go env file.",
        None,
        (f"{facts.where_path(path)}: missing",),
        Fix(
            "write " + ", ".join(f"{c.name}={c.value}" for c in changes) + " to the go env file",
            changes,
        ),
        rule="goroot-go-env-missing",
    )


def several_gos(facts: Facts) -> Iterator[Finding]:
    """Several go binaries on PATH with different versions; a toolchain switch."""
    go = facts.res.go
    seen: dict[str, str] = {}
    for b in go.on_path:
        if b.version and b.realpath not in seen:
            seen[b.realpath] = b.version
    listed = [f"{tilde(p, facts.home)} ({v})" for p, v in seen.items()]
    if len(set(seen.values())) > 1:
        yield Finding(
            "multiple-go",
            WARNING,
            None,
            f"Several go binaries with different versions are on PATH. `go` runs the first, "
            f"{listed[0]}; a script, editor or sudo with another PATH gets "
            f"{', '.join(listed[1:])}, and `go install`ed tools built by one may not match the "
            "other.",
            None,
            tuple(listed),
            rule="multiple-go",
        )
    if go.version and go.local_version and go.version != go.local_version:
        yield _toolchain_switch(facts)


def _toolchain_switch(facts: Facts) -> Finding:
    go = facts.res.go
    tc = facts.res.variables.get("GOTOOLCHAIN")
    src = tc.source if tc is not None else None
    value = tc.value if tc is not None else ""
    pinned = (
        src is not None
        and src.layer in _USER_LAYERS
        and value.split("+", 1)[0] not in ("", "auto", "local", "path")
    )
    path = tilde(go.path or "go", facts.home)
    msg = (
        f"The go on PATH ({path}) is {go.local_version}, but {go.version} answers every go "
        "command, `go version` and `go env` included"
    )
    fix = None
    if pinned and src is not None:
        msg += (
            f": GOTOOLCHAIN={value} ({facts.where(src)}) selects it. A pinned toolchain makes "
            "the go you installed irrelevant and breaks wrappers that expect it."
        )
        fix, by_hand = _removal(facts, "GOTOOLCHAIN", src)
        msg += by_hand
    else:
        msg += (
            f": GOTOOLCHAIN={value or 'auto'} lets go switch to the toolchain that the go.mod "
            "or go.work here asks for."
        )
    msg += " Compare with `GOTOOLCHAIN=local go version`."
    return Finding(
        "toolchain-switch",
        WARNING if pinned else INFO,
        "GOTOOLCHAIN",
        msg,
        src,
        (f"go on PATH: {go.local_version}", f"answering: {go.version}"),
        fix,
        rule="toolchain-switch",
    )


def _path_dirs(env_path: str) -> set[str]:
    return {os.path.normpath(p) for p in env_path.split(":") if p}


def path_rules(facts: Facts) -> Iterator[Finding]:
    """GOPATH equal to GOROOT; GOBIN (or GOPATH[0]/bin) missing from PATH."""
    v = facts.res.variables
    gopath = v["GOPATH"].value if "GOPATH" in v else ""
    goroot = facts.res.go.goroot or (v["GOROOT"].value if "GOROOT" in v else "")
    elements = [p for p in gopath.split(":") if p]
    src = v["GOPATH"].source if "GOPATH" in v else None
    if goroot and any(os.path.normpath(p) == os.path.normpath(goroot) for p in elements):
        fix, by_hand = (None, "") if src is None else _removal(facts, "GOPATH", src)
        loc = f" ({facts.where(src)})" if src is not None else ""
        yield Finding(
            "gopath-is-goroot",
            WARNING,
            "GOPATH",
            f"GOPATH={gopath}{loc} is the Go installation itself (GOROOT). go warns “both GOPATH "
            "and GOROOT are the same directory”: downloaded modules go into GOROOT/pkg/mod and "
            "`go install` writes into GOROOT/bin. GOPATH defaults to ~/go; remove the setting."
            + by_hand,
            src,
            (facts.where(src),) if src is not None else (),
            fix,
            rule="gopath-is-goroot",
        )
    gobin_var = v.get("GOBIN")
    gobin_set = gobin_var is not None and gobin_var.user_set and bool(gobin_var.value)
    target = (gobin_var.value if gobin_set and gobin_var is not None else None) or (
        os.path.join(elements[0], "bin") if elements else ""
    )
    path = facts.env.get("PATH", "")
    if not target or not os.path.isabs(target) or os.path.normpath(target) in _path_dirs(path):
        return
    name = "GOBIN" if gobin_set else "GOPATH"
    try:
        installed = sorted(os.listdir(target))
    except OSError:
        installed = []
    if gobin_set and gobin_var is not None and gobin_var.source is not None:
        how = f"GOBIN, set at {facts.where(gobin_var.source)}"
    else:
        how = "GOPATH[0]/bin because GOBIN is unset; never $GOROOT/bin"
    msg = f"`go install` puts programs in {tilde(target, facts.home)} ({how}). That folder is not "
    msg += "on PATH"
    if installed:
        more = ", …" if len(installed) > 3 else ""
        msg += f", so the {len(installed)} installed there ({', '.join(installed[:3])}{more}) "
        msg += "are not found by name"
    if "/installs/golang/" in target:  # asdf: programs are reached through its shims
        msg += (
            "; with asdf, run `asdf reshim golang` after `go install` (its shims are on PATH; "
            "putting one version's bin folder on PATH would pin that version)."
        )
    else:
        msg += "; add it to PATH in your startup file."
    yield Finding(
        "gobin-not-on-path",
        WARNING if installed else INFO,
        name,
        msg,
        v[name].source if name in v else None,
        (f"PATH={path}",),
        rule="gobin-not-on-path",
    )
