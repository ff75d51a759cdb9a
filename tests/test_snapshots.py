"""SVG snapshots of every screen (80x24, one at 120x36, one with NO_COLOR), the edit mode's too.

Deterministic by construction: a recorded probe result and the doctor's findings about it
(tests/tui_fixtures.py: the doctor does not run), no blinking cursor, no animation, and every
key press awaited. Update with `pytest --snapshot-update`
after checking the new SVGs by eye.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from goenv_tui.ui.app import GoEnvApp, make_app

from .tui_fixtures import (
    HOME,
    NEW_PROXY,
    fixture_env,
    fixture_finding_dicts,
    fixture_findings,
    fixture_history,
    fixture_options,
    fixture_preview,
    fixture_result,
)

SnapCompare = Callable[..., bool]


def app(**kw: Any) -> GoEnvApp:
    return make_app(
        fixture_options(),
        result=fixture_result(**kw),
        env=fixture_env(),
        findings=fixture_findings(),
    )


def test_main_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(app(), terminal_size=(80, 24))


def test_filter_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(app(), press=["slash", *"GOPRO"], terminal_size=(80, 24))


def test_detail_80x24(snap_compare: SnapCompare) -> None:
    press = ["slash", *"GOPROXY", "enter", "enter"]
    assert snap_compare(app(), press=press, terminal_size=(80, 24))


def test_stale_detail_80x24(snap_compare: SnapCompare) -> None:
    press = ["slash", *"GOFLAGS", "enter", "enter"]
    assert snap_compare(app(), press=press, terminal_size=(80, 24))


def test_changed_only_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(app(), press=["c"], terminal_size=(80, 24))


def test_help_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(app(), press=["f1"], terminal_size=(80, 24))


def test_command_palette_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(app(), press=["colon"], terminal_size=(80, 24))


def test_go_error_80x24(snap_compare: SnapCompare) -> None:
    broken = app(go_error='go env failed (exit 1): go: invalid GOTOOLCHAIN "bogus"')
    assert snap_compare(broken, terminal_size=(80, 24))


def test_wide_120x36(snap_compare: SnapCompare) -> None:
    press = ["slash", *"GOPROXY", "enter"]
    assert snap_compare(app(), press=press, terminal_size=(120, 36))


def test_no_color_80x24(snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    press = ["slash", *"GOPROXY", "enter", "enter"]
    assert snap_compare(app(), press=press, terminal_size=(80, 24))


@pytest.mark.parametrize("theme", ["goenv-light", "goenv-high-contrast", "goenv-ansi16"])
def test_themes_80x24(snap_compare: SnapCompare, theme: str) -> None:
    themed = make_app(
        fixture_options(),
        result=fixture_result(),
        env=fixture_env(),
        theme=theme,
        findings=fixture_findings(),
    )
    assert snap_compare(themed, press=["slash", *"GOPROXY", "enter"], terminal_size=(80, 24))


def test_findings_open_80x24(snap_compare: SnapCompare) -> None:
    # d opens the list on the first finding; two down: the fixable GOPROXY one.
    assert snap_compare(app(), press=["d", "down", "down"], terminal_size=(80, 24))


def test_export_screen_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(app(), press=["s"], terminal_size=(80, 24))


def test_read_only_snapshot_80x24(snap_compare: SnapCompare) -> None:
    from goenv_tui.core.snapshot import take

    res = fixture_result().resolution
    assert res is not None
    snap = take(res, redactor=None, findings=fixture_finding_dicts(), now=0)
    snap.meta["host"] = "buildbox"
    read_only = make_app(fixture_options(), snapshot=snap, env=fixture_env())
    assert snap_compare(read_only, terminal_size=(80, 24))


# -- the edit mode (fixed previews and records: no probe, no real file, no clock) -----------

STAGED = [f"set GOPROXY={NEW_PROXY}  [to where it takes effect]"]


async def _push_preview(pilot: Any) -> None:
    from goenv_tui.ui.screens.preview_screen import PreviewScreen

    screen = PreviewScreen(STAGED, pilot.app._colors(), HOME, preview=fixture_preview())
    await pilot.app.push_screen(screen)
    await pilot.pause()


def test_edit_screen_80x24(snap_compare: SnapCompare) -> None:
    edit = app()
    edit.is_root = True  # every target, whoever runs the tests
    press = ["slash", *"GOPROXY", "enter", "e"]
    assert snap_compare(edit, press=press, terminal_size=(80, 24))


def test_staged_mark_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    from goenv_tui.core.plan import stage
    from goenv_tui.core.plan.change import SET, UNSET, Change

    state = tmp_path / "state"
    stage.save(str(state), [Change(SET, "GOPROXY", NEW_PROXY), Change(UNSET, "GONOSUMDB")])
    marked = make_app(
        fixture_options(),
        result=fixture_result(),
        env=fixture_env(),
        state_dir=str(state),
        findings=fixture_findings(),
    )
    assert snap_compare(marked, press=["j", "j", "j"], terminal_size=(80, 24))


def test_preview_screen_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(app(), run_before=_push_preview, terminal_size=(80, 24))


def test_preview_screen_end_80x24(snap_compare: SnapCompare) -> None:
    press = ["space", "space"]
    assert snap_compare(app(), press=press, run_before=_push_preview, terminal_size=(80, 24))


def test_confirm_apply_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(app(), press=["a"], run_before=_push_preview, terminal_size=(80, 24))


def test_apply_outcome_80x24(snap_compare: SnapCompare) -> None:
    from goenv_tui.core.plan.verify import Check
    from goenv_tui.core.plan.workflow import Applied
    from goenv_tui.core.txn import ApplyResult
    from goenv_tui.ui.editing import ApplyOutcome

    async def run_before(pilot: Any) -> None:
        await _push_preview(pilot)
        pv = fixture_preview()
        bashrc = f"{HOME}/.bashrc"
        result = ApplyResult("20250302T080000000000Z-7a8b9c", "", written=(bashrc,))
        checks = [
            Check(
                "GOPROXY",
                True,
                f"GOPROXY = '{NEW_PROXY}' from ~/.bashrc:2, as predicted; "
                f"a fresh shell gets '{NEW_PROXY}'",
            )
        ]
        pilot.app.screen.show_outcome(ApplyOutcome(Applied(result, checks, pv.before, []), True))
        await pilot.pause()

    assert snap_compare(app(), run_before=run_before, terminal_size=(80, 24))


def test_history_screen_80x24(snap_compare: SnapCompare) -> None:
    from goenv_tui.ui.screens.history_screen import HistoryScreen

    async def run_before(pilot: Any) -> None:
        await pilot.app.push_screen(HistoryScreen(HOME, "/nonexistent-state", fixture_history()))
        await pilot.pause()

    assert snap_compare(app(), run_before=run_before, terminal_size=(80, 24))
