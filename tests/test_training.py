from __future__ import annotations

import math
import random

import numpy as np
import pytest
import torch
from torch import nn

from gdguide import training as training_module
from gdguide.reproducibility import SEED, set_seed
from gdguide.training import (
    LEARNING_RATE,
    MOMENTUM,
    TRAINING_EPOCHS,
    TrainingDivergedError,
    WideNet,
    make_sine_data,
    make_training_setup,
    train,
    training_step,
)

# Losses are float32 values; on one torch build both flows run the same kernels in the same
# order, so they agree to the last bit. The tolerance is kept tight but not zero.
TIGHT = {"rtol": 1e-6, "atol": 1e-9}


# --- the original flow, written in plain PyTorch (no gdguide) ---------------------------------


def _original_flow(n_epochs: int) -> dict:
    def seed_everything(seed: int) -> None:
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)

    seed_everything(2021)
    inputs = torch.linspace(-1.0, 1.0, 32).reshape(32, 1)
    noise = torch.randn(32, 1) / 4
    targets = torch.sin(math.pi * inputs) + noise

    seed_everything(2021)
    model = nn.Sequential(nn.Linear(1, 512), nn.Tanh(), nn.Linear(512, 1))
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.003, momentum=0.9)

    optimizer.zero_grad()
    prediction = model(inputs)
    loss = loss_fn(prediction, targets)
    loss.backward()
    optimizer.step()
    print(f"one step: loss = {loss.item()}")
    one_step = loss.item()

    seed_everything(2021)
    losses = []
    for _ in range(n_epochs):
        optimizer.zero_grad()
        prediction = model(inputs)
        loss = loss_fn(prediction, targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return {
        "inputs": inputs,
        "targets": targets,
        "one_step": one_step,
        "losses": losses,
        "parameters": [p.detach().clone() for p in model.parameters()],
    }


def _gdguide_flow(n_epochs: int) -> dict:
    inputs, targets = make_sine_data()
    model, loss_fn, optimizer = make_training_setup()
    one_step = training_step(inputs, targets, model, loss_fn, optimizer)
    set_seed(SEED)
    losses = train(inputs, targets, model, loss_fn, optimizer, n_epochs)
    return {
        "inputs": inputs,
        "targets": targets,
        "one_step": one_step,
        "losses": losses,
        "parameters": [p.detach().clone() for p in model.parameters()],
    }


def test_fidelity_with_the_original_flow(capsys):
    original = _original_flow(TRAINING_EPOCHS)
    printed = capsys.readouterr().out
    assert printed.startswith("one step: loss = 0.88")
    ours = _gdguide_flow(TRAINING_EPOCHS)

    torch.testing.assert_close(ours["inputs"], original["inputs"], **TIGHT)
    torch.testing.assert_close(ours["targets"], original["targets"], **TIGHT)
    assert math.isclose(ours["one_step"], original["one_step"], rel_tol=1e-6, abs_tol=1e-9)
    assert len(ours["losses"]) == len(original["losses"]) == TRAINING_EPOCHS
    torch.testing.assert_close(
        torch.tensor(ours["losses"], dtype=torch.float64),
        torch.tensor(original["losses"], dtype=torch.float64),
        **TIGHT,
    )
    for mine, theirs in zip(ours["parameters"], original["parameters"], strict=True):
        torch.testing.assert_close(mine, theirs, **TIGHT)

    # The numbers the lesson prints.
    assert math.isclose(ours["one_step"], 0.889, abs_tol=0.01)
    first, final = ours["losses"][0], ours["losses"][-1]
    assert all(math.isfinite(value) for value in ours["losses"])
    assert final > 0
    assert final < 0.1
    assert final < 0.25 * first


# --- make_sine_data ---------------------------------------------------------------------------


def test_sine_data_shapes_and_inputs():
    inputs, targets = make_sine_data(10)
    assert inputs.shape == targets.shape == (10, 1)
    assert inputs.dtype == targets.dtype == torch.float32
    torch.testing.assert_close(inputs[:, 0], torch.linspace(-1.0, 1.0, 10))


def test_sine_data_is_seeded_and_follows_the_formula():
    inputs, targets = make_sine_data(32, seed=7)
    set_seed(7)
    noise = torch.randn(32, 1) / 4
    torch.testing.assert_close(targets, torch.sin(math.pi * inputs) + noise)
    again = make_sine_data(32, seed=7)[1]
    torch.testing.assert_close(again, targets, rtol=0, atol=0)
    assert not torch.allclose(make_sine_data(32, seed=8)[1], targets)


def test_sine_data_default_seed_is_the_lessons():
    torch.testing.assert_close(make_sine_data()[1], make_sine_data(32, seed=2021)[1])


def test_sine_data_seed_none_uses_current_state():
    torch.manual_seed(11)
    first = make_sine_data(5, seed=None)[1]
    torch.manual_seed(11)
    torch.testing.assert_close(make_sine_data(5, seed=None)[1], first)
    assert not torch.allclose(make_sine_data(5, seed=None)[1], first)  # state moved on


def test_sine_data_single_sample():
    inputs, targets = make_sine_data(1)
    assert inputs.shape == targets.shape == (1, 1)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n_samples": 0}, ValueError, "n_samples"),
        ({"n_samples": -3}, ValueError, "n_samples"),
        ({"n_samples": 32.0}, TypeError, "n_samples"),
        ({"n_samples": True}, TypeError, "n_samples"),
        ({"n_samples": "32"}, TypeError, "n_samples"),
        ({"n_samples": 10**12}, ValueError, r"n_samples must be <= 10000000"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"seed": "2021"}, TypeError, "seed"),
    ],
)
def test_sine_data_rejects_bad_input(kwargs, error, name):
    with pytest.raises(error, match=name):
        make_sine_data(**kwargs)


