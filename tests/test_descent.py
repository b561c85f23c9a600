"""Tests for gdguide.descent: plain gradient descent and the elongated bowl."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdguide.descent import (
    BOWL_MAX_LR,
    Trajectory,
    gradient_descent,
    quadratic_bowl,
    quadratic_bowl_gradient,
)
from gdguide.functions import h, h_gradient

SETTINGS = settings(max_examples=50, deadline=None)


def bowl_run(lr, n_steps, start=(1.0, 1.0)):
    return gradient_descent(quadratic_bowl, quadratic_bowl_gradient, list(start), lr, n_steps)


# ------------------------------------------------------------------------------- the bowl


def test_quadratic_bowl_values_and_gradient():
    assert math.isclose(quadratic_bowl([1.0, 1.0]), 5.5)
    assert isinstance(quadratic_bowl(np.array([2.0, -1.0])), float)
    np.testing.assert_allclose(quadratic_bowl_gradient([2.0, -1.0]), [2.0, -10.0])
    np.testing.assert_allclose(BOWL_MAX_LR, 0.2)


def test_quadratic_bowl_batches_over_leading_axes():
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-2, 2, 3)), axis=-1)
    values = quadratic_bowl(grid)
    assert values.shape == (3, 4)
    np.testing.assert_allclose(values, 0.5 * (grid[..., 0] ** 2 + 10 * grid[..., 1] ** 2))
    assert quadratic_bowl_gradient(grid).shape == (3, 4, 2)


@SETTINGS
@given(st.lists(st.floats(-100, 100), min_size=2, max_size=2))
def test_quadratic_bowl_gradient_matches_central_differences(w):
    w = np.array(w)
    eps = 1e-6
    numeric = [
        (quadratic_bowl(w + eps * e) - quadratic_bowl(w - eps * e)) / (2 * eps)
        for e in np.eye(2)
    ]
    np.testing.assert_allclose(quadratic_bowl_gradient(w), numeric, rtol=1e-6, atol=1e-4)


@pytest.mark.parametrize("fn", [quadratic_bowl, quadratic_bowl_gradient])
def test_quadratic_bowl_bad_arguments(fn):
    with pytest.raises(ValueError, match=r"w must have shape \(2,\)"):
        fn([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"w must have shape"):
        fn(1.0)
    with pytest.raises(TypeError, match=r"\bw\b"):
        fn("w")
    with pytest.raises(ValueError, match=r"w must hold only finite"):
        fn([1.0, math.nan])


# ------------------------------------------------------------------------ gradient descent


def test_lr_below_two_over_curvature_converges():
    run = bowl_run(0.19, 500)
    assert isinstance(run, Trajectory)
    assert run.diverged_at is None and not run.diverged
    assert run.points.shape == (501, 2)
    assert run.values.shape == (501,) and run.grad_norms.shape == (501,)
    np.testing.assert_allclose(run.final_point, [0.0, 0.0], atol=1e-12)
    assert run.final_value < 1e-20
    assert run.converged_value is not None and run.converged_value < 1e-20
    assert run.grad_norms[-1] < 1e-10


def test_lr_above_two_over_curvature_diverges_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow RuntimeWarning would fail the test
        run = bowl_run(0.21, 5000)
    assert run.diverged_at is not None
    assert run.diverged
    assert run.converged_value is None
    assert len(run.points) == run.diverged_at  # steps 0 .. diverged_at - 1
    assert np.all(np.isfinite(run.points)) and np.all(np.isfinite(run.values))
    # the w2 coordinate flips sign and grows by |1 - 10·0.21| = 1.1 each step
    np.testing.assert_allclose(run.points[1:50, 1] / run.points[:49, 1], -1.1, rtol=1e-12)


def test_lr_above_limit_grows_already_in_a_few_steps():
    run = bowl_run(0.21, 30)
    assert run.diverged_at is None
    assert run.final_value > run.values[0]
    assert "went up" in run.message()
    assert "上がりました" in run.message("ja")


@SETTINGS
@given(lr=st.floats(0.001, 0.199), w1=st.floats(-5, 5), w2=st.floats(-5, 5))
def test_below_the_limit_the_bowl_value_never_increases(lr, w1, w2):
    run = bowl_run(lr, 40, start=(w1, w2))
    assert run.diverged_at is None
    assert np.all(np.diff(run.values) <= 1e-12 * (1 + run.values[:-1]))


@SETTINGS
@given(lr=st.floats(0.201, 0.5))
def test_above_the_limit_the_bowl_value_grows_every_step(lr):
    run = bowl_run(lr, 100, start=(0.0, 1.0))
    assert run.diverged_at is None  # 100 steps are too few to overflow
    assert np.all(np.diff(run.values) > 0)
    np.testing.assert_allclose(run.points[1:, 1] / run.points[:-1, 1], 1 - 10 * lr, rtol=1e-12)


@pytest.mark.parametrize("lr", [0.25, 0.5, 1.0])
def test_well_above_the_limit_the_run_stops_at_overflow(lr):
    run = bowl_run(lr, 5000, start=(0.0, 1.0))
    assert run.diverged_at is not None
    assert np.all(np.isfinite(run.points))


def test_each_step_is_the_update_rule():
    run = bowl_run(0.05, 5, start=(3.0, -2.0))
    for t in range(5):
        w = run.points[t]
        np.testing.assert_allclose(
            run.points[t + 1], w - 0.05 * quadratic_bowl_gradient(w), rtol=1e-15
        )
        np.testing.assert_allclose(run.values[t], quadratic_bowl(w), rtol=1e-15)
        np.testing.assert_allclose(
            run.grad_norms[t], np.linalg.norm(quadratic_bowl_gradient(w)), rtol=1e-15
        )
    assert math.isclose(run.lr, 0.05)


def test_zero_steps_keeps_the_start():
    run = bowl_run(0.1, 0, start=(1.0, 2.0))
    assert run.points.shape == (1, 2) and run.n_steps == 0
    np.testing.assert_allclose(run.final_point, [1.0, 2.0])


def test_final_point_is_a_copy():
    run = bowl_run(0.1, 3)
    point = run.final_point
    point[0] = 99.0
    assert not math.isclose(run.points[-1, 0], 99.0)


def test_one_dimensional_with_a_scalar_start_and_scalar_gradient():
    run = gradient_descent(lambda w: (w[0] - 3.0) ** 2, lambda w: 2 * (w[0] - 3.0), 0.0, 0.1, 100)
    assert run.points.shape == (101, 1)
    np.testing.assert_allclose(run.final_point, [3.0], atol=1e-8)


def test_one_dimensional_with_array_valued_fn():
    run = gradient_descent(lambda w: (w - 3.0) ** 2, lambda w: 2 * (w - 3.0), [0.0], 0.1, 100)
    np.testing.assert_allclose(run.final_point, [3.0], atol=1e-8)


def test_descent_on_h_goes_to_the_local_minimum_at_the_origin():
    run = gradient_descent(
        lambda w: h(w[0], w[1]),
        lambda w: np.array(h_gradient(w[0], w[1])),
        [0.5, 0.3],
        0.1,
        200,
    )
    np.testing.assert_allclose(run.final_point, [0.0, 0.0], atol=1e-8)
    assert run.final_value < run.values[0]


def test_divergence_to_minus_infinity_of_an_unbounded_function():
    run = gradient_descent(lambda w: -float(np.exp(w[0])), lambda w: -np.exp(w), [0.0], 1.0, 50)
    assert run.diverged_at is not None
    assert np.all(np.isfinite(run.values))


def test_nan_gradient_at_the_start_is_a_grad_error_not_a_learning_rate_one():
    with pytest.raises(ValueError, match=r"grad must be finite at start = \[1\.0\], got \[nan\]"):
        gradient_descent(lambda w: float(w[0]), lambda w: np.array([math.nan]), [1.0], 0.1, 5)


def test_nan_gradient_later_stops_the_run():
    def grad(w):
        return np.array([1.0]) if w[0] >= 1.0 else np.array([math.nan])

    run = gradient_descent(lambda w: float(w[0]), grad, [1.0], 0.1, 5)
    assert run.diverged_at == 2
    assert run.points.shape == (2, 1)
    assert math.isnan(run.grad_norms[-1])


def test_huge_step_counts_are_refused():
    with pytest.raises(ValueError, match=r"n_steps must be <= 1000000 \(a sane maximum"):
        gradient_descent(quadratic_bowl, quadratic_bowl_gradient, [1.0, 1.0], 0.1, 10**12)


def test_grad_returning_a_tensor_is_named():
    import torch

    with pytest.raises(TypeError, match="grad must return an array of real numbers"):
        gradient_descent(
            quadratic_bowl, lambda w: torch.ones(2, requires_grad=True), [1.0, 1.0], 0.1, 1
        )


def test_trajectory_checks_its_fields():
    run = Trajectory([[1.0, 1.0], [0.5, 0.5]], [5.5, 1.375], [10.0, 5.0], 0.1)
    assert run.points.dtype == np.float64 and run.n_steps == 1
    assert Trajectory([[1.0]], [1.0], [math.inf], 0.5, diverged_at=1).diverged
    cases = [
        ({"points": None}, TypeError, "points"),
        ({"points": [1.0, 2.0]}, ValueError, r"points must have shape \(k \+ 1, d\)"),
        ({"points": [[math.nan, 1.0], [0.5, 0.5]]}, ValueError, "points must hold only finite"),
        ({"values": [5.5]}, ValueError, r"values must have shape \(2,\)"),
        ({"values": None}, TypeError, "values"),
        ({"grad_norms": [1.0, -1.0]}, ValueError, "grad_norms must hold norms"),
        ({"lr": 0.0}, ValueError, "lr must be > 0"),
        ({"lr": None}, TypeError, "lr"),
        ({"diverged_at": 1}, ValueError, r"diverged_at must be None or len\(points\) = 2"),
        ({"diverged_at": 2.0}, TypeError, "diverged_at must be an int"),
    ]
    fields = {
        "points": [[1.0, 1.0], [0.5, 0.5]],
        "values": [5.5, 1.375],
        "grad_norms": [10.0, 5.0],
        "lr": 0.1,
    }
    for change, error, match in cases:
        with pytest.raises(error, match=match):
            Trajectory(**{**fields, **change})


# ------------------------------------------------------------------------------- messages


def test_messages_in_both_languages():
    good = bowl_run(0.1, 100)
    assert "After 100 step(s) with lr = 0.1" in good.message()
    assert "went up" not in good.message()
    assert "学習率 0.1 で 100 ステップ後" in good.message("ja")
    bad = bowl_run(0.3, 5000)
    assert f"Diverged: step {bad.diverged_at}" in bad.message("en")
    assert f"ステップ {bad.diverged_at}" in bad.message("ja")
    assert "発散" in bad.message("ja")
    with pytest.raises(ValueError, match="lang"):
        good.message("fr")
    with pytest.raises(TypeError, match="lang"):
        good.message(None)


# -------------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize("lr", [0.0, -0.1])
def test_lr_must_be_positive(lr):
    with pytest.raises(ValueError, match="lr must be > 0"):
        bowl_run(lr, 10)


@pytest.mark.parametrize("lr", [True, "0.1", None, [0.1]])
def test_lr_must_be_a_real_number(lr):
    with pytest.raises(TypeError, match="lr must be a real number"):
        bowl_run(lr, 10)


@pytest.mark.parametrize("lr", [math.nan, math.inf])
def test_lr_must_be_finite(lr):
    with pytest.raises(ValueError, match="lr must be finite"):
        bowl_run(lr, 10)


def test_n_steps_checks():
    with pytest.raises(ValueError, match="n_steps must be >= 0"):
        bowl_run(0.1, -1)
    for bad in (1.5, True, "10", None):
        with pytest.raises(TypeError, match="n_steps must be an int"):
            bowl_run(0.1, bad)


def test_start_checks():
    args = (quadratic_bowl, quadratic_bowl_gradient)
    with pytest.raises(ValueError, match=r"start must be a non-empty 1-D array.*\(0,\)"):
        gradient_descent(*args, [], 0.1, 1)
    with pytest.raises(ValueError, match=r"start must be a non-empty 1-D array.*\(1, 2\)"):
        gradient_descent(*args, [[1.0, 2.0]], 0.1, 1)
    with pytest.raises(TypeError, match="start"):
        gradient_descent(*args, "ab", 0.1, 1)
    with pytest.raises(TypeError, match="start"):
        gradient_descent(*args, True, 0.1, 1)
    with pytest.raises(ValueError, match="start must hold only finite"):
        gradient_descent(*args, [1.0, math.inf], 0.1, 1)


def test_callable_checks():
    with pytest.raises(TypeError, match="fn must be callable"):
        gradient_descent(1.0, quadratic_bowl_gradient, [1.0, 1.0], 0.1, 1)
    with pytest.raises(TypeError, match="grad must be callable"):
        gradient_descent(quadratic_bowl, "grad", [1.0, 1.0], 0.1, 1)


def test_grad_must_return_the_right_shape_and_kind():
    with pytest.raises(ValueError, match=r"grad must return an array of shape \(2,\).*\(3,\)"):
        gradient_descent(quadratic_bowl, lambda w: np.zeros(3), [1.0, 1.0], 0.1, 1)
    with pytest.raises(ValueError, match=r"grad must return an array of shape \(2,\).*\(\)"):
        gradient_descent(quadratic_bowl, lambda w: 1.0, [1.0, 1.0], 0.1, 1)
    with pytest.raises(TypeError, match="grad must return"):
        gradient_descent(quadratic_bowl, lambda w: "down", [1.0, 1.0], 0.1, 1)
    with pytest.raises(TypeError, match="grad must return"):
        gradient_descent(quadratic_bowl, lambda w: None, [1.0, 1.0], 0.1, 1)
    with pytest.raises(TypeError, match="grad must return real numbers"):
        gradient_descent(quadratic_bowl, lambda w: np.array([True, False]), [1.0, 1.0], 0.1, 1)
    with pytest.raises(TypeError, match="grad must return an array of real numbers"):
        gradient_descent(quadratic_bowl, lambda w: [[1.0], [1.0, 2.0]], [1.0, 1.0], 0.1, 1)


def test_fn_must_return_one_real_number():
    with pytest.raises(ValueError, match=r"fn must return a scalar.*\(2,\) at w = \[1\.0, 1\.0\]"):
        gradient_descent(lambda w: w, quadratic_bowl_gradient, [1.0, 1.0], 0.1, 1)
    with pytest.raises(TypeError, match="fn must return a real number.*NoneType"):
        gradient_descent(lambda w: None, quadratic_bowl_gradient, [1.0, 1.0], 0.1, 1)
    with pytest.raises(TypeError, match="fn must return a real number"):
        gradient_descent(lambda w: "low", quadratic_bowl_gradient, [1.0, 1.0], 0.1, 1)
    with pytest.raises(TypeError, match="fn must return a real number"):
        gradient_descent(lambda w: True, quadratic_bowl_gradient, [1.0, 1.0], 0.1, 1)
    with pytest.raises(ValueError, match=r"fn must be finite at start = \[1\.0, 1\.0\]"):
        gradient_descent(lambda w: math.inf, quadratic_bowl_gradient, [1.0, 1.0], 0.1, 1)
