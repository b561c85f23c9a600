"""The training replay explorer (gdguide.explorers.TrainingReplayExplorer), without a browser.

tests/test_explorer_training_replay.py drives it in Chromium on the built lesson page; here the
data it embeds is checked against the lesson's run, recorded once for the module.
"""

from __future__ import annotations

import html
import json
import math
import re

import pytest
import torch

from gdguide.explorers import MAX_EXPLORER_BYTES, TrainingReplayExplorer
from gdguide.explorers.training_replay import LOSS_DIGITS, _thin_loss_line
from gdguide.reproducibility import SEED, set_seed
from gdguide.training import (
    TRAINING_EPOCHS,
    TrainingSnapshots,
    log_spaced_epochs,
    make_sine_data,
    make_training_setup,
    train,
    training_step,
)


@pytest.fixture(scope="module")
def lesson() -> dict:
    """The page's run, with the page's recorder."""
    inputs, targets = make_sine_data(seed=SEED)
    model, loss_fn, optimizer = make_training_setup(seed=SEED)
    training_step(inputs, targets, model, loss_fn, optimizer)
    set_seed(SEED)
    snapshots = TrainingSnapshots(
        torch.linspace(-1, 1, 61).reshape(-1, 1), log_spaced_epochs(TRAINING_EPOCHS, count=48)
    )
    losses = train(inputs, targets, model, loss_fn, optimizer, TRAINING_EPOCHS, snapshots=snapshots)
    return {"snapshots": snapshots, "losses": losses, "inputs": inputs, "targets": targets}


def _explorer(lesson: dict, lang: str = "en") -> TrainingReplayExplorer:
    return TrainingReplayExplorer(
        lesson["snapshots"], lesson["losses"], lesson["inputs"], lesson["targets"], lang=lang
    )


def _payload(page: str) -> dict:
    found = re.search(r'<script type="application/json" class="gdx-data">(.*?)</script>', page)
    assert found
    return json.loads(found.group(1))


def test_the_losses_are_the_runs_exact_numbers(lesson):
    data = _payload(_explorer(lesson)._repr_html_())["data"]
    epochs = lesson["snapshots"].epochs
    assert data["epochs"] == list(epochs) and data["nEpochs"] == TRAINING_EPOCHS
    assert data["losses"] == [lesson["losses"][epoch - 1] for epoch in epochs]
    assert data["digits"] == LOSS_DIGITS == 4  # the page prints f"{loss:.4f}"
    assert f"{data['losses'][-1]:.4f}" == f"{lesson['losses'][-1]:.4f}" == "0.0673"


def test_the_curves_are_the_recorded_predictions_rounded(lesson):
    data = _explorer(lesson).data()
    snapshots = lesson["snapshots"]
    assert data["grid"] == pytest.approx(snapshots.grid.reshape(-1).tolist(), abs=5e-5)
    for epoch, curve in zip(data["epochs"], data["curves"], strict=True):
        expected = snapshots.predictions[epoch].reshape(-1).tolist()
        assert curve == pytest.approx(expected, abs=5e-4 + 1e-9)
    assert data["x"] == pytest.approx(lesson["inputs"].reshape(-1).tolist(), abs=5e-5)
    assert data["y"] == pytest.approx(lesson["targets"].reshape(-1).tolist(), abs=5e-5)
    low, high = data["yRange"]
    assert all(low < value < high for curve in data["curves"] for value in curve)


def test_the_drawn_loss_line_keeps_the_ups_and_downs(lesson):
    losses = lesson["losses"]
    epochs, values = _thin_loss_line(losses)
    assert epochs[0] == 1 and epochs[-1] == TRAINING_EPOCHS
    assert epochs == sorted(set(epochs)) and len(epochs) < 600
    assert epochs[:10] == list(range(1, 11))  # every one of the first epochs: they jump about
    for epoch, value in zip(epochs, values, strict=True):
        assert value == pytest.approx(losses[epoch - 1], rel=5e-4)
    assert min(values) == pytest.approx(min(losses), rel=5e-4)
    assert max(values) == pytest.approx(max(losses), rel=5e-4)
    data = _explorer(lesson).data()
    low, high = data["lossRange"]
    assert low < min(losses) and max(losses) < high
    assert data["lossTicks"] and all(low <= tick <= high for tick in data["lossTicks"])
    assert data["epochTicks"] == [1, 10, 100, 1000]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_size_strings_and_markup(lesson, lang):
    explorer = _explorer(lesson, lang)
    page = explorer._repr_html_()
    assert explorer.html_size() < MAX_EXPLORER_BYTES
    assert len(page.encode("utf-8")) == explorer.html_size()
    strings = _payload(page)["strings"]
    assert "{epoch}" in strings["replay_readout"] and "{loss}" in strings["replay_readout"]
    placeholders = set(re.findall(r"\{\w+\}", strings["replay_announce"]))
    assert {"{epoch}", "{total}", "{loss}"} <= placeholders
    assert 'type="range"' in page and "data-gdx-primary" in page
    assert f'max="{len(lesson["snapshots"].epochs) - 1}"' in page
    assert re.search(r'<label for="[^"]+-slider">', page)
    note = explorer.text("replay_note", count=48, total=TRAINING_EPOCHS)
    assert html.escape(note, quote=True) in page and "48" in note and "1847" in note


