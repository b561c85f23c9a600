"""Keyboard access to the boxes that scroll: gdguide_a11y.js on every page.

Code, printed output and display equations scroll inside their own box when they are wider than
the column (a phone) or, for long output, taller than its box. A box that scrolls must take the
keyboard focus, or a reader without a mouse cannot see the rest (WCAG 2.1.1): the script gives
each box that currently overflows ``tabindex="0"``, and takes it away again when it fits.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Add the script (from docs/_static) to every page."""
    app.add_js_file("gdguide_a11y.js", defer="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
