"""SVG snapshots of every screen (80x24, one at 120x36, one with NO_COLOR).

Deterministic by construction: a recorded probe result (tests/tui_fixtures.py), no blinking
cursor, no animation, and every key press awaited. Update with `pytest --snapshot-update`
after checking the new SVGs by eye.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from goenv_tui.ui.app import GoEnvApp, make_app

from .tui_fixtures import fixture_env, fixture_options, fixture_result

SnapCompare = Callable[..., bool]


def app(**kw: Any) -> GoEnvApp:
    return make_app(fixture_options(), result=fixture_result(**kw), env=fixture_env())


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
    themed = make_app(fixture_options(), result=fixture_result(), env=fixture_env(), theme=theme)
    assert snap_compare(themed, press=["slash", *"GOPROXY", "enter"], terminal_size=(80, 24))


def test_export_screen_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(app(), press=["s"], terminal_size=(80, 24))


def test_read_only_snapshot_80x24(snap_compare: SnapCompare) -> None:
    from goenv_tui.core.snapshot import take

    res = fixture_result().resolution
    assert res is not None
    snap = take(res, redactor=None, now=0)
    snap.meta["host"] = "buildbox"
    read_only = make_app(fixture_options(), snapshot=snap, env=fixture_env())
    assert snap_compare(read_only, terminal_size=(80, 24))
