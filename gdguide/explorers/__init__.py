"""Explorers: small interactive views of a lesson's idea, for the page and for the notebook.

An explorer is an object whose ``_repr_html_`` returns one self-contained piece of HTML: the
numbers gdguide computed (embedded as JSON), inline SVG, and one small script shipped inside
this package. No CDN, web font, kernel or ipywidgets is needed, so sphinx-gallery embeds the same
explorer on the page (it captures ``_repr_html_``) that Jupyter shows when the learner runs the
cell. Every explorer's labels come from the reader's language catalog (``gdguide.catalogs``).

:class:`Explorer` is the shared base; each explorer lives in its own module.
"""

from gdguide.explorers._base import MAX_EXPLORER_BYTES, Explorer
from gdguide.explorers.backward_pass import BackwardPassExplorer

__all__ = ["MAX_EXPLORER_BYTES", "BackwardPassExplorer", "Explorer"]
