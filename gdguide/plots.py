"""The figures of the lessons, labelled in English or Japanese.

Every function here takes the data it draws as arguments (it reads no globals), creates its figure
inside :func:`gdguide.i18n.figure_language` (opaque white background, Japanese font for
``lang="ja"``), takes every visible word from :data:`gdguide.i18n.LABELS` and returns the
:class:`matplotlib.figure.Figure` without showing it. The figures are registered with pyplot, so
sphinx-gallery and notebooks pick them up; close them with ``plt.close(fig)`` when done.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
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
from gdguide.functions import h, h_gradient
from gdguide.i18n import figure_language, label

__all__ = [
    "plot_data",
    "plot_descent_trajectories",
    "plot_gradient_field",
    "plot_training_result",
]

_CONTOUR_POINTS = 301  # samples per axis for the contours of h
_DESCENT_POINTS = 161  # samples per axis for the contours in plot_descent_trajectories
_CURVE_POINTS = 200  # points of the prediction curve
_DATA_COLOUR = "c"  # cyan dots, as in the original lesson

#: Sane maxima of plot_gradient_field's counts (a figure needs far fewer; more would exhaust
#: the memory instead of failing).
MAX_LEVELS = 1000
MAX_ARROW_GRID = 200


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
    ``−arrow_extent`` to ``arrow_extent``. The arrows point uphill, to the nearest crest, and
    are short where the surface is flat (on crests and in troughs).

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
    lang = check_lang(lang)
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

    with figure_language(lang):
        fig, ax = plt.subplots(figsize=(6.4, 5.4), layout="constrained")
        filled = ax.contourf(grid_x, grid_y, heights, levels=levels, cmap="viridis")
        ax.quiver(arrow_x, arrow_y, dz_dx, dz_dy, color="red", angles="xy", width=0.004)
        colorbar = fig.colorbar(filled, ax=ax)
        colorbar.set_label(label("h_colorbar", lang))
        ax.set_aspect("equal")
        ax.set_xlabel(label("x_axis", lang))
        ax.set_ylabel(label("y_axis", lang))
        ax.set_title(label("gradient_field_title", lang))
    return fig


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


def _default_extent(runs: list[Trajectory]) -> tuple[float, float, float, float]:
    """Return a square box around the useful part of the trajectories.

    Points whose value is above the highest starting value (a run flying off) are left out,
    so that a diverging run does not shrink the others to a dot; the box gets a 15 % margin.
    """
    ceiling = max(float(run.values[0]) for run in runs)
    kept = [
        np.asarray(run.points)[np.asarray(run.values) <= ceiling + 1e-12 * (1 + abs(ceiling))]
        for run in runs
    ]
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


def _value_limits(runs: list[Trajectory]) -> tuple[float, float, bool]:
    """Return y limits for the value panel and whether to use a logarithmic axis.

    A diverging run climbs towards the largest float; its values are capped a few orders of
    magnitude above the highest start (log axis) or a hundred start scales away (linear axis),
    so that the other runs stay readable and the diverging one leaves through the edge.
    """
    values = np.concatenate([np.asarray(run.values, dtype=np.float64) for run in runs])
    starts = np.array([float(run.values[0]) for run in runs])
    if bool(np.all(values > 0)):
        top = float(min(values.max(), starts.max() * 1e3))
        bottom = float(values.min())
        decades = np.log10(top) - np.log10(bottom)
        pad = 10 ** (0.05 * decades if decades > 0 else 0.5)
        return bottom / pad, top * pad, True
    scale = float(np.max(np.abs(starts)) + np.ptp(starts)) + 1e-12
    bottom = float(max(values.min(), starts.min() - 100 * scale))
    top = float(min(values.max(), starts.max() + 100 * scale))
    pad = 0.05 * (top - bottom) if top > bottom else 0.5 * scale
    return bottom - pad, top + pad, False


def plot_descent_trajectories(
    fn: Callable[[np.ndarray], Any],
    trajectories: Sequence[Trajectory],
    *,
    lang: str = "en",
    extent: float | Sequence[float] | None = None,
) -> Figure:
    """Draw gradient-descent runs on the contours of a 2-D function, and their values per step.

    Left: contour lines of *fn* with each run as a line with markers (its start circled),
    labelled by learning rate (``η = 0.1``); a run that diverged ends with an ``×`` at its last
    finite point and its legend entry says at which step it diverged. Right: *fn* at each step
    for every run (logarithmic axis when all values are positive); a diverging run leaves
    through the top, its ``×`` drawn on the edge. One legend below both panels.

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
        Language of titles, axis labels and legends.
    extent : float, sequence of 4 floats or None
        The region drawn: ``e`` for ``[−e, e]²``, or ``(xmin, xmax, ymin, ymax)``. ``None`` picks
        a square around the starts and every point no higher than the highest start.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: paths on contours, and value against step.

    Raises
    ------
    TypeError
        If *fn* is not callable or does not return a real number at the first run's start,
        *trajectories* is not a sequence of :class:`~gdguide.descent.Trajectory`, or *extent*
        has the wrong type.
    ValueError
        If *fn* returns a vector or a non-finite value there, *trajectories* is empty or a run
        is not 2-D, *extent* is not a valid box, or *lang* is unknown.

    Examples
    --------
    >>> from gdguide.descent import gradient_descent, quadratic_bowl, quadratic_bowl_gradient
    >>> runs = [gradient_descent(quadratic_bowl, quadratic_bowl_gradient, [2.0, 1.0], lr, 20)
    ...         for lr in (0.05, 0.15)]
    >>> fig = plot_descent_trajectories(quadratic_bowl, runs)
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    check_callable("fn", fn)
    runs = _check_trajectories(trajectories)
    check_function_at("fn", fn, runs[0].points[0])
    lang = check_lang(lang)
    box = _check_extent(extent)
    if box is None:
        box = _default_extent(runs)
    xmin, xmax, ymin, ymax = box

    grid_x, grid_y = np.meshgrid(
        np.linspace(xmin, xmax, _DESCENT_POINTS), np.linspace(ymin, ymax, _DESCENT_POINTS)
    )
    surface = np.ma.masked_invalid(_evaluate_on_grid(fn, grid_x, grid_y))
    low, high, log_values = _value_limits(runs)

    with figure_language(lang):
        fig, (paths, steps) = plt.subplots(
            1, 2, figsize=(11.0, 4.8), layout="constrained", width_ratios=(1.0, 1.1)
        )
        if surface.count() > 1 and float(surface.max() - surface.min()) > 0:
            paths.contour(grid_x, grid_y, surface, levels=20, cmap="Greys_r", linewidths=0.8)
        for index, run in enumerate(runs):
            colour = f"C{index % 10}"
            points = np.asarray(run.points, dtype=np.float64)
            values = np.asarray(run.values, dtype=np.float64)
            lr = f"{run.lr:g}"
            if run.diverged_at is None:
                legend = label("lr_legend", lang).format(lr=lr)
            else:
                legend = label("diverged_legend", lang).format(lr=lr, step=run.diverged_at)
            paths.plot(
                points[:, 0],
                points[:, 1],
                "-o",
                color=colour,
                markersize=3,
                linewidth=1.4,
                label=legend,
            )
            paths.plot(
                points[0, 0],
                points[0, 1],
                "o",
                markersize=9,
                markerfacecolor="none",
                markeredgecolor=colour,
                markeredgewidth=1.5,
            )
            step_numbers = np.arange(len(values))
            steps.plot(step_numbers, values, "-o", color=colour, markersize=2.5, label=legend)
            if run.diverged_at is not None:
                paths.plot(
                    points[-1, 0],
                    points[-1, 1],
                    "x",
                    color=colour,
                    markersize=11,
                    markeredgewidth=2.5,
                )
                steps.plot(
                    step_numbers[-1],
                    float(np.clip(values[-1], low, high)),
                    "x",
                    color=colour,
                    markersize=11,
                    markeredgewidth=2.5,
                    clip_on=False,
                )
        paths.plot(
            [],
            [],
            "o",
            markersize=9,
            markerfacecolor="none",
            markeredgecolor="0.3",
            label=label("start_point", lang),
        )
        paths.set_xlim(xmin, xmax)
        paths.set_ylim(ymin, ymax)
        paths.set_aspect("equal", adjustable="box")
        paths.set_xlabel(label("x_axis", lang))
        paths.set_ylabel(label("y_axis", lang))
        paths.set_title(label("descent_title", lang))
        steps.set_ylim(low, high)  # before the scale, so that no autoscaling runs
        if log_values:
            steps.set_yscale("log")
        steps.set_xlabel(label("step_axis", lang))
        steps.set_ylabel(label("value_axis", lang))
        steps.set_title(label("descent_values_title", lang))
        steps.grid(True, alpha=0.3)
        handles, texts = paths.get_legend_handles_labels()
        fig.legend(handles, texts, loc="outside lower center", ncols=min(len(texts), 4))
    return fig


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
    lang = check_lang(lang)
    with figure_language(lang):
        fig, ax = plt.subplots(figsize=(6.4, 4.4), layout="constrained")
        ax.scatter(x, y, c=_DATA_COLOUR, edgecolors="0.25", linewidths=0.5, s=36, zorder=2)
        ax.set_xlabel(label("inputs_axis", lang))
        ax.set_ylabel(label("targets_axis", lang))
        ax.set_title(label("data_title", lang))
        ax.grid(True, alpha=0.3)
    return fig


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


