"""Data, model and training loop of the lesson's regression example (§3 and §3.1).

The flow of the original lesson, which these functions reproduce number for number:

1. seed with :data:`~gdguide.reproducibility.SEED`, then draw the data (:func:`make_sine_data`);
2. seed again, then build the model, the loss and the optimiser (:func:`make_training_setup`);
3. take one training step by hand and print its loss (:func:`training_step`);
4. seed again and train for :data:`TRAINING_EPOCHS` epochs (:func:`train`).

Everything works on the CPU or a GPU: move the data and the model with ``.to(device)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import nn
from tqdm import tqdm

from gdguide._validate import (
    _kind,
    _short,
    check_bool,
    check_callable,
    check_device,
    check_int,
    check_positive,
    check_real,
    check_str,
    check_tensor,
)
from gdguide.reproducibility import SEED, set_seed

__all__ = [
    "LEARNING_RATE",
    "MAX_EPOCHS",
    "MAX_SAMPLES",
    "MAX_SNAPSHOTS",
    "MAX_UNITS",
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
]

#: Number of full-batch epochs, 1847 (the year of Cauchy's paper on gradient descent).
TRAINING_EPOCHS = 1847
#: Learning rate of the lesson's SGD optimiser.
LEARNING_RATE = 0.003
#: Momentum of the lesson's SGD optimiser.
MOMENTUM = 0.9

# Sane maxima of the counts: far above what a lesson needs, low enough that a slip such as
# ``n_epochs=10**12`` fails at once instead of running for days or exhausting the memory.
#: Most epochs :func:`train` runs.
MAX_EPOCHS = 1_000_000
#: Most samples :func:`make_sine_data` draws.
MAX_SAMPLES = 10_000_000
#: Widest hidden layer of :class:`WideNet`.
MAX_UNITS = 100_000
#: Most epochs one :class:`TrainingSnapshots` records.
MAX_SNAPSHOTS = 10_000

LossFunction = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


class TrainingDivergedError(FloatingPointError):
    """Raised by :func:`train` when the loss becomes NaN or infinite.

    Parameters
    ----------
    message : str
        The error message.
    epoch : int
        0-based index of the epoch whose loss was not finite.
    loss : float
        That loss value (``nan``, ``inf`` or ``-inf``).
    losses : list of float
        The finite losses recorded before that epoch (``epoch`` of them).

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If *epoch* is negative, *loss* is finite, or *losses* does not hold ``epoch`` finite
        values.

    Attributes
    ----------
    epoch : int
        0-based index of the epoch whose loss was not finite.
    loss : float
        The non-finite loss value.
    losses : list of float
        The losses of the epochs before, e.g. to plot how training blew up.
    """

    def __init__(self, message: str, *, epoch: int, loss: float, losses: list[float]) -> None:
        check_str("message", message)
        epoch = check_int("epoch", epoch, minimum=0)
        loss = check_real("loss", loss, finite=False)
        if math.isfinite(loss):
            raise ValueError(f"loss must be the non-finite loss (nan, inf or -inf), got {loss!r}")
        if not isinstance(losses, (list, tuple)):
            raise TypeError(
                f"losses must be a list of floats, got {_kind(losses)} {_short(losses)}"
            )
        losses = [check_real(f"losses[{i}]", value) for i, value in enumerate(losses)]
        if len(losses) != epoch:
            raise ValueError(
                f"losses must hold the {epoch} loss(es) of the epochs before epoch {epoch}, "
                f"got {len(losses)}"
            )
        super().__init__(message)
        self.epoch = epoch
        self.loss = loss
        self.losses = losses


def make_sine_data(
    n_samples: int = 32, *, seed: int | None = SEED
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return noisy samples of ``sin(π·x)`` on ``[-1, 1]``, as in the lesson.

    The inputs are ``linspace(-1, 1, n_samples)`` as a column; the targets are
    ``sin(π·x) + randn(n_samples, 1) / 4``.

    Parameters
    ----------
    n_samples : int, default 32
        Number of samples, ``1 <= n_samples <=`` :data:`MAX_SAMPLES`.
    seed : int or None, default SEED
        Passed to :func:`~gdguide.reproducibility.set_seed` right before the noise is drawn;
        ``None`` draws from the current random state without seeding.

    Returns
    -------
    inputs : torch.Tensor
        Shape ``(n_samples, 1)``, float32, on the CPU.
    targets : torch.Tensor
        Shape ``(n_samples, 1)``, float32, on the CPU.

    Raises
    ------
    TypeError
        If *n_samples* or *seed* is not an ``int`` (or *seed* not ``None``).
    ValueError
        If *n_samples* is out of range or *seed* is outside ``[0, 2**32)``.

    Examples
    --------
    >>> inputs, targets = make_sine_data()
    >>> inputs.shape, targets.shape
    (torch.Size([32, 1]), torch.Size([32, 1]))
    """
    n_samples = check_int("n_samples", n_samples, minimum=1, maximum=MAX_SAMPLES)
    if seed is not None:
        set_seed(seed)
    inputs = torch.linspace(-1.0, 1.0, n_samples).reshape(n_samples, 1)
    noise = torch.randn(n_samples, 1) / 4
    targets = torch.sin(math.pi * inputs) + noise
    return inputs, targets


