"""The interactive explorer: a table of variables, the selected one's chain, keys for all."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import ClassVar

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input

from goenv_tui.core.background import ProbeResult, ProbeTask
from goenv_tui.core.model import Variable
from goenv_tui.core.paths import tilde
from goenv_tui.core.resolve import Options
from goenv_tui.core.snapshot import Snapshot
from goenv_tui.ui.messages import ProbeFinished
from goenv_tui.ui.render import detail
from goenv_tui.ui.screens.export_screen import ExportScreen
from goenv_tui.ui.screens.help_screen import HelpScreen
from goenv_tui.ui.themes import (
    APP_VARIABLES,
    builtin_themes_dir,
    load_themes,
    rich_color,
    user_themes_dir,
)
from goenv_tui.ui.widgets.detail_pane import DetailPane
from goenv_tui.ui.widgets.status_bar import StatusBar
from goenv_tui.ui.widgets.variable_table import VariableTable

DEFAULT_THEME = "goenv-dark"
ANSI_THEME = "goenv-ansi16"
#: Terminals that show 16 colours at most (the Linux console, plain screen/tmux, vt*).
SIXTEEN_COLOUR_TERMS = ("linux", "screen", "tmux", "vt100", "vt220", "ansi", "cons25")
APP_HELP = (
    "goenv-tui shows every Go variable, the layer that decided its value (default, go.env, "
    "goenv = the `go env -w` file, system = /etc/environment, startup = a shell startup "
    "file, shell = this session) and the file:line to change it."
)


class GoEnvApp(App[None]):
    """goenv-tui's explorer (build it with `make_app`)."""

    CSS_PATH = "goenv.tcss"
    TITLE = "goenv-tui"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority bindings (see check_action): the app acts on "/", Enter in the filter and
        # Esc before it forwards the keys that follow, so a burst ("/GOSUMDB<Enter>o" pasted,
        # or typed ahead over a slow SSH link) lands where the user meant.
        Binding(
            "slash",
            "filter",
            "Filter",
            id="app.filter",
            priority=True,
            tooltip="Filter the table by name or value",
        ),
        Binding(
            "enter",
            "submit_filter",
            "To table",
            show=False,
            id="app.submit-filter",
            priority=True,
            tooltip="Leave the filter for the table, keeping the filter",
        ),
        Binding(
            "c",
            "toggle_changed",
            "Changed",
            id="app.changed",
            tooltip="Show only what `go env -changed` reports",
        ),
        Binding(
            "a",
            "show_all",
            "All",
            show=False,
            id="app.all",
            tooltip="Show every variable (clears the filter)",
        ),
        Binding(
            "r", "reprobe", "Reprobe", id="app.reprobe", tooltip="Run go and trace the shell again"
        ),
        Binding(
            "y",
            "copy_value",
            "Copy",
            show=False,
            id="app.copy",
            tooltip="Copy the value (OSC 52 reaches your local clipboard over SSH)",
        ),
        Binding(
            "o",
            "open_editor",
            "Open",
            show=False,
            id="app.open",
            tooltip="Open the file:line that sets the value in $VISUAL/$EDITOR",
        ),
        Binding(
            "f1,question_mark", "help", "Help", id="app.help", tooltip="Help for the focused pane"
        ),
        Binding(
            "colon",
            "command_palette",
            "Commands",
            show=False,
            id="app.palette",
            tooltip="The command palette (also Ctrl+P)",
        ),
        Binding(
            "escape",
            "leave",
            "Back",
            show=False,
            id="app.back",
            priority=True,
            tooltip="Leave the filter or the detail pane",
        ),
        Binding(
            "s",
            "export",
            "Export",
            show=False,
            id="app.export",
            tooltip="Export a redacted snapshot (TOML, JSON or Markdown for an issue)",
        ),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit goenv-tui"),
    ]

    def __init__(
        self,
        options: Options | None = None,
        *,
        task: ProbeTask | None = None,
        result: ProbeResult | None = None,
        theme: str | None = None,
        env: dict[str, str] | None = None,
        snapshot: Snapshot | None = None,
        state_dir: str | None = None,
    ) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.state_dir = state_dir
        if snapshot is not None and result is None:
            from goenv_tui.core.changed import emulated_changed

            res = snapshot.resolution
            result = ProbeResult(res, emulated_changed(res.variables), "emulated go 1.23+ rules")
        self.env = dict(os.environ if env is None else env)
        self.options = options or Options(env=self.env)
        self._early_task = task
        self._initial = result
        self._wanted_theme = theme
        self.result: ProbeResult | None = None
        self.changed_only = False
        self.filter_text = ""
        self.home = self.env.get("HOME")

    # -- set-up --------------------------------------------------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The app's own variables ($layer-startup, ...) under any theme."""
        return dict(APP_VARIABLES)

    def compose(self) -> ComposeResult:
        """Paint first: the layout is complete before any probe has answered."""
        yield StatusBar(id="status")
        # No blinking cursor: less redraw traffic over SSH, and deterministic snapshots.
        box = Input(
            placeholder="filter by name or value (Enter: table, Esc: clear)",
            id="filter",
            select_on_focus=False,
        )
        box.set_reactive(Input.cursor_blink, False)
        yield box
        with Container(id="body"):
            yield VariableTable(id="variables")
            yield DetailPane(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        """Register themes, show the loading state, start (or adopt) the probe."""
        self._load_themes()
        self.query_one(VariableTable).home = self.home
        self.query_one(StatusBar).show_loading()
        self._focus(self.query_one(VariableTable))
        if self._initial is not None:
            self.post_message(ProbeFinished(self._initial))
        else:
            self._probe(self._early_task or ProbeTask(self.options))
            self._early_task = None

    def _load_themes(self) -> None:
        dirs = [d for d in (builtin_themes_dir(), user_themes_dir(self.env)) if d is not None]
        loaded = load_themes(dirs)
        for theme in loaded.themes:
            self.register_theme(theme)
        wanted = self._wanted_theme or default_theme(self.env)
        problems = list(loaded.errors)
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            problems.append(f"theme {wanted!r} is not available; using {DEFAULT_THEME}")
            if DEFAULT_THEME in self.available_themes:
                self.theme = DEFAULT_THEME
        if problems:
            self.notify("\n".join(problems), title="Themes", severity="warning", timeout=10)

    # -- probing -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="probe")
    def _probe(self, task: ProbeTask) -> None:
        """Wait for the probe off the UI thread; the app handles the message."""
        result = task.result()
        if result is None:  # pragma: no cover - result() without timeout always returns
            result = ProbeResult(None, error="the probe ended without a result")
        self.post_message(ProbeFinished(result))

    @on(ProbeFinished)
    def _probe_finished(self, message: ProbeFinished) -> None:
        self.result = message.result
        status = self.query_one(StatusBar)
        res = message.result.resolution
        if res is None:
            status.summary(f"Probe failed: {message.result.error}", error=True)
            self.notify(message.result.error or "probe failed", severity="error")
            return
        go = res.go
        sh = res.shell
        parts = [
            f"{len(res.variables)} variables",
            go.version or "go: not found",
            f"{sh.shell} {'traced' if sh.traced else 'read statically'}",
        ]
        if go.error or sh.error:
            parts.append(str(go.error or sh.error))
        if go.path:
            parts.append(tilde(go.path, self.home))
        text = " · ".join(parts)
        if self.snapshot is not None:
            text = f"READ-ONLY snapshot of {self.snapshot.banner()} · {text}"
        status.summary(text, error=bool(go.error))
        self._refresh_table()

    # -- the table and the detail --------------------------------------------------------

    def visible_variables(self) -> dict[str, Variable]:
        """The variables the filter and the changed-only toggle let through, in table order."""
        if self.result is None or self.result.resolution is None:
            return {}
        needle = self.filter_text.lower()
        out: dict[str, Variable] = {}
        variables = self.result.resolution.variables.items()
        # What the user set (or what is flagged) first, then go's own values; by name.
        for name, var in sorted(variables, key=lambda item: (not item[1].user_set, item[0])):
            if self.changed_only and name not in self.result.changed:
                continue
            if needle and needle not in name.lower() and needle not in var.value.lower():
                continue
            out[name] = var
        return out

    def _colors(self) -> dict[str, str]:
        """The layer and state colours of the current theme, as Rich colour strings."""
        variables = self.theme_variables
        background = variables.get("background")
        return {
            k: rich_color(v, background)
            for k, v in variables.items()
            if k.startswith(("layer-", "state-"))
        }

    def _refresh_table(self) -> None:
        table = self.query_one(VariableTable)
        table.show(self.visible_variables(), self._colors(), keep=table.selected)
        self._show_detail(table.selected)

    def _show_detail(self, name: str | None) -> None:
        pane = self.query_one(DetailPane)
        res = self.result.resolution if self.result else None
        if res is None or name is None or name not in res.variables:
            pane.show("No variable matches." if res is not None else "Probing…")
            return
        help_text = self.result.help.get(name) if self.result else None
        pane.show(detail(res.variables[name], self._colors(), self.home, help_text, res.go.error))

    @on(DataTable.RowHighlighted, "#variables")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(None if event.row_key.value is None else str(event.row_key.value))

    @on(DataTable.RowSelected, "#variables")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self._focus(self.query_one(DetailPane))

    def watch_theme(self, theme: str) -> None:
        """Recolour the badges when the theme changes."""
        if self.result is not None and self.is_running:
            self._refresh_table()

    def _focus(self, widget: Widget) -> None:
        """Move focus now (Widget.focus waits a message): keys in the same burst follow it."""
        self.screen.set_focus(widget)

    # -- actions ---------------------------------------------------------------------------

    def action_filter(self) -> None:
        """Show the filter input and focus it."""
        box = self.query_one("#filter", Input)
        box.value = ""  # "/" starts a new search, as in less and vim
        box.add_class("-shown")
        # Focus now, not after the next message: keys that arrive in the same burst ("/GO"
        # pasted, or typed ahead over a slow SSH link) must land in the filter.
        self.screen.set_focus(box)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._refresh_table()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Priority bindings apply only where they mean what the user meant; a snapshot is
        read-only (nothing to re-probe, no local file to open)."""
        if self.snapshot is not None and action in {"reprobe", "open_editor"}:
            return False
        if action in {"filter", "submit_filter", "leave"}:
            if self.screen is not self.screen_stack[0]:
                return False  # help or the palette is up: the key is theirs
            in_filter = self.focused is self.query_one("#filter", Input)
            if action == "filter":
                return not in_filter  # "/" inside the filter is text (paths have slashes)
            if action == "submit_filter":
                return in_filter
        return True

    def action_submit_filter(self) -> None:
        """Enter in the filter: go to the (filtered) table."""
        self._focus(self.query_one(VariableTable))

    def action_leave(self) -> None:
        """Esc backs out one step: filter -> table (clearing it), detail -> table, table ->
        clear a filter that is still applied."""
        box = self.query_one("#filter", Input)
        table = self.query_one(VariableTable)
        applied = box.value or box.has_class("-shown")
        if self.focused is box or (self.focused is table and applied):
            self._clear_filter()
        self._focus(table)

    def _clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.remove_class("-shown")
        self.filter_text = ""
        self._refresh_table()

    def action_toggle_changed(self) -> None:
        """Only what `go env -changed` reports, or everything again."""
        self.changed_only = not self.changed_only
        self._refresh_table()
        how = self.result.changed_method if self.result else ""
        self.notify(f"Changed only ({how})" if self.changed_only else "All variables", timeout=2)

    def action_show_all(self) -> None:
        """Clear the filter and the changed-only toggle."""
        self.changed_only = False
        self._clear_filter()

    def action_reprobe(self) -> None:
        """Run the probes again (off the UI thread)."""
        self.query_one(StatusBar).show_loading()
        self._probe(ProbeTask(self.options))

    def _selected_var(self) -> Variable | None:
        name = self.query_one(VariableTable).selected
        res = self.result.resolution if self.result else None
        return res.variables.get(name) if res is not None and name else None

    def action_copy_value(self) -> None:
        """Copy the selected value to the clipboard (OSC 52)."""
        var = self._selected_var()
        if var is None:
            return
        self.copy_to_clipboard(var.value)
        self.notify(f"Copied {var.name}'s value", timeout=2)

    def action_open_editor(self) -> None:
        """Open the file:line that decides the selected value in $VISUAL or $EDITOR."""
        var = self._selected_var()
        src = var.source if var else None
        if var is None or src is None or src.file is None:
            self.notify("This value does not come from a file.", severity="warning")
            return
        editor = self.env.get("VISUAL") or self.env.get("EDITOR") or "vi"
        argv = [*editor.split(), f"+{src.line or 1}", src.file]
        try:
            with self.suspend():
                subprocess.run(argv, check=False)
        except Exception as exc:  # no terminal to hand over, editor missing, ...
            self.notify(f"Cannot open {editor}: {exc}", severity="error")
            return
        self.action_reprobe()

    def action_export(self) -> None:
        """`s`: choose a format, write a snapshot file here (Markdown also to the clipboard)."""
        if self.result is None or self.result.resolution is None:
            self.notify("Nothing to export yet: the probe has not finished.", severity="warning")
            return
        redacted = self.snapshot.redacted if self.snapshot is not None else True
        folder = tilde(self.options.cwd, self.home)
        self.push_screen(ExportScreen(redacted, folder), self._export_to)

    def _export_to(self, fmt: str | None) -> None:
        if fmt is None or self.result is None or self.result.resolution is None:
            return
        from goenv_tui.core.snapshot import dumps, take
        from goenv_tui.core.txn import TxnError

        try:
            if self.snapshot is not None:
                snap = self.snapshot
            else:
                from goenv_tui.core.paths import state_dir
                from goenv_tui.core.redact import Redactor
                from goenv_tui.core.state import redaction_key

                key = redaction_key(state_dir(self.env, self.state_dir))
                user = self.env.get("USER") or self.env.get("LOGNAME")
                redactor = Redactor(home=self.home, user=user, key=key)
                snap = take(self.result.resolution, redactor=redactor)
            text = dumps(snap, fmt)
            stamp = time.strftime("%Y%m%d-%H%M%S")
            path = os.path.join(self.options.cwd, f"goenv-snapshot-{stamp}.{fmt}")
            with open(path, "x", encoding="utf-8") as fh:
                fh.write(text)
        except (OSError, TxnError) as err:
            why = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            self.notify(f"Cannot export: {why}", severity="error")
            return
        if fmt == "md":
            self.copy_to_clipboard(text)
        extra = " and copied to the clipboard" if fmt == "md" else ""
        self.notify(f"Wrote {tilde(path, self.home)}{extra}", title="Snapshot")

    def action_help(self) -> None:
        """Help for the focused pane, then every key."""
        focused = self.focused
        title, about, pane_keys = "goenv-tui", APP_HELP, []
        for widget in (focused, *(focused.ancestors if focused else [])):
            if isinstance(widget, (VariableTable, DetailPane)):
                title = "Variables" if isinstance(widget, VariableTable) else "Detail"
                about = widget.HELP
                pane_keys = [b for b in widget.BINDINGS if isinstance(b, Binding)]
                break
            if isinstance(widget, Input):
                title, about = (
                    "Filter",
                    "Type to filter by name or value; Enter goes to the "
                    "table, Esc clears the filter.",
                )
                break
        app_keys = [b for b in self.BINDINGS if isinstance(b, Binding)]
        self.push_screen(HelpScreen(title, about, pane_keys, app_keys))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every action in the command palette, next to Textual's own (theme, keys, ...)."""
        yield from super().get_system_commands(screen)
        for b in self.BINDINGS:
            if isinstance(b, Binding) and b.action not in {"command_palette", "quit", "leave"}:
                yield SystemCommand(b.description, b.tooltip, self._runner(b.action))

    def _runner(self, action: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await self.run_action(action)

        return run


def default_theme(env: dict[str, str]) -> str:
    """goenv-ansi16 on a 16-colour terminal (TERM=linux, plain screen or tmux), else dark."""
    term = env.get("TERM", "")
    truecolor = env.get("COLORTERM", "") in {"truecolor", "24bit"}
    if not truecolor and "256" not in term and term.split("-")[0] in SIXTEEN_COLOUR_TERMS:
        return ANSI_THEME
    return DEFAULT_THEME


def make_app(
    options: Options | None = None,
    *,
    task: ProbeTask | None = None,
    result: ProbeResult | None = None,
    theme: str | None = None,
    env: dict[str, str] | None = None,
    snapshot: Snapshot | None = None,
    state_dir: str | None = None,
) -> GoEnvApp:
    """The one factory the CLI, the tests, the screenshots and the benchmark use."""
    return GoEnvApp(
        options,
        task=task,
        result=result,
        theme=theme,
        env=env,
        snapshot=snapshot,
        state_dir=state_dir,
    )


def focused_pane(widget: Widget | None) -> str:
    """A name for the pane holding `widget` (for tests and help)."""
    if widget is None:
        return "none"
    for w in (widget, *widget.ancestors):
        if w.id in {"variables", "detail", "filter"}:
            return str(w.id)
    return "other"
