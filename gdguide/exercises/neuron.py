"""Exercise 2.1: the one-neuron class and the element-wise squared loss.

Both checks judge the values *and* the gradients: a result cut off from the autograd graph (a
``.detach()``, ``.item()`` or ``.data`` hidden somewhere) has the right numbers but fails.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from gdguide.exercises._runner import Case, CheckResult, Exercise, Problem, first_mistake, run
from gdguide.exercises._values import (
    close_tensors,
    error_text,
    kind_text,
    number_text,
    tensor_text,
    value_text,
)

__all__ = ["check_neuron", "check_squared_loss"]

_HINTS = (
    ("bitwise_xor", "hint_xor"),
    ("for ^:", "hint_xor"),
    ("converted to Python scalars", "hint_numpy_on_tensor"),
    ("numpy() on Tensor", "hint_numpy_on_tensor"),
)


def _tensor_problem(result: Any, expected: torch.Tensor, values: dict[str, Any],
                    shape_key: str) -> Problem | None:
    """Check that *result* is a finite real tensor of the expected shape."""
    if not isinstance(result, torch.Tensor):
        converted = isinstance(result, (numbers.Real, np.ndarray)) and not isinstance(result, bool)
        return Problem("not_tensor", values, why="why_converted" if converted else None)
    if result.is_complex() or result.dtype == torch.bool:
        return Problem("not_tensor", values)
    if result.shape != expected.shape:
        return Problem(
            shape_key,
            {**values, "got_shape": str(tuple(result.shape)),
             "expected_shape": str(tuple(expected.shape))},
        )
    if not bool(torch.isfinite(result.detach()).all()):
        return Problem("nonfinite", values)
    return None


def _gradients(result: torch.Tensor, leaves: list[torch.Tensor]) -> list[torch.Tensor | None]:
    """Gradients of ``result.sum()`` with respect to *leaves* (``None`` where none arrives)."""
    return list(torch.autograd.grad(result.sum(), leaves, allow_unused=True))


# --------------------------------------------------------------------------------------------
# The neuron class
# --------------------------------------------------------------------------------------------

# (w, b, x): a diagnostic vector, the lesson's example (an integer tensor, as on the page) and a
# column. The first case tells every typical mistake apart (tests/test_exercises.py checks it).
NEURON_CASES: tuple[tuple[float, float, torch.Tensor], ...] = (
    (0.8, -0.3, torch.tensor([-1.5, 0.0, 0.5, 2.0])),
    (-0.5, 0.5, torch.tensor([1])),
    (1.3, 0.4, torch.tensor([[-0.7], [0.2], [1.1]])),
)


def _neuron_case(w: float, b: float, x: torch.Tensor) -> Case:
    wt = torch.tensor([w], dtype=torch.float64)
    bt = torch.tensor([b], dtype=torch.float64)
    xd = x.double()
    linear = wt * xd + bt
    prediction = torch.tanh(linear)
    slope = 1 - prediction**2
    return Case(
        inputs=f"SimpleNeuron({w}, {b}), x = {tensor_text(x)}",
        arguments=lambda: (w, b, x.clone()),
        expected=prediction,
        mistakes=(
            ("neuron_why_no_tanh", linear),
            ("neuron_why_sigmoid", torch.sigmoid(linear)),
            ("neuron_why_relu", torch.relu(linear)),
            ("neuron_why_no_bias", torch.tanh(wt * xd)),
            ("neuron_why_bias_outside", torch.tanh(wt * xd) + bt),
        ),
        data={"w": w, "b": b, "grad_w": (slope * xd).sum(), "grad_b": slope.sum()},
    )


def _build_and_predict(cls: Any, case: Case) -> tuple[Any, Any]:
    w, b, x = case.arguments()
    neuron = cls(w, b)
    return neuron, neuron.forward(x)


def _judge_neuron(result: tuple[Any, Any], case: Case) -> Problem | None:
    neuron, prediction = result
    values: dict[str, Any] = {"inputs": case.inputs}
    leaves = []
    for name in ("w", "b"):
        leaf = getattr(neuron, name, None)
        if not isinstance(leaf, torch.Tensor):
            return Problem("neuron_attribute", {**values, "name": name, "got": value_text(leaf)})
        if not leaf.requires_grad:
            return Problem("neuron_requires_grad", {**values, "name": name})
        given = torch.tensor([case.data[name]], dtype=torch.float64)
        if leaf.numel() != 1 or not close_tensors(leaf.detach().reshape(1), given):
            return Problem(
                "neuron_init_value",
                {**values, "name": name, "got": tensor_text(leaf), "expected": tensor_text(given)},
            )
        leaves.append(leaf)

    values.update(got=value_text(prediction), got_type=kind_text(prediction))
    problem = _tensor_problem(prediction, case.expected, values, "neuron_shape")
    if problem is not None:
        return problem
    if not close_tensors(prediction, case.expected):
        why = first_mistake(prediction, case.mistakes, close_tensors) or "neuron_why_other"
        return Problem("neuron_mismatch", {**values, "expected": tensor_text(case.expected)},
                       why=why)
    if prediction.grad_fn is None:
        return Problem("neuron_detached", values)
    try:
        grads = _gradients(prediction, leaves)
    except Exception as error:  # noqa: BLE001 - a broken graph is the learner's mistake
        return Problem("backward_failed", {**values, "error": error_text(error)})
    missing = [name for name, grad in zip(("w", "b"), grads, strict=True) if grad is None]
    if missing:
        return Problem("neuron_disconnected", {**values, "names": " / ".join(missing)})
    for name, grad in zip(("w", "b"), grads, strict=True):
        expected = case.data[f"grad_{name}"]
        if not close_tensors(grad.sum(), expected):
            return Problem(
                "neuron_wrong_gradient",
                {**values, "name": name, "got": number_text(grad.sum()),
                 "expected": number_text(expected)},
            )
    return None


_NEURON = Exercise(
    name="neuron",
    cases=lambda: [_neuron_case(*case) for case in NEURON_CASES],
    judge=_judge_neuron,
    call=_build_and_predict,
    hints=_HINTS,
    learner_kind="cls",
)


def check_neuron(cls: Callable[[float, float], Any], *, lang: str = "en") -> CheckResult:
    """Check a learner's one-neuron class (exercise 2.1).

    For three cases (a vector input, the lesson's ``w = -0.5``, ``b = 0.5``, ``x = [1]``, a
    column) the check builds ``neuron = cls(w, b)`` and calls ``neuron.forward(x)``. The neuron
    must hold ``neuron.w`` and ``neuron.b`` as one-element tensors with the given values that
    require gradients; the prediction must be a tensor shaped like ``x``, equal to
    ``tanh(w·x + b)`` within ``rtol = 1e-5`` and ``atol = 1e-6`` (float32 or float64), and the
    gradients of its sum must reach ``w`` and ``b`` with the right values. Wrong values are
    compared with ``w·x + b``, the sigmoid, ReLU, ``tanh(w·x)`` and ``tanh(w·x) + b`` to name the
    likely mistake.

    Parameters
    ----------
    cls : callable
        The learner's class ``cls(w, b)`` with a ``forward(x)`` method.
    lang : {"en", "ja"}, default "en"
        The language of the verdict.

    Returns
    -------
    CheckResult
        True when every test passes; its message explains the verdict.

    Raises
    ------
    TypeError
        If *cls* is not callable or *lang* is not a ``str``.
    ValueError
        If *lang* is not a site language.

    Examples
    --------
    >>> import torch
    >>> class Neuron:
    ...     def __init__(self, w, b):
    ...         self.w = torch.tensor([w], requires_grad=True)
    ...         self.b = torch.tensor([b], requires_grad=True)
    ...     def forward(self, x):
    ...         return torch.tanh(self.w * x + self.b)
    >>> bool(check_neuron(Neuron))
    True
    """
    return run(_NEURON, cls, lang)


# --------------------------------------------------------------------------------------------
# The squared loss
# --------------------------------------------------------------------------------------------

LOSS_CASES: tuple[tuple[torch.Tensor, torch.Tensor], ...] = (
    (torch.tensor([1.0, -0.5, 2.0, 0.0]), torch.tensor([0.2, 0.8, 2.5, -1.5])),
    (torch.tensor([7.0]), torch.tensor([0.0])),
    (torch.tensor([[0.3], [-1.2], [0.9]]), torch.tensor([[0.1], [0.4], [-0.6]])),
)


def _loss_case(y_true: torch.Tensor, y_prediction: torch.Tensor) -> Case:
    difference = y_true - y_prediction
    expected = difference**2
    return Case(
        inputs=f"y_true = {tensor_text(y_true)}, y_prediction = {tensor_text(y_prediction)}",
        arguments=lambda: (y_true.clone(), y_prediction.clone().requires_grad_(True)),
        expected=expected,
        mistakes=(
            ("loss_why_no_square", difference),
            ("loss_why_no_square", -difference),
            ("loss_why_abs", difference.abs()),
            ("loss_why_times2", 2 * difference),
        ),
        data={"gradient": -2 * difference},
    )


def _loss_call(fn: Callable[..., Any], case: Case) -> tuple[Any, torch.Tensor]:
    y_true, y_prediction = case.arguments()
    return fn(y_true, y_prediction), y_prediction


def _judge_loss(result: tuple[Any, torch.Tensor], case: Case) -> Problem | None:
    loss, y_prediction = result
    expected = case.expected
    values = {"inputs": case.inputs, "got": value_text(loss), "got_type": kind_text(loss)}
    if isinstance(loss, torch.Tensor) and loss.shape != expected.shape and not loss.is_complex():
        # name the shape mistake before the generic shape message: a reshaped right answer
        # first (a one-element loss squeezed to shape () is no mean), then a mean or a sum
        shape_values = {**values, "got_shape": str(tuple(loss.shape)),
                        "expected_shape": str(tuple(expected.shape))}
        if loss.numel() == expected.numel() and close_tensors(loss.reshape(expected.shape),
                                                              expected):
            return Problem("loss_shape", shape_values, why="loss_why_reshaped")
        for key, candidate in (("loss_why_mean", expected.mean()), ("loss_why_sum",
                                                                    expected.sum())):
            if loss.numel() == 1 and close_tensors(loss.reshape(()), candidate):
                return Problem("loss_shape", shape_values, why=key)
        why = "loss_why_single" if loss.numel() == 1 else None
        return Problem("loss_shape", shape_values, why=why)
    problem = _tensor_problem(loss, expected, values, "loss_shape")
    if problem is not None:
        return problem
    if not close_tensors(loss, expected):
        why = first_mistake(loss, case.mistakes, close_tensors) or "loss_why_other"
        return Problem("loss_mismatch", {**values, "expected": tensor_text(expected)}, why=why)
    if loss.grad_fn is None:
        return Problem("loss_detached", values)
    try:
        (gradient,) = _gradients(loss, [y_prediction])
    except Exception as error:  # noqa: BLE001 - a graph the learner used up is their mistake
        return Problem("backward_failed", {**values, "error": error_text(error)})
    if gradient is None:
        return Problem("loss_detached", values)
    if not close_tensors(gradient, case.data["gradient"]):
        return Problem(
            "loss_wrong_gradient",
            {
                **values,
                "got": tensor_text(gradient),
                "expected": tensor_text(case.data["gradient"]),
            },
        )
    return None


_LOSS = Exercise(
    name="loss",
    cases=lambda: [_loss_case(*case) for case in LOSS_CASES],
    judge=_judge_loss,
    call=_loss_call,
    hints=_HINTS,
)


def check_squared_loss(
    fn: Callable[[torch.Tensor, torch.Tensor], Any], *, lang: str = "en"
) -> CheckResult:
    """Check a learner's element-wise squared loss ``(y_true − y_prediction)²`` (exercise 2.1).

    The function is called three times with a target tensor and a prediction tensor that
    requires gradients (a vector, the lesson's ``7`` and ``0``, a column). The result must be a
    tensor of the inputs' shape, equal to ``(y_true − y_prediction)²`` (either way round)
    within ``rtol = 1e-5`` and ``atol = 1e-6``, and pass the gradient
    ``−2·(y_true − y_prediction)`` back to the prediction. Wrong answers are compared with the
    mean, the sum, a reshaped result, the plain difference (either sign), the absolute value and
    twice the difference to name the likely mistake.

    Parameters
    ----------
    fn : callable
        The learner's function ``fn(y_true, y_prediction) -> loss``.
    lang : {"en", "ja"}, default "en"
        The language of the verdict.

    Returns
    -------
    CheckResult
        True when every test passes; its message explains the verdict.

    Raises
    ------
    TypeError
        If *fn* is not callable or *lang* is not a ``str``.
    ValueError
        If *lang* is not a site language.

    Examples
    --------
    >>> print(check_squared_loss(lambda y_true, y_prediction: (y_prediction - y_true) ** 2, lang="ja"))
    ✅ できました：あなたの損失関数は 3 通りの入力で (y_true − y_prediction)² を要素ごとに計算し、入力の形状を保ち、y_prediction に正しい勾配を返しています。
    """  # noqa: E501
    return run(_LOSS, fn, lang)
