"""Exercise 3.1: the five-line training loop.

The check builds a small problem from the lesson's seed, runs the learner's loop on one copy and
the library's :func:`~gdguide.training.train` on another, and compares the losses, for several
epoch counts (a loop that ignores ``n_epochs`` fails).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from gdguide.exercises._runner import Case, CheckResult, Exercise, Problem, first_mistake, run
from gdguide.exercises._values import (
    ATOL_FLOAT32,
    RTOL,
    clip,
    kind_text,
    number_text,
    value_text,
)
from gdguide.reproducibility import SEED
from gdguide.training import make_sine_data, make_training_setup, train

__all__ = ["check_train"]

# The small training problem, built afresh from the same seed for every run.
N_SAMPLES = 16
N_UNITS = 16
LEARNING_RATE = 0.05
MOMENTUM = 0.9
#: The epoch counts tried, in order: the first one shows every typical mistake.
EPOCH_COUNTS = (4, 1, 7)

_HINTS = (
    ("modified by an inplace operation", "hint_inplace"),
    ("backward through the graph a second time", "hint_backward_twice"),
    ("converted to Python scalars", "hint_numpy_on_tensor"),
)


def _problem() -> tuple[torch.Tensor, torch.Tensor, Any, Any, torch.optim.Optimizer]:
    features, labels = make_sine_data(N_SAMPLES, seed=SEED)
    model, loss_fn, optimizer = make_training_setup(
        n_units=N_UNITS, seed=SEED, lr=LEARNING_RATE, momentum=MOMENTUM
    )
    return features, labels, model, loss_fn, optimizer


def _wrong_loop(kind: str, n_epochs: int) -> list[float]:
    """Return the losses of a loop with the mistake *kind* built in.

    ``"no_zero_grad"`` never zeroes the gradients; ``"no_step"`` never updates the parameters
    (what a loop that calls ``step()`` before ``backward()``, right after ``zero_grad()``, does
    too); ``"after_step"`` records the loss of the parameters after each step.
    """
    if kind == "after_step":
        return train(*_problem(), n_epochs + 1)[1:]
    features, labels, model, loss_fn, optimizer = _problem()
    losses = []
    for _ in range(n_epochs):
        if kind == "no_step":
            optimizer.zero_grad()
        loss = loss_fn(model(features), labels)
        loss.backward()
        if kind == "no_zero_grad":
            optimizer.step()
        losses.append(loss.item())
    return losses


def _case(n_epochs: int) -> Case:
    return Case(
        inputs=f"n_epochs = {n_epochs}",
        arguments=lambda: (*_problem(), n_epochs),
        expected=train(*_problem(), n_epochs),
        mistakes=tuple(
            (f"train_why_{kind}", _wrong_loop(kind, n_epochs))
            for kind in ("no_zero_grad", "no_step", "after_step")
        ),
        data={"n_epochs": n_epochs},
    )


def _call(fn: Callable[..., Any], case: Case) -> tuple[Any, list[torch.Tensor], Any]:
    arguments = case.arguments()
    model = arguments[2]
    before = [parameter.detach().clone() for parameter in model.parameters()]
    return fn(*arguments), before, model


def _close(got: Sequence[float], expected: Sequence[float]) -> bool:
    return len(got) == len(expected) and bool(
        np.allclose(got, expected, rtol=RTOL, atol=ATOL_FLOAT32)
    )


def _losses_text(losses: Sequence[Any]) -> str:
    return clip("[" + ", ".join(number_text(value) for value in losses) + "]")


def _judge(result: tuple[Any, list[torch.Tensor], Any], case: Case) -> Problem | None:
    losses, before, model = result
    n_epochs = case.data["n_epochs"]
    values: dict[str, Any] = {
        "n_epochs": n_epochs,
        "n_samples": N_SAMPLES,
        "n_units": N_UNITS,
        "got": value_text(losses),
        "got_type": kind_text(losses),
    }
    if losses is None:
        return Problem("train_none", values)
    if not isinstance(losses, list):
        return Problem("train_not_list", values)
    if len(losses) != n_epochs:
        hint = {0: "train_length_zero", 1: "train_length_one"}.get(len(losses))
        return Problem("train_length", {**values, "n_got": len(losses)}, hint=hint)
    if any(isinstance(value, torch.Tensor) for value in losses):
        return Problem("train_tensors", {**values, "got": value_text(losses[0])})
    for index, value in enumerate(losses):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return Problem(
                "train_not_numbers",
                {**values, "index": index, "got": value_text(value), "got_type": kind_text(value)},
            )
    got = [float(value) for value in losses]
    values["got"] = _losses_text(got)
    if not all(math.isfinite(value) for value in got):
        return Problem("train_nonfinite", values)
    if _close(got, case.expected):
        return None

    values["expected"] = _losses_text(case.expected)
    why = first_mistake(got, case.mistakes, _close)
    if why is not None:
        return Problem("train_mismatch", values, why=why)
    unchanged = all(
        torch.equal(old, new.detach()) for old, new in zip(before, model.parameters(), strict=True)
    )
    if unchanged:
        return Problem("train_mismatch", values, why="train_why_globals")
    epoch = next(
        index + 1
        for index, (a, b) in enumerate(zip(got, case.expected, strict=True))
        if not math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL_FLOAT32)
    )
    return Problem("train_mismatch", {**values, "epoch": epoch}, why="train_why_other")


EXERCISE = Exercise(
    name="train",
    cases=lambda: [_case(n_epochs) for n_epochs in EPOCH_COUNTS],
    judge=_judge,
    call=_call,
    hints=_HINTS,
    summary=lambda cases: {"epoch_counts": ", ".join(str(n) for n in EPOCH_COUNTS)},
)


def check_train(fn: Callable[..., Any], *, lang: str = "en") -> CheckResult:
    """Check a learner's full-batch training loop (exercise 3.1).

    The check builds a small problem from the lesson's seed: 16 samples of
    :func:`~gdguide.training.make_sine_data`, a network with 16 hidden units, ``MSELoss`` and
    SGD with momentum (:func:`~gdguide.training.make_training_setup`). For ``n_epochs`` = 4, 1
    and 7 it calls ``fn(features, labels, model, loss_fn, optimizer, n_epochs)`` on a fresh copy
    and compares the returned losses with those of the library's
    :func:`~gdguide.training.train` within ``rtol = 1e-5`` and ``atol = 1e-6``. A wrong list is
    compared with loops that forget ``zero_grad``, never step (or step before ``backward``) and
    record the loss after the step, to name the likely mistake; a loop that runs longer than
    10 s is stopped. The random states of Python, NumPy and PyTorch are restored afterwards.

    Parameters
    ----------
    fn : callable
        The learner's function ``fn(features, labels, model, loss_fn, optimizer, n_epochs)``
        returning the list of per-epoch losses (floats).
    lang : {"en", "ja"}, default "en"
        The language of the verdict.

    Returns
    -------
    CheckResult
        True when the losses match; its message explains the verdict.

    Raises
    ------
    TypeError
        If *fn* is not callable or *lang* is not a ``str``.
    ValueError
        If *lang* is not a site language.

    Examples
    --------
    >>> from gdguide.training import train
    >>> print(check_train(train))
    ✅ Passed: your training loop (zero_grad, forward pass, loss, backward pass, step) gives the reference losses for n_epochs = 4, 1, 7 and records them as numbers.
    """  # noqa: E501
    return run(EXERCISE, fn, lang)
