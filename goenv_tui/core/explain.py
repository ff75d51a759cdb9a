"""One variable's chain told in words (used by `explain`, `show --changed` and the TUI)."""

from __future__ import annotations

from goenv_tui.core.layers import BY_ID, FROM_GO, GO_FILES, LABELS, VIA_OS_ENV
from goenv_tui.core.model import (
    ACTIVE,
    FLAG_EMPTY_IGNORED,
    FLAG_STALE,
    FLAG_UNCERTAIN,
    IGNORED,
    NOT_RUN,
    SHADOWED,
    STALE,
    ChainEntry,
    Variable,
)
from goenv_tui.core.paths import tilde

#: A layer's short badge (table columns, TUI badges): distinct words, never colour alone.
LAYER_LABEL = LABELS


#: A variable flag's one-character mark (tables): stale, empty-ignored, uncertain.
FLAG_MARK = {"stale": "!", "empty-ignored": "∅", "uncertain": "?"}


def flag_marks(var: Variable) -> str:
    """! stale, ∅ empty-ignored, ? uncertain."""
    return "".join(FLAG_MARK.get(f, "") for f in var.flags)


def short_where(entry: ChainEntry | None, home: str | None) -> str:
    """The WHERE column of a table: the layer's `short` form (nothing for go's default,
    go.env:N for go.env, else `where`)."""
    if entry is None:
        return ""
    layer = BY_ID.get(entry.layer)
    form = layer.short if layer is not None else "{where}"
    if not form:
        return ""
    return form.format(where=where(entry, home) if "{where}" in form else "", line=entry.line)


def where(entry: ChainEntry, home: str | None) -> str:
    """A short location: ~/.bashrc:12, the origin of a session value, or the layer."""
    if entry.file is not None:
        path = tilde(entry.file, home)
        return f"{path}:{entry.line}" if entry.line else path
    if entry.layer == "shell":
        return entry.origin or "session"
    return entry.layer


def describe(entry: ChainEntry, home: str | None) -> str:
    """An entry in a sentence: its layer's `phrase`, or (a session value) its origin."""
    layer = BY_ID.get(entry.layer)
    phrase = layer.phrase if layer is not None else "{where}"
    if not phrase:
        return describe_origin(entry.origin)
    return phrase.format(where=where(entry, home))


def origin(entry: ChainEntry, home: str | None) -> str:
    """Where the value comes from, for a detail view: the entry in words, and for go's
    computed default, how go computed it."""
    text = describe(entry, home)
    if entry.layer in FROM_GO and not entry.file and entry.note:
        text += f" ({entry.note})"
    return text


def describe_origin(origin: str | None) -> str:
    """The words for a `shell` entry's origin."""
    if origin in (None, "session"):
        return (
            "this shell session (typed here, `NAME=v cmd`, or set by no file a fresh shell reads)"
        )
    if origin == "unknown":
        return "an ancestor process whose environment cannot be read"
    if origin.startswith("tmux: server"):
        return (
            f"the {origin}, which keeps the environment of the client that started it "
            "(`tmux set-environment -g NAME VALUE` fixes new windows; restarting tmux fixes all)"
        )
    return f"the environment {origin} started with (its parent process added it)"


def story(var: Variable, home: str | None = None, go_error: str | None = None) -> str:
    """`explain NAME`: why the value is what it is, what lost, what it would be without it."""
    lines: list[str] = []
    src = var.source
    shown = repr(var.value)
    if src is None and go_error:
        lines.append(
            f"{var.name} is unknown: go cannot answer ({go_error.rstrip('.')}) and no file "
            "or environment layer sets it."
        )
    elif src is None:
        lines.append(f"{var.name} is {shown}: no layer sets it.")
    elif src.layer == "default":
        lines.append(f"{var.name} is {shown}: nothing sets it, so go computes its default.")
    else:
        verb = BY_ID[src.layer].verb if src.layer in BY_ID else "sets it"
        lines.append(f"{var.name} is {shown} because {describe(src, home)} {verb}.")
        if src.note:
            lines.append(f"  ({tilde_text(src.note, home)})")
    for entry in var.chain:
        if entry is src:
            continue
        desc = describe(entry, home)
        val = repr(entry.value)
        if entry.state == SHADOWED and entry.layer != "default":
            why = ""
            if src is not None and src.layer in VIA_OS_ENV and entry.layer in GO_FILES:
                why = " (the non-empty OS environment beats the go env file)"
            lines.append(f"- {val} from {desc} is shadowed{why}.")
        elif entry.state == STALE:
            lines.append(
                f"- A fresh shell would now give {val} from {desc}; this process is stale "
                "(start a new shell, or re-source the file)."
            )
        elif entry.state == NOT_RUN:
            why = tilde_text(entry.note or "did not run", home)
            if not why.startswith(("did not run", "not read")):
                why = f"did not run: {why}"
            lines.append(f"- {val} at {desc}: {why}.")
        elif entry.state == IGNORED:
            why = tilde_text(entry.note or "go skips it", home)
            lines.append(f"- {val} at {desc} is ignored: {why}.")
    lines.extend(counterfactuals(var, home))
    if FLAG_EMPTY_IGNORED in var.flags:
        lines.append(
            "An exported empty value counts as unset for go: it cannot cancel a value "
            "from the go env file (use `go env -u`)."
        )
    if FLAG_STALE in var.flags:
        lines.append("Flag stale: a fresh shell would not give this process's value.")
    if FLAG_UNCERTAIN in var.flags:
        # a traced file that turned tracing off says why in its entry (it names no line)
        untraced = next(
            (e.note for e in var.chain if e.layer == "startup" and e.line is None and e.note),
            None,
        )
        if untraced is not None:
            lines.append(f"Uncertain: {tilde_text(untraced.split(';')[0], home)}.")
        else:
            lines.append("Uncertain: the startup files were read statically, not traced.")
    return "\n".join(lines)


def tilde_text(text: str, home: str | None) -> str:
    """Shorten paths under HOME inside a note (never inside a value)."""
    if home and home != "/":
        return text.replace(home.rstrip("/") + "/", "~/")
    return text


def counterfactuals(var: Variable, home: str | None = None) -> list[str]:
    """What the value would be without the entry that decides it, then without that one
    too, and so on down the chain: each time the entry that would then decide (a stale
    startup line counts: without the session's value a shell gets it)."""
    src = var.source
    live = [e for e in var.chain if e.state in (ACTIVE, SHADOWED, STALE)]
    if src is None or src not in live:
        return []
    below = list(reversed(live[: live.index(src)]))
    out = []
    for k, nxt in enumerate(below):
        said = f"{nxt.value!r} from {describe(nxt, home)}"
        out.append(f"Without it, it would be {said}." if k == 0 else f"  and without that, {said}.")
    return out


def _fallback(var: Variable) -> ChainEntry | None:
    """What the value would be from the go layers alone (go.env or the default)."""
    for layer in ("goroot", "default"):
        cands = [e for e in var.chain if e.layer == layer and e.state in {ACTIVE, SHADOWED}]
        if cands:
            return cands[-1]
    return None


def changed_reason(var: Variable, home: str | None = None) -> str:
    """One line: why `go env -changed` lists this variable."""
    src = var.source
    base = _fallback(var)
    base_txt = f"; default {base.value!r}" if base is not None and base is not src else ""
    if src is None:
        return f"set{base_txt}"
    return f"set by {where(src, home)}{base_txt}"
