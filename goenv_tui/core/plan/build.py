"""Changes -> a plan: each file's old and new bytes, validated and checked for access.

Changes to the same file are applied one after the other to its evolving content. Nothing is
written here; :mod:`goenv_tui.core.txn` installs the bytes. Every refusal is a
:class:`PlanError` with one sentence, raised before anything is staged or changed.
"""

from __future__ import annotations

import difflib
import os
import pwd
import shlex
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from goenv_tui.core.advice import set_command, unset_command
from goenv_tui.core.edits import EditError, GoUnavailable
from goenv_tui.core.edits.blocks import block_info, block_set, block_unset
from goenv_tui.core.edits.goenvfile import (
    goenv_line,
    goenv_set,
    goenv_set_direct,
    goenv_unset,
    goenv_unset_direct,
)
from goenv_tui.core.edits.owned import G_OWNER, file_owner, owner_at
from goenv_tui.core.edits.placement import startup_target
from goenv_tui.core.edits.quoting import assignment_line
from goenv_tui.core.edits.rewrite import rewrite_line
from goenv_tui.core.envfile import decode, effective_map, parse_env_text
from goenv_tui.core.gobuildinfo import go_version
from goenv_tui.core.goprobe import goroot_of_binary, user_config_env_file
from goenv_tui.core.layers import BY_ID, FILE_LINES, NO_EDIT_TAKES
from goenv_tui.core.managers import toolchain_origin, wrapper_advice
from goenv_tui.core.model import ACTIVE, IGNORED, NOT_RUN, STALE, ChainEntry, Variable
from goenv_tui.core.names import OS_ONLY_NAMES
from goenv_tui.core.paths import nearest_dir, tilde
from goenv_tui.core.plan.change import BLOCK, GOENV, LINE, SET, Change, Place
from goenv_tui.core.plan.errors import NeedsRoot, PlanError
from goenv_tui.core.plan.ports import PORT, pair_after, port_refusal
from goenv_tui.core.resolve import Resolution
from goenv_tui.core.txn import FileChange
from goenv_tui.core.txn.identity import target_identity
from goenv_tui.core.validate import ERROR, validate
from goenv_tui.core.validate.rules_paths import tree_version
from goenv_tui.core.wrapper import lets_environment_through

_ZSH_FILES = frozenset({".zshenv", ".zprofile", ".zshrc", ".zlogin", ".zlogout"})
_BASH_FILES = frozenset({".bashrc", ".bash_profile", ".bash_login", ".bash_logout"})
#: Values go accepts but never uses as meant (go-env-facts.md §5): refused, not just warned.
REFUSED_WARNINGS = frozenset(
    {"cgo-enabled-ignored", "glob-list-spaces", "glob-scheme", "glob-malformed"}
)


@dataclass(frozen=True)
class Context:
    """What a plan is built against: the current resolution and the user's shell."""

    resolution: Resolution
    env: Mapping[str, str]
    shell: str  # bash | zsh | sh | fish

    @property
    def home(self) -> str:
        """The user's HOME (the process's when unset)."""
        return self.env.get("HOME") or os.path.expanduser("~")


@dataclass
class FilePlan:
    """One file of the plan: its bytes before and after, and what to know about it."""

    path: str
    old: bytes | None
    new: bytes | None
    role: str  # "go env file" | "startup file"
    notes: list[str] = field(default_factory=list)
    identity: str = ""  # core/txn/identity.target_identity when the bytes were read

    @property
    def realpath(self) -> str:
        """Where the bytes really go (symlinks followed)."""
        return os.path.realpath(self.path)

    @property
    def changed(self) -> bool:
        """Whether applying this file changes anything."""
        return self.old != self.new


@dataclass(frozen=True)
class Step:
    """One change, resolved to a file and a place in it."""

    change: Change
    place: Place  # with the path filled in
    command: str  # the equivalent `go env` command, or the shell line written
    notes: tuple[str, ...] = ()
    in_goenv_file: bool = False  # the go env file, as a whole or one line of it

    @property
    def reaches_go(self) -> bool:
        """Whether go reads the step's file itself (every go command, shells or not)."""
        return self.place.kind == GOENV or self.in_goenv_file

    def summary(self) -> str:
        """``set GOPATH=/x → /home/u/.config/go/env`` (the history's description)."""
        c = self.change
        what = f"set {c.name}={c.value}" if c.value is not None else f"unset {c.name}"
        where = self.place.path if self.place.kind != LINE else self.place.spec
        return f"{what} → {where}"


