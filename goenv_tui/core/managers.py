"""Go version managers: deliberate session switches (`gvm use`, `goenv shell`, asdf's
ASDF_GOLANG_VERSION), which file chose the version a shim runs, what changes a value a
shim sets, and who installed a toolchain.

Such a switch leaves the session with values a fresh terminal does not get; that is what the
user chose, not a stale session, and "open a new terminal" would undo it. Each manager marks
the switch in the session's environment (gvm's environment files export ``gvm_go_name``;
``goenv shell`` exports ``GOENV_VERSION``; asdf >= 0.16 has no `asdf shell`: the user
exports ``ASDF_GOLANG_VERSION``, as `asdf shell golang` did) and keeps its toolchains
under its own root.
"""

from __future__ import annotations

import os
import re
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
        "asdf", "ASDF_GOLANG_VERSION", "ASDF_DATA_DIR", ".asdf",
        "export ASDF_GOLANG_VERSION={version}", "asdf set -u golang {version}",
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


def version_choice(manager: str, env: Mapping[str, str], cwd: str | None = None) -> str | None:
    """Which file or variable chose the version a manager runs in ``cwd``, as a phrase.

    goenv: GOENV_VERSION, the nearest .go-version up from the folder, $GOENV_ROOT/version.
    asdf: ASDF_GOLANG_VERSION; then, folder by folder up to /, a .tool-versions with a
    golang line, else (``legacy_version_file = yes`` in ~/.asdfrc) .go-version, go.mod or
    go.work; then ~/.tool-versions. mise: MISE_GO_VERSION; its config files up from the
    folder, then ~/.config/mise/config.toml.
    """
    folder = cwd or os.getcwd()  # where go runs (PWD can be stale)
    variable = _VERSION_VARIABLES.get(manager)
    if variable and env.get(variable):
        return f"the version {env[variable]} is chosen by {variable}"
    for path in version_files(manager, env, folder):
        version = _version_in(manager, path)
        if version and os.path.basename(path) in ("go.mod", "go.work"):
            return f"the version is chosen by {path} (its go {version} line: the newest match)"
        if version:
            return f"the version {version} is chosen by {path}"
    return None


#: The variable that overrides every version file, per manager.
_VERSION_VARIABLES = {
    "goenv": "GOENV_VERSION",
    "asdf": "ASDF_GOLANG_VERSION",
    "mise": "MISE_GO_VERSION",
}
_MISE_FILES = (
    "mise.local.toml", "mise.toml", ".mise.local.toml", ".mise.toml",
    ".config/mise.toml", ".config/mise/config.toml", ".tool-versions",
)  # fmt: skip


def version_files(manager: str, env: Mapping[str, str], cwd: str) -> list[str]:
    """Every file that can choose the version a manager runs in ``cwd``, in the order the
    manager looks (existing or not: creating one changes the answer)."""
    home = env.get("HOME", "")
    up = folders_up(cwd)
    if manager == "goenv":
        root = env.get("GOENV_ROOT") or os.path.join(home, ".goenv")
        return [*(os.path.join(d, ".go-version") for d in up), os.path.join(root, "version")]
    if manager == "asdf":
        name = env.get("ASDF_DEFAULT_TOOL_VERSIONS_FILENAME") or ".tool-versions"
        legacy_names: tuple[str, ...] = ()
        if _asdf_legacy(env, home):  # go.mod and go.work unless asdf-golang is told not to
            with_mod = env.get("ASDF_GOLANG_MOD_VERSION_ENABLED", "true") != "false"
            legacy_names = (".go-version", "go.mod", "go.work") if with_mod else (".go-version",)
        files = [os.path.join(d, n) for d in up for n in (name, *legacy_names)]
        return [*files, os.path.join(home, name)]
    if manager == "mise":
        config = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
        files = [os.path.join(d, n) for d in up for n in _MISE_FILES]
        return [*files, os.path.join(config, "mise", "config.toml")]
    return []


def folders_up(folder: str) -> list[str]:
    """``folder`` and every folder above it, up to /."""
    out = []
    while True:
        out.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            return out
        folder = parent


def _asdf_legacy(env: Mapping[str, str], home: str) -> bool:
    """Whether asdf reads legacy version files (``legacy_version_file = yes``)."""
    rc = env.get("ASDF_CONFIG_FILE") or os.path.join(home, ".asdfrc")
    for line in _head(rc).splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "legacy_version_file":
            return value.strip() == "yes"
    return False


def _head(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read(65536)
    except OSError:
        return ""


_GO_DIRECTIVE = re.compile(r"^\s*(?:toolchain\s+go|go\s+)([0-9][^\s]*)", re.M)
_MISE_GO = re.compile(r"^\s*go\s*=\s*(?:\[\s*)?[\"']([^\"']+)[\"']", re.M)


def _version_in(manager: str, path: str) -> str | None:
    """The go version ``path`` asks for, in the manager's reading of it (None: it does not)."""
    if not os.path.isfile(path):
        return None
    text = _head(path)
    base = os.path.basename(path)
    if base.endswith(".toml"):
        found = _MISE_GO.search(text)
        return found.group(1) if found else None
    if base in ("go.mod", "go.work"):
        directives = _GO_DIRECTIVE.findall(text)
        return directives[-1] if directives else None
    if base == ".go-version" or (manager == "goenv" and base == "version"):
        first = text.split("\n", 1)[0].strip()
        return first or None
    for line in text.splitlines():  # .tool-versions: the line of the golang plugin
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and words[0] in ("golang", "go"):
            return " ".join(words[1:])
    return None


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
    (r"goenv/versions/([^/]+)", "goenv ({v})", "`goenv global VERSION`"),
    (r"asdf/installs/golang/([^/]+)", "asdf-golang ({v})", "`asdf set golang VERSION`"),
    (r"/mise/installs/go/([^/]+)", "mise ({v})", "`mise use -g go@VERSION`"),
    (r"/\.gvm/gos/(go[^/]+)", "gvm ({v})", "`gvm use VERSION --default`"),
    (r"/sdk/(go[0-9][^/]*)$", "golang.org/dl ({v})", "run another `goX.Y.Z` wrapper"),
    (r"/\.go$", "g", "`g set VERSION`"),
    (r"/Cellar/go(?:@[0-9.]+)?/([^/]+)/libexec", "Homebrew ({v})", "`brew upgrade go`"),
    (
        r"/(?:mini|ana)?(?:conda|forge)\d*(?:/envs/[^/]+)?/go$",
        "conda's go package",
        "`conda install go=VERSION` in that environment",
    ),
    (r"^/usr/lib/go-([0-9.]+)$", "Debian's golang-{v} package", "`update-alternatives`"),
    (r"^/usr/lib/golang$", "the distribution's golang package", "the package manager"),
    (r"^/usr/local/go$", "the go.dev tarball", "a newer tarball in /usr/local/go"),
)


def toolchain_origin(goroot: str, wanted: str | None = None) -> str | None:
    """Who installed the toolchain at ``goroot`` and how to switch, by its layout; with
    ``wanted`` ("go1.27.3"), the switch names that version the way the manager spells it."""
    for pattern, who, switch in _LAYOUTS:
        found = re.search(pattern, goroot)
        if found is not None:
            version = found.group(1) if found.groups() else ""
            if wanted:
                spelled = wanted if "gvm" in who else wanted.removeprefix("go")
                switch = switch.replace("VERSION", spelled)
            return f"installed by {who.format(v=version)}; switch with {switch}"
    return None
