"""The learning-rate explorer of §1.2: a slider over η on the elongated bowl.

The reader moves a slider through a grid of learning rates; for each one the explorer draws the
gradient-descent path on the contours of :func:`gdguide.descent.quadratic_bowl`, the value per
step (log scale), the factors ``1 − η·λᵢ`` by which each coordinate is multiplied per step and
a verdict. The stable limit ``2/λ_max`` (:data:`gdguide.descent.BOWL_MAX_LR`) is marked on the
slider's scale.

The browser runs the update itself (a two-line loop, the same floating-point operations as
:func:`gdguide.descent.gradient_descent` with
:func:`gdguide.descent.quadratic_bowl_gradient`, so the same doubles); the tests compare its
path with gdguide's. The verdicts come from :func:`bowl_verdict`, computed here and embedded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from gdguide._validate import as_float_array, check_int, check_positive
from gdguide.descent import BOWL_CURVATURES, BOWL_MAX_LR, MAX_STEPS
from gdguide.explorers._base import Explorer

__all__ = ["LEARNING_RATE_GRID", "LearningRateExplorer", "bowl_verdict"]

#: The slider's learning rates: 0.01 to 0.25 in steps of 0.01. They hold the lesson's four
#: rates (0.05, 0.15, 0.19, 0.21) and the stable limit 0.2 itself.
LEARNING_RATE_GRID = tuple(round(0.01 * k, 2) for k in range(1, 26))

#: A zigzag that keeps at least this share of its size per step counts as oscillating.
OSCILLATING_FACTOR = 0.75
#: A flat direction that keeps at least this share per step counts as too slow.
SLOW_FACTOR = 0.9

#: The contour levels drawn on the map (values of the bowl).
_LEVELS = (0.125, 0.5, 1.125, 2.0, 3.125, 4.5, 6.125, 8.0, 10.125, 12.5)

_X = ".gdguide-explorer-learning_rate "
# Paths in the page's brand colour and contours in its muted text colour (furo's variables,
# light and dark), verdict bands in four fixed hues at low opacity (they carry no text).
_STYLE = "".join(
    f"{_X}{rule}"
    for rule in (
        ".gdx-lr-slider,.gdx-lr-scale{max-width:28rem}",
        ".gdx-lr-limit{margin:0.25em 0;font-size:0.9em}",
        ".gdx-lr-panels{display:flex;flex-wrap:wrap;gap:0.5em}",
        ".gdx-lr-panels svg{flex:1 1 14rem;min-width:0}",
        ".gdx-lr-panels svg:first-child{flex:3 1 20rem}",
        ".gdx-lr-panels svg:last-child{max-width:16rem}",
        ".gdx-contour{fill:none;stroke:var(--color-foreground-muted,#646464);stroke-opacity:.55}",
        ".gdx-frame{fill:none;stroke:var(--color-foreground-muted,#646464)}",
        ".gdx-grid{stroke:var(--color-foreground-muted,#646464);stroke-opacity:.3}",
        ".gdx-path{fill:none;stroke:var(--color-brand-primary,#0a58ca);stroke-width:2}",
        ".gdx-dot{fill:var(--color-brand-primary,#0a58ca)}",
        ".gdx-start{fill:none;stroke:currentColor;stroke-width:2}",
        ".gdx-min{fill:currentColor}",
        ".gdx-limit{stroke:currentColor;stroke-width:2}",
        ".gdx-band-too_small{fill:#888;fill-opacity:.45}",
        ".gdx-band-good{fill:#2e9d4f;fill-opacity:.6}",
        ".gdx-band-oscillating{fill:#e69f00;fill-opacity:.7}",
        ".gdx-band-diverging{fill:#d62728;fill-opacity:.7}",
    )
)

_VERDICTS = ("too_small", "good", "oscillating", "diverging")


def bowl_verdict(lr: float, curvatures: Sequence[float] = BOWL_CURVATURES) -> str:
    """Return the verdict on a learning rate for a quadratic bowl with these curvatures.

    Each direction of curvature ``λ`` is multiplied by ``1 − lr·λ`` per step. The verdict is
    ``"diverging"`` when some factor is larger than 1 in size, ``"oscillating"`` when the
    steepest factor is ``−0.75`` or below (a zigzag that loses less than a quarter per step),
    ``"too_small"`` when the flattest factor is ``0.9`` or more (that direction keeps 90 % per
    step) and ``"good"`` otherwise.

    Parameters
    ----------
    lr : float
        The learning rate ``η > 0``.
    curvatures : sequence of float, default ``BOWL_CURVATURES``
        The curvatures ``λᵢ > 0`` (eigenvalues of the Hessian).

    Returns
    -------
    str
        One of ``"too_small"``, ``"good"``, ``"oscillating"``, ``"diverging"``.

    Raises
    ------
    TypeError
        If *lr* or a curvature is not a real number.
    ValueError
        If *lr* or a curvature is not finite and positive, or *curvatures* is empty.

    Examples
    --------
    >>> [bowl_verdict(lr) for lr in (0.05, 0.15, 0.19, 0.21)]
    ['too_small', 'good', 'oscillating', 'diverging']
    """
    lr = check_positive("lr", lr)
    values = as_float_array("curvatures", curvatures)
    if values.ndim != 1 or values.size == 0 or bool((values <= 0).any()):
        raise ValueError(f"curvatures must be a non-empty list of numbers > 0, got {curvatures!r}")
    steep, flat = 1.0 - lr * float(values.max()), 1.0 - lr * float(values.min())
    if max(abs(steep), abs(flat)) > 1.0:
        return "diverging"
    if steep <= -OSCILLATING_FACTOR:
        return "oscillating"
    if flat >= SLOW_FACTOR:
        return "too_small"
    return "good"


class LearningRateExplorer(Explorer):
    """A slider over the learning rate: descent paths on the bowl of §1.2.

    Parameters
    ----------
    lang : {"en", "ja"}, default "en"
        The language of labels and announcements.
    start : sequence of 2 floats, default ``(-2.5, 1.0)``
        The starting point ``w⁽⁰⁾`` of every run (the lesson's).
    n_steps : int, default 30
        The number of steps ``T`` of every run, 1 to 200.
    learning_rates : sequence of float, default ``LEARNING_RATE_GRID``
        The slider's grid of learning rates: 2 to 100 increasing numbers > 0.
    lr : float, default 0.15
        The learning rate shown first; one of *learning_rates*.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If *start* is not two finite numbers, *n_steps* is out of range, *learning_rates* is
        not an increasing grid of positive numbers or *lr* is not on it.

    Examples
    --------
    >>> explorer = LearningRateExplorer("ja")
    >>> explorer.data()["verdicts"][explorer.data()["learning_rates"].index(0.21)]
    'diverging'
    >>> explorer.html_size() < 60_000
    True
    """

    kind = "learning_rate"

    def __init__(
        self,
        lang: str = "en",
        *,
        start: Sequence[float] = (-2.5, 1.0),
        n_steps: int = 30,
        learning_rates: Sequence[float] = LEARNING_RATE_GRID,
        lr: float = 0.15,
    ) -> None:
        super().__init__(lang)
        point = as_float_array("start", start)
        if point.shape != (2,):
            raise ValueError(f"start must be two numbers (w1, w2), got shape {point.shape}")
        self.start = [float(point[0]), float(point[1])]
        self.n_steps = check_int("n_steps", n_steps, minimum=1, maximum=min(200, MAX_STEPS))
        grid = as_float_array("learning_rates", learning_rates)
        if grid.ndim != 1 or not 2 <= grid.size <= 100:
            raise ValueError(
                f"learning_rates must be a list of 2 to 100 numbers, got shape {grid.shape}"
            )
        if bool((grid <= 0).any()) or bool((grid[1:] <= grid[:-1]).any()):
            raise ValueError(f"learning_rates must increase and be > 0, got {grid.tolist()}")
        self.learning_rates = [float(value) for value in grid]
        lr = check_positive("lr", lr)
        if lr not in self.learning_rates:
            raise ValueError(f"lr must be one of learning_rates, got {lr!r}")
        self.lr = lr

    def data(self) -> dict[str, Any]:
        """Return the grid, its verdicts, the bowl's curvatures and the start."""
        return {
            "start": self.start,
            "n_steps": self.n_steps,
            "learning_rates": self.learning_rates,
            "verdicts": [bowl_verdict(lr) for lr in self.learning_rates],
            "initial": self.learning_rates.index(self.lr),
            "curvatures": list(BOWL_CURVATURES),
            "max_lr": BOWL_MAX_LR,
            # semi-axes (w1, w2) of the contour ellipses f = c: w_i = sqrt(2c / lambda_i)
            "contours": [
                [math.sqrt(2 * level / lam) for lam in BOWL_CURVATURES] for level in _LEVELS
            ],
            "levels": list(_LEVELS),
        }

    def strings(self) -> dict[str, str]:
        """Return the labels and sentence templates in the explorer's language."""
        keys = ("lrx_slider", "lrx_readout", "lrx_announce", "lrx_valuetext",
                "lrx_steps_axis", "lrx_value_axis", "lrx_diverged", "w1_axis", "w2_axis",
                "start_point", "minimum_point", "lrx_map_label")
        # the templates stay unfilled: the script fills in the numbers of each run
        strings = {key: self._language.catalog[key] for key in keys}
        strings["joiner"] = self._language.sentence_joiner
        for verdict in _VERDICTS:
            strings[f"verdict_{verdict}"] = self.text(f"verdict_{verdict}")
        return strings

    def body(self, uid: str) -> str:
        """Return the slider, its scale, the contour panel and the value-per-step panel."""
        slider = self.text("lrx_slider")
        last = len(self.learning_rates) - 1
        initial = self.learning_rates.index(self.lr)
        return (
            '<div class="gdx-controls">'
            f'<label for="{uid}-lr">{slider}</label>'
            f'<output id="{uid}-lrvalue" for="{uid}-lr" class="gdx-readout"></output>'
            "</div>"
            f'<div class="gdx-lr-slider"><input type="range" id="{uid}-lr" min="0" max="{last}" '
            f'step="1" value="{initial}" data-gdx-primary '
            f'aria-describedby="{uid}-scale-text">'
            f'<svg id="{uid}-scale" class="gdx-lr-scale" viewBox="0 0 400 36" '
            'aria-hidden="true" focusable="false"></svg></div>'
            f'<p id="{uid}-scale-text" class="gdx-lr-limit">'
            f"{self.text('lrx_limit', limit=f'{BOWL_MAX_LR:.2f}')}</p>"
            f'<p id="{uid}-readout" class="gdx-readout"></p>'
            '<div class="gdx-lr-panels">'
            f'<svg id="{uid}-map" viewBox="0 0 420 240" role="img" '
            f'aria-label="{self.text("lrx_map_label")}"></svg>'
            f'<svg id="{uid}-loss" viewBox="0 0 260 240" role="img" '
            f'aria-label="{self.text("lrx_value_axis")}"></svg>'
            "</div>"
            "<style>"
            f"{_STYLE}"
            "</style>"
        )

    def __repr__(self) -> str:
        return f"LearningRateExplorer(lang={self.lang!r}, lr={self.lr!r})"

