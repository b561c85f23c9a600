"""Choose the language of the figures a lesson draws itself.

The figure functions of :mod:`gdguide.plots` take ``lang`` and set their fonts on their own; a
lesson that draws with plain matplotlib calls :func:`use_language` once at the top. Both language
versions of a lesson make the same call with a different string, so their code stays identical.
"""

from __future__ import annotations

import matplotlib as mpl

from gdguide._validate import check_lang


def use_language(lang: str) -> str:
    """Set matplotlib's default font for figures labelled in *lang*.

    For ``"ja"`` this registers the IPAexGothic font shipped with ``matplotlib-fontja`` and makes
    it the default family, so Japanese labels never turn into empty boxes; for ``"en"`` it
    restores matplotlib's default family.

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
    check_lang(lang)
    if lang == "ja":
        import matplotlib_fontja

        matplotlib_fontja.japanize()
    else:
        mpl.rcParams["font.family"] = mpl.rcParamsDefault["font.family"]
    return lang
