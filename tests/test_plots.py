from __future__ import annotations

import dataclasses
import io
import unicodedata
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.contour import QuadContourSet  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.quiver import Quiver  # noqa: E402
from torch import nn  # noqa: E402

from gdguide import figure_variants, graph, i18n, plots  # noqa: E402
from gdguide.descent import (  # noqa: E402
    Trajectory,
    gradient_descent,
    quadratic_bowl,
    quadratic_bowl_gradient,
)
from gdguide.functions import h, h_gradient  # noqa: E402
from gdguide.i18n import figure_language, text  # noqa: E402
from gdguide.languages import CODES, LANGUAGES  # noqa: E402
from gdguide.plots import (  # noqa: E402
    plot_data,
    plot_descent_trajectories,
    plot_gradient_field,
    plot_training_result,
)

LANGS = CODES
JAPANESE = LANGUAGES["ja"]
JAPANESE_FONT = JAPANESE.font.family


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _strict(make):
    """Create a figure and save it to PNG with every warning an error; return (fig, rgba)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = make()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=50)
    buffer.seek(0)
    return fig, mpimg.imread(buffer, format="png")


def _texts(fig):
    return {text.get_text() for text in fig.findobj(matplotlib.text.Text) if text.get_text()}


def _assert_opaque_white(fig, rgba):
    assert fig.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
    assert rgba.shape[2] in (3, 4)
    if rgba.shape[2] == 4:
        np.testing.assert_allclose(rgba[..., 3], 1.0)
    np.testing.assert_allclose(rgba[0, 0, :3], 1.0)  # the corner is background


def _has_japanese(text):
    return any(unicodedata.east_asian_width(char) in ("W", "F") for char in text)


def _bowl_runs():
    start = [2.5, 1.0]
    runs = [
        gradient_descent(quadratic_bowl, quadratic_bowl_gradient, start, lr, 25)
        for lr in (0.05, 0.1)
    ]
    runs.append(gradient_descent(quadratic_bowl, quadratic_bowl_gradient, start, 0.5, 400))
    assert runs[-1].diverged_at is not None
    return runs


# --- i18n ------------------------------------------------------------------------------------


def test_japanese_labels_are_japanese():
    assert text("ja", "gradient_field_title") == "勾配ベクトルは最も急な上り方向を指す"
    assert text("ja", "inputs_axis") == "x（入力）"
    assert text("ja", "targets_axis") == "y（目標値）"
    assert text("ja", "epoch_axis") == "エポック"
    assert text("ja", "mse_axis") == "損失 (MSE)"
    assert text("ja", "diverged_legend", {"lr": 0.5, "step": 7}) == "η = 0.5（ステップ7で発散）"
    assert text("en", "gradient_field_title") == "gradient vectors point towards steepest ascent"


def _figure_keys():
    """The catalog keys the figure modules name (the strings that end up in figures)."""
    files = [Path(plots.__file__), *sorted(Path(graph.__file__).parent.glob("*.py"))]
    sources = "".join(path.read_text(encoding="utf-8") for path in files)
    keys = {key for key in JAPANESE.catalog if f'"{key}"' in sources or f"'{key}'" in sources}
    return keys | {f"verdict_{verdict}" for verdict in plots.DESCENT_VERDICTS}


class _Fill(dict):
    """Fills every placeholder of a label template with "3"."""

    def __missing__(self, key):
        return "3"


def test_every_japanese_label_renders_without_missing_glyphs():
    def make():
        with figure_language("ja"):
            fig = plt.figure(figsize=(8, 12))
            labels = [JAPANESE.catalog[key] for key in sorted(_figure_keys())]
            for i, label in enumerate(labels):
                fig.text(0.02, 1 - (i + 1) / (len(labels) + 1), label.format_map(_Fill()))
        return fig

    fig, rgba = _strict(make)
    _assert_opaque_white(fig, rgba)


def test_figure_language_sets_font_and_restores_rc_params():
    before = dict(matplotlib.rcParams)
    with figure_language("ja"):
        assert matplotlib.rcParams["font.family"][0] == JAPANESE_FONT
        assert matplotlib.rcParams["savefig.facecolor"] == "white"
        assert matplotlib.rcParams["savefig.transparent"] is False
        fig, ax = plt.subplots()
        title = ax.set_title("学習率")
    assert title.get_fontfamily()[0] == JAPANESE_FONT  # kept after the block
    assert dict(matplotlib.rcParams) == before
    path = font_manager.findfont(font_manager.FontProperties(family=JAPANESE_FONT))
    assert path.endswith("ipaexg.ttf")
    with figure_language("en"):
        assert matplotlib.rcParams["figure.facecolor"] == "white"
        assert matplotlib.rcParams["font.family"] == before["font.family"]


def test_japanese_font_is_registered_once():
    with figure_language("ja"):
        pass
    with figure_language("ja"):
        pass
    names = [entry.name for entry in font_manager.fontManager.ttflist]
    assert names.count(JAPANESE_FONT) == 1


def test_figure_language_checks_lang_when_called():
    with pytest.raises(ValueError, match="lang"):
        figure_language("fr")
    with pytest.raises(TypeError, match="lang"):
        figure_language(1)


def test_missing_font_package_is_reported():
    with pytest.raises(ModuleNotFoundError, match="no_such_fontja_package"):
        i18n._font_file(dataclasses.replace(JAPANESE.font, package="no_such_fontja_package"))
    with pytest.raises(FileNotFoundError, match="ipaexg.ttf"):
        i18n._font_file(dataclasses.replace(JAPANESE.font, package="json"))  # without the font


# --- plot_gradient_field ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_gradient_field_labels_and_background(lang):
    fig, rgba = _strict(lambda: plot_gradient_field(lang=lang))
    assert isinstance(fig, Figure)
    ax, colorbar_ax = fig.axes
    assert ax.get_title() == text(lang, "gradient_field_title")
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "y"
    assert colorbar_ax.get_ylabel() == "z = h(x, y)"
    assert ax.get_xlim() == pytest.approx((-3.0, 3.0))
    assert ax.get_ylim() == pytest.approx((-3.0, 3.0))
    if lang == "ja":
        assert "勾配ベクトルは最も急な上り方向を指す" in _texts(fig)
        assert ax.title.get_fontfamily()[0] == JAPANESE_FONT
    _assert_opaque_white(fig, rgba)


def test_gradient_field_arrows_are_the_gradient_of_h():
    fig = plot_gradient_field()
    ax = fig.axes[0]
    (quiver,) = [c for c in ax.collections if isinstance(c, Quiver)]
    axis = np.linspace(-2.5, 2.5, 11)
    grid_x, grid_y = np.meshgrid(axis, axis)
    dz_dx, dz_dy = h_gradient(grid_x, grid_y)
    assert quiver.N == 121
    np.testing.assert_allclose(quiver.X, grid_x.ravel(), atol=1e-12)
    np.testing.assert_allclose(quiver.Y, grid_y.ravel(), atol=1e-12)
    np.testing.assert_allclose(quiver.U, dz_dx.ravel(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(quiver.V, dz_dy.ravel(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(quiver.get_facecolor()[0], [1.0, 0.0, 0.0, 1.0])
    (contours,) = [c for c in ax.collections if isinstance(c, QuadContourSet)]
    assert len(contours.levels) == 21  # 20 filled bands
    assert contours.levels[0] >= -1.0 - 1e-9 and contours.levels[-1] <= 1.0 + 1e-9


def test_gradient_field_custom_grid():
    fig = plot_gradient_field(extent=2.0, levels=8, arrow_grid=5, arrow_extent=2.0)
    (quiver,) = [c for c in fig.axes[0].collections if isinstance(c, Quiver)]
    assert quiver.N == 25
    np.testing.assert_allclose(np.unique(quiver.X), np.linspace(-2, 2, 5))
    (contours,) = [c for c in fig.axes[0].collections if isinstance(c, QuadContourSet)]
    axis = np.linspace(-2.0, 2.0, 301)
    grid_x, grid_y = np.meshgrid(axis, axis)
    assert contours.levels[0] <= float(np.min(h(grid_x, grid_y))) + 1e-9


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lang": "fr"}, ValueError, "lang"),
        ({"extent": -1.0}, ValueError, "extent"),
        ({"extent": "3"}, TypeError, "extent"),
        ({"levels": 1}, ValueError, "levels"),
        ({"levels": 2.5}, TypeError, "levels"),
        ({"arrow_grid": 1}, ValueError, "arrow_grid"),
        ({"arrow_extent": 0.0}, ValueError, "arrow_extent"),
        ({"arrow_extent": 3.5}, ValueError, "arrow_extent"),
    ],
)
def test_gradient_field_bad_inputs(kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_gradient_field(**kwargs)


# --- plot_descent_trajectories ---------------------------------------------------------------

_LESSON_RATES = (0.05, 0.15, 0.19, 0.21)
_LESSON_VERDICTS = ("too_small", "good", "oscillating", "diverging")


def _lesson_runs():
    """The four runs of lesson 1.2: one start, 30 steps, the last rate beyond 2 / 10."""
    return [
        gradient_descent(quadratic_bowl, quadratic_bowl_gradient, [-2.5, 1.0], lr, 30)
        for lr in _LESSON_RATES
    ]


def _lesson_figure(lang="en", **kwargs):
    kwargs = {"verdicts": _LESSON_VERDICTS, "minimum": (0.0, 0.0), "lang": lang} | kwargs
    return plot_descent_trajectories(quadratic_bowl, _lesson_runs(), **kwargs)


def _path_lines(ax):
    return [line for line in ax.get_lines() if len(line.get_xdata()) > 1]


def _markers(ax, marker):
    return [line for line in ax.get_lines() if line.get_marker() == marker]


@pytest.mark.parametrize("lang", LANGS)
def test_descent_trajectories_one_titled_panel_per_learning_rate(lang):
    fig, rgba = _strict(lambda: _lesson_figure(lang))
    assert len(fig.axes) == 4
    titles = [ax.get_title() for ax in fig.axes]
    words = {"en": ["too small", "good", "oscillating", "diverging"],
             "ja": ["小さすぎる", "ちょうどよい", "振動する", "発散する"]}[lang]
    colon = {"en": ": ", "ja": "："}[lang]
    assert titles == [f"η = {lr:g}{colon}{word}" for lr, word in zip(_LESSON_RATES, words,
                                                                     strict=True)]
    assert fig.get_suptitle() == text(lang, "descent_title")
    top_left, top_right, bottom_left, bottom_right = fig.axes
    for ax in (bottom_left, bottom_right):
        assert ax.get_xlabel() == "w₁"
    for ax in (top_left, bottom_left):
        assert ax.get_ylabel() == "w₂"
    assert top_left.get_xlabel() == "" and top_right.get_ylabel() == ""  # shared, said once
    (legend,) = fig.legends
    entries = [entry.get_text() for entry in legend.get_texts()]
    assert entries == [text(lang, "path_legend"), text(lang, "start_point"),
                       text(lang, "minimum_point")]
    if lang == "ja":
        assert entries[1] == "出発点"
        assert all(_has_japanese(text) for text in [*titles, *entries, fig.get_suptitle()])
    _assert_opaque_white(fig, rgba)


def test_descent_trajectories_draw_each_run_in_its_own_clipped_panel():
    runs = _lesson_runs()
    fig = _lesson_figure()
    limits = {(ax.get_xlim(), ax.get_ylim()) for ax in fig.axes}
    assert len(limits) == 1  # every panel shows the same region
    ((x_low, x_high), (y_low, y_high)), = limits
    assert x_high - x_low == pytest.approx(y_high - y_low)  # square, drawn with equal aspect
    assert x_low < 0.0 < x_high and y_low < 0.0 < y_high  # the minimum is inside
    for ax, run in zip(fig.axes, runs, strict=True):
        (path,) = _path_lines(ax)
        np.testing.assert_allclose(path.get_xdata(), run.points[:, 0])
        np.testing.assert_allclose(path.get_ydata(), run.points[:, 1])
        assert path.get_clip_on()
        (star,) = _markers(ax, "*")
        assert (star.get_xdata()[0], star.get_ydata()[0]) == pytest.approx((0.0, 0.0))
        assert [c for c in ax.collections if isinstance(c, QuadContourSet)]
    for run in runs[:3]:  # the runs that converge stay inside the region
        assert np.all((x_low < run.points[:, 0]) & (run.points[:, 0] < x_high))
        assert np.all((y_low < run.points[:, 1]) & (run.points[:, 1] < y_high))
    # the diverging run leaves the region far behind, but does not widen it
    assert np.abs(runs[3].points[:, 1]).max() > 5 * y_high
    assert not any(_markers(ax, "x") for ax in fig.axes)  # no run overflowed


def test_descent_trajectories_mark_an_overflowing_run_and_keep_the_others_readable():
    runs = _bowl_runs()
    fig = plot_descent_trajectories(quadratic_bowl, runs)
    assert [ax.get_title() for ax in fig.axes[:2]] == ["η = 0.05", "η = 0.1"]
    step = runs[-1].diverged_at
    assert fig.axes[2].get_title() == f"η = 0.5 (diverged at step {step})"
    (cross,) = _markers(fig.axes[2], "x")
    np.testing.assert_allclose([cross.get_xdata()[0], cross.get_ydata()[0]], runs[-1].points[-1])
    assert not _markers(fig.axes[0], "*")  # no minimum given, none drawn
    (x_low, x_high), (y_low, y_high) = fig.axes[0].get_xlim(), fig.axes[0].get_ylim()
    assert x_high - x_low < 10 and y_high - y_low < 10
    for run in runs[:2]:
        assert np.all((x_low < run.points[:, 0]) & (run.points[:, 0] < x_high))
    ja = plot_descent_trajectories(
        quadratic_bowl, runs, lang="ja", verdicts=["too_small", "good", "diverging"]
    )
    assert ja.axes[2].get_title() == f"η = 0.5：発散する（ステップ{step}で発散）"


def test_descent_trajectories_grid_shapes():
    runs = _lesson_runs()
    one = plot_descent_trajectories(quadratic_bowl, runs[:1])
    assert len(one.axes) == 1 and one.axes[0].get_xlabel() == "w₁"
    three = plot_descent_trajectories(quadratic_bowl, runs[:3])
    assert len(three.axes) == 3
    assert [ax.get_xlabel() for ax in three.axes] == ["w₁"] * 3  # one row: all show the axis
    five = plot_descent_trajectories(quadratic_bowl, [*runs, runs[0]])
    assert len(five.axes) == 5  # 2 × 3 with the spare panel removed
    assert [ax.get_xlabel() for ax in five.axes] == ["", "", "w₁", "w₁", "w₁"]
    assert [ax.get_ylabel() for ax in five.axes] == ["w₂", "", "", "w₂", ""]


def test_descent_trajectories_are_deterministic():
    _, first = _strict(_lesson_figure)
    _, second = _strict(_lesson_figure)
    np.testing.assert_array_equal(first, second)


def _h_of_point(w):
    """h on points given as (..., 2) arrays."""
    w = np.asarray(w)
    return h(w[..., 0], w[..., 1])


def _h_one_point_only(w):
    if np.shape(w) != (2,):
        raise ValueError("one point at a time")
    return float(h(w[0], w[1]))


def _h_grad_of_point(w):
    return np.array(h_gradient(w[0], w[1]))


def test_descent_trajectories_point_by_point_fn_and_x_y_axes():
    runs = [gradient_descent(_h_of_point, _h_grad_of_point, [1.2, 0.4], 0.05, 15)]
    vectorised = plot_descent_trajectories(
        _h_of_point, runs, extent=2.0, axis_labels=("x_axis", "y_axis")
    )
    pointwise = plot_descent_trajectories(_h_one_point_only, runs, extent=2.0)
    for fig in (vectorised, pointwise):
        assert fig.axes[0].get_xlim() == pytest.approx((-2.0, 2.0))
    assert (vectorised.axes[0].get_xlabel(), vectorised.axes[0].get_ylabel()) == ("x", "y")
    first = [c for c in vectorised.axes[0].collections if isinstance(c, QuadContourSet)][0]
    second = [c for c in pointwise.axes[0].collections if isinstance(c, QuadContourSet)][0]
    np.testing.assert_allclose(first.levels, second.levels)


def test_descent_trajectories_box_extent_and_flat_function():
    runs = _bowl_runs()[:1]
    fig = plot_descent_trajectories(lambda w: 1.0, runs, extent=(-1, 3, -2, 2))
    (ax,) = fig.axes
    assert ax.get_xlim() == pytest.approx((-1.0, 3.0))
    assert ax.get_ylim() == pytest.approx((-2.0, 2.0))
    assert not [c for c in ax.collections if isinstance(c, QuadContourSet)]


def test_descent_trajectories_single_point_run():
    run = gradient_descent(quadratic_bowl, quadratic_bowl_gradient, [0.0, 0.0], 0.1, 0)
    fig = plot_descent_trajectories(quadratic_bowl, (run,), minimum=[0, 0])
    low, high = fig.axes[0].get_xlim()
    assert low < 0.0 < high


def _run(points, values=None):
    """A Trajectory whose fields are replaced after it was built, so they are not checked."""
    points = np.asarray(points, dtype=float)
    if values is None:
        values = np.ones(len(points))
    run = Trajectory([[0.0, 0.0]], [0.0], [0.0], 0.1)
    run.points, run.values = points, np.asarray(values, dtype=float)
    run.grad_norms = np.ones(len(points))
    return run


@pytest.mark.parametrize(
    ("fn", "trajectories", "kwargs", "error", "match"),
    [
        (3, "runs", {}, TypeError, "fn"),
        (quadratic_bowl, "abc", {}, TypeError, "trajectories"),
        (quadratic_bowl, "one", {}, TypeError, "trajectories"),
        (quadratic_bowl, [], {}, ValueError, "trajectories"),
        (quadratic_bowl, [3], {}, TypeError, r"trajectories\[0\]"),
        (quadratic_bowl, [_run([[0, 0, 0]])], {}, ValueError, r"trajectories\[0\].points"),
        (quadratic_bowl, [_run([[0, 0]], [1, 2])], {}, ValueError, r"trajectories\[0\].values"),
        (quadratic_bowl, [_run([[0, np.nan]])], {}, ValueError, r"trajectories\[0\]"),
        (quadratic_bowl, "runs", {"lang": "fr"}, ValueError, "lang"),
        (quadratic_bowl, "runs", {"extent": -2.0}, ValueError, "extent"),
        (quadratic_bowl, "runs", {"extent": (1, 2)}, ValueError, "extent"),
        (quadratic_bowl, "runs", {"extent": (1, 0, 0, 1)}, ValueError, "extent"),
        (quadratic_bowl, "runs", {"extent": "big"}, TypeError, "extent"),
        (quadratic_bowl, "runs", {"verdicts": "good"}, TypeError, "verdicts"),
        (quadratic_bowl, "runs", {"verdicts": ["good", "good"]}, ValueError, "verdicts"),
        (quadratic_bowl, "runs", {"verdicts": ["fine"]}, ValueError, r"verdicts\[0\]"),
        (quadratic_bowl, "runs", {"minimum": (0, 0, 0)}, ValueError, "minimum"),
        (quadratic_bowl, "runs", {"minimum": "origin"}, TypeError, "minimum"),
        (quadratic_bowl, "runs", {"minimum": (0, np.inf)}, ValueError, "minimum"),
        (quadratic_bowl, "runs", {"axis_labels": "w1_axis"}, TypeError, "axis_labels"),
        (quadratic_bowl, "runs", {"axis_labels": ("w1_axis",)}, ValueError, "axis_labels"),
        (quadratic_bowl, "runs", {"axis_labels": ("w1", "w2")}, ValueError, "axis_labels"),
        (lambda w: None, "runs", {}, TypeError, r"fn must return a real number.*NoneType.*at \["),
        (lambda w: "low", "runs", {}, TypeError, r"fn must return a real number.*str"),
        (lambda w: w, "runs", {}, ValueError, r"fn must return a scalar.*shape \(2,\)"),
        (lambda w: torch.ones(2, requires_grad=True), "runs", {}, ValueError, "fn must return a"),
        (lambda w: np.nan, "runs", {}, ValueError, r"fn must return a finite number at \[2\.5"),
    ],
)
def test_descent_trajectories_bad_inputs(fn, trajectories, kwargs, error, match):
    if trajectories == "runs":
        trajectories = _bowl_runs()[:1]
    elif trajectories == "one":
        trajectories = _bowl_runs()[0]
    with pytest.raises(error, match=match):
        plot_descent_trajectories(fn, trajectories, **kwargs)


@pytest.mark.parametrize(("name", "limit"), [("levels", 1000), ("arrow_grid", 200)])
def test_gradient_field_refuses_huge_counts(name, limit):
    with pytest.raises(ValueError, match=rf"{name} must be <= {limit} \(a sane maximum"):
        plot_gradient_field(**{name: 10**12})


@pytest.mark.parametrize("bad", [torch.tensor([[True], [False]]), torch.tensor([[1 + 5j], [1.0]])])
def test_data_plots_refuse_bool_and_complex_tensors(bad):
    with pytest.raises(TypeError, match="inputs must hold real numbers"):
        plot_data(bad, torch.zeros(2, 1))
    with pytest.raises(TypeError, match="targets must hold real numbers"):
        plot_training_result(nn.Linear(1, 1), torch.zeros(2, 1), bad, [0.5])


# --- plot_data -------------------------------------------------------------------------------


def _sine_data(n=16):
    inputs = torch.linspace(-1.0, 1.0, n).reshape(n, 1)
    generator = torch.Generator().manual_seed(2021)
    targets = torch.sin(torch.pi * inputs) + torch.randn(n, 1, generator=generator) / 4
    return inputs, targets


@pytest.mark.parametrize("lang", LANGS)
def test_plot_data_scatter(lang):
    inputs, targets = _sine_data()
    fig, rgba = _strict(lambda: plot_data(inputs, targets, lang=lang))
    (ax,) = fig.axes
    assert ax.get_xlabel() == text(lang, "inputs_axis")
    assert ax.get_ylabel() == text(lang, "targets_axis")
    assert ax.get_title() == text(lang, "data_title")
    if lang == "ja":
        assert {"x（入力）", "y（目標値）"} <= _texts(fig)
    (dots,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    np.testing.assert_allclose(dots.get_offsets(), torch.cat([inputs, targets], 1).numpy())
    np.testing.assert_allclose(dots.get_facecolor()[0], matplotlib.colors.to_rgba("c"))
    _assert_opaque_white(fig, rgba)


def test_plot_data_accepts_arrays_and_lists():
    fig = plot_data(np.array([0.0, 1.0, 2.0]), [[1.0], [0.0], [1.0]])
    (dots,) = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    np.testing.assert_allclose(dots.get_offsets(), [[0, 1], [1, 0], [2, 1]])


@pytest.mark.parametrize(
    ("inputs", "targets", "kwargs", "error", "match"),
    [
        ([0.0, 1.0], [0.0], {}, ValueError, "targets"),
        ([], [], {}, ValueError, "inputs"),
        (np.zeros((3, 2)), np.zeros(3), {}, ValueError, "inputs"),
        ([0.0, np.inf], [0.0, 1.0], {}, ValueError, "inputs"),
        ("abc", [0.0], {}, TypeError, "inputs"),
        (torch.zeros(2, 1), torch.tensor([[0.0], [float("nan")]]), {}, ValueError, "targets"),
        (torch.zeros(2, dtype=torch.complex64), [0.0, 1.0], {}, TypeError, "inputs"),
        ([0.0, 1.0], [0.0, 1.0], {"lang": "fr"}, ValueError, "lang"),
    ],
)
def test_plot_data_bad_inputs(inputs, targets, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_data(inputs, targets, **kwargs)


# --- plot_training_result --------------------------------------------------------------------


def _small_model():
    torch.manual_seed(2021)
    return nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))


@pytest.mark.parametrize("lang", LANGS)
def test_training_result_panels(lang):
    inputs, targets = _sine_data()
    model = _small_model()
    losses = [0.9, 0.5, 0.3, 0.25]
    fig, rgba = _strict(lambda: plot_training_result(model, inputs, targets, losses, lang=lang))
    fit, history = fig.axes
    assert fit.get_title() == text(lang, "fit_title")
    assert fit.get_xlabel() == text(lang, "inputs_axis")
    assert history.get_xlabel() == text(lang, "epoch_axis")
    assert history.get_ylabel() == text(lang, "mse_axis")
    assert history.get_title() == text(lang, "loss_title")
    assert history.get_yscale() == "log"
    legend_texts = [text.get_text() for text in fit.get_legend().get_texts()]
    assert legend_texts == [text(lang, "targets_legend"), text(lang, "prediction_legend")]
    if lang == "ja":
        assert {"エポック", "損失 (MSE)", "x（入力）"} <= _texts(fig)
    assert history.child_axes == []  # four epochs: nothing to zoom on
    loss_line, final_line = history.get_lines()
    np.testing.assert_allclose(loss_line.get_xdata(), [1, 2, 3, 4])
    np.testing.assert_allclose(loss_line.get_ydata(), losses)
    np.testing.assert_allclose(final_line.get_ydata(), [0.25, 0.25])
    assert "0.25" in [text.get_text() for text in history.get_yticklabels()]
    _assert_opaque_white(fig, rgba)


def test_training_result_curve_is_the_model_prediction():
    inputs, targets = _sine_data()
    model = _small_model()
    model.eval()
    fig = plot_training_result(model, inputs, targets, [0.5])
    (curve,) = fig.axes[0].get_lines()
    x = torch.linspace(-1.0, 1.0, 200).reshape(-1, 1)
    with torch.no_grad():
        expected = model(x).reshape(-1).numpy()
    np.testing.assert_allclose(curve.get_xdata(), x.reshape(-1).numpy(), atol=1e-6)
    np.testing.assert_allclose(curve.get_ydata(), expected, rtol=1e-5, atol=1e-6)
    assert all(parameter.grad is None for parameter in model.parameters())
    assert model.training is False  # the mode is left alone


def test_training_result_without_parameters_and_non_positive_losses():
    inputs = torch.tensor([[0], [1], [2]])
    targets = torch.tensor([[0.0], [1.0], [2.0]])
    fig = plot_training_result(nn.Identity(), inputs, targets, np.array([1.0, 0.0]))
    fit, history = fig.axes
    assert history.get_yscale() == "linear"
    ticks = _tick_labels(history)
    assert ticks[0.0] == "0"  # the final loss, 0.0, has its tick; none crowds it
    low, high = history.get_ylim()
    assert all(tick == 0.0 or abs(tick) >= 0.06 * (high - low) for tick in ticks)
    (curve,) = fit.get_lines()
    np.testing.assert_allclose(curve.get_ydata(), np.linspace(0, 2, 200), atol=1e-6)


def _plateau_losses(n=400):
    """A loss curve like the lesson's: early ups and downs, then a fall to a plateau."""
    epochs = np.arange(n)
    return list(0.07 + 0.5 * np.exp(-epochs / 60) * (1 + 0.2 * np.sin(epochs)))


