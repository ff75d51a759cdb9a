"""GOFLAGS: the syntax go parses, the flags no go command has, `go env`'s own flags, and the
flags go accepts that then break builds, change what `go list` prints, or do nothing."""

from __future__ import annotations

import os

from goenv_tui.core.envflags import GO_ENV_FLAGS
from goenv_tui.core.validate.check import _Check
from goenv_tui.core.validate.rules_modules import _goquote
from goenv_tui.core.validate.syntax import _is_abs, _quoted_split
from goenv_tui.core.validate.tables import (
    _BOOL_FLAGS,
    _BOOL_WORDS,
    _FLAGS_NOT_121,
    _GO_FLAGS,
    _VALUE_FLAGS,
)

#: What each of `go env`'s own flags does to every `go env` run when GOFLAGS holds it.
_ENV_FLAG_EFFECT = {
    "u": "every `go env NAME` then deletes NAME from the go env file (`go env GOPATH` "
    "removes the GOPATH line), and `go env -json` fails (“cannot use -json with -u”)",
    "w": "every `go env` then fails or writes (“go env -w arguments must be NAME=VALUE”, "
    "“cannot use -json with -w”)",
    "json": "every `go env NAME` then prints JSON, which scripts and editors reading it cannot use",
    "changed": "every `go env` then prints only the changed variables",
}


def _goflags(c: _Check) -> None:
    """Each field alone, then what the accepted flags do together (:func:`_consequences`)."""
    fields = _quoted_split(c.value)
    if isinstance(fields, str):
        c.err(
            "goflags-syntax",
            f"every build fails (“parsing $GOFLAGS: {fields}”); close the quote, and note a "
            "quote only counts at the start of a field.",
        )
        return
    quote_reported = False
    accepted: dict[str, str | None] = {}  # flag name -> its value (None: a bare -flag)
    for f in fields:
        if not f.startswith("-") or f in {"-", "--"} or f.startswith(("---", "-=", "--=")):
            c.err(
                "goflags-non-flag",
                f"GOFLAGS may hold only -flag or -flag=value fields, so every build fails "
                f"(“parsing $GOFLAGS: non-flag {_goquote(f)}”); remove {f!r}.",
            )
            continue
        name = f[2:] if f.startswith("--") else f[1:]
        name, has_value, value = name.partition("=")
        if any(q in f for q in "'\""):
            if quote_reported:
                continue
            quote_reported = True
            c.err(
                "goflags-quote",
                f"GOFLAGS field {f!r} has a quote inside it, but quotes only group words when "
                "they start the field; quote the whole field instead, e.g. "
                "GOFLAGS='\"-ldflags=-s -w\"'.",
            )
            continue
        if name == "insecure":
            c.err(
                "goflags-insecure",
                "-insecure was removed from go get (“-insecure flag is no longer supported; "
                "use GOINSECURE instead”); list the hosts in GOINSECURE.",
            )
            continue
        too_new = c.exact is not None and c.exact <= 21 and name in _FLAGS_NOT_121
        if name not in _GO_FLAGS or too_new:
            c.err(
                "goflags-unknown-flag",
                f"no go command has a -{name} flag, so every build fails (“parsing $GOFLAGS: "
                f"unknown flag -{name}”); remove it.",
            )
            continue
        if name in GO_ENV_FLAGS:
            stray = " (an unquoted -ldflags=-s -w leaves this -w on its own)" if f == "-w" else ""
            c.err(
                "goflags-go-env-flag",
                f"{f} is also a flag of `go env`, which takes it from GOFLAGS{stray}: "
                + _ENV_FLAG_EFFECT.get(name, "")
                + f"; remove {f} (quote a field that needs spaces: "
                "GOFLAGS='\"-ldflags=-s -w\"').",
            )
            continue
        if name == "C":
            c.err(
                "goflags-chdir",
                "-C cannot come from GOFLAGS (“-C flag must be first flag on command line”), "
                "so every build fails; remove it.",
            )
        elif name in _VALUE_FLAGS and not has_value:
            c.err(
                "goflags-missing-value",
                f"-{name} needs a value and GOFLAGS cannot pass it as a separate word (“flag "
                f"needs an argument: -{name} (from $GOFLAGS)”); write -{name}=VALUE.",
            )
        elif name in _BOOL_FLAGS and has_value and value not in _BOOL_WORDS:
            c.err(
                "goflags-bad-bool",
                f"-{name} is a boolean flag, so every command that has it fails (“invalid "
                f"boolean value {_goquote(value)} for flag -{name}”); write -{name} or "
                f"-{name}=false.",
            )
        elif name == "mod" and value not in {"readonly", "vendor", "mod"}:
            c.err(
                "goflags-bad-mod",
                f"-mod={value} is not a mode (“-mod={value} not supported (can be '', 'mod', "
                "'readonly', or 'vendor')”); use mod, readonly or vendor.",
            )
        else:
            accepted[name] = value if has_value else None
    _consequences(c, accepted)


