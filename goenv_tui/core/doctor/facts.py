"""What the rules look at: the resolution plus a few facts only the doctor needs."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from goenv_tui.core.explain import where
from goenv_tui.core.model import ChainEntry, Variable
from goenv_tui.core.paths import tilde
from goenv_tui.core.plan.change import GOENV, LINE, SET, UNSET, Change, Place
from goenv_tui.core.resolve import Resolution
from goenv_tui.core.validate import Problem, validate


@dataclass(frozen=True)
class Facts:
    """The chains and go probe (``res``), the environment, and what `ssh host cmd` gets."""

    res: Resolution
    env: Mapping[str, str]
    remote: Mapping[str, str | None] | None = None  # None: not known (fish, no trace)

    @property
    def home(self) -> str:
        """The user's HOME."""
        return self.env.get("HOME") or os.path.expanduser("~")

    @property
    def go_version(self) -> str | None:
        """The version of the go binary itself (what runs before any toolchain switch)."""
        return self.res.go.local_version or self.res.go.version

    def where(self, entry: ChainEntry) -> str:
        """~/.bashrc:12, ~/.config/go/env:3, session, ..."""
        return where(entry, self.home)

    def validate(self, name: str, value: str, target: str) -> list[Problem]:
        """validate() with this go's version, GOOS and GOARCH (``target`` goenv | os)."""
        eff = self.res.go.effective
        return validate(
            name,
            value,
            go_version=self.go_version,
            goos=eff.get("GOOS") or "linux",
            goarch=eff.get("GOARCH") or "amd64",
            target=target,
            cc=eff.get("CC", ""),
            path=self.env.get("PATH"),
        )

    def where_path(self, path: str) -> str:
        """A path as people read it (~/...)."""
        return tilde(path, self.home)

    def user_set(self) -> list[Variable]:
        """Variables whose value comes from a layer the user controls."""
        return [v for v in self.res.variables.values() if v.user_set]

    @property
    def go_said(self) -> str | None:
        """go's own error line when `go env` failed (without goenv-tui's framing), or None."""
        return go_error_text(self.res.go.error)

    def names_in_go_error(self, name: str) -> bool:
        """True when go's own error text names the variable (``invalid GOTOOLCHAIN ...``)."""
        said = self.go_said or ""
        return re.search(rf"(?<![A-Z0-9_]){re.escape(name)}(?![A-Z0-9_])", said) is not None


#: goprobe frames go's line as "go env failed (exit N): LINE; the values shown come from X."
_FRAME = re.compile(r"^.*?\(exit -?\d+\): ")
_TAIL = "; the values shown come from"


def go_error_text(error: str | None) -> str | None:
    """go's own words inside the probe's one-sentence error (no final period)."""
    if not error:
        return None
    text = _FRAME.sub("", error, count=1)
    text = text.split(_TAIL, 1)[0].strip()
    return text.rstrip(".") or None


_USERINFO = re.compile(r"(://)([^/@\s]*)@")


def shown(value: str) -> str:
    """A value for a message: URL passwords (or whole userinfo) masked, quoted like repr."""

    def mask(m: re.Match[str]) -> str:
        user, colon, _pw = m.group(2).partition(":")
        return f"{m.group(1)}{user}:xxxxx@" if colon else f"{m.group(1)}xxxxx@"

    return repr(_USERINFO.sub(mask, value))


def has_userinfo(text: str) -> bool:
    """True when a URL in ``text`` carries user[:password]@."""
    return _USERINFO.search(text) is not None


def removal_place(entry: ChainEntry | None) -> Place | None:
    """Where a value can be removed by an edit: the go env file, or the exact startup line.
    None for go.env, PAM files and the session (an edit cannot reach them)."""
    if entry is None:
        return None
    if entry.layer == "goenv":
        return Place(GOENV, entry.file)
    if entry.layer == "startup" and entry.file and entry.line:
        return Place(LINE, entry.file, entry.line)
    return None


def unset_change(name: str, entry: ChainEntry | None) -> Change | None:
    """The change that removes ``entry``'s assignment of ``name``, when an edit can."""
    return _change_at(entry, Change(UNSET, name))


def set_change(name: str, value: str, entry: ChainEntry | None) -> Change | None:
    """The change that rewrites ``entry``'s assignment of ``name`` to ``value``, when an edit
    can (the go env file through `go env -w`, a startup file at its exact line)."""
    return _change_at(entry, Change(SET, name, value))


def _change_at(entry: ChainEntry | None, change: Change) -> Change | None:
    place = removal_place(entry)
    if place is None:
        return None
    return replace(change, place=Place(GOENV) if place.kind == GOENV else place)
