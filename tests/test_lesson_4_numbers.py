"""Lesson 2 (autograd on one neuron) prints numbers and graphs that torch computes the same way.

Every expected value here is computed in the test with torch (or gdguide.gradcheck), never typed
in: the example neuron, its gradients, the accumulated gradient (twice the single one), the
``grad_fn`` chains of the recorded and the branching forward pass, the errors PyTorch raises, the
batch losses and their gradients, and the comparison of hand and autograd gradients at b = -0.5.
"""

from __future__ import annotations

import math
import re

import pytest
import torch
from built_site import numbers_in, printed_output, require_site
from site_sources import LANGUAGES

pytestmark = pytest.mark.build

W, B, X, TARGET = -0.5, 0.5, 1.0, 7.0  # the lesson's example (CONTENT.md)
NUMBER = r"-?\d+\.\d+"


def lines_of(lang: str) -> list[str]:
    page = require_site() / lang / "auto_examples" / "plot_4_autograd.html"
    assert page.is_file(), f"{page} was not built"
    return printed_output(page).splitlines()


def chain(tensor: torch.Tensor) -> list[str]:
    """Names of the backward functions from *tensor* to a leaf, first input needing a gradient."""
    names = []
    node = tensor.grad_fn
    while node is not None:
        names.append(node.name())
        inputs = [function for function, _ in node.next_functions if function is not None]
        node = inputs[0] if inputs else None
    return names


def error_of(action) -> str:
    with pytest.raises(RuntimeError) as info:
        action()
    return str(info.value)


def line_with(lines: list[str], pattern: str) -> re.Match[str]:
    found = [m for line in lines if (m := re.search(pattern, line))]
    assert len(found) == 1, (pattern, found, lines)
    return found[0]


def grads_printed(lines: list[str]) -> list[tuple[str, str]]:
    """Every ``w.grad = ..., b.grad = ...`` pair on the page, in order, as printed."""
    return [(m[1], m[2]) for line in lines
            if (m := re.search(r"w\.grad = (\S+), b\.grad = (\S+)$", line))]


@pytest.fixture(scope="module")
def expected() -> dict:
    """The lesson's computations, redone here."""
    feature, target = torch.tensor([X]), torch.tensor([TARGET])
    w = torch.tensor([W], requires_grad=True)
    b = torch.tensor([B], requires_grad=True)
    prediction = torch.tanh(w * feature + b)
    loss = (target - prediction) ** 2
    loss_chain = chain(loss)
    loss.backward()
    single = (w.grad.clone(), b.grad.clone())
    y_p = prediction.detach()
    hand = (-2 * feature * (target - y_p) * (1 - y_p**2), -2 * (target - y_p) * (1 - y_p**2))

    from gdguide.gradcheck import numerical_gradient

    numerical = numerical_gradient(
        lambda w_, b_: (target - torch.tanh(w_ * feature + b_)) ** 2,
        w.detach().double(), b.detach().double(),
    )

    def branch(x: float) -> torch.Tensor:
        z = w * torch.tensor([x]) + b
        return torch.tanh(z) if x > 0 else z**2

    freed = error_of(loss.backward).split(".")[0] + "."

    features = torch.tensor([1.0, 2.0, 3.0])
    targets = torch.full((3,), TARGET)
    w.grad, b.grad = None, None
    losses = (targets - torch.tanh(w * features + b)) ** 2
    not_scalar = error_of(losses.backward)
    losses.mean().backward()
    mean_grads = (w.grad.item(), b.grad.item())
    w.grad, b.grad = None, None
    ((targets - torch.tanh(w * features + b)) ** 2).sum().backward()
    sum_grads = (w.grad.item(), b.grad.item())
    no_numpy = error_of(prediction.numpy)
    close = (torch.allclose(hand[0], single[0]), torch.allclose(hand[1], single[1]))

    probe_w = torch.tensor([W], requires_grad=True)
    probe_b = torch.tensor([-B], requires_grad=True)
    probe_prediction = torch.tanh(probe_w * feature + probe_b)
    ((target - probe_prediction) ** 2).backward()
    probe_y_p = probe_prediction.detach()
    probe_hand = -2 * feature * (target - probe_y_p) * (1 - probe_y_p**2)

    return {
        "prediction": prediction.item(), "loss": loss.item(),
        "single": (single[0].item(), single[1].item()),
        "hand": (hand[0].item(), hand[1].item()),
        "numerical": (numerical[0].item(), numerical[1].item()),
        "loss_chain": loss_chain,
        "branch": {x: chain(branch(x)) for x in (1.0, -1.0)},
        "freed": freed, "not_scalar": not_scalar, "no_numpy": no_numpy, "close": close,
        "detached": str(prediction.detach().numpy()),
        "losses": losses.detach().tolist(), "mean_grads": mean_grads, "sum_grads": sum_grads,
        "probe": (probe_hand.item(), probe_w.grad.item()),
        "probe_equal": bool(probe_hand == probe_w.grad),
        "probe_close": torch.allclose(probe_hand, probe_w.grad),
    }


