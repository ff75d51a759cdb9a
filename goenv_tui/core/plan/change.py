"""One requested change: set or unset NAME, and where (``--to`` / ``--from``)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from goenv_tui.core.advice import command, unset_command
from goenv_tui.core.plan.errors import PlanError

SET = "set"
UNSET = "unset"
#: The place kinds: the go env file, a managed block, one existing assignment.
GOENV, BLOCK, LINE = "goenv", "block", "line"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_LINE_SPEC = re.compile(r"(.+):([0-9]+)\Z")


@dataclass(frozen=True)
class Place:
    """Where a change goes: ``kind`` goenv | block | line; ``path`` None = the default file."""

    kind: str
    path: str | None = None
    line: int | None = None

    @property
    def spec(self) -> str:
        """The ``--to``/``--from`` text that names this place."""
        if self.kind == GOENV:
            return "goenv"
        if self.kind == BLOCK:
            return "startup" if self.path is None else f"startup:{self.path}"
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Change:
    """Set NAME=VALUE or unset NAME; ``place`` None means "where it takes effect"."""

    op: str
    name: str
    value: str | None = None
    place: Place | None = None

    def describe(self) -> str:
        """One line for lists: ``set GOPATH=/x (goenv)``."""
        what = f"set {self.name}={self.value}" if self.op == SET else f"unset {self.name}"
        where = self.place.spec if self.place else "where it takes effect"
        return f"{what}  [{'to' if self.op == SET else 'from'} {where}]"

    def to_json(self) -> dict[str, Any]:
        """The staged-plan form."""
        return {
            "op": self.op,
            "name": self.name,
            "value": self.value,
            "place": None if self.place is None else self.place.spec,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], home: str) -> Change:
        """Inverse of :meth:`to_json`; PlanError when it is not a change."""
        op, name, value, place = (data.get(k) for k in ("op", "name", "value", "place"))
        if op not in (SET, UNSET) or not isinstance(name, str):
            raise PlanError("The staged plan holds an entry that is not a change.")
        if op == SET and not isinstance(value, str):
            raise PlanError(f"The staged change of {name} has no value.")
        parsed = None if place is None else parse_place(str(place), home)
        return cls(op, name, value if op == SET else None, parsed)


def parse_place(spec: str, home: str) -> Place:
    """``goenv`` | ``startup`` | ``startup:FILE`` | ``FILE:LINE`` (FILE may start with ~)."""
    if spec == "goenv":
        return Place(GOENV)
    if spec == "startup":
        return Place(BLOCK)
    if spec.startswith("startup:") and len(spec) > len("startup:"):
        return Place(BLOCK, _abspath(spec[len("startup:") :], home))
    m = _LINE_SPEC.match(spec)
    if m and int(m.group(2)) >= 1:
        return Place(LINE, _abspath(m.group(1), home), int(m.group(2)))
    raise PlanError(
        f"{spec!r} is not a place: use goenv, startup, startup:FILE or FILE:LINE "
        "(the file:line that `goenv-tui explain NAME` shows)"
    )


def _abspath(path: str, home: str) -> str:
    if path == "~" or path.startswith("~/"):
        path = home + path[1:]
    return os.path.abspath(path)


def empty_refusal(name: str) -> str:
    """Why an empty value is not staged unless asked for (the start of the sentence)."""
    return (
        f"{name}= is an empty value: go treats an exported empty {name} as unset, and in the "
        "go env file it hides $GOROOT/go.env's default; to remove the value, unset it"
    )


def parse_change(
    op: str, arg: str, place: str | None, home: str, *, empty_ok: bool = False
) -> Change:
    """A change from the command line: ``set NAME=VALUE`` or ``unset NAME``; an empty value
    only with ``empty_ok`` (``--empty``)."""
    if op == SET:
        name, eq, value = arg.partition("=")
        if not eq:
            raise PlanError(f"{arg!r} has no '=': write NAME=VALUE, e.g. GOPATH=$HOME/go")
        if value == "" and not empty_ok and _NAME.match(name):
            raise PlanError(
                f"{empty_refusal(name)} ({unset_command(name)}), or set it empty anyway with "
                f"{command('set', f'{name}=', '--empty')}; nothing was staged"
            )
    elif op == UNSET:
        name, value = arg, None
        if "=" in arg:
            raise PlanError(f"unset takes a NAME, not {arg!r}")
    else:
        raise PlanError(f"unknown change {op!r}: expected set or unset")
    if not _NAME.match(name):
        raise PlanError(f"{name!r} is not a variable name")
    return Change(op, name, value, None if place is None else parse_place(place, home))
