"""What counts as a fix making things worse, over the predicted world's findings."""

from __future__ import annotations

from goenv_tui.core.doctor.finding import Finding
from goenv_tui.core.doctor.fixcheck import made_worse

MISREAD = Finding("goenv-line-misread-gosumdb-line-10", "error", "GOSUMDB", "off\\r is misread")
NOW = {
    "goenv-line-misread-gosumdb": ("error", "GOSUMDB"),
    "gobin-not-on-path": ("info", None),
    "goproxy-missing-scheme": ("warning", "GOPROXY"),
}


def test_the_fixed_finding_and_session_findings_do_not_count() -> None:
    after = [
        ("goenv-line-misread-gosumdb-line-9", "error", "GOSUMDB"),  # renumbered: itself
        ("stale-session-gosumdb", "warning", "GOSUMDB"),  # the session keeps the old value
        ("gobin-not-on-path", "info", None),
    ]
    assert made_worse(MISREAD, NOW, after) is None


def test_a_weaker_finding_about_the_fixed_variable_is_progress() -> None:
    assert made_worse(MISREAD, NOW, [("gosumdb-off", "warning", "GOSUMDB")]) is None
    warning = Finding("goenv-line-ignored-goinsecure-line-5", "warning", "GOINSECURE", "x")
    said = made_worse(warning, NOW, [("goinsecure-checksums", "error", "GOINSECURE")])
    assert said == "it would add goinsecure-checksums (error)"


def test_a_new_warning_elsewhere_or_a_graver_finding_is_worse() -> None:
    assert made_worse(MISREAD, NOW, [("gopath-is-goroot", "warning", "GOPATH")]) == (
        "it would add gopath-is-goroot (warning)"
    )
    assert made_worse(MISREAD, NOW, [("gobin-not-on-path", "warning", None)]) == (
        "it would make gobin-not-on-path a warning"
    )
    assert made_worse(MISREAD, NOW, [("goproxy-missing-scheme", "error", "GOPROXY")]) == (
        "it would make goproxy-missing-scheme an error"
    )
    assert made_worse(MISREAD, NOW, [("goenv-file-readable", "info", None)]) is None
