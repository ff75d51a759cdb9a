"""The state of one validation (:class:`_Check`) and the checks every name gets: is it a Go
variable, is the text writable, what an empty value means."""

from __future__ import annotations

import difflib

from goenv_tui.core.validate.problem import ERROR, NEWEST_MINOR, WARNING, Problem
from goenv_tui.core.validate.syntax import _is_abs, _which
from goenv_tui.core.validate.tables import (
    _ADDED_IN,
    _GOISH,
    _KNOWN_121,
    _OS_IGNORED,
    _OS_ONLY,
    _READ_ONLY,
    _RUNTIME_NAMES,
    _TELEMETRY,
    RETIRED_NAMES,
)


class _Check:
    """State of one validate() call: the inputs and the problems found so far."""

    def __init__(
        self,
        name: str,
        value: str,
        minor: int | None,
        goos: str,
        goarch: str,
        hostos: str,
        target: str,
    ) -> None:
        self.name = name
        self.value = value
        self.exact = minor  # the real version when known
        self.minor = minor if minor is not None else NEWEST_MINOR
        self.goos = goos
        self.goarch = goarch
        self.hostos = hostos
        self.target = target
        self.goenv = target == "goenv"
        self.go_version: str | None = None  # "go1.21.13": the go that will run, when known
        self.cc = ""  # the C compiler cgo uses (the effective CC; "" = go's default)
        self.path: str | None = None  # the user's PATH (None: this process's)
        self.problems: list[Problem] = []

    def add(self, severity: str, code: str, message: str) -> None:
        self.problems.append(Problem(severity, code, message))

    def err(self, code: str, message: str) -> None:
        self.add(ERROR, code, message)

    def warn(self, code: str, message: str) -> None:
        self.add(WARNING, code, message)

    @property
    def where(self) -> str:
        """How the user would set it, for messages."""
        return "go env -w" if self.goenv else "the OS environment"

    def which(self, word: str) -> str | None:
        """Where a command word resolves for the user (see syntax._which)."""
        return _which(word, self.hostos, self.path)

    def abs(self, path: str) -> bool:
        return _is_abs(path, self.hostos)

    def known(self) -> frozenset[str]:
        added = {n for n, v in _ADDED_IN.items() if self.minor >= v}
        return _KNOWN_121 | added


def _check_name(c: _Check) -> bool:
    """Name rules; False when the name alone decides (no value checks follow)."""
    n = c.name
    if c.goenv:
        if n in _READ_ONLY or (n == "GOROOT" and c.minor >= 27) or (n in _TELEMETRY):
            why = (
                "go computes it"
                if n not in {"GOWORK", "GOROOT"}
                else "set it in the OS environment instead"
            )
            if n in _TELEMETRY:
                why = "use `go telemetry on|off|local` instead"
            if n in _TELEMETRY and c.minor < 23:
                said = f"unknown go command variable {n}"
            else:
                said = f"{n} cannot be modified"
            c.err("read-only", f"go env -w refuses {n} (“{said}”): {why}.")
            return False
        if n in _OS_ONLY:
            said = (
                f"{n} can only be set using the OS environment"
                if n != "GOPACKAGESDRIVER" and (n != "GODEBUG" or c.minor >= 23)
                else f"unknown go command variable {n}"
            )
            c.err("os-only", f"go env -w refuses {n} (“{said}”): export it from a startup file.")
            return False
        if n in RETIRED_NAMES:
            c.err("retired", f"go no longer reads {n}: {RETIRED_NAMES[n]}.")
            return False
        if n not in c.known():
            c.err("unknown-name", _unknown_message(c, f"unknown go command variable {n}"))
            return False
        if n == "GOROOT":
            c.warn(
                "goroot-in-file",
                "GOROOT in the go env file decides which toolchain tree every go uses and "
                "breaks every command when it points nowhere (go 1.27 cannot even `go env -u` "
                "it); let go find its own GOROOT instead.",
            )
        return True
    # target == "os"
    if n in _OS_IGNORED:
        c.warn(
            "os-ignored",
            f"go computes {n} itself and ignores an exported value; remove the export.",
        )
        return False
    if n in _ADDED_IN and c.minor < _ADDED_IN[n]:
        c.warn(
            "not-supported",
            f"go1.{c.minor} does not read {n} (added in go1.{_ADDED_IN[n]}), so the value has "
            "no effect with this go.",
        )
        return False
    if n in c.known() or n in _OS_ONLY or n in _ADDED_IN:
        return True
    if n in _RUNTIME_NAMES:
        return False
    if n in RETIRED_NAMES:
        c.warn("retired", f"go no longer reads {n}: {RETIRED_NAMES[n]}.")
        return False
    if _GOISH.match(n):
        c.warn("unknown-name", _unknown_message(c, f"go does not read {n}"))
    return False


def _unknown_message(c: _Check, said: str) -> str:
    pool = sorted(c.known() | (set() if c.goenv else _OS_ONLY))
    close = difflib.get_close_matches(c.name.upper(), pool, n=1, cutoff=0.7)
    hint = f"did you mean {close[0]}?" if close else "check the spelling in `go help environment`."
    if c.goenv and c.name in _ADDED_IN:
        hint = f"{c.name} needs go1.{_ADDED_IN[c.name]} or newer."
    return f"“{said}”: {hint}"


def _check_text(c: _Check) -> bool:
    """NUL, newline, invalid UTF-8 (checkEnvWrite); False when the value is unusable."""
    v = c.value
    try:
        v.encode("utf-8")
        utf8_ok = True
    except UnicodeEncodeError:
        utf8_ok = False
    if "\x00" in v:
        c.err(
            "nul-newline-utf8",
            f"{c.name} contains a NUL byte, which {c.where} cannot hold (“invalid NUL in "
            f"{c.name}=... value”); remove it.",
        )
        return False
    bad_nl = any(ch in v for ch in "\v\r\n")
    if bad_nl or not utf8_ok:
        what = "a newline or carriage return" if bad_nl else "invalid UTF-8"
        said = "invalid newline" if bad_nl else "invalid UTF-8"
        if c.goenv:
            c.err(
                "nul-newline-utf8",
                f"{c.name} contains {what}, which go env -w refuses (“{said} in {c.name}=... "
                "value”); remove it.",
            )
            return False
        c.warn(
            "nul-newline-utf8",
            f"{c.name} contains {what}, which go treats as part of the value; remove it.",
        )
    return True


def _check_empty(c: _Check) -> None:
    n = c.name
    if not c.goenv:
        c.warn(
            "empty-ignored",
            f"go treats an exported empty {n} exactly like an unset one, so it cannot cancel "
            f"a value from the go env file; use `go env -u {n}` or unset it instead.",
        )
        return
    if n == "GOPROXY":
        c.err(
            "empty-masks-default",
            "GOPROXY= in the go env file masks the $GOROOT/go.env default and every download "
            "fails (“GOPROXY list is not the empty string, but contains no entries”); use "
            "`go env -u GOPROXY` instead.",
        )
    elif n == "GOSUMDB":
        c.err(
            "empty-masks-default",
            "GOSUMDB= in the go env file masks the $GOROOT/go.env default and every download "
            "of a public module fails (“missing GOSUMDB”); use `go env -u GOSUMDB` instead.",
        )
    elif n == "GOTOOLCHAIN":
        c.warn(
            "empty-masks-default",
            "GOTOOLCHAIN= in the go env file masks the $GOROOT/go.env default (auto), so go "
            "never switches to the toolchain a go.mod asks for; use `go env -u GOTOOLCHAIN`.",
        )
