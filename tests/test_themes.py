"""Themes: the built-in TOML files, strict loading of broken ones, overrides, packaging."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import textual
from rich.style import Style
from textual.app import App, ComposeResult
from textual.color import Color, rgb_to_lab
from textual.widgets import Checkbox, DataTable, Footer, Input, Static, Tree

from goenv_tui.ui.themes import (
    APP_VARIABLES,
    COLOR_SLOTS,
    MAX_THEME_BYTES,
    builtin_themes_dir,
    load_themes,
    rich_color,
    theme_dirs,
    user_themes_dir,
)

from .conftest import REPO, require

BUILTIN = {
    "dark.toml": "goenv-dark",
    "light.toml": "goenv-light",
    "high-contrast.toml": "goenv-high-contrast",
    "ansi16.toml": "goenv-ansi16",
}
LAYERS = [k for k in APP_VARIABLES if k.startswith("layer-")]
GOOD = 'name = "good"\nprimary = "#00ADD8"\n'


def builtin_dir() -> Path:
    found = builtin_themes_dir()
    assert found is not None
    return found


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(text: str) -> float:
        def channel(v: int) -> float:
            c = v / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        color = Color.parse(text)
        return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference (about 2.3 is just noticeable; 20+ is a different colour)."""
    la, lb = rgb_to_lab(Color.parse(a)), rgb_to_lab(Color.parse(b))
    return float(((la.L - lb.L) ** 2 + (la.a - lb.a) ** 2 + (la.b - lb.b) ** 2) ** 0.5)


# -- the built-in themes -------------------------------------------------------------------


def test_builtin_dir_in_checkout_is_top_level_themes() -> None:
    assert builtin_dir() == REPO / "themes"
    assert set(BUILTIN) <= {p.name for p in builtin_dir().glob("*.toml")}


def test_builtin_dir_layouts(tmp_path: Path) -> None:
    wheel = tmp_path / "site-packages" / "goenv_tui"
    (wheel / "themes").mkdir(parents=True)
    assert builtin_themes_dir(wheel) == wheel / "themes"
    # A checkout: themes/ beside the package, next to pyproject.toml.
    checkout = tmp_path / "checkout"
    (checkout / "goenv_tui").mkdir(parents=True)
    (checkout / "themes").mkdir()
    (checkout / "pyproject.toml").write_text("")
    assert builtin_themes_dir(checkout / "goenv_tui") == checkout / "themes"
    # Some other "themes" folder beside an installed package is not ours.
    other = tmp_path / "other"
    (other / "goenv_tui").mkdir(parents=True)
    (other / "themes").mkdir()
    assert builtin_themes_dir(other / "goenv_tui") is None


def test_builtin_themes_load_with_every_app_variable() -> None:
    loaded = load_themes([builtin_dir()])
    assert loaded.errors == []
    names = {t.name for t in loaded.themes}
    assert set(BUILTIN.values()) <= names
    for file, name in BUILTIN.items():
        assert loaded.sources[name] == builtin_dir() / file
    for theme in loaded.themes:
        missing = set(APP_VARIABLES) - set(theme.variables)
        assert not missing, f"{theme.name} lacks {sorted(missing)}"
    by_name = {t.name: t for t in loaded.themes}
    assert by_name["goenv-light"].dark is False
    assert by_name["goenv-ansi16"].ansi is True


class ThemeProbe(App[None]):
    """A small app whose stylesheet uses every app variable and a few Textual widgets."""

    CSS = "\n".join(
        f"#{name} {{ color: ${name}; background: ${name} 10%; }}" for name in APP_VARIABLES
    )

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(APP_VARIABLES)

    def compose(self) -> ComposeResult:
        for name in APP_VARIABLES:
            yield Static(name, id=name)
        yield Tree("tree")
        yield Checkbox("check")
        yield Input("text")
        yield DataTable()
        yield Footer()


