"""Phone layouts of figures: a figure function can attach a narrow re-layout of its figure.

A figure drawn for a 1280 px page (two panels side by side, a wide graph) is scaled down on a
390 px phone until its text is too small to read. A figure function that can lay the same
content out for a narrow screen (panels stacked, fewer columns) attaches a factory with
:func:`attach_phone_variant`; the site's image scraper calls :func:`phone_variant` and saves the
result next to the figure, and the page shows it below 600 px (``<picture>``). A notebook shows
the figure itself and never calls the factory.

:func:`smallest_text` measures what a reader can read: the smallest text a figure draws. A text
of ``size`` points is ``size * dpi / 72`` pixels in an image saved at ``dpi``, and a figure
``w`` inches wide shown ``W`` CSS pixels wide shows it at ``size / 72 * W / w`` CSS pixels; the
site keeps that at :data:`LEGIBLE_TEXT_PX` or more, on a phone's :data:`PHONE_COLUMN_PX` too.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> wide = plt.figure(figsize=(10, 4))
>>> phone_variant(wide) is None
True
>>> _ = attach_phone_variant(wide, lambda: plt.figure(figsize=(4, 6)))
>>> phone_variant(wide).get_size_inches().tolist()
[4.0, 6.0]
>>> _ = wide.gca().set_title("loss", fontsize=12)
>>> smallest_text(wide)  # the tick labels (10 pt) are smaller than the title
('0.0', 10.0)
>>> plt.close("all")
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure

from gdguide._validate import check_callable

__all__ = [
    "LEGIBLE_TEXT_PX",
    "PHONE_COLUMN_PX",
    "attach_phone_variant",
    "phone_variant",
    "smallest_text",
]

#: The smallest text, in CSS pixels, that a figure of the site may show.
LEGIBLE_TEXT_PX = 10.0
#: How wide (CSS pixels) the content column of a lesson is on a 390 px phone.
PHONE_COLUMN_PX = 358

_ATTRIBUTE = "_gdguide_phone_variant"


def _check_figure(figure: Any) -> Figure:
    if not isinstance(figure, Figure):
        raise TypeError(f"figure must be a matplotlib Figure, got {type(figure).__name__}")
    return figure


def attach_phone_variant(figure: Figure, factory: Callable[[], Figure]) -> Figure:
    """Attach *factory* (it draws *figure*'s content laid out for a phone); return *figure*."""
    setattr(_check_figure(figure), _ATTRIBUTE, check_callable("factory", factory))
    return figure


def phone_variant(figure: Figure) -> Figure | None:
    """Return the phone layout of *figure* (a new figure), or ``None`` if it has none."""
    factory = getattr(_check_figure(figure), _ATTRIBUTE, None)
    if factory is None:
        return None
    variant = factory()
    if not isinstance(variant, Figure):
        kind = type(variant).__name__
        raise TypeError(f"the phone variant of a figure must be a Figure, got {kind}")
    return variant


def smallest_text(figure: Figure) -> tuple[str, float] | None:
    """Return the smallest text *figure* draws and its size in points, or ``None`` if none.

    The figure is drawn once, off screen, and every text that matplotlib actually draws counts
    (titles, labels, tick labels, legend entries, annotations); texts that are hidden, empty or
    blank, and tick labels that the axes leave out, do not. The first of equally small texts is
    returned.
    """
    _check_figure(figure)
    width, height = figure.get_size_inches() * figure.dpi
    renderer = RendererAgg(max(int(width), 1), max(int(height), 1), figure.dpi)
    drawn: list[tuple[str, float]] = []
    draw_text = renderer.draw_text

    def record(gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
               ismath: Any = False, mtext: Any = None) -> None:  # fmt: skip
        if s.strip():
            drawn.append((s, float(prop.get_size_in_points())))
        draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    # this renderer only: the figure's own canvas and matplotlib are left as they are
    renderer.draw_text = record  # type: ignore[method-assign]
    figure.draw(renderer)
    return min(drawn, key=lambda item: item[1]) if drawn else None
