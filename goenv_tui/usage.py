"""What every command-line face raises for bad input: one sentence, exit status 2."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from goenv_tui.core.resolve import Options


class UsageError(Exception):
    """Bad input or a refusal: one sentence for stderr, exit status 2, nothing changed."""


#: How a command turns its parsed arguments into probe options (cli._options).
OptionsFor = Callable[[argparse.Namespace], "Options"]
