"""The table of variables: name, value, layer badge, file:line."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from goenv_tui.core.explain import flag_marks, short_where
from goenv_tui.core.model import Variable
from goenv_tui.core.paths import clip, clip_location
from goenv_tui.ui.findings import MARK
from goenv_tui.ui.render import layer_badge

NAME_W, LAYER_W, WHERE_W = 16, 9, 24
#: Before the name of a variable with a staged change (a mark, not only a colour).
STAGED_MARK = "✎ "


class VariableTable(DataTable[Text]):
    """Every Go variable; the row key is the variable's name."""

    HELP = (
        "Every Go variable with its effective value, the layer that decided it and the "
        "file:line. Marks after the layer: ! stale, ∅ empty value ignored by go, ? uncertain "
        "(not traced). Before the name: ✗ / ! / i a doctor finding (error, warning, info) is "
        "about it (d lists them, f stages the fix), ✎ a change of it is staged (p previews, "
        "a applies)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "j",
            "cursor_down",
            "Down",
            show=False,
            id="table.down",
            tooltip="Move to the next variable",
        ),
        Binding(
            "k",
            "cursor_up",
            "Up",
            show=False,
            id="table.up",
            tooltip="Move to the previous variable",
        ),
        Binding(
            "g",
            "scroll_top",
            "First",
            show=False,
            id="table.first",
            tooltip="Jump to the first variable",
        ),
        Binding(
            "G",
            "scroll_bottom",
            "Last",
            show=False,
            id="table.last",
            tooltip="Jump to the last variable",
        ),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.home: str | None = None
        self._shown: tuple[Mapping[str, Variable], Mapping[str, str]] = ({}, {})
        self._staged: frozenset[str] = frozenset()
        self._flagged: Mapping[str, str] = {}
        self._width = 0
        self._value_w = 24
        self._where_w = WHERE_W

    def on_mount(self) -> None:
        """Columns are fixed except the value, which takes the room that is left."""
        self._add_columns(self.size.width or 80)

    def on_resize(self) -> None:
        """Give the value column the room a new width leaves."""
        if self.size.width and self.size.width != self._width:
            self.show(*self._shown, keep=self.selected, staged=self._staged, flagged=self._flagged)

    def _add_columns(self, width: int) -> None:
        self._width = width
        where_w = WHERE_W if width >= 80 else 18
        value_w = max(width - NAME_W - LAYER_W - where_w - 10, 12)
        self._value_w, self._where_w = value_w, where_w
        self.add_column("Name", width=NAME_W, key="name")
        self.add_column("Value", width=value_w, key="value")
        self.add_column("Layer", width=LAYER_W, key="layer")
        self.add_column("Where", width=where_w, key="where")

    def show(
        self,
        variables: Mapping[str, Variable],
        colors: Mapping[str, str],
        keep: str | None,
        staged: Collection[str] = (),
        flagged: Mapping[str, str] | None = None,
    ) -> None:
        """Replace the rows (keeping the cursor on `keep` when it is still listed); the names
        in `staged` get the ✎ mark, those in `flagged` their worst finding's mark."""
        self._shown = (variables, colors)
        self._staged = frozenset(staged)
        self._flagged = dict(flagged or {})
        self.clear(columns=True)
        self._add_columns(self.size.width or 80)
        for name, var in variables.items():
            src = var.source
            loc = clip_location(short_where(src, self.home), self._where_w)
            value = clip(var.value, self._value_w) if src is not None else "?"
            badge = layer_badge(src.layer, colors, flag_marks(var)) if src else Text("-")
            label = name_label(name, name in self._staged, self._flagged.get(name), colors)
            self.add_row(label, Text(value), badge, Text(loc), key=name)
        if keep is not None and keep in variables:
            self.move_cursor(row=self.get_row_index(keep))

    @property
    def selected(self) -> str | None:
        """The name of the variable under the cursor."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return None if key.value is None else str(key.value)


def name_label(name: str, staged: bool, severity: str | None, colors: Mapping[str, str]) -> Text:
    """The name with its marks: the worst finding's (✗ ! i), then ✎ when a change is staged."""
    label = Text()
    if severity in MARK:
        color = colors.get(f"finding-{severity}", "")
        label.append(f"{MARK[severity]} ", style=f"bold {color}".strip())
    else:
        label.append("  ")  # names stay aligned under the marked ones
    if staged:
        label.append(STAGED_MARK, style="bold")
    label.append(name, style="italic" if staged else "")
    return label