def _tick_labels(ax):
    return dict(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()), strict=True))


@pytest.mark.parametrize("lang", LANGS)
def test_training_result_marks_the_final_loss_with_a_tick_and_a_line(lang):
    inputs, targets = _sine_data()
    losses = _plateau_losses()
    final = losses[-1]
    fig, rgba = _strict(
        lambda: plot_training_result(_small_model(), inputs, targets, losses, lang=lang)
    )
    history = fig.axes[1]
    assert history.get_yscale() == "log"
    ticks = _tick_labels(history)
    low, high = history.get_ylim()
    assert all(low <= tick <= high for tick in ticks)
    (at_final,) = [tick for tick in ticks if abs(np.log10(tick / final)) < 0.01]
    assert ticks[at_final] == f"{final:.2g}"
    others = [tick for tick in ticks if tick != at_final]
    assert len(others) >= 2
    assert all(abs(np.log10(tick / final)) >= 0.12 for tick in others)  # none printed on top
    assert all(float(ticks[tick]) == pytest.approx(tick) for tick in others)
    assert not any(t.get_text() for t in history.get_yticklabels(minor=True))
    (_, line) = history.get_lines()
    np.testing.assert_allclose(line.get_ydata(), [final, final])
    note = text(lang, "final_loss_legend", {"loss": f"{final:.2g}"})
    assert note in _texts(fig)
    if lang == "ja":
        assert "最後のエポックの損失" in note
    _assert_opaque_white(fig, rgba)


