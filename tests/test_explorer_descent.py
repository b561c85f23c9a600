"""The two descent explorers of §1.2 on the Python side (no browser).

What the browser shows is tested in tests/test_explorer_descent_browser.py; here: the embedded
data, the verdicts and basins gdguide computes, the size limit and the argument checks.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from gdguide.descent import BOWL_MAX_LR, gradient_descent
from gdguide.explorers import MAX_EXPLORER_BYTES, DescentBasinExplorer, LearningRateExplorer
from gdguide.explorers.descent_basin import SETTLED_GRADIENT, descent_end, trajectory_end
from gdguide.explorers.learning_rate import LEARNING_RATE_GRID, bowl_verdict
from gdguide.functions import h, h_gradient

LESSON_RATES = {0.05: "too_small", 0.15: "good", 0.19: "oscillating", 0.21: "diverging"}


def payload(page: str) -> dict:
    found = re.search(r'<script type="application/json" class="gdx-data">(.*?)</script>', page)
    assert found
    return json.loads(found.group(1))


# ---- learning rate ----


def test_the_grid_holds_the_lesson_rates_and_the_limit() -> None:
    for lr in (*LESSON_RATES, BOWL_MAX_LR):
        assert lr in LEARNING_RATE_GRID  # exactly: the slider steps onto these doubles
    assert LEARNING_RATE_GRID == tuple(sorted(LEARNING_RATE_GRID))


@pytest.mark.parametrize("lr, verdict", LESSON_RATES.items())
def test_verdicts_match_the_lesson(lr: float, verdict: str) -> None:
    assert bowl_verdict(lr) == verdict


def test_verdict_boundaries() -> None:
    assert bowl_verdict(BOWL_MAX_LR) == "oscillating"  # factor −1: bounces for ever
    assert bowl_verdict(BOWL_MAX_LR * 1.001) == "diverging"
    assert bowl_verdict(0.1) == "too_small" and bowl_verdict(0.11) == "good"
    assert bowl_verdict(0.17) == "good" and bowl_verdict(0.18) == "oscillating"
    assert bowl_verdict(2.5, [1.0]) == "diverging"  # the flat direction can diverge too


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_learning_rate_page_carries_data_strings_and_controls(lang: str) -> None:
    explorer = LearningRateExplorer(lang)
    page = explorer._repr_html_()
    data = payload(page)["data"]
    assert data["learning_rates"] == list(LEARNING_RATE_GRID)
    assert data["verdicts"] == [bowl_verdict(lr) for lr in LEARNING_RATE_GRID]
    assert data["learning_rates"][data["initial"]] == 0.15
    assert data["start"] == [-2.5, 1.0] and data["n_steps"] == 30
    assert data["max_lr"] == BOWL_MAX_LR
    assert 'type="range"' in page and "data-gdx-primary" in page and "<label for=" in page
    strings = payload(page)["strings"]
    assert "{lr}" in strings["lrx_readout"] and "{value}" in strings["lrx_readout"]
    assert explorer.html_size() < MAX_EXPLORER_BYTES


def test_learning_rate_strings_differ_by_language() -> None:
    en, ja = (payload(LearningRateExplorer(lang)._repr_html_())["strings"] for lang in ("en", "ja"))
    assert en.keys() == ja.keys()
    assert en["verdict_good"] == "good" and ja["verdict_good"] == "ちょうどよい"


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        ({"start": [1.0]}, ValueError, "start"),
        ({"start": "ab"}, TypeError, "start"),
        ({"n_steps": 0}, ValueError, "n_steps"),
        ({"n_steps": 2.5}, TypeError, "n_steps"),
        ({"learning_rates": [0.2, 0.1]}, ValueError, "learning_rates"),
        ({"learning_rates": [0.1]}, ValueError, "learning_rates"),
        ({"lr": 0.123}, ValueError, "lr"),
        ({"lr": -1.0}, ValueError, "lr"),
    ],
)
def test_learning_rate_arguments_are_checked(kwargs: dict, error: type, name: str) -> None:
    with pytest.raises(error, match=name):
        LearningRateExplorer("en", **kwargs)


# ---- where does descent go? ----


def h_run(start, lr=0.1, n_steps=50):
    """The lesson's run on h (gradient_descent on the wrapped h and h_gradient)."""
    return gradient_descent(h_of_w, h_gradient_of_w, start, lr, n_steps)