class WideNet(nn.Module):
    """One hidden layer of tanh units: ``Linear(1, n_units) → Tanh → Linear(n_units, 1)``.

    Parameters
    ----------
    n_units : int, default 512
        Width of the hidden layer, ``1 <= n_units <=`` :data:`MAX_UNITS`.

    Attributes
    ----------
    layers : torch.nn.Sequential
        The three layers, in order.

    Raises
    ------
    TypeError
        If *n_units* is not an ``int``.
    ValueError
        If *n_units* < 1 or > :data:`MAX_UNITS`.

    Examples
    --------
    >>> import torch
    >>> WideNet(n_units=8)(torch.zeros(5, 1)).shape
    torch.Size([5, 1])
    """

    def __init__(self, n_units: int = 512) -> None:
        n_units = check_int("n_units", n_units, minimum=1, maximum=MAX_UNITS)
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(1, n_units), nn.Tanh(), nn.Linear(n_units, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return the network's output for inputs *x* of shape ``(n, 1)``.

        No checks here, so that the training loop stays as fast as a bare one: PyTorch's
        own error explains a wrong shape or device.
        """
        return self.layers(x)


def log_spaced_epochs(n_epochs: int, count: int = 40) -> list[int]:
    """Return about *count* epoch numbers from 1 to *n_epochs*, spaced evenly on a log scale.

    The first and the last epoch are always included. Where a log scale would put two of them
    on the same integer (the first few epochs), consecutive epochs are taken instead, so the
    list holds exactly ``min(count, n_epochs)`` distinct numbers, in increasing order: dense
    where training changes fast, sparse where it has settled.

    Parameters
    ----------
    n_epochs : int
        The number of epochs of the run, ``1 <= n_epochs <=`` :data:`MAX_EPOCHS`.
    count : int, default 40
        How many epochs to choose, ``2 <= count <=`` :data:`MAX_SNAPSHOTS`.

    Returns
    -------
    list of int
        1-based epoch numbers, the first 1 and the last *n_epochs*.

    Raises
    ------
    TypeError
        If *n_epochs* or *count* is not an ``int``.
    ValueError
        If *n_epochs* or *count* is out of range.

    Examples
    --------
    >>> log_spaced_epochs(1000, count=8)
    [1, 3, 7, 19, 52, 139, 373, 1000]
    >>> log_spaced_epochs(3, count=8)
    [1, 2, 3]
    """
    n_epochs = check_int("n_epochs", n_epochs, minimum=1, maximum=MAX_EPOCHS)
    count = check_int("count", count, minimum=2, maximum=MAX_SNAPSHOTS)
    count = min(count, n_epochs)
    if count == 1:
        return [1]
    epochs: list[int] = []
    for i in range(count):
        ideal = round(n_epochs ** (i / (count - 1)))
        # at least one past the previous epoch, and room left for the ones still to come
        lowest = epochs[-1] + 1 if epochs else 1
        epochs.append(min(max(ideal, lowest), n_epochs - (count - 1 - i)))
    return epochs


class TrainingSnapshots:
    """Record a model's predictions on fixed inputs at chosen epochs of :func:`train`.

    Pass it to ``train(..., snapshots=...)``: at the start of each chosen epoch, before that
    epoch's update, :func:`train` evaluates the model on *grid* and stores the result, so the
    snapshot of epoch ``N`` is the model whose loss is ``losses[N - 1]``. The snapshots come
    from the one training run itself; no second training is needed to replay it.

    Recording leaves the training exactly as it would be without it: the model is evaluated
    under ``torch.no_grad()`` and in evaluation mode (``model.eval()``, each submodule's mode
    restored afterwards), so no gradient, random number or running statistic (dropout, batch
    norm) is touched, and the losses and parameters come out identical.

    Parameters
    ----------
    grid : torch.Tensor
        The inputs to evaluate, 2-D ``(n_points, n_features)`` with the features' columns,
        floating-point, finite, at least one row. It is copied; :func:`train` moves the copy
        to the device and dtype of the features.
    epochs : sequence of int
        1-based epoch numbers, strictly increasing, ``>= 1``, at most :data:`MAX_SNAPSHOTS` of
        them, e.g. from :func:`log_spaced_epochs`. The run must have at least ``epochs[-1]``
        epochs.

    Attributes
    ----------
    grid : torch.Tensor
        The copy of *grid* (on the CPU when *grid* was).
    epochs : tuple of int
        The chosen epochs.
    n_epochs : int or None
        The number of epochs of the run that recorded the snapshots; ``None`` before a run.
    predictions : dict of int to torch.Tensor
        Epoch number to the model's output on *grid* at the start of that epoch, detached, on
        the CPU. Each run of :func:`train` starts it afresh; a run that diverges keeps the
        snapshots taken before.

    Raises
    ------
    TypeError
        If *grid* is not a floating-point tensor or *epochs* is not a list, tuple or range of
        ``int``.
    ValueError
        If *grid* is not 2-D, empty or not finite, or *epochs* is empty, too long, not
        strictly increasing or holds a number below 1 or above :data:`MAX_EPOCHS`.

    Examples
    --------
    >>> import torch
    >>> inputs, targets = make_sine_data()
    >>> model, loss_fn, optimizer = make_training_setup()
    >>> snapshots = TrainingSnapshots(torch.linspace(-1, 1, 5).reshape(-1, 1), [1, 3])
    >>> losses = train(inputs, targets, model, loss_fn, optimizer, 3, snapshots=snapshots)
    >>> sorted(snapshots.predictions), snapshots.predictions[3].shape
    ([1, 3], torch.Size([5, 1]))
    """

    def __init__(self, grid: torch.Tensor, epochs: Any) -> None:
        check_tensor("grid", grid, ndim=2)
        if not grid.is_floating_point():
            raise TypeError(
                f"grid must have a floating-point dtype (e.g. torch.float32), got {grid.dtype}"
            )
        if grid.shape[0] == 0 or grid.shape[1] == 0:
            raise ValueError(
                f"grid must have at least one row and one column, got shape {tuple(grid.shape)}"
            )
        if not isinstance(epochs, (list, tuple, range)):
            raise TypeError(
                f"epochs must be a list, tuple or range of int, got {_kind(epochs)} "
                f"{_short(epochs)}"
            )
        if not 1 <= len(epochs) <= MAX_SNAPSHOTS:
            raise ValueError(
                f"epochs must hold 1 to {MAX_SNAPSHOTS} epoch numbers, got {len(epochs)}"
            )
        chosen = tuple(
            check_int(f"epochs[{i}]", epoch, minimum=1, maximum=MAX_EPOCHS)
            for i, epoch in enumerate(epochs)
        )
        for i in range(1, len(chosen)):
            if chosen[i] <= chosen[i - 1]:
                raise ValueError(
                    f"epochs must be strictly increasing, got epochs[{i - 1}] = {chosen[i - 1]} "
                    f"and epochs[{i}] = {chosen[i]}"
                )
        self.grid = grid.detach().clone()
        self.epochs = chosen
        self.n_epochs: int | None = None
        self.predictions: dict[int, torch.Tensor] = {}
        self._grid_for_run = self.grid

    def __repr__(self) -> str:
        return (
            f"TrainingSnapshots(grid of shape {tuple(self.grid.shape)}, epochs {self.epochs[0]} "
            f"to {self.epochs[-1]}: {len(self.predictions)} of {len(self.epochs)} recorded)"
        )

    def _start(self, features: torch.Tensor, n_epochs: int) -> list[int]:
        """Check the run against the snapshots, clear them; return the 0-based epochs, reversed."""
        if self.grid.shape[1] != features.shape[1]:
            raise ValueError(
                f"snapshots.grid must have the {features.shape[1]} column(s) of features, got "
                f"shape {tuple(self.grid.shape)}"
            )
        if self.epochs[-1] > n_epochs:
            raise ValueError(
                f"snapshots asks for epoch {self.epochs[-1]}, but n_epochs is {n_epochs}"
            )
        self._grid_for_run = self.grid.to(device=features.device, dtype=features.dtype)
        self.n_epochs = n_epochs
        self.predictions = {}
        return [epoch - 1 for epoch in reversed(self.epochs)]

    def _take(self, epoch: int, model: nn.Module) -> None:
        """Store the model's output on the grid as the snapshot of *epoch* (1-based)."""
        modes = [(module, module.training) for module in model.modules()]
        model.eval()
        try:
            with torch.no_grad():
                output = model(self._grid_for_run)
        except RuntimeError as error:
            raise ValueError(
                f"model cannot be applied to snapshots.grid of shape "
                f"{tuple(self.grid.shape)}: {error}"
            ) from error
        finally:
            for module, mode in modes:
                module.training = mode
        if not isinstance(output, torch.Tensor):
            raise TypeError(f"model must return a tensor for snapshots.grid, got {_kind(output)}")
        self.predictions[epoch] = output.detach().to("cpu", copy=True)


def _check_training_args(
    features: Any, labels: Any, model: Any, loss_fn: Any, optimizer: Any
) -> None:
    """Check the arguments shared by :func:`training_step` and :func:`train`."""
    check_tensor("features", features, ndim=2, finite=False)
    check_tensor("labels", labels, ndim=2, finite=False)
    if not features.is_floating_point():
        raise TypeError(
            f"features must have a floating-point dtype (e.g. torch.float32), got {features.dtype}"
        )
    if features.shape[0] != labels.shape[0]:
        raise ValueError(
            "features and labels must have the same number of rows (samples), got features "
            f"shape {tuple(features.shape)} and labels shape {tuple(labels.shape)}"
        )
    if features.device != labels.device:
        raise ValueError(
            f"features and labels must be on the same device, got features on {features.device} "
            f"and labels on {labels.device}"
        )
    check_tensor("features", features)  # finiteness, once the devices are known to agree
    check_tensor("labels", labels)
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {_kind(model)} {_short(model)}")
    for name, parameter in model.named_parameters():
        if parameter.device != features.device:
            raise ValueError(
                f"model must be on the device of features ({features.device}), but its "
                f"parameter {name!r} is on {parameter.device}; move it with model.to(device)"
            )
        if parameter.is_floating_point() and parameter.dtype != features.dtype:
            raise TypeError(
                f"features must have the dtype of the model's parameters, but features is "
                f"{features.dtype} and the model's parameter {name!r} is {parameter.dtype}; "
                f"convert one of them, e.g. model.to({features.dtype}) or "
                f"features.to({parameter.dtype})"
            )
    check_callable("loss_fn", loss_fn)
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            f"optimizer must be a torch.optim.Optimizer, got {_kind(optimizer)} {_short(optimizer)}"
        )