@pytest.mark.parametrize("lang", LANGS)
def test_training_result_inset_zooms_on_the_first_epochs(lang):
    inputs, targets = _sine_data()
    losses = _plateau_losses()
    fig = plot_training_result(_small_model(), inputs, targets, losses, lang=lang)
    fit, history = fig.axes
    assert fit.child_axes == []
    (inset,) = history.child_axes
    assert inset.get_title() == text(lang, "zoom_title", {"n": 100})
    assert inset.get_yscale() == "linear"
    assert inset.get_xlim() == pytest.approx((1, 100))
    (line,) = inset.get_lines()
    np.testing.assert_allclose(line.get_xdata(), np.arange(1, 101))
    np.testing.assert_allclose(line.get_ydata(), losses[:100])
    # the ups and downs of the first epochs stay visible: the inset spans them
    inset_low, inset_high = inset.get_ylim()
    assert inset_low <= min(losses[:100]) and max(losses[:100]) <= inset_high
    assert inset_high - inset_low < 1.2 * (max(losses[:100]) - min(losses[:100]))


@pytest.mark.parametrize(("n_losses", "zoom_epochs"), [(4, 100), (100, 100), (400, None)])
def test_training_result_has_no_inset_without_epochs_to_zoom_on(n_losses, zoom_epochs):
    inputs, targets = _sine_data()
    losses = _plateau_losses(n_losses)
    fig = plot_training_result(_small_model(), inputs, targets, losses, zoom_epochs=zoom_epochs)
    assert fig.axes[1].child_axes == []


