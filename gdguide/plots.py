"""The figures of the lessons, labelled in English or Japanese.

Every function here takes the data it draws as arguments (it reads no globals), creates its figure
inside :func:`gdguide.i18n.figure_language` (opaque white background, the font of the language
from :mod:`gdguide.languages`), takes every visible word from the language's catalog
(:func:`gdguide.i18n.text`) and returns the
:class:`matplotlib.figure.Figure` without showing it. The figures are registered with pyplot, so
sphinx-gallery and notebooks pick them up; close them with ``plt.close(fig)`` when done.

Each figure also carries a phone layout of the same content (``gdguide.figure_variants``): the
panels one above the other, 3.5 inches wide, the text no smaller than in the wide figure. The
site shows it on narrow screens; a notebook shows the figure that is returned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import NullFormatter
from torch import nn

from gdguide._validate import (
    _kind,
    _short,
    as_float_array,
    check_callable,
    check_function_at,
    check_int,
    check_lang,
    check_positive,
    check_tensor,
)
from gdguide.descent import Trajectory
from gdguide.figure_variants import attach_phone_variant
from gdguide.functions import h, h_gradient
from gdguide.i18n import _figure_context
from gdguide.languages import Language

__all__ = [
    "DESCENT_VERDICTS",
    "MAX_ARROW_GRID",
    "MAX_LEVELS",
    "plot_data",
    "plot_descent_trajectories",
    "plot_gradient_field",
    "plot_training_result",
]

_CONTOUR_POINTS = 301  # samples per axis for the contours of h
_DESCENT_POINTS = 161  # samples per axis for the contours in plot_descent_trajectories
_CURVE_POINTS = 200  # points of the prediction curve
_DATA_COLOUR = "c"  # cyan dots, as in the original lesson

#: Width (inches) of the phone layouts: 350 px at 100 dpi, within the 358 px column of a 390 px
#: phone, so that it is shown unscaled and its 10 pt text stays 13.9 CSS px.
_PHONE_WIDTH = 3.5
#: Room (points) between a panel and its title for a one-row legend at 10 pt.
_LEGEND_ROW_PT = 24

# Sane maxima of plot_gradient_field's counts (a figure needs far fewer; more would exhaust
# the memory instead of failing).
#: Most contour levels :func:`plot_gradient_field` draws.
MAX_LEVELS = 1000
#: Most arrows along each axis of :func:`plot_gradient_field`.
MAX_ARROW_GRID = 200


# --------------------------------------------------------------------------------------------
# wide and phone layouts
# --------------------------------------------------------------------------------------------


def _with_phone_layout(make: Callable[[bool], Figure]) -> Figure:
    """Return ``make(False)``, the wide layout, with ``make(True)`` attached as its phone layout.

    Both layouts come from the same *make*, which lays out the axes and hands them to the one
    function that draws the content, so the two cannot drift apart.
    """
    return attach_phone_variant(make(False), lambda: _wrap_wide_texts(make(True)))


def _break_near_middle(text: str) -> str:
    """Replace the space of *text* nearest its middle by a line break."""
    spaces = [i for i, char in enumerate(text) if char == " "]
    cut = min(spaces, key=lambda i: abs(2 * i - len(text)))
    return text[:cut] + "\n" + text[cut + 1 :]


def _wrap_wide_texts(fig: Figure) -> Figure:
    """Break every one-line text wider than *fig* (a long title) into two lines at a space.

    Only where the text has a space (English); the Japanese titles are short enough as they are
    (tests/test_plots.py checks that every text of a phone layout lies inside the figure).
    """
    renderer = RendererAgg(1, 1, fig.dpi)  # measures the text; where it is drawn plays no part
    for text in fig.findobj(Text):
        content = text.get_text()
        if " " in content.strip() and "\n" not in content and text.get_visible():
            if text.get_window_extent(renderer).width > 0.95 * fig.bbox.width:
                text.set_text(_break_near_middle(content))
    return fig


# --------------------------------------------------------------------------------------------
# §1.1 gradient field
# --------------------------------------------------------------------------------------------


def plot_gradient_field(
    *,
    lang: str = "en",
    extent: float = 3.0,
    levels: int = 20,
    arrow_grid: int = 11,
    arrow_extent: float = 2.5,
) -> Figure:
    """Draw the contours of ``h(x, y) = sin(x² + y²)`` with its gradient vectors (figure 1).

    Filled contours of :func:`gdguide.functions.h` over ``[−extent, extent]²`` and red arrows of
    :func:`gdguide.functions.h_gradient` on an ``arrow_grid × arrow_grid`` grid from
    ``−arrow_extent`` to ``arrow_extent``. The arrows point uphill, away from the nearest trough
    towards the crest on their side of it, and are short where the surface is flat (on crests,
    in troughs and at the origin).

    Parameters
    ----------
    lang : {"en", "ja"}
        Language of the title.
    extent : float
        Half-width of the square drawn, ``> 0``.
    levels : int
        Number of contour levels, ``2 <= levels <=`` :data:`MAX_LEVELS`.
    arrow_grid : int
        Number of arrows along each axis, ``2 <= arrow_grid <=`` :data:`MAX_ARROW_GRID`.
    arrow_extent : float
        Half-width of the square of arrows, ``0 < arrow_extent <= extent``.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with the contours and arrows, and a colour bar labelled ``z = h(x, y)``.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If a number is out of range or *lang* is unknown.

    Examples
    --------
    >>> fig = plot_gradient_field(lang="ja")
    >>> fig.axes[0].get_title()
    '勾配ベクトルは最も急な上り方向を指す'
    >>> plt.close(fig)
    """
    language = check_lang(lang)
    extent = check_positive("extent", extent)
    levels = check_int("levels", levels, minimum=2, maximum=MAX_LEVELS)
    arrow_grid = check_int("arrow_grid", arrow_grid, minimum=2, maximum=MAX_ARROW_GRID)
    arrow_extent = check_positive("arrow_extent", arrow_extent)
    if arrow_extent > extent:
        raise ValueError(
            f"arrow_extent must be <= extent ({extent!r}) so that every arrow lies on the "
            f"contours, got {arrow_extent!r}"
        )

    axis = np.linspace(-extent, extent, _CONTOUR_POINTS)
    grid_x, grid_y = np.meshgrid(axis, axis)
    heights = h(grid_x, grid_y)
    arrow_axis = np.linspace(-arrow_extent, arrow_extent, arrow_grid)
    arrow_x, arrow_y = np.meshgrid(arrow_axis, arrow_axis)
    dz_dx, dz_dy = h_gradient(arrow_x, arrow_y)

    def draw(fig: Figure, ax: Any, colorbar_location: str) -> None:
        filled = ax.contourf(grid_x, grid_y, heights, levels=levels, cmap="viridis")
        ax.quiver(arrow_x, arrow_y, dz_dx, dz_dy, color="red", angles="xy", width=0.004)
        colorbar = fig.colorbar(filled, ax=ax, location=colorbar_location)
        colorbar.set_label(language.text("h_colorbar"))
        ax.set_aspect("equal")
        ax.set_xlabel(language.text("x_axis"))
        ax.set_ylabel(language.text("y_axis"))
        ax.set_title(language.text("gradient_field_title"))

    def make(phone: bool) -> Figure:
        # on a phone the colour bar goes below, so that the square map keeps the whole width
        with _figure_context(language):
            size = (_PHONE_WIDTH, 4.7) if phone else (6.4, 5.4)
            fig, ax = plt.subplots(figsize=size, layout="constrained")
            draw(fig, ax, "bottom" if phone else "right")
        return fig

    return _with_phone_layout(make)


# --------------------------------------------------------------------------------------------
# §1.2 gradient-descent paths
# --------------------------------------------------------------------------------------------


def _check_trajectories(trajectories: Any) -> list[Trajectory]:
    """Check that *trajectories* is a non-empty sequence of 2-D :class:`Trajectory` objects."""
    if (
        isinstance(trajectories, Trajectory)
        or not isinstance(trajectories, Sequence)
        or (isinstance(trajectories, str))
    ):
        raise TypeError(
            "trajectories must be a sequence (list or tuple) of Trajectory objects, got "
            f"{_kind(trajectories)} {_short(trajectories)}"
        )
    runs = list(trajectories)
    if not runs:
        raise ValueError("trajectories must hold at least one Trajectory, got an empty sequence")
    for i, run in enumerate(runs):
        if not isinstance(run, Trajectory):
            raise TypeError(
                f"trajectories[{i}] must be a Trajectory, got {_kind(run)} {_short(run)}"
            )
        points = np.asarray(run.points)
        values = np.asarray(run.values)
        if points.ndim != 2 or points.shape[1] != 2 or points.shape[0] == 0:
            raise ValueError(
                f"trajectories[{i}].points must have shape (n + 1, 2) (a 2-D problem), "
                f"got shape {points.shape}"
            )
        if values.shape != (points.shape[0],):
            raise ValueError(
                f"trajectories[{i}].values must have shape ({points.shape[0]},), one value per "
                f"point, got shape {values.shape}"
            )
        if not (np.all(np.isfinite(points)) and np.all(np.isfinite(values))):
            raise ValueError(f"trajectories[{i}] must hold only finite points and values")
    return runs


def _check_extent(extent: Any) -> tuple[float, float, float, float] | None:
    """Return ``(xmin, xmax, ymin, ymax)`` from *extent* (``None``, a number or four numbers)."""
    if extent is None:
        return None
    if isinstance(extent, (int, float, np.integer, np.floating)) and not isinstance(extent, bool):
        half = check_positive("extent", extent)
        return (-half, half, -half, half)
    box = as_float_array("extent", extent)
    if box.shape != (4,):
        raise ValueError(
            "extent must be None, a positive number or four numbers (xmin, xmax, ymin, ymax), "
            f"got shape {box.shape}"
        )
    xmin, xmax, ymin, ymax = (float(v) for v in box)
    if not (xmin < xmax and ymin < ymax):
        raise ValueError(
            f"extent must satisfy xmin < xmax and ymin < ymax, got {(xmin, xmax, ymin, ymax)!r}"
        )
    return (xmin, xmax, ymin, ymax)


def _default_extent(
    runs: list[Trajectory], also: np.ndarray | None = None
) -> tuple[float, float, float, float]:
    """Return a square box around the useful part of the trajectories (and the point *also*).

    Points whose value is above the highest starting value (a run flying off) are left out,
    so that a diverging run does not shrink the others to a dot; the box gets a 15 % margin.
    """
    ceiling = max(float(run.values[0]) for run in runs)
    kept = [
        np.asarray(run.points)[np.asarray(run.values) <= ceiling + 1e-12 * (1 + abs(ceiling))]
        for run in runs
    ]
    if also is not None:
        kept.append(np.reshape(also, (1, 2)))
    points = np.concatenate([np.asarray(run.points)[:1] for run in runs] + kept)
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2
    half = max(float(np.max(high - low)) / 2 * 1.15, 0.5)
    return (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)


def _evaluate_on_grid(
    fn: Callable[[np.ndarray], Any], grid_x: np.ndarray, grid_y: np.ndarray
) -> np.ndarray:
    """Evaluate ``fn`` on a grid: at once on an ``(..., 2)`` array if fn allows, else per point."""
    stacked = np.stack([grid_x, grid_y], axis=-1)
    try:
        with np.errstate(all="ignore"):
            result = np.asarray(fn(stacked), dtype=np.float64)
        if result.shape == grid_x.shape:
            return result
    except (TypeError, ValueError, IndexError):
        pass  # fn takes one point at a time: fall through to the loop below
    values = np.empty(grid_x.shape)
    with np.errstate(all="ignore"):
        for index in np.ndindex(grid_x.shape):
            values[index] = float(np.asarray(fn(stacked[index].copy()), dtype=np.float64))
    return values


#: The verdicts ``plot_descent_trajectories`` can write in a panel title (keys ``verdict_*``).
DESCENT_VERDICTS = ("too_small", "good", "oscillating", "diverging")


def _check_verdicts(verdicts: Any, n_runs: int) -> list[str] | None:
    """Check *verdicts*: ``None`` or one name of :data:`DESCENT_VERDICTS` per run."""
    if verdicts is None:
        return None
    if isinstance(verdicts, str) or not isinstance(verdicts, Sequence):
        raise TypeError(
            "verdicts must be None or a sequence (list or tuple) of verdict names, got "
            f"{_kind(verdicts)} {_short(verdicts)}"
        )
    names = list(verdicts)
    if len(names) != n_runs:
        raise ValueError(
            f"verdicts must hold one verdict per trajectory ({n_runs}), got {len(names)}"
        )
    for i, name in enumerate(names):
        if name not in DESCENT_VERDICTS:
            raise ValueError(
                f"verdicts[{i}] must be one of {', '.join(DESCENT_VERDICTS)}, got {_short(name)}"
            )
    return names


def _check_axis_labels(axis_labels: Any, language: Language) -> tuple[str, str]:
    """Check that *axis_labels* is a pair of keys of the catalog of *language*."""
    if isinstance(axis_labels, str) or not isinstance(axis_labels, Sequence):
        raise TypeError(
            "axis_labels must be a pair of label keys such as ('w1_axis', 'w2_axis'), got "
            f"{_kind(axis_labels)} {_short(axis_labels)}"
        )
    keys = tuple(axis_labels)
    if len(keys) != 2 or not all(
        isinstance(key, str) and key in language.catalog for key in keys
    ):
        raise ValueError(
            "axis_labels must be two keys of the label catalog (gdguide.catalogs) such as "
            f"('w1_axis', 'w2_axis'), got {_short(axis_labels)}"
        )
    return keys[0], keys[1]


def _panel_title(run: Trajectory, verdict: str | None, language: Language) -> str:
    """``η = 0.1``, with the verdict and the step of divergence where there are any."""
    lr = f"{run.lr:g}"
    if verdict is None:
        if run.diverged_at is None:
            return language.text("lr_legend", lr=lr)
        return language.text("diverged_legend", lr=lr, step=run.diverged_at)
    text = language.text(f"verdict_{verdict}")
    if run.diverged_at is None:
        return language.text("lr_verdict_title", lr=lr, verdict=text)
    return language.text("diverged_verdict_title", lr=lr, verdict=text, step=run.diverged_at)


def _grid_shape(n_panels: int) -> tuple[int, int]:
    """Rows and columns of the panel grid: one row up to 3 panels, 2 × 2 for 4, then 3 a row."""
    if n_panels <= 3:
        return 1, n_panels
    n_cols = 2 if n_panels == 4 else 3
    return -(-n_panels // n_cols), n_cols


def plot_descent_trajectories(
    fn: Callable[[np.ndarray], Any],
    trajectories: Sequence[Trajectory],
    *,
    lang: str = "en",
    extent: float | Sequence[float] | None = None,
    verdicts: Sequence[str] | None = None,
    minimum: Sequence[float] | None = None,
    axis_labels: Sequence[str] = ("w1_axis", "w2_axis"),
) -> Figure:
    """Draw each gradient-descent run in its own small panel on the contours of a 2-D function.

    One panel per run (a row for up to three runs, a 2 × 2 grid for four, then rows of three),
    all with the same axes limits: contour lines of *fn*, the path as a line with a dot per step,
    its start circled and, if given, the *minimum* marked with a star. Every panel is titled
    with its learning rate (``η = 0.1``), followed by its verdict when *verdicts* is given
    (``η = 0.1: good``). A path that leaves the region is clipped at the panel's edge, so a
    diverging run never squeezes the others; a run that overflowed ends with an ``×`` at its
    last finite point and its title says at which step it stopped. One legend below the panels.

    Parameters
    ----------
    fn : callable
        The function the runs minimised, called as ``fn(w)`` with ``w`` of shape ``(2,)`` (as
        :func:`gdguide.descent.gradient_descent` does). A function that also accepts ``(..., 2)``
        arrays (like :func:`gdguide.descent.quadratic_bowl`) is evaluated on the whole grid at
        once; otherwise point by point.
    trajectories : sequence of Trajectory
        One or more runs from :func:`gdguide.descent.gradient_descent` on a 2-D problem.
    lang : {"en", "ja"}
        Language of titles, axis labels and legend.
    extent : float, sequence of 4 floats or None
        The region drawn in every panel: ``e`` for ``[−e, e]²``, or ``(xmin, xmax, ymin, ymax)``.
        ``None`` picks a square around the starts, the *minimum* and every point no higher than
        the highest start (so a run flying off does not widen it).
    verdicts : sequence of str or None
        One of ``"too_small"``, ``"good"``, ``"oscillating"``, ``"diverging"`` per run, written
        in its panel's title in the language *lang*; ``None`` titles the panels with η only.
    minimum : tuple of float or None
        Where the minimum lies, marked with a star in every panel; ``None`` marks nothing.
    axis_labels : tuple of str
        Catalog keys (``gdguide.catalogs``) of the horizontal and the vertical axis label:
        ``("w1_axis", "w2_axis")`` (w₁, w₂) by default, ``("x_axis", "y_axis")`` for x, y.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per run, in the order of *trajectories*, sharing their limits.

    Raises
    ------
    TypeError
        If *fn* is not callable or does not return a real number at the first run's start,
        *trajectories* is not a sequence of :class:`~gdguide.descent.Trajectory`, or *extent*,
        *verdicts*, *minimum* or *axis_labels* has the wrong type.
    ValueError
        If *fn* returns a vector or a non-finite value there, *trajectories* is empty or a run
        is not 2-D, *extent* is not a valid box, *verdicts* does not hold one known verdict per
        run, *minimum* is not two finite numbers, *axis_labels* are not two label keys, or
        *lang* is unknown.

    Examples
    --------
    >>> from gdguide.descent import gradient_descent, quadratic_bowl, quadratic_bowl_gradient
    >>> runs = [gradient_descent(quadratic_bowl, quadratic_bowl_gradient, [2.0, 1.0], lr, 20)
    ...         for lr in (0.05, 0.15)]
    >>> fig = plot_descent_trajectories(quadratic_bowl, runs, verdicts=["too_small", "good"],
    ...                                 minimum=(0.0, 0.0))
    >>> [ax.get_title() for ax in fig.axes]
    ['η = 0.05: too small', 'η = 0.15: good']
    >>> plt.close(fig)
    """
    check_callable("fn", fn)
    runs = _check_trajectories(trajectories)
    check_function_at("fn", fn, runs[0].points[0])
    language = check_lang(lang)
    box = _check_extent(extent)
    names = _check_verdicts(verdicts, len(runs))
    if minimum is not None:
        minimum_point = as_float_array("minimum", minimum)
        if minimum_point.shape != (2,):
            raise ValueError(
                f"minimum must be None or two numbers (w1, w2), got shape {minimum_point.shape}"
            )
    else:
        minimum_point = None
    x_key, y_key = _check_axis_labels(axis_labels, language)
    if box is None:
        box = _default_extent(runs, minimum_point)
    xmin, xmax, ymin, ymax = box

    grid_x, grid_y = np.meshgrid(
        np.linspace(xmin, xmax, _DESCENT_POINTS), np.linspace(ymin, ymax, _DESCENT_POINTS)
    )
    surface = np.ma.masked_invalid(_evaluate_on_grid(fn, grid_x, grid_y))

    def draw(fig: Figure, panels: list[Any], n_cols: int, legend_cols: int) -> None:
        for spare in panels[len(runs) :]:
            fig.delaxes(spare)
        for index, (ax, run) in enumerate(zip(panels, runs, strict=False)):
            colour = f"C{index % 10}"
            points = np.asarray(run.points, dtype=np.float64)
            if surface.count() > 1 and float(surface.max() - surface.min()) > 0:
                ax.contour(grid_x, grid_y, surface, levels=15, cmap="Greys_r", linewidths=0.7)
            ax.plot(points[:, 0], points[:, 1], "-o", color=colour, markersize=3, linewidth=1.3)
            ax.plot(
                points[0, 0],
                points[0, 1],
                "o",
                markersize=9,
                markerfacecolor="none",
                markeredgecolor=colour,
                markeredgewidth=1.5,
            )
            if run.diverged_at is not None:
                ax.plot(
                    points[-1, 0], points[-1, 1], "x", color=colour, markersize=11,
                    markeredgewidth=2.5,
                )
            if minimum_point is not None:
                ax.plot(
                    minimum_point[0], minimum_point[1], "*", color="black", markersize=12,
                    markerfacecolor="gold", zorder=5,
                )
            ax.set_title(_panel_title(run, None if names is None else names[index], language))
            col = index % n_cols
            if index + n_cols >= len(runs):  # no panel below: this one shows the x axis
                ax.set_xlabel(language.text(x_key))
                ax.tick_params(labelbottom=True)
            if col == 0:
                ax.set_ylabel(language.text(y_key))
            ax.grid(True, alpha=0.2)
        first = panels[0]
        first.set_xlim(xmin, xmax)  # shared by every panel; clips a path that leaves the box
        first.set_ylim(ymin, ymax)
        for ax in panels[: len(runs)]:
            ax.set_aspect("equal", adjustable="box")
        handles = [
            Line2D([], [], color="0.3", marker="o", markersize=3, linewidth=1.3,
                   label=language.text("path_legend")),
            Line2D([], [], linestyle="none", marker="o", markersize=9, markerfacecolor="none",
                   markeredgecolor="0.3", markeredgewidth=1.5, label=language.text("start_point")),
        ]
        if minimum_point is not None:
            handles.append(
                Line2D([], [], linestyle="none", marker="*", markersize=12, color="black",
                       markerfacecolor="gold", label=language.text("minimum_point"))
            )
        fig.suptitle(language.text("descent_title"))
        fig.legend(handles=handles, loc="outside lower center",
                   ncols=min(legend_cols, len(handles)))

    def make(phone: bool) -> Figure:
        # a phone stacks the panels in one column, each as wide as the screen
        n_rows, n_cols = (len(runs), 1) if phone else _grid_shape(len(runs))
        width, panel, extra = (_PHONE_WIDTH, 3.25, 1.7) if phone else (None, 3.3, 1.1)
        with _figure_context(language):
            fig, grid = plt.subplots(
                n_rows,
                n_cols,
                figsize=(width or 3.3 * n_cols + 0.6, panel * n_rows + extra),
                layout="constrained",
                sharex=True,
                sharey=True,
                squeeze=False,
            )
            draw(fig, list(grid.flat), n_cols, legend_cols=1 if phone else 3)
        return fig

    return _with_phone_layout(make)


# --------------------------------------------------------------------------------------------
# §3 data and training
# --------------------------------------------------------------------------------------------


def _as_column(name: str, value: Any) -> np.ndarray:
    """Return *value* (tensor or array-like of shape ``(n,)`` or ``(n, 1)``) as a 1-D array."""
    if isinstance(value, torch.Tensor):
        check_tensor(name, value)  # refuses bool and complex tensors too
        array = value.detach().to("cpu", torch.float64).numpy()
    else:
        array = as_float_array(name, value)
    if not (array.ndim == 1 or (array.ndim == 2 and array.shape[1] == 1)):
        raise ValueError(f"{name} must have shape (n,) or (n, 1), got shape {array.shape}")
    if array.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample, got shape {array.shape}")
    return array.reshape(-1)


def _check_pair(inputs: np.ndarray, targets: np.ndarray) -> None:
    if inputs.shape[0] != targets.shape[0]:
        raise ValueError(
            f"targets must have one row per input: inputs has {inputs.shape[0]} rows, "
            f"targets has {targets.shape[0]}"
        )


def plot_data(inputs: Any, targets: Any, *, lang: str = "en") -> Figure:
    """Scatter the training data: inputs on the x axis, targets on the y axis (figure 2).

    Parameters
    ----------
    inputs : torch.Tensor or array-like
        Shape ``(n,)`` or ``(n, 1)``, finite.
    targets : torch.Tensor or array-like
        Same number of rows as *inputs*, shape ``(n,)`` or ``(n, 1)``, finite.
    lang : {"en", "ja"}
        Language of the title and axis labels.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with cyan dots.

    Raises
    ------
    TypeError
        If *inputs* or *targets* is not real data, or *lang* is not a ``str``.
    ValueError
        If the shapes are wrong or differ in rows, a value is not finite, or *lang* is unknown.

    Examples
    --------
    >>> fig = plot_data([0.0, 0.5, 1.0], [0.1, 0.9, 0.2], lang="ja")
    >>> fig.axes[0].get_xlabel()
    'x（入力）'
    >>> plt.close(fig)
    """
    x = _as_column("inputs", inputs)
    y = _as_column("targets", targets)
    _check_pair(x, y)
    language = check_lang(lang)

    def draw(ax: Any) -> None:
        ax.scatter(x, y, c=_DATA_COLOUR, edgecolors="0.25", linewidths=0.5, s=36, zorder=2)
        ax.set_xlabel(language.text("inputs_axis"))
        ax.set_ylabel(language.text("targets_axis"))
        ax.set_title(language.text("data_title"))
        ax.grid(True, alpha=0.3)

    def make(phone: bool) -> Figure:
        with _figure_context(language):
            size = (_PHONE_WIDTH, 3.0) if phone else (6.4, 4.4)
            fig, ax = plt.subplots(figsize=size, layout="constrained")
            draw(ax)
        return fig

    return _with_phone_layout(make)


def _check_losses(losses: Any) -> np.ndarray:
    if isinstance(losses, torch.Tensor):
        raise TypeError(
            "losses must be a sequence of floats (e.g. the list returned by train), "
            f"got a torch.Tensor {_short(losses)}"
        )
    array = as_float_array("losses", losses)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"losses must be a non-empty 1-D sequence of floats, got shape {array.shape}"
        )
    return array


def _predict_curve(model: nn.Module, low: float, high: float, like: torch.Tensor) -> np.ndarray:
    """Evaluate *model* on a dense grid over ``[low, high]`` without recording gradients."""
    parameter = next(model.parameters(), None)
    if parameter is not None:
        device, dtype = parameter.device, parameter.dtype
    else:
        device, dtype = like.device, like.dtype
    if not dtype.is_floating_point:
        dtype = torch.get_default_dtype()
    grid = torch.linspace(low, high, _CURVE_POINTS, device=device, dtype=dtype).reshape(-1, 1)
    with torch.no_grad():
        prediction = model(grid)
    if not isinstance(prediction, torch.Tensor) or prediction.numel() != _CURVE_POINTS:
        shape = tuple(prediction.shape) if isinstance(prediction, torch.Tensor) else None
        raise ValueError(
            f"model must map inputs of shape ({_CURVE_POINTS}, 1) to one output per row, got "
            f"{_kind(prediction)} of shape {shape}"
        )
    return prediction.detach().to("cpu", torch.float64).numpy().reshape(-1)


def _loss_ticks(axes: Any, final: float, log: bool) -> tuple[list[float], list[str]]:
    """Ticks for the loss axis: round values in the visible range plus one at *final*.

    A round tick too close to *final* to be read apart from it is dropped.
    """
    low, high = sorted(axes.get_ylim())
    if log:
        exponents = range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)
        candidates = [m * 10.0**exponent for exponent in exponents for m in (1, 2, 3, 5)]
        near = [value for value in candidates if abs(np.log10(value / final)) < 0.12]
    else:
        candidates = [float(value) for value in axes.get_yticks()]
        near = [value for value in candidates if abs(value - final) < 0.06 * (high - low)]
    ticks = [value for value in candidates if low <= value <= high and value not in near]
    labels = [f"{value:g}" for value in ticks]
    ticks.append(final)
    labels.append(f"{final:.2g}")
    order = np.argsort(ticks)
    return [ticks[i] for i in order], [labels[i] for i in order]


def plot_training_result(
    model: nn.Module,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    losses: Sequence[float],
    *,
    zoom_epochs: int | None = 100,
    lang: str = "en",
) -> Figure:
    """Draw a trained regression model and its training loss (figure 3).

    Left: the targets (cyan dots) and the model's prediction curve, evaluated under
    ``torch.no_grad()`` on 200 evenly spaced inputs over the range of *inputs*, on the device and
    in the dtype of the model's parameters. The model's train/eval mode is left as it is.
    Right: the mean squared error of each epoch, on a logarithmic axis when all losses are
    positive, with a dashed, labelled line and a tick at the last epoch's loss, so that the level
    where training settles can be read off. When there are more than *zoom_epochs* losses, an
    inset repeats the first *zoom_epochs* epochs on linear axes, where the ups and downs of the
    early epochs are visible.

    Parameters
    ----------
    model : torch.nn.Module
        A model mapping ``(n, 1)`` inputs to ``(n, 1)`` outputs.
    inputs : torch.Tensor
        Shape ``(n, 1)``, finite.
    targets : torch.Tensor
        Shape ``(n, 1)``, finite.
    losses : sequence of float
        The loss of each epoch (the list returned by :func:`gdguide.training.train`); non-empty,
        finite.
    zoom_epochs : int or None, default 100
        Number of first epochs shown again in the inset, ``>= 2``; ``None`` draws no inset.
    lang : {"en", "ja"}
        Language of titles, axis labels and legends.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes, fit and loss per epoch; the inset, when drawn, is the loss axes' only
        ``child_axes`` entry.

    Raises
    ------
    TypeError
        If *model* is not an ``nn.Module``, *inputs* / *targets* are not tensors, *losses* is
        not a sequence of real numbers, *zoom_epochs* is not an ``int`` or ``None``, or *lang*
        is not a ``str``.
    ValueError
        If shapes are wrong or differ in rows, a value is not finite, *losses* is empty,
        *zoom_epochs* < 2, the model's output has the wrong size, or *lang* is unknown.

    Examples
    --------
    >>> model = nn.Linear(1, 1)
    >>> x = torch.linspace(-1, 1, 8).reshape(-1, 1)
    >>> losses = [1.0 / (1 + epoch) for epoch in range(300)]
    >>> fig = plot_training_result(model, x, 2 * x, losses, lang="ja")
    >>> fig.axes[1].get_xlabel(), fig.axes[1].child_axes[0].get_title()
    ('エポック', '最初の100エポック')
    >>> plt.close(fig)
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {_kind(model)} {_short(model)}")
    for name, tensor in (("inputs", inputs), ("targets", targets)):
        check_tensor(name, tensor, ndim=2)
        if tensor.shape[1] != 1 or tensor.shape[0] == 0:
            raise ValueError(
                f"{name} must have shape (n, 1) with n >= 1, got shape {tuple(tensor.shape)}"
            )
    x = _as_column("inputs", inputs)
    y = _as_column("targets", targets)
    _check_pair(x, y)
    loss_values = _check_losses(losses)
    if zoom_epochs is not None:
        zoom_epochs = check_int("zoom_epochs", zoom_epochs, minimum=2)
    language = check_lang(lang)
    curve = _predict_curve(model, float(x.min()), float(x.max()), inputs)
    curve_x = np.linspace(float(x.min()), float(x.max()), _CURVE_POINTS)
    epochs = np.arange(1, loss_values.size + 1)
    final = float(loss_values[-1])
    log = bool(np.all(loss_values > 0))

    def draw(fit: Any, history: Any) -> None:
        fit.scatter(
            x,
            y,
            c=_DATA_COLOUR,
            edgecolors="0.25",
            linewidths=0.5,
            s=30,
            zorder=2,
            label=language.text("targets_legend"),
        )
        fit.plot(curve_x, curve, color="C3", linewidth=2, label=language.text("prediction_legend"))
        fit.set_xlabel(language.text("inputs_axis"))
        fit.set_ylabel(language.text("targets_axis"))
        # the legend is a row between the title and the panel: it never hides a point
        fit.set_title(language.text("fit_title"), pad=_LEGEND_ROW_PT)
        fit.grid(True, alpha=0.3)
        fit.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, frameon=False,
                   borderaxespad=0.2, columnspacing=1.2)
        history.plot(epochs, loss_values, color="C0", linewidth=1.5)
        if log:
            history.set_yscale("log")
        history.axhline(final, color="0.3", linestyle="--", linewidth=1)
        # at the right end, where the curve has come down to the line
        history.annotate(
            language.text("final_loss_legend", loss=f"{final:.2g}"),
            (0.98, final),
            xycoords=history.get_yaxis_transform(),
            xytext=(0, 3),
            textcoords="offset points",
            color="0.2",
            fontsize=9,
            horizontalalignment="right",
            verticalalignment="bottom",
        )
        ticks, tick_labels = _loss_ticks(history, final, log)
        history.set_yticks(ticks, tick_labels)
        history.yaxis.set_minor_formatter(NullFormatter())
        history.set_xlabel(language.text("epoch_axis"))
        history.set_ylabel(language.text("mse_axis"))
        history.set_title(language.text("loss_title"))
        history.grid(True, which="both", alpha=0.3)
        if zoom_epochs is not None and loss_values.size > zoom_epochs:
            inset = history.inset_axes((0.47, 0.5, 0.5, 0.38))
            inset.plot(epochs[:zoom_epochs], loss_values[:zoom_epochs], color="C0", linewidth=1.2)
            inset.set_xlim(1, zoom_epochs)
            inset.set_title(language.text("zoom_title", n=zoom_epochs), fontsize=9)
            inset.tick_params(labelsize=8)
            inset.grid(True, alpha=0.3)

    def make(phone: bool) -> Figure:
        # a phone stacks the fit above the loss; the wide page has them side by side, no wider
        # than the 736 px column (so that they are not scaled down there)
        with _figure_context(language):
            fig, (fit, history) = plt.subplots(
                *((2, 1) if phone else (1, 2)),
                figsize=(_PHONE_WIDTH, 6.4) if phone else (7.2, 3.6),
                layout="constrained",
            )
            draw(fit, history)
        return fig

    return _with_phone_layout(make)
