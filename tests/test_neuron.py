from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gdguide import neuron as neuron_module
from gdguide.neuron import SimpleNeuron, neuron_gradients, squared_loss

FLOATS = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False, allow_infinity=False)
TARGETS = st.floats(min_value=-5.0, max_value=5.0, allow_nan=False, allow_infinity=False)


def _autograd_gradients(w, b, x, y_true):
    """Gradients of the squared loss via autograd, in plain PyTorch (reference)."""
    weight = torch.tensor([w], dtype=torch.float32, requires_grad=True)
    bias = torch.tensor([b], dtype=torch.float32, requires_grad=True)
    prediction = torch.tanh(weight * x + bias)
    ((y_true - prediction) ** 2).sum().backward()
    return prediction.detach(), weight.grad, bias.grad


# --- the lesson's example (CONTENT.md): w = -0.5, b = 0.5, x = 1, y = 7 ------------------------


def test_content_example_prediction_and_loss():
    neuron = SimpleNeuron(w=-0.5, b=0.5)
    x, y_true = torch.tensor([1]), torch.tensor([7])
    prediction = neuron(x)
    assert prediction.is_floating_point()
    assert prediction.shape == (1,)
    torch.testing.assert_close(prediction.detach(), torch.tensor([0.0]))
    loss = squared_loss(y_true, prediction)
    assert loss.is_floating_point()
    torch.testing.assert_close(loss.detach(), torch.tensor([49.0]))


def test_content_example_gradients_hand_and_autograd():
    neuron = SimpleNeuron(w=-0.5, b=0.5)
    x, y_true = torch.tensor([1]), torch.tensor([7])
    prediction = neuron(x)
    loss = squared_loss(y_true, prediction)
    dloss_dw, dloss_db = neuron_gradients(x, y_true, prediction)
    loss.backward()
    expected = torch.tensor([-14.0])
    torch.testing.assert_close(dloss_dw, expected)
    torch.testing.assert_close(dloss_db, expected)
    torch.testing.assert_close(neuron.w.grad, expected)
    torch.testing.assert_close(neuron.b.grad, expected)


def test_grad_fn_names_of_the_lesson():
    neuron = SimpleNeuron(-0.5, 0.5)
    prediction = neuron(torch.tensor([1]))
    loss = squared_loss(torch.tensor([7]), prediction)
    assert type(prediction.grad_fn).__name__ == "TanhBackward0"
    assert type(loss.grad_fn).__name__ == "PowBackward0"


# --- the neuron object ----------------------------------------------------------------------


def test_parameters_are_float32_leaves_requiring_grad():
    neuron = SimpleNeuron(1, -2.5)  # ints are real numbers too
    w, b = neuron.parameters()
    assert w is neuron.w and b is neuron.b
    for tensor, value in ((w, 1.0), (b, -2.5)):
        assert tensor.dtype == torch.float32
        assert tensor.shape == (1,)
        assert tensor.requires_grad and tensor.is_leaf
        assert math.isclose(tensor.item(), value)


def test_call_is_forward():
    neuron = SimpleNeuron(0.3, -0.2)
    x = torch.linspace(-2.0, 2.0, 9)
    torch.testing.assert_close(neuron(x), neuron.forward(x))
    torch.testing.assert_close(neuron(x).detach(), torch.tanh(0.3 * x - 0.2))


def test_forward_on_scalar_and_batch_shapes():
    neuron = SimpleNeuron(0.5, 0.1)
    assert neuron(torch.tensor(2.0)).shape == (1,)
    assert neuron(torch.zeros(4, 3)).shape == (4, 3)


def test_forward_float64_input_promotes():
    neuron = SimpleNeuron(0.5, 0.1)
    assert neuron(torch.tensor([1.0], dtype=torch.float64)).dtype == torch.float64


def test_repr():
    assert repr(SimpleNeuron(-0.5, 0.5)) == "SimpleNeuron(w=-0.5, b=0.5)"