@dataclass
class Plan:
    """Everything apply needs and everything the preview shows (bar the prediction)."""

    steps: list[Step]
    files: list[FilePlan]
    warnings: list[str] = field(default_factory=list)
    #: Why the plan cannot be applied yet (a staged GOOS without its GOARCH), when staging.
    incomplete: str | None = None
    #: Names the go wrapper sets only when the environment has none (an export beats it).
    yields: frozenset[str] = frozenset()

    @property
    def names(self) -> list[str]:
        """The affected variables, in first-change order."""
        return list(dict.fromkeys(s.change.name for s in self.steps))

    @property
    def changed_files(self) -> list[FilePlan]:
        """The files whose bytes change."""
        return [f for f in self.files if f.changed]

    def file_changes(self) -> list[FileChange]:
        """The transaction: each changed file guarded by the hash of the bytes shown."""
        return [
            FileChange.from_preview(f.path, f.old, f.new, f.identity or None)
            for f in self.changed_files
        ]

    def description(self) -> str:
        """One line for the history."""
        return "; ".join(s.summary() for s in self.steps)

    def line_today(self, path: str, line: int) -> int | None:
        """Where line ``line`` of ``path`` after the plan is in today's file (None: the plan
        writes that line), so that advice names lines that exist now."""
        fp = next((f for f in self.changed_files if f.realpath == os.path.realpath(path)), None)
        if fp is None:
            return line
        old = (fp.old or b"").splitlines()
        new = (fp.new or b"").splitlines()
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for start_old, start_new, size in matcher.get_matching_blocks():
            if start_new < line <= start_new + size:
                return start_old + line - start_new
        return None


def build_plan(changes: Sequence[Change], ctx: Context, *, staging: bool = False) -> Plan:
    """The plan for ``changes`` (in order); PlanError (nothing staged) when one is refused.

    ``staging``: more changes may follow, so a GOOS/GOARCH pair that is not a port yet is
    the plan's ``incomplete`` reason instead of a refusal (the other half may be staged next).
    """
    if not changes:
        raise PlanError("Nothing is staged; add a change with goenv-tui stage set NAME=VALUE")
    builder = _Builder(ctx)
    builder.staging = staging
    # FILE:LINE always means the line as the file is on disk (what `explain` showed): rewrite
    # those lines before a block insertion could shift them.
    placed = [
        replace(c, place=default_place(c.name, ctx)) if c.op == SET and c.place is None else c
        for c in changes
    ]
    indexed = sorted(enumerate(placed), key=lambda p: p[1].place is None or p[1].place.kind != LINE)
    builder.staged = {c.name: c.value for c in placed if c.op == SET and c.value is not None}
    for index, change in indexed:
        builder.index = index
        builder.add(change)
    if any(c.name in PORT for c in placed):
        builder.check_port({c.name for c in placed if c.op != SET})
    # shown and applied in the order the changes were asked for
    pairs = sorted(zip(builder.step_index, builder.steps, strict=True), key=lambda p: p[0])
    steps = [step for _, step in pairs]
    files = sorted(builder.files.values(), key=lambda f: builder.first_use[f.realpath])
    yields = frozenset(n for n, kept in builder._yields.items() if kept)
    plan = Plan(steps, files, builder.warnings, builder.incomplete, yields)
    for fp in plan.changed_files:
        _check_access(fp, ctx.home)
        fp.notes.extend(_file_notes(fp, ctx.home))
    return plan


def unset_place(var: Variable | None) -> Place | None:
    """Where an unset removes a value so that it takes effect, as `e` sets it where it takes
    effect: the startup line that gives a fresh shell its value, else the go env file when
    that decides it; None (the go env file and the goenv-tui block) when neither does."""
    line = deciding_line(var)
    if line is not None:
        assert line.file is not None and line.line is not None
        return Place(LINE, line.file, line.line)
    src = var.source if var is not None else None
    if src is not None and src.layer == "goenv":
        return Place(GOENV)
    return None


def deciding_line(var: Variable | None) -> ChainEntry | None:
    """The startup line that gives a fresh shell the value of ``var``: the last one that ran
    and decides it (later ones may only set it again unchanged), else the last that ran."""
    if var is None:
        return None
    ran = [
        e
        for e in var.chain
        if e.layer == "startup" and e.state not in (NOT_RUN, IGNORED) and e.file and e.line
    ]
    if not ran:
        return None
    return next((e for e in reversed(ran) if e.state in LIVE), ran[-1])


