"""Run a whole probe in a background thread, started before the UI has even been imported."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from goenv_tui.core.resolve import Options, Resolution, probe


@dataclass
class ProbeResult:
    """A finished probe: the resolution plus what the UI shows beside it."""

    resolution: Resolution | None
    changed: set[str] = field(default_factory=set)
    changed_method: str = ""
    help: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0


def run_probe(opts: Options, with_help: bool = True) -> ProbeResult:
    """Probe, then ask go for `-changed` and its help text; never raises."""
    start = time.perf_counter()
    try:
        res = probe(opts)
    except Exception as exc:  # the core should not raise; if it does, the UI must say why
        return ProbeResult(
            None, error=f"the probe failed: {exc!r}", seconds=time.perf_counter() - start
        )
    from goenv_tui.core.changed import changed_names

    changed, method = changed_names(res.go, res.variables, opts.env, opts.cwd)
    help_texts: dict[str, str] = {}
    if with_help and res.go.path and not res.go.error:
        from goenv_tui.core.gohelp import go_help

        help_texts = go_help(res.go.path, opts.env)
    return ProbeResult(res, changed, method, help_texts, seconds=time.perf_counter() - start)


class ProbeTask:
    """A probe running in a daemon thread; `result()` waits for it."""

    def __init__(self, opts: Options) -> None:
        self.opts = opts
        self._result: ProbeResult | None = None
        self._thread = threading.Thread(target=self._run, name="goenv-tui-probe", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._result = run_probe(self.opts)

    def result(self, timeout: float | None = None) -> ProbeResult | None:
        """The result, or None when it is not ready within `timeout` seconds."""
        self._thread.join(timeout)
        return self._result