# --- WideNet ----------------------------------------------------------------------------------


def test_widenet_structure():
    net = WideNet()
    first, activation, last = net.layers
    assert isinstance(first, nn.Linear) and (first.in_features, first.out_features) == (1, 512)
    assert isinstance(activation, nn.Tanh)
    assert isinstance(last, nn.Linear) and (last.in_features, last.out_features) == (512, 1)
    assert sum(p.numel() for p in net.parameters()) == 512 + 512 + 512 + 1


def test_widenet_forward_matches_layers():
    net = WideNet(n_units=3)
    x = torch.linspace(-1, 1, 6).reshape(6, 1)
    out = net(x)
    assert out.shape == (6, 1)
    first, _, last = net.layers
    expected = torch.tanh(x @ first.weight.T + first.bias) @ last.weight.T + last.bias
    torch.testing.assert_close(out, expected)


@pytest.mark.parametrize(
    ("bad", "error"),
    [(0, ValueError), (-1, ValueError), (2.0, TypeError), (True, TypeError), (10**12, ValueError)],
)
def test_widenet_rejects_bad_width(bad, error):
    with pytest.raises(error, match="n_units"):
        WideNet(bad)


# --- make_training_setup ----------------------------------------------------------------------


def test_setup_defaults():
    model, loss_fn, optimizer = make_training_setup()
    assert isinstance(model, WideNet)
    assert isinstance(loss_fn, nn.MSELoss) and loss_fn.reduction == "mean"
    assert isinstance(optimizer, torch.optim.SGD)
    group = optimizer.param_groups[0]
    assert math.isclose(group["lr"], LEARNING_RATE)
    assert math.isclose(group["momentum"], MOMENTUM)
    assert [id(p) for p in group["params"]] == [id(p) for p in model.parameters()]


def test_setup_is_seeded_right_before_the_model():
    set_seed(SEED)
    expected = WideNet(512)
    model, _, _ = make_training_setup(seed=SEED)
    for mine, theirs in zip(model.parameters(), expected.parameters(), strict=True):
        torch.testing.assert_close(mine, theirs, rtol=0, atol=0)
    other, _, _ = make_training_setup(seed=SEED + 1)
    assert not torch.allclose(other.layers[0].weight, model.layers[0].weight)


def test_setup_seed_none_and_custom_values():
    torch.manual_seed(3)
    expected = WideNet(4)
    torch.manual_seed(3)
    model, _, optimizer = make_training_setup(
        n_units=4, seed=None, lr=0.1, momentum=0, device="cpu"
    )
    torch.testing.assert_close(model.layers[0].weight, expected.layers[0].weight)
    assert math.isclose(optimizer.param_groups[0]["lr"], 0.1)
    assert math.isclose(optimizer.param_groups[0]["momentum"], 0.0)
    model, _, _ = make_training_setup(n_units=4, device=torch.device("cpu"))
    assert next(model.parameters()).device.type == "cpu"


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n_units": 0}, ValueError, "n_units"),
        ({"n_units": 8.0}, TypeError, "n_units"),
        ({"seed": -5}, ValueError, "seed"),
        ({"seed": 3.0}, TypeError, "seed"),
        ({"lr": 0}, ValueError, "lr"),
        ({"lr": -0.1}, ValueError, "lr"),
        ({"lr": math.inf}, ValueError, "lr"),
        ({"lr": "0.003"}, TypeError, "lr"),
        ({"momentum": -0.1}, ValueError, "momentum"),
        ({"momentum": math.nan}, ValueError, "momentum"),
        ({"momentum": None}, TypeError, "momentum"),
        ({"device": 0.5}, TypeError, "device"),
        ({"device": "gpu-please"}, ValueError, "device"),
    ],
)
def test_setup_rejects_bad_input(kwargs, error, name):
    with pytest.raises(error, match=name):
        make_training_setup(**kwargs)


