"""Tests for gdguide.functions: h, f and their hand-derived gradients."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gdguide.functions import f, f_gradient, h, h_gradient

SETTINGS = settings(max_examples=60, deadline=None)

moderate = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
y_inside = st.floats(0.1, 3.0, allow_nan=False, allow_infinity=False)


def one_plus_d(x: float, y: float, z: float) -> float:
    return 1 + z * 2 * x / math.sin(y)


def central(fn, point, eps=1e-6):
    """Central differences of a scalar function of a few floats (independent of gdguide)."""
    grads = []
    for k in range(len(point)):
        up = list(point)
        down = list(point)
        up[k] += eps
        down[k] -= eps
        grads.append((fn(*up) - fn(*down)) / (2 * eps))
    return grads


def autograd(fn, point):
    leaves = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in point]
    fn(*leaves).backward()
    return [leaf.grad.item() for leaf in leaves]


def f_reference(x: float, y: float, z: float) -> float:
    return math.tanh(math.log(1 + z * 2 * x / math.sin(y)))


# ------------------------------------------------------------------------------------------ h


def test_h_scalar_returns_float_and_matches_math():
    value = h(1.0, 0.5)
    assert isinstance(value, float)
    assert math.isclose(value, math.sin(1.25), rel_tol=1e-15)


def test_h_accepts_ints_and_numpy_scalars():
    assert math.isclose(h(1, 2), math.sin(5.0), rel_tol=1e-15)
    assert math.isclose(h(np.float32(1.0), np.int64(2)), math.sin(5.0), rel_tol=1e-15)


def test_h_gradient_content_formula_at_a_point():
    dz_dx, dz_dy = h_gradient(1.0, 0.5)
    np.testing.assert_allclose(dz_dx, math.cos(1.25) * 2.0, rtol=1e-15)
    np.testing.assert_allclose(dz_dy, math.cos(1.25) * 1.0, rtol=1e-15)


def test_h_broadcasts_like_numpy():
    x = np.linspace(-1, 1, 3)[:, None]
    y = np.linspace(-2, 2, 4)
    value = h(x, y)
    assert isinstance(value, np.ndarray)
    assert value.shape == (3, 4)
    assert value.dtype == np.float64
    np.testing.assert_allclose(value, np.sin(x**2 + y**2), rtol=1e-15)


@pytest.mark.parametrize(
    ("x", "y", "shape"),
    [
        (np.arange(3.0), 0.5, (3,)),
        (0.5, np.arange(3.0), (3,)),
        (np.arange(3.0)[:, None], np.arange(2.0), (3, 2)),
        ([[1.0, 2.0]], [[3.0], [4.0]], (2, 2)),
    ],
)
def test_h_gradient_both_outputs_have_broadcast_shape(x, y, shape):
    dz_dx, dz_dy = h_gradient(x, y)
    assert dz_dx.shape == shape
    assert dz_dy.shape == shape
    xb, yb = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
    np.testing.assert_allclose(dz_dx, np.cos(xb**2 + yb**2) * 2 * xb, rtol=1e-14)
    np.testing.assert_allclose(dz_dy, np.cos(xb**2 + yb**2) * 2 * yb, rtol=1e-14)


def test_h_gradient_is_zero_where_cos_vanishes():
    r = math.sqrt(math.pi / 2)  # cos(r²) = 0: a crest of sin
    dz_dx, dz_dy = h_gradient(r * math.cos(0.3), r * math.sin(0.3))
    np.testing.assert_allclose([dz_dx, dz_dy], [0.0, 0.0], atol=1e-12)


def test_h_torch_returns_tensor_in_graph():
    x = torch.tensor([0.3, -1.2], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0.7, 0.1], dtype=torch.float64, requires_grad=True)
    value = h(x, y)
    assert isinstance(value, torch.Tensor)
    value.sum().backward()
    dz_dx, dz_dy = h_gradient(x.detach(), y.detach())
    torch.testing.assert_close(x.grad, dz_dx)
    torch.testing.assert_close(y.grad, dz_dy)


def test_h_gradient_torch_broadcasts():
    dz_dx, dz_dy = h_gradient(torch.ones(3, 1), torch.zeros(2))
    assert dz_dx.shape == (3, 2) and dz_dy.shape == (3, 2)
    assert dz_dx.dtype == torch.float32


@SETTINGS
@given(x=st.floats(-3, 3), y=st.floats(-3, 3))
def test_h_gradient_matches_autograd_and_central_differences(x, y):
    hand = h_gradient(x, y)
    np.testing.assert_allclose(hand, autograd(h, (x, y)), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(hand, central(h, (x, y)), rtol=1e-5, atol=1e-7)


# ------------------------------------------------------------------------------------------ f


def test_f_scalar_matches_reference():
    value = f(1.0, 1.0, 1.0)
    assert isinstance(value, float)
    assert math.isclose(value, f_reference(1.0, 1.0, 1.0), rel_tol=1e-14)
    assert math.isclose(value, 0.838745, rel_tol=1e-6)


def test_f_gradient_content_formulas_at_a_point():
    x, y, z = 0.7, 1.2, -0.4
    a, b = 2 * x, math.sin(y)
    c = a / b
    d = c * z
    e = math.log(d + 1)
    outer = (1 - math.tanh(e) ** 2) * (1 / (d + 1))
    expected = (outer * z * (1 / b) * 2, outer * z * (-a / b**2) * math.cos(y), outer * c)
    np.testing.assert_allclose(f_gradient(x, y, z), expected, rtol=1e-14)


def test_f_and_gradient_broadcast():
    x = np.array([0.5, 1.0, 1.5])[:, None]
    y = np.array([0.5, 1.5])
    z = 0.3
    value = f(x, y, z)
    assert value.shape == (3, 2)
    grads = f_gradient(x, y, z)
    for grad in grads:
        assert isinstance(grad, np.ndarray)
        assert grad.shape == (3, 2)
    np.testing.assert_allclose(value[2, 1], f_reference(1.5, 1.5, 0.3), rtol=1e-14)
    np.testing.assert_allclose(
        [g[2, 1] for g in grads], f_gradient(1.5, 1.5, 0.3), rtol=1e-14
    )


def test_f_gradient_scalar_outputs_are_floats():
    assert all(isinstance(g, float) for g in f_gradient(0.5, 1.0, 0.5))


def test_f_torch_and_autograd_agree_with_hand_gradient_on_arrays():
    x = torch.tensor([0.5, -0.2, 1.0], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([1.0, 2.0, 0.4], dtype=torch.float64, requires_grad=True)
    z = torch.tensor([0.3, 0.7, -0.1], dtype=torch.float64, requires_grad=True)
    f(x, y, z).sum().backward()
    hand = f_gradient(x.detach(), y.detach(), z.detach())
    for leaf, grad in zip((x, y, z), hand, strict=True):
        assert isinstance(grad, torch.Tensor)
        torch.testing.assert_close(leaf.grad, grad)


def test_f_gradient_torch_is_differentiable_again():
    x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    df_dx, _, _ = f_gradient(x, torch.tensor(1.0, dtype=torch.float64),
                             torch.tensor(0.5, dtype=torch.float64))
    (second,) = torch.autograd.grad(df_dx, x)
    numeric = (f_gradient(0.5 + 1e-6, 1.0, 0.5)[0] - f_gradient(0.5 - 1e-6, 1.0, 0.5)[0]) / 2e-6
    assert math.isclose(second.item(), numeric, rel_tol=1e-5)


def test_f_float32_tensors_work():
    value = f(torch.tensor(0.5), torch.tensor(1.0), torch.tensor(0.5))
    assert value.dtype == torch.float32
    assert math.isclose(value.item(), f_reference(0.5, 1.0, 0.5), rel_tol=1e-6)


@SETTINGS
@given(x=moderate, y=y_inside, z=moderate)
def test_f_gradient_matches_autograd_and_central_differences(x, y, z):
    assume(one_plus_d(x, y, z) > 0.2)
    hand = f_gradient(x, y, z)
    np.testing.assert_allclose(f(x, y, z), f_reference(x, y, z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(hand, autograd(f, (x, y, z)), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(hand, central(f, (x, y, z)), rtol=1e-5, atol=1e-6)


@SETTINGS
@given(
    x=st.floats(-1.0, 1.0), y=st.floats(-3.0, -0.1), z=st.floats(-1.0, 1.0)
)
def test_f_gradient_negative_sin_region(x, y, z):
    assume(one_plus_d(x, y, z) > 0.2)
    np.testing.assert_allclose(
        f_gradient(x, y, z), central(f, (x, y, z)), rtol=1e-5, atol=1e-6
    )


# ----------------------------------------------------------------------------- domain errors


@pytest.mark.parametrize("fn", [f, f_gradient])
@pytest.mark.parametrize("y", [0.0, math.pi, -math.pi, 2 * math.pi, 1000 * math.pi])
def test_f_rejects_sin_y_zero(fn, y):
    with pytest.raises(ValueError, match=r"y = .* gives sin\(y\) = .*sin\(y\) != 0"):
        fn(1.0, y, 1.0)


def test_f_sin_message_shows_value():
    with pytest.raises(ValueError, match=r"y = 3\.141592653589793 gives sin\(y\) = 1\.2e-16"):
        f(1.0, math.pi, 1.0)


@pytest.mark.parametrize("y", [1e12, -1e12, 3e14])
def test_large_y_with_sin_clearly_nonzero_is_in_the_domain_of_the_sin_check(y):
    # The tolerance grows with the spacing of floats near y, not with y itself: at 1e12 floats
    # are 1.2e-4 apart and sin(1e12) = -0.049 is not zero. (The old rule, 1e-12·|y|, called it
    # zero and said "gives sin(y) = -0.049; f is defined only where sin(y) != 0".)
    b = math.sin(y)
    assert abs(b) > 0.01
    z = 0.25 * b  # so that 1 + d = 1 + 2·z/b = 1.5
    assert f(1.0, y, z) == pytest.approx(math.tanh(math.log(1.5)))


@pytest.mark.parametrize(
    ("y", "spacing"), [(1e16, "2"), (torch.tensor(1e7), "1"), (np.array([1.0, -2e16]), "4")]
)
def test_y_too_large_to_place_says_so(y, spacing):
    x, z = (torch.tensor(1.0),) * 2 if isinstance(y, torch.Tensor) else (1.0, 1.0)
    match = rf"is too large in magnitude: floats of this size are {spacing} apart"
    with pytest.raises(ValueError, match=match):
        f(x, y, z)


def test_sin_message_states_the_tolerance_it_used():
    with pytest.raises(ValueError, match=r"counts as 0 \(\|sin\(y\)\| < 3\.6e-12"):
        f(1.0, 1000 * math.pi, 1.0)


def test_f_array_reports_first_offending_index():
    with pytest.raises(ValueError, match=r"y\[2\] = 0\.0"):
        f(1.0, np.array([1.0, 2.0, 0.0, math.pi]), 1.0)
    with pytest.raises(ValueError, match=r"y\[1, 0\]"):
        f(1.0, np.array([[1.0, 2.0], [math.pi, 1.0]]), 1.0)


@pytest.mark.parametrize("fn", [f, f_gradient])
def test_f_rejects_one_plus_d_not_positive(fn):
    # sin(pi/2) == 1.0 exactly, so d = 1·2·(-0.5)/1 = -1 and 1 + d = 0.
    with pytest.raises(ValueError, match=r"x = -0\.5, y = .*, z = 1\.0 give 1 \+ d .*= 0"):
        fn(-0.5, math.pi / 2, 1.0)
    with pytest.raises(ValueError, match=r"1 \+ d > 0"):
        fn(-1.0, 1.0, 1.0)


def test_f_one_plus_d_array_index():
    x = np.array([1.0, -1.0])
    z = np.array([[1.0], [2.0]])
    with pytest.raises(ValueError, match=r"at index \(0, 1\): x = -1\.0, y = 1\.0, z = 1\.0"):
        f(x, 1.0, z)


def test_f_torch_domain_errors():
    with pytest.raises(ValueError, match=r"sin\(y\)"):
        f(torch.tensor(1.0), torch.tensor(math.pi), torch.tensor(1.0))  # float32 pi
    with pytest.raises(ValueError, match=r"1 \+ d"):
        f_gradient(
            torch.tensor(-1.0, dtype=torch.float64),
            torch.tensor(1.0, dtype=torch.float64),
            torch.tensor(1.0, dtype=torch.float64),
        )


def test_overflow_is_an_error_not_nan():
    with pytest.raises(ValueError, match=r"x = 1e\+300, y = 1e-11, z = 1e\+300 overflow"):
        f_gradient(1e300, 1e-11, 1e300)
    with pytest.raises(ValueError, match=r"x = 1e\+200, y = 0\.0 overflow"):
        h(1e200, 0.0)
    with pytest.raises(ValueError, match=r"overflow"):
        h_gradient(np.array([0.0, 1e200]), 0.0)


# ----------------------------------------------------------------------------- bad arguments

BAD_TYPES = [True, "1.0", None, 1 + 2j, [1.0, "a"], {"x": 1}]


@pytest.mark.parametrize("bad", BAD_TYPES)
@pytest.mark.parametrize("position", [0, 1])
def test_h_rejects_wrong_types(bad, position):
    args = [0.5, 0.5]
    args[position] = bad
    name = "xy"[position]
    with pytest.raises(TypeError, match=rf"\b{name}\b"):
        h(*args)
    with pytest.raises(TypeError, match=rf"\b{name}\b"):
        h_gradient(*args)


@pytest.mark.parametrize("bad", BAD_TYPES)
@pytest.mark.parametrize("position", [0, 1, 2])
def test_f_rejects_wrong_types(bad, position):
    args = [0.5, 1.0, 0.5]
    args[position] = bad
    name = "xyz"[position]
    with pytest.raises(TypeError, match=rf"\b{name}\b"):
        f(*args)
    with pytest.raises(TypeError, match=rf"\b{name}\b"):
        f_gradient(*args)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, np.array([1.0, np.nan])])
@pytest.mark.parametrize("position", [0, 1, 2])
def test_f_rejects_non_finite(bad, position):
    args = [0.5, 1.0, 0.5]
    args[position] = bad
    with pytest.raises(ValueError, match=rf"{'xyz'[position]} must .*finite"):
        f(*args)


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_h_rejects_non_finite(bad):
    with pytest.raises(ValueError, match=r"y must .*finite"):
        h(0.0, bad)
    with pytest.raises(ValueError, match=r"x must .*finite"):
        h_gradient(torch.tensor(bad), torch.tensor(0.0))


def test_mixed_numpy_and_torch_is_type_error():
    with pytest.raises(TypeError, match=r"got tensors for x but y \(float\)"):
        h(torch.tensor(1.0), 1.0)
    with pytest.raises(TypeError, match=r"tensors for y, z but x \(ndarray\)"):
        f(np.array(1.0), torch.tensor(1.0), torch.tensor(1.0))


def test_integer_tensor_is_type_error():
    with pytest.raises(TypeError, match=r"y must be a floating-point tensor"):
        h(torch.tensor(1.0), torch.tensor(2))


def test_shape_mismatch_is_value_error():
    with pytest.raises(ValueError, match=r"x \(2,\), y \(3,\)"):
        h(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match=r"do not broadcast"):
        f_gradient(torch.zeros(2), torch.ones(3), torch.zeros(1))