def test_the_example_is_the_one_of_content_md(expected):
    assert expected["prediction"] == pytest.approx(0.0, abs=1e-12)
    assert expected["loss"] == pytest.approx(49.0)
    assert expected["single"] == pytest.approx((-14.0, -14.0))
    assert expected["hand"] == pytest.approx(expected["single"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_inputs_prediction_and_loss(lang, expected):
    lines = lines_of(lang)
    assert line_with(lines, rf"^w = ({NUMBER}), b = ({NUMBER})$").groups() == (str(W), str(B))
    inputs = line_with(lines, rf"^x = ({NUMBER}), y_t = ({NUMBER})$")
    assert inputs.groups() == (str(X), str(TARGET))
    following = numbers_in(lines[lines.index(inputs.string) + 1])
    assert following == pytest.approx([expected["prediction"], expected["loss"]], abs=0.05)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_grad_fn_chains_of_the_loss_and_of_the_branching_forward(lang, expected):
    lines = lines_of(lang)
    assert " <- ".join(expected["loss_chain"]) in lines
    assert expected["loss_chain"][:5] == [
        "PowBackward0", "SubBackward0", "TanhBackward0", "AddBackward0", "MulBackward0"]
    for x, names in expected["branch"].items():
        assert f"x = {x:4}: " + " <- ".join(names) in lines
    # the two inputs really record different graphs
    assert expected["branch"][1.0] != expected["branch"][-1.0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_backward_accumulation_zeroing_and_retain_graph(lang, expected):
    lines = lines_of(lang)
    assert any(line.endswith("w.grad = None") for line in lines)
    single_w, single_b = expected["single"]
    accumulated = (2 * single_w, 2 * single_b)  # two backward passes add up
    pairs = grads_printed(lines)
    assert len(pairs) == 7, pairs
    first, second, zeroed, after_zeroing, retained = pairs[:5]
    assert [float(v) for v in first] == pytest.approx(expected["single"], abs=0.05)
    assert [float(v) for v in second] == pytest.approx(accumulated, abs=0.05)
    assert float(zeroed[0]) == 0.0 and zeroed[1] == "None"
    assert [float(v) for v in after_zeroing] == pytest.approx(expected["single"], abs=0.05)
    assert [float(v) for v in retained] == pytest.approx(accumulated, abs=0.05)
    assert f"RuntimeError: {expected['freed']}" in lines


@pytest.mark.parametrize("lang", LANGUAGES)
def test_hand_autograd_and_numerical_gradients(lang, expected):
    lines = lines_of(lang)
    rows = [tuple(map(float, m.groups())) for line in lines
            if (m := re.search(rf"dloss/dw = ({NUMBER}), dloss/db = ({NUMBER})$", line))]
    assert len(rows) == 3, rows
    hand, autograd, numerical = rows
    assert hand == pytest.approx(expected["hand"], abs=5e-7)
    assert autograd == pytest.approx(expected["single"], abs=5e-7)
    assert numerical == pytest.approx(expected["numerical"], abs=5e-7)
    assert "torch.allclose: {}, {}".format(*expected["close"]) in lines
    assert expected["close"] == (True, True)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_vector_output_its_error_and_the_two_fixes(lang, expected):
    lines = lines_of(lang)
    printed = line_with(lines, r"^losses = tensor\(\[(.*)\]\)$")
    assert numbers_in(printed[1]) == pytest.approx(expected["losses"], abs=5e-5)
    assert f"RuntimeError: {expected['not_scalar']}" in lines
    mean_pair, ones_pair = grads_printed(lines)[5:]
    assert [float(v) for v in mean_pair] == pytest.approx(expected["mean_grads"], abs=5e-5)
    # gradient=ones_like gives the gradient of the sum, len(losses) times that of the mean
    assert [float(v) for v in ones_pair] == pytest.approx(expected["sum_grads"], abs=5e-5)
    n = len(expected["losses"])
    assert expected["sum_grads"] == pytest.approx([n * g for g in expected["mean_grads"]])
    assert line_with(lines, rf" {n} .*: (True|False)$")[1] == "True"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_detach_no_grad_and_float_comparisons(lang, expected):
    lines = lines_of(lang)
    assert f"RuntimeError: {expected['no_numpy']}" in lines
    assert f"prediction.detach().numpy() = {expected['detached']}" in lines
    assert any(line.endswith("requires_grad = False, grad_fn = None") for line in lines)
    assert f"0.1 + 0.2 = {0.1 + 0.2:.17g}" in lines
    assert f"0.1 + 0.2 == 0.3: {0.1 + 0.2 == 0.3}" in lines
    assert f"math.isclose(0.1 + 0.2, 0.3): {math.isclose(0.1 + 0.2, 0.3)}" in lines


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_last_bit_experiment_prints_what_torch_computes(lang, expected):
    lines = lines_of(lang)
    probe = line_with(lines, rf"^b = -0\.5: \S+ = ({NUMBER}), \S+ = ({NUMBER})$")
    assert [float(v) for v in probe.groups()] == pytest.approx(expected["probe"], abs=5e-10)
    verdict = lines[lines.index(probe.string) + 1]
    # whatever == gives on this machine, the page prints the same; allclose always agrees
    assert verdict.endswith(
        f": {expected['probe_equal']}, torch.allclose: {expected['probe_close']}")
    assert expected["probe_close"]
