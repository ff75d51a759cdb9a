"""The command line: `goenv-tui show|explain|snapshot|diff ...` (a thin face over the core);
the edit commands live in :mod:`goenv_tui.cli_edit`."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from goenv_tui import __version__
from goenv_tui.cli_doctor import add_doctor_commands, cmd_doctor, examine
from goenv_tui.cli_edit import (
    EDIT_COMMANDS,
    add_edit_commands,
    auto_recover,
    run_edit_command,
)
from goenv_tui.usage import UsageError

if TYPE_CHECKING:
    from goenv_tui.core.redact import Redactor
    from goenv_tui.core.resolve import Options
    from goenv_tui.core.snapshot import Snapshot


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors as one sentence (no usage dump) and exits 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}; run '{self.prog} --help' for usage")


def _globals(sub: bool = False) -> _Parser:
    """Global options; a subcommand's copy must not reset what was given before it."""
    common = _Parser(add_help=False)
    kw: dict[str, Any] = {"default": argparse.SUPPRESS} if sub else {}
    common.add_argument("--go", metavar="PATH", help="use this go binary instead of PATH's", **kw)
    common.add_argument(
        "--shell",
        choices=["bash", "zsh", "sh", "fish"],
        help="the shell whose startup files to read (default: $SHELL)",
        **kw,
    )
    common.add_argument(
        "--no-trace",
        action="store_true",
        help="read startup files statically instead of tracing the shell",
        **kw,
    )
    common.add_argument("--theme", metavar="NAME", help="TUI theme", **kw)
    common.add_argument("--state-dir", metavar="DIR", help="where state is kept", **kw)
    common.add_argument(
        "--snapshot", metavar="FILE", help="open a snapshot read-only in the explorer", **kw
    )
    return common


#: The commands this module defines (cli_doctor and cli_edit add theirs).
_OWN_COMMANDS = frozenset({"show", "explain", "snapshot", "diff", "debug"})
_DOCTOR_COMMANDS = frozenset({"doctor", "fix"})
#: Global options that take a value as the next word.
_VALUE_OPTIONS = frozenset({"--go", "--shell", "--theme", "--state-dir", "--snapshot"})