def _checked_loss(
    features: torch.Tensor, labels: torch.Tensor, model: nn.Module, loss_fn: LossFunction
) -> torch.Tensor:
    """Run the forward pass and the loss once, checking what the model and *loss_fn* give.

    :func:`training_step` runs every step through here, :func:`train` its first epoch only,
    so that the loop itself stays bare. Nothing has been updated when it raises.
    """
    try:
        prediction = model(features)
    except RuntimeError as error:  # a wrong width or dtype, as PyTorch words it
        raise ValueError(
            f"model cannot be applied to features of shape {tuple(features.shape)} and dtype "
            f"{features.dtype}: {error}"
        ) from error
    if not isinstance(prediction, torch.Tensor) or prediction.shape != labels.shape:
        got = (
            f"shape {tuple(prediction.shape)}"
            if isinstance(prediction, torch.Tensor)
            else _kind(prediction)
        )
        raise ValueError(
            f"labels must have the shape of the model's prediction model(features), got labels "
            f"of shape {tuple(labels.shape)} and a prediction of {got}"
        )
    loss = loss_fn(prediction, labels)
    if not isinstance(loss, torch.Tensor):
        raise TypeError(
            f"loss_fn must return a torch.Tensor (one number with a grad_fn), got "
            f"{_kind(loss)} {_short(loss)}"
        )
    if loss.numel() != 1:
        raise ValueError(
            f"loss_fn must return a scalar tensor (one number, e.g. nn.MSELoss() or "
            f"((prediction - labels) ** 2).mean()), got a tensor of shape {tuple(loss.shape)}; "
            "an element-wise loss needs a .mean() or .sum()"
        )
    if not loss.requires_grad:
        raise TypeError(
            "loss_fn must compute its result from the prediction with torch operations; the "
            "tensor it returned has no grad_fn (was it made with .item(), .detach() or "
            "torch.tensor(...)?)"
        )
    return loss


