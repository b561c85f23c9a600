"""The two descent explorers of §1.2 on the Python side (no browser).

What the browser shows is tested in tests/test_explorer_descent_browser.py; here: the embedded
data, the verdicts and basins gdguide computes, the size limit and the argument checks.
"""

from __future__ import annotations

import json
import re

import pytest

from gdguide.descent import BOWL_MAX_LR
from gdguide.explorers import MAX_EXPLORER_BYTES, LearningRateExplorer
from gdguide.explorers.learning_rate import LEARNING_RATE_GRID, bowl_verdict

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