def plot_training_result(
    model: nn.Module,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    losses: Sequence[float],
    *,
    lang: str = "en",
) -> Figure:
    """Draw a trained regression model and its training loss (figure 3).

    Left: the targets (cyan dots) and the model's prediction curve, evaluated under
    ``torch.no_grad()`` on 200 evenly spaced inputs over the range of *inputs*, on the device and
    in the dtype of the model's parameters. The model's train/eval mode is left as it is.
    Right: the mean squared error of each epoch, on a logarithmic axis when all losses are
    positive.

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
    lang : {"en", "ja"}
        Language of titles, axis labels and legend.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: fit, and loss per epoch.

    Raises
    ------
    TypeError
        If *model* is not an ``nn.Module``, *inputs* / *targets* are not tensors, *losses* is
        not a sequence of real numbers, or *lang* is not a ``str``.
    ValueError
        If shapes are wrong or differ in rows, a value is not finite, *losses* is empty, the
        model's output has the wrong size, or *lang* is unknown.
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
    lang = check_lang(lang)
    curve = _predict_curve(model, float(x.min()), float(x.max()), inputs)
    curve_x = np.linspace(float(x.min()), float(x.max()), _CURVE_POINTS)
    epochs = np.arange(1, loss_values.size + 1)

    with figure_language(lang):
        fig, (fit, history) = plt.subplots(1, 2, figsize=(11.0, 4.4), layout="constrained")
        fit.scatter(
            x,
            y,
            c=_DATA_COLOUR,
            edgecolors="0.25",
            linewidths=0.5,
            s=30,
            zorder=2,
            label=label("targets_legend", lang),
        )
        fit.plot(curve_x, curve, color="C3", linewidth=2, label=label("prediction_legend", lang))
        fit.set_xlabel(label("inputs_axis", lang))
        fit.set_ylabel(label("targets_axis", lang))
        fit.set_title(label("fit_title", lang))
        fit.grid(True, alpha=0.3)
        fit.legend()
        history.plot(epochs, loss_values, color="C0", linewidth=1.5)
        if bool(np.all(loss_values > 0)):
            history.set_yscale("log")
        history.set_xlabel(label("epoch_axis", lang))
        history.set_ylabel(label("mse_axis", lang))
        history.set_title(label("loss_title", lang))
        history.grid(True, which="both", alpha=0.3)
    return fig
