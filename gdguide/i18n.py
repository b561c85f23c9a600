"""Figure labels in English and Japanese, and the font set-up that lets Japanese labels render.

Every piece of text that a figure of :mod:`gdguide` shows comes from :data:`LABELS`, so that the
English and the Japanese site get the same figures in their own language. Some labels are
templates with ``{placeholders}`` (for example ``"lr_legend"``); the figure functions fill them
with :meth:`str.format`. Both languages have exactly the same keys and the same placeholders.

:func:`figure_language` is the context manager that every figure function enters while it creates
its figure: it registers the IPAexGothic font shipped by ``matplotlib-fontja`` for Japanese and
forces an opaque white background in both languages.
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib import font_manager

from gdguide._validate import _kind, _short, check_lang

__all__ = ["JAPANESE_FONT", "LABELS", "figure_language", "label"]

#: Name of the Japanese font family registered by :func:`figure_language`.
JAPANESE_FONT = "IPAexGothic"

#: Every visible figure label, by language then by key; both languages have the same keys.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        # §1.1 gradient field
        "gradient_field_title": "gradient vectors point towards steepest ascent",
        "x_axis": "x",
        "y_axis": "y",
        "h_colorbar": "z = h(x, y)",
        # §1.2 gradient descent
        "descent_title": "gradient-descent paths on the contours",
        "w1_axis": "w₁",
        "w2_axis": "w₂",
        "learning_rate": "learning rate",
        "lr_legend": "η = {lr}",
        "diverged_legend": "η = {lr} (diverged at step {step})",
        "lr_verdict_title": "η = {lr}: {verdict}",
        "diverged_verdict_title": "η = {lr}: {verdict} (diverged at step {step})",
        "verdict_too_small": "too small",
        "verdict_good": "good",
        "verdict_oscillating": "oscillating",
        "verdict_diverging": "diverging",
        "path_legend": "path (one dot per step)",
        "start_point": "start",
        "minimum_point": "minimum",
        # §1.3 / §2 computational graphs
        "node_value": "value",
        "node_grad": "grad",
        "chain_rule_graph_title": "computational graph of f(x, y, z) with gradients ∂f/∂node",
        "autograd_graph_title": "autograd graph recorded by PyTorch",
        # §3 data and training
        "data_title": "training data",
        "inputs_axis": "x (inputs)",
        "targets_axis": "y (targets)",
        "targets_legend": "targets",
        "prediction_legend": "model prediction",
        "fit_title": "model fit after training",
        "loss_title": "training loss per epoch",
        "epoch_axis": "epoch",
        "mse_axis": "loss (MSE)",
        "zoom_title": "the first {n} epochs",
        "final_loss_legend": "loss of the last epoch: {loss}",
    },
    "ja": {
        "gradient_field_title": "勾配ベクトルは最も急な上り方向を指す",
        "x_axis": "x",
        "y_axis": "y",
        "h_colorbar": "z = h(x, y)",
        "descent_title": "等高線上の勾配降下法の軌跡",
        "w1_axis": "w₁",
        "w2_axis": "w₂",
        "learning_rate": "学習率",
        "lr_legend": "η = {lr}",
        "diverged_legend": "η = {lr}（ステップ{step}で発散）",
        "lr_verdict_title": "η = {lr}：{verdict}",
        "diverged_verdict_title": "η = {lr}：{verdict}（ステップ{step}で発散）",
        "verdict_too_small": "小さすぎる",
        "verdict_good": "ちょうどよい",
        "verdict_oscillating": "振動する",
        "verdict_diverging": "発散する",
        "path_legend": "道のり（1 ステップごとに点）",
        "start_point": "出発点",
        "minimum_point": "最小点",
        "node_value": "値",
        "node_grad": "勾配",
        "chain_rule_graph_title": "f(x, y, z) の計算グラフと各ノードの勾配 ∂f/∂ノード",
        "autograd_graph_title": "PyTorch が記録した自動微分のグラフ",
        "data_title": "学習データ",
        "inputs_axis": "x（入力）",
        "targets_axis": "y（目標値）",
        "targets_legend": "目標値",
        "prediction_legend": "モデルの予測",
        "fit_title": "学習後のモデルの当てはまり",
        "loss_title": "エポックごとの学習損失",
        "epoch_axis": "エポック",
        "mse_axis": "損失 (MSE)",
        "zoom_title": "最初の{n}エポック",
        "final_loss_legend": "最後のエポックの損失：{loss}",
    },
}


def label(key: str, lang: str = "en") -> str:
    """Return the figure label *key* in language *lang*.

    Parameters
    ----------
    key : str
        A key of ``LABELS[lang]``, for example ``"gradient_field_title"``.
    lang : {"en", "ja"}
        The language of the label.

    Returns
    -------
    str
        The label text; templates keep their ``{placeholders}`` for :meth:`str.format`.

    Raises
    ------
    TypeError
        If *key* is not a ``str`` or *lang* is not a ``str``.
    ValueError
        If *lang* is not a site language or *key* is not a known label.

    Examples
    --------
    >>> label("epoch_axis", "ja")
    'エポック'
    >>> label("lr_legend").format(lr=0.1)
    'η = 0.1'
    """
    lang = check_lang(lang)
    if not isinstance(key, str):
        raise TypeError(f"key must be a str label key, got {_kind(key)} {_short(key)}")
    table = LABELS[lang]
    if key not in table:
        raise ValueError(
            f"key must be one of the label keys ({', '.join(sorted(table))}), got {key!r}"
        )
    return table[key]


def _font_file(package: str = "matplotlib_fontja") -> Path:
    """Return the path of the IPAexGothic TrueType file bundled with *package*.

    The package is located without importing it, because importing ``matplotlib_fontja``
    changes the global ``font.family`` as a side effect.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            f"Japanese figures need the {package!r} package (pip install matplotlib-fontja)"
        )
    path = Path(spec.origin).parent / "fonts" / "ipaexg.ttf"
    if not path.is_file():
        raise FileNotFoundError(f"the font file {path} of {package!r} is missing")
    return path