@pytest.mark.asyncio
async def test_builtin_themes_register_and_apply_in_a_real_app() -> None:
    loaded = load_themes([builtin_dir()])
    app = ThemeProbe()
    async with app.run_test(size=(80, 24)) as pilot:
        for theme in loaded.themes:
            app.register_theme(theme)
        for theme in loaded.themes:
            app.theme = theme.name
            await pilot.pause()
            assert app.current_theme is theme
            assert app.native_ansi_color is theme.ansi
            for name in APP_VARIABLES:
                assert app.theme_variables[name] == theme.variables[name]
            shell = app.query_one("#layer-shell", Static).styles.color
            assert shell == Color.parse(theme.variables["layer-shell"])
        # The app's defaults make the same stylesheet work under Textual's own themes too.
        for name in ("textual-dark", "textual-light", "ansi-dark", "nord"):
            app.theme = name
            await pilot.pause()
            assert app.theme_variables["layer-startup"] == APP_VARIABLES["layer-startup"]


@pytest.mark.parametrize("file", sorted(BUILTIN))
def test_layer_colours_are_distinguishable(file: str) -> None:
    (theme,) = [t for t in load_themes([builtin_dir()]).themes if t.name == BUILTIN[file]]
    colours = [theme.variables[name] for name in LAYERS]
    if theme.ansi:
        assert len(set(colours)) == len(colours), colours
        assert "ansi_default" not in colours
    else:
        for (a, ca), (b, cb) in itertools.combinations(zip(LAYERS, colours, strict=True), 2):
            assert delta_e(ca, cb) >= 20, f"{theme.name}: {a} {ca} and {b} {cb} look alike"


def test_app_variable_defaults_are_colours_with_distinct_layers() -> None:
    for value in APP_VARIABLES.values():
        Color.parse(value)
    for a, b in itertools.combinations(LAYERS, 2):
        assert delta_e(APP_VARIABLES[a], APP_VARIABLES[b]) >= 20, (a, b)


@pytest.mark.parametrize(("file", "minimum"), [("dark.toml", 4.5), ("light.toml", 4.5)])
def test_text_colours_are_readable(file: str, minimum: float) -> None:
    (theme,) = [t for t in load_themes([builtin_dir()]).themes if t.name == BUILTIN[file]]
    assert theme.background is not None
    for name in APP_VARIABLES:
        ratio = contrast(theme.variables[name], theme.background)
        assert ratio >= minimum, f"{theme.name}: {name} has contrast {ratio:.2f}"


def test_high_contrast_is_aaa_without_dimmed_text() -> None:
    (theme,) = [t for t in load_themes([builtin_dir()]).themes if t.name == "goenv-high-contrast"]
    assert theme.background == "#000000" and theme.foreground == "#FFFFFF"
    assert theme.text_alpha == 1.0
    colours = {**{k: theme.variables[k] for k in APP_VARIABLES}, "primary": theme.primary}
    for key in ("text", "text-muted", "foreground-muted", "footer-key-foreground"):
        colours[key] = theme.variables[key]
    for name, value in colours.items():
        assert "%" not in value, f"{name} is translucent"
        assert contrast(value, "#000000") >= 7, f"{name} {value} is below 7:1"


def test_ansi16_uses_only_the_16_ansi_colours() -> None:
    (theme,) = [t for t in load_themes([builtin_dir()]).themes if t.name == "goenv-ansi16"]
    slots = [getattr(theme, slot) for slot in COLOR_SLOTS if getattr(theme, slot) is not None]
    styles = {"none", "bold", "reverse", "underline"}
    values = slots + [v for v in theme.variables.values() if v not in styles]
    for value in values:
        assert Color.parse(value).ansi is not None, f"{value} is not an ANSI colour"


def test_rich_color_is_always_a_rich_colour() -> None:
    loaded = load_themes([builtin_dir()])
    for theme in loaded.themes:
        for name in APP_VARIABLES:
            Style.parse(f"bold {rich_color(theme.variables[name], theme.background)}")
    assert rich_color("ansi_bright_blue") == "bright_blue"
    assert rich_color("ansi_default") == "default"
    assert rich_color("#F0A") == "#ff00aa"
    assert rich_color("#FFFFFF 50%", "#000000") == "#7f7f7f"
    assert rich_color("auto 87%") == ""
    assert rich_color("not a colour") == ""


# -- broken themes -------------------------------------------------------------------------

