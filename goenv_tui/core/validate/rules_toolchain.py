"""Rules for which go runs: GOTOOLCHAIN and GOFIPS140."""

from __future__ import annotations

import re

from goenv_tui.core.validate.check import _Check
from goenv_tui.core.validate.problem import NEWEST_MINOR
from goenv_tui.core.validate.syntax import _toolchain_version
from goenv_tui.core.validate.tables import _FIPS_127


def _gotoolchain(c: _Check) -> None:
    """GOTOOLCHAIN's grammar (cmd/go/internal/toolchain.Select) and whether the toolchain it
    names can be run: this go, a go of that name on PATH, or an official release go can
    download (go 1.21.0 or newer, with a patch number)."""
    v = c.value
    if v in {"auto", "path", "local"}:
        return
    lo, plus, suffix = v.partition("+")
    err = ""
    if lo != "local" and not _toolchain_version(lo):
        err = (
            f'invalid GOTOOLCHAIN "{v}": invalid minimum toolchain "{lo}"'
            if plus
            else f'invalid GOTOOLCHAIN "{v}"'
        )
    elif plus and suffix not in {"auto", "path"}:
        err = f'invalid GOTOOLCHAIN "{v}": only version suffixes are +auto and +path'
    elif lo != "local" and not lo.startswith("go1"):
        err = f'invalid GOTOOLCHAIN "{lo}"'
    if err:
        c.err(
            "gotoolchain-invalid",
            f"every go command fails (“{err}”; recovery needs GOTOOLCHAIN=local in the OS "
            "environment); use local, auto, path or goX.Y.Z with optional +auto or +path.",
        )
        return
    if lo == "local" or lo == c.go_version or c.which(lo):
        return  # this go, or a go of that name on PATH
    _unreachable_toolchain(c, lo, suffix)


def _unreachable_toolchain(c: _Check, name: str, suffix: str) -> None:
    """The toolchain ``name`` is not on PATH: whether go can download it."""
    ver = _toolchain_version(name)
    fails = "every go command fails"
    unless = " unless a go.mod asks for a newer go" if suffix else ""
    release = _first_release(name, ver)
    if any(ch.isspace() for ch in name):
        c.err(
            "gotoolchain-space",
            f"{fails}{unless}: go looks for a toolchain named {name!r}, space included, "
            "on PATH and on the download server and finds none; write {name.split()[0]}.",
        )
    elif suffix == "path":
        c.err(
            "gotoolchain-not-on-path",
            f'{fails} (“cannot find "{name}" in PATH”){unless}: +path never downloads; put a go '
            f"named {name} on PATH (`go install golang.org/dl/{name}@latest && {name} "
            "download`) or use +auto.",
        )
    elif _is_lang(ver) and _gover_minor(ver) >= 21:
        c.err(
            "gotoolchain-not-release",
            f"{fails} (“invalid toolchain: {name} is a language version but not a toolchain "
            f"version ({name}.x)”){unless}: the first release of go{ver} is go{ver}.0; write "
            f"{release}{'+' + suffix if suffix else ''}.",
        )
    elif _gover_minor(ver) < 21:
        c.err(
            "gotoolchain-too-old",
            f"{fails} (“download {name} for {c.goos}/{c.goarch}: toolchain not "
            f"available”){unless}: go can switch only to go1.21.0 or newer; install {name} "
            f"with `go install golang.org/dl/{release}@latest && {release} download` "
            "and put it on PATH, or use a newer toolchain.",
        )
    elif name != f"go{ver}":
        c.err(
            "gotoolchain-custom",
            f"{fails} unless a go named {name} is on PATH (“download {name} for "
            f"{c.goos}/{c.goarch}: toolchain not available”): go downloads only official "
            f"releases such as go{ver}; put {name} on PATH or use go{ver}.",
        )


def _is_lang(ver: str) -> bool:
    """gover.IsLang: "1.22" (no patch number, no pre-release)."""
    return re.fullmatch(r"\d+(?:\.\d+)?", ver) is not None


def _gover_minor(ver: str) -> int:
    """The minor number of a valid version ("1.22.3" -> 22; "2" -> a large number)."""
    major, _, rest = ver.partition(".")
    if major != "1":
        return 1 << 30
    digits = re.match(r"\d*", rest)
    return int(digits.group(0)) if digits and digits.group(0) else 0


def _first_release(name: str, ver: str) -> str:
    """``name`` with a language version made the first release of it: go1.800-bigcorp ->
    go1.800.0-bigcorp (the version part is what gover.FromToolchain reads)."""
    if not _is_lang(ver) or "." not in ver:
        return name
    return f"go{ver}.0{name[2 + len(ver) :]}"


def _gofips140(c: _Check) -> None:
    v = c.value
    if v in {"off", "latest"}:
        return
    if v not in {"inprocess", "certified"} and not re.fullmatch(
        r"v1\.\d+\.\d+(?:-rc\d+|-.{8})?", v, flags=re.DOTALL
    ):
        # From the file go only fails later (cmd/go/internal/fips140); an exported value
        # fails at startup (internal/buildcfg), even `go version`.
        said = (
            f'unknown GOFIPS140 version "{v}"'
            if c.goenv
            else "invalid GOFIPS140: must be off, latest, inprocess, certified, or v1.Y.Z"
        )
        c.err(
            "gofips140-invalid",
            f"almost every go command fails (“{said}”); use off, latest, inprocess, "
            "certified or a v1.Y.Z snapshot.",
        )
        return
    if c.exact is not None and c.exact == NEWEST_MINOR and v not in _FIPS_127:
        c.err(
            "gofips140-unknown-version",
            f"go1.{c.exact} has no FIPS 140 snapshot {v} (every build fails: “unknown "
            f"GOFIPS140 version”); use one of {', '.join(sorted(_FIPS_127))}, latest or off.",
        )
