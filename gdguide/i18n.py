"""The reader's language: its strings and the font set-up of its figures.

Every string that gdguide shows a reader -- figure labels, check verdicts, table headers,
summaries, messages -- lives in the catalog of each language (``gdguide.catalogs``, attached to
the languages of :mod:`gdguide.languages`) and is looked up by key with :func:`text`, which also
fills the ``{placeholders}`` of templates such as ``"lr_legend"``. Every language has exactly the
same keys and the same placeholders (``tests/test_i18n.py`` checks it).

:func:`figure_language` is the context manager that every figure function enters while it creates
its figure: it registers the language's figure font (IPAexGothic, shipped by ``matplotlib-fontja``,
for Japanese) and forces an opaque white background in every language.
"""

from __future__ import annotations

import contextlib
import importlib.util
import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib import font_manager

from gdguide._validate import _kind, _short, check_lang
from gdguide.languages import FigureFont, Language

__all__ = ["figure_language", "text"]


def text(lang: str, key: str, values: Mapping[str, object] | None = None) -> str:
    """Return the string *key* of the catalog of *lang*, its placeholders filled from *values*.

    Parameters
    ----------
    lang : {"en", "ja"}
        The language of the string.
    key : str
        A catalog key, for example ``"epoch_axis"`` or ``"lr_legend"``.
    values : dict or None
        The values of the string's ``{placeholders}`` by name (any mapping); values it does not
        use are ignored.

    Returns
    -------
    str
        The string in *lang*.

    Raises
    ------
    TypeError
        If *lang* or *key* is not a ``str``, or *values* is not a mapping with ``str`` keys.
    ValueError
        If *lang* is not a site language, *key* is not a catalog key, or *values* lacks a
        placeholder of the string.

    Examples
    --------
    >>> text("ja", "epoch_axis")
    'エポック'
    >>> text("en", "lr_legend", {"lr": 0.1})
    'η = 0.1'
    """
    language = check_lang(lang)
    if not isinstance(key, str):
        raise TypeError(f"key must be a str catalog key, got {_kind(key)} {_short(key)}")
    if key not in language.catalog:
        raise ValueError(
            f"key must be a key of the {language.code!r} catalog (gdguide.catalogs."
            f"{language.code}), got {key!r}"
        )
    values = {} if values is None else values
    if not isinstance(values, Mapping) or not all(isinstance(name, str) for name in values):
        raise TypeError(
            f"values must be a mapping of placeholder names to values, got {_kind(values)} "
            f"{_short(values)}"
        )
    needed = _placeholders(language.catalog[key])
    missing = sorted(needed - values.keys())
    if missing:
        raise ValueError(
            f"values must fill every placeholder of {key!r} ({', '.join(sorted(needed))}), "
            f"missing {', '.join(missing)}"
        )
    return language.text(key, **values)


def _placeholders(template: str) -> set[str]:
    """Return the names of the ``{placeholders}`` of *template* (empty for a plain string)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _font_file(font: FigureFont) -> Path:
    """Return the path of the font file of *font* inside its package.

    The package is located without importing it, because importing ``matplotlib_fontja``
    changes the global ``font.family`` as a side effect.
    """
    spec = importlib.util.find_spec(font.package)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            f"figures in {font.family} need the {font.package!r} package "
            f"(pip install {font.package.replace('_', '-')})"
        )
    path = Path(spec.origin).parent / font.file
    if not path.is_file():
        raise FileNotFoundError(f"the font file {path} of {font.package!r} is missing")
    return path


def _register_font(font: FigureFont) -> str:
    """Make *font* known to matplotlib's font manager (once) and return its family name."""
    manager = font_manager.fontManager
    if not any(entry.name == font.family for entry in manager.ttflist):
        manager.addfont(_font_file(font))
    return font.family


def _rc_settings(language: Language) -> dict[str, Any]:
    """Return the rcParams that :func:`figure_language` applies for *language*."""
    settings: dict[str, Any] = {
        "figure.facecolor": "white",
        "figure.edgecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "savefig.edgecolor": "white",
        "savefig.transparent": False,
    }
    if language.font is not None:
        # DejaVu Sans stays as a fallback for the few symbols the language's font lacks.
        settings["font.family"] = [_register_font(language.font), "DejaVu Sans"]
    return settings


@contextlib.contextmanager
def _rc_context(settings: dict[str, Any]) -> Iterator[None]:
    with mpl.rc_context(settings):
        yield


def _figure_context(language: Language) -> contextlib.AbstractContextManager[None]:
    """:func:`figure_language` for a language already checked (the figure functions' use)."""
    return _rc_context(_rc_settings(language))


def figure_language(lang: str) -> contextlib.AbstractContextManager[None]:
    """Set up matplotlib to create a figure labelled in *lang*.

    Inside the ``with`` block the figure and axes background is opaque white (also when the
    figure is saved inside the block) and the font family is the language's figure font, if it
    has one (``font`` in :data:`gdguide.languages.LANGUAGES`: IPAexGothic from
    ``matplotlib-fontja`` for ``"ja"``), registered with matplotlib's font manager on first use,
    without importing ``matplotlib_fontja`` and so without changing the global rcParams. Text
    objects keep the font they were created with, so a figure created inside the block can be
    saved after it. All rcParams are restored when the block ends.

    Parameters
    ----------
    lang : {"en", "ja"}
        The language of the figure's labels.

    Returns
    -------
    contextlib.AbstractContextManager
        A context manager to use in a ``with`` statement.

    Raises
    ------
    TypeError
        If *lang* is not a ``str``.
    ValueError
        If *lang* is not a site language (checked when this function is called).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with figure_language("ja"):
    ...     fig, ax = plt.subplots()
    ...     _ = ax.set_xlabel(text("ja", "epoch_axis"))
    >>> plt.close(fig)
    """
    return _figure_context(check_lang(lang))
