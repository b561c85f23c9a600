"""Phone layouts of figures: a figure function can attach a narrow re-layout of its figure.

A figure drawn for a 1280 px page (two panels side by side, a wide graph) is scaled down on a
390 px phone until its text is too small to read. A figure function that can lay the same
content out for a narrow screen (panels stacked, fewer columns) attaches a factory with
:func:`attach_phone_variant`; the site's image scraper calls :func:`phone_variant` and saves the
result next to the figure, and the page shows it below 600 px (``<picture>``). A notebook shows
the figure itself and never calls the factory.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> wide = plt.figure(figsize=(10, 4))
>>> phone_variant(wide) is None
True
>>> _ = attach_phone_variant(wide, lambda: plt.figure(figsize=(4, 6)))
>>> phone_variant(wide).get_size_inches().tolist()
[4.0, 6.0]
>>> plt.close("all")
"""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.figure import Figure

from gdguide._validate import check_callable

__all__ = ["attach_phone_variant", "phone_variant"]

_ATTRIBUTE = "_gdguide_phone_variant"


def attach_phone_variant(figure: Figure, factory: Callable[[], Figure]) -> Figure:
    """Attach *factory* (it draws *figure*'s content laid out for a phone); return *figure*."""
    if not isinstance(figure, Figure):
        raise TypeError(f"figure must be a matplotlib Figure, got {type(figure).__name__}")
    setattr(figure, _ATTRIBUTE, check_callable("factory", factory))
    return figure


def phone_variant(figure: Figure) -> Figure | None:
    """Return the phone layout of *figure* (a new figure), or ``None`` if it has none."""
    if not isinstance(figure, Figure):
        raise TypeError(f"figure must be a matplotlib Figure, got {type(figure).__name__}")
    factory = getattr(figure, _ATTRIBUTE, None)
    if factory is None:
        return None
    variant = factory()
    if not isinstance(variant, Figure):
        kind = type(variant).__name__
        raise TypeError(f"the phone variant of a figure must be a Figure, got {kind}")
    return variant