def default_place(name: str, ctx: Context) -> Place:
    """Where a new value of ``name`` takes effect.

    The assignment that gives a fresh shell its value when a startup file sets it (anything
    else would be shadowed by it; a later line that only sets the same value again, as
    Bash-it's `${GOPATH:-...}` does, follows it); a managed block when /etc/environment sets
    it or go does not read the go env file for it; else the go env file, which reaches every
    go command.
    """
    var = ctx.resolution.variables.get(name)
    if var is not None:
        last = deciding_line(var)
        if last is not None:
            assert last.file is not None and last.line is not None
            if file_owner(last.file, ctx.home) is not None:
                # a framework's file: the user's own file that loads it, after it
                return Place(BLOCK, _framework_host(ctx))
            owned = owner_at(last.file, last.line, ctx.home) is not None
            if not assigns_at(last.file, last.line, name) or owned:
                # set by code the line runs (eval "$(tool init -)", a function), or a line a
                # tool owns: a managed block after it in the same file wins instead
                return Place(BLOCK, last.file)
            return Place(LINE, last.file, last.line)
        if any(e.layer == "system" and e.state != IGNORED for e in var.chain):
            return Place(BLOCK)
        if var.source is not None and var.source.layer == "wrapper":
            return Place(BLOCK)  # the wrapper's export beats the go env file
    if name in OS_ONLY_NAMES or ctx.resolution.go.env_file == "":
        return Place(BLOCK)
    return Place(GOENV)


#: The states of an entry that decides a value now or in a fresh terminal.
LIVE = (ACTIVE, STALE)


#: What g needs of the variables its installer line exports, and what to do instead.
G_NEEDS = {
    "GOROOT": (
        "g keeps its versions in $GOROOT/.versions and links the chosen one into it, so "
        "another GOROOT (or none) breaks every g command; switch versions with "
        "`g set VERSION` (`g list` shows them)"
    ),
    "GOPATH": (
        "g refuses to run unless $GOPATH/bin is on PATH, which that line puts there from "
        "this GOPATH, and g itself and the go links `g set` made live in that folder, so "
        "another GOPATH (or none) breaks every g command; to move it, change GOPATH on that "
        "line yourself, move $GOPATH/bin/g to the new GOPATH's bin folder, open a new "
        "terminal and run `g set VERSION` again"
    ),
}


def _framework_host(ctx: Context) -> str | None:
    """The user's file a shell framework is loaded from (oh-my-zsh from ~/.zshrc, Bash-it
    from ~/.bashrc), when it exists: a block there, after the framework, wins (~/.zshenv,
    read before ~/.zshrc, would lose)."""
    if ctx.shell == "zsh":
        rc = os.path.join(ctx.env.get("ZDOTDIR") or ctx.home, ".zshrc")
    elif ctx.shell == "bash":
        rc = os.path.join(ctx.home, ".bashrc")
    else:
        return None
    return rc if os.path.isfile(rc) else None


def _refuse_goenv(name: str, value: str) -> None:
    raise PlanError(
        f"{name} is exported by the go wrapper whenever the OS environment has none, which "
        "beats the go env file; set it in a startup file instead "
        f"({set_command(name, value, 'startup')}); nothing was changed"
    )


def _override(change: Change, spec: str) -> str:
    """The command that overrides ``change.name`` from ``spec`` instead (a set only: an
    unset cannot override a line that runs later)."""
    if change.op == SET and change.value is not None:
        return f"override it after that line with {set_command(change.name, change.value, spec)}"
    return "a value set after that line overrides it, but nothing there can unset it"


def assigns_at(path: str, line: int, name: str) -> bool:
    """Whether the statement at ``path:line`` itself assigns ``name`` (as written)."""
    if path.endswith(".fish") or not os.path.isfile(path):
        return True  # fish lines follow their own rules; a missing file fails at the edit
    from goenv_tui.core.shells.bashparse import parse_file

    parsed = parse_file(path)
    return parsed.error is not None or any(
        a.name == name and a.line <= line <= a.end_line for a in parsed.assignments
    )


def line_editable(name: str, line: ChainEntry, home: str) -> bool:
    """Whether goenv-tui edits the startup line that sets ``name``: no tool owns it, and it
    assigns the name itself (not through code it runs: an eval, a function)."""
    if not line.file or not line.line:
        return False
    if os.path.isfile(line.file) and owner_at(line.file, line.line, home) is not None:
        return False
    return not line.note or assigns_at(line.file, line.line, name)


