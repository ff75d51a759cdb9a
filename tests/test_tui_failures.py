"""A worker that fails unexpectedly is one sentence; the app stays usable; no locals printed."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import NoReturn

import pytest

from goenv_tui.ui import findings as doctor
from goenv_tui.ui.widgets.variable_table import VariableTable

from .conftest import REPO, Sandbox
from .test_tui_edit import PROFILE, errors, sandbox_app, until


async def test_a_failing_worker_is_one_notification_and_the_app_goes_on(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.write(".profile", PROFILE)
    calls: list[int] = []

    def broken_reader(*_args: object, **_kw: object) -> NoReturn:
        calls.append(1)
        raise KeyError("GOPROXY=https://user:hunter2@proxy.example")

    monkeypatch.setattr(doctor, "examine", broken_reader)
    app = sandbox_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(calls) and bool(errors(app)))
        (message,) = errors(app)
        assert "failed unexpectedly (KeyError)" in message
        assert "hunter2" not in message
        assert app.is_running
        await pilot.press("j", "k")  # keys still work
        assert app.query_one(VariableTable).row_count > 0
        await pilot.press("r")  # probing again still works (and fails the same way, once more)
        await until(pilot, lambda: len(calls) >= 2)
        assert app.is_running


def test_a_crash_prints_no_local_variables(sandbox: Sandbox, tmp_path: object) -> None:
    """An exception outside a worker ends the app with one sentence, never the locals."""
    script = (
        "import sys\n"
        "from goenv_tui.core.resolve import Options\n"
        "from goenv_tui.ui.app import GoEnvApp, make_app\n"
        "secret = 'hunter2-local-secret'\n"
        "def boom(self):\n"
        "    token = secret\n"
        "    raise RuntimeError('boom')\n"
        "GoEnvApp.on_mount = boom\n"
        "home = sys.argv[1]\n"
        "app = make_app(Options(env={'HOME': home}, cwd=home), env={'HOME': home})\n"
        "app.run(headless=True)\n"
    )
    env = dict(sandbox.env, PYTHONPATH=str(REPO))
    env.pop("GOENV_TUI_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-c", script, str(sandbox.home)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=os.fspath(sandbox.home),
        check=False,
    )
    output = done.stdout + done.stderr
    assert "hunter2-local-secret" not in output
    assert "stopped on an internal error" in output
