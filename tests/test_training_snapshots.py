"""Recording snapshots during training (gdguide.training.TrainingSnapshots, train(snapshots=)).

The training replay of lesson 5 shows curves recorded during the page's one training run, so
recording must not change that run: the losses, the parameters and the random stream must be the
same with and without it, and each snapshot must be the model's prediction at the start of its
epoch. Both are checked against the lesson's own flow (1847 epochs), re-run here.
"""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from gdguide.reproducibility import SEED, set_seed
from gdguide.training import (
    MAX_EPOCHS,
    MAX_SNAPSHOTS,
    TRAINING_EPOCHS,
    TrainingDivergedError,
    TrainingSnapshots,
    log_spaced_epochs,
    make_sine_data,
    make_training_setup,
    train,
    training_step,
)

# the lesson's recorder: 48 log-spaced epochs, 61 inputs on the data's range
LESSON_EPOCHS = log_spaced_epochs(TRAINING_EPOCHS, count=48)


def _lesson_grid() -> torch.Tensor:
    return torch.linspace(-1, 1, 61).reshape(-1, 1)


def _lesson_run(snapshots: TrainingSnapshots | None) -> dict:
    """The page's flow: seed, data; seed, setup; one manual step; seed, train."""
    inputs, targets = make_sine_data(seed=SEED)
    model, loss_fn, optimizer = make_training_setup(seed=SEED)
    one_step = training_step(inputs, targets, model, loss_fn, optimizer)
    set_seed(SEED)
    losses = train(inputs, targets, model, loss_fn, optimizer, TRAINING_EPOCHS, snapshots=snapshots)
    return {
        "one_step": one_step,
        "losses": losses,
        "parameters": [p.detach().clone() for p in model.parameters()],
        "next_random": torch.randn(4),  # where the random stream stands after training
    }


def _bare_run_recording_by_hand(epochs: list[int], grid: torch.Tensor) -> dict:
    """The same flow with a bare loop that evaluates the model at the start of each epoch."""
    inputs, targets = make_sine_data(seed=SEED)
    model, loss_fn, optimizer = make_training_setup(seed=SEED)
    training_step(inputs, targets, model, loss_fn, optimizer)
    set_seed(SEED)
    losses, predictions = [], {}
    for epoch in range(1, TRAINING_EPOCHS + 1):
        if epoch in epochs:
            with torch.no_grad():
                predictions[epoch] = model(grid).clone()
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return {"losses": losses, "predictions": predictions}


@pytest.fixture(scope="module")
def recorded() -> tuple[TrainingSnapshots, dict]:
    snapshots = TrainingSnapshots(_lesson_grid(), LESSON_EPOCHS)
    return snapshots, _lesson_run(snapshots)


def test_recording_leaves_the_lesson_run_unchanged(recorded):
    _, with_snapshots = recorded
    without = _lesson_run(None)
    assert with_snapshots["one_step"] == without["one_step"]
    assert with_snapshots["losses"] == without["losses"]  # every loss, to the last bit
    for mine, theirs in zip(with_snapshots["parameters"], without["parameters"], strict=True):
        torch.testing.assert_close(mine, theirs, rtol=0, atol=0)
    assert torch.equal(with_snapshots["next_random"], without["next_random"])


def test_the_lesson_prints_the_same_numbers(recorded):
    _, run = recorded
    assert f"{run['one_step']:.3f}" == "0.889"  # tests/test_lesson_5_numbers.py, the page
    assert f"{run['losses'][-1]:.4f}" == "0.0673"
    assert len(run["losses"]) == TRAINING_EPOCHS


def test_snapshots_are_the_predictions_at_the_start_of_their_epochs(recorded):
    snapshots, run = recorded
    by_hand = _bare_run_recording_by_hand(LESSON_EPOCHS, _lesson_grid())
    assert by_hand["losses"] == run["losses"]
    assert snapshots.n_epochs == TRAINING_EPOCHS
    assert sorted(snapshots.predictions) == LESSON_EPOCHS
    for epoch in LESSON_EPOCHS:
        got = snapshots.predictions[epoch]
        assert got.shape == (61, 1) and got.device.type == "cpu" and not got.requires_grad
        torch.testing.assert_close(got, by_hand["predictions"][epoch], rtol=0, atol=0)


def test_the_first_snapshot_is_the_model_that_training_started_from():
    inputs, targets = make_sine_data(12)
    model, loss_fn, optimizer = make_training_setup(n_units=8)
    grid = torch.linspace(-1, 1, 7).reshape(-1, 1)
    with torch.no_grad():
        before = model(grid).clone()
    snapshots = TrainingSnapshots(grid, [1, 5])
    losses = train(inputs, targets, model, loss_fn, optimizer, 5, snapshots=snapshots)
    torch.testing.assert_close(snapshots.predictions[1], before, rtol=0, atol=0)
    assert len(losses) == 5


