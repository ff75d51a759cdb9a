"""CGO_CFLAGS, CGO_CPPFLAGS, CGO_CXXFLAGS, CGO_FFLAGS, CGO_LDFLAGS: go passes them to the C
compiler of every build that uses cgo, so a flag the compiler does not know fails
every build while cgo is on. The one rule that asks a program: the C compiler in effect is run,
as the user goenv-tui acts for, on an empty program with the flags (answers are cached)."""

from __future__ import annotations

import functools
import os
import subprocess
import tempfile

from goenv_tui.core.acting import as_acting_user
from goenv_tui.core.validate.check import _Check
from goenv_tui.core.validate.rules_build import c_compiler
from goenv_tui.core.validate.syntax import _is_this_host, _quoted_split

#: The compiler each variable reaches (CGO_CXXFLAGS: the C++ one) and whether it links.
_FLAG_VARS = {
    "CGO_CFLAGS": ("c", False),
    "CGO_CPPFLAGS": ("c", False),
    "CGO_CXXFLAGS": ("c++", False),
    "CGO_LDFLAGS": ("c", True),
}
_TIMEOUT = 10.0


def _cgo_flags(c: _Check) -> None:
    fields = _quoted_split(c.value)
    if isinstance(fields, str):
        c.err(
            "cgo-flags-syntax",
            f"go cannot split {c.name} into words (“{fields}”), so every cgo build fails; "
            "close the quote.",
        )
        return
    lang, link = _FLAG_VARS[c.name]
    compiler = c_compiler(c)
    if lang == "c++":
        compiler = "g++" if compiler in {"gcc", "cc"} else "clang++" if compiler == "clang" else ""
    found = c.which(compiler) if compiler and _is_this_host(c.hostos) else None
    if not fields or not found:
        return
    said = _compiler_refuses(found, lang, link, tuple(fields))
    if said:
        c.err(
            "cgo-flags-refused",
            f'every build that uses cgo (import "C", or net and os/user while cgo is on) '
            f"fails: {compiler} refuses {c.name} (“{said}”); remove the flag or fix it.",
        )


@functools.lru_cache(maxsize=64)
def _compiler_refuses(compiler: str, lang: str, link: bool, flags: tuple[str, ...]) -> str:
    """The compiler's first error line for an empty program built with ``flags`` ("" when
    it builds, or when the compiler cannot be asked)."""
    with tempfile.TemporaryDirectory(prefix="goenv-tui-cc-") as tmp:
        out = os.path.join(tmp, "a.out")
        argv = [compiler, "-x", lang, "-", *flags, "-o", out]
        if not link:
            argv.insert(1, "-c")
        try:
            ran = subprocess.run(
                argv,
                input=b"int main(void) { return 0; }\n",
                capture_output=True,
                timeout=_TIMEOUT,
                cwd=tmp,
                check=False,
                **as_acting_user(),
            )
        except (OSError, subprocess.SubprocessError):
            return ""
    if ran.returncode == 0:
        return ""
    lines = ran.stderr.decode("utf-8", "replace").splitlines()
    errors = [
        ln
        for ln in lines
        if any(w in ln.lower() for w in ("error", "cannot find", "unrecognized"))
        and not ln.startswith("collect2")
    ] or lines
    return errors[0].strip() if errors else f"exit status {ran.returncode}"