def test_size_is_printed_for_the_report(lesson, capsys):
    sizes = {lang: _explorer(lesson, lang).html_size() for lang in ("en", "ja")}
    with capsys.disabled():
        print(f"\ntraining_replay explorer: {sizes} bytes (limit {MAX_EXPLORER_BYTES})")


def _small_run(n_epochs: int = 6, epochs: tuple = (1, 3, 6)) -> dict:
    inputs, targets = make_sine_data(10)
    model, loss_fn, optimizer = make_training_setup(n_units=8)
    snapshots = TrainingSnapshots(torch.linspace(-1, 1, 5).reshape(-1, 1), list(epochs))
    losses = train(inputs, targets, model, loss_fn, optimizer, n_epochs, snapshots=snapshots)
    return {"snapshots": snapshots, "losses": losses, "inputs": inputs, "targets": targets}


def test_a_one_epoch_run_works():
    run = _small_run(1, (1,))
    data = _explorer(run).data()
    assert data["epochs"] == [1] and data["lineEpochs"] == [1] and data["epochTicks"] == [1]


def test_bad_input_is_named():
    run = _small_run()
    unrecorded = TrainingSnapshots(torch.zeros(3, 1), [1])
    with pytest.raises(ValueError, match=r"snapshots must hold a prediction.*train\(\.\.\."):
        TrainingReplayExplorer(unrecorded, run["losses"], run["inputs"], run["targets"])
    with pytest.raises(TypeError, match="snapshots must be a gdguide.training.TrainingSnapshots"):
        TrainingReplayExplorer({1: []}, run["losses"], run["inputs"], run["targets"])
    args = (run["snapshots"], run["losses"], run["inputs"], run["targets"])
    with pytest.raises(ValueError, match="losses must hold the 6 losses"):
        TrainingReplayExplorer(args[0], run["losses"][:-1], *args[2:])
    with pytest.raises(TypeError, match="losses must be a sequence"):
        TrainingReplayExplorer(args[0], "0.5", *args[2:])
    with pytest.raises(ValueError, match=r"losses must be > 0"):
        TrainingReplayExplorer(args[0], [0.0] * 6, *args[2:])
    with pytest.raises(ValueError, match=r"losses\[2\] must be finite"):
        TrainingReplayExplorer(args[0], [1.0, 1.0, math.nan, 1.0, 1.0, 1.0], *args[2:])
    with pytest.raises(ValueError, match=r"inputs must have shape \(n, 1\)"):
        TrainingReplayExplorer(*args[:2], run["inputs"].repeat(1, 2), run["targets"])
    with pytest.raises(ValueError, match="inputs and targets must have the same number of rows"):
        TrainingReplayExplorer(*args[:3], run["targets"][:4])
    with pytest.raises(ValueError, match="lang"):
        TrainingReplayExplorer(*args, lang="fr")
    wide = _small_run()
    wide["snapshots"].grid = torch.zeros(5, 2)  # as if recorded for a two-feature model
    with pytest.raises(ValueError, match="snapshots.grid must have one column"):
        TrainingReplayExplorer(wide["snapshots"], *args[1:])


def test_a_one_point_grid_and_an_unsorted_grid():
    inputs, targets = make_sine_data(4)
    model, loss_fn, optimizer = make_training_setup(n_units=8)
    snapshots = TrainingSnapshots(torch.tensor([[0.5], [-0.5], [0.0]]), [1, 2])
    losses = train(inputs, targets, model, loss_fn, optimizer, 2, snapshots=snapshots)
    data = TrainingReplayExplorer(snapshots, losses, inputs, targets).data()
    assert data["grid"] == [-0.5, 0.0, 0.5]
    expected = snapshots.predictions[2].reshape(-1).tolist()
    assert data["curves"][1] == pytest.approx([expected[1], expected[2], expected[0]], abs=5e-4)
    one = {"inputs": torch.zeros(1, 1), "targets": torch.zeros(1, 1) + 0.5}
    snapshots = TrainingSnapshots(torch.zeros(1, 1), [1])
    model, loss_fn, optimizer = make_training_setup(n_units=4)
    losses = train(one["inputs"], one["targets"], model, loss_fn, optimizer, 1, snapshots=snapshots)
    data = TrainingReplayExplorer(snapshots, losses, **one).data()
    assert data["xRange"] == [-1.0, 1.0]
