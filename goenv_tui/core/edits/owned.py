"""Lines and files another tool owns: an edit there breaks the tool or is undone by it.

- An installer-marked line: g's install line ends in ``# g-install: do NOT edit`` (g reads
  the GOROOT it exports; without it every ``g`` command fails); any line saying "do not
  edit"; a line inside a ``# >>> conda initialize >>>`` style block that ``conda init``
  rewrites.
- A file inside a framework's or version manager's own tree (oh-my-zsh, Bash-it, goenv, gvm,
  asdf, mise, SDKMAN!, nvm, pyenv, conda, Homebrew), also when reached through a symlink
  (Bash-it's ``enabled/`` links into its ``available/`` plugins): an update overwrites it.
  Their custom/ folders are the user's own.

Such a value is changed at the user's own override point instead (a block after it).
"""

from __future__ import annotations

import os
import re

#: Tool trees under HOME (and system ones), by the tool that owns them.
TREES = (
    (".oh-my-zsh/", "oh-my-zsh"),
    (".bash_it/", "Bash-it"),
    (".goenv/", "goenv"),
    (".gvm/", "gvm"),
    (".asdf/", "asdf"),
    (".local/share/mise/", "mise"),
    (".sdkman/", "SDKMAN!"),
    (".nvm/", "nvm"),
    (".pyenv/", "pyenv"),
    ("miniconda3/", "conda"),
    ("anaconda3/", "conda"),
    ("miniforge3/", "conda"),
    (".conda/", "conda"),
)
SYSTEM_TREES = (
    ("/opt/homebrew/", "Homebrew"),
    ("/usr/local/Homebrew/", "Homebrew"),
    ("/opt/conda/", "conda"),
)
#: The folders inside a framework's tree that are the user's own (ignored by the framework's
#: git, never touched by its updates): oh-my-zsh's $ZSH_CUSTOM, Bash-it's custom/.
USER_FOLDERS = (".oh-my-zsh/custom/", ".bash_it/custom/")

#: How g's installer line is named (the planner keeps g's GOROOT by it).
G_OWNER = "g's installer"
#: The most of a file read to look at one of its lines.
MAX_READ = 4 * 1024 * 1024

_DO_NOT_EDIT = re.compile(r"\bdo\s+not\s+edit\b", re.IGNORECASE)
_BLOCK_START = re.compile(r"^\s*#\s*>>>\s*(.+?)\s*>>>\s*$")
_BLOCK_END = re.compile(r"^\s*#\s*<<<\s*(.+?)\s*<<<\s*$")


def file_owner(path: str, home: str) -> str | None:
    """The tool whose tree ``path`` (or what it links to) is in, else None."""
    for candidate in dict.fromkeys((os.path.abspath(path), os.path.realpath(path))):
        if home and any(candidate.startswith(os.path.join(home, f)) for f in USER_FOLDERS):
            continue
        for folder, tool in TREES:
            if home and candidate.startswith(os.path.join(home, folder)):
                return tool
        for folder, tool in SYSTEM_TREES:
            if candidate.startswith(folder):
                return tool
    return None


def line_owner(data: bytes, line: int) -> str | None:
    """Why line ``line`` (1-based) of ``data`` belongs to a tool, as a phrase, else None."""
    lines = data.decode("utf-8", "surrogateescape").splitlines()
    if not 1 <= line <= len(lines):
        return None
    text = lines[line - 1]
    if "g-install" in text and _DO_NOT_EDIT.search(text):
        return f"{G_OWNER} (“g-install: do NOT edit”; every g command needs it)"
    if _DO_NOT_EDIT.search(text):
        return "a tool's installer (the line says “do not edit”)"
    block = None
    for row in lines[: line - 1]:
        start, end = _BLOCK_START.match(row), _BLOCK_END.match(row)
        if start:
            block = start[1]
        elif end and block == end[1]:
            block = None
    if block is not None and block.lower() != "goenv-tui":
        return f"the “{block}” block, which its tool rewrites"
    return None


def owner_at(path: str, line: int, home: str, data: bytes | None = None) -> str | None:
    """Why ``path:line`` belongs to a tool (its tree, else the line), as a phrase, else None;
    ``data`` is the file's bytes when the caller has them."""
    tool = file_owner(path, home)
    if tool is not None:
        return f"{tool}'s own tree (an update overwrites it)"
    if data is None:
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_READ)
        except OSError:
            return None
    return line_owner(data, line)