def test_training_result_inset_size_follows_zoom_epochs():
    inputs, targets = _sine_data()
    fig = plot_training_result(
        _small_model(), inputs, targets, _plateau_losses(), zoom_epochs=30, lang="ja"
    )
    (inset,) = fig.axes[1].child_axes
    assert inset.get_title() == "最初の30エポック"
    assert len(inset.get_lines()[0].get_xdata()) == 30


class _ListModel(nn.Module):
    def forward(self, x):
        return [x]


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"model": "model"}, TypeError, "model"),
        ({"model": nn.Linear(1, 2)}, ValueError, "model"),
        ({"model": _ListModel()}, ValueError, "model"),
        ({"inputs": [[0.0]]}, TypeError, "inputs"),
        ({"inputs": torch.zeros(16)}, ValueError, "inputs"),
        ({"inputs": torch.zeros(16, 2)}, ValueError, "inputs"),
        ({"targets": torch.zeros(15, 1)}, ValueError, "targets"),
        ({"targets": torch.full((16, 1), float("inf"))}, ValueError, "targets"),
        ({"losses": []}, ValueError, "losses"),
        ({"losses": [[0.1, 0.2]]}, ValueError, "losses"),
        ({"losses": [0.1, float("nan")]}, ValueError, "losses"),
        ({"losses": torch.tensor([0.1])}, TypeError, "losses"),
        ({"losses": ["a"]}, TypeError, "losses"),
        ({"zoom_epochs": 1}, ValueError, "zoom_epochs"),
        ({"zoom_epochs": 2.5}, TypeError, "zoom_epochs"),
        ({"zoom_epochs": True}, TypeError, "zoom_epochs"),
        ({"lang": "fr"}, ValueError, "lang"),
    ],
)
def test_training_result_bad_inputs(change, error, match):
    inputs, targets = _sine_data()
    arguments = {"model": _small_model(), "inputs": inputs, "targets": targets, "losses": [0.5]}
    arguments |= change
    lang = arguments.pop("lang", "en")
    zoom_epochs = arguments.pop("zoom_epochs", 100)
    with pytest.raises(error, match=match):
        plot_training_result(
            arguments["model"],
            arguments["inputs"],
            arguments["targets"],
            arguments["losses"],
            zoom_epochs=zoom_epochs,
            lang=lang,
        )


