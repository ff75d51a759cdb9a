"""Themes: TOML files (format: the top of themes/dark.toml) validated into Textual themes.

Built-in themes ship in the package (`goenv_tui/themes/` in a wheel, the top-level `themes/`
in a checkout); user themes in `$XDG_CONFIG_HOME/goenv-tui/themes` replace them by name.
A broken file never stops the others: each gives one sentence in `ThemeLoad.errors`.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.design import ColorSystem
from textual.theme import BUILTIN_THEMES, Theme

from goenv_tui.core.layers import REGISTRY
from goenv_tui.core.paths import tilde

#: Fallbacks for the app's own variables, so the stylesheet works under any theme (Textual's
#: built-in ones too). Mid-tones: readable, if not perfect, on light and dark backgrounds.
APP_VARIABLES: dict[str, str] = {
    **{f"layer-{layer.id}": layer.color for layer in REGISTRY},
    "state-active": "#3FA34D",
    "state-shadowed": "#8C8C8C",
    "state-not-run": "#6E8BB5",
    "state-stale": "#D4A017",
    "state-ignored": "#7D7D7D",
    "diff-added": "#3FA34D",
    "diff-removed": "#D9534F",
    "diff-context": "#8C8C8C",
    "finding-error": "#D9534F",
    "finding-warning": "#D4A017",
    "finding-info": "#1F8FDF",
}

#: Textual's colour slots; only `primary` is required.
COLOR_SLOTS = (
    "primary",
    "secondary",
    "accent",
    "warning",
    "error",
    "success",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
_BOOL_KEYS = ("dark", "ansi")
_NUMBER_KEYS = ("luminosity_spread", "text_alpha")
TOP_LEVEL_KEYS = ("name", *_BOOL_KEYS, *COLOR_SLOTS, *_NUMBER_KEYS, "variables")

#: A theme file larger than this is refused unread (the built-in ones are about 3 KiB).
MAX_THEME_BYTES = 64 * 1024

_NAME_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_VARIABLE_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_ALPHA_RE = re.compile(r"(?P<color>.+?)\s+(?P<percent>\d+(?:\.\d+)?)%")
_TOML_POS_RE = re.compile(r"\s*\(at (?:line (?P<line>\d+), column \d+|end of document)\)$")
_TABLE_RE = re.compile(r"\s*\[\s*(?P<table>[^\[\]]+?)\s*\]")


@dataclass
class ThemeLoad:
    """What `load_themes` found: usable themes, one sentence per broken file, and origins."""

    themes: list[Theme] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)


class _Bad(Exception):
    """One problem with a theme file: what is wrong, what to do, where (if known)."""

    def __init__(self, what: str, todo: str, key: str | None = None, table: str | None = None):
        super().__init__(what)
        self.what, self.todo, self.key, self.table = what, todo, key, table
        self.line: int | None = None


def builtin_themes_dir(package: Path | None = None) -> Path | None:
    """The themes shipped with goenv-tui: inside the installed package, else the checkout's.

    `package` is the goenv_tui package folder (default: this module's); tests pass others.
    """
    pkg = package if package is not None else Path(__file__).resolve().parent.parent
    inside = pkg / "themes"  # a wheel: pyproject.toml maps themes/ to goenv_tui/themes/
    if inside.is_dir():
        return inside
    checkout = pkg.parent / "themes"  # a source checkout or an editable install
    if checkout.is_dir() and (pkg.parent / "pyproject.toml").is_file():
        return checkout
    return None


def user_themes_dir(env: Mapping[str, str]) -> Path:
    """$XDG_CONFIG_HOME/goenv-tui/themes (an absolute XDG_CONFIG_HOME only), else ~/.config/..."""
    base = env.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(env.get("HOME") or os.path.expanduser("~"), ".config")
    return Path(base) / "goenv-tui" / "themes"


def theme_dirs(env: Mapping[str, str]) -> list[Path]:
    """Where themes come from, lowest precedence first: built-in, then the user's."""
    builtin = builtin_themes_dir()
    return [*([builtin] if builtin is not None else []), user_themes_dir(env)]


def load_themes(dirs: Iterable[Path], *, home: str | None = None) -> ThemeLoad:
    """Every *.toml in `dirs` (sorted), validated; a later folder replaces a theme by name.

    Errors name files by full path, or as ~/... under `home` when given.
    """
    found: dict[str, tuple[Theme, Path]] = {}
    errors: list[str] = []
    for folder in dirs:
        shown_dir = tilde(str(folder), home)
        try:
            if not folder.exists():
                continue  # no user themes: nothing to say
            if not folder.is_dir():
                errors.append(f"{shown_dir}: is not a folder; remove it or make it a folder.")
                continue
            files = sorted(
                p for p in folder.iterdir() if p.suffix == ".toml" and not p.name.startswith(".")
            )
        except OSError as exc:
            errors.append(
                _sentence(
                    shown_dir, f"cannot be listed ({exc.strerror})", None, "check its permissions"
                )
            )
            continue
        in_this_dir: dict[str, Path] = {}
        for path in files:
            shown = tilde(str(path), home)
            try:
                theme = _load_file(path)
            except _Bad as bad:
                errors.append(_sentence(shown, bad.what, bad.line, bad.todo))
                continue
            if theme.name in in_this_dir:
                errors.append(
                    f"{shown}: the theme name {theme.name!r} is already used by "
                    f"{in_this_dir[theme.name].name} in the same folder; rename one of them."
                )
                continue
            in_this_dir[theme.name] = path
            found[theme.name] = (theme, path)
    return ThemeLoad(
        themes=[theme for theme, _ in found.values()],
        errors=errors,
        sources={name: path for name, (_, path) in found.items()},
    )


def rich_color(value: str, background: str | None = None) -> str:
    """A theme variable's colour ("ansi_red", "#abc", "#00ADD8 40%") as a Rich colour string.

    Rich styles accept neither Textual's ANSI names nor alpha; this never raises ("" when
    `value` is no colour, e.g. "auto 87%"). Alpha is blended over `background` if given.
    """
    text, alpha = value.strip(), 1.0
    match = _ALPHA_RE.fullmatch(text)
    if match:
        text, alpha = match["color"], min(float(match["percent"]), 100.0) / 100
    try:
        color = Color.parse(text)
    except (ColorParseError, ValueError):
        return ""
    if color.ansi is not None:
        return text.removeprefix("ansi_")  # Rich's names: "bright_blue", "default"
    alpha *= color.a
    if alpha < 1 and background:
        try:
            base = Color.parse(background)
        except (ColorParseError, ValueError):
            base = None
        if base is not None and base.ansi is None:
            return base.blend(color.with_alpha(1.0), alpha).hex6.lower()
    return color.hex6.lower()


# -- one file ------------------------------------------------------------------------------


def _load_file(path: Path) -> Theme:
    """Read, parse and validate one theme file (raises _Bad with a line number if known)."""
    text = _read_text(path)
    try:
        return _build(_parse(text))
    except _Bad as bad:
        if bad.line is None and bad.key is not None:
            bad.line = _line_of(text, bad.table, bad.key)
        raise


def _read_text(path: Path) -> str:
    """The file as text: a regular file, at most MAX_THEME_BYTES, UTF-8."""
    limit = f"the {MAX_THEME_BYTES // 1024} KiB limit for a theme"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _Bad("is not a regular file", "replace it with a theme file or remove it")
        if info.st_size > MAX_THEME_BYTES:
            raise _Bad(f"is {info.st_size} bytes, over {limit}", "shorten it or remove it")
        with path.open("rb") as handle:
            data = handle.read(MAX_THEME_BYTES + 1)
    except OSError as exc:
        raise _Bad(f"cannot be read ({exc.strerror})", "check its permissions") from None
    if len(data) > MAX_THEME_BYTES:
        raise _Bad(f"grew over {limit} while being read", "shorten it or remove it")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Bad(
            f"is not UTF-8 text (byte {exc.start})", "save it as UTF-8 TOML or remove it"
        ) from None
    return text.removeprefix("\ufeff")


def _parse(text: str) -> dict[str, Any]:
    """TOML to a dict, with tomllib's message and line number on failure."""
    if not text.strip():
        raise _Bad("is empty", "add at least name and primary (like themes/dark.toml) or remove it")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POS_RE.search(message)
        bad = _Bad(
            f"is not valid TOML: {_lower_first(message[: match.start()] if match else message)}",
            "fix the syntax",
        )
        if match and match["line"]:
            bad.line = int(match["line"])
        raise bad from None
    except RecursionError:
        raise _Bad(
            "is nested too deeply to read", "use a flat theme like themes/dark.toml"
        ) from None


def _build(doc: dict[str, Any]) -> Theme:
    """Check every key of a parsed theme file and make the Textual theme."""
    for key in doc:
        if key not in TOP_LEVEL_KEYS:
            raise _Bad(f"unknown key {key!r}", _suggest(key, TOP_LEVEL_KEYS, "remove it"), key)
    if "name" not in doc:
        raise _Bad("has no name", 'add a line like name = "my-theme"')
    name = doc["name"]
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name) or len(name) > 64:
        raise _Bad(
            f"name {_show(name)} is not a lowercase kebab-case name",
            'use letters, digits and dashes, like name = "my-theme"',
            "name",
        )
    if "primary" not in doc:
        raise _Bad("has no primary colour", 'add a line like primary = "#00ADD8"')
    colors = {slot: _slot_color(slot, doc[slot]) for slot in COLOR_SLOTS if slot in doc}
    flags = {key: _bool(key, doc[key]) for key in _BOOL_KEYS if key in doc}
    numbers = {key: _fraction(key, doc[key]) for key in _NUMBER_KEYS if key in doc}
    variables = _variables(doc.get("variables", {}))
    dark = flags.get("dark", True)
    if flags.get("ansi", False):
        # Textual's widgets use these under an ANSI theme, which it never derives (8.2.8).
        variables.setdefault("ansi-background", "ansi_black" if dark else "ansi_white")
        variables.setdefault("ansi-foreground", "ansi_white" if dark else "ansi_black")
    theme = Theme(
        name=name,
        primary=colors.pop("primary"),
        dark=dark,
        ansi=flags.get("ansi", False),
        variables=variables,
    )
    for key, value in [*colors.items(), *numbers.items()]:
        setattr(theme, key, value)
    try:
        theme.to_color_system().generate()
    except Exception as exc:  # a last guard: Textual must be able to derive its shades
        raise _Bad(f"is refused by Textual ({exc})", "check its colours") from None
    return theme


