"""The interactive explorer: a table of variables, the selected one's chain, keys for all."""

from __future__ import annotations

import logging
import os
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, OptionList
from textual.worker import Worker, WorkerState, get_current_worker

from goenv_tui.core.advice import as_keys
from goenv_tui.core.background import ProbeResult, ProbeTask
from goenv_tui.core.model import Variable
from goenv_tui.core.paths import tilde
from goenv_tui.core.resolve import Options
from goenv_tui.core.snapshot import Snapshot
from goenv_tui.ui.findings import fix_choice, from_snapshot, worst_by_variable
from goenv_tui.ui.messages import (
    ApplyConfirmed,
    ApplyFinished,
    DropRequested,
    EditRefused,
    FindingsReady,
    FixStaged,
    HistoryLoaded,
    PreviewReady,
    ProbeFinished,
    Recovered,
    RollbackConfirmed,
    RolledBack,
    StageChanged,
    StageRequested,
)
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
from goenv_tui.ui.widgets.findings_pane import FindingsList, FindingsPane
from goenv_tui.ui.widgets.status_bar import StatusBar
from goenv_tui.ui.widgets.variable_table import VariableTable

log = logging.getLogger("goenv_tui")

if TYPE_CHECKING:
    # The edit mode's modules are imported when first used (they pull in the plan builder,
    # tree-sitter and the transaction engine): not on the way to the first paint. So is the
    # doctor (its worker imports it).
    from goenv_tui.core.doctor import Finding
    from goenv_tui.core.plan.change import Change
    from goenv_tui.core.plan.workflow import Preview
    from goenv_tui.core.resolve import Resolution
    from goenv_tui.core.txn import TxRecord

DEFAULT_THEME = "goenv-dark"
ANSI_THEME = "goenv-ansi16"
#: Terminals that show 16 colours at most (the Linux console, plain screen/tmux, vt*).
SIXTEEN_COLOUR_TERMS = ("linux", "screen", "tmux", "vt100", "vt220", "ansi", "cons25")
APP_HELP = (
    "goenv-tui shows every Go variable, the layer that decided its value (default, go.env, "
    "goenv = the `go env -w` file, system = /etc/environment, startup = a shell startup "
    "file, shell = this session) and the file:line to change it. e stages a new value, u "
    "unsetting one, p previews the staged plan, a applies it (asking first), H lists the "
    "applied changes to roll one back. The strip under the table shows the doctor's findings "
    "(✗ error, ! warning, i info, also marked before the variable's name): d or Tab opens "
    "the list, Enter selects a finding's variable, f stages its fix and previews it."
)
#: The actions that change files or the staged plan: none of them in a read-only snapshot.
EDIT_ACTIONS = frozenset({"edit", "unset", "preview", "apply", "history", "fix"})
#: The findings' keys act on the main screen only (a help or dialog above it has the keys).
FINDINGS_ACTIONS = frozenset({"findings", "fix"})