# --- phone layouts ---------------------------------------------------------------------------

#: CSS px of the content column on a 1280 px screen (furo's 46rem): wide figures are shown at
#: their own width up to this.
DESKTOP_COLUMN_PX = 736


def _lesson_figures(lang):
    """Each figure function called as its lesson calls it (the loss curve with an inset)."""
    inputs, targets = _sine_data(32)
    return {
        "gradient_field": lambda: plot_gradient_field(lang=lang),
        "descent_trajectories": lambda: _lesson_figure(lang),
        "data": lambda: plot_data(inputs, targets, lang=lang),
        "training_result": lambda: plot_training_result(
            _small_model(), inputs, targets, _plateau_losses(), lang=lang
        ),
    }


FIGURE_NAMES = list(_lesson_figures("en"))


def _phone_pair(name, lang):
    wide = _lesson_figures(lang)[name]()
    phone = figure_variants.phone_variant(wide)
    assert phone is not None, f"{name}: no phone layout attached"
    return wide, phone


def _panels(fig):
    """The grid axes of *fig* (not the colour bars, not the insets)."""
    return [ax for ax in fig.axes if ax.get_subplotspec() is not None]


def _drawn_data(fig):
    """What the panels plot, in order: line vertices, scatter points, arrows, contour levels."""
    data = []
    for ax in _panels(fig):
        for axes in (ax, *ax.child_axes):
            data += [line.get_xydata() for line in axes.get_lines()]
            for collection in axes.collections:
                if isinstance(collection, Quiver):
                    data += [collection.X, collection.Y, collection.U, collection.V]
                elif isinstance(collection, QuadContourSet):
                    data.append(np.asarray(collection.levels))
                elif isinstance(collection, PathCollection):
                    data.append(collection.get_offsets())
    return data


