"""The layers that can decide a Go variable, as data: one registry everything reads.

Precedence is the order here, lowest first (docs/design.md "The layer model"). Resolve,
explain, the doctor, the planner, the renderers and the themes read these entries instead
of naming layers themselves; adding a layer is an entry here plus a reader in resolve.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layer:
    """One layer: its id, its badge, how it reaches go, whether a user set it, how a change
    to it is made, how sentences name an entry of it, and the colour themes fall back to.

    In `phrase`, `short` and `refusal`, {where} is the entry's place (~/.bashrc:12) and
    {line} its line; an empty `phrase` means the entry's origin says it (`shell`)."""

    id: str
    label: str  # the short badge (tables, TUI): distinct words, never colour alone
    title: str  # what it is, for sentences: "the go env file"
    via_os_env: bool  # it reaches go through the process environment
    user_set: bool  # a person (or their tools) set it, rather than go computing it
    edit: str  # how goenv-tui changes it: "goenv" file, startup "line"/"block", "" no way
    color: str  # the fallback colour (themes/*.toml set their own)
    from_go: bool = False  # go itself computes it (its default, its go.env)
    phrase: str = "{where}"  # an entry, in a sentence
    short: str = "{where}"  # an entry, in a table's Where column
    refusal: str = ""  # why `set`/`unset` cannot change a value it decides ("" : they can)
    verb: str = "sets it"  # what the deciding entry does, in "X is V because ENTRY sets it"
    go_file: bool = False  # go reads it from a file itself (the OS environment beats it)


REGISTRY: tuple[Layer, ...] = (
    Layer(
        "default", "default", "go's built-in default", False, False, "", "#8C8C8C",
        from_go=True, phrase="go's built-in default", short="",
    ),
    Layer(
        "goroot", "go.env", "$GOROOT/go.env", False, False, "", "#A371F7",
        from_go=True, phrase="$GOROOT/go.env ({where})", short="go.env:{line}", go_file=True,
    ),
    Layer(
        "goenv", "goenv", "the go env file (go env -w)", False, True, "goenv", "#1F8FDF",
        phrase="the go env file ({where})", go_file=True,
    ),
    Layer(
        "telemetry", "telemetry", "go's telemetry mode file", False, True, "", "#2080A0",
        phrase="the telemetry mode file ({where})", go_file=True,
        refusal=(
            "is the telemetry mode go keeps in {where}; change it with "
            "`go telemetry on|off|local`"
        ),
    ),
    Layer(
        "system", "system", "/etc/environment (PAM)", True, True, "block", "#E07B39",
        phrase="{where} (read by PAM before any shell)",
    ),
    Layer(
        "startup", "startup", "a shell startup file", True, True, "line", "#3FA34D",
        verb="exports it",
    ),
    Layer(
        "hook", "hook", "a prompt or directory-change hook a terminal runs", True, True, "",
        "#AA7C31",
        refusal=(
            "is set by a prompt or directory-change hook at {where}, which a terminal runs "
            "after every startup file, so no line goenv-tui could add would last; edit that "
            "hook (or what it reads) yourself, or remove it"
        ),
    ),
    Layer(
        "shell", "shell", "this session or an ancestor process", True, True, "", "#D6409F",
        phrase="", verb="holds it",
    ),
    Layer("direnv", "direnv", "an .envrc direnv loaded", True, True, "", "#31A197"),
    Layer(
        "wrapper", "wrapper", "the go wrapper or shim on PATH", True, False, "", "#B49101",
        refusal=(
            "is set by the go wrapper at {where} every time go runs, so no file goenv-tui "
            "could edit changes it"
        ),
    ),
)  # fmt: skip

BY_ID = {layer.id: layer for layer in REGISTRY}
IDS: tuple[str, ...] = tuple(layer.id for layer in REGISTRY)
LABELS = {layer.id: layer.label for layer in REGISTRY}
#: Layers a person set (the doctor's "someone chose this" rules).
USER_SET = tuple(layer.id for layer in REGISTRY if layer.user_set)
#: Layers that reach go through the OS environment (an empty value there is "unset").
VIA_OS_ENV = tuple(layer.id for layer in REGISTRY if layer.via_os_env)
#: Layers go reads from a file itself: a non-empty OS environment value beats them.
GO_FILES = tuple(layer.id for layer in REGISTRY if layer.go_file)
#: Layers go computes itself (no one set the value).
FROM_GO = tuple(layer.id for layer in REGISTRY if layer.from_go)
#: Layers whose entries are lines of startup files goenv-tui edits (/etc/environment, rc files).
FILE_LINES = tuple(layer.id for layer in REGISTRY if layer.edit in ("line", "block"))
#: Layers whose values no edit of goenv-tui changes (the tool that sets them must).
NO_EDIT_TAKES = tuple(layer.id for layer in REGISTRY if layer.refusal)


def precedence(layer_id: str) -> int:
    """The layer's rank, lowest first (-1 for an unknown id)."""
    return IDS.index(layer_id) if layer_id in BY_ID else -1