def test_gradients_accumulate_and_zero_grad_resets():
    neuron = SimpleNeuron(-0.5, 0.5)
    neuron.zero_grad()  # no backward yet: nothing to reset
    assert neuron.w.grad is None and neuron.b.grad is None
    x, y_true = torch.tensor([1]), torch.tensor([7])
    for _ in range(2):
        squared_loss(y_true, neuron(x)).backward()
    torch.testing.assert_close(neuron.w.grad, torch.tensor([-28.0]))
    torch.testing.assert_close(neuron.b.grad, torch.tensor([-28.0]))
    neuron.zero_grad()
    torch.testing.assert_close(neuron.w.grad, torch.tensor([0.0]))
    torch.testing.assert_close(neuron.b.grad, torch.tensor([0.0]))
    squared_loss(y_true, neuron(x)).backward()
    torch.testing.assert_close(neuron.w.grad, torch.tensor([-14.0]))


# --- hand-derived gradients vs autograd and finite differences -------------------------------


@settings(max_examples=80, deadline=None)
@given(w=FLOATS, b=FLOATS, x=FLOATS, y_true=TARGETS)
def test_hand_gradients_match_autograd(w, b, x, y_true):
    x_t = torch.tensor([x], dtype=torch.float32)
    y_t = torch.tensor([y_true], dtype=torch.float32)
    neuron = SimpleNeuron(w, b)
    prediction = neuron(x_t)
    squared_loss(y_t, prediction).sum().backward()
    dloss_dw, dloss_db = neuron_gradients(x_t, y_t, prediction)
    # Same float32 numbers, different order of the products: equal to a few ulps, not bitwise.
    torch.testing.assert_close(dloss_dw, neuron.w.grad)
    torch.testing.assert_close(dloss_db, neuron.b.grad)
    reference_prediction, reference_w, reference_b = _autograd_gradients(w, b, x_t, y_t)
    torch.testing.assert_close(prediction.detach(), reference_prediction)
    torch.testing.assert_close(dloss_dw, reference_w)
    torch.testing.assert_close(dloss_db, reference_b)


def _loss64(w: float, b: float, x: float, y_true: float) -> float:
    return (y_true - math.tanh(w * x + b)) ** 2


@settings(max_examples=60, deadline=None)
@given(w=FLOATS, b=FLOATS, x=FLOATS, y_true=TARGETS)
def test_hand_gradients_match_central_differences(w, b, x, y_true):
    h = 1e-6
    numeric_w = (_loss64(w + h, b, x, y_true) - _loss64(w - h, b, x, y_true)) / (2 * h)
    numeric_b = (_loss64(w, b + h, x, y_true) - _loss64(w, b - h, x, y_true)) / (2 * h)
    as64 = lambda value: torch.tensor([value], dtype=torch.float64)  # noqa: E731
    prediction = as64(math.tanh(w * x + b))
    dloss_dw, dloss_db = neuron_gradients(as64(x), as64(y_true), prediction)
    assert math.isclose(dloss_dw.item(), numeric_w, rel_tol=1e-6, abs_tol=1e-6)
    assert math.isclose(dloss_db.item(), numeric_b, rel_tol=1e-6, abs_tol=1e-6)


