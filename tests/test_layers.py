"""The layer registry is what the table, the sentences, the doctor and the planner read."""

from __future__ import annotations

from goenv_tui.core.explain import LAYER_LABEL, describe, short_where
from goenv_tui.core.layers import (
    FILE_LINES,
    FROM_GO,
    IDS,
    NO_EDIT_TAKES,
    REGISTRY,
    USER_SET,
    VIA_OS_ENV,
    precedence,
)
from goenv_tui.core.model import ChainEntry, Variable

HOME = "/home/u"


def _entry(layer: str) -> ChainEntry:
    return ChainEntry(layer, "v", "active", f"{HOME}/.f", 7, "session")


def test_each_layer_has_a_distinct_badge_and_a_rank() -> None:
    labels = [LAYER_LABEL[i] for i in IDS]
    assert len(set(labels)) == len(labels)
    assert [precedence(i) for i in IDS] == list(range(len(IDS)))
    assert precedence("no-such-layer") == -1


def test_entries_are_named_by_their_layer_forms() -> None:
    said = {layer.id: (short_where(_entry(layer.id), HOME), describe(_entry(layer.id), HOME))
            for layer in REGISTRY}  # fmt: skip
    assert said["default"] == ("", "go's built-in default")
    assert said["goroot"] == ("go.env:7", "$GOROOT/go.env (~/.f:7)")
    assert said["system"][1] == "~/.f:7 (read by PAM before any shell)"
    assert said["startup"] == ("~/.f:7", "~/.f:7")
    assert "this shell session" in said["shell"][1]
    assert all(short and "~/.f:7" in short for i, (short, _) in said.items() if i not in FROM_GO)


def test_the_derived_sets_follow_the_entries() -> None:
    assert FROM_GO == ("default", "goroot")
    assert FILE_LINES == ("system", "startup")
    assert NO_EDIT_TAKES == ("telemetry", "hook", "wrapper")
    assert "wrapper" in VIA_OS_ENV and "wrapper" not in USER_SET
    go_made = Variable("GOPATH", "v", [_entry("goroot")])
    user_made = Variable("GOPATH", "v", [_entry("goroot"), _entry("startup")])
    assert not go_made.user_set and user_made.user_set
