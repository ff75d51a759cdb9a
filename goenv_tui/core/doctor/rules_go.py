"""Rules about the go installation: go failing, GOROOT, several gos, paths."""

from __future__ import annotations

import os
from collections.abc import Iterator

from goenv_tui.core.doctor.facts import Facts, unset_change
from goenv_tui.core.doctor.finding import ERROR, INFO, WARNING, Finding, Fix, finding_id
from goenv_tui.core.paths import tilde


def go_fails_unexplained(facts: Facts, explained: bool) -> Iterator[Finding]:
    """go cannot run and no value explains it: say so with go's own words."""
    err = facts.res.go.error
    if err and not explained:
        yield Finding(
            "go-fails",
            ERROR,
            None,
            f"The go command fails: {err}. No Go variable explains it; check the go "
            "installation (its GOROOT, permissions) or run it by hand to see more.",
            None,
            (f"go: {err}",),
            rule="go-fails",
        )


def _version_file(goroot: str) -> str | None:
    try:
        with open(os.path.join(goroot, "VERSION"), encoding="utf-8", errors="replace") as fh:
            return fh.readline().strip() or None
    except OSError:
        return None


def goroot_rules(facts: Facts) -> Iterator[Finding]:
    """GOROOT pointing at another version's tree; go.env missing."""
    var = facts.res.variables.get("GOROOT")
    go = facts.res.go
    if var is not None and var.user_set and go.local_version:
        src = var.source
        assert src is not None
        tree = _version_file(src.value)
        if tree and tree != go.local_version:
            change = unset_change("GOROOT", src)
            yield Finding(
                finding_id("goroot-mismatch", None),
                ERROR,
                "GOROOT",
                f"GOROOT={src.value} ({facts.where(src)}) is a {tree} tree but the go binary is "
                f"{go.local_version}: builds fail with “compile: version {tree!r} does not "
                f"match go tool version {go.local_version!r}”. go finds its own GOROOT; "
                "remove the setting.",
                src,
                (facts.where(src), f"{src.value}/VERSION: {tree}"),
                None if change is None else Fix(f"remove GOROOT at {facts.where(src)}", (change,)),
                rule="goroot-mismatch",
            )
    if go.goroot_env_file and not os.path.exists(go.goroot_env_file):
        yield Finding(
            "goroot-go-env-missing",
            WARNING,
            None,
            f"{go.goroot_env_file} is missing, so GOPROXY, GOSUMDB and GOTOOLCHAIN have no "
            "defaults: modules download directly from version control and nothing checks "
            "them against the checksum database. Reinstall go, or set GOPROXY and GOSUMDB.",
            None,
            (go.goroot_env_file,),
            rule="goroot-go-env-missing",
        )


def several_gos(facts: Facts) -> Iterator[Finding]:
    """Several go binaries on PATH with different versions; a toolchain switch."""
    go = facts.res.go
    seen: dict[str, str] = {}
    for b in go.on_path:
        if b.version and b.realpath not in seen:
            seen[b.realpath] = b.version
    if len(set(seen.values())) > 1:
        listed = [f"{tilde(p, facts.home)} ({v})" for p, v in seen.items()]
        yield Finding(
            "multiple-go",
            WARNING,
            None,
            "Several go binaries with different versions are on PATH; the first one wins "
            f"({listed[0]}), which surprises scripts and editors that find another.",
            None,
            tuple(listed),
            rule="multiple-go",
        )
    if go.version and go.local_version and go.version != go.local_version:
        tc = facts.res.variables.get("GOTOOLCHAIN")
        src = tc.source if tc is not None else None
        how = f"GOTOOLCHAIN={tc.value} ({facts.where(src)})" if tc and src else "GOTOOLCHAIN"
        yield Finding(
            "toolchain-switch",
            INFO,
            "GOTOOLCHAIN",
            f"{how} makes {go.version} answer instead of the {go.local_version} on PATH "
            f"({tilde(go.path or '', facts.home)}).",
            src,
            (f"go on PATH: {go.local_version}", f"answering: {go.version}"),
            rule="toolchain-switch",
        )


def _path_dirs(env_path: str) -> set[str]:
    return {os.path.normpath(p) for p in env_path.split(":") if p}


def path_rules(facts: Facts) -> Iterator[Finding]:
    """GOPATH equal to GOROOT; GOBIN (or GOPATH[0]/bin) missing from PATH."""
    v = facts.res.variables
    gopath = v["GOPATH"].value if "GOPATH" in v else ""
    goroot = v["GOROOT"].value if "GOROOT" in v else facts.res.go.goroot or ""
    elements = [p for p in gopath.split(":") if p]
    if goroot and any(os.path.normpath(p) == os.path.normpath(goroot) for p in elements):
        src = v["GOPATH"].source
        change = unset_change("GOPATH", src) if src is not None else None
        yield Finding(
            "gopath-is-goroot",
            ERROR,
            "GOPATH",
            f"GOPATH includes GOROOT ({goroot}): go refuses it (“GOPATH and GOROOT are the "
            "same directory”) and `go install` would write into the Go installation.",
            src,
            (facts.where(src),) if src else (),
            None
            if change is None or src is None
            else Fix(f"remove GOPATH at {facts.where(src)} (default: ~/go)", (change,)),
            rule="gopath-is-goroot",
        )
    gobin = v["GOBIN"].value if "GOBIN" in v else ""
    target = gobin or (os.path.join(elements[0], "bin") if elements else "")
    path = facts.res.shell.final_env.get("PATH") or facts.env.get("PATH", "")
    if target and os.path.normpath(target) not in _path_dirs(path):
        name = "GOBIN" if gobin else "GOPATH"
        yield Finding(
            finding_id("gobin-not-on-path", None),
            WARNING,
            name,
            f"`go install` puts programs in {tilde(target, facts.home)}, which is not on "
            "PATH, so the installed commands are not found; add it to PATH in your "
            "startup file.",
            v[name].source if name in v else None,
            (f"PATH={path}",),
            rule="gobin-not-on-path",
        )
