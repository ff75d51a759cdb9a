"""Where a startup file puts a folder on PATH, and where ~/.bashrc's interactive guard is.

PATH is not traced line by line (only its value at the end of the startup), so these read
the files the trace saw, as text: enough to point at the line a user moves by hand.
"""

from __future__ import annotations

import os
import re

from goenv_tui.core.paths import tilde

#: The largest startup file read here (a generated one can be huge; the rule just says less).
_LIMIT = 2 << 20
#: The early return of non-interactive shells, on one line (Debian's `case $- in ... esac`
#: spans several: its `case $-` line is the guard).
_GUARD = re.compile(
    r"""^\s*(?:
        case\s+"?\$-"?\s+in                                  # case $- in *i*) ;; *) return;;
      | \[\[?\s+(?:"?\$-"?\s+!?[=!]=?\s+\*i\*|-z\s+"?\$PS1"?)\s*\]\]?\s*&&\s*return
      | \[\[?\s+(?:"?\$-"?\s+==?\s+\*i\*|-n\s+"?\$PS1"?)\s*\]\]?\s*\|\|\s*return
    )""",
    re.VERBOSE,
)
#: A line that changes PATH (sh/bash/zsh assignments, zsh's path array, fish).
_SETS_PATH = re.compile(
    r"\b(?:PATH\s*\+?=|path\s*\+?=|path\s*=\s*\(|fish_add_path|set\s.*\bPATH\b)"
)


def _lines(path: str) -> list[str]:
    try:
        with open(path, "rb") as fh:
            data = fh.read(_LIMIT)
    except OSError:
        return []
    return data.decode("utf-8", "replace").splitlines()


def guard_line(path: str) -> int | None:
    """The 1-based line of the interactive guard in ``path`` (None: it has none)."""
    for number, text in enumerate(_lines(path), 1):
        if _GUARD.search(text):
            return number
    return None


def path_line(files: list[str], folder: str, home: str | None) -> tuple[str, int] | None:
    """The last line of ``files`` (in the order the startup read them) that puts ``folder``
    on PATH, written as itself, with ~, $HOME or ${HOME}."""
    forms = {folder.rstrip("/")}
    if home and home != "/" and folder.startswith(home.rstrip("/") + "/"):
        rest = folder[len(home.rstrip("/")) :]
        forms |= {tilde(folder, home), "$HOME" + rest, "${HOME}" + rest}
    found = None
    for path in files:
        for number, text in enumerate(_lines(path), 1):
            code = text.split("#", 1)[0] if not text.lstrip().startswith("#") else ""
            if _SETS_PATH.search(code) and any(_mentions(code, form) for form in forms):
                found = (path, number)
    return found


def _mentions(text: str, form: str) -> bool:
    """Whether ``form`` occurs in ``text`` as a whole folder (not a prefix of a longer one)."""
    at = text.find(form)
    while at != -1:
        end = at + len(form)
        if end == len(text) or text[end] in ":\"' /;)\t":
            return True
        at = text.find(form, at + 1)
    return False


#: Startup files only login shells read: `bash -c` and `ssh host cmd` never do.
LOGIN_ONLY = (".profile", ".bash_profile", ".bash_login", ".zprofile", ".zlogin")


def login_only(path: str) -> bool:
    """Whether only a login shell reads ``path`` (by its name)."""
    return os.path.basename(path) in LOGIN_ONLY