def line_fix(name: str, line: ChainEntry, home: str, value: str | None) -> str:
    """What to do about the startup line that decides ``name`` (to give it ``value``;
    None: to remove it): disable the line, or, where goenv-tui does not edit it (a tool
    owns it, or it sets the name through code it runs), override it after the line."""
    assert line.file is not None and line.line is not None
    loc = f"{tilde(line.file, home)}:{line.line}"
    if line_editable(name, line, home):
        return f"remove it there: {unset_command(name, loc)}"
    owner = owner_at(line.file, line.line, home) if os.path.isfile(line.file) else None
    why = f"{loc} belongs to {owner}" if owner else f"{loc} sets it through code it runs"
    if value is None:
        return f"{why}: change it where that comes from"
    into = "startup" if owner else f"startup:{tilde(line.file, home)}"
    return f"{why}; override it after that line: {set_command(name, value, into)}"


def syntax_of(path: str, user_shell: str) -> str:
    """The shell syntax a startup file is written in (by its name, else the user's shell)."""
    base = os.path.basename(path)
    if base.endswith(".fish"):
        return "fish"
    if base in _ZSH_FILES or base.endswith(".zsh"):
        return "zsh"
    if base in _BASH_FILES or base.endswith(".bash"):
        return "bash"
    if base in (".profile", "profile", "environment") or base.endswith(".sh"):
        return "sh"
    return user_shell if user_shell != "fish" else "sh"


