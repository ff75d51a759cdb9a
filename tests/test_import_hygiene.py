"""The core must never import Textual or Rich (docs/style.md, convention 1)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import goenv_tui.core

from .conftest import REPO

CORE_MODULES = sorted(
    m.name for m in pkgutil.walk_packages(goenv_tui.core.__path__, "goenv_tui.core.")
)


def test_core_has_modules() -> None:
    assert "goenv_tui.core.model" in CORE_MODULES
    assert "goenv_tui.core.resolve" in CORE_MODULES


@pytest.mark.parametrize("module", [*CORE_MODULES, "goenv_tui.cli"])
def test_core_module_imports_no_ui(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "", f"{module} pulls in {out.stdout.strip()}"