#: `go list` flags that change what every `go list` prints or makes it fail: gopls, editors
#: and scripts run `go list` and then get something else.
_LIST_SHAPE = {
    "f": "prints the -f template instead of package paths (and `go list -json`, which gopls "
    "runs, fails: “-f cannot be used with -json”)",
    "m": "lists modules instead of packages (“cannot use relative path . to specify module”)",
    "deps": "lists every dependency too",
    "test": "lists test packages too",
    "find": "skips resolving imports, so tools see no dependencies",
    "versions": "fails (“go list -versions can only be used with -m”)",
    "retracted": "fails outside `go list -m`",
}
#: -buildmode values cmd/go/internal/work.buildModeInit knows.
_BUILDMODES = frozenset(
    {"archive", "c-archive", "c-shared", "default", "exe", "pie", "plugin", "shared"}
)
#: internal/platform.RaceDetectorSupported (go 1.27; 1.21 lacks linux/loong64, riscv64).
_RACE_127 = frozenset(
    """
    linux/amd64 linux/arm64 linux/loong64 linux/ppc64le linux/riscv64 linux/s390x darwin/amd64
    darwin/arm64 freebsd/amd64 netbsd/amd64 windows/amd64
    """.split()  # noqa: SIM905
)
_RACE_121 = (_RACE_127 - {"linux/loong64", "linux/riscv64"}) | {"openbsd/amd64"}
#: Flags naming a file every build reads: flag -> (what it is, go's complaint).
_FILE_FLAGS = {
    "modfile": ("go.mod file", "open {path}: no such file or directory"),
    "overlay": ("overlay file", "reading overlay: open {path}: no such file or directory"),
    "pgo": ("profile", "error opening profile: open {path}: no such file or directory"),
}


def _consequences(c: _Check, flags: dict[str, str | None]) -> None:
    """Flags go accepts in GOFLAGS but that then break builds, change `go list`'s output or
    do nothing (each verified with go 1.21.13 and 1.27.3)."""
    for name, effect in _LIST_SHAPE.items():
        if name in flags:
            c.err(
                f"goflags-list-{name}",
                f"-{name} is also a `go list` flag, so every `go list` {effect}; gopls and "
                f"editors that run go list break; remove -{name} and pass it where needed.",
            )
    if _on(flags, "n"):
        c.err(
            "goflags-dry-run",
            "-n makes every build, test and install only print the commands it would run: "
            "they “succeed” and produce nothing; remove -n.",
        )
    p = flags.get("p")
    if p is not None and not (p.isdigit() and int(p) > 0):
        c.err(
            "goflags-bad-p",
            f"every build fails (“-p must be a positive integer: {p}”); remove -p={p} or give "
            "a positive number.",
        )
    mode = flags.get("buildmode")
    if mode is not None and mode not in _BUILDMODES:
        c.err(
            "goflags-bad-buildmode",
            f"every build fails (“buildmode={mode} not supported”); use one of "
            f"{', '.join(sorted(_BUILDMODES))}.",
        )
    _sanitizers(c, flags)
    _named_files(c, flags)
    if flags.get("mod") == "vendor":
        c.err(
            "goflags-mod-vendor",
            "-mod=vendor makes every build of a module that has requirements but no vendor "
            "folder fail (“inconsistent vendoring”), and adds nothing where vendor/ exists: go "
            "already builds from it by itself; remove -mod=vendor.",
        )


_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})


def _on(flags: dict[str, str | None], name: str) -> bool:
    return name in flags and flags[name] in {None, *_TRUE}


def _sanitizers(c: _Check, flags: dict[str, str | None]) -> None:
    """-race, -msan and -asan: together, and on this GOOS/GOARCH."""
    on = [n for n in ("race", "msan", "asan") if _on(flags, n)]
    if len(on) > 1:
        c.err(
            "goflags-sanitizers",
            f"every build fails (“may not use -{on[0]} and -{on[1]} simultaneously”); keep "
            "one of them.",
        )
        return
    race = _RACE_121 if c.minor <= 21 else _RACE_127
    pair = f"{c.goos}/{c.goarch}"
    if "race" in on and pair not in race:
        c.err(
            "goflags-race-unsupported",
            f"every build for {pair} fails (“-race is not supported on {pair}”); remove -race.",
        )
    elif "race" in on:
        c.warn(
            "goflags-race-cross",
            f"-race works for {pair}, but every cross build for a GOARCH without a race "
            "detector (386, arm, ...) fails (“-race is not supported on linux/386”) and every "
            "build needs cgo and a C compiler; pass -race where you need it.",
        )


def _named_files(c: _Check, flags: dict[str, str | None]) -> None:
    """-modfile, -overlay, -pgo and -toolexec naming files that are not there."""
    for name, (what, said) in _FILE_FLAGS.items():
        path = flags.get(name)
        if not path or (name == "pgo" and path in {"auto", "off"}):
            continue
        if not _is_abs(path, c.hostos):
            c.warn(
                f"goflags-{name}-relative",
                f"-{name}={path} is relative, so every go command looks for the {what} in the "
                "folder it runs in and fails where there is none; give an absolute path.",
            )
        elif not os.path.exists(path):
            c.err(
                f"goflags-{name}-missing",
                f"every build fails (“{said.format(path=path)}”): the {what} {path} does not "
                f"exist; create it or remove -{name}.",
            )
    tool = flags.get("toolexec")
    if tool:
        words = _quoted_split(tool)
        program = words[0] if isinstance(words, list) and words else tool
        if not c.which(program):
            c.err(
                "goflags-toolexec-missing",
                f"every build fails (“error obtaining buildID for go tool compile: fork/exec "
                f"{program}: …”): -toolexec runs {program!r}, which is not there; install it "
                "or remove -toolexec.",
            )