class _Builder:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.res = ctx.resolution
        self.files: dict[str, FilePlan] = {}  # realpath -> plan
        self.steps: list[Step] = []
        self.warnings: list[str] = []
        self.index = 0  # the position of the change being added, as it was asked for
        self.step_index: list[int] = []
        self.first_use: dict[str, int] = {}  # realpath -> first change that touched it
        self._yields: dict[str, bool] = {}  # name -> the go wrapper keeps an exported value
        self.staged: dict[str, str] = {}  # name -> the value the plan sets it to
        self.staging = False
        self.incomplete: str | None = None

    # -- files

    def _file(self, path: str, role: str) -> FilePlan:
        real = os.path.realpath(path)
        self.first_use[real] = min(self.first_use.get(real, self.index), self.index)
        fp = self.files.get(real)
        if fp is None:
            identity = target_identity(path)
            try:
                with open(real, "rb") as fh:
                    data: bytes | None = fh.read()
            except FileNotFoundError:
                data = None
            except OSError as err:
                raise PlanError(
                    f"Cannot read {tilde(path, self.ctx.home)} ({err.strerror}); nothing was staged"
                ) from err
            fp = FilePlan(path, data, data, role, identity=identity)
            self.files[real] = fp
        return fp

    # -- changes

    def add(self, change: Change) -> None:
        yields = self._refuse_wrapped(change)
        if change.name in G_NEEDS:
            self._refuse_g_override(change.name)
        if change.op == SET:
            assert change.value is not None
            place = change.place or default_place(change.name, self.ctx)
            if yields and place.kind == GOENV:
                # the wrapper exports it whenever the OS environment has none: that beats
                # the go env file, but an exported value of the user's is kept
                _refuse_goenv(change.name, change.value)
            self._validate(change.name, change.value, place)
            self._apply(change, place)
            self._note_direnv(change, place)
            self._note_override(change.name, place)
            return
        places = [change.place] if change.place else self._unset_places(change.name)
        for place in places:
            self._apply(change, place)
            self._note_direnv(change, place)

    def _note_override(self, name: str, place: Place) -> None:
        """A block after a line a tool owns: from now on that tool no longer decides it."""
        if place.kind != BLOCK:
            return
        for e in self._live_lines(name):
            assert e.file is not None and e.line is not None
            owner = file_owner(e.file, self.ctx.home) or owner_at(e.file, e.line, self.ctx.home)
            if owner is not None:
                where = f"{tilde(e.file, self.ctx.home)}:{e.line}"
                self.warnings.append(
                    f"{name}: this overrides what {owner} sets at {where} in every new shell; "
                    "that tool's own commands (a version or environment switch) no longer "
                    f"change {name} until you remove the block"
                )
                return

    def _note_direnv(self, change: Change, place: Place) -> None:
        """direnv decides the value in this folder: say what the change does here."""
        name = change.name
        var = self.res.variables.get(name)
        src = var.source if var is not None else None
        if src is None or src.layer != "direnv" or not src.file:
            return
        envrc = tilde(src.file, self.ctx.home)
        folder = tilde(os.path.dirname(src.file), self.ctx.home)
        if place.path and os.path.realpath(place.path) == os.path.realpath(src.file):
            self.warnings.append(
                f"{name}: direnv refuses an edited {envrc} until you run "
                f"`direnv allow {folder}` (until then the folder gets none of its values)"
            )
        else:
            self.warnings.append(
                f"{name}: in {folder} direnv loads {envrc}, whose value still wins there; "
                f"this changes it everywhere else (to change it there too: "
                f"{self._there(change, f'{envrc}:{src.line or 1}')}, then "
                f"`direnv allow {folder}`)"
            )

    @staticmethod
    def _there(change: Change, spec: str) -> str:
        """The same change, made at ``spec`` instead."""
        if change.op == SET and change.value is not None:
            return set_command(change.name, change.value, spec)
        return unset_command(change.name, spec)

    def _validate(self, name: str, value: str, place: Place) -> None:
        in_file = place.kind == GOENV or (place.kind == LINE and self._is_goenv_file(place.path))
        eff = {**self.res.go.effective, **self.staged}  # GOOS and GOARCH set together
        problems = validate(
            name,
            value,
            go_version=self._go_version,
            goos=eff.get("GOOS") or "linux",
            goarch=eff.get("GOARCH") or "amd64",
            target="goenv" if in_file else "os",
            cc=eff.get("CC", ""),
            path=self.ctx.env.get("PATH"),
        )
        for p in problems:
            if self.staging and p.code == "goos-goarch-unsupported":
                self.incomplete = p.message.rstrip(".") + "; stage GOOS and GOARCH together"
                continue
            if p.severity == ERROR or p.code in REFUSED_WARNINGS:
                how = self._switch_hint(name, value) if p.code == "goroot-mismatch" else ""
                raise PlanError(p.message.rstrip(".") + how + "; nothing was changed")
        if name == "GOROOT":  # exported or in the go env file, a new terminal gets it
            self._refuse_fresh_mismatch(value)
            self.warnings.append(f"{name}: {p.message}")

    @property
    def _go_version(self) -> str | None:
        return self.res.go.version or self.res.go.local_version

    def check_port(self, unset: set[str]) -> None:
        """The GOOS/GOARCH pair go uses once the plan is applied must be a port (ports.py)."""
        file_plan = self.files.get(os.path.realpath(self._env_file() or "/nonexistent"))
        in_file = (
            effective_map(parse_env_text(decode(file_plan.new or b"")))
            if file_plan is not None
            else {}
        )
        exported = {
            n: self.ctx.env[n] for n in PORT if n in self.ctx.env and not self._block_unsets(n)
        }
        pair = pair_after(
            self.res.go.effective,
            staged=self.staged,
            unset=unset,
            exported=exported,
            in_file=in_file,
        )
        why = port_refusal(*pair, self._go_version)
        if why is not None and self.staging:
            self.incomplete = why
        elif why is not None:
            raise PlanError(f"{why}; nothing was changed")

    def _block_unsets(self, name: str) -> bool:
        """Whether the plan removes an exported ``name`` (the managed block's line)."""
        return any(step.change.name == name and not step.reaches_go for step in self.steps)

    def _refuse_fresh_mismatch(self, goroot: str) -> None:
        """A GOROOT of another version than the go a new terminal runs (this session may
        have switched with `gvm use`): builds in every new terminal would fail."""
        fresh_path = self.res.shell.fresh_path
        tree = tree_version(goroot) if os.path.isdir(goroot) else None
        found = shutil.which("go", path=fresh_path) if fresh_path else None
        if tree is None or found is None:
            return
        real = os.path.realpath(found)
        runs = go_version(real)
        if runs is None or runs == tree:
            return
        origin = toolchain_origin(goroot_of_binary(os.path.abspath(found)) or "", tree)
        raise PlanError(
            f"GOROOT {goroot} is a {tree} tree but a new terminal runs "
            f"{tilde(found, self.ctx.home)} ({runs}), so builds there fail (“compile: version "
            f'"{tree}" does not match go tool version "{runs}"”); switch the go itself'
            + (f" (it was {origin})" if origin else "")
            + "; nothing was changed"
        )

    def _switch_hint(self, name: str, goroot: str) -> str:
        """How the go that runs now was installed and is switched to ``goroot``'s version
        (its manager's command)."""
        var = self.res.variables.get(name)
        wanted = tree_version(goroot) if os.path.isdir(goroot) else None
        origin = toolchain_origin(var.value, wanted) if var is not None and var.value else None
        return f" (the go that runs is {origin})" if origin else ""

    def _unset_places(self, name: str) -> list[Place]:
        """Unset without --from: the go env file and the managed block where they set it, and
        the startup line that decides it."""
        places: list[Place] = []
        var = self.res.variables.get(name)
        chain = var.chain if var is not None else []
        if any(e.layer == "goenv" and e.state != IGNORED for e in chain):
            places.append(Place(GOENV))
        target = self._block_target(None)
        current = self._file(target[0], "startup file").new
        info = block_info(current, target[2])
        if info is not None and name in info.names:
            places.append(Place(BLOCK))
        deciding = unset_place(var)  # where the value takes effect, as `set` rewrites it
        if deciding is not None and deciding.kind == LINE and deciding.path is not None:
            in_block = os.path.realpath(deciding.path) == os.path.realpath(target[0]) and (
                deciding.line or 0
            ) in self._block_lines(target[0])
            if not in_block:
                places.append(deciding)
        if not places:
            raise PlanError(_not_ours(name, var, self.ctx.home))
        return places

    def _env_file(self) -> str:
        """The go env file: what go said, or by go's rules when go did not answer ("" with
        GOENV=off or when there is none)."""
        path = self.res.go.env_file
        if path is None:
            path = user_config_env_file(self.ctx.env, self.res.go.local_version)
        return path

    def _goenv_path(self, change: Change) -> str:
        if self.res.go.env_file == "":
            raise PlanError(
                "GOENV=off: go reads no go env file, so a value there would do nothing; "
                f"use {self._there(change, 'startup')}, or unset GOENV first"
            )
        path = self._env_file()
        if not path:
            raise PlanError(
                "There is no go env file here (no HOME or XDG_CONFIG_HOME); use "
                + self._there(change, "startup")
            )
        return path

    def _block_target(
        self, path: str | None, name: str | None = None
    ) -> tuple[str, str, str, str | None]:
        """(path, position, syntax, note) of the managed block."""
        if path is None:
            t = startup_target(self.ctx.shell, self.ctx.home, self.ctx.env)
            position = t.position
            if name is not None and self._sets_in(t.path, name):
                position = "end"  # the file, or a framework's read from it, sets it later
            return t.path, position, t.shell_syntax, t.note
        position = "top" if os.path.basename(path) == ".bashrc" else "end"
        if name is not None and self._sets_in(path, name):
            position = "end"  # above a line of this file that sets it, the block would lose
        return path, position, syntax_of(path, self.ctx.shell), None

    def _refuse_wrapped(self, change: Change) -> bool:
        """A value the go wrapper (a version manager's shim) sets every time go runs: no
        file can change it, so say what does (the manager's own command or switch). True
        when the wrapper sets it only when unset, so an exported value (not the go env
        file, not an unset) changes it."""
        name = change.name
        var = self.res.variables.get(name)
        src = var.source if var is not None else None
        hook = next(
            (e for e in (var.chain if var else []) if e.layer == "hook" and e.state in LIVE),
            None,
        )
        src = hook or src  # a fresh terminal ends with the hook's value
        if src is None or src.layer not in NO_EDIT_TAKES:
            return False
        if src.layer == "telemetry" and change.op != SET:
            return False  # removing a GOTELEMETRY line go never reads changes nothing it uses
        where = tilde(src.file or "", self.ctx.home) + (f":{src.line}" if src.line else "")
        if src.layer == "wrapper" and self._wrapper_yields(name):
            if change.op == SET:
                return True  # it sets the name only when unset: an exported value wins
            raise PlanError(
                f"{name} is set by the go wrapper at {where} whenever the environment has "
                "none, so unsetting it changes nothing; give it your own value instead (a "
                "value you set goes into a startup file, and the wrapper keeps it)"
            )
        why = f"{name} {BY_ID[src.layer].refusal.format(where=where)}"
        if src.layer == "wrapper":
            why += f"; {wrapper_advice(src.note or '', name)}"
        raise PlanError(why)

    def _refuse_g_override(self, name: str) -> None:
        """g's installer line exports the GOROOT and GOPATH g itself reads: any other value
        (or none) breaks every g command."""
        for e in self._live_lines(name):
            assert e.file is not None and e.line is not None
            owner = owner_at(e.file, e.line, self.ctx.home)
            if owner is not None and owner.startswith(G_OWNER):
                where = f"{tilde(e.file, self.ctx.home)}:{e.line}"
                raise PlanError(
                    f"{name} is exported by {owner} at {where}: {G_NEEDS[name]}; nothing was "
                    "changed"
                )

    def _live_lines(self, name: str) -> list[ChainEntry]:
        """The startup lines that decide ``name`` now or in a fresh terminal."""
        var = self.res.variables.get(name)
        return [
            e
            for e in (var.chain if var is not None else [])
            if e.layer == "startup" and e.state in LIVE and e.file and e.line
        ]

    def _wrapper_yields(self, name: str) -> bool:
        """Whether the go wrapper keeps a value the environment already has (never GOROOT:
        the toolchain is the manager's to choose)."""
        go = self.res.go.path
        if name == "GOROOT" or not go:
            return False
        if name not in self._yields:
            self._yields[name] = lets_environment_through(go, self.ctx.env, name)
        return self._yields[name]

    def _refuse_owned(self, change: Change, path: str, line: int, data: bytes) -> None:
        """A line or file another tool owns is not edited: it would break the tool or be
        undone by it; name the override point instead."""
        where = f"{tilde(path, self.ctx.home)}:{line}"
        owner = owner_at(path, line, self.ctx.home, data)
        if owner is None:
            return
        raise PlanError(
            f"{where} belongs to {owner}, so goenv-tui does not edit it; "
            + _override(change, "startup")
        )

    def _refuse_indirect(self, change: Change, path: str, line: int) -> None:
        """A line that sets ``name`` only through code it runs (an eval, a function) cannot
        be edited for that one variable: say so, and where an override would work."""
        name = change.name
        var = self.res.variables.get(name)
        real = os.path.realpath(path)
        for e in var.chain if var is not None else []:
            if (
                e.layer == "startup"
                and e.line == line
                and e.file
                and os.path.realpath(e.file) == real
                and e.note
                and not assigns_at(path, line, name)
            ):
                where = f"{tilde(path, self.ctx.home)}:{line}"
                how = e.note.split(";", 1)[0]
                raise PlanError(
                    f"{where} sets {name} through code it runs ({how}), so that line cannot be "
                    f"edited for {name} alone; "
                    + _override(change, f"startup:{tilde(path, self.ctx.home)}")
                )

    def _block_lines(self, path: str) -> range:
        """The lines of the managed block in ``path`` as on disk (empty: it has none)."""
        if not os.path.isfile(path):
            return range(0)
        data = self._file(path, "startup file").old or b""
        info = block_info(data, syntax_of(path, self.ctx.shell))
        return range(0) if info is None else range(info.start_line, info.end_line + 1)

    def _sets_in(self, path: str | None, name: str) -> bool:
        """Whether a fresh shell's startup sets ``name`` in ``path``, or in a framework's
        file (read while the user's files run): then only a block at the end wins."""
        var = self.res.variables.get(name)
        real = os.path.realpath(path) if path is not None else None
        disabled = {  # lines this plan disables no longer set it
            (os.path.realpath(s.place.path), s.place.line)
            for s in self.steps
            if s.change.name == name
            and s.change.op != SET
            and s.place.kind == LINE
            and s.place.path is not None
        }
        ours = self._block_lines(path) if path is not None else range(0)  # not rivals
        return var is not None and any(
            e.layer == "startup"
            and e.state not in (NOT_RUN, IGNORED)
            and e.file
            and (os.path.realpath(e.file), e.line) not in disabled
            and not (os.path.realpath(e.file) == real and (e.line or 0) in ours)
            and (os.path.realpath(e.file) == real or file_owner(e.file, self.ctx.home) is not None)
            for e in var.chain
        )

    def _apply(self, change: Change, place: Place) -> None:
        name, value = change.name, change.value
        notes: tuple[str, ...] = ()
        try:
            if place.kind == GOENV:
                path = self._goenv_path(change)
                fp = self._file(path, "go env file")
                fp.new = self._goenv_bytes(fp.new, name, value)
                arg = f"{name}={value}" if value is not None else name
                command = f"go env {'-w' if value is not None else '-u'} {shlex.quote(arg)}"
                resolved = Place(GOENV, path)
            elif place.kind == BLOCK:
                path, position, syntax, note = self._block_target(place.path, name)
                fp = self._file(path, "startup file")
                if value is None:
                    fp.new = block_unset(fp.new, syntax, [name])
                    command = f"(remove {name} from the goenv-tui block)"
                else:
                    fp.new = block_set(fp.new, syntax, {name: value}, position=position)
                    command = assignment_line(syntax, name, value)
                resolved, notes = Place(BLOCK, path), (note,) if note else ()
            elif self._is_goenv_file(place.path):
                assert place.path is not None and place.line is not None
                fp = self._file(place.path, "go env file")
                fp.new = goenv_line(fp.new, place.line, name, value)
                command = (
                    f"(line {place.line}: {name}={value})"
                    if value is not None
                    else (f"(delete line {place.line})")
                )
                resolved = place
            else:
                assert place.path is not None and place.line is not None
                syntax = syntax_of(place.path, self.ctx.shell)
                fp = self._file(place.path, "startup file")
                if fp.new is None:
                    raise PlanError(f"{tilde(place.path, self.ctx.home)} does not exist")
                self._refuse_indirect(change, place.path, place.line)
                self._refuse_owned(change, place.path, place.line, fp.new)
                try:
                    fp.new = rewrite_line(fp.new, syntax, place.line, name, value)
                except EditError as err:
                    where = f"{tilde(place.path, self.ctx.home)}:{place.line}"
                    raise EditError(f"{where}: {err}") from err
                command = (
                    assignment_line(syntax, name, value)
                    if value is not None
                    else f"(disable line {place.line})"
                )
                resolved = place
        except EditError as err:
            raise PlanError(f"{str(err).rstrip('.')}; nothing was changed") from err
        in_file = resolved.kind == GOENV or (
            resolved.kind == LINE and self._is_goenv_file(resolved.path)
        )
        self.steps.append(Step(change, resolved, command, notes, in_file))
        self.step_index.append(self.index)

    def _is_goenv_file(self, path: str | None) -> bool:
        """Whether ``path`` is the go env file (FILE:LINE there means go's line syntax)."""
        env_file = self._env_file()
        return bool(path and env_file) and os.path.realpath(path or "") == os.path.realpath(
            env_file
        )

    def _goenv_bytes(self, current: bytes | None, name: str, value: str | None) -> bytes | None:
        """Through the real go when it runs; go's own writer rules when it cannot."""
        go = self.res.go.path
        # go 1.27 refuses to touch GOROOT even to remove a line pointing at a wrong tree
        if go and not (value is None and name == "GOROOT"):
            try:
                if value is None:
                    return goenv_unset(go, current, [name])
                return goenv_set(go, current, {name: value})
            except GoUnavailable:
                pass
        if value is None:
            return goenv_unset_direct(current, [name])
        return goenv_set_direct(current, {name: value})


