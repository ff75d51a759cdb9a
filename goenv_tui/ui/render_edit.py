"""Rich renderables of the edit mode: the preview (steps, diffs, before/after, warnings), an
apply's outcome and a history record. The same pieces as the CLI's text preview
(:func:`goenv_tui.core.plan.preview.render`), secrets redacted the same way."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from goenv_tui.core.advice import as_keys
from goenv_tui.core.paths import tilde
from goenv_tui.core.plan.change import GOENV, SET
from goenv_tui.core.plan.fresh import NO_EFFECT, verdicts
from goenv_tui.core.plan.preview import VERDICT_MARK, file_diff, reach, rows
from goenv_tui.core.plan.workflow import Preview
from goenv_tui.core.redact import for_user, secrets_only
from goenv_tui.core.txn import TxRecord
from goenv_tui.ui.editing import ApplyOutcome, shown_description


def plural(n: int, word: str) -> str:
    """``1 change``, ``2 changes``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(pv: Preview) -> str:
    """``2 changes, 1 file to write``."""
    return (
        f"{plural(len(pv.plan.steps), 'change')}, "
        f"{plural(len(pv.plan.changed_files), 'file')} to write"
    )


def diff_text(diff: str, colors: Mapping[str, str]) -> Text:
    """A unified diff with its +/- lines in the theme's diff colours (the signs stay)."""
    added, removed = colors.get("diff-added", ""), colors.get("diff-removed", "")
    context = colors.get("diff-context", "")
    out = Text()
    for line in diff.rstrip("\n").splitlines():
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("@@"):
            style = f"bold {context}".strip()
        elif line.startswith("+"):
            style = added
        elif line.startswith("-"):
            style = removed
        else:
            style = ""
        out.append(line + "\n", style=style)
    out.rstrip()
    return out


def _indented(text: str) -> Padding:
    """A step's detail line, wrapped lines kept under it."""
    return Padding(Text(text), (0, 0, 0, 3))


def _bullet(mark: Text, text: str) -> Table:
    """A mark (``!``, ``ok``) and its text, wrapped lines kept right of the mark."""
    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(mark, text)
    return grid


def _heading(text: str) -> Text:
    return Text(text, style="underline")


def preview_body(pv: Preview, colors: Mapping[str, str]) -> RenderableType:
    """Steps, each changed file's diff, before/after and the warnings."""
    red = secrets_only()
    home = pv.home
    plan = pv.plan
    parts: list[RenderableType] = [_heading("Steps")]
    for k, step in enumerate(plan.steps, 1):
        path = tilde(step.place.path or "", home)
        target = "go env file " + path if step.place.kind == GOENV else step.place.spec
        target = target.replace(step.place.path or "\0", path)
        what = red.text(step.change.describe().split("  [")[0], "preview")
        parts.append(Text.assemble(f"{k}. ", (what, "bold"), "  →  ", target))
        verb = "equivalent" if step.place.kind == GOENV else "writes"
        parts.append(_indented(f"{verb}: {red.text(step.command, 'preview')}"))
        if step.change.op == SET:
            parts.append(_indented(as_keys(reach(step, pv.before))))
        parts.extend(_indented(f"note: {as_keys(n)}") for n in step.notes)
    files = plan.changed_files
    for fp in files:
        parts.append(Text(""))
        head = Text.assemble((tilde(fp.path, home), "bold"), f" ({fp.role})")
        for note in fp.notes:
            head.append(f"; {as_keys(note)}")
        parts.append(head)
        parts.append(diff_text(file_diff(fp.path, fp.old, fp.new, home), colors))
    if not files:
        parts += [Text(""), Text("Every file already has this content: nothing to write.")]
    parts.append(Text(""))
    if pv.prediction.error is None:
        parts.append(_heading("After apply, in a fresh terminal (the real go, a traced shell)"))
        table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
        table.add_column("NAME", no_wrap=True, style="bold")
        table.add_column("NOW", ratio=1, overflow="fold")
        table.add_column("AFTER", ratio=1, overflow="fold")
        for r in rows(plan, pv.before, pv.prediction, home):
            now = red.text(f"{r.before or '(empty)'}\n{r.before_where}", "preview")
            then = red.text(f"{r.after or '(empty)'}\n{r.after_where}", "preview")
            table.add_row(r.name, now, then)
            if r.session is not None:
                kept = f"this session keeps {r.session or '(empty)'}\n{r.session_where}"
                table.add_row("", "", red.text(kept, "preview"))
        parts.append(table)
        ok_color, bad_color = colors.get("state-active", ""), colors.get("diff-removed", "")
        for v in verdicts(plan, pv.before, pv.prediction, home):
            color = bad_color if v.kind == NO_EFFECT else ok_color
            mark = Text(f"{VERDICT_MARK[v.kind]} ", style=f"bold {color}".strip())
            parts.append(_bullet(mark, red.text(as_keys(v.message), "preview")))
    warns = pv.warnings
    if warns:
        parts += [Text(""), _heading("Warnings")]
        warn = colors.get("state-stale", "")
        for w in warns:
            mark = Text("! ", style=f"bold {warn}".strip())
            parts.append(_bullet(mark, red.text(as_keys(w), "preview")))
    return Group(*parts)


