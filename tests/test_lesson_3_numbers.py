"""Lesson 1.3 prints the numbers of its forward pass, backward pass and the x·y + x graph.

Every expected value is computed here (gdguide.chain_rule, torch), never typed in; only the
inputs the lesson chooses (its point and the inputs of g) appear as constants.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch
from built_site import numbers_in, printed_output, require_site
from site_sources import LANGUAGES

from gdguide.chain_rule import chain_rule_gradients, forward_values, local_derivatives

pytestmark = pytest.mark.build

#: The lesson's point (x, y, z) and the inputs of g = x·y + x.
POINT = (1.0, 0.5, 0.5)
G_INPUTS = (2.0, 0.5)
NUMBER = r"([-+]?\d+\.\d+)"


def _output(lang: str) -> str:
    page: Path = require_site() / lang / "auto_examples" / "plot_3_chain_rule.html"
    assert page.is_file(), f"{page} was not built"
    return printed_output(page)


def _value(out: str, label: str) -> float:
    """The number printed on the line ``<label> = <number>`` (the first such line)."""
    match = re.search(rf"^{re.escape(label)} = {NUMBER}$", out, re.MULTILINE)
    assert match, f"no line '{label} = ...' in the output:\n{out[:3000]}"
    return float(match.group(1))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_forward_pass_prints_every_node(lang):
    out = _output(lang)
    for name, value in forward_values(*POINT).items():
        assert _value(out, name) == pytest.approx(value, abs=5e-7), name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_local_derivatives_are_printed_from_the_stored_values(lang):
    out = _output(lang)
    for (source, target), value in local_derivatives(*POINT).items():
        label = f"∂{target}/∂{source}"
        assert _value(out, label) == pytest.approx(value, abs=5e-7), label


@pytest.mark.parametrize("lang", LANGUAGES)
def test_backward_pass_autograd_and_central_difference_are_printed_and_agree(lang):
    out = _output(lang)
    expected = chain_rule_gradients(*POINT)
    leaves = [torch.tensor(value, dtype=torch.float64, requires_grad=True) for value in POINT]
    x, y, z = leaves
    torch.tanh(torch.log(1 + z * 2 * x / torch.sin(y))).backward()
    for name, leaf in zip("xyz", leaves, strict=True):
        lines = [line for line in out.splitlines() if line.startswith(f"∂f/∂{name}")]
        assert len(lines) == 1, (name, lines)
        backward, autograd, difference = numbers_in(lines[0])
        assert backward == pytest.approx(expected[name], abs=1e-11)
        assert autograd == pytest.approx(leaf.grad.item(), abs=1e-11)
        assert difference == pytest.approx(expected[name], abs=1e-8)
    # the comparisons the page prints (forward vs f, the gradient check, x.grad vs y + 1)
    assert "False" not in out
    assert out.count("True") == 3


@pytest.mark.parametrize("lang", LANGUAGES)
def test_two_paths_meeting_at_x_add_up_and_grad_accumulates(lang):
    out = _output(lang)
    x = torch.tensor(G_INPUTS[0], requires_grad=True)
    y = torch.tensor(G_INPUTS[1], requires_grad=True)
    (x * y + x).backward()
    once_x, once_y = x.grad.item(), y.grad.item()
    (x * y + x).backward()
    twice_x = x.grad.item()
    assert once_x == pytest.approx(G_INPUTS[1] + 1)  # the two paths: y + 1
    printed = [float(n) for n in re.findall(rf"x\.grad[^=\n]* = {NUMBER}", out)]
    assert printed == pytest.approx([once_x, twice_x], abs=5e-7), printed
    y_grad = re.search(rf"y\.grad = {NUMBER}", out)
    assert y_grad, out[-2000:]
    assert float(y_grad.group(1)) == pytest.approx(once_y, abs=5e-7)  # dg/dy = x


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_backward_pass_is_shown_as_an_html_table(lang):
    from bs4 import BeautifulSoup

    from gdguide.chain_rule import backward_table
    from gdguide.i18n import text

    page = require_site() / lang / "auto_examples" / "plot_3_chain_rule.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    tables = soup.select("table.gdguide-backward-table")
    assert len(tables) == 1, "the page shows the backward pass as one HTML table"
    assert tables[0].select("th")[0].get_text() == text(lang, "table_node")
    rows = backward_table(*POINT)
    body = [[td.get_text() for td in tr.select("td")] for tr in tables[0].select("tbody tr")]
    assert [line[0] for line in body] == [row.node for row in rows]
    for line, row in zip(body, rows, strict=True):
        assert float(line[5]) == pytest.approx(row.gradient, rel=1e-5)
    assert "----------" not in _output(lang), "the fixed-width text table is gone from the page"