def test_the_snapshot_of_an_epoch_has_that_epochs_loss():
    """On the training inputs themselves, the snapshot's MSE is the loss train returned."""
    inputs, targets = make_sine_data(12)
    model, loss_fn, optimizer = make_training_setup(n_units=8)
    snapshots = TrainingSnapshots(inputs, [1, 2, 7, 20])
    losses = train(inputs, targets, model, loss_fn, optimizer, 20, snapshots=snapshots)
    for epoch in snapshots.epochs:
        mse = loss_fn(snapshots.predictions[epoch], targets).item()
        assert math.isclose(mse, losses[epoch - 1], rel_tol=1e-6)


class _NoisyNet(nn.Module):
    """A model whose training draws random numbers (dropout) and keeps statistics (batch norm)."""

    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(1, 16), nn.BatchNorm1d(16), nn.Tanh(), nn.Dropout(0.3), nn.Linear(16, 1)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


def _noisy_run(snapshots: TrainingSnapshots | None) -> tuple[list[float], torch.Tensor, nn.Module]:
    inputs, targets = make_sine_data(16)
    set_seed(SEED)
    model = _NoisyNet()
    model.layers[2].eval()  # a mixed mode (tanh ignores it): each module must get its own back
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    losses = train(inputs, targets, model, nn.MSELoss(), optimizer, 12, snapshots=snapshots)
    return losses, model.layers[1].running_mean.clone(), model


def test_recording_draws_no_random_number_and_updates_no_statistic():
    plain_losses, plain_mean, _ = _noisy_run(None)
    snapshots = TrainingSnapshots(torch.linspace(-1, 1, 5).reshape(-1, 1), range(1, 13))
    losses, mean, model = _noisy_run(snapshots)
    assert losses == plain_losses
    torch.testing.assert_close(mean, plain_mean, rtol=0, atol=0)
    assert [module.training for module in model.modules()] == [
        module is not model.layers[2] for module in model.modules()
    ]
    assert len(snapshots.predictions) == 12


def test_a_second_run_starts_the_record_afresh():
    inputs, targets = make_sine_data(12)
    model, loss_fn, optimizer = make_training_setup(n_units=8)
    snapshots = TrainingSnapshots(torch.zeros(3, 1), [1, 2])
    train(inputs, targets, model, loss_fn, optimizer, 4, snapshots=snapshots)
    first = snapshots.predictions[2].clone()
    train(inputs, targets, model, loss_fn, optimizer, 2, snapshots=snapshots)
    assert snapshots.n_epochs == 2 and sorted(snapshots.predictions) == [1, 2]
    assert not torch.equal(snapshots.predictions[2], first)


def test_a_diverged_run_keeps_the_snapshots_taken_before():
    inputs, targets = make_sine_data(12)
    model, loss_fn, optimizer = make_training_setup(n_units=16, lr=1e6)
    snapshots = TrainingSnapshots(torch.zeros(2, 1), [1, 2, 199])
    with pytest.raises(TrainingDivergedError) as caught:
        train(inputs, targets, model, loss_fn, optimizer, 200, snapshots=snapshots)
    assert set(snapshots.predictions) <= {1, 2} and 1 in snapshots.predictions
    assert caught.value.epoch < 199


def test_the_grid_follows_the_dtype_of_the_features():
    inputs, targets = make_sine_data(12)
    model, loss_fn, optimizer = make_training_setup(n_units=8)
    model.double()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    snapshots = TrainingSnapshots(torch.linspace(-1, 1, 4).reshape(-1, 1), [1])
    train(inputs.double(), targets.double(), model, loss_fn, optimizer, 1, snapshots=snapshots)
    assert snapshots.predictions[1].dtype == torch.float64
    assert snapshots.grid.dtype == torch.float32  # the recorder's own copy is left as given


def test_the_grid_is_copied():
    grid = torch.zeros(3, 1)
    snapshots = TrainingSnapshots(grid, [1])
    grid += 1
    assert float(snapshots.grid.sum()) == 0.0
    assert repr(snapshots) == (
        "TrainingSnapshots(grid of shape (3, 1), epochs 1 to 1: 0 of 1 recorded)"
    )


# --- log_spaced_epochs --------------------------------------------------------------------------


@pytest.mark.parametrize("n_epochs", [1, 2, 5, 47, 48, 49, 100, TRAINING_EPOCHS, MAX_EPOCHS])
@pytest.mark.parametrize("count", [2, 3, 48, 200])
def test_log_spaced_epochs_include_the_first_and_the_last(n_epochs, count):
    epochs = log_spaced_epochs(n_epochs, count)
    assert epochs[0] == 1 and epochs[-1] == n_epochs
    assert len(epochs) == min(count, n_epochs)
    assert all(a < b for a, b in zip(epochs, epochs[1:], strict=False))


