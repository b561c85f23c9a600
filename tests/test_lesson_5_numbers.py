"""The numbers lesson 5 (nn.Module and the training loop) prints and cites, in both languages.

Every expected value is computed here, with torch and gdguide, from the lesson's flow: seed ->
data; seed -> model, loss, optimiser; one manual step; seed -> 1847 epochs of training.
"""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

import pytest
import torch
from built_site import printed_output, require_site
from site_sources import LANGUAGES
from torch import nn

from gdguide.reproducibility import SEED, set_seed
from gdguide.training import (
    TRAINING_EPOCHS,
    WideNet,
    make_sine_data,
    make_training_setup,
    train,
    training_step,
)

pytestmark = pytest.mark.build
LESSON = "plot_5_training_loop"


class _Paragraphs(HTMLParser):
    """The text of every ``<p>`` of a page: the prose, not the code or its output."""

    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self._depth += 1
            if self._depth == 1:
                self.paragraphs.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.paragraphs[-1] += data


def _page(lang: str):
    return require_site() / lang / "auto_examples" / f"{LESSON}.html"


def _paragraphs(lang: str) -> list[str]:
    parser = _Paragraphs()
    parser.feed(_page(lang).read_text(encoding="utf-8"))
    return [" ".join(text.split()) for text in parser.paragraphs]


def _printed_values(out: str) -> dict[str, list[float]]:
    """Lines of the form ``name = number`` printed by the lesson, by name, in order."""
    values: dict[str, list[float]] = {}
    for name, number in re.findall(r"^(\S+) = (-?\d+(?:\.\d+)?)$", out, flags=re.MULTILINE):
        values.setdefault(name, []).append(float(number))
    return values


@pytest.fixture(scope="module")
def flow() -> dict[str, float]:
    inputs, targets = make_sine_data(seed=SEED)
    model, loss_fn, optimizer = make_training_setup(seed=SEED)
    one_step = training_step(inputs, targets, model, loss_fn, optimizer)
    set_seed(SEED)
    losses = train(inputs, targets, model, loss_fn, optimizer, TRAINING_EPOCHS)
    noise = targets - torch.sin(math.pi * inputs)
    return {
        "one_step": one_step,
        "final": losses[-1],
        "noise_mse": (noise**2).mean().item(),
        # the loss of the true curve sin(pi x) on the data: the same number, another way
        "true_curve_loss": loss_fn(torch.sin(math.pi * inputs), targets).item(),
    }


class _TwoTensors(nn.Module):
    """The lesson's nn.Parameter demonstration, rebuilt here."""

    def __init__(self) -> None:
        super().__init__()
        self.plain = torch.tensor([0.5], requires_grad=True)
        self.wrapped = nn.Parameter(torch.tensor([0.5]))


def test_the_noise_and_the_final_loss_are_what_content_md_says(flow):
    assert flow["noise_mse"] == pytest.approx(flow["true_curve_loss"], rel=1e-5)
    assert flow["noise_mse"] == pytest.approx(0.077, abs=5e-4)  # CONTENT.md: ≈ 0.077
    assert flow["final"] == pytest.approx(0.067, abs=5e-4)  # CONTENT.md: ≈ 0.067
    assert flow["final"] < flow["noise_mse"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_prints_the_noise_mse_and_compares_it_with_the_final_loss(lang, flow):
    out = printed_output(_page(lang))
    printed = _printed_values(out)
    assert printed["noise_mse"] == [pytest.approx(flow["noise_mse"], abs=5e-5)]
    assert printed["losses[-1]"][-1] == pytest.approx(flow["final"], abs=5e-5)
    comparison = re.findall(r"^losses\[-1\] < noise_mse: (True|False)$", out, flags=re.MULTILINE)
    assert comparison == [str(flow["final"] < flow["noise_mse"])]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_prints_the_parameters_of_the_wide_network(lang):
    out = printed_output(_page(lang))
    reference = WideNet(512)
    expected = sum(parameter.numel() for parameter in reference.parameters())
    assert _printed_values(out)["n_parameters"] == [expected]
    # one line per registered parameter, in order: name, then (after a word) its shape
    listed = re.findall(r"^(layers\.\d+\.\w+)\s+\S+ (\([\d, ]*\))", out, flags=re.MULTILINE)
    assert listed == [
        (name, str(tuple(parameter.shape))) for name, parameter in reference.named_parameters()
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_shows_that_only_an_nn_parameter_is_registered(lang):
    out = printed_output(_page(lang))
    demo = _TwoTensors()
    names = [name for name, _ in demo.named_parameters()]
    assert names == ["wrapped"]  # the point of the demonstration
    assert f"named_parameters(): {names}" in out.splitlines()
    assert f"'plain' in dir(demo): {'plain' in dir(demo)}" in out.splitlines()
    kinds = f"plain: {type(demo.plain).__name__}, wrapped: {type(demo.wrapped).__name__}"
    assert kinds in out.splitlines()
    assert str(type(WideNet(4).layers[0].weight)) in out.splitlines()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_prose_cites_the_numbers_the_page_prints(lang, flow):
    paragraphs = _paragraphs(lang)
    one_step = f"{flow['one_step']:.3f}"
    assert any(one_step in text for text in paragraphs), one_step
    final, noise = f"{flow['final']:.4f}", f"{flow['noise_mse']:.4f}"
    # the two are compared in one sentence of the prose
    assert any(final in text and noise in text for text in paragraphs), (final, noise)
    cited = {n for text in paragraphs for n in re.findall(r"\b0\.\d{3,4}\b", text)}
    assert cited <= {one_step, final, noise, "0.003"}, cited