#: Seconds between painting a probe's table and starting the doctor: its imports and Python
#: work share the GIL with the paint, so it starts once the frame is out.
DOCTOR_DELAY = 0.3


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
            "A",
            "show_all",
            "All",
            show=False,
            id="app.all",
            tooltip="Show every variable (clears the filter)",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            id="app.edit",
            tooltip="Stage a new value for the selected variable (choose where it is written)",
        ),
        Binding(
            "u",
            "unset",
            "Unset",
            show=False,
            id="app.unset",
            tooltip="Stage unsetting the selected variable (go env file and goenv-tui block)",
        ),
        Binding(
            "p",
            "preview",
            "Preview",
            id="app.preview",
            tooltip="Preview the staged changes: diffs, before/after, warnings",
        ),
        Binding(
            "a",
            "apply",
            "Apply",
            show=False,
            id="app.apply",
            tooltip="Preview the staged changes, then apply them as one transaction (asks first)",
        ),
        Binding(
            "d",
            "findings",
            "Findings",
            show=False,
            id="app.findings",
            tooltip="Open the doctor's findings list, or close it (Enter: select the variable)",
        ),
        Binding(
            "f",
            "fix",
            "Fix",
            show=False,
            id="app.fix",
            tooltip="Stage the fix of the highlighted finding (or of the selected variable's "
            "one fixable finding) and preview it",
        ),
        Binding(
            "H",
            "history",
            "History",
            show=False,
            id="app.history",
            tooltip="Applied changes, newest first; roll one back",
        ),
        Binding(
            "r",
            "reprobe",
            "Reprobe",
            show=False,
            id="app.reprobe",
            tooltip="Run go and trace the shell again",
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
        findings: list[Finding] | None = None,
    ) -> None:
        super().__init__()
        self.snapshot = snapshot
        #: An apply is running; quit (asked meanwhile) waits for it to end.
        self.applying = False
        self.quit_after_apply = False
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
        #: The staged plan (shared with `goenv-tui stage`), reloaded after every probe.
        self.staged: list[Change] = []
        #: Root may also write /etc/profile.d/goenv-tui.sh.
        self.is_root = os.geteuid() == 0
        #: The doctor's findings about ``result`` (None: not known yet, or it failed).
        self.findings: list[Finding] | None = None
        #: Why the doctor could not run (one sentence), or None.
        self.doctor_error: str | None = None
        #: Findings for the given ``result`` (tests, screenshots): the doctor does not run.
        self._given_findings = findings

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
        yield FindingsPane(id="findings")
        yield Footer()

    def on_mount(self) -> None:
        """Register themes, show the loading state, start (or adopt) the probe."""
        self._load_themes()
        self.query_one(VariableTable).home = self.home
        self.query_one(FindingsPane).read_only = self.snapshot is not None
        self.query_one(StatusBar).show_loading()
        self._focus(self.query_one(VariableTable))
        if self._initial is not None:
            self.post_message(ProbeFinished(self._initial, *self._read_stage()))
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

    # -- failures ------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed unexpectedly: one sentence and a log line; the app goes on."""
        if event.state == WorkerState.ERROR:
            self._unexpected(event.worker.group or event.worker.name, event.worker.error)

    def _unexpected(self, what: str, error: BaseException | None) -> None:
        kind = type(error).__name__ if error is not None else "an unknown error"
        log.error("the %s step failed unexpectedly: %s", what, kind)
        self.notify(
            f"The {what} step failed unexpectedly ({kind}); nothing else is affected: "
            "press r to probe again, or report it with GOENV_TUI_DEBUG=1.",
            title="Unexpected error",
            severity="error",
            timeout=15,
            markup=False,
        )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification; its text is never read as markup (it quotes values and paths), and
        a command it suggests is said as the keys that do it."""
        message = as_keys(message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _fatal_error(self) -> None:
        """An unhandled exception ends the app: a traceback WITHOUT local variables (they
        hold every value of the configuration, secrets included), and only with
        GOENV_TUI_DEBUG set; otherwise one sentence."""
        from rich.text import Text
        from rich.traceback import Traceback

        self.bell()
        if os.environ.get("GOENV_TUI_DEBUG"):
            shown: Traceback | Text = Traceback(show_locals=False, width=None)
        else:
            shown = Text(
                "goenv-tui stopped on an internal error; run it again with GOENV_TUI_DEBUG=1 "
                "to see where, and report it."
            )
        self._exit_renderables.append(shown)
        self._close_messages_no_wait()

    # -- probing -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="probe", exit_on_error=False)
    def _probe(self, task: ProbeTask) -> None:
        """Wait for the probe off the UI thread; the app handles the message."""
        result = task.result()
        if result is None:  # pragma: no cover - result() without timeout always returns
            result = ProbeResult(None, error="the probe ended without a result")
        self.post_message(ProbeFinished(result, *self._read_stage()))

    def _read_stage(self) -> tuple[list[Change] | None, str | None]:
        """The staged plan, or the sentence why it cannot be read (None: a snapshot)."""
        if self.snapshot is not None:
            return None, None
        from goenv_tui.core.plan.stage import STAGE_NAME

        if not os.path.exists(os.path.join(self._state(), STAGE_NAME)):
            return [], None  # nothing staged: no need to import the edit mode before painting
        from goenv_tui.ui import editing

        try:
            return editing.load_stage(self._state(), self._home()), None
        except editing.EditFailed as err:
            return [], str(err)

    @on(ProbeFinished)
    def _probe_finished(self, message: ProbeFinished) -> None:
        self.result = message.result
        self.findings, self.doctor_error = None, None
        status = self.query_one(StatusBar)
        res = message.result.resolution
        if res is None:
            status.summary(f"Probe failed: {message.result.error}", error=True)
            self.notify(message.result.error or "probe failed", severity="error")
            self.query_one(FindingsPane).show(None, "No findings: the probe failed.")
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
        if message.staged is not None:
            self.staged = message.staged
        if message.stage_error:
            self.notify(message.stage_error, title="Staged plan", severity="error")
        given, self._given_findings = self._given_findings, None
        if self.snapshot is not None:
            self.findings = from_snapshot(self.snapshot.findings, self._home())
        elif given is not None:
            self.findings = list(given)
        self._refresh_table()
        self._show_findings()
        if self.findings is None:  # after the paint: the table does not wait for the doctor
            self.set_timer(DOCTOR_DELAY, lambda: self._doctor_worker(res))

    # -- the doctor ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="doctor", exit_on_error=False)
    def _doctor_worker(self, res: Resolution) -> None:
        """Diagnose ``res`` off the UI thread (a traced shell for the ssh rule)."""
        from goenv_tui.ui import findings as doctor  # looked up now: tests stand in for it

        findings, error = doctor.examine(res, self.options)
        if not get_current_worker().is_cancelled:  # a newer probe replaced this one
            self.post_message(FindingsReady(res, findings, error))

    @on(FindingsReady)
    def _findings_ready(self, message: FindingsReady) -> None:
        res = self.result.resolution if self.result else None
        if message.resolution is not res:
            return  # about a resolution a newer probe has replaced
        self.findings = None if message.error else message.findings
        self.doctor_error = message.error
        self._show_findings()
        self._refresh_table()

    def _show_findings(self) -> None:
        pane = self.query_one(FindingsPane)
        pane.show(self.findings, self.doctor_error or "", failed=self.doctor_error is not None)

    @on(FindingsPane.Toggled)
    def _findings_toggled(self, message: FindingsPane.Toggled) -> None:
        # At 80x24 the open list takes the detail pane's place (side by side when wide).
        self.query_one("#body").set_class(message.opened, "-findings-open")

    def action_findings(self) -> None:
        """`d`: open the findings list (it takes the focus), or close it (back to the table)."""
        pane = self.query_one(FindingsPane)
        if pane.opened:
            self._focus(self.query_one(VariableTable))
        else:
            self._focus(pane.query_one(FindingsList))

    @on(OptionList.OptionSelected, "#findings-list")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a finding: select its variable in the table."""
        found = self.findings or []
        if not 0 <= event.option_index < len(found):
            return
        finding = found[event.option_index]
        if finding.variable is None:
            self.notify(f"{finding.id} is not about one variable.", timeout=4)
            return
        self.select_variable(finding.variable)

    def select_variable(self, name: str) -> None:
        """Select ``name`` in the table, clearing a filter (or the changed-only view) that
        hides it, and focus the table."""
        res = self.result.resolution if self.result else None
        table = self.query_one(VariableTable)
        if res is None or name not in res.variables:
            self.notify(f"{name} is not among the variables go reports.", severity="warning")
            return
        if name not in self.visible_variables():
            if self.result is not None and name not in self.result.changed:
                self.changed_only = False
            self._clear_filter()
        table.move_cursor(row=table.get_row_index(name))
        self._focus(table)
        self._show_detail(name)

    def action_fix(self) -> None:
        """`f`: stage the highlighted finding's fix (or the selected variable's one fixable
        finding's) once it previews, then open the preview."""
        if self._read_only() or not self._probed():
            return
        if self.doctor_error:
            self.notify(self.doctor_error, severity="error")
            return
        pane = self.query_one(FindingsPane)
        chosen = pane.highlighted if pane.opened else None
        variable = None if pane.opened else self.query_one(VariableTable).selected
        choice = fix_choice(self.findings, chosen, variable)
        finding = choice.finding
        if finding is None or finding.fix is None:
            self.notify(choice.sentence, severity=choice.severity, timeout=8)  # type: ignore[arg-type]
            return
        self.notify(f"Checking the fix for {finding.id}: {finding.fix.summary}…", timeout=3)
        self._fix_worker(finding)

    @work(thread=True, exclusive=True, group="fix", exit_on_error=False)
    def _fix_worker(self, finding: Finding) -> None:
        """Stage the fix's changes when the staged plan plus them previews (else nothing)."""
        from goenv_tui.ui import editing

        assert finding.fix is not None
        state, home = self._state(), self._home()
        try:
            self._recover_first(state, home)
            changes, pv = editing.stage_fix(state, home, self.options, finding.fix.changes)
        except editing.EditFailed as err:
            self.post_message(EditRefused("fix", str(err)))
            return
        self.post_message(FixStaged(finding, changes, pv))

    @on(FixStaged)
    def _fix_staged(self, message: FixStaged) -> None:
        from goenv_tui.ui.screens.preview_screen import PreviewScreen

        self.staged = message.changes
        self._refresh_table()
        fix = message.finding.fix
        summary = fix.summary if fix is not None else ""
        self.notify(
            f"Staged the fix for {message.finding.id} ({len(message.changes)} in the plan): "
            f"{summary}",
            title="Staged",
            timeout=4,
        )
        if self.screen is self.screen_stack[0]:
            lines = self._staged_lines()
            self.push_screen(PreviewScreen(lines, self._colors(), self.home, message.preview))

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
            if k.startswith(("layer-", "state-", "diff-", "finding-"))
        }

    def _refresh_table(self) -> None:
        table = self.query_one(VariableTable)
        marked = {c.name for c in self.staged}
        flagged = worst_by_variable(self.findings or [])
        table.show(
            self.visible_variables(),
            self._colors(),
            keep=table.selected,
            staged=marked,
            flagged=flagged,
        )
        self._show_detail(table.selected)

    def _show_detail(self, name: str | None) -> None:
        pane = self.query_one(DetailPane)
        res = self.result.resolution if self.result else None
        if res is None or name is None or name not in res.variables:
            pane.show("No variable matches." if res is not None else "Probing…")
            return
        help_text = self.result.help.get(name) if self.result else None
        staged = self._staged_lines(name)
        about = [f for f in self.findings or [] if f.variable == name]
        pane.show(
            detail(
                res.variables[name],
                self._colors(),
                self.home,
                help_text,
                res.go.error,
                staged,
                about,
                can_fix=self.snapshot is None,
            )
        )

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
        read-only (nothing to re-probe, no local file to open, nothing to edit)."""
        if self.snapshot is not None and action in {"reprobe", "open_editor", *EDIT_ACTIONS}:
            return False
        if action in FINDINGS_ACTIONS and self.screen is not self.screen_stack[0]:
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
        try:
            self._export(fmt)
        except Exception as error:  # never a traceback: it would print the secrets
            self._unexpected("export", error)

    def _export(self, fmt: str | None) -> None:
        if fmt is None or self.result is None or self.result.resolution is None:
            return
        from goenv_tui.core.snapshot import dumps, take
        from goenv_tui.core.txn import TxnError

        try:
            if self.snapshot is not None:
                snap = self.snapshot
            else:
                from goenv_tui.core.doctor import snapshot_findings
                from goenv_tui.core.paths import state_dir
                from goenv_tui.core.redact import Redactor
                from goenv_tui.core.state import redaction_key

                key = redaction_key(state_dir(self.env, self.state_dir))
                user = self.env.get("USER") or self.env.get("LOGNAME")
                redactor = Redactor(home=self.home, user=user, key=key)
                findings = None
                if self.findings is not None:
                    findings = snapshot_findings(self.findings, self.result.resolution, redactor)
                snap = take(self.result.resolution, redactor=redactor, findings=findings)
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

    # -- edit mode -----------------------------------------------------------------------
    # The keys ask; thread workers do the slow work (real go, traced shells, the journaled
    # apply) and post messages; the handlers below own every state change and tell the
    # screens what to show.

    def _state(self) -> str:
        from goenv_tui.core.paths import state_dir

        return state_dir(self.env, self.state_dir)

    def _home(self) -> str:
        return self.home or os.path.expanduser("~")

    def _read_only(self) -> bool:
        """True (and says so) in a read-only snapshot: the palette bypasses check_action."""
        if self.snapshot is None:
            return False
        self.notify(
            "This is a read-only snapshot: nothing here can be changed.", severity="warning"
        )
        return True

    def _load_stage(self) -> None:
        """Re-read the staged plan (the CLI may have changed it)."""
        staged, error = self._read_stage()
        if staged is not None:
            self.staged = staged
        if error:
            self.notify(error, title="Staged plan", severity="error")

    def _staged_lines(self, name: str | None = None) -> list[str]:
        """The staged changes (of `name`), secrets redacted, as `stage list` shows them."""
        changes = [c for c in self.staged if name is None or c.name == name]
        if not changes:
            return []
        from goenv_tui.core.redact import for_user

        return [for_user(c.describe()) for c in changes]

    def _probed(self) -> bool:
        if self.result is None or self.result.resolution is None:
            self.notify("Wait for the probe to finish first.", severity="warning")
            return False
        return True

    def action_edit(self) -> None:
        """`e`: a new value for the selected variable, and where to write it."""
        from goenv_tui.ui import editing

        var = self._selected_var()
        if self._read_only() or not self._probed() or var is None:
            return
        from goenv_tui.core.explain import where
        from goenv_tui.ui.screens.edit_screen import EditScreen

        res = self.result.resolution if self.result else None
        assert res is not None
        shell = editing.shell_of(res, self.options)
        targets = editing.edit_targets(var.name, res, self.env, shell, self.is_root)
        src = var.source
        now = repr(var.value) + (f" from {where(src, self.home)}" if src else " (unset)")
        # A value already staged for it is what the user is most likely amending.
        sets = [c.value for c in self.staged if c.name == var.name and c.value is not None]
        value = sets[-1] if sets else var.value
        screen = EditScreen(var.name, value, now, targets, self._staged_lines(var.name))
        self.push_screen(screen, self._edit_closed)

    def _edit_closed(self, change: Change | None) -> None:
        if change is None:  # Esc: a check still running must not stage anything
            self.workers.cancel_group(self, "stage")

    @on(StageRequested)
    def _stage_requested(self, message: StageRequested) -> None:
        self._stage_worker(message.change)

    def action_unset(self) -> None:
        """`u`: stage unsetting the selected variable where its value takes effect."""
        var = self._selected_var()
        if self._read_only() or not self._probed() or var is None:
            return
        self.notify(f"Checking unset {var.name}…", timeout=2)
        from goenv_tui.core.plan.build import unset_place
        from goenv_tui.core.plan.change import UNSET, Change

        self._stage_worker(Change(UNSET, var.name, None, unset_place(var)))

    @work(thread=True, exclusive=True, group="stage", exit_on_error=False)
    def _stage_worker(self, change: Change) -> None:
        """Validate staged + `change` with a real preview, then stage it (or refuse)."""
        from goenv_tui.core.plan.stage import replaced_notice
        from goenv_tui.core.redact import for_user
        from goenv_tui.ui import editing

        state, home = self._state(), self._home()
        before = self.result.resolution if self.result else None
        try:
            self._recover_first(state, home)
            editing.check_change(state, home, self.options, before, change)
            if get_current_worker().is_cancelled:
                return  # the edit screen was closed: stage nothing
            changes, gone = editing.stage_add(state, home, change)
        except editing.EditFailed as err:
            self.post_message(EditRefused("stage", str(err)))
            return
        note = f"Staged ({len(changes)} in the plan): {for_user(change.describe())}"
        if gone is not None:
            note += f"\n{for_user(replaced_notice(gone))}"
        self.post_message(StageChanged(changes, note))

    def _recover_first(self, state: str, home: str) -> None:
        """Finish an interrupted apply before anything else, as the CLI does (worker side)."""
        from goenv_tui.ui import editing

        done = editing.auto_recover(state, home)
        if done:
            self.post_message(Recovered(done))

    @on(Recovered)
    def _recovered(self, message: Recovered) -> None:
        self.notify(message.sentence, title="Recovered", severity="warning", timeout=10)

    @on(StageChanged)
    def _stage_changed(self, message: StageChanged) -> None:
        from goenv_tui.ui.screens.edit_screen import EditScreen

        self.staged = message.changes
        screen = self.screen
        new = message.changes[-1] if message.changes and message.step == "stage" else None
        if isinstance(screen, EditScreen) and screen.busy and new and new.name == screen.var_name:
            screen.dismiss(new)
        if message.note:
            self.notify(message.note, title="Staged", timeout=4)
        self._refresh_table()

    @on(EditRefused)
    def _edit_refused(self, message: EditRefused) -> None:
        from goenv_tui.ui.screens.edit_screen import EditScreen
        from goenv_tui.ui.screens.history_screen import HistoryScreen
        from goenv_tui.ui.screens.preview_screen import PreviewScreen

        self.notify(message.sentence, title=f"Not done ({message.step})", severity="error")
        if message.step == "apply":
            self._apply_ended(f"Not applied: {message.sentence}")
        if message.step == "fix":
            return  # nothing was opened for it: the notification says it all
        screen = self.screen
        if isinstance(screen, EditScreen):
            screen.set_busy(False)
        elif isinstance(screen, (PreviewScreen, HistoryScreen)):
            screen.show_error(message.sentence)

    def action_preview(self, confirm: bool = False) -> None:
        """`p`: the staged plan's preview (computed in a worker against a fresh probe)."""
        if self._read_only():
            return
        self._load_stage()
        if not self.staged:
            self.notify("Nothing is staged: press e on a variable to stage a new value.", timeout=4)
            return
        from goenv_tui.ui.screens.preview_screen import PreviewScreen

        lines = self._staged_lines()
        self.push_screen(PreviewScreen(lines, self._colors(), self.home, confirm=confirm))
        self._preview_worker(list(self.staged))

    def action_apply(self) -> None:
        """`a`: the preview, then the confirmation, then one transaction."""
        self.action_preview(confirm=True)

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def _preview_worker(self, changes: list[Change], drop: int | None = None) -> None:
        """Drop a staged change first when asked, then preview what is staged."""
        from goenv_tui.ui import editing

        state, home = self._state(), self._home()
        try:
            self._recover_first(state, home)
            if drop is not None:
                changes = editing.drop(state, home, drop)
                self.post_message(StageChanged(changes, step="drop"))
            pv = editing.preview(changes, self.options) if changes else None
        except editing.EditFailed as err:
            self.post_message(EditRefused("preview", str(err)))
            return
        if not get_current_worker().is_cancelled:  # a newer preview replaced this one
            self.post_message(PreviewReady(pv))

    @on(PreviewReady)
    def _preview_ready(self, message: PreviewReady) -> None:
        from goenv_tui.ui.screens.preview_screen import PreviewScreen

        if isinstance(self.screen, PreviewScreen):
            self.screen.show_preview(message.preview)

    @on(DropRequested)
    def _drop_requested(self, message: DropRequested) -> None:
        from goenv_tui.ui.screens.preview_screen import PreviewScreen

        if isinstance(self.screen, PreviewScreen):
            rest = [line for k, line in enumerate(self._staged_lines(), 1) if k != message.number]
            self.screen.computing(rest)
        self._preview_worker(list(self.staged), drop=message.number)

    @on(ApplyConfirmed)
    def _apply_confirmed(self, message: ApplyConfirmed) -> None:
        self.applying = True
        self._apply_worker(message.preview)

    async def action_quit(self) -> None:
        """Quit; while an apply runs, quit only once it has ended (a transaction is never
        left half-done), leaving one line that says how it ended."""
        if self.applying:
            self.quit_after_apply = True
            self.notify(
                "Applying: goenv-tui quits as soon as the transaction has ended, and says "
                "whether it was applied.",
                title="Quitting",
                timeout=10,
            )
            return
        self.exit()

    def _apply_ended(self, line: str) -> None:
        """An apply finished or was refused: quit now if that was asked for meanwhile."""
        self.applying = False
        if self.quit_after_apply:
            from rich.text import Text

            self.exit(message=Text(line))

    @work(thread=True, exclusive=True, group="apply", exit_on_error=False)
    def _apply_worker(self, pv: Preview) -> None:
        """Apply exactly the previewed plan, re-probe and verify."""
        from goenv_tui.ui import editing

        try:
            outcome = editing.apply(pv, self.options, self._state())
        except editing.EditFailed as err:
            self.post_message(EditRefused("apply", str(err)))
            return
        self.post_message(ApplyFinished(outcome))

    @on(ApplyFinished)
    def _apply_finished(self, message: ApplyFinished) -> None:
        from goenv_tui.ui.screens.preview_screen import PreviewScreen

        out = message.outcome
        if out.cleared:
            self.staged = []
        from goenv_tui.core.plan.workflow import applied_line

        self._apply_ended(applied_line(out.applied))  # (said after quitting: as a command)
        txid = out.applied.result.txid
        if txid is None:
            self.notify("Nothing to write: every file already has this content.")
        elif out.ok:
            self.notify(f"Applied {txid}; every check passed.", title="Applied")
        else:
            self.notify(f"Applied {txid}, but a check failed.", title="Applied", severity="error")
        if isinstance(self.screen, PreviewScreen):
            self.screen.show_outcome(out)
        self._refresh_table()
        if txid is not None:
            self.action_reprobe()  # the table shows what the files say now

    def action_history(self) -> None:
        """`H`: the applied transactions, newest first."""
        if self._read_only():
            return
        from goenv_tui.ui.screens.history_screen import HistoryScreen

        self.push_screen(HistoryScreen(self.home, self._state()))
        self._history_worker()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _history_worker(self) -> None:
        from goenv_tui.ui import editing

        try:
            records = editing.records(self._state())
        except editing.EditFailed as err:
            self.post_message(EditRefused("history", str(err)))
            return
        self.post_message(HistoryLoaded(records))

    @on(HistoryLoaded)
    def _history_loaded(self, message: HistoryLoaded) -> None:
        from goenv_tui.ui.screens.history_screen import HistoryScreen

        if isinstance(self.screen, HistoryScreen):
            self.screen.show_records(message.records)

    @on(RollbackConfirmed)
    def _rollback_confirmed(self, message: RollbackConfirmed) -> None:
        self._rollback_worker(message.record)

    @work(thread=True, exclusive=True, group="rollback", exit_on_error=False)
    def _rollback_worker(self, rec: TxRecord) -> None:
        from goenv_tui.ui import editing

        try:
            result = editing.roll_back(self._state(), rec.txid)
        except editing.EditFailed as err:
            self.post_message(EditRefused("rollback", str(err)))
            return
        self.post_message(RolledBack(rec, result))

    @on(RolledBack)
    def _rolled_back(self, message: RolledBack) -> None:
        r = message.result
        count = len(r.written) + len(r.deleted)
        self.notify(
            f"Rolled back {message.record.txid} as {r.txid}: {count} file(s).", title="Rolled back"
        )
        self._history_worker()
        self.action_reprobe()

    def action_help(self) -> None:
        """Help for the focused pane, then every key."""
        focused = self.focused
        title, about, pane_keys = "goenv-tui", APP_HELP, []
        for widget in (focused, *(focused.ancestors if focused else [])):
            if isinstance(widget, FindingsPane):
                title, about = "Findings", widget.HELP
                pane_keys = [b for b in FindingsList.BINDINGS if isinstance(b, Binding)]
                break
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
            skip = {"command_palette", "quit", "leave"}
            if self.snapshot is not None:
                skip |= EDIT_ACTIONS
            if isinstance(b, Binding) and b.action not in skip:
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
    findings: list[Finding] | None = None,
) -> GoEnvApp:
    """The one factory the CLI, the tests, the screenshots and the benchmark use
    (``findings``: the doctor's findings about ``result``, so the doctor does not run)."""
    from goenv_tui.ui import terminal_guard

    terminal_guard.install()
    return GoEnvApp(
        options,
        task=task,
        result=result,
        theme=theme,
        env=env,
        snapshot=snapshot,
        state_dir=state_dir,
        findings=findings,
    )


def focused_pane(widget: Widget | None) -> str:
    """A name for the pane holding `widget` (for tests and help)."""
    if widget is None:
        return "none"
    for w in (widget, *widget.ancestors):
        if w.id in {"variables", "detail", "filter", "findings"}:
            return str(w.id)
    return "other"