def test_log_spaced_epochs_thin_out_towards_the_end():
    epochs = LESSON_EPOCHS
    assert epochs[:10] == list(range(1, 11))  # every epoch at first
    gaps = [b - a for a, b in zip(epochs, epochs[1:], strict=False)]
    assert gaps == sorted(gaps)  # never denser later
    ratios = [b / a for a, b in zip(epochs[20:], epochs[21:], strict=False)]
    assert max(ratios) / min(ratios) < 1.2  # geometric once the integers allow it


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n_epochs": 0}, ValueError, "n_epochs"),
        ({"n_epochs": 10.0}, TypeError, "n_epochs"),
        ({"n_epochs": MAX_EPOCHS + 1}, ValueError, "n_epochs"),
        ({"n_epochs": 10, "count": 1}, ValueError, "count"),
        ({"n_epochs": 10, "count": True}, TypeError, "count"),
        ({"n_epochs": 10, "count": MAX_SNAPSHOTS + 1}, ValueError, "count"),
    ],
)
def test_log_spaced_epochs_rejects_bad_input(kwargs, error, name):
    with pytest.raises(error, match=name):
        log_spaced_epochs(**kwargs)


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grid", "epochs", "error", "match"),
    [
        (torch.zeros(3), [1], ValueError, "grid must have 2 dimension"),
        (torch.zeros(3, 1, dtype=torch.int64), [1], TypeError, "grid must have a floating-point"),
        (torch.zeros(0, 1), [1], ValueError, "grid must have at least one row"),
        (torch.tensor([[math.nan]]), [1], ValueError, "grid must hold only finite"),
        ([[0.0]], [1], TypeError, "grid must be a torch.Tensor"),
        (torch.zeros(3, 1), 5, TypeError, "epochs must be a list, tuple or range"),
        (torch.zeros(3, 1), "12", TypeError, "epochs must be a list, tuple or range"),
        (torch.zeros(3, 1), torch.tensor([1, 2]), TypeError, "epochs must be a list"),
        (torch.zeros(3, 1), [], ValueError, "epochs must hold 1 to"),
        (torch.zeros(3, 1), [0, 1], ValueError, r"epochs\[0\] must be >= 1"),
        (torch.zeros(3, 1), [1, 2.0], TypeError, r"epochs\[1\] must be an int"),
        (torch.zeros(3, 1), [1, True], TypeError, r"epochs\[1\]"),
        (torch.zeros(3, 1), [3, 2], ValueError, "epochs must be strictly increasing"),
        (torch.zeros(3, 1), [2, 2], ValueError, "epochs must be strictly increasing"),
        (torch.zeros(3, 1), [MAX_EPOCHS + 1], ValueError, r"epochs\[0\] must be <="),
        (torch.zeros(3, 1), range(MAX_SNAPSHOTS + 1), ValueError, "epochs must hold 1 to"),
    ],
)
def test_snapshots_reject_bad_input(grid, epochs, error, match):
    with pytest.raises(error, match=match):
        TrainingSnapshots(grid, epochs)


def test_train_checks_the_snapshots_against_the_run():
    inputs, targets = make_sine_data(12)
    model, loss_fn, optimizer = make_training_setup(n_units=8)
    weights = [p.detach().clone() for p in model.parameters()]
    with pytest.raises(ValueError, match="snapshots asks for epoch 6, but n_epochs is 5"):
        train(inputs, targets, model, loss_fn, optimizer, 5,
              snapshots=TrainingSnapshots(inputs, [6]))  # fmt: skip
    with pytest.raises(ValueError, match=r"snapshots.grid must have the 1 column\(s\) of features"):
        train(inputs, targets, model, loss_fn, optimizer, 5,
              snapshots=TrainingSnapshots(torch.zeros(4, 2), [1]))  # fmt: skip
    with pytest.raises(TypeError, match="snapshots must be None or a TrainingSnapshots"):
        train(inputs, targets, model, loss_fn, optimizer, 5, snapshots=[1, 2])
    for before, after in zip(weights, model.parameters(), strict=True):
        torch.testing.assert_close(after, before, rtol=0, atol=0)  # nothing ran


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_snapshots_on_cuda_are_brought_to_the_cpu():
    inputs, targets = make_sine_data(12)
    model, loss_fn, optimizer = make_training_setup(n_units=8, device="cuda")
    snapshots = TrainingSnapshots(torch.linspace(-1, 1, 5).reshape(-1, 1), [1, 3])
    losses = train(inputs.cuda(), targets.cuda(), model, loss_fn, optimizer, 3, snapshots=snapshots)
    assert snapshots.predictions[3].device.type == "cpu"
    plain = _cpu_reference_losses(3)
    torch.testing.assert_close(torch.tensor(losses), torch.tensor(plain), rtol=1e-4, atol=1e-6)


def _cpu_reference_losses(n_epochs: int) -> list[float]:
    inputs, targets = make_sine_data(12)
    model, loss_fn, optimizer = make_training_setup(n_units=8)
    return train(inputs, targets, model, loss_fn, optimizer, n_epochs)
