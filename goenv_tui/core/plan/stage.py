"""The staged plan: changes waiting for ``apply``, kept in the state directory (0600).

The CLI (``stage ...``) and the TUI share it. Reads and writes happen under the state lock;
a damaged file is reported, never silently dropped.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from typing import Any

from goenv_tui.core.plan.change import Change
from goenv_tui.core.plan.errors import PlanError
from goenv_tui.core.txn.fsio import write_private
from goenv_tui.core.txn.lock import ensure_state_dir, state_lock
from goenv_tui.core.txn.ownership import new_file_owner
from goenv_tui.core.txn.trust import read_state_file

STAGE_NAME = "staged.json"
SCHEMA = "goenv-tui/stage/1"


def _path(state_dir: str) -> str:
    return os.path.join(state_dir, STAGE_NAME)


def _read(state_dir: str) -> dict[str, Any] | None:
    path = _path(state_dir)
    try:
        raw = read_state_file(path)
        if raw is None:
            return None
        data = json.loads(raw)
    except (OSError, ValueError) as err:
        raise PlanError(
            f"Cannot read the staged plan {path} ({err}); fix or delete it (goenv-tui stage clear)"
        ) from err
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise PlanError(f"{path} is not a staged plan; delete it with goenv-tui stage clear")
    changes = data.get("changes")
    if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
        raise PlanError(f"{path} is damaged; delete it with goenv-tui stage clear")
    return data


def load(state_dir: str, home: str) -> list[Change]:
    """The staged changes, in order ([] when nothing is staged)."""
    data = _read(state_dir)
    return [] if data is None else [Change.from_json(c, home) for c in data["changes"]]


def previewed(state_dir: str) -> dict[str, str | None] | None:
    """The sha256 (None: absent) of each file as the last ``preview`` of this plan showed it;
    None when the plan has not been previewed since it last changed."""
    data = _read(state_dir)
    seen = None if data is None else data.get("previewed")
    if not isinstance(seen, dict):
        return None
    return {str(k): v if isinstance(v, str) else None for k, v in seen.items()}


def save(state_dir: str, changes: list[Change], seen: dict[str, str | None] | None = None) -> None:
    """Replace the staged plan atomically (removing the file when empty); ``seen``: the file
    hashes a preview of exactly these changes showed (a changed plan needs a new preview)."""
    ensure_state_dir(state_dir)
    with state_lock(state_dir):
        if not changes:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(_path(state_dir))
            return
        body: dict[str, Any] = {"schema": SCHEMA, "changes": [c.to_json() for c in changes]}
        if seen is not None:
            body["previewed"] = seen
        data = (json.dumps(body, indent=2) + "\n").encode()
        write_private(state_dir, STAGE_NAME, data, owner=new_file_owner(state_dir))


def merged(staged: Sequence[Change], change: Change) -> tuple[list[Change], Change | None]:
    """The plan with ``change`` added: a later change of the same name and place replaces the
    earlier one, which is returned (None when nothing was replaced)."""
    gone = next((c for c in staged if c.name == change.name and c.place == change.place), None)
    return [*(c for c in staged if c is not gone), change], gone


def replaced_notice(gone: Change | None) -> str:
    """The sentence that says a staged change was replaced ("" when none was)."""
    return f"It replaces the staged change: {gone.describe()}." if gone is not None else ""


def add(state_dir: str, home: str, change: Change) -> tuple[list[Change], Change | None]:
    """Stage one more change (see :func:`merged`); the plan now and the change it replaced."""
    changes, gone = merged(load(state_dir, home), change)
    save(state_dir, changes)
    return changes, gone


def drop(state_dir: str, home: str, number: int) -> Change:
    """Remove the NUMBER-th (1-based, as ``stage list`` shows) change; returns it."""
    changes = load(state_dir, home)
    if not 1 <= number <= len(changes):
        have = f"1 to {len(changes)}" if changes else "nothing is staged"
        raise PlanError(f"There is no staged change {number} ({have}); see goenv-tui stage list")
    gone = changes.pop(number - 1)
    save(state_dir, changes)
    return gone