def test_setup_bad_argument_does_not_reseed():
    torch.manual_seed(99)
    expected = torch.rand(3)
    torch.manual_seed(99)
    with pytest.raises(ValueError, match="lr"):
        make_training_setup(lr=-1.0)
    torch.testing.assert_close(torch.rand(3), expected, rtol=0, atol=0)


# --- training_step and train ------------------------------------------------------------------


def _small_setup(n_units: int = 16, lr: float = LEARNING_RATE):
    inputs, targets = make_sine_data(12)
    model, loss_fn, optimizer = make_training_setup(n_units=n_units, lr=lr)
    return inputs, targets, model, loss_fn, optimizer


def test_training_step_returns_loss_before_the_update():
    inputs, targets, model, loss_fn, optimizer = _small_setup()
    with torch.no_grad():
        before = loss_fn(model(inputs), targets).item()
    weights = model.layers[0].weight.detach().clone()
    value = training_step(inputs, targets, model, loss_fn, optimizer)
    assert isinstance(value, float)
    assert math.isclose(value, before, rel_tol=1e-6)
    assert not torch.allclose(model.layers[0].weight, weights)


def test_train_equals_repeated_training_steps():
    inputs, targets, model, loss_fn, optimizer = _small_setup()
    by_steps = [training_step(inputs, targets, model, loss_fn, optimizer) for _ in range(40)]
    inputs, targets, model, loss_fn, optimizer = _small_setup()
    by_train = train(inputs, targets, model, loss_fn, optimizer, 40)
    assert len(by_train) == 40 and all(isinstance(v, float) for v in by_train)
    torch.testing.assert_close(torch.tensor(by_train), torch.tensor(by_steps), **TIGHT)


def test_train_zero_epochs_changes_nothing():
    inputs, targets, model, loss_fn, optimizer = _small_setup()
    weights = [p.detach().clone() for p in model.parameters()]
    assert train(inputs, targets, model, loss_fn, optimizer, 0) == []
    for before, after in zip(weights, model.parameters(), strict=True):
        torch.testing.assert_close(after, before, rtol=0, atol=0)


def test_train_reduces_the_loss():
    inputs, targets, model, loss_fn, optimizer = _small_setup(n_units=64)
    losses = train(inputs, targets, model, loss_fn, optimizer, 300)
    assert losses[-1] < 0.5 * losses[0]


def test_train_accepts_any_loss_callable():
    inputs, targets, model, _, optimizer = _small_setup()

    def mean_abs(prediction, labels):
        return (prediction - labels).abs().mean()

    losses = train(inputs, targets, model, mean_abs, optimizer, 5)
    assert len(losses) == 5


def test_divergence_is_reported_with_its_epoch():
    inputs, targets, model, loss_fn, optimizer = _small_setup(lr=1e6)
    with pytest.raises(TrainingDivergedError, match=r"epoch \d+ \(0-based") as caught:
        train(inputs, targets, model, loss_fn, optimizer, 200)
    error = caught.value
    assert isinstance(error, FloatingPointError)
    assert isinstance(error.epoch, int) and 0 < error.epoch < 200
    assert not math.isfinite(error.loss)
    assert repr(error.loss) in str(error)
    assert len(error.losses) == error.epoch
    assert all(math.isfinite(value) for value in error.losses)


def test_progress_bar_on_stderr(capfd):
    inputs, targets, model, loss_fn, optimizer = _small_setup()
    losses = train(inputs, targets, model, loss_fn, optimizer, 7, progress=True, desc="fit")
    captured = capfd.readouterr()
    assert len(losses) == 7
    assert captured.out == ""
    assert "fit" in captured.err
    assert "7/7" in captured.err


def test_progress_bar_closed_after_divergence(capfd):
    inputs, targets, model, loss_fn, optimizer = _small_setup(lr=1e6)
    with pytest.raises(TrainingDivergedError):
        train(inputs, targets, model, loss_fn, optimizer, 200, progress=True)
    assert "/200" in capfd.readouterr().err


