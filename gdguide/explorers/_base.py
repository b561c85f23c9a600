"""The base of every explorer: the HTML frame, the embedded data and the shared script.

A subclass sets :attr:`Explorer.kind` (the name of its script, ``static/<kind>.js``) and returns
its numbers from :meth:`Explorer.data`, its reader-facing strings from :meth:`Explorer.strings`
and its markup (controls and SVG) from :meth:`Explorer.body`. :meth:`Explorer._repr_html_` wraps
them in one ``<div>`` that holds, in this order: a scoped style sheet, the markup, an
``aria-live`` region, the data as ``<script type="application/json">``, and one ``<script>``
with the shared runtime (``static/explorer.js``) and the explorer's own code. The runtime finds
its ``<div>`` from ``document.currentScript``, so the same explorer works on a Sphinx page and in
Jupyter, and two explorers on one page never share state.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import math
from collections.abc import Mapping
from importlib import resources
from typing import Any, ClassVar

from gdguide._validate import check_lang
from gdguide.languages import Language

__all__ = ["MAX_EXPLORER_BYTES", "Explorer"]

#: The most bytes of HTML, script and data one explorer may weigh (tests and the explorer
#: benchmark check it): small enough that a lesson with two explorers stays light on a phone.
MAX_EXPLORER_BYTES = 60_000

# A counter makes ids unique when one page shows the same explorer twice; the build runs the
# lessons in a fixed order, so the ids (and the pages) are the same from one build to the next.
_instances = itertools.count(1)


def _static(name: str) -> str:
    """Return the text of ``gdguide/explorers/static/<name>`` (shipped in the wheel)."""
    return resources.files("gdguide.explorers").joinpath("static", name).read_text("utf-8")


def _finite_json(value: Any) -> Any:
    """Check that *value* holds no NaN or infinity (JSON has none; the browser would see null)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"explorer data must be finite numbers, got {value!r}")
    if isinstance(value, Mapping):
        for item in value.values():
            _finite_json(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _finite_json(item)
    return value


def _script_json(value: Any) -> str:
    """Serialise *value* for a ``<script type="application/json">`` element.

    ``json.dumps`` writes floats with ``repr`` (shortest round trip), so the browser reads the
    very doubles gdguide computed. ``<``, ``>`` and ``&`` are escaped so that no string in the
    data can close the element.
    """
    text = json.dumps(_finite_json(value), ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Explorer:
    """Base class of the explorers: one interactive figure, rendered by ``_repr_html_``.

    Parameters
    ----------
    lang : {"en", "ja"}, default "en"
        The language of the explorer's labels and announcements.

    Raises
    ------
    TypeError
        If *lang* is not a str.
    ValueError
        If *lang* is not a site language.

    Examples
    --------
    >>> class Hello(Explorer):
    ...     kind = "hello"
    ...     def data(self): return {"n": 1}
    ...     def strings(self): return {"title": "hello"}
    ...     def body(self, uid): return f'<p id="{uid}-p">hello</p>'
    ...     def script(self): return "gdguideExplorer.define('hello', function () {});"
    >>> page = Hello()._repr_html_()
    >>> page.startswith('<div class="gdguide-explorer gdguide-explorer-hello"')
    True
    >>> '"n":1' in page
    True
    """

    #: The explorer's name, used as its CSS class and as the ``define`` name in its script.
    kind: ClassVar[str] = ""

    def __init__(self, lang: str = "en") -> None:
        self._language: Language = check_lang(lang)
        self.lang = self._language.code

    # ---- what a subclass provides ----
    def data(self) -> dict[str, Any]:
        """Return the numbers the script draws, as JSON-ready values (finite floats)."""
        raise NotImplementedError

    def strings(self) -> dict[str, str]:
        """Return the strings the script shows the reader, by name, in the explorer's language."""
        raise NotImplementedError

    def body(self, uid: str) -> str:
        """Return the explorer's markup (controls, SVG); element ids start with *uid*."""
        raise NotImplementedError

    def script(self) -> str:
        """Return the explorer's own script; by default ``static/<kind>.js``."""
        return _static(f"{self.kind}.js")

    def text(self, key: str, **values: object) -> str:
        """Return the catalog string *key* in the explorer's language."""
        return self._language.text(key, **values)

    # ---- the frame, shared by every explorer ----
    def _repr_html_(self) -> str:
        data = self.data()
        payload = _script_json({"data": data, "strings": self.strings(), "lang": self.lang})
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:8]
        uid = f"gdx-{self.kind}-{digest}-{next(_instances)}"
        kind = html.escape(self.kind, quote=True)
        return (
            f'<div class="gdguide-explorer gdguide-explorer-{kind}" id="{uid}" '
            f'data-explorer="{kind}" lang="{self.lang}">'
            f"<style>{_static('explorer.css')}</style>"
            f"{self.body(uid)}"
            f'<p class="gdx-live" id="{uid}-live" aria-live="polite" aria-atomic="true"></p>'
            f'<script type="application/json" class="gdx-data">{payload}</script>'
            f"<script>{_static('explorer.js')}\n{self.script()}\n"
            "gdguideExplorer.start(document.currentScript.parentElement);</script>"
            "</div>"
        )

    def html_size(self) -> int:
        """Return the size in bytes (UTF-8) of the explorer's HTML, script and data."""
        return len(self._repr_html_().encode("utf-8"))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lang={self.lang!r})"
