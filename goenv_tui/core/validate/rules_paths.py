"""Rules for path variables: GOPATH, GOMODCACHE, GOCACHE, GOBIN, GOTMPDIR, GOCACHEPROG,
GOWORK, GOROOT, GOENV."""

from __future__ import annotations

import os

from goenv_tui.core.validate.check import _Check
from goenv_tui.core.validate.syntax import _is_this_host, _quoted_split


def _gopath(c: _Check) -> None:
    v = c.value
    sep = ";" if c.hostos == "windows" else ":"
    if v.startswith("~"):
        c.err(
            "gopath-tilde",
            "GOPATH cannot start with '~' because go does not expand it (every go command "
            "exits 2: “GOPATH entry cannot start with shell metacharacter '~'”); write the "
            "absolute path, e.g. $HOME/go.",
        )
        return
    if c.goenv and not c.abs(v):
        c.err(
            "gopath-relative",
            f"go env -w refuses a GOPATH that does not start with an absolute path (“GOPATH "
            f"entry is relative; must be absolute path”); use absolute paths separated by "
            f"{sep!r}.",
        )
        return
    if v.startswith(sep):
        c.err(
            "gopath-empty-first",
            f"GOPATH starts with an empty element, and go takes the first one for the module "
            "cache and `go install`: every build that needs a module fails (“module cache not "
            "found: neither GOMODCACHE nor GOPATH is set”); remove the leading "
            f"{sep!r}.",
        )
    for part in v.split(sep):
        if not part:
            continue
        if part.startswith("~"):
            c.err(
                "gopath-tilde",
                f"GOPATH element {part!r} starts with '~', which go does not expand, so every "
                "go command exits 2; write the absolute path.",
            )
        elif not c.abs(part):
            c.err(
                "gopath-relative",
                f"GOPATH element {part!r} is relative, so every go command exits 2 (“GOPATH "
                "entry is relative; must be absolute path”), even `go env -u GOPATH`; use "
                f"absolute paths separated by {sep!r}.",
            )


def _abs_dir(c: _Check, what_fails: str) -> bool:
    v = c.value
    if c.abs(v):
        return True
    c.err(
        f"{c.name.lower()}-relative",
        f"{c.name} must be an absolute path ({what_fails}); write it in full, without '~' or '.'.",
    )
    return False


def _gomodcache(c: _Check) -> None:
    if not _abs_dir(
        c,
        "go env -w refuses a relative one"
        if c.goenv
        else "module commands fail: “GOMODCACHE entry is relative”",
    ):
        return
    if _is_this_host(c.hostos) and os.path.exists(c.value) and not os.path.isdir(c.value):
        c.err(
            "gomodcache-not-dir",
            f"GOMODCACHE {c.value} is a file, not a folder, so every build that needs a module "
            f'fails (“could not create module cache: "{c.value}" is not a directory”); '
            "point it at a folder.",
        )


def _gocache(c: _Check) -> None:
    if c.value == "off":
        c.err(
            "gocache-off",
            "GOCACHE=off makes every build fail (“build cache is disabled by GOCACHE=off, "
            "but required as of Go 1.12”); remove it or point it at an absolute directory.",
        )
        return
    _abs_dir(c, "otherwise full `go env` and every build fail: “GOCACHE is not an absolute path”")


def _gobin(c: _Check) -> None:
    _abs_dir(c, "otherwise `go install` fails: “GOBIN must be an absolute path”")


def _gotmpdir(c: _Check) -> None:
    v = c.value
    if not c.abs(v):
        if c.goenv:
            c.err(
                "gotmpdir-relative",
                "go env -w refuses a relative GOTMPDIR (“GOTMPDIR must be an absolute path”); "
                "write an absolute directory.",
            )
        else:
            c.warn(
                "gotmpdir-relative",
                "a relative GOTMPDIR is resolved against each command's working directory, "
                "so builds litter or fail in the current folder; use an absolute directory.",
            )
        return
    if _is_this_host(c.hostos) and not os.path.isdir(v):
        c.err(
            "gotmpdir-missing",
            f"GOTMPDIR {v} is not an existing directory, so every build and full `go env` "
            f"fail (“creating work dir: stat {v}: no such file or directory”); create it "
            "first or choose another.",
        )


def _gocacheprog(c: _Check) -> None:
    words = _quoted_split(c.value)
    if isinstance(words, str):
        c.err("gocacheprog-syntax", f"GOCACHEPROG cannot be split into words ({words}).")
        return
    if not words:
        return
    if c.minor < 24:
        c.warn(
            "gocacheprog-experiment",
            f"go1.{c.minor} ignores GOCACHEPROG unless GOEXPERIMENT=cacheprog is set "
            "(it is standard from go1.24).",
        )
        return
    if not c.which(words[0]):
        c.err(
            "gocacheprog-missing",
            f"the GOCACHEPROG command {words[0]!r} is not found, so full `go env` and every "
            f'build fail (“error starting GOCACHEPROG program "{words[0]}"”); install it '
            "or give its absolute path.",
        )


def _gowork(c: _Check) -> None:
    v = c.value
    if v not in {"off", "auto"} and not c.abs(v):
        c.err(
            "gowork-relative",
            "GOWORK must be off, auto or an absolute path to a go.work file, otherwise module "
            "commands fail (“invalid GOWORK: not an absolute path”).",
        )
    elif v not in {"off", "auto"} and _is_this_host(c.hostos) and not os.path.isfile(v):
        c.err(
            "gowork-missing",
            f"every build fails (“reading go.work: open {v}: no such file or directory”): "
            f"{v} is not a file; create it with `go work init`, or use GOWORK=off or auto.",
        )


def _goroot(c: _Check) -> None:
    v = c.value
    if not c.abs(v):
        c.err(
            "goroot-relative",
            "GOROOT must be an absolute directory, otherwise every go command fails; better, "
            "unset it and let go find its own tree.",
        )
    elif not os.path.isdir(v):
        c.err(
            "goroot-missing",
            f"GOROOT {v} is not a directory, so every go command fails (“cannot find GOROOT "
            "directory”); unset it and let go find its own tree.",
        )
    elif (tree := tree_version(v)) and c.go_version and tree != c.go_version:
        c.err(
            "goroot-mismatch",
            f"GOROOT {v} is a {tree} tree but the go that runs is {c.go_version}, so builds "
            f'fail (“compile: version "{tree}" does not match go tool version '
            f'"{c.go_version}"”); switch the go itself (the one on PATH) instead.',
        )
    elif not c.goenv:
        c.warn(
            "goroot-exported",
            "an exported GOROOT is rarely needed and, when it belongs to another go version, "
            "builds fail (“compile: version … does not match go tool version”); unset it.",
        )


def _goenv_os(c: _Check) -> None:
    if c.value != "off" and not c.abs(c.value):
        c.warn(
            "goenv-relative",
            "a relative GOENV is resolved against each command's working directory, so go "
            "reads a different file in every folder; use an absolute path or off.",
        )


def tree_version(goroot: str) -> str | None:
    """The go version a GOROOT tree holds (its VERSION file's first line), if it says."""
    try:
        with open(os.path.join(goroot, "VERSION"), encoding="utf-8", errors="replace") as fh:
            first = fh.readline().strip()
    except OSError:
        return None
    return first if first.startswith("go") else None