def h_of_w(w):
    return h(w[..., 0], w[..., 1])


def h_gradient_of_w(w):
    return np.stack(h_gradient(w[..., 0], w[..., 1]), axis=-1)


@pytest.mark.parametrize(
    "start, kind, radius",
    [
        ([0.5, 0.5], "bowl", None),  # the lesson's first start
        ([1.0, 1.2], "trough", math.sqrt(3 * math.pi / 2)),  # the lesson's second start
        ([0.0, 0.0], "bowl", None),  # the gradient vanishes: it never moves
        ([-2.0, -1.5], "trough", math.sqrt(3 * math.pi / 2)),
        ([2.5, 2.5], "moving", None),  # outer trough: η = 0.1 is too large there
    ],
)
def test_descent_end_names_where_the_lessons_runs_go(start, kind, radius) -> None:
    found, ring = trajectory_end(h_run(start))
    assert found == kind
    assert ring == pytest.approx(radius) if radius else ring is None


def test_a_start_on_a_crest_stays_there() -> None:
    crest = math.sqrt(math.pi / 2)
    assert descent_end([crest, 0.0], 1e-16) == ("crest", pytest.approx(crest))
    assert descent_end([crest, 0.0], 1.0) == ("moving", None)


def test_every_start_inside_the_second_crest_settles() -> None:
    for x in np.linspace(-2.7, 2.7, 7):
        for y in np.linspace(-2.7, 2.7, 7):
            if math.hypot(x, y) < math.sqrt(5 * math.pi / 2) - 0.05:
                assert trajectory_end(h_run([x, y]))[0] in ("bowl", "trough"), (x, y)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_basin_page_carries_rings_and_a_focusable_map(lang: str) -> None:
    explorer = DescentBasinExplorer(lang)
    page = explorer._repr_html_()
    data = payload(page)["data"]
    assert data["lr"] == 0.1 and data["n_steps"] == 50 and data["start"] == [1.0, 1.2]
    radii = [ring["radius"] ** 2 for ring in data["rings"]]
    assert radii[:2] == pytest.approx([math.pi / 2, 3 * math.pi / 2])
    assert max(radii) <= 18.0 and data["settled"] == SETTLED_GRADIENT
    for band in data["bands"]:  # h is at least 0.5 in size across each band
        for r in (band["inner"], band["outer"]):
            assert abs(math.sin(r * r)) == pytest.approx(0.5) or r * r == pytest.approx(18.0)
    assert 'tabindex="0"' in page and "data-gdx-primary" in page and 'role="application"' in page
    assert set(payload(page)["strings"]) >= {"dbx_readout", "dbx_trough", "dbx_moving"}
    assert explorer.html_size() < MAX_EXPLORER_BYTES


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        ({"start": [4.0, 0.0]}, ValueError, "start"),
        ({"start": [1.0]}, ValueError, "start"),
        ({"lr": 0.0}, ValueError, "lr"),
        ({"n_steps": 501}, ValueError, "n_steps"),
        ({"extent": 10.0}, ValueError, "extent"),
        ({"extent": "3"}, TypeError, "extent"),
    ],
)
def test_basin_arguments_are_checked(kwargs: dict, error: type, name: str) -> None:
    with pytest.raises(error, match=name):
        DescentBasinExplorer("en", **kwargs)


@pytest.mark.parametrize(
    "args, error, name",
    [(([1.0], 0.0), ValueError, "point"), (([1.0, 1.0], -1.0), ValueError, "grad_norm"),
     (([1.0, 1.0], "x"), TypeError, "grad_norm")],
)
def test_descent_end_arguments_are_checked(args, error, name) -> None:
    with pytest.raises(error, match=name):
        descent_end(*args)