def test_no_output_without_progress(capfd):
    inputs, targets, model, loss_fn, optimizer = _small_setup()
    train(inputs, targets, model, loss_fn, optimizer, 5, desc="quiet")
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def _valid_args():
    inputs, targets, model, loss_fn, optimizer = _small_setup(n_units=4)
    return {
        "features": inputs,
        "labels": targets,
        "model": model,
        "loss_fn": loss_fn,
        "optimizer": optimizer,
    }


BAD_TRAINING_ARGS = [
    ("features", [[0.0]], TypeError),
    ("features", torch.linspace(-1, 1, 12), ValueError),  # 1-D
    ("features", torch.zeros(12, 1, 1), ValueError),  # 3-D
    ("features", torch.zeros(12, 1, dtype=torch.int64), TypeError),
    ("features", torch.full((12, 1), math.nan), ValueError),
    ("features", torch.zeros(11, 1), ValueError),  # rows differ from labels
    ("labels", np.zeros((12, 1)), TypeError),
    ("labels", torch.zeros(12), ValueError),  # 1-D
    ("labels", torch.full((12, 1), math.inf), ValueError),
    ("labels", torch.zeros(13, 1), ValueError),
    ("labels", torch.zeros(12, 1, device="meta"), ValueError),  # other device
    ("model", lambda x: x, TypeError),
    ("model", WideNet(4).to("meta"), ValueError),  # parameters on another device
    ("loss_fn", "mse", TypeError),
    ("optimizer", None, TypeError),
    ("optimizer", object(), TypeError),
]


@pytest.mark.parametrize(("name", "bad", "error"), BAD_TRAINING_ARGS)
def test_training_step_rejects_bad_input(name, bad, error):
    args = _valid_args()
    args[name] = bad
    with pytest.raises(error, match=name):
        training_step(**args)


@pytest.mark.parametrize(("name", "bad", "error"), BAD_TRAINING_ARGS)
def test_train_rejects_bad_input(name, bad, error):
    args = _valid_args()
    args[name] = bad
    with pytest.raises(error, match=name):
        train(**args, n_epochs=1)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n_epochs": -1}, ValueError, "n_epochs"),
        ({"n_epochs": True}, TypeError, "n_epochs"),
        ({"n_epochs": 2.0}, TypeError, "n_epochs"),
        ({"n_epochs": None}, TypeError, "n_epochs"),
        ({"n_epochs": 1, "progress": 1}, TypeError, "progress"),
        ({"n_epochs": 1, "progress": "yes"}, TypeError, "progress"),
        ({"n_epochs": 1, "desc": 3}, TypeError, "desc"),
        ({"n_epochs": 10**12}, ValueError, r"n_epochs must be <= 1000000 \(a sane maximum"),
    ],
)
def test_train_rejects_bad_options(kwargs, error, name):
    with pytest.raises(error, match=name):
        train(**_valid_args(), **kwargs)


def _elementwise_squared_loss(prediction, labels):
    return (labels - prediction) ** 2  # the lesson's squared_loss: no mean


BAD_LOSSES = [
    (_elementwise_squared_loss, ValueError, r"loss_fn must return a scalar tensor.*\(12, 1\)"),
    (lambda prediction, labels: 0.5, TypeError, r"loss_fn must return a torch\.Tensor.*float"),
    (lambda prediction, labels: None, TypeError, r"loss_fn must return a torch\.Tensor.*NoneType"),
    (
        lambda prediction, labels: torch.tensor(0.5),
        TypeError,
        r"loss_fn must compute its result from the prediction.*no grad_fn",
    ),
    (
        lambda prediction, labels: ((prediction - labels) ** 2).mean().detach(),
        TypeError,
        r"loss_fn .*no grad_fn",
    ),
]


@pytest.mark.parametrize(("loss_fn", "error", "match"), BAD_LOSSES)
@pytest.mark.parametrize("run", ["training_step", "train"])
def test_a_wrong_loss_fn_is_named_and_leaves_the_model_untouched(run, loss_fn, error, match):
    args = {**_valid_args(), "loss_fn": loss_fn}
    weights = [p.detach().clone() for p in args["model"].parameters()]
    with pytest.raises(error, match=match):
        if run == "train":
            train(**args, n_epochs=3)
        else:
            training_step(**args)
    for before, after in zip(weights, args["model"].parameters(), strict=True):
        torch.testing.assert_close(after, before, rtol=0, atol=0)


