"""`p`: the staged plan's preview — the staged changes, steps, diffs, before/after, warnings.

`a` asks for confirmation and applies, `d` drops the highlighted staged change, Esc closes.
The app computes the preview (and applies) in thread workers and hands the results to
:meth:`PreviewScreen.show_preview`, :meth:`show_outcome` and :meth:`show_error`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static

from goenv_tui.core.advice import as_keys
from goenv_tui.core.plan.workflow import Preview
from goenv_tui.ui.editing import ApplyOutcome
from goenv_tui.ui.messages import ApplyConfirmed, DropRequested
from goenv_tui.ui.render_edit import outcome_body, plural, preview_body, summary
from goenv_tui.ui.screens.confirm_screen import ConfirmScreen

#: The screen's states: computing, shown, applying, applied, failed, empty.
COMPUTING, SHOWN, APPLYING, APPLIED, FAILED, EMPTY = (
    "computing",
    "shown",
    "applying",
    "applied",
    "failed",
    "empty",
)


class PreviewScreen(ModalScreen[None]):
    """The preview of the staged plan (full screen, its own footer)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "apply",
            "Apply",
            id="preview.apply",
            tooltip="Apply the staged plan as one transaction (asks first)",
        ),
        Binding(
            "d",
            "drop",
            "Drop",
            id="preview.drop",
            tooltip="Drop the highlighted staged change from the plan",
        ),
        Binding(
            "j", "scroll('down')", "Down", show=False, id="preview.down", tooltip="Scroll down"
        ),
        Binding("k", "scroll('up')", "Up", show=False, id="preview.up", tooltip="Scroll up"),
        Binding(
            "space,pagedown",
            "scroll('page_down')",
            "Page down",
            show=False,
            id="preview.page-down",
            tooltip="Scroll the preview a page down",
        ),
        Binding(
            "b,pageup",
            "scroll('page_up')",
            "Page up",
            show=False,
            id="preview.page-up",
            tooltip="Scroll the preview a page up",
        ),
        Binding("escape,q", "close", "Close", id="preview.close", tooltip="Back to the variables"),
        Binding(
            "ctrl+c",
            "interrupt",
            "Interrupt",
            show=False,
            id="preview.interrupt",
            tooltip="While applying: say that the transaction finishes first",
        ),
    ]

    def __init__(
        self,
        staged: list[str],
        colors: Mapping[str, str],
        home: str | None,
        preview: Preview | None = None,
        confirm: bool = False,
    ) -> None:
        super().__init__()
        self.staged = staged
        self.palette = colors
        self.home = home
        self.preview = preview
        self.confirm = confirm
        self.state = COMPUTING if preview is None else SHOWN

    def compose(self) -> ComposeResult:
        """The summary, the staged changes, the body, the keys."""
        with Vertical(id="preview-box") as box:
            box.border_title = "Preview of the staged plan"
            yield Static("Computing the preview…", id="preview-summary")
            yield OptionList(id="preview-staged")
            with VerticalScroll(id="preview-body"):
                yield Static("", id="preview-content")
        yield Footer()

    def on_mount(self) -> None:
        """Show what is known; a loading indicator until the app hands over the preview."""
        self._fill_staged()
        self.set_focus(self.query_one(OptionList))
        if self.preview is not None:
            self.show_preview(self.preview)
        else:
            self.query_one("#preview-body").loading = True

    def _fill_staged(self) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([f"{k}. {line}" for k, line in enumerate(self.staged, 1)])
        options.display = bool(self.staged)
        options.border_title = f"Staged: {plural(len(self.staged), 'change')} (d drops one)"
        if self.staged:
            options.highlighted = 0

    def computing(self, staged: list[str] | None = None) -> None:
        """A new preview is being computed (after a drop)."""
        if staged is not None:
            self.staged = staged
            self._fill_staged()
        self.state = COMPUTING
        self.query_one("#preview-summary", Static).update("Computing the preview…")
        self.query_one("#preview-body").loading = True
        self.refresh_bindings()

    def show_preview(self, pv: Preview | None) -> None:
        """The preview is ready (None: nothing is staged any more)."""
        body = self.query_one("#preview-body", VerticalScroll)
        body.loading = False
        self.preview = pv
        content = self.query_one("#preview-content", Static)
        if pv is None:
            self.state = EMPTY
            self.staged = []
            self._fill_staged()
            self.query_one("#preview-summary", Static).update("Nothing is staged.")
            content.update("Press e on a variable to stage a new value, u to stage unsetting it.")
            self.refresh_bindings()
            return
        self.state = SHOWN
        self.query_one("#preview-summary", Static).update(Text(summary(pv), style="bold"))
        content.update(preview_body(pv, self.palette))
        body.scroll_home(animate=False)
        self.refresh_bindings()
        if self.confirm:
            self.confirm = False
            self.action_apply()

    def show_error(self, sentence: str) -> None:
        """The preview or the apply was refused (the app also notifies)."""
        sentence = as_keys(sentence)
        body = self.query_one("#preview-body", VerticalScroll)
        body.loading = False
        if self.state == APPLYING and self.preview is not None:
            self.state = SHOWN  # nothing was changed: the preview still holds
            self.query_one("#preview-summary", Static).update(
                Text(f"Not applied: {sentence}", style="bold")
            )
            self.refresh_bindings()
            return
        self.state = FAILED
        self.query_one("#preview-summary", Static).update(
            Text("The staged plan cannot be previewed.", style="bold")
        )
        self.query_one("#preview-content", Static).update(sentence)
        self.refresh_bindings()

    def show_outcome(self, outcome: ApplyOutcome) -> None:
        """Apply finished: the txid and each check."""
        self.state = APPLIED
        self.query_one("#preview-body").loading = False
        if outcome.cleared:
            self.staged = []
            self._fill_staged()
        if outcome.applied.result.txid is None:
            title = "Nothing was written"
        else:
            title = "Applied: every check passed" if outcome.ok else "Applied: a check FAILED"
        self.query_one("#preview-summary", Static).update(Text(title, style="bold"))
        content = outcome_body(outcome, self.home, self.palette)
        self.query_one("#preview-content", Static).update(content)
        self.query_one("#preview-body", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Apply needs a shown preview; drop needs a staged change and no apply running."""
        if action == "apply":
            return self.state == SHOWN
        if action == "drop":
            return bool(self.staged) and self.state in (SHOWN, FAILED)
        return True

    def action_apply(self) -> None:
        """Ask, then let the app apply exactly this preview."""
        pv = self.preview
        if pv is None or self.state != SHOWN:
            return
        files = pv.plan.changed_files
        if not files:  # nothing will be written: no question, the plan is just cleared
            self._answered(True)
            return
        from goenv_tui.core.paths import tilde

        details = [f"{tilde(fp.path, pv.home)} ({fp.role})" for fp in files]
        warnings = len(pv.warnings)
        if warnings:
            details.append(
                f"! {plural(warnings, 'warning')} in the preview: answer n to read it first"
            )
        question = f"Apply {summary(pv)} as one transaction?"
        self.app.push_screen(ConfirmScreen("Apply", question, details), self._answered)

    def _answered(self, yes: bool | None) -> None:
        if not yes or self.preview is None:
            self.app.notify("Nothing was changed.", timeout=3)
            return
        self.state = APPLYING
        self.query_one("#preview-summary", Static).update("Applying…")
        self.query_one("#preview-body").loading = True
        self.refresh_bindings()
        self.post_message(ApplyConfirmed(self.preview))

    def action_interrupt(self) -> None:
        """Ctrl+C: an apply is one transaction and is never stopped halfway; say so (and
        how to quit), or, with no apply running, what Ctrl+C says everywhere else."""
        if self.state == APPLYING:
            self.app.notify(
                "The apply is one transaction: it finishes (or is undone) as a whole and "
                "cannot be stopped halfway. Its result appears here; ctrl+q quits once it "
                "has ended.",
                title="Applying",
                timeout=10,
            )
            return
        self.app.action_help_quit()

    def action_drop(self) -> None:
        """Drop the highlighted staged change (the app recomputes the preview)."""
        index = self.query_one(OptionList).highlighted
        if index is None or not self.staged:
            return
        self.post_message(DropRequested(index + 1))

    def action_scroll(self, direction: str) -> None:
        """Scroll the preview body."""
        body = self.query_one("#preview-body", VerticalScroll)
        if direction == "down":
            body.scroll_down(animate=False)
        elif direction == "up":
            body.scroll_up(animate=False)
        elif direction == "page_down":
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)

    def action_close(self) -> None:
        """Back to the variables (an apply that is running still finishes)."""
        self.dismiss(None)