def training_step(
    features: torch.Tensor,
    labels: torch.Tensor,
    model: nn.Module,
    loss_fn: LossFunction,
    optimizer: torch.optim.Optimizer,
) -> float:
    """Take one gradient-descent step on the whole batch and return its loss.

    The five lines of a training step: zero the gradients, forward pass, loss, backward pass,
    optimiser step.

    Parameters
    ----------
    features : torch.Tensor
        Inputs, 2-D ``(n_samples, n_features)``, floating-point, finite.
    labels : torch.Tensor
        Targets, 2-D with the same number of rows as *features*, finite, same device.
    model : torch.nn.Module
        The model, on the device of *features*.
    loss_fn : callable
        Called as ``loss_fn(prediction, labels)``; returns a scalar tensor, e.g.
        :class:`torch.nn.MSELoss`.
    optimizer : torch.optim.Optimizer
        Updates the model's parameters.

    Returns
    -------
    float
        The loss computed in this step, i.e. *before* the parameters were updated. It is not
        checked: a NaN loss is returned as NaN (:func:`train` raises instead).

    Raises
    ------
    TypeError
        If an argument has the wrong type, the model's parameters have another dtype than
        *features*, or *loss_fn* does not return a tensor with a ``grad_fn``.
    ValueError
        If *features* or *labels* is not 2-D or not finite, their rows differ, tensors and
        model are on different devices, the model cannot take *features* (e.g. a wrong
        width), its prediction has another shape than *labels*, or *loss_fn* returns more than
        one number (an element-wise loss).

    Examples
    --------
    >>> inputs, targets = make_sine_data()
    >>> model, loss_fn, optimizer = make_training_setup()
    >>> loss = training_step(inputs, targets, model, loss_fn, optimizer)
    """
    _check_training_args(features, labels, model, loss_fn, optimizer)
    optimizer.zero_grad()
    loss = _checked_loss(features, labels, model, loss_fn)
    loss.backward()
    optimizer.step()
    return loss.item()