@settings(max_examples=30, deadline=None)
@given(w=FLOATS, b=FLOATS, xs=st.lists(FLOATS, min_size=2, max_size=6), data=st.data())
def test_batch_gradients_sum_to_autograd(w, b, xs, data):
    ys = data.draw(st.lists(TARGETS, min_size=len(xs), max_size=len(xs)))
    x_t, y_t = torch.tensor(xs), torch.tensor(ys)
    neuron = SimpleNeuron(w, b)
    prediction = neuron(x_t)
    squared_loss(y_t, prediction).sum().backward()
    dloss_dw, dloss_db = neuron_gradients(x_t, y_t, prediction)
    assert dloss_dw.shape == dloss_db.shape == x_t.shape
    torch.testing.assert_close(dloss_dw.sum().reshape(1), neuron.w.grad, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(dloss_db.sum().reshape(1), neuron.b.grad, rtol=1e-5, atol=1e-5)


def test_neuron_gradients_is_detached_and_leaves_the_graph_alone():
    neuron = SimpleNeuron(0.2, -0.1)
    x, y_true = torch.tensor([0.7]), torch.tensor([0.4])
    prediction = neuron(x)
    dloss_dw, dloss_db = neuron_gradients(x, y_true, prediction)
    assert not dloss_dw.requires_grad and not dloss_db.requires_grad
    assert neuron.w.grad is None
    squared_loss(y_true, prediction).backward()  # the graph is still usable
    torch.testing.assert_close(neuron.w.grad, dloss_dw)


def test_lesson_example_prediction_is_exactly_zero():
    # Not an == assertion on computed floats: we only document that the lesson's example sits
    # on exactly representable numbers, so any reasonable tolerance passes with zero error.
    neuron = SimpleNeuron(-0.5, 0.5)
    prediction = neuron(torch.tensor([1]))
    torch.testing.assert_close(prediction.detach(), torch.zeros(1), rtol=0, atol=0)


# --- squared_loss ---------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(TARGETS, TARGETS), min_size=1, max_size=8))
def test_squared_loss_elementwise_no_mean(pairs):
    y_true = torch.tensor([p[0] for p in pairs], dtype=torch.float64)
    y_prediction = torch.tensor([p[1] for p in pairs], dtype=torch.float64)
    loss = squared_loss(y_true, y_prediction)
    assert loss.shape == y_true.shape
    expected = torch.tensor([(t - p) ** 2 for t, p in pairs], dtype=torch.float64)
    torch.testing.assert_close(loss, expected)


def test_squared_loss_refuses_broadcasting():
    with pytest.raises(ValueError, match=r"y_true.*\(1,\).*y_prediction.*\(3,\)"):
        squared_loss(torch.tensor([1.0]), torch.zeros(3))
    with pytest.raises(ValueError, match=r"\(3, 1\).*\(3,\)"):
        squared_loss(torch.zeros(3, 1), torch.zeros(3))


# --- bad inputs, one by one -----------------------------------------------------------------


@pytest.mark.parametrize("bad", ["0.5", None, True, [0.5], torch.tensor(0.5), 1 + 2j])
@pytest.mark.parametrize("name", ["w", "b"])
def test_neuron_rejects_non_real(name, bad):
    kwargs = {"w": 0.1, "b": 0.2, name: bad}
    with pytest.raises(TypeError, match=name):
        SimpleNeuron(**kwargs)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("name", ["w", "b"])
def test_neuron_rejects_non_finite(name, bad):
    kwargs = {"w": 0.1, "b": 0.2, name: bad}
    with pytest.raises(ValueError, match=name):
        SimpleNeuron(**kwargs)


def test_neuron_device_argument():
    neuron = SimpleNeuron(0.1, 0.2, device="cpu")
    assert neuron.w.device.type == "cpu" and neuron.b.device.type == "cpu"
    neuron = SimpleNeuron(0.1, 0.2, device=torch.device("cpu"))
    assert neuron.w.is_leaf and neuron.w.requires_grad
    with pytest.raises(TypeError, match="device"):
        SimpleNeuron(0.1, 0.2, device=0.5)
    with pytest.raises(ValueError, match="device"):
        SimpleNeuron(0.1, 0.2, device="not-a-device")


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (1.0, TypeError),
        ([1.0], TypeError),
        (torch.tensor([True]), TypeError),
        (torch.tensor([1 + 1j]), TypeError),
        (torch.tensor([math.nan]), ValueError),
        (torch.tensor([math.inf]), ValueError),
    ],
)
def test_forward_rejects_bad_x(bad, error):
    with pytest.raises(error, match="x"):
        SimpleNeuron(0.1, 0.2)(bad)


@pytest.mark.parametrize("name", ["w", "b"])
def test_neuron_rejects_values_beyond_float32(name):
    kwargs = {"w": 0.1, "b": 0.2, name: 1e39}  # float32 would store inf and predict NaN
    with pytest.raises(ValueError, match=rf"{name} must lie within the float32 range"):
        SimpleNeuron(**kwargs)
    kwargs[name] = -3.4e38  # still representable
    assert math.isfinite(getattr(SimpleNeuron(**kwargs), name).item())


