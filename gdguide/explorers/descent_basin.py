"""The "where does descent go?" explorer of §1.1-1.2: pick a start on the map of h.

``h(x, y) = sin(x² + y²)`` depends on the radius only, so its landscape is rings: a bowl at the
origin (``h = 0``), crests where ``x² + y² = π/2 + 2kπ`` (``h = 1``) and troughs where
``x² + y² = 3π/2 + 2kπ`` (``h = −1``). The reader clicks a start point on the map, or moves a
cursor with the arrow keys and presses Enter; the browser runs gradient descent from there with
the update rule, learning rate and step count of :func:`gdguide.descent.gradient_descent` (the
lesson's ``η = 0.1``, 50 steps), draws the path and names where it ended
(:func:`descent_end`).

The contours are circles, ``x² + y² = c`` for the levels of h, computed here exactly and embedded
as SVG circles (shaded bands for ``h ≤ −0.5`` and ``h ≥ 0.5``, lines for ``h = 0`` and the crests
and troughs): a few hundred bytes instead of the tens of kilobytes a traced contour would weigh.

With ``η = 0.1`` descent settles in the bowl and in the first trough (its curvature across the
ring is ``4·3π/2 ≈ 18.8``, just under ``2/η = 20``); the outer troughs are steeper across, so the
same step makes the path bounce there without settling. Such a run is chaotic: a difference in
the last bit of ``cos`` (the browser's and NumPy's may differ by one unit in the last place)
grows from step to step, so the browser's path equals gdguide's to 1e-9 only where descent
settles. The explorer says "still moving" for those runs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from gdguide._validate import as_float_array, check_int, check_positive, check_real
from gdguide.descent import MAX_STEPS, Trajectory
from gdguide.explorers._base import Explorer

__all__ = ["SETTLED_GRADIENT", "DescentBasinExplorer", "descent_end"]

#: A run whose last gradient norm is below this has settled (on a ring or at the origin).
SETTLED_GRADIENT = 0.05

_X = ".gdguide-explorer-descent_basin "
_STYLE = "".join(
    f"{_X}{rule}"
    for rule in (
        ".gdx-map{max-width:30rem;touch-action:manipulation}",
        ".gdx-map:focus-visible{outline:3px solid var(--color-brand-primary,#0a58ca);"
        "outline-offset:2px}",
        ".gdx-valley{fill:none;stroke:#2f6fd6;stroke-opacity:.28}",
        ".gdx-crestband{fill:none;stroke:#e0702a;stroke-opacity:.25}",
        ".gdx-zero{fill:none;stroke:var(--color-foreground-muted,#646464);stroke-opacity:.5}",
        ".gdx-trough{fill:none;stroke:#2f6fd6;stroke-width:1.5}",
        ".gdx-crest{fill:none;stroke:#e0702a;stroke-width:1.5;stroke-dasharray:5 4}",
        ".gdx-frame{fill:none;stroke:var(--color-foreground-muted,#646464)}",
        ".gdx-path{fill:none;stroke:var(--color-foreground-primary,#1a1a1a);stroke-width:2}",
        ".gdx-dot{fill:var(--color-foreground-primary,#1a1a1a)}",
        ".gdx-start{fill:none;stroke:currentColor;stroke-width:2}",
        ".gdx-end{fill:var(--color-brand-primary,#0a58ca);stroke:currentColor}",
        ".gdx-cursor{stroke:var(--color-brand-primary,#0a58ca);stroke-width:2}",
        ".gdx-help{font-size:0.9em;margin:0.25em 0}",
    )
)


def _ring_kind(k: int) -> str:
    return "crest" if k % 2 == 0 else "trough"


def descent_end(point: Sequence[float], grad_norm: float) -> tuple[str, float | None]:
    """Name where a descent on h ended: the bowl, a trough, a crest, or nowhere yet.

    A run has settled when its last gradient norm is below :data:`SETTLED_GRADIENT`; it is then
    at the critical ring nearest to its end (in ``x² + y²``): the origin, a crest
    ``x² + y² = π/2 + 2kπ`` or a trough ``x² + y² = 3π/2 + 2kπ``.

    Parameters
    ----------
    point : sequence of 2 floats
        The last point ``(x, y)`` of the run.
    grad_norm : float
        The norm of the gradient of h there (``Trajectory.grad_norms[-1]``).

    Returns
    -------
    tuple
        ``(kind, radius)``: kind is ``"bowl"`` (radius ``None``), ``"trough"`` or ``"crest"``
        (radius of that ring) or ``"moving"`` (radius ``None``) for a run that has not settled.

    Raises
    ------
    TypeError
        If *point* or *grad_norm* does not hold real numbers.
    ValueError
        If *point* is not two finite numbers or *grad_norm* is negative or not finite.

    Examples
    --------
    >>> descent_end([1.3897, 1.6676], 0.0006)
    ('trough', 2.1708037636748028)
    >>> descent_end([0.0, 0.0], 0.0)
    ('bowl', None)
    """
    values = as_float_array("point", point)
    if values.shape != (2,):
        raise ValueError(f"point must be two numbers (x, y), got shape {values.shape}")
    norm = check_real("grad_norm", grad_norm)
    if norm < 0:
        raise ValueError(f"grad_norm must be >= 0, got {norm!r}")
    if norm >= SETTLED_GRADIENT:
        return "moving", None
    x, y = float(values[0]), float(values[1])
    u = x * x + y * y
    if u < math.pi / 4:  # nearer the origin than the first crest
        return "bowl", None
    k = math.floor((u - math.pi / 2) / math.pi + 0.5)
    return _ring_kind(k), math.sqrt(math.pi / 2 + k * math.pi)


def trajectory_end(run: Trajectory) -> tuple[str, float | None]:
    """Return :func:`descent_end` of the last point of *run* (a run on h)."""
    return descent_end(run.final_point, float(run.grad_norms[-1]))


class DescentBasinExplorer(Explorer):
    """Pick a start on the map of h and see which valley gradient descent reaches.

    Parameters
    ----------
    lang : {"en", "ja"}, default "en"
        The language of labels and announcements.
    start : sequence of 2 floats, default ``(1.0, 1.2)``
        The start shown first (the lesson's second start), inside the map.
    lr : float, default 0.1
        The learning rate ``η`` (the lesson's), at most 1.
    n_steps : int, default 50
        The number of steps ``T`` (the lesson's), 1 to 500.
    extent : float, default 3.0
        The map shows ``x, y`` in ``[−extent, extent]``, 0.5 to 5.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If a number is out of range or *start* lies outside the map.

    Examples
    --------
    >>> explorer = DescentBasinExplorer("ja")
    >>> [ring["kind"] for ring in explorer.data()["rings"]][:3]
    ['crest', 'trough', 'crest']
    >>> explorer.html_size() < 60_000
    True
    """

    kind = "descent_basin"

    def __init__(
        self,
        lang: str = "en",
        *,
        start: Sequence[float] = (1.0, 1.2),
        lr: float = 0.1,
        n_steps: int = 50,
        extent: float = 3.0,
    ) -> None:
        super().__init__(lang)
        self.lr = check_positive("lr", lr)
        if self.lr > 1.0:  # a step of 2·r·lr would jump across the whole map at once
            raise ValueError(f"lr must be <= 1, got {self.lr!r}")
        self.n_steps = check_int("n_steps", n_steps, minimum=1, maximum=min(500, MAX_STEPS))
        self.extent = check_positive("extent", extent)
        if not 0.5 <= self.extent <= 5.0:
            raise ValueError(f"extent must be between 0.5 and 5, got {self.extent!r}")
        point = as_float_array("start", start)
        if point.shape != (2,):
            raise ValueError(f"start must be two numbers (x, y), got shape {point.shape}")
        if bool(np.any(np.abs(point) > self.extent)):
            raise ValueError(
                f"start must lie on the map (|x|, |y| <= extent = {self.extent}), got "
                f"{point.tolist()}"
            )
        self.start = [float(point[0]), float(point[1])]

    def _levels(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[float]]:
        """Return the bands, critical rings and zero lines of h that reach into the map."""
        top = 2 * self.extent**2  # x² + y² at the corners
        bands, rings, zeros = [], [], []
        k = 0
        while math.pi / 2 + k * math.pi <= top:
            u = math.pi / 2 + k * math.pi
            rings.append({"kind": _ring_kind(k), "radius": math.sqrt(u)})
            # h <= -0.5 around a trough, h >= 0.5 around a crest: u within π/3 of the ring
            inner, outer = math.sqrt(u - math.pi / 3), math.sqrt(min(u + math.pi / 3, top))
            bands.append({"kind": "valley" if k % 2 else "crestband", "inner": inner,
                          "outer": outer})
            k += 1
        k = 1
        while k * math.pi <= top:
            zeros.append(math.sqrt(k * math.pi))
            k += 1
        return bands, rings, zeros

    def data(self) -> dict[str, Any]:
        """Return the run's settings, the rings and bands of the map and the first start."""
        bands, rings, zeros = self._levels()
        return {
            "start": self.start,
            "lr": self.lr,
            "n_steps": self.n_steps,
            "extent": self.extent,
            "settled": SETTLED_GRADIENT,
            "bands": bands,
            "rings": rings,
            "zeros": zeros,
        }

    def strings(self) -> dict[str, str]:
        """Return the labels and sentence templates in the explorer's language."""
        keys = ("dbx_map", "dbx_readout", "dbx_bowl", "dbx_trough", "dbx_crest", "dbx_moving",
                "dbx_cursor", "x_axis", "y_axis")
        strings = {key: self._language.catalog[key] for key in keys}
        strings["joiner"] = self._language.sentence_joiner  # between two sentences
        return strings

    def body(self, uid: str) -> str:
        """Return the focusable map, its instructions and the readout."""
        size = 350
        return (
            f'<div class="gdx-map" id="{uid}-map" tabindex="0" role="application" '
            f'aria-label="{self.text("dbx_map")}" aria-describedby="{uid}-help" '
            'data-gdx-primary="ArrowRight Enter">'
            f'<svg id="{uid}-svg" viewBox="0 0 {size} {size}" aria-hidden="true" '
            'focusable="false"></svg></div>'
            f'<p id="{uid}-help" class="gdx-help">{self.text("dbx_help")}</p>'
            f'<p id="{uid}-readout" class="gdx-readout"></p>'
            f"<style>{_STYLE}</style>"
        )

    def __repr__(self) -> str:
        return f"DescentBasinExplorer(lang={self.lang!r}, start={self.start!r})"