def _shown_text_px(fig, shown_width):
    """The smallest text of *fig* in CSS px when its 1x image is shown *shown_width* px wide."""
    _, points = figure_variants.smallest_text(fig)
    width_px = fig.get_size_inches()[0] * fig.dpi
    return points * fig.dpi / 72 * min(width_px, shown_width) / width_px


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_phone_layout_is_narrower_with_one_column_of_the_same_panels(name, lang):
    wide, phone = _phone_pair(name, lang)
    assert phone is not wide
    assert phone.get_size_inches()[0] < wide.get_size_inches()[0]
    assert phone.get_size_inches()[0] * phone.dpi <= figure_variants.PHONE_COLUMN_PX
    panels = _panels(phone)
    assert len(panels) == len(_panels(wide))
    assert {ax.get_subplotspec().get_gridspec().ncols for ax in panels} == {1}
    # the same titles, a long one broken into two lines
    assert [ax.get_title().replace("\n", " ") for ax in panels] == [
        ax.get_title() for ax in _panels(wide)
    ]
    assert figure_variants.phone_variant(phone) is None  # a notebook shows the wide one


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_phone_layout_draws_the_same_data(name):
    wide, phone = _phone_pair(name, "en")
    drawn, again = _drawn_data(wide), _drawn_data(phone)
    assert drawn and len(drawn) == len(again)
    for a, b in zip(drawn, again, strict=True):
        np.testing.assert_allclose(np.asarray(b, dtype=float), np.asarray(a, dtype=float))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_figure_text_is_legible_on_a_390px_phone_and_a_desktop(name, lang):
    wide, phone = _phone_pair(name, lang)
    legible = figure_variants.LEGIBLE_TEXT_PX
    assert _shown_text_px(phone, figure_variants.PHONE_COLUMN_PX) >= legible
    assert _shown_text_px(wide, DESKTOP_COLUMN_PX) >= legible
    # the phone layout uses the same font sizes or larger
    assert figure_variants.smallest_text(phone)[1] >= figure_variants.smallest_text(wide)[1]