def train(
    features: torch.Tensor,
    labels: torch.Tensor,
    model: nn.Module,
    loss_fn: LossFunction,
    optimizer: torch.optim.Optimizer,
    n_epochs: int,
    *,
    progress: bool = False,
    desc: str | None = None,
    snapshots: TrainingSnapshots | None = None,
) -> list[float]:
    """Train *model* on the full batch for *n_epochs* epochs and return the loss of each.

    Every epoch does exactly what :func:`training_step` does (zero the gradients, forward,
    loss, backward, step) and records ``loss.item()``; the arguments are checked once, before
    the loop, so that the loop costs no more than a bare one.

    Parameters
    ----------
    features : torch.Tensor
        Inputs, 2-D ``(n_samples, n_features)``, floating-point, finite.
    labels : torch.Tensor
        Targets, 2-D with the same number of rows as *features*, finite, same device.
    model : torch.nn.Module
        The model, on the device of *features*; trained in place.
    loss_fn : callable
        Called as ``loss_fn(prediction, labels)``; returns a scalar tensor.
    optimizer : torch.optim.Optimizer
        Updates the model's parameters.
    n_epochs : int
        Number of epochs, ``0 <= n_epochs <=`` :data:`MAX_EPOCHS`.
    progress : bool, default False
        Show a ``tqdm`` progress bar on standard error.
    desc : str or None, default None
        Label of the progress bar.
    snapshots : TrainingSnapshots or None, default None
        Records the model's predictions on its grid at its epochs during this run (see
        :class:`TrainingSnapshots`); the losses are the same with or without it.

    Returns
    -------
    list of float
        The loss of every epoch, computed before that epoch's update; ``n_epochs`` values.

    Raises
    ------
    TypeError
        As for :func:`training_step` (the prediction and the loss are checked in the first
        epoch).
    ValueError
        As for :func:`training_step`, or if *n_epochs* is out of range, or *snapshots* asks
        for an epoch after the last or has a grid that does not fit *features*.
    TrainingDivergedError
        If a loss becomes NaN or infinite; its ``epoch`` attribute is the 0-based epoch index.

    Examples
    --------
    >>> inputs, targets = make_sine_data()
    >>> model, loss_fn, optimizer = make_training_setup()
    >>> losses = train(inputs, targets, model, loss_fn, optimizer, n_epochs=3)
    >>> len(losses)
    3
    """
    _check_training_args(features, labels, model, loss_fn, optimizer)
    n_epochs = check_int("n_epochs", n_epochs, minimum=0, maximum=MAX_EPOCHS)
    check_bool("progress", progress)
    if desc is not None and not isinstance(desc, str):
        raise TypeError(f"desc must be None or a str, got {_kind(desc)} {_short(desc)}")
    # 0-based epochs still to record, the next one last; -1 never equals an epoch index, so
    # the loop pays one integer comparison per epoch for the recording
    pending: list[int] = []
    if snapshots is not None:
        if not isinstance(snapshots, TrainingSnapshots):
            raise TypeError(
                f"snapshots must be None or a TrainingSnapshots, got {_kind(snapshots)} "
                f"{_short(snapshots)}"
            )
        pending = snapshots._start(features, n_epochs)
    next_snapshot = pending.pop() if pending else -1

    losses: list[float] = []
    record = losses.append
    isfinite = math.isfinite
    epochs: range | tqdm = range(n_epochs)
    if progress:
        epochs = tqdm(epochs, desc=desc, total=n_epochs, unit="epoch")
    try:
        for epoch in epochs:
            if epoch == next_snapshot:  # before the update: the model of this epoch's loss
                snapshots._take(epoch + 1, model)  # type: ignore[union-attr]
                next_snapshot = pending.pop() if pending else -1
            optimizer.zero_grad()
            if epoch:
                loss = loss_fn(model(features), labels)
            else:
                loss = _checked_loss(features, labels, model, loss_fn)
            loss.backward()
            optimizer.step()
            value = loss.item()
            if not isfinite(value):
                raise TrainingDivergedError(
                    f"training diverged at epoch {epoch} (0-based; epoch {epoch + 1} of "
                    f"{n_epochs} counting from 1): the loss became {value!r}; try a smaller "
                    "learning rate",
                    epoch=epoch,
                    loss=value,
                    losses=list(losses),
                )
            record(value)
    finally:
        if progress:
            epochs.close()
    return losses