def _register_japanese_font() -> str:
    """Make IPAexGothic known to matplotlib's font manager (once) and return its family name."""
    manager = font_manager.fontManager
    if not any(entry.name == JAPANESE_FONT for entry in manager.ttflist):
        manager.addfont(_font_file())
    return JAPANESE_FONT


def _rc_settings(lang: str) -> dict[str, Any]:
    """Return the rcParams that :func:`figure_language` applies for *lang*."""
    settings: dict[str, Any] = {
        "figure.facecolor": "white",
        "figure.edgecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "savefig.edgecolor": "white",
        "savefig.transparent": False,
    }
    if lang == "ja":
        # DejaVu Sans stays as a fallback for the few symbols IPAexGothic lacks.
        settings["font.family"] = [_register_japanese_font(), "DejaVu Sans"]
    return settings


@contextlib.contextmanager
def _rc_context(settings: dict[str, Any]) -> Iterator[None]:
    with mpl.rc_context(settings):
        yield


def figure_language(lang: str) -> contextlib.AbstractContextManager[None]:
    """Set up matplotlib to create a figure labelled in *lang*.

    Inside the ``with`` block the figure and axes background is opaque white (also when the
    figure is saved inside the block) and, for ``"ja"``, the font family is IPAexGothic from
    ``matplotlib-fontja`` (registered with matplotlib's font manager on first use, without
    importing ``matplotlib_fontja`` and so without changing the global rcParams). Text objects
    keep the font they were created with, so a figure created inside the block can be saved
    after it. All rcParams are restored when the block ends.

    Parameters
    ----------
    lang : {"en", "ja"}
        The language of the figure's labels.

    Returns
    -------
    contextlib.AbstractContextManager
        A context manager to use in a ``with`` statement.

    Raises
    ------
    TypeError
        If *lang* is not a ``str``.
    ValueError
        If *lang* is not a site language (checked when this function is called).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with figure_language("ja"):
    ...     fig, ax = plt.subplots()
    ...     _ = ax.set_xlabel(label("epoch_axis", "ja"))
    >>> plt.close(fig)
    """
    lang = check_lang(lang)
    return _rc_context(_rc_settings(lang))