@pytest.mark.parametrize(
    ("device", "available"),
    [("cuda", torch.cuda.is_available), ("cuda:0", torch.cuda.is_available),
     ("mps", torch.backends.mps.is_available)],
)
def test_neuron_rejects_unavailable_device(device, available):
    if available():
        pytest.skip(f"{device} is available here")
    with pytest.raises(ValueError, match=r"device must be available on this machine \(cpu"):
        SimpleNeuron(0.1, 0.2, device=device)
    with pytest.raises(ValueError, match="device must be available"):
        SimpleNeuron(0.1, 0.2, device=torch.device(device))


def test_neuron_gradients_rejects_predictions_outside_tanh_range():
    x, y_true = torch.tensor([1.0, 1.0]), torch.tensor([7.0, 7.0])
    match = r"y_prediction must lie in \[-1, 1\].*2\.0 at index \(1,\)"
    with pytest.raises(ValueError, match=match):
        neuron_gradients(x, y_true, torch.tensor([0.5, 2.0]))
    dloss_dw, _ = neuron_gradients(x, y_true, torch.tensor([-1.0, 1.0]))  # the ends are fine
    assert torch.equal(dloss_dw, torch.zeros(2))


def test_overflow_is_an_error_not_inf():
    big = torch.tensor([3e38])
    with pytest.raises(ValueError, match="y_true and y_prediction are too large.*inf"):
        squared_loss(big, -big)
    with pytest.raises(ValueError, match="y_true and y_prediction are too large"):
        neuron_gradients(torch.tensor([1.0]), big, torch.tensor([0.5]))
    with pytest.raises(ValueError, match="x, y_true and y_prediction are too large"):
        neuron_gradients(big, torch.tensor([1e3]), torch.tensor([0.5]))


@pytest.mark.parametrize("bad", [torch.tensor([True]), torch.tensor([1 + 5j])])
def test_gradients_and_loss_reject_bool_and_complex(bad):
    with pytest.raises(TypeError, match=r"y_true must hold real numbers"):
        squared_loss(bad, torch.tensor([0.0]))
    with pytest.raises(TypeError, match=r"x must hold real numbers"):
        neuron_gradients(bad, torch.tensor([1.0]), torch.tensor([0.0]))


def test_forward_rejects_other_device():
    neuron = SimpleNeuron(0.1, 0.2)
    neuron.w = neuron.w.detach().to("meta")
    with pytest.raises(ValueError, match="x must be on the neuron's device"):
        neuron(torch.tensor([1.0]))


@pytest.mark.parametrize(("position", "name"), [(0, "y_true"), (1, "y_prediction")])
@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (7.0, TypeError),
        (None, TypeError),
        (torch.tensor([True]), TypeError),
        (torch.tensor([math.nan]), ValueError),
    ],
)
def test_squared_loss_rejects_bad_inputs(position, name, bad, error):
    args = [torch.tensor([1.0]), torch.tensor([0.5])]
    args[position] = bad
    with pytest.raises(error, match=name):
        squared_loss(*args)


@pytest.mark.parametrize(("position", "name"), [(0, "x"), (1, "y_true"), (2, "y_prediction")])
@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (1.0, TypeError),
        (torch.tensor([False]), TypeError),
        (torch.tensor([math.inf]), ValueError),
        (torch.tensor([1.0, 2.0]), ValueError),  # shape mismatch with the others
    ],
)
def test_neuron_gradients_rejects_bad_inputs(position, name, bad, error):
    args = [torch.tensor([1.0]), torch.tensor([7.0]), torch.tensor([0.0])]
    args[position] = bad
    with pytest.raises(error, match=name):
        neuron_gradients(*args)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_neuron_on_cuda():
    neuron = SimpleNeuron(-0.5, 0.5, device="cuda")
    x, y_true = torch.tensor([1], device="cuda"), torch.tensor([7], device="cuda")
    prediction = neuron(x)
    loss = squared_loss(y_true, prediction)
    loss.backward()
    dloss_dw, dloss_db = neuron_gradients(x, y_true, prediction)
    assert dloss_dw.device.type == "cuda"
    torch.testing.assert_close(neuron.w.grad, dloss_dw)
    torch.testing.assert_close(neuron.b.grad.cpu(), torch.tensor([-14.0]))


def test_public_names():
    assert set(neuron_module.__all__) == {"SimpleNeuron", "squared_loss", "neuron_gradients"}
