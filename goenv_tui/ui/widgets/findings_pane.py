"""The doctor's findings under the table: one line (the counts and the first finding) that
`d` or Tab opens into the whole list (Enter: go to its variable, f: stage its fix)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from goenv_tui.ui.findings import MARK, counts

if TYPE_CHECKING:
    from goenv_tui.core.doctor import Finding

#: Theme variables of each severity (themes/ sets them; APP_VARIABLES has defaults).
STYLE = {sev: f"bold $finding-{sev}" for sev in MARK}
KEY_STYLE = "bold $footer-key-foreground"


class FindingsList(OptionList):
    """One option per finding (its id is the finding's id), worst first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="findings.down", tooltip="Next finding"),
        Binding("k", "cursor_up", "Up", show=False, id="findings.up", tooltip="Previous finding"),
    ]


class FindingsPane(Vertical):
    """The strip and, while it has the focus, the list (the app hides the detail meanwhile)."""

    HELP = (
        "The doctor's findings (what `goenv-tui doctor` reports), errors first: ✗ error, "
        "! warning, i info. The strip under the table shows the counts and the first one; "
        "d or Tab opens the list. Enter selects the finding's variable in the table, f stages "
        "the finding's fix and opens the preview (a applies it, asking first). The table marks "
        "each variable a finding is about with the same mark before its name."
    )

    class Toggled(Message):
        """The list opened (it has the focus) or closed."""

        def __init__(self, opened: bool) -> None:
            super().__init__()
            self.opened = opened

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        #: The findings shown (None: not known yet).
        self.findings: list[Finding] | None = None
        self.note = "Checking for problems…"
        self.failed = False
        self.read_only = False

    def compose(self) -> ComposeResult:
        """The summary line, then the list (height 0 until it has the focus)."""
        yield Static(self.note, id="findings-summary", markup=False)
        yield FindingsList(id="findings-list", markup=False)

    @property
    def opened(self) -> bool:
        """True while the list has the focus."""
        return self.has_class("-open")

    @property
    def highlighted(self) -> Finding | None:
        """The finding under the list's cursor."""
        options = self.query_one(FindingsList)
        k = options.highlighted
        if self.findings is None or k is None or not 0 <= k < len(self.findings):
            return None
        return self.findings[k]

    def show(
        self, findings: Sequence[Finding] | None, note: str = "", failed: bool = False
    ) -> None:
        """Show ``findings`` (None: not known yet, ``note`` says why), keeping the cursor on
        the same finding when it is still there."""
        before = self.highlighted
        self.findings = None if findings is None else list(findings)
        self.note = note
        self.failed = failed
        options = self.query_one(FindingsList)
        options.clear_options()
        if self.findings:
            for f in self.findings:  # a rule under each finding (not an option of its own)
                options.add_options([Option(self._prompt(f), id=f.id), None])
            ids = [f.id for f in self.findings]
            options.highlighted = ids.index(before.id) if before and before.id in ids else 0
        self._paint_summary()

    def _prompt(self, f: Finding) -> Content:
        head = Content.assemble(
            (f"{MARK[f.severity]} ", STYLE[f.severity]),
            (f.variable or "(no single variable)", "bold"),
            (f"  {f.id}", "dim"),
        )
        if f.fix is not None:
            how = "f stages it" if not self.read_only else "goenv-tui fix on that machine"
            tail = Content.styled(f"fix: {f.fix.summary} ({how})", "italic")
        else:
            tail = Content.styled("no automatic fix", "dim italic")
        return Content("\n").join([head, Content(f.message), tail])

    def _paint_summary(self) -> None:
        summary = self.query_one("#findings-summary", Static)
        summary.set_class(self.failed, "-error")
        found = self.findings
        if found is None or not found:
            empty = "No findings in this snapshot." if self.read_only else "✓ No problems found."
            text = self.note or (empty if found is not None else "Checking for problems…")
            summary.update(Content(text))
            summary.set_class(found is None and not self.failed, "-checking")
            return
        summary.set_class(False, "-checking")
        parts: list[Content | tuple[str, str] | str] = []
        for sev, text in counts(found):
            parts += [(text, STYLE[sev]), "  "]
        if self.opened:
            keys = "Enter: its variable · " + ("" if self.read_only else "f: fix · ") + "Esc: back"
            summary.update(Content.assemble(*parts, (keys, "dim")))
            return
        first = self.highlighted or found[0]
        parts += ["│ ", (f"{MARK[first.severity]} ", STYLE[first.severity]), first.message]
        summary.update(Content.assemble(("d", KEY_STYLE), " ", *parts))

    # -- opening and closing with the focus ------------------------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The list got the focus: open it (on the first finding, if none is highlighted)."""
        options = self.query_one(FindingsList)
        if options.highlighted is None and options.option_count:
            options.highlighted = 0
        self._toggle(True)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """The list lost the focus: back to one line."""
        self._toggle(False)

    def _toggle(self, opened: bool) -> None:
        self.set_class(opened, "-open")
        self._paint_summary()
        self.query_one(FindingsList).scroll_to_highlight()
        self.post_message(self.Toggled(opened))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The collapsed line follows the cursor."""
        if not self.opened:
            self._paint_summary()
