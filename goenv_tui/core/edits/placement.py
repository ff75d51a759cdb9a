"""Where a value must be written to reach the shells that matter (shell-provenance.md §5).

- bash: the TOP of ~/.bashrc (before the interactive guard): interactive shells, ``bash -lc``
  (Debian's ~/.profile sources ~/.bashrc) and ``ssh host cmd``. Appended at the end it would
  miss the last two.
- zsh: ``${ZDOTDIR:-$HOME}/.zshenv`` (every zsh, ``ssh host cmd`` included).
- fish: ``$XDG_CONFIG_HOME/fish/conf.d/goenv-tui.fish`` (every fish, ``fish -c`` included).
- sh: ~/.profile (login sh/dash; a login bash too when it has no ~/.bash_profile).
- system scope: /etc/profile.d/goenv-tui.sh: sh/bash LOGIN shells only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from goenv_tui.core.edits.errors import EditError
from goenv_tui.core.edits.quoting import check_shell
from goenv_tui.core.paths import tilde
from goenv_tui.core.shells.bashparse import parse_file
from goenv_tui.core.shells.startup_files import bash_login_file

SYSTEM_FILE = "/etc/profile.d/goenv-tui.sh"
FISH_FILE = "goenv-tui.fish"


@dataclass(frozen=True)
class Target:
    """A file to hold the managed block, where in it, in which syntax, and what to know."""

    path: str
    position: str  # "top" | "end"
    shell_syntax: str  # "bash" | "sh" | "zsh" | "fish": the syntax and the syntax check
    note: str | None = None


def startup_target(shell: str, home: str, env: Mapping[str, str], scope: str = "user") -> Target:
    """The file and position for ``shell`` (``scope`` "user" or "system")."""
    check_shell(shell)
    if scope == "system":
        return _system(shell)
    if scope != "user":
        raise EditError(f"Unknown scope {scope!r}: expected user or system.")
    if shell == "bash":
        return _bash(home)
    if shell == "zsh":
        zdot = env.get("ZDOTDIR") or home
        path = os.path.join(zdot, ".zshenv")
        note = "Every zsh reads it, ssh host cmd included; a later ~/.zprofile or ~/.zshrc "
        note += "line for the same name still overrides it."
        return Target(path, "end", "zsh", _created(path, home, note))
    if shell == "fish":
        config = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
        path = os.path.join(config, "fish", "conf.d", FISH_FILE)
        note = "Every fish reads conf.d, fish -c included; config.fish runs later and wins."
        return Target(path, "end", "fish", _created(path, home, note))
    path = os.path.join(home, ".profile")
    note = "Login sh and dash shells read it, not non-login ones."
    if bash_login_file(home) not in (None, path):
        note += f" A login bash reads {_shown(bash_login_file(home), home)} instead."
    return Target(path, "end", "sh", _created(path, home, note))


def _system(shell: str) -> Target:
    note = "It reaches sh and bash LOGIN shells only"
    if shell in ("zsh", "fish"):
        note += f": on Debian no {shell} reads /etc/profile.d (only via a login-shell parent)"
    else:
        note += ", not ~/.bashrc shells or ssh host cmd"
    return Target(SYSTEM_FILE, "end", "sh", note + ".")


def _bash(home: str) -> Target:
    bashrc = os.path.join(home, ".bashrc")
    notes: list[str] = []
    if not os.path.isfile(bashrc):
        notes.append("~/.bashrc does not exist yet and will be created.")
    login = bash_login_file(home)
    if login is None:
        notes.append(
            "No ~/.bash_profile, ~/.bash_login or ~/.profile exists, so login shells "
            "(bash -l, ssh with a terminal) will not read ~/.bashrc; create ~/.profile "
            "with `. ~/.bashrc` in it."
        )
    elif not _sources_bashrc(login):
        shown = _shown(login, home)
        notes.append(
            f"A login bash reads {shown}, which does not source ~/.bashrc, so login shells "
            f"(bash -l, ssh with a terminal) will not see this value; add `. ~/.bashrc` to "
            f"{shown}."
        )
    return Target(bashrc, "top", "bash", " ".join(notes) or None)


def _sources_bashrc(path: str) -> bool:
    parsed = parse_file(path)
    return any(
        os.path.basename(ref.target_text.strip("'\"")) == ".bashrc" and ref.function is None
        for ref in parsed.sources
    )


def _created(path: str, home: str, note: str) -> str:
    if os.path.isfile(path):
        return note
    return f"{_shown(path, home)} does not exist yet and will be created. {note}"


def _shown(path: str | None, home: str) -> str:
    return tilde(path or "", home)