BROKEN: list[tuple[str, bytes, str]] = [
    ("bad-toml", b'name = "x"\nprimary = \n', "is not valid TOML: invalid value (line 2)"),
    ("no-primary", b'name = "x"\n', "has no primary colour"),
    ("no-name", b'primary = "#000000"\n', "has no name"),
    ("bad-colour", b'name = "x"\n\nprimary = "#12345G"\n', "primary '#12345G' is not a colour"),
    ("colour-typo", b'name = "x"\nprimary = "blu"\n', "did you mean 'blue'?"),
    (
        "bad-variable-name",
        b'name = "x"\nprimary = "red"\n[variables]\nLayer_Shell = "#fff"\n',
        "variable 'Layer_Shell' is not a kebab-case name (line 4)",
    ),
    (
        "unknown-variable",
        b'name = "x"\nprimary = "red"\n[variables]\nlayer-shel = "#fff"\n',
        "unknown variable 'layer-shel' (line 4); did you mean 'layer-shell'?",
    ),
    (
        "bad-variable-colour",
        b'name = "x"\nprimary = "red"\n[variables]\nlayer-shell = "#ggg"\n',
        "variable layer-shell '#ggg' is not a colour (line 4)",
    ),
    (
        "bad-opacity",
        b'name = "x"\nprimary = "red"\n[variables]\nlayer-shell = "#fff 150%"\n',
        "has opacity 150%",
    ),
    (
        "bad-style",
        b'name = "x"\nprimary = "red"\n[variables]\nblock-cursor-text-style = "blod"\n',
        "is 'blod', not a text style",
    ),
    ("wrong-type-bool", b'name = "x"\nprimary = "red"\ndark = "yes"\n', "dark is a string"),
    ("wrong-type-colour", b'name = "x"\nprimary = 12\n', "primary is a number, not a colour"),
    ("wrong-type-table", b'name = "x"\nprimary = "red"\nvariables = 1\n', "not a table"),
    ("bad-fraction", b'name = "x"\nprimary = "red"\ntext_alpha = 2\n', "outside 0 to 1"),
    ("bad-name", b'name = "My Theme"\nprimary = "red"\n', "is not a lowercase kebab-case"),
    ("unknown-key", b'name = "x"\nprimery = "red"\n', "unknown key 'primery' (line 2)"),
    ("empty", b"", "is empty"),
    ("blank", b"\n  \n# only a comment\n", "has no name"),
    ("binary", bytes(range(256)) * 4, "is not UTF-8 text"),
    ("nul", b'name = "x"\x00\nprimary = "red"\n', "is not valid TOML"),
    ("huge", b"# " + b"x" * 1_000_000 + b"\n", f"over the {MAX_THEME_BYTES // 1024} KiB limit"),
    ("deep", b"a = " + b"[" * 30_000 + b"]" * 30_000 + b"\n", "is nested too deeply"),
]


