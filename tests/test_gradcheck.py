"""Tests for gdguide.gradcheck: numerical and autograd gradients and their comparison."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gdguide.functions import f, f_gradient, h, h_gradient
from gdguide.gradcheck import (
    GradientComparison,
    PairDetail,
    autograd_gradient,
    compare_gradients,
    numerical_gradient,
)

SETTINGS = settings(max_examples=40, deadline=None)
moderate = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
y_inside = st.floats(0.1, 3.0, allow_nan=False, allow_infinity=False)


# ------------------------------------------------------------------------ numerical_gradient


def test_numerical_gradient_of_a_cubic():
    (grad,) = numerical_gradient(lambda x: x**3, 2.0)
    assert isinstance(grad, float)
    assert math.isclose(grad, 12.0, rel_tol=1e-8)


def test_numerical_gradient_several_inputs_and_shapes():
    def fn(w, b, s):
        return float(np.sum(w**2) + 3 * b[0, 1] + s * np.sum(w))

    w = np.array([1.0, -2.0, 0.5])
    b = np.zeros((2, 2))
    gw, gb, gs = numerical_gradient(fn, w, b, 1.5)
    assert gw.shape == (3,) and gb.shape == (2, 2) and isinstance(gs, float)
    np.testing.assert_allclose(gw, 2 * w + 1.5, rtol=1e-8)
    np.testing.assert_allclose(gb, [[0.0, 3.0], [0.0, 0.0]], atol=1e-8)
    np.testing.assert_allclose(gs, np.sum(w), rtol=1e-8)


def test_numerical_gradient_does_not_change_inputs():
    w = np.array([1.0, 2.0])
    numerical_gradient(lambda v: float(np.sum(v**2)), w)
    np.testing.assert_allclose(w, [1.0, 2.0])


def test_numerical_gradient_accepts_lists_and_ints():
    (grad,) = numerical_gradient(lambda v: float(np.sum(v**2)), [1, 2])
    np.testing.assert_allclose(grad, [2.0, 4.0], rtol=1e-8)
    (grad,) = numerical_gradient(lambda v: v**2, 3)
    assert math.isclose(grad, 6.0, rel_tol=1e-8)


def test_numerical_gradient_tensor_keeps_dtype_and_device_computes_in_float64():
    seen = []

    def fn(x, y):
        seen.append(x.dtype)
        return h(x, y).sum()

    x = torch.tensor([0.3, -0.7], dtype=torch.float32)
    y = torch.tensor([1.1, 0.2], dtype=torch.float32)
    gx, gy = numerical_gradient(fn, x, y)
    assert gx.dtype == torch.float32 and gx.device == x.device
    assert set(seen) == {torch.float64}
    hx, hy = h_gradient(x.double(), y.double())
    torch.testing.assert_close(gx, hx.float(), rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(gy, hy.float(), rtol=1e-5, atol=1e-6)


def test_numerical_gradient_integer_tensor_gives_float64():
    (grad,) = numerical_gradient(lambda t: (t**2).sum(), torch.tensor([1, 2]))
    assert grad.dtype == torch.float64
    torch.testing.assert_close(grad, torch.tensor([2.0, 4.0], dtype=torch.float64))


def test_numerical_gradient_accepts_one_element_outputs():
    (grad,) = numerical_gradient(lambda x: np.array([x**2]), 1.0)
    assert math.isclose(grad, 2.0, rel_tol=1e-8)
    (grad,) = numerical_gradient(lambda x: torch.tensor([[x**2]], dtype=torch.float64), 1.0)
    assert math.isclose(grad, 2.0, rel_tol=1e-8)


@SETTINGS
@given(x=moderate, y=y_inside, z=moderate)
def test_numerical_gradient_matches_f_gradient(x, y, z):
    assume(1 + z * 2 * x / math.sin(y) > 0.2)
    np.testing.assert_allclose(
        numerical_gradient(f, x, y, z), f_gradient(x, y, z), rtol=1e-5, atol=1e-6
    )


def test_numerical_gradient_bad_arguments():
    with pytest.raises(TypeError, match="fn must be callable"):
        numerical_gradient("f", 1.0)
    with pytest.raises(ValueError, match="eps must be > 0"):
        numerical_gradient(f, 1.0, 1.0, 1.0, eps=0.0)
    with pytest.raises(ValueError, match="eps must be > 0"):
        numerical_gradient(f, 1.0, 1.0, 1.0, eps=-1e-6)
    with pytest.raises(TypeError, match="eps must be a real number"):
        numerical_gradient(f, 1.0, 1.0, 1.0, eps="small")
    with pytest.raises(ValueError, match="eps must be finite"):
        numerical_gradient(f, 1.0, 1.0, 1.0, eps=math.nan)
    with pytest.raises(ValueError, match="inputs"):
        numerical_gradient(f)
    with pytest.raises(TypeError, match=r"inputs\[1\]"):
        numerical_gradient(f, 1.0, True, 1.0)
    with pytest.raises(TypeError, match=r"inputs\[0\]"):
        numerical_gradient(f, "1.0", 1.0, 1.0)
    with pytest.raises(ValueError, match=r"inputs\[2\] must be finite"):
        numerical_gradient(f, 1.0, 1.0, math.inf)
    with pytest.raises(ValueError, match=r"inputs\[0\] must hold only finite"):
        numerical_gradient(h, np.array([1.0, np.nan]), 1.0)
    with pytest.raises(ValueError, match=r"inputs\[0\] must hold only finite"):
        numerical_gradient(h, torch.tensor([math.nan]), torch.tensor([1.0]))


def test_numerical_gradient_fn_must_return_a_finite_scalar():
    with pytest.raises(ValueError, match="fn must return a scalar.*shape \\(2,\\)"):
        numerical_gradient(lambda x: h(x, 0.0), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="fn must return a scalar.*tensor of shape"):
        numerical_gradient(lambda x: x * 2, torch.ones(2))
    with pytest.raises(TypeError, match="fn must return a real number"):
        numerical_gradient(lambda x: "value", 1.0)
    with pytest.raises(TypeError, match="fn must return a real number"):
        numerical_gradient(lambda x: True, 1.0)
    with pytest.raises(TypeError, match="fn must return a real number, got dtype"):
        numerical_gradient(lambda x: np.array("a"), 1.0)
    with pytest.raises(ValueError, match=r"fn returned nan .*inputs\[0\]"):
        numerical_gradient(lambda x: math.nan, 1.0)


# -------------------------------------------------------------------------- autograd_gradient


def test_autograd_gradient_of_f_matches_hand():
    grads = autograd_gradient(f, 0.7, 1.2, -0.4)
    assert all(isinstance(g, torch.Tensor) and g.dtype == torch.float64 for g in grads)
    np.testing.assert_allclose(
        [g.item() for g in grads], f_gradient(0.7, 1.2, -0.4), rtol=1e-12
    )


def test_autograd_gradient_shapes_tensors_and_unused_inputs():
    x = torch.tensor([0.5, 1.0], dtype=torch.float32, requires_grad=True)
    gx, gy, gu = autograd_gradient(
        lambda a, b, unused: h(a, b).sum(), x, np.array([0.1, 0.2]), [1.0, 2.0, 3.0]
    )
    assert gx.shape == (2,) and gx.dtype == torch.float64
    assert x.grad is None  # the caller's tensor is not touched
    hx, hy = h_gradient(np.array([0.5, 1.0]), np.array([0.1, 0.2]))
    np.testing.assert_allclose(gx.numpy(), hx, rtol=1e-6)
    np.testing.assert_allclose(gy.numpy(), hy, rtol=1e-12)
    torch.testing.assert_close(gu, torch.zeros(3, dtype=torch.float64))


def test_autograd_gradient_bad_arguments():
    with pytest.raises(TypeError, match="fn must be callable"):
        autograd_gradient(None, 1.0)
    with pytest.raises(ValueError, match="inputs"):
        autograd_gradient(f)
    with pytest.raises(TypeError, match=r"inputs\[0\]"):
        autograd_gradient(f, False, 1.0, 1.0)
    with pytest.raises(ValueError, match=r"inputs\[1\]"):
        autograd_gradient(f, 1.0, math.nan, 1.0)
    with pytest.raises(TypeError, match="fn must return a torch.Tensor"):
        autograd_gradient(lambda x: 3.0, 1.0)
    with pytest.raises(ValueError, match="fn must return a scalar"):
        autograd_gradient(lambda x: x * 2, [1.0, 2.0])
    with pytest.raises(TypeError, match="fn must compute its result"):
        autograd_gradient(lambda x: torch.tensor(1.0), 1.0)
    with pytest.raises(ValueError, match="fn returned"):
        autograd_gradient(lambda x: x / 0.0, 1.0)


# ---------------------------------------------------------------------------- compare_gradients


def three_ways(x, y, z):
    return (
        f_gradient(x, y, z),
        autograd_gradient(f, x, y, z),
        numerical_gradient(f, x, y, z),
    )


@SETTINGS
@given(x=moderate, y=y_inside, z=moderate)
def test_three_ways_agree_for_f(x, y, z):
    assume(1 + z * 2 * x / math.sin(y) > 0.2)
    result = compare_gradients(*three_ways(x, y, z), names=("x", "y", "z"))
    assert result.passed, result.summary()
    assert result.max_abs_diff <= 1e-6


@SETTINGS
@given(x=st.floats(-3, 3), y=st.floats(-3, 3))
def test_three_ways_agree_for_h_arrays(x, y):
    xs = np.array([x, x / 2, -x])
    ys = np.array([y, 0.5, -y])

    def total(a, b):
        return h(a, b).sum()

    result = compare_gradients(
        h_gradient(xs, ys),
        autograd_gradient(total, xs, ys),
        numerical_gradient(total, xs, ys),
        names=["x", "y"],
    )
    assert result.passed, result.summary()


def test_compare_gradients_result_fields_and_details():
    hand = [np.array([1.0, 2.0]), 0.0]
    auto = [torch.tensor([1.0, 2.0 + 1e-12], dtype=torch.float64), 0.0]
    num = [np.array([1.0 + 2e-10, 2.0]), 1e-9]
    result = compare_gradients(hand, auto, num, names=("w", "b"))
    assert isinstance(result, GradientComparison)
    assert result.names == ("w", "b")
    assert result.passed
    assert math.isclose(result.rtol, 1e-5) and math.isclose(result.atol, 1e-7)
    assert len(result.details) == 6
    assert all(isinstance(d, PairDetail) for d in result.details)
    assert [d.pair for d in result.details[::2]] == [
        ("hand", "autograd"),
        ("hand", "numerical"),
        ("autograd", "numerical"),
    ]
    np.testing.assert_allclose(result.max_abs_diff, 1e-9, rtol=1e-6)
    np.testing.assert_allclose(result.max_rel_diff, 1.0)  # 0 vs 1e-9: relatively far
    np.testing.assert_allclose(result.pair_max_abs_diff(("hand", "autograd")), 1e-12, rtol=1e-3)
    b_hand_auto = [d for d in result.details if d.name == "b" and d.pair == ("hand", "autograd")]
    np.testing.assert_allclose(b_hand_auto[0].max_rel_diff, 0.0)  # both zero: no difference


def test_compare_gradients_fails_on_a_wrong_hand_gradient():
    x, y, z = 0.7, 1.2, -0.4
    hand, auto, num = three_ways(x, y, z)
    wrong = (hand[0], -hand[1], hand[2])  # a sign error in ∂f/∂y
    result = compare_gradients(wrong, auto, num, names=("x", "y", "z"))
    assert not result.passed
    failing = {(d.pair, d.name) for d in result.details if not d.passed}
    assert failing == {(("hand", "autograd"), "y"), (("hand", "numerical"), "y")}
    summary = result.summary()
    assert "FAILED" in summary and "MISMATCH" in summary and "(in y)" in summary
    summary_ja = result.summary("ja")
    assert "不合格" in summary_ja and "不一致" in summary_ja and "手計算" in summary_ja


def test_compare_gradients_tolerance_is_symmetric_and_inclusive():
    # |a - b| = 1e-3 against atol + rtol·max(|a|, |b|) = 0 + 1e-3·1.0: just passes either way.
    a, b = 1.0, 1.0 - 1e-3
    assert compare_gradients([a], [b], [a], rtol=1.0001e-3, atol=0.0).passed
    assert compare_gradients([b], [a], [b], rtol=1.0001e-3, atol=0.0).passed
    assert not compare_gradients([a], [b], [a], rtol=0.9e-3, atol=0.0).passed


def test_compare_gradients_default_names_and_summary_en():
    result = compare_gradients([1.0, 2.0], [1.0, 2.0], [1.0, 2.0 + 1e-11])
    assert result.names == ("input0", "input1")
    summary = result.summary()
    assert summary.splitlines()[0].startswith("Gradient check")
    assert "hand vs autograd" in summary and "autograd vs numerical" in summary
    assert summary.splitlines()[-1].startswith("PASSED")
    assert result.summary("ja").splitlines()[-1].startswith("合格")


def test_compare_gradients_empty_sequences():
    result = compare_gradients([], [], [])
    assert result.passed and result.details == ()
    assert result.max_abs_diff == pytest.approx(0.0)
    assert "PASSED" in result.summary()


def test_summary_and_pair_bad_arguments():
    result = compare_gradients([1.0], [1.0], [1.0])
    with pytest.raises(ValueError, match="lang"):
        result.summary("de")
    with pytest.raises(TypeError, match="lang"):
        result.summary(1)
    with pytest.raises(ValueError, match="pair"):
        result.pair_max_abs_diff(("hand", "hand"))


def test_compare_gradients_length_mismatch_names_the_argument():
    with pytest.raises(ValueError, match=r"autograd holds 1 gradient\(s\) but hand holds 2"):
        compare_gradients([1.0, 2.0], [1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"numerical holds 3"):
        compare_gradients([1.0, 2.0], [1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"names holds 1 name"):
        compare_gradients([1.0, 2.0], [1.0, 2.0], [1.0, 2.0], names=["x"])


def test_compare_gradients_shape_mismatch_names_the_argument():
    with pytest.raises(ValueError, match=r"numerical\[1\] \(y\) has shape \(3,\) but hand\[1\]"):
        compare_gradients(
            [1.0, np.zeros(2)], [1.0, np.zeros(2)], [1.0, np.zeros(3)], names=["x", "y"]
        )
    with pytest.raises(ValueError, match=r"autograd\[0\] \(input0\) has shape \(1,\)"):
        compare_gradients([1.0], [torch.zeros(1)], [1.0])


def test_compare_gradients_type_errors():
    with pytest.raises(TypeError, match="hand must be a list or tuple"):
        compare_gradients(np.zeros(2), [1.0], [1.0])
    with pytest.raises(TypeError, match="numerical must be a list or tuple"):
        compare_gradients([1.0], [1.0], 1.0)
    with pytest.raises(TypeError, match=r"autograd\[0\] \(input0\)"):
        compare_gradients([1.0], ["1.0"], [1.0])
    with pytest.raises(TypeError, match=r"hand\[0\] \(x\)"):
        compare_gradients([True], [1.0], [1.0], names=["x"])
    with pytest.raises(TypeError, match="names must be a list or tuple"):
        compare_gradients([1.0], [1.0], [1.0], names="x")
    with pytest.raises(TypeError, match=r"names\[0\] must be a str"):
        compare_gradients([1.0], [1.0], [1.0], names=[0])


@pytest.mark.parametrize("bad", [math.nan, math.inf, np.array([1.0, np.nan])])
def test_compare_gradients_rejects_non_finite(bad):
    with pytest.raises(ValueError, match=r"hand\[0\] \(x\) must .*finite"):
        compare_gradients([bad], [1.0], [1.0], names=["x"])
    with pytest.raises(ValueError, match=r"autograd\[0\] \(x\) must hold only finite"):
        compare_gradients([1.0], [torch.tensor(math.nan)], [1.0], names=["x"])


def test_compare_gradients_tolerance_arguments():
    with pytest.raises(ValueError, match="rtol must be >= 0"):
        compare_gradients([1.0], [1.0], [1.0], rtol=-1e-5)
    with pytest.raises(TypeError, match="atol must be a real number"):
        compare_gradients([1.0], [1.0], [1.0], atol="0")
    with pytest.raises(ValueError, match="atol must be finite"):
        compare_gradients([1.0], [1.0], [1.0], atol=math.nan)
    assert compare_gradients([1.0], [1.0], [1.0], rtol=0, atol=0).passed


# --- complex and bool values, records ----------------------------------------------------------


def test_complex_and_bool_tensors_are_refused_not_truncated():
    complex_one = torch.tensor([1 + 5j])
    with pytest.raises(TypeError, match=r"hand\[0\] \(input0\) must hold real numbers.*complex"):
        compare_gradients([complex_one], [torch.tensor([1.0])], [torch.tensor([1.0])])
    with pytest.raises(TypeError, match=r"numerical\[0\] \(input0\) must hold real numbers.*bool"):
        compare_gradients([1.0], [1.0], [torch.tensor(True)])
    with pytest.raises(TypeError, match=r"inputs\[0\] must hold real numbers"):
        numerical_gradient(lambda x: x.real.sum(), complex_one)
    with pytest.raises(TypeError, match=r"inputs\[0\] must hold real numbers"):
        autograd_gradient(lambda x: x.sum(), torch.tensor([True]))
    with pytest.raises(TypeError, match=r"fn must return a real number, got dtype torch\.complex"):
        numerical_gradient(lambda x: torch.tensor(1 + 5j), 1.0)


def test_pair_must_be_a_tuple_of_two_methods():
    result = compare_gradients([1.0], [2.0], [1.0])
    assert result.pair_max_abs_diff(["hand", "autograd"]) == pytest.approx(1.0)
    with pytest.raises(TypeError, match=r"pair must be a tuple of two method names.*NoneType"):
        result.pair_max_abs_diff(None)


def test_records_check_their_fields():
    detail = PairDetail(["hand", "autograd"], "x", 0, 0.0, True)
    assert detail.pair == ("hand", "autograd") and isinstance(detail.max_abs_diff, float)
    for change, error, match in [
        ({"pair": None}, TypeError, "pair"),
        ({"pair": ("hand", "hand")}, ValueError, "pair must be one of"),
        ({"name": None}, TypeError, "name must be a str"),
        ({"max_abs_diff": -1.0}, ValueError, "max_abs_diff must be >= 0"),
        ({"max_rel_diff": math.nan}, ValueError, "max_rel_diff must be finite"),
        ({"passed": 1}, TypeError, "passed must be a bool"),
    ]:
        fields = {"pair": ("hand", "autograd"), "name": "x", "max_abs_diff": 0.0}
        with pytest.raises(error, match=match):
            PairDetail(**{**fields, "max_rel_diff": 0.0, "passed": True, **change})
    comparison = GradientComparison(["x"], 0.0, 0.0, 1e-5, 1e-7, True, [detail])
    assert comparison.names == ("x",) and comparison.details == (detail,)
    assert "PASSED" in comparison.summary()
    for change, error, match in [
        ({"names": None}, TypeError, "names must be a list or tuple of str"),
        ({"names": [1]}, TypeError, r"names\[0\] must be a str"),
        ({"details": [None]}, TypeError, r"details\[0\] must be a PairDetail"),
        ({"rtol": -1.0}, ValueError, "rtol must be >= 0"),
        ({"atol": None}, TypeError, "atol must be a real number"),
        ({"passed": None}, TypeError, "passed must be a bool"),
    ]:
        fields = {"names": ("x",), "max_abs_diff": 0.0, "max_rel_diff": 0.0, "rtol": 1e-5}
        with pytest.raises(error, match=match):
            GradientComparison(**{**fields, "atol": 1e-7, "passed": True, **change})
