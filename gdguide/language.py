"""Choose the language of the figures a lesson draws itself.

The figure functions of :mod:`gdguide.plots` take ``lang`` and set their fonts on their own; a
lesson that draws with plain matplotlib calls :func:`use_language` once at the top. Both language
versions of a lesson make the same call with a different string, so their code stays identical.
"""

from __future__ import annotations

import matplotlib as mpl

from gdguide._validate import check_lang
from gdguide.i18n import _rc_settings

__all__ = ["use_language"]


def use_language(lang: str) -> str:
    """Set matplotlib's default font for figures labelled in *lang*.

    For a language with a figure font (``font`` in :data:`gdguide.languages.LANGUAGES`) this
    registers the font and makes it the default family: for ``"ja"`` IPAexGothic from
    ``matplotlib-fontja`` (what ``matplotlib_fontja.japanize()`` does), so Japanese labels never
    turn into empty boxes; for one without (``"en"``) it restores matplotlib's default family.
    Both make figure backgrounds opaque white, which stays readable in the site's dark mode. Call
    it at the top of every lesson: sphinx-gallery resets matplotlib's settings before each one.

    Parameters
    ----------
    lang : str
        ``"en"`` or ``"ja"``.

    Returns
    -------
    str
        The language now in use.

    Raises
    ------
    TypeError, ValueError
        If *lang* is not one of the site's languages.
    """
    language = check_lang(lang)
    settings = _rc_settings(language)
    settings.setdefault("font.family", mpl.rcParamsDefault["font.family"])
    mpl.rcParams.update(settings)
    return language.code