def command_of(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (the first word that is neither an option nor a global
    option's value); None when there is none."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if "=" not in word and any(o.startswith(word) for o in _VALUE_OPTIONS if len(word) > 2):
            next(words, None)  # (argparse takes any unambiguous prefix of an option)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser (global options work before or after the command); given a
    known ``command``, only that command's subparser is built (a start-up cost)."""
    known = _OWN_COMMANDS | _DOCTOR_COMMANDS | EDIT_COMMANDS
    only = command if command in known else None

    def wanted(name: str) -> bool:
        return only is None or name == only

    common = _globals(sub=True)
    parser = _Parser(
        prog="goenv-tui",
        parents=[_globals()],
        description="Explain a Go developer's environment, layer by layer.",
    )
    parser.add_argument("--version", action="version", version=f"goenv-tui {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    if wanted("show"):
        show = sub.add_parser("show", parents=[common], help="every Go variable and its source")
        show.add_argument("names", nargs="*", metavar="NAME")
        show.add_argument("--json", action="store_true", help="print the show/1 JSON object")
        show.add_argument(
            "--changed", action="store_true", help="only what `go env -changed` reports, and why"
        )
    if wanted("explain"):
        explain = sub.add_parser("explain", parents=[common], help="one variable's chain in words")
        explain.add_argument("name", metavar="NAME")
    if wanted("snapshot"):
        snap = sub.add_parser("snapshot", parents=[common], help="export a (redacted) snapshot")
        snap.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
        snap.add_argument(
            "--format",
            choices=["toml", "json", "md"],
            help="default: from -o's extension, else toml",
        )
        snap.add_argument(
            "--no-redact",
            action="store_true",
            help="keep secrets, home paths and private hosts (do not paste it)",
        )
    if wanted("diff"):
        diff = sub.add_parser("diff", parents=[common], help="compare two snapshots ('-' = live)")
        diff.add_argument("a", metavar="A")
        diff.add_argument("b", metavar="B")
        diff.add_argument("--json", action="store_true", help="print the diff/1 JSON object")
    add_doctor_commands(sub, common, wanted)
    add_edit_commands(sub, common, wanted)
    if wanted("debug"):
        debug = sub.add_parser(
            "debug", parents=[common], help="internals for tests and bug reports"
        )
        debug.add_argument(
            "what",
            choices=["checkpoints"],
            help="checkpoints: the fault-injection points of apply and recovery",
        )
    return parser


#: The commands that probe the live environment first thing (None: the explorer).
_PROBING = frozenset({None, "show", "explain", "snapshot", "doctor", "diff", "fix"})


def _start_go(args: argparse.Namespace) -> None:
    """Start the probe's `go env -json` now, so that it runs while the rest is imported."""
    from goenv_tui.core.goprobe import start_effective_run

    if args.snapshot is None:
        go = os.path.expanduser(args.go) if args.go else None
        with contextlib.suppress(OSError):  # (a folder removed under us: the probe says so)
            start_effective_run(dict(os.environ), os.getcwd(), go)


def _options(args: argparse.Namespace) -> Options:
    from goenv_tui.core.paths import cache_dir
    from goenv_tui.core.resolve import Options

    env = dict(os.environ)
    if args.go is not None:
        go = os.path.abspath(os.path.expanduser(args.go))
        if not os.path.isfile(go) or not os.access(go, os.X_OK):
            raise UsageError(
                f"--go {args.go}: not an executable file; give the path of a go binary"
            )
        args.go = go
    return Options(
        env=env,
        go_path=args.go,
        shell=args.shell,
        trace=not args.no_trace,
        cache_dir=cache_dir(env),
    )


def _pick(names: Sequence[str], known: Sequence[str]) -> list[str]:
    """Validate NAME arguments against the variables go knows (case-insensitive help)."""
    picked: list[str] = []
    for raw in names:
        name = raw.strip()
        if name in known:
            picked.append(name)
            continue
        hint = next((k for k in known if k.lower() == name.lower()), None)
        tip = f"did you mean {hint}? " if hint else ""
        raise UsageError(
            f"{raw!r} is not a Go variable this go knows; {tip}run 'goenv-tui show' to list them"
        )
    return picked


def cmd_show(args: argparse.Namespace) -> int:
    """`show [NAME...] [--json] [--changed]`."""
    from goenv_tui.core.resolve import probe
    from goenv_tui.table import LEGEND, header, table

    opts = _options(args)
    res = probe(opts)
    names = _pick(args.names, list(res.variables)) if args.names else sorted(res.variables)
    reasons: dict[str, str] | None = None
    how = ""
    if args.changed:
        from goenv_tui.core.changed import changed_names
        from goenv_tui.core.explain import changed_reason

        changed, how = changed_names(res.go, res.variables, opts.env, opts.cwd)
        names = [n for n in names if n in changed]
        home = os.environ.get("HOME")
        reasons = {n: changed_reason(res.variables[n], home) for n in names}
    if args.json:
        out = res.to_json(names)
        if reasons is not None:
            out["changed"] = {"method": how, "reasons": reasons}
        sys.stdout.write(json.dumps(out, indent=2) + "\n")  # one write: the stream escapes
        return 0
    home = os.environ.get("HOME")
    width = _width()
    # a note is wrapped, never cut: its file:line is what the reader needs
    lines = [part for line in header(res, home) for part in (_wrapped(line, width) or [""])]
    lines.append("")
    lines.extend(table({n: res.variables[n] for n in names}, home, width, reasons))
    if args.changed:
        lines.append(f"({len(names)} changed; {how})")
    if any(res.variables[n].flags for n in names):
        lines.append(LEGEND)
    print("\n".join(lines))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """`explain NAME`: the whole chain in words."""
    from goenv_tui.core.explain import story, where
    from goenv_tui.core.resolve import probe

    res = probe(_options(args))
    (name,) = _pick([args.name], list(res.variables))
    var = res.variables[name]
    home = os.environ.get("HOME")
    print(story(var, home, res.go.error))
    print()
    print("Chain, lowest precedence first:")
    if not var.chain:
        print("  (no layer sets it)")
    for entry in var.chain:
        print(f"  {entry.state:<9} {entry.layer:<8} {where(entry, home):<28} {entry.value!r}")
    if res.go.error:
        print(f"\nNote: {res.go.error}")
    return 0


def _redactor(env: dict[str, str], state: str | None) -> Redactor:
    from goenv_tui.core.paths import state_dir
    from goenv_tui.core.redact import Redactor
    from goenv_tui.core.state import redaction_key
    from goenv_tui.core.txn import TxnError

    try:
        key = redaction_key(state_dir(env, state))
    except (OSError, TxnError) as err:
        why = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise UsageError(
            f"cannot use the state directory {state_dir(env, state)}: {why.rstrip('.')}; "
            "give a writable one with --state-dir"
        ) from err
    return Redactor(home=env.get("HOME"), user=env.get("USER") or env.get("LOGNAME"), key=key)


def cmd_snapshot(args: argparse.Namespace) -> int:
    """`snapshot [-o FILE] [--format toml|json|md] [--no-redact]`."""
    from goenv_tui.core.doctor import snapshot_findings
    from goenv_tui.core.snapshot import dumps, take

    fmt = args.format or _format_of(args.output) or "toml"
    opts = _options(args)
    redactor = None if args.no_redact else _redactor(dict(opts.env), args.state_dir)
    if args.no_redact:
        print(
            "goenv-tui: warning: --no-redact: this snapshot holds your credentials, tokens, "
            "home folder and private host names; do not paste it anywhere public.",
            file=sys.stderr,
        )
    res, findings = examine(opts)
    text = dumps(
        take(res, redactor=redactor, findings=snapshot_findings(findings, res, redactor)), fmt
    )
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    _write_new_file(args.output, text, private=args.no_redact)
    print(f"wrote {args.output} ({fmt}{'' if redactor else ', NOT redacted'})", file=sys.stderr)
    return 0


def _format_of(path: str | None) -> str | None:
    ext = os.path.splitext(path or "")[1].lower().lstrip(".")
    return {"toml": "toml", "json": "json", "md": "md", "markdown": "md"}.get(ext)


def _write_new_file(path: str, text: str, private: bool) -> None:
    """Write via a temp file and rename; 0600 when it holds secrets."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise UsageError(f"-o {path}: the folder {directory} does not exist")
    from goenv_tui.core.txn.fsio import create_exclusive, write_all

    tmp = None
    try:
        fd, tmp = create_exclusive(
            os.path.join(directory, "." + os.path.basename(path)), 0o600 if private else 0o644
        )
        try:
            write_all(fd, text.encode("utf-8", "surrogateescape"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)  # replaces a symlink at path, never writes through it
    except OSError as err:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise UsageError(f"cannot write {path}: {err.strerror or err}") from err


def _side(arg: str, args: argparse.Namespace, redact: bool) -> Snapshot:
    """One side of `diff`: a snapshot file, or '-' for the live environment."""
    from goenv_tui.core.doctor import snapshot_findings
    from goenv_tui.core.snapshot import SnapshotError, load, take

    if arg == "-":
        opts = _options(args)
        redactor = _redactor(dict(opts.env), args.state_dir) if redact else None
        res, findings = examine(opts)
        return take(res, redactor=redactor, findings=snapshot_findings(findings, res, redactor))
    try:
        return load(arg)
    except SnapshotError as err:
        raise UsageError(str(err)) from err


def cmd_diff(args: argparse.Namespace) -> int:
    """`diff A B`: exit 0 when equal, 1 when they differ, 2 for a bad file."""
    from goenv_tui.core.snapdiff import diff, diff_json, diff_text

    # Files first (a bad one is exit 2 before any probing); the live side is redacted like
    # the files it is compared with, so home paths and secrets compare like with like.
    loaded = {x: _side(x, args, False) for x in (args.a, args.b) if x != "-"}
    redact = all(snap.redacted for snap in loaded.values()) if loaded else True
    live = _side("-", args, redact) if "-" in (args.a, args.b) else None
    a = live if args.a == "-" else loaded[args.a]
    b = live if args.b == "-" else loaded[args.b]
    assert a is not None and b is not None
    differences = diff(a, b)
    label_a = "live environment" if args.a == "-" else args.a
    label_b = "live environment" if args.b == "-" else args.b
    if args.json:
        json.dump(diff_json(differences, label_a, label_b), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(diff_text(differences, label_a, label_b))
    return 1 if differences else 0


def cmd_debug(args: argparse.Namespace) -> int:
    """`debug checkpoints`: one checkpoint per line, in order. GOENV_TUI_FAULT=<name> makes
    the process SIGKILL itself there (for a per-file one, `<name>:<k>` at the k-th file)."""
    from goenv_tui.core.txn import CHECKPOINTS

    print("\n".join(CHECKPOINTS))
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    """No command: the interactive explorer (`--snapshot FILE`: read-only, on a snapshot)."""
    snap = None
    if args.snapshot:  # a bad file is reported before anything else, terminal or not
        from goenv_tui.core.snapshot import SnapshotError, load

        try:
            snap = load(args.snapshot)
        except SnapshotError as err:
            raise UsageError(str(err)) from err
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "the interactive explorer needs a terminal; use 'goenv-tui show' in scripts"
        )
    opts = _options(args)
    task = None
    if snap is None:
        from goenv_tui.core.background import ProbeTask

        task = ProbeTask(opts)  # started before Textual is imported: the two overlap
    from goenv_tui.ui.app import make_app

    app = make_app(
        opts,
        task=task,
        snapshot=snap,
        theme=args.theme,
        env=dict(opts.env),
        state_dir=args.state_dir,
    )
    from goenv_tui.core.textsafe import raw_streams

    with raw_streams():
        app.run()
    return 0


def _wrapped(line: str, width: int) -> list[str]:
    """A header line in lines of ``width``, its paths and `code spans` never broken."""
    import textwrap

    glued = re.sub(r"`[^`\n]*`", lambda m: m.group(0).replace(" ", "\0"), line)
    parts = textwrap.wrap(
        glued, width, subsequent_indent=" " * 7, break_long_words=False, break_on_hyphens=False
    )
    return [part.replace("\0", " ") for part in parts]


def _width() -> int:
    import shutil

    return max(60, min(shutil.get_terminal_size((80, 24)).columns, 200))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `goenv-tui` console script.

    Every command but the TUI writes through `terminal_streams`: no control character from a
    file, a snapshot or the environment reaches the terminal raw (core/textsafe).
    """
    from goenv_tui.core.textsafe import terminal_streams

    with terminal_streams():
        try:
            return _main(argv)
        finally:
            if "goenv_tui.core.goprobe" in sys.modules:  # a run started for nothing ends here
                sys.modules["goenv_tui.core.goprobe"].drop_started_runs()


def _main(argv: Sequence[str] | None) -> int:
    try:
        words = sys.argv[1:] if argv is None else list(argv)
        args = build_parser(command_of(words)).parse_args(words)
        if args.command not in ("debug", "recover"):
            auto_recover(args.state_dir)
        if args.command in _PROBING:
            _start_go(args)  # after recovery: the files it reads are final now
        if args.command == "explain":
            return cmd_explain(args)
        if args.command is None:
            return cmd_tui(args)
        if args.command == "show":
            return cmd_show(args)
        if args.command == "snapshot":
            return cmd_snapshot(args)
        if args.command == "diff":
            return cmd_diff(args)
        if args.command == "debug":
            return cmd_debug(args)
        if args.command == "doctor":
            return cmd_doctor(args, _options)
        if args.command in EDIT_COMMANDS:
            return run_edit_command(args, _options)
        raise UsageError(f"unknown command {args.command!r}")
    except UsageError as err:
        print(f"goenv-tui: {err}.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # never a traceback (it could print secrets); one sentence
        if os.environ.get("GOENV_TUI_DEBUG"):
            raise
        print(
            f"goenv-tui: internal error ({type(err).__name__}); nothing more was changed; "
            "run again with GOENV_TUI_DEBUG=1 to see where, and report it.",
            file=sys.stderr,
        )
        return 2
