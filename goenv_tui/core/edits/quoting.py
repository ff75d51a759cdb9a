"""Values as shell words: POSIX sh/bash/zsh (``shlex.quote``) and fish.

A value that starts with ``$HOME``, ``${HOME}`` or ``~`` (followed by ``/`` or nothing) is
meant to expand: it is written ``"$HOME"`` + the quoted rest (docs/shell-provenance.md §5).
Never ``$'...'``: dash reads ~/.profile. Values holding NUL, CR or LF are refused: they
cannot live on one line of a managed block, and go refuses them anyway.
"""

from __future__ import annotations

import re
import shlex

from goenv_tui.core.edits.errors import EditError

SH_SHELLS = frozenset({"sh", "bash", "zsh"})
SHELLS = frozenset({*SH_SHELLS, "fish"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_HOME = re.compile(r"(\$HOME|\$\{HOME\}|~)(?=/|\Z)")
_FISH_SAFE = re.compile(r"[A-Za-z0-9_@+=:,./-]+\Z")


def check_shell(shell: str) -> None:
    """Refuse a shell the builders do not know."""
    if shell not in SHELLS:
        raise EditError(f"Unknown shell {shell!r}: expected one of bash, sh, zsh or fish.")


def check_name(name: str) -> None:
    """Refuse a name that is not a valid environment variable name for a shell."""
    if not _NAME.match(name):
        raise EditError(f"{name!r} is not a valid variable name for a shell.")


def check_value(name: str, value: str) -> None:
    """Refuse values that cannot be written on one line."""
    for ch, what in (("\0", "a NUL byte"), ("\n", "a newline"), ("\r", "a carriage return")):
        if ch in value:
            raise EditError(f"The value of {name} contains {what}, which goenv-tui will not write.")


def split_home(value: str, expand_home: bool | None) -> tuple[bool, str]:
    """(starts with the home directory, the rest) for ``expand_home`` (None: detect)."""
    if expand_home is False:
        return False, value
    m = _HOME.match(value)
    if m is None:
        return False, value
    return True, value[m.end() :]


def sh_word(value: str, expand_home: bool | None = None) -> str:
    """One sh/bash/zsh word whose value is ``value`` (``$HOME`` expanded when meant)."""
    home, rest = split_home(value, expand_home)
    if home:
        return '"$HOME"' + (shlex.quote(rest) if rest else "")
    return shlex.quote(value)


def fish_quote(text: str) -> str:
    """One fish word holding exactly ``text`` (fish single quotes: only \\\\ and \\' escape)."""
    if _FISH_SAFE.match(text):
        return text
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish_word(value: str, expand_home: bool | None = None) -> str:
    """One fish word whose value is ``value`` (``$HOME`` expanded when meant)."""
    home, rest = split_home(value, expand_home)
    if home:
        return '"$HOME"' + (fish_quote(rest) if rest else "")
    return fish_quote(value)


def word(shell: str, value: str, expand_home: bool | None = None) -> str:
    """The word for ``value`` in ``shell``'s syntax."""
    return fish_word(value, expand_home) if shell == "fish" else sh_word(value, expand_home)


def assignment_line(shell: str, name: str, value: str, expand_home: bool | None = None) -> str:
    """``export NAME=word`` (sh family) or ``set -gx -- NAME word`` (fish)."""
    check_name(name)
    check_value(name, value)
    if shell == "fish":
        return f"set -gx -- {name} {fish_word(value, expand_home)}"
    return f"export {name}={sh_word(value, expand_home)}"
