"""Which startup files each shell reads, per mode (docs/shell-provenance.md §1)."""

from __future__ import annotations

import os
from dataclasses import dataclass

SHELLS: tuple[str, ...] = ("bash", "zsh", "sh", "fish")
MODES: tuple[str, ...] = ("login+interactive", "interactive", "login", "noninteractive")

BASH_LOGIN_CHOICES: tuple[str, ...] = (".bash_profile", ".bash_login", ".profile")
NOTE_FIRST_OF = "not read: bash reads only the first of ~/.bash_profile, ~/.bash_login, ~/.profile"


@dataclass(frozen=True)
class Candidate:
    """One file a shell may read at startup: whether this mode reads it, and why not."""

    path: str
    read: bool
    note: str | None = None  # why the file is not read (read=False)


def is_login(mode: str) -> bool:
    """True for the login modes."""
    return mode in ("login+interactive", "login")


def is_interactive(mode: str) -> bool:
    """True for the interactive modes."""
    return mode in ("login+interactive", "interactive")


def bash_login_file(home: str) -> str | None:
    """The one of ~/.bash_profile, ~/.bash_login, ~/.profile a login bash reads."""
    for name in BASH_LOGIN_CHOICES:
        path = os.path.join(home, name)
        if os.path.isfile(path):
            return path
    return None


def bash_candidates(home: str, mode: str) -> list[Candidate]:
    """bash: /etc/profile + the first login file, or /etc/bash.bashrc + ~/.bashrc."""

    def h(name: str) -> str:
        return os.path.join(home, name)

    out: list[Candidate] = []
    if is_login(mode):
        out.append(Candidate("/etc/profile", True))
        chosen = bash_login_file(home)
        for name in BASH_LOGIN_CHOICES:
            path = h(name)
            if path == chosen:
                out.append(Candidate(path, True))
            else:
                out.append(Candidate(path, False, NOTE_FIRST_OF))
        out.append(
            Candidate(
                "/etc/bash.bashrc",
                False,
                "not read by a login bash itself (only when /etc/profile sources it)",
            )
        )
        out.append(
            Candidate(
                h(".bashrc"),
                False,
                "not read: a login bash reads ~/.bashrc only "
                "when ~/.bash_profile (or ~/.profile) sources it",
            )
        )
        return out
    why = (
        "not read: a non-login interactive bash reads only /etc/bash.bashrc and ~/.bashrc"
        if is_interactive(mode)
        else "not read: `ssh host cmd` runs bash non-login: only /etc/bash.bashrc and ~/.bashrc"
    )
    out.append(Candidate("/etc/bash.bashrc", True))
    out.append(Candidate(h(".bashrc"), True))
    out.append(Candidate("/etc/profile", False, why))
    out.extend(Candidate(h(name), False, why) for name in BASH_LOGIN_CHOICES)
    return out


def sh_candidates(home: str, mode: str, env_file: str | None) -> list[Candidate]:
    """sh/dash: /etc/profile + ~/.profile for login, $ENV for interactive."""
    out: list[Candidate] = []
    login_why = "not read: only a login sh reads /etc/profile and ~/.profile"
    out.append(Candidate("/etc/profile", is_login(mode), None if is_login(mode) else login_why))
    out.append(
        Candidate(
            os.path.join(home, ".profile"), is_login(mode), None if is_login(mode) else login_why
        )
    )
    if env_file:
        out.append(
            Candidate(
                env_file,
                is_interactive(mode),
                None if is_interactive(mode) else "not read: sh reads $ENV only when interactive",
            )
        )
    return out


def zsh_etc_dir() -> str:
    """Where this zsh build keeps its global files (Debian: /etc/zsh)."""
    return "/etc/zsh" if os.path.isdir("/etc/zsh") else "/etc"


def zsh_candidates(
    home: str, mode: str, start_zdotdir: str | None, zdotdir: str | None
) -> list[Candidate]:
    """zsh: zshenv pair, [login] zprofile pair, [interactive] zshrc pair, [login] zlogin pair.

    `start_zdotdir` is ZDOTDIR when zsh starts (it picks .zshenv); `zdotdir` its value after
    the zshenv pair ran (it picks the other files).
    """
    etc = zsh_etc_dir()
    out: list[Candidate] = []
    for stem, wanted, why in (
        ("zshenv", True, None),
        ("zprofile", is_login(mode), "not read: only a login zsh reads zprofile"),
        ("zshrc", is_interactive(mode), "not read: only an interactive zsh reads zshrc"),
        ("zlogin", is_login(mode), "not read: only a login zsh reads zlogin"),
    ):
        out.append(Candidate(os.path.join(etc, stem), wanted, why))
        zdot = (start_zdotdir if stem == "zshenv" else zdotdir) or home
        out.append(Candidate(os.path.join(zdot, "." + stem), wanted, why))
    if zdotdir and os.path.realpath(zdotdir) != os.path.realpath(home):
        why_z = f"not read: ZDOTDIR is {zdotdir}, so zsh reads its files there"
        out.extend(
            Candidate(os.path.join(home, "." + stem), False, why_z)
            for stem in ("zprofile", "zshrc", "zlogin")
        )
    return out
