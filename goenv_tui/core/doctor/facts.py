"""What the rules look at: the resolution plus a few facts only the doctor needs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from goenv_tui.core.explain import where
from goenv_tui.core.model import ChainEntry, Variable
from goenv_tui.core.paths import tilde
from goenv_tui.core.plan.change import GOENV, LINE, UNSET, Change, Place
from goenv_tui.core.resolve import Resolution


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

    def where_path(self, path: str) -> str:
        """A path as people read it (~/...)."""
        return tilde(path, self.home)

    def user_set(self) -> list[Variable]:
        """Variables whose value comes from a layer the user controls."""
        return [v for v in self.res.variables.values() if v.user_set]


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
    place = removal_place(entry)
    if place is None:
        return None
    if place.kind == GOENV:
        place = Place(GOENV)
    return Change(UNSET, name, None, place)