def _within(box, points):
    x0, y0, x1, y1 = box.extents
    return (x0 <= points[:, 0]) & (points[:, 0] <= x1) & (y0 <= points[:, 1]) & (points[:, 1] <= y1)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_phone_layout_keeps_text_inside_and_legends_off_the_data(name, lang):
    _, phone = _phone_pair(name, lang)
    phone.draw_without_rendering()
    renderer = phone.canvas.get_renderer()
    box = phone.get_tightbbox(renderer)  # inches; everything drawn, text included
    width, height = phone.get_size_inches()
    assert box.x0 >= -0.01 and box.y0 >= -0.01, (name, box)
    assert box.x1 <= width + 0.01 and box.y1 <= height + 0.01, (name, box)
    legends = [*phone.legends, *(ax.get_legend() for ax in phone.axes if ax.get_legend())]
    for legend in legends:
        frame = legend.get_window_extent(renderer)
        for ax in _panels(phone):
            points = [line.get_xydata() for line in ax.get_lines() if line.get_xydata().size]
            points += [c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)]
            for xy in points:
                shown = ax.transData.transform(np.asarray(xy, dtype=float))
                # a point outside its panel is clipped away: nothing there to cover
                covered = _within(frame, shown) & _within(ax.bbox, shown)
                assert not covered.any(), f"{name}: the legend covers {covered.sum()} points"


def test_smallest_text_counts_only_the_text_that_is_drawn():
    with figure_language("en"):
        fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_xticks([])
    ax.set_yticks([])
    assert figure_variants.smallest_text(fig) is None  # nothing but an empty frame
    ax.set_title("title", fontsize=14)
    ax.text(0.5, 0.5, "   ", fontsize=4)  # blank
    ax.text(0.5, 0.5, "hidden", fontsize=5, visible=False)
    ax.annotate("note", (0.2, 0.2), fontsize=9)
    assert figure_variants.smallest_text(fig) == ("note", 9.0)
    ax.set_xticks([0.0, 1.0], ["0", "1"], fontsize=7)
    assert figure_variants.smallest_text(fig) == ("0", 7.0)
    with pytest.raises(TypeError, match="figure"):
        figure_variants.smallest_text(ax)