def _not_ours(name: str, var: Variable | None, home: str) -> str:
    """Why unset without --from has nothing to do, and what to use instead."""
    if var is not None:
        lines = [
            e
            for e in var.chain
            if e.layer in FILE_LINES and e.state != NOT_RUN and e.file and e.line
        ]
        if lines:
            e = lines[-1]
            where = f"{tilde(e.file or '', home)}:{e.line}"
            return (
                f"{name} is not set in the go env file or a goenv-tui block but at {where}; "
                + line_fix(name, e, home, None)
            )
        if var.source is not None and var.source.layer == "shell":
            return (
                f"{name} comes only from this session's environment ({var.source.origin}); "
                "run `unset {name}` in the shell, nothing in a file sets it"
            ).replace("{name}", name)
    return f"{name} is not set in the go env file or a goenv-tui block; nothing to unset"


def _owner_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _check_access(fp: FilePlan, home: str) -> None:
    """Refuse before anything changes when this user cannot write the file."""
    if os.geteuid() == 0:
        return
    real = fp.realpath
    shown = tilde(fp.path, home)
    if fp.old is not None:
        folder = os.path.dirname(real)
        if not os.access(real, os.W_OK) or not os.access(folder, os.W_OK | os.X_OK):
            owner = _owner_name(os.stat(real).st_uid)
            raise NeedsRoot(
                f"{shown} belongs to {owner} and is not writable by you; nothing was changed",
                fp.path,
            )
        return
    folder = nearest_dir(real)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise NeedsRoot(
            f"{shown} would be created in {tilde(folder, home)}, which is not writable by you; "
            "nothing was changed",
            fp.path,
        )


def _file_notes(fp: FilePlan, home: str) -> list[str]:
    """What the preview must say about how the file is written."""
    notes: list[str] = []
    real = fp.realpath
    if os.path.islink(fp.path):
        notes.append(f"writes through symlink → {tilde(real, home)}")
    if fp.old is None:
        missing = nearest_dir(real)
        created = os.path.relpath(os.path.dirname(real), missing)
        notes.append(
            "will be created"
            + ("" if created == "." else f" (with the folder {tilde(os.path.dirname(real), home)})")
        )
        return notes
    if fp.new is None:
        notes.append("will be deleted (it would be empty)")
    st = os.stat(real)
    if st.st_nlink > 1:
        notes.append(f"has {st.st_nlink} hard links: apply refuses to split them; edit it by hand")
    if os.geteuid() == 0 and st.st_uid != 0:
        notes.append(f"stays owned by {_owner_name(st.st_uid)}")
    return notes