def outcome_body(out: ApplyOutcome, home: str | None, colors: Mapping[str, str]) -> RenderableType:
    """What apply did: the txid, the files, each check (ok / !!), how to undo."""
    r = out.applied.result
    ok_color, bad_color = colors.get("state-active", ""), colors.get("diff-removed", "")
    parts: list[RenderableType] = []
    if r.txid is None:
        parts.append(Text("Every file already had this content: nothing was written."))
    else:
        count = len(r.written) + len(r.deleted)
        parts.append(Text(f"Applied {r.txid}: {plural(count, 'file')} written.", style="bold"))
    parts.extend(Text(f"created folder {tilde(d, home)}") for d in out.applied.created_dirs)
    for path in r.written:
        parts.append(Text(f"  wrote   {tilde(path, home)}"))
    for path in r.deleted:
        parts.append(Text(f"  deleted {tilde(path, home)}"))
    if out.applied.checks:
        parts += [Text(""), _heading("Checks (go and a fresh shell, re-probed)")]
    for c in out.applied.checks:
        mark = ("ok ", f"bold {ok_color}".strip()) if c.ok else ("!! ", f"bold {bad_color}".strip())
        parts.append(_bullet(Text(*mark), for_user(as_keys(c.message))))
    for v in out.applied.no_effect:
        bad = Text("!! ", style=f"bold {bad_color}".strip())
        parts.append(_bullet(bad, for_user(as_keys(v.message))))
    parts.extend(_bullet(Text("! ", style="bold"), as_keys(w)) for w in r.warnings)
    parts.append(Text(""))
    if not out.cleared:
        parts.append(Text("A check failed: the staged plan is kept so that you can look at it."))
    if r.txid is not None:
        parts.append(Text(f"Undo: H (history), then R on {r.txid}."))
    return Group(*parts)


def short_time(iso: str) -> str:
    """``2026-11-26 15:13:34 UTC`` from the record's ISO 8601 time (as is when unreadable)."""
    from datetime import datetime

    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")


def record_text(rec: TxRecord, home: str | None) -> Text:
    """One history entry: time and id, one line per step, the files."""
    out = Text.assemble((short_time(rec.time), "bold"), "  ", rec.txid)
    text = shown_description(rec.description, home)
    indent = "  "
    if text.startswith("Roll back: "):
        out.append("\n  Roll back:", style="italic")
        text, indent = text.removeprefix("Roll back: "), "    "
    for step in text.split("; "):
        out.append(f"\n{indent}{step}")
    files = []
    for f in rec.files:
        what = "created" if f.original is None else "deleted" if f.new_sha256 is None else ""
        files.append(tilde(f.path, home) + (f" ({what})" if what else ""))
    out.append("\n  files: " + ", ".join(files), style="dim")
    return out
