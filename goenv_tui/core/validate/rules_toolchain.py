"""Rules for which go runs: GOTOOLCHAIN and GOFIPS140."""

from __future__ import annotations

import re

from goenv_tui.core.validate.check import _Check
from goenv_tui.core.validate.problem import NEWEST_MINOR
from goenv_tui.core.validate.syntax import _toolchain_version
from goenv_tui.core.validate.tables import _FIPS_127


def _gotoolchain(c: _Check) -> None:
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
    if err:
        c.err(
            "gotoolchain-invalid",
            f"every go command fails (“{err}”; recovery needs GOTOOLCHAIN=local in the OS "
            "environment); use local, auto, path or goX.Y.Z with optional +auto or +path.",
        )
        return
    ver = _toolchain_version(lo) if lo != "local" else ""
    m = re.fullmatch(r"1\.(\d+)", ver)
    if m and int(m.group(1)) >= 21:
        c.warn(
            "gotoolchain-not-release",
            f"{lo} is a language version, not a release (the first release is {lo}.0), so "
            f"go cannot find or download it; write {lo}.0 or a later patch release.",
        )


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
