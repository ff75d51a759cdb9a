"""Go version managers a session can switch on purpose (`gvm use`, `goenv shell`, `asdf shell`).

Such a switch leaves the session with values a fresh terminal does not get; that is what the
user chose, not a stale session, and "open a new terminal" would undo it. Each manager marks
the switch in the session's environment (gvm's environment files export ``gvm_go_name``;
``goenv shell`` exports ``GOENV_VERSION``; ``asdf shell golang`` exports
``ASDF_GOLANG_VERSION``) and keeps its toolchains under its own root.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Manager:
    """A version manager's session switch: its marker variable and how to make it stick."""

    name: str
    marker: str  # the variable the switch exports into the session
    root_var: str  # the variable naming the manager's root
    root_default: str  # the root under HOME when root_var is unset
    switch: str  # the command that made it (with {version})
    make_default: str  # the command that makes it what new terminals get


MANAGERS = (
    Manager(
        "gvm", "gvm_go_name", "GVM_ROOT", ".gvm", "gvm use {version}",
        "gvm use {version} --default",
    ),
    Manager(
        "goenv", "GOENV_VERSION", "GOENV_ROOT", ".goenv", "goenv shell {version}",
        "goenv global {version}",
    ),
    Manager(
        "asdf", "ASDF_GOLANG_VERSION", "ASDF_DATA_DIR", ".asdf", "asdf shell golang {version}",
        "asdf set -u golang {version}",
    ),
)  # fmt: skip


def session_switch(value: str | None, env: Mapping[str, str]) -> str | None:
    """Why the session's ``value`` is a manager's deliberate switch (None: it is not).

    It is when the session carries the manager's marker and the value lies in the manager's
    tree or names the version switched to.
    """
    if not value:
        return None
    home = env.get("HOME", "")
    for manager in MANAGERS:
        version = env.get(manager.marker)
        if not version:
            continue
        root = env.get(manager.root_var) or os.path.join(home, manager.root_default)
        if (root and root in value) or version in value:
            made = manager.switch.format(version=version)
            keep = manager.make_default.format(version=version)
            return (
                f"this session switched to {version} with {manager.name} (`{made}`): a new "
                f"terminal gets {manager.name}'s default instead; `{keep}` makes it the default"
            )
    return None
