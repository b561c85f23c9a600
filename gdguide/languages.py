"""The registry of the site's languages: what gdguide needs to know to speak each one.

:data:`LANGUAGES` maps each language code to its entry, which holds

- ``code``: the code used in ``lang`` arguments and in the site's paths (``"ja"``);
- ``name``: the language's name in itself, as the language switcher shows it (``"日本語"``);
- ``font``: the font of figure text (family, the package that ships it, whether it has a bold
  weight), or ``None`` for matplotlib's default family;
- ``sentence_joiner``: what goes between two sentences (``" "``; ``""`` in Japanese);
- ``catalog``: every reader-facing string by key (the modules of ``gdguide.catalogs``).

Everything that differs between the languages is read from here, so library code holds no
language branches, and a new language is one entry and one catalog. The Sphinx configuration,
the build tool and the tests take the list of languages from :data:`CODES`. This module imports
nothing heavy (no matplotlib, no torch), so that site tooling can import it.

Examples
--------
>>> CODES
('en', 'ja')
>>> LANGUAGES["ja"].name
'日本語'
>>> LANGUAGES["en"].sentence_joiner.join(["One.", "Two."])
'One. Two.'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gdguide.catalogs import en, ja

__all__ = ["CODES", "LANGUAGES"]


@dataclass(frozen=True)
class FigureFont:
    """A font shipped inside a Python package, registered with matplotlib for figure text.

    Attributes
    ----------
    family : str
        The family name matplotlib knows the font by, for example ``"IPAexGothic"``.
    package : str
        The importable package that ships the font file, for example ``"matplotlib_fontja"``.
    file : str
        The font file's path inside the package's folder, for example ``"fonts/ipaexg.ttf"``.
    bold : bool
        Whether the font has a bold weight (matplotlib would fake none: it falls back to the
        regular weight, so figures use bold only when the font has it).
    """

    family: str
    package: str
    file: str
    bold: bool


@dataclass(frozen=True)
class Language:
    """One language of the site and of gdguide's output.

    Attributes
    ----------
    code : str
        The language code used in ``lang`` arguments and in the site's paths, e.g. ``"ja"``.
    name : str
        The language's name in itself, as the language switcher shows it, e.g. ``"日本語"``.
    font : FigureFont or None
        The font for figure text; ``None`` keeps matplotlib's default family (DejaVu Sans).
    sentence_joiner : str
        What goes between two sentences: ``" "`` in English, ``""`` in Japanese (no space
        after ``。``).
    catalog : Mapping[str, str]
        Every reader-facing string by key; templates have ``{placeholders}``.
    """

    code: str
    name: str
    font: FigureFont | None
    sentence_joiner: str
    catalog: Mapping[str, str] = field(repr=False)

    @property
    def bold(self) -> bool:
        """Whether figure text in this language can be set in bold."""
        return self.font is None or self.font.bold

    def text(self, key: str, **values: object) -> str:
        """Return the catalog string *key* with its ``{placeholders}`` filled from *values*.

        Values that the string does not use are ignored. Library code calls this on a language
        already checked; :func:`gdguide.i18n.text` is the checked public entry.

        Examples
        --------
        >>> LANGUAGES["ja"].text("zoom_title", n=100)
        '最初の100エポック'
        """
        return self.catalog[key].format(**values)


#: IPAexGothic from matplotlib-fontja: Japanese glyphs, no bold weight.
_IPAEX_GOTHIC = FigureFont("IPAexGothic", "matplotlib_fontja", "fonts/ipaexg.ttf", bold=False)

#: The site's languages by code (a read-only mapping), the default first.
LANGUAGES = MappingProxyType(
    {
        "en": Language("en", "English", None, " ", MappingProxyType(en.CATALOG)),
        "ja": Language("ja", "日本語", _IPAEX_GOTHIC, "", MappingProxyType(ja.CATALOG)),
    }
)

#: The codes of the site's languages, the default first.
CODES: tuple[str, ...] = tuple(LANGUAGES)