def _slot_color(slot: str, value: object) -> str:
    """A colour slot's value: a plain colour string Textual can parse."""
    if not isinstance(value, str):
        raise _Bad(
            f"{slot} is {_kind(value)}, not a colour",
            f'write it as a string like {slot} = "#00ADD8"',
            slot,
        )
    _check_color(value, slot, slot, None)
    return value


def _bool(key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _Bad(
            f"{key} is {_kind(value)}, not true or false",
            f"write {key} = true or {key} = false",
            key,
        )
    return value


def _fraction(key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad(
            f"{key} is {_kind(value)}, not a number",
            f"write a number from 0 to 1, like {key} = 0.5",
            key,
        )
    if not (math.isfinite(value) and 0 <= value <= 1):
        raise _Bad(
            f"{key} is {value}, outside 0 to 1",
            f"write a number from 0 to 1, like {key} = 0.5",
            key,
        )
    return float(value)


def _variables(table: object) -> dict[str, str]:
    """The [variables] table: known kebab-case names, each with a colour or a text style."""
    if not isinstance(table, dict):
        raise _Bad(
            f"variables is {_kind(table)}, not a table",
            "start the section with a line [variables]",
            "variables",
        )
    known = _known_variables()
    out: dict[str, str] = {}
    for name, value in table.items():
        if not _VARIABLE_RE.fullmatch(name):
            raise _Bad(
                f"variable {name!r} is not a kebab-case name",
                "use lowercase words joined by dashes, like layer-shell",
                name,
                "variables",
            )
        if name not in known:
            hint = _suggest(name, sorted(known), "use one of goenv-tui's or Textual's variables")
            raise _Bad(f"unknown variable {name!r}", hint, name, "variables")
        if not isinstance(value, str):
            raise _Bad(
                f"variable {name} is {_kind(value)}, not a string",
                f'write it like {name} = "#00ADD8"',
                name,
                "variables",
            )
        if name in _style_variables():
            words = value.split()
            if not words or any(word not in VALID_STYLE_FLAGS for word in words):
                raise _Bad(
                    f"variable {name} is {value!r}, not a text style",
                    "use words like bold, italic, underline, reverse or none",
                    name,
                    "variables",
                )
        else:
            _check_color(value, f"variable {name}", name, "variables", allow_alpha=True)
        out[name] = value
    return out


def _check_color(
    value: str, what: str, key: str, table: str | None, allow_alpha: bool = False
) -> None:
    """Raise _Bad unless `value` is a colour (with "N%" opacity or "auto" if `allow_alpha`)."""
    text = value.strip()
    match = _ALPHA_RE.fullmatch(text) if allow_alpha else None
    if match:
        text = match["color"]
        if float(match["percent"]) > 100:
            raise _Bad(f"{what} has opacity {match['percent']}%", "use 0% to 100%", key, table)
    if allow_alpha and text == "auto":
        return
    try:
        Color.parse(text)
    except (ColorParseError, ValueError) as exc:
        suggested = getattr(exc, "suggested_color", None)
        todo = (
            f"did you mean {suggested!r}?"
            if suggested
            else 'use "#rrggbb", "rgb(r,g,b)", a colour name or an ANSI name like "ansi_red"'
        )
        raise _Bad(f"{what} {value!r} is not a colour", todo, key, table) from None


@cache
def _textual_defaults() -> dict[str, str]:
    """Every variable Textual derives (plain and ANSI themes) with an example value."""
    out: dict[str, str] = {}
    for system in (
        ColorSystem(primary="#0178D4", dark=True),
        ColorSystem(primary="#0178D4", dark=False),
        ColorSystem(primary="ansi_blue", ansi=True),
    ):
        out.update(system.generate())
    for theme in BUILTIN_THEMES.values():
        out.update(theme.variables)
    return out


@cache
def _known_variables() -> frozenset[str]:
    return frozenset(_textual_defaults()) | frozenset(APP_VARIABLES)


@cache
def _style_variables() -> frozenset[str]:
    """Textual variables that hold text styles ("bold", "not underline"), not colours."""
    return frozenset(
        name
        for name, value in _textual_defaults().items()
        if all(word in VALID_STYLE_FLAGS for word in value.split())
    )


# -- wording -------------------------------------------------------------------------------


def _sentence(shown: str, what: str, line: int | None, todo: str) -> str:
    """ "FILE: what (line N); what to do." as one sentence."""
    where = f" (line {line})" if line else ""
    end = "" if todo.endswith(("?", ".")) else "."
    return f"{shown}: {what}{where}; {todo}{end}"


def _line_of(text: str, table: str | None, key: str) -> int | None:
    """The line where `key` is set in `table` (None: top level), if it can be found."""
    current: str | None = None
    key_re = re.compile(rf"\s*(?:(?P<dotted>\w+)\s*\.\s*)?[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), 1):
        header = _TABLE_RE.match(line)
        if header:
            current = header["table"].strip("\"' ")
            continue
        match = key_re.match(line)
        if match and (match["dotted"] or current) == table:
            return number
    return None


def _suggest(word: str, choices: Iterable[str], otherwise: str) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f"did you mean {close[0]!r}?" if close else otherwise


def _kind(value: object) -> str:
    kinds = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        dict: "a table",
        list: "a list",
    }
    return kinds.get(type(value), "a date or time")


def _show(value: object) -> str:
    return repr(value) if isinstance(value, str) else _kind(value)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