@pytest.mark.parametrize("run", [training_step, lambda *a: train(*a, n_epochs=2)])
def test_model_and_data_mix_ups_are_named(run):
    args = _valid_args()
    float64_model = WideNet(4).double()
    optimizer = torch.optim.SGD(float64_model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match=r"features must have the dtype of the model.*float32.*"
                       r"'layers\.0\.weight' is torch\.float64"):
        run(args["features"], args["labels"], float64_model, args["loss_fn"], optimizer)
    wide = args["features"].repeat(1, 3)  # three features for a model that takes one
    with pytest.raises(ValueError, match=r"model cannot be applied to features of shape \(12, 3\)"):
        run(wide, args["labels"], args["model"], args["loss_fn"], args["optimizer"])
    labels = args["labels"].repeat(1, 2)
    with pytest.raises(ValueError, match=r"labels must have the shape of the model's prediction"):
        run(args["features"], labels, args["model"], args["loss_fn"], args["optimizer"])


@pytest.mark.parametrize("bad", [torch.zeros(12, 1, dtype=torch.bool), torch.zeros(12, 1) + 0j])
def test_bool_and_complex_labels_are_refused(bad):
    with pytest.raises(TypeError, match="labels must hold real numbers"):
        training_step(**{**_valid_args(), "labels": bad})


@pytest.mark.parametrize("device", ["cuda", "mps"])
def test_setup_refuses_an_unavailable_device(device):
    if device == "cuda" and torch.cuda.is_available() or (
        device == "mps" and torch.backends.mps.is_available()
    ):
        pytest.skip(f"{device} is available here")
    with pytest.raises(ValueError, match="device must be available on this machine"):
        make_training_setup(n_units=4, device=device)


def test_diverged_error_checks_its_record():
    error = TrainingDivergedError("diverged", epoch=2, loss=math.inf, losses=[1.0, 2.0])
    assert (error.epoch, error.loss, error.losses) == (2, math.inf, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"loss must be the non-finite loss"):
        TrainingDivergedError("diverged", epoch=0, loss=0.5, losses=[])
    with pytest.raises(ValueError, match=r"losses must hold the 2 loss\(es\)"):
        TrainingDivergedError("diverged", epoch=2, loss=math.nan, losses=[])
    with pytest.raises(TypeError, match=r"losses must be a list"):
        TrainingDivergedError("diverged", epoch=0, loss=math.nan, losses=None)
    with pytest.raises(TypeError, match=r"message must be a str"):
        TrainingDivergedError(None, epoch=0, loss=math.nan, losses=[])


def test_bad_input_leaves_the_model_untouched():
    args = _valid_args()
    weights = [p.detach().clone() for p in args["model"].parameters()]
    with pytest.raises(ValueError, match="n_epochs"):
        train(**args, n_epochs=-1)
    for before, after in zip(weights, args["model"].parameters(), strict=True):
        torch.testing.assert_close(after, before, rtol=0, atol=0)


def test_constants():
    assert TRAINING_EPOCHS == 1847
    assert math.isclose(LEARNING_RATE, 0.003)
    assert math.isclose(MOMENTUM, 0.9)


def test_public_names():
    assert set(training_module.__all__) == {
        "LEARNING_RATE",
        "MAX_SNAPSHOTS",
        "MAX_UNITS",
        "MAX_EPOCHS",
        "MAX_SAMPLES",
        "MOMENTUM",
        "TRAINING_EPOCHS",
        "TrainingDivergedError",
        "TrainingSnapshots",
        "WideNet",
        "log_spaced_epochs",
        "make_sine_data",
        "make_training_setup",
        "train",
        "training_step",
    }


# --- GPU --------------------------------------------------------------------------------------


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_flow_on_cuda_matches_cpu():
    inputs, targets = make_sine_data()
    model, loss_fn, optimizer = make_training_setup(device="cuda")
    assert next(model.parameters()).device.type == "cuda"
    gpu = (inputs.cuda(), targets.cuda())
    one_step = training_step(*gpu, model, loss_fn, optimizer)
    losses = train(*gpu, model, loss_fn, optimizer, 100, progress=True)
    cpu = _gdguide_flow(100)
    assert math.isclose(one_step, cpu["one_step"], rel_tol=1e-4)
    torch.testing.assert_close(
        torch.tensor(losses), torch.tensor(cpu["losses"]), rtol=1e-3, atol=1e-5
    )
    with pytest.raises(ValueError, match="device"):
        train(inputs, targets, model, loss_fn, optimizer, 1)  # data on CPU, model on GPU
    with pytest.raises(ValueError, match="device"):
        train(inputs, targets.cuda(), model, loss_fn, optimizer, 1)
