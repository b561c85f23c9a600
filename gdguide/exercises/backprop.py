"""Exercise 1.3: ∂f/∂y by the chain rule, then the whole backward pass of f(x, y, z).

The learner's functions receive the stored forward values ``v`` (a dict with the keys ``"x"``,
``"y"``, ``"z"``, ``"a"`` ... ``"f"``) and are compared with PyTorch's autograd at several points
of the domain. Each partial derivative is a product of local derivatives along one path of the
graph; leaving one factor out, or writing a typical wrong local derivative, gives the answers the
checks recognise.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from gdguide.chain_rule import forward_values
from gdguide.exercises._runner import Case, CheckResult, Exercise, Problem, run
from gdguide.exercises._values import (
    as_items,
    as_real_number,
    kind_text,
    number_text,
    numbers_text,
    value_text,
)
from gdguide.functions import f
from gdguide.gradcheck import autograd_gradient

__all__ = ["check_backward_pass", "check_df_dy"]

# Points of the domain (sin y != 0, 1 + d > 0). The first one is diagnostic: no local derivative
# is close to 1 or -1 there, so leaving any factor out changes the answer clearly
# (tests/test_exercises.py checks it); the lesson's point comes second.
POINTS: tuple[tuple[float, float, float], ...] = (
    (0.7, 1.2, 0.3),
    (1.0, 0.5, 0.5),
    (-0.4, 2.0, 0.8),
    (1.5, -1.0, -0.6),
    (0.3, 2.6, 1.4),
    (-1.2, -2.2, 0.4),
    (2.0, 0.9, -0.1),
    (0.5, 1.0, 2.5),
)

#: The local derivatives on each path from f back to an input, with how they read in a message.
PATHS: dict[str, tuple[str, ...]] = {
    "x": ("f/e", "e/d", "d/c", "c/a", "a/x"),
    "y": ("f/e", "e/d", "d/c", "c/b", "b/y"),
    "z": ("f/e", "e/d", "d/z"),
}
FACTOR_TEXT: dict[str, str] = {
    "f/e": "∂f/∂e = 1 − tanh(e)²",
    "e/d": "∂e/∂d = 1/(d + 1)",
    "d/c": "∂d/∂c = z",
    "d/z": "∂d/∂z = c",
    "c/a": "∂c/∂a = 1/b",
    "c/b": "∂c/∂b = −a/b²",
    "a/x": "∂a/∂x = 2",
    "b/y": "∂b/∂y = cos y",
}
PARTIAL_TEXT = {"x": "∂f/∂x", "y": "∂f/∂y", "z": "∂f/∂z"}


def local_derivatives(v: Mapping[str, float]) -> dict[str, float]:
    """Return the local derivatives of the graph of f, from the stored values *v*."""
    return {
        "f/e": 1 - math.tanh(v["e"]) ** 2,
        "e/d": 1 / (v["d"] + 1),
        "d/c": v["z"],
        "d/z": v["c"],
        "c/a": 1 / v["b"],
        "c/b": -v["a"] / v["b"] ** 2,
        "a/x": 2.0,
        "b/y": math.cos(v["y"]),
    }


# Typical wrong local derivatives: (message key, factor, wrong value from v).
_WRONG_FACTORS: tuple[tuple[str, str, Callable[[Mapping[str, float]], float]], ...] = (
    ("bp_why_tanh", "f/e", lambda v: 1 - math.tanh(v["e"])),
    ("bp_why_sign", "c/b", lambda v: v["a"] / v["b"] ** 2),
    ("bp_why_dc_db", "c/b", lambda v: -1 / v["b"] ** 2),
    ("bp_why_dc_db", "c/b", lambda v: 1 / v["b"]),
    ("bp_why_sin", "b/y", lambda v: math.sin(v["y"])),
)


def component_mistakes(v: Mapping[str, float], component: str) -> list[tuple[str, Any, float]]:
    """Return the typical wrong answers for one partial derivative: (key, values, answer)."""
    local = local_derivatives(v)
    path = PATHS[component]
    partial = PARTIAL_TEXT[component]
    mistakes = []
    for key, factor, wrong in _WRONG_FACTORS:
        if factor in path:
            product = math.prod(wrong(v) if name == factor else local[name] for name in path)
            mistakes.append((key, {"partial": partial}, product))
    for left_out in path:
        if left_out != "a/x":  # leaving out the factor 2 of a = 2x is judged below
            product = math.prod(local[name] for name in path if name != left_out)
            values = {"partial": partial, "factor": FACTOR_TEXT[left_out]}
            mistakes.append(("bp_why_missing", values, product))
    if component == "x":
        product = math.prod(local[name] for name in path if name != "a/x")
        mistakes.append(("bp_why_missing", {"partial": partial, "factor": FACTOR_TEXT["a/x"]},
                         product))
    return mistakes


def _close(got: float, expected: float) -> bool:
    return math.isclose(got, expected, rel_tol=1e-5, abs_tol=1e-8)


def _point_case(point: tuple[float, float, float]) -> Case:
    x, y, z = point
    v = forward_values(x, y, z)
    expected = tuple(float(g) for g in autograd_gradient(f, x, y, z))
    return Case(
        inputs=f"x = {x}, y = {y}, z = {z}",
        arguments=lambda: (dict(v),),  # a fresh dict: the learner may change it
        expected=expected,
        data={"v": v},
    )


def _cases() -> list[Case]:
    return [_point_case(point) for point in POINTS]


# --------------------------------------------------------------------------------------------
# ∂f/∂y
# --------------------------------------------------------------------------------------------


def _judge_df_dy(result: Any, case: Case) -> Problem | None:
    values = {"inputs": case.inputs, "got": value_text(result), "got_type": kind_text(result)}
    got = as_real_number(result)
    if got is None:
        return Problem("bp_not_number", values)
    if not math.isfinite(got):
        return Problem("bp_nonfinite", values)
    expected = case.expected[1]
    if _close(got, expected):
        return None
    v = case.data["v"]
    values = {**values, "got": number_text(got), "expected": number_text(expected)}
    extra = [
        ("bp_why_returned_dx", {}, case.expected[0]),
        ("bp_why_returned_f", {}, v["f"]),
    ]
    for key, why_values, wrong in component_mistakes(v, "y") + extra:
        if _close(got, wrong):
            return Problem("dfdy_mismatch", {**values, **why_values}, why=key)
    return Problem("dfdy_mismatch", {**values, "partial": "∂f/∂y"}, why="bp_why_other")


_DF_DY = Exercise(name="dfdy", cases=_cases, judge=_judge_df_dy)


def check_df_dy(fn: Callable[[dict[str, float]], Any], *, lang: str = "en") -> CheckResult:
    """Check a learner's ∂f/∂y of ``f = tanh(ln[1 + z·2x/sin y])`` (exercise 1.3).

    The function receives the forward values ``v`` of one point (a fresh ``dict`` with the keys
    ``"x", "y", "z", "a", "b", "c", "d", "e", "f"``, see
    :func:`gdguide.chain_rule.forward_values`) and must return one number (a float, a NumPy
    scalar or a one-element tensor) equal to autograd's ∂f/∂y within ``rtol = 1e-5``, at eight
    points of the domain. A wrong answer is compared with the typical mistakes (a local
    derivative left out, ``1 − tanh e`` for tanh's derivative, the sign or the ``a`` of
    ∂c/∂b, ``sin y`` for ∂b/∂y, ∂f/∂x or f itself) to name the likely one.

    Parameters
    ----------
    fn : callable
        The learner's function ``fn(v) -> df_dy``.
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
    >>> import math
    >>> def df_dy(v):
    ...     return ((1 - math.tanh(v["e"]) ** 2) / (v["d"] + 1) * v["z"]
    ...             * (-v["a"] / v["b"] ** 2) * math.cos(v["y"]))
    >>> bool(check_df_dy(df_dy))
    True
    >>> print(check_df_dy(lambda v: -df_dy(v), lang="en"))
    ❌ Not yet: for x = 0.7, y = 1.2, z = 0.3 your function returned 0.1055, but ∂f/∂y there is -0.1055. Likely mistake: the minus sign of ∂c/∂b = −a/b² is missing.
    """  # noqa: E501
    return run(_DF_DY, fn, lang)


# --------------------------------------------------------------------------------------------
# The whole backward pass
# --------------------------------------------------------------------------------------------


def _judge_backward(result: Any, case: Case) -> Problem | None:
    values = {"inputs": case.inputs, "got": value_text(result), "got_type": kind_text(result)}
    items = as_items(result, 3)
    got = None if items is None else [as_real_number(item) for item in items]
    if got is None or None in got:
        return Problem("bp_not_triple", values)
    if not all(math.isfinite(value) for value in got):
        return Problem("bp_nonfinite", values)
    expected = case.expected
    wrong = [name for name, a, b in zip("xyz", got, expected, strict=True) if not _close(a, b)]
    if not wrong:
        return None
    values = {**values, "got": numbers_text(got), "expected": numbers_text(expected)}
    if _same_numbers(got, expected):
        return Problem("backward_mismatch", {**values, "partial": PARTIAL_TEXT[wrong[0]]},
                       why="bp_why_order")
    component = wrong[0]
    values["partial"] = PARTIAL_TEXT[component]
    got_component = got["xyz".index(component)]
    for key, why_values, wrong_value in component_mistakes(case.data["v"], component):
        if _close(got_component, wrong_value):
            return Problem("backward_mismatch", {**values, **why_values}, why=key)
    return Problem("backward_mismatch", values, why="bp_why_other")


def _same_numbers(got: list[float], expected: tuple[float, ...]) -> bool:
    """Whether *got* holds the numbers of *expected* in another order."""
    remaining = list(expected)
    for value in got:
        match = next((i for i, other in enumerate(remaining) if _close(value, other)), None)
        if match is None:
            return False
        remaining.pop(match)
    return True


_BACKWARD = Exercise(name="backward", cases=_cases, judge=_judge_backward)


def check_backward_pass(
    fn: Callable[[dict[str, float]], Any], *, lang: str = "en"
) -> CheckResult:
    """Check a learner's backward pass through the graph of f(x, y, z) (exercise 1.3).

    The function receives the forward values ``v`` of one point (as for :func:`check_df_dy`)
    and must return the three partial derivatives ``(df_dx, df_dy, df_dz)`` (a tuple, list,
    array or tensor of three real numbers), equal to autograd's within ``rtol = 1e-5`` at eight
    points of the domain. For the first wrong component the typical mistakes are named: a local
    derivative left out, ``1 − tanh e``, the sign or the ``a`` of ∂c/∂b, ``sin y`` for ∂b/∂y,
    or the three numbers in the wrong order.

    Parameters
    ----------
    fn : callable
        The learner's function ``fn(v) -> (df_dx, df_dy, df_dz)``.
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
    >>> from gdguide.chain_rule import chain_rule_gradients
    >>> def backward(v):
    ...     grads = chain_rule_gradients(v["x"], v["y"], v["z"])
    ...     return grads["x"], grads["y"], grads["z"]
    >>> print(check_backward_pass(backward))
    ✅ Passed: your backward pass gives ∂f/∂x, ∂f/∂y and ∂f/∂z equal to autograd's at 8 points of the domain.
    """  # noqa: E501
    return run(_BACKWARD, fn, lang)
