"""Exercise 1.1: the gradient of ``h(x, y) = sin(x² + y²)``."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gdguide.exercises._runner import Case, CheckResult, Exercise, Problem, first_mistake, run
from gdguide.exercises._values import (
    as_items,
    as_real_array,
    close_float64,
    number_text,
    value_text,
)
from gdguide.functions import h, h_gradient

__all__ = ["check_h_gradient"]

# Scalar test points, one per quadrant. cos(x² + y²) is far from 0, x != ±y, neither 2x nor 2y
# is 1, and every typical wrong formula gives a value at least 0.05 away from the right answer
# and from every other wrong formula at the first point (tests/test_exercises.py checks it).
SCALAR_POINTS: tuple[tuple[float, float], ...] = (
    (0.6, -0.9),
    (1.6, 0.4),
    (-1.5, 1.2),
    (-0.4, -1.4),
)

_HINTS = (
    ("for ^:", "hint_xor"),
    ("bitwise_xor", "hint_xor"),
    ("converted to Python scalars", "hint_math_on_array"),
    ("must be Tensor", "hint_torch_on_number"),
)


def typical_mistakes(x: Any, y: Any) -> tuple[tuple[str, tuple[Any, Any]], ...]:
    """Return what the typical wrong formulas give for ∇h at (x, y), keyed by their message."""
    u = np.asarray(x) ** 2 + np.asarray(y) ** 2
    right_x, right_y = (np.asarray(g) for g in h_gradient(x, y))
    value = np.broadcast_to(h(x, y), u.shape)
    return (
        ("h_why_factor2", (np.cos(u) * x, np.cos(u) * y)),
        ("h_why_sin", (np.sin(u) * 2 * x, np.sin(u) * 2 * y)),
        ("h_why_inner", (np.cos(u), np.cos(u))),
        ("h_why_dy_copied", (right_x, right_x)),
        ("h_why_dx_copied", (right_y, right_y)),
        ("h_why_swapped", (right_y, right_x)),
        ("h_why_sign", (-right_x, -right_y)),
        ("h_why_h", (value, value)),
    )


def _array_input(name: str, array: np.ndarray) -> str:
    return f"{name} = np.array({array.tolist()})"


def _case(x: np.ndarray, y: np.ndarray) -> Case:
    scalar = x.ndim == 0 and y.ndim == 0
    if scalar:
        inputs = f"x = {float(x)!r}, y = {float(y)!r}"
        arguments: Callable[[], tuple[Any, ...]] = lambda: (float(x), float(y))  # noqa: E731
    else:
        inputs = f"{_array_input('x', x)}, {_array_input('y', y)}"
        arguments = lambda: (x.copy(), y.copy())  # noqa: E731
    expected = tuple(np.asarray(g) for g in h_gradient(x, y))
    return Case(
        inputs=inputs,
        arguments=arguments,
        expected=expected,
        mistakes=typical_mistakes(x, y),
        data={"x": x, "y": y, "scalar": scalar},
    )


def _cases() -> list[Case]:
    cases = [_case(np.float64(x), np.float64(y)) for x, y in SCALAR_POINTS]
    cases.append(
        _case(np.array([-1.2, -0.4, 0.7, 1.3, 2.0]), np.array([0.5, -1.1, 0.2, 0.9, -0.3]))
    )
    cases.append(_case(np.array([[-1.6], [0.1], [1.4]]), np.array([-1.3, -0.2, 0.6, 1.7])))
    return cases


def _both_close(got: tuple[Any, Any], expected: tuple[Any, Any]) -> bool:
    return close_float64(got[0], expected[0]) and close_float64(got[1], expected[1])


def _judge(result: Any, case: Case) -> Problem | None:
    x, y, scalar = case.data["x"], case.data["y"], case.data["scalar"]
    shape = np.broadcast_shapes(x.shape, y.shape)
    values = {"inputs": case.inputs, "got": value_text(result)}

    pair = as_items(result, 2)
    if pair is None:
        single = as_real_array(result)
        if single is not None and single.size == math.prod(shape):
            if close_float64(single.reshape(shape), h(x, y)):
                return Problem("h_returned_h", values)
        return Problem("h_not_pair", values)

    parts = [as_real_array(item) for item in pair]
    if parts[0] is None or parts[1] is None:
        return Problem("h_not_numbers", values)
    got = tuple(part.reshape(()) if scalar and part.size == 1 else part for part in parts)
    if any(part.shape != shape for part in got):
        shapes = ", ".join(str(part.shape) for part in got)
        return Problem(
            "h_shape", {**values, "got_shapes": shapes, "expected_shape": str(tuple(shape))}
        )
    if not all(np.all(np.isfinite(part)) for part in got):
        return Problem("nonfinite", values)
    if _both_close(got, case.expected):
        return None

    why = first_mistake(got, case.mistakes, _both_close)
    if why is None:
        right = case.expected
        why = (
            "h_why_dy_wrong" if close_float64(got[0], right[0])
            else "h_why_dx_wrong" if close_float64(got[1], right[1])
            else "h_why_other"
        )
    if scalar:
        return Problem(
            "h_mismatch",
            {**values, "got": _pair(*got), "expected": _pair(*case.expected)},
            why=why,
        )
    wrong = ~(
        np.isclose(got[0], case.expected[0], rtol=1e-5, atol=1e-8)
        & np.isclose(got[1], case.expected[1], rtol=1e-5, atol=1e-8)
    )
    index = tuple(int(i) for i in np.argwhere(wrong)[0])
    xs, ys = np.broadcast_arrays(x, y)
    return Problem(
        "h_mismatch_array",
        {
            **values,
            "index": str(index),
            "x": number_text(xs[index]),
            "y": number_text(ys[index]),
            "got": _pair(got[0][index], got[1][index]),
            "expected": _pair(case.expected[0][index], case.expected[1][index]),
        },
        why=why,
    )


def _pair(a: Any, b: Any) -> str:
    return f"({number_text(a)}, {number_text(b)})"


EXERCISE = Exercise(
    name="h",
    cases=_cases,
    judge=_judge,
    hints=_HINTS,
    summary=lambda cases: {"n_points": len(SCALAR_POINTS)},
)


def check_h_gradient(fn: Callable[[Any, Any], Any], *, lang: str = "en") -> CheckResult:
    """Check a learner's gradient of ``h(x, y) = sin(x² + y²)`` (exercise 1.1).

    The function is called with four pairs of Python floats, chosen where the typical mistakes
    give clearly different numbers, then with two pairs of NumPy arrays (same shape, and shapes
    that broadcast). Each result must be a pair ``(dz_dx, dz_dy)`` of numbers, arrays or tensors
    of the broadcast shape, equal to :func:`gdguide.functions.h_gradient` within
    ``rtol = 1e-5`` and ``atol = 1e-8``. A wrong answer is compared with the known wrong
    formulas (factor 2 missing, sin instead of cos, inner derivative missing, one component
    copied from the other, components swapped, sign error, ``h`` itself) to name the likely
    mistake. A call that runs longer than 10 s is stopped.

    Parameters
    ----------
    fn : callable
        The learner's function ``fn(x, y) -> (dz_dx, dz_dy)``.
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
    >>> import numpy as np
    >>> def my_gradient(x, y):
    ...     return np.cos(x**2 + y**2) * 2 * x, np.cos(x**2 + y**2) * 2 * y
    >>> bool(check_h_gradient(my_gradient))
    True
    >>> print(check_h_gradient(lambda x, y: (np.cos(x**2 + y**2) * x, np.cos(x**2 + y**2) * y)))
    ❌ Not yet: for x = 0.6, y = -0.9 your function returned (0.2341, -0.3511) but the gradient is (0.4682, -0.7023). Likely mistake: the factor 2 from d(x²)/dx = 2x is missing.
    """  # noqa: E501
    return run(EXERCISE, fn, lang)
