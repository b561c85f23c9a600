"""Training replay (§3.1): a slider over the recorded epochs of the lesson's one training run.

The reader moves a slider over the epochs that :class:`gdguide.training.TrainingSnapshots`
recorded while :func:`gdguide.training.train` ran. Left: the data and the model's prediction
curve at that epoch; right: the loss of every epoch, on logarithmic axes, with a marker at that
epoch; above them the readout ``epoch N, loss L``. The losses at the recorded epochs are
embedded as the exact doubles the training returned, so the readout is the page's printed number;
the curves and the drawn loss line only need to look right and are rounded, to keep the
explorer light.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import torch

from gdguide._validate import _kind, _short, check_real, check_tensor
from gdguide.explorers._base import Explorer
from gdguide.training import TrainingSnapshots

__all__ = ["TrainingReplayExplorer"]

#: Digits after the point of the loss in the readout: the lesson prints ``f"{loss:.4f}"``.
LOSS_DIGITS = 4
# Rounding of what is only drawn: 0.001 is a tenth of a pixel in the fit panel.
_CURVE_DIGITS = 3
_LOSS_LINE_DIGITS = 4  # significant digits of the drawn loss line
# The loss line keeps the lowest and the highest loss of each of this many slices of the log
# epoch axis (about one per pixel), so the early ups and downs survive the thinning.
_LOSS_LINE_BINS = 240


def _significant(value: float, digits: int) -> float:
    """Round *value* (> 0) to *digits* significant digits."""
    return float(f"{value:.{digits}g}")


def _thin_loss_line(losses: list[float]) -> tuple[list[int], list[float]]:
    """Return the epochs and losses of the drawn loss line: per log-epoch slice, min and max."""
    n = len(losses)
    scale = _LOSS_LINE_BINS / math.log(n) if n > 1 else 0.0
    slices: dict[int, list[int]] = {}
    for index in range(n):
        slices.setdefault(int(math.log(index + 1) * scale), []).append(index)
    kept = {0, n - 1}
    for members in slices.values():
        kept.add(min(members, key=losses.__getitem__))
        kept.add(max(members, key=losses.__getitem__))
    order = sorted(kept)
    return [i + 1 for i in order], [_significant(losses[i], _LOSS_LINE_DIGITS) for i in order]


def _log_ticks(low: float, high: float) -> list[float]:
    """Return the loss ticks between *low* and *high*: 1, 2 and 5 times the powers of ten."""
    ticks = []
    for power in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for mantissa in (1, 2, 5):
            tick = float(f"{mantissa}e{power}")
            if low <= tick <= high:
                ticks.append(tick)
    return ticks


def _column(name: str, tensor: Any) -> list[float]:
    check_tensor(name, tensor, ndim=2)
    if tensor.shape[1] != 1 or tensor.shape[0] == 0:
        raise ValueError(
            f"{name} must have shape (n, 1) with n >= 1, got shape {tuple(tensor.shape)}"
        )
    return [float(value) for value in tensor.detach().cpu().double().reshape(-1)]


class TrainingReplayExplorer(Explorer):
    """Replay one training run: the fitted curve and the loss at each recorded epoch.

    Parameters
    ----------
    snapshots : gdguide.training.TrainingSnapshots
        Passed to :func:`gdguide.training.train` for the run, so it holds a prediction for each
        of its epochs; its grid has one column (the inputs of the curve) and the model one
        output.
    losses : sequence of float
        The losses that run returned, one per epoch, finite and > 0.
    inputs : torch.Tensor
        The training inputs, shape ``(n, 1)``, finite.
    targets : torch.Tensor
        The training targets, shape ``(n, 1)``, finite.
    lang : {"en", "ja"}, default "en"
        The language of the labels and announcements.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If *snapshots* has not recorded a run or has more than one input or output column,
        *losses* does not hold one finite positive loss per epoch of that run, *inputs* and
        *targets* have other shapes or differ in rows, or *lang* is unknown.

    Examples
    --------
    >>> import torch
    >>> from gdguide.training import (TrainingSnapshots, make_sine_data, make_training_setup,
    ...                               train)
    >>> inputs, targets = make_sine_data()
    >>> model, loss_fn, optimizer = make_training_setup(n_units=16)
    >>> snapshots = TrainingSnapshots(torch.linspace(-1, 1, 9).reshape(-1, 1), [1, 5, 10])
    >>> losses = train(inputs, targets, model, loss_fn, optimizer, 10, snapshots=snapshots)
    >>> explorer = TrainingReplayExplorer(snapshots, losses, inputs, targets, lang="ja")
    >>> explorer.data()["epochs"], explorer.data()["losses"] == [losses[0], losses[4], losses[9]]
    ([1, 5, 10], True)
    >>> 'data-explorer="training_replay"' in explorer._repr_html_()
    True
    """

    kind = "training_replay"

    def __init__(
        self,
        snapshots: TrainingSnapshots,
        losses: Sequence[float],
        inputs: torch.Tensor,
        targets: torch.Tensor,
        *,
        lang: str = "en",
    ) -> None:
        super().__init__(lang)
        if not isinstance(snapshots, TrainingSnapshots):
            raise TypeError(
                f"snapshots must be a gdguide.training.TrainingSnapshots, got "
                f"{_kind(snapshots)} {_short(snapshots)}"
            )
        missing = [epoch for epoch in snapshots.epochs if epoch not in snapshots.predictions]
        if snapshots.n_epochs is None or missing:
            raise ValueError(
                "snapshots must hold a prediction for each of its epochs: pass it to "
                "train(..., snapshots=snapshots) first"
                + (f" (missing: epochs {missing[:5]})" if snapshots.n_epochs is not None else "")
            )
        if snapshots.grid.shape[1] != 1:
            raise ValueError(
                f"snapshots.grid must have one column (the curve's inputs), got shape "
                f"{tuple(snapshots.grid.shape)}"
            )
        rows = snapshots.grid.shape[0]
        curves = []
        for epoch in snapshots.epochs:
            output = snapshots.predictions[epoch]
            if output.numel() != rows or not bool(torch.isfinite(output).all()):
                raise ValueError(
                    f"snapshots must hold one finite output per grid point; epoch {epoch} has "
                    f"shape {tuple(output.shape)}"
                )
            curves.append([float(value) for value in output.double().reshape(-1)])
        if isinstance(losses, (str, bytes)) or not isinstance(losses, Sequence):
            raise TypeError(
                f"losses must be a sequence of floats, got {_kind(losses)} {_short(losses)}"
            )
        if len(losses) != snapshots.n_epochs:
            raise ValueError(
                f"losses must hold the {snapshots.n_epochs} losses of the run that recorded "
                f"snapshots, got {len(losses)}"
            )
        values = [check_real(f"losses[{i}]", value) for i, value in enumerate(losses)]
        if min(values) <= 0:
            raise ValueError("losses must be > 0 (they are drawn on a logarithmic axis)")
        x = _column("inputs", inputs)
        y = _column("targets", targets)
        if len(x) != len(y):
            raise ValueError(
                f"inputs and targets must have the same number of rows, got {len(x)} and "
                f"{len(y)}"
            )
        self._epochs = list(snapshots.epochs)
        self._n_epochs = snapshots.n_epochs
        grid = [float(value) for value in snapshots.grid.double().reshape(-1)]
        order = sorted(range(rows), key=grid.__getitem__)  # the curve is drawn left to right
        self._grid = [grid[i] for i in order]
        self._curves = [[curve[i] for i in order] for curve in curves]
        self._losses = values
        self._x, self._y = x, y

    def data(self) -> dict[str, Any]:
        """Return the data, the recorded curves and losses, the loss line and the axes."""
        curves = [[round(value, _CURVE_DIGITS) for value in curve] for curve in self._curves]
        low = min(min(self._y), *(min(curve) for curve in curves))
        high = max(max(self._y), *(max(curve) for curve in curves))
        margin = 0.08 * (high - low or 1.0)
        line_epochs, line_losses = _thin_loss_line(self._losses)
        loss_low, loss_high = min(self._losses), max(self._losses)
        x_low, x_high = min(*self._x, self._grid[0]), max(*self._x, self._grid[-1])
        if x_high - x_low < 1e-9:  # one input only: give the axis some width
            x_low, x_high = x_low - 1.0, x_high + 1.0
        return {
            "x": [round(value, 4) for value in self._x],
            "y": [round(value, 4) for value in self._y],
            "grid": [round(value, 4) for value in self._grid],
            "xRange": [x_low, x_high],
            "yRange": [low - margin, high + margin],
            "epochs": self._epochs,
            # exact: the readout must print what the page prints
            "losses": [self._losses[epoch - 1] for epoch in self._epochs],
            "curves": curves,
            "nEpochs": self._n_epochs,
            "lineEpochs": line_epochs,
            "lineLosses": line_losses,
            "lossRange": [loss_low / 1.25, loss_high * 1.25],
            "lossTicks": _log_ticks(loss_low / 1.25, loss_high * 1.25),
            "epochTicks": [10**k for k in range(len(str(self._n_epochs)))],
            "digits": LOSS_DIGITS,
        }

    def strings(self) -> dict[str, str]:
        """Return the axis labels and the templates of the readout and the announcement."""
        keep = {name: "{" + name + "}" for name in ("epoch", "total", "loss")}
        keys = (
            "replay_readout", "replay_announce", "replay_epoch_axis", "inputs_axis",
            "targets_axis", "targets_legend", "prediction_legend", "mse_axis",
        )  # fmt: skip
        return {key: self.text(key, **keep) for key in keys}

    def body(self, uid: str) -> str:
        """Return the slider, the readout, the note and the two (empty) panels."""
        text = self.text
        note = text("replay_note", count=len(self._epochs), total=self._n_epochs)

        def esc(value: str) -> str:
            return html.escape(value, quote=True)

        panels = "".join(
            f'<figure class="gdx-tr-panel"><figcaption id="{uid}-{name}-title">'
            f"{esc(text(title))}</figcaption>"
            f'<svg id="{uid}-{name}" viewBox="0 0 320 230" role="img" '
            f'aria-labelledby="{uid}-{name}-title"></svg></figure>'
            for name, title in (("fit", "replay_fit_title"), ("loss", "replay_loss_title"))
        )
        return (
            "<style>"
            ".gdguide-explorer-training_replay .gdx-tr-panels{display:grid;gap:0.5em 1em;"
            "grid-template-columns:repeat(auto-fit,minmax(min(100%,16rem),1fr))}"
            ".gdguide-explorer-training_replay figure{margin:0;min-width:0}"
            ".gdguide-explorer-training_replay figcaption{font-weight:600;font-size:0.95em}"
            ".gdguide-explorer-training_replay .gdx-tr-note{margin:0 0 0.5em;font-size:0.9em}"
            ".gdguide-explorer-training_replay .gdx-tr-fit{stroke:#d62728}"
            ".gdguide-explorer-training_replay .gdx-tr-line{stroke:"
            "var(--color-brand-content,#1f5fa8)}"
            "</style>"
            '<div class="gdx-controls">'
            f'<label for="{uid}-slider">{esc(text("replay_slider"))}</label>'
            f'<input type="range" id="{uid}-slider" min="0" max="{len(self._epochs) - 1}" '
            f'step="1" value="0" data-gdx-primary aria-describedby="{uid}-note">'
            f'<output class="gdx-readout" id="{uid}-readout" for="{uid}-slider"></output>'
            "</div>"
            f'<p class="gdx-tr-note" id="{uid}-note">{esc(note)}</p>'
            f'<div class="gdx-tr-panels">{panels}</div>'
        )
