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


def version_choice(manager: str, env: Mapping[str, str]) -> str | None:
    """Which file or variable chose the version a manager runs, as a phrase (goenv: the
    GOENV_VERSION variable, a .go-version up from the folder, then $GOENV_ROOT/version;
    asdf: ASDF_GOLANG_VERSION, a .tool-versions up from the folder, then ~/.tool-versions)."""
    home = env.get("HOME", "")
    cwd = os.getcwd()  # where go runs (PWD can be stale)
    if manager == "goenv":
        if env.get("GOENV_VERSION"):
            return f"the version {env['GOENV_VERSION']} is chosen by GOENV_VERSION"
        root = env.get("GOENV_ROOT") or os.path.join(home, ".goenv")
        return _chosen_by(_up_from(cwd, ".go-version") or os.path.join(root, "version"))
    if manager == "asdf":
        if env.get("ASDF_GOLANG_VERSION"):
            return f"the version {env['ASDF_GOLANG_VERSION']} is chosen by ASDF_GOLANG_VERSION"
        found = _up_from(cwd, ".tool-versions") or os.path.join(home, ".tool-versions")
        return _chosen_by(found)
    return None


def _up_from(folder: str, name: str) -> str | None:
    while True:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _chosen_by(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            first = fh.read(4096).split("\n", 1)[0].strip()
    except OSError:
        return None
    return f"the version {first} is chosen by {path}" if first else None


#: What to do instead of an edit, per manager and variable (their own commands and switches).
_WRAPPER_ADVICE = {
    ("goenv", "GOROOT"): "choose the version with `goenv global VERSION` (or `goenv local`)",
    ("goenv", "GOPATH"): (
        "export GOENV_DISABLE_GOPATH=1 from a startup file to let your own GOPATH through, "
        "or GOENV_GOPATH_PREFIX=DIR to move goenv's"
    ),
    ("asdf", "GOROOT"): "choose the version with `asdf set golang VERSION`",
}


def wrapper_advice(note: str, name: str) -> str:
    """What changes a value a manager's shim sets (``note`` is the wrapper entry's note)."""
    for (manager, var), advice in _WRAPPER_ADVICE.items():
        if var == name and f"{manager}'s go shim" in note:
            return advice
    return "change it in that script (or take the wrapper off PATH)"


#: Where toolchains live: (path pattern, who installed it ({v}: the version), how to switch).
_LAYOUTS = (
    (r"/\.goenv/versions/([^/]+)", "goenv ({v})", "`goenv global VERSION`"),
    (r"/\.asdf/installs/golang/([^/]+)", "asdf-golang ({v})", "`asdf set golang VERSION`"),
    (r"/mise/installs/go/([^/]+)", "mise ({v})", "`mise use -g go@VERSION`"),
    (r"/\.gvm/gos/(go[^/]+)", "gvm ({v})", "`gvm use VERSION --default`"),
    (r"/sdk/(go[0-9][^/]*)$", "golang.org/dl ({v})", "run another `goX.Y.Z` wrapper"),
    (r"/\.go$", "g", "`g set VERSION`"),
    (r"/Cellar/go(?:@[0-9.]+)?/([^/]+)/libexec", "Homebrew ({v})", "`brew upgrade go`"),
    (r"^/usr/lib/go-([0-9.]+)$", "Debian's golang-{v} package", "`update-alternatives`"),
    (r"^/usr/lib/golang$", "the distribution's golang package", "the package manager"),
    (r"^/usr/local/go$", "the go.dev tarball", "a newer tarball in /usr/local/go"),
)


def toolchain_origin(goroot: str) -> str | None:
    """Who installed the toolchain at ``goroot`` and how to switch, by its layout."""
    import re

    for pattern, who, switch in _LAYOUTS:
        found = re.search(pattern, goroot)
        if found is not None:
            version = found.group(1) if found.groups() else ""
            return f"installed by {who.format(v=version)}; switch with {switch}"
    return None