@pytest.mark.parametrize(("stem", "content", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_theme_is_one_sentence_and_others_still_load(
    tmp_path: Path, stem: str, content: bytes, expected: str
) -> None:
    (tmp_path / "a-good.toml").write_text(GOOD)
    broken = tmp_path / f"{stem}.toml"
    broken.write_bytes(content)
    (tmp_path / "z-good.toml").write_text(GOOD.replace('"good"', '"also-good"'))
    loaded = load_themes([tmp_path])
    assert [t.name for t in loaded.themes] == ["good", "also-good"]
    assert len(loaded.errors) == 1, loaded.errors
    (error,) = loaded.errors
    assert error.startswith(f"{broken}: "), error
    assert expected in error
    assert "\n" not in error and len(error) < 300
    assert error.endswith((".", "?"))


def test_a_folder_named_like_a_theme_and_a_duplicate_name(tmp_path: Path) -> None:
    (tmp_path / "dir.toml").mkdir()
    (tmp_path / "one.toml").write_text(GOOD)
    (tmp_path / "two.toml").write_text(GOOD.replace("#00ADD8", "#FF0000"))
    (tmp_path / "notes.txt").write_text("not a theme")
    (tmp_path / ".hidden.toml").write_text("garbage")
    loaded = load_themes([tmp_path])
    assert [t.primary for t in loaded.themes] == ["#00ADD8"]
    assert len(loaded.errors) == 2
    assert loaded.errors[0].startswith(f"{tmp_path / 'dir.toml'}: is not a regular file")
    assert "already used by one.toml" in loaded.errors[1]


def test_missing_folders_are_skipped_and_a_file_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    loaded = load_themes([tmp_path / "absent", tmp_path / "file"])
    assert loaded.themes == []
    assert loaded.errors == [
        f"{tmp_path / 'file'}: is not a folder; remove it or make it a folder."
    ]
    # Under the given HOME, files are shown as ~/...
    shown = load_themes([tmp_path / "file"], home=str(tmp_path)).errors
    assert shown == ["~/file: is not a folder; remove it or make it a folder."]


def test_ansi_theme_without_ansi_background_still_works(tmp_path: Path) -> None:
    (tmp_path / "tiny.toml").write_text('name = "tiny"\nansi = true\nprimary = "ansi_blue"\n')
    (theme,) = load_themes([tmp_path]).themes
    assert theme.variables["ansi-background"] == "ansi_black"
    assert theme.variables["ansi-foreground"] == "ansi_white"


# -- user themes ---------------------------------------------------------------------------


def test_user_theme_overrides_builtin_by_name(tmp_path: Path) -> None:
    builtin, user = tmp_path / "builtin", tmp_path / "user"
    builtin.mkdir()
    user.mkdir()
    for file in BUILTIN:
        shutil.copy(builtin_dir() / file, builtin / file)
    (user / "mine.toml").write_text('name = "goenv-dark"\nprimary = "#FF0000"\n')
    (user / "extra.toml").write_text('name = "extra"\nprimary = "#00FF00"\n')
    loaded = load_themes([builtin, user])
    assert loaded.errors == []
    by_name = {t.name: t for t in loaded.themes}
    assert by_name["goenv-dark"].primary == "#FF0000"
    assert loaded.sources["goenv-dark"] == user / "mine.toml"
    assert loaded.sources["goenv-light"] == builtin / "light.toml"
    assert "extra" in by_name
    assert len(loaded.themes) == len(BUILTIN) + 1


def test_user_themes_dir_honours_only_an_absolute_xdg_config_home(tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    xdg = str(tmp_path / "xdg")
    assert user_themes_dir({"HOME": home, "XDG_CONFIG_HOME": xdg}) == Path(
        xdg, "goenv-tui", "themes"
    )
    default = Path(home, ".config", "goenv-tui", "themes")
    assert user_themes_dir({"HOME": home, "XDG_CONFIG_HOME": "relative/cfg"}) == default
    assert user_themes_dir({"HOME": home, "XDG_CONFIG_HOME": ""}) == default
    assert user_themes_dir({"HOME": home}) == default
    assert theme_dirs({"HOME": home}) == [builtin_dir(), default]


# -- packaging -----------------------------------------------------------------------------

PROBE = """
import json, sys
sys.path.append(sys.argv[1])  # textual and rich, after this venv's own site-packages
import goenv_tui
from goenv_tui.ui.themes import builtin_themes_dir, load_themes
found = builtin_themes_dir()
loaded = load_themes([found]) if found else None
print(json.dumps({
    "package": goenv_tui.__file__,
    "dir": str(found) if found else None,
    "files": sorted(p.name for p in found.glob("*.toml")) if found else [],
    "themes": sorted(t.name for t in loaded.themes) if loaded else [],
    "errors": loaded.errors if loaded else [],
}))
"""


def test_non_editable_install_ships_the_themes(tmp_path: Path) -> None:
    """`pip install .` (not -e) puts themes/ inside the package, found from any cwd."""
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "--version"], capture_output=True, text=True, check=False
    )
    require(pip.returncode == 0, "pip in the test interpreter")
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env["HOME"] = str(tmp_path / "home")  # pip's caches and config stay out of the real HOME
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-cache-dir", "--quiet", str(REPO)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    site = Path(textual.__file__).resolve().parent.parent
    run = subprocess.run(
        [str(python), "-c", PROBE, str(site)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert Path(got["package"]).is_relative_to(target), got["package"]
    assert Path(got["dir"]) == Path(got["package"]).parent / "themes"
    assert set(BUILTIN) <= set(got["files"])
    assert set(BUILTIN.values()) <= set(got["themes"])
    assert got["errors"] == []