def make_training_setup(
    n_units: int = 512,
    seed: int | None = SEED,
    lr: float = LEARNING_RATE,
    momentum: float = MOMENTUM,
    device: torch.device | str | None = None,
) -> tuple[WideNet, nn.MSELoss, torch.optim.SGD]:
    """Seed, then build the lesson's model, loss and optimiser, in that order.

    Parameters
    ----------
    n_units : int, default 512
        Width of the hidden layer of :class:`WideNet`.
    seed : int or None, default SEED
        Passed to :func:`~gdguide.reproducibility.set_seed` right before the model is built, so
        that its initial weights are the lesson's; ``None`` skips seeding.
    lr : float, default LEARNING_RATE
        Learning rate of SGD, ``> 0``.
    momentum : float, default MOMENTUM
        Momentum of SGD, ``>= 0``.
    device : torch.device, str or None, default None
        Where to put the model (built on the CPU first, then moved, so the initial weights do
        not depend on the device). ``None`` leaves it on the CPU.

    Returns
    -------
    model : WideNet
        The freshly initialised network.
    loss_fn : torch.nn.MSELoss
        Mean squared error.
    optimizer : torch.optim.SGD
        SGD with the given learning rate and momentum over the model's parameters.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If *n_units* is out of range, *lr* <= 0, *momentum* < 0, *seed* is out of range or
        *device* names no device available on this machine.

    Examples
    --------
    >>> model, loss_fn, optimizer = make_training_setup()
    >>> optimizer.param_groups[0]["lr"]
    0.003
    """
    n_units = check_int("n_units", n_units, minimum=1, maximum=MAX_UNITS)
    lr = check_positive("lr", lr)
    momentum = check_real("momentum", momentum)
    if momentum < 0:
        raise ValueError(f"momentum must be >= 0, got {momentum!r}")
    target = check_device(device)
    if seed is not None:
        set_seed(seed)
    model = WideNet(n_units)
    if target is not None:
        model = model.to(target)
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    return model, loss_fn, optimizer
