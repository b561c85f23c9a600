"""Tests for gdguide.chain_rule: the forward and backward pass of f(x, y, z) by hand."""

from __future__ import annotations

import dataclasses
import math
import unicodedata

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gdguide.chain_rule import (
    BackwardRow,
    backward_table,
    chain_rule_gradients,
    format_backward_table,
    forward_values,
    local_derivatives,
)
from gdguide.functions import f, f_gradient

SETTINGS = settings(max_examples=50, deadline=None)
moderate = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
y_inside = st.floats(0.1, 3.0, allow_nan=False, allow_infinity=False)

EDGES = [
    ("x", "a"),
    ("y", "b"),
    ("a", "c"),
    ("b", "c"),
    ("c", "d"),
    ("z", "d"),
    ("d", "e"),
    ("e", "f"),
]

# Each node as a function of its inputs, written independently for the tests.
NODE_FUNCTIONS = {
    "a": (("x",), lambda x: 2 * x),
    "b": (("y",), math.sin),
    "c": (("a", "b"), lambda a, b: a / b),
    "d": (("c", "z"), lambda c, z: c * z),
    "e": (("d",), lambda d: math.log(d + 1)),
    "f": (("e",), math.tanh),
}


def inside(x: float, y: float, z: float) -> bool:
    return 1 + z * 2 * x / math.sin(y) > 0.2


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_forward_values_order_and_numbers():
    values = forward_values(1.0, 1.0, 1.0)
    assert list(values) == ["x", "y", "z", "a", "b", "c", "d", "e", "f"]
    assert all(isinstance(v, float) for v in values.values())
    np.testing.assert_allclose(values["a"], 2.0)
    np.testing.assert_allclose(values["b"], math.sin(1.0))
    np.testing.assert_allclose(values["c"], 2.0 / math.sin(1.0))
    np.testing.assert_allclose(values["d"], 2.0 / math.sin(1.0))
    np.testing.assert_allclose(values["e"], math.log(1 + 2.0 / math.sin(1.0)))
    np.testing.assert_allclose(values["f"], f(1.0, 1.0, 1.0), rtol=1e-15)


@SETTINGS
@given(x=moderate, y=y_inside, z=moderate)
def test_forward_values_compose_to_f(x, y, z):
    assume(inside(x, y, z))
    values = forward_values(x, y, z)
    for node, (inputs, fn) in NODE_FUNCTIONS.items():
        np.testing.assert_allclose(
            values[node], fn(*(values[i] for i in inputs)), rtol=1e-13, atol=1e-15
        )
    np.testing.assert_allclose(values["f"], f(x, y, z), rtol=1e-13, atol=1e-15)


def test_local_derivatives_keys_and_formulas():
    x, y, z = 0.7, 1.2, -0.4
    local = local_derivatives(x, y, z)
    assert list(local) == EDGES
    v = forward_values(x, y, z)
    expected = {
        ("x", "a"): 2.0,
        ("y", "b"): math.cos(y),
        ("a", "c"): 1 / v["b"],
        ("b", "c"): -v["a"] / v["b"] ** 2,
        ("c", "d"): z,
        ("z", "d"): v["c"],
        ("d", "e"): 1 / (v["d"] + 1),
        ("e", "f"): 1 - math.tanh(v["e"]) ** 2,
    }
    for edge, value in expected.items():
        np.testing.assert_allclose(local[edge], value, rtol=1e-15)


@SETTINGS
@given(x=moderate, y=y_inside, z=moderate)
def test_local_derivatives_match_central_differences_and_autograd(x, y, z):
    assume(inside(x, y, z))
    values = forward_values(x, y, z)
    local = local_derivatives(x, y, z)
    for (source, target), derivative in local.items():
        inputs, fn = NODE_FUNCTIONS[target]
        args = [values[i] for i in inputs]
        k = inputs.index(source)
        up, down = list(args), list(args)
        eps = 1e-6
        up[k] += eps
        down[k] -= eps
        numeric = (fn(*up) - fn(*down)) / (2 * eps)
        np.testing.assert_allclose(derivative, numeric, rtol=1e-5, atol=1e-6)
        # Autograd of the same node, written with torch operations.
        leaves = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in args]
        torch_fn = {
            "a": lambda x_: 2 * x_,
            "b": torch.sin,
            "c": lambda a_, b_: a_ / b_,
            "d": lambda c_, z_: c_ * z_,
            "e": lambda d_: torch.log(d_ + 1),
            "f": torch.tanh,
        }[target]
        torch_fn(*leaves).backward()
        np.testing.assert_allclose(derivative, leaves[k].grad.item(), rtol=1e-12, atol=1e-14)


def test_backward_table_structure_at_a_point():
    rows = backward_table(1.0, 1.0, 1.0)
    assert [row.node for row in rows] == ["f", "e", "d", "c", "b", "a", "z", "y", "x"]
    seed = rows[0]
    assert seed.edge == "∂f/∂f"
    np.testing.assert_allclose(
        [seed.local_derivative, seed.upstream_gradient, seed.gradient], [1.0, 1.0, 1.0]
    )
    edges = [row.edge for row in rows[1:]]
    assert edges == ["∂f/∂e", "∂e/∂d", "∂d/∂c", "∂c/∂b", "∂c/∂a", "∂d/∂z", "∂b/∂y", "∂a/∂x"]
    assert len(rows) == 1 + len(EDGES)


def test_backward_row_is_frozen():
    row = backward_table(1.0, 1.0, 1.0)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.gradient = 2.0  # type: ignore[misc]


@SETTINGS
@given(x=moderate, y=y_inside, z=moderate)
def test_backward_table_is_consistent(x, y, z):
    assume(inside(x, y, z))
    rows = backward_table(x, y, z)
    values = forward_values(x, y, z)
    local = local_derivatives(x, y, z)
    gradient = {row.node: row.gradient for row in rows}
    seen = set()
    for row in rows[1:]:
        consumer = row.edge[1]  # "∂c/∂a" -> "c"
        assert consumer in seen or consumer == "f"
        np.testing.assert_allclose(row.value, values[row.node], rtol=1e-15)
        np.testing.assert_allclose(row.local_derivative, local[(row.node, consumer)], rtol=1e-15)
        np.testing.assert_allclose(row.upstream_gradient, gradient[consumer], rtol=1e-15)
        np.testing.assert_allclose(
            row.gradient, row.upstream_gradient * row.local_derivative, rtol=1e-15
        )
        seen.add(row.node)
    np.testing.assert_allclose(
        [gradient["x"], gradient["y"], gradient["z"]], f_gradient(x, y, z), rtol=1e-12,
        atol=1e-14,
    )


@SETTINGS
@given(x=moderate, y=y_inside, z=moderate)
def test_chain_rule_gradients_match_autograd(x, y, z):
    assume(inside(x, y, z))
    grads = chain_rule_gradients(x, y, z)
    assert list(grads) == ["x", "y", "z"]
    leaves = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (x, y, z)]
    f(*leaves).backward()
    np.testing.assert_allclose(
        [grads["x"], grads["y"], grads["z"]],
        [leaf.grad.item() for leaf in leaves],
        rtol=1e-10,
        atol=1e-12,
    )


def test_chain_rule_dfdy_is_the_exercise_answer():
    x, y, z = 1.0, 1.0, 1.0
    v = forward_values(x, y, z)
    answer = (
        (1 - math.tanh(v["e"]) ** 2) * 1 / (v["d"] + 1) * z * (-v["a"] / v["b"] ** 2)
        * math.cos(y)
    )
    np.testing.assert_allclose(chain_rule_gradients(x, y, z)["y"], answer, rtol=1e-14)
    np.testing.assert_allclose(answer, -0.134004, rtol=1e-5)


# ------------------------------------------------------------------------------ formatting


@pytest.mark.parametrize(
    ("lang", "headers"),
    [
        ("en", ["node", "value", "local derivative", "upstream gradient", "gradient"]),
        ("ja", ["ノード", "値", "局所微分", "上流の勾配", "勾配"]),
    ],
)
def test_format_backward_table_headers_and_alignment(lang, headers):
    rows = backward_table(1.0, 1.0, 1.0)
    text = format_backward_table(rows, lang=lang)
    lines = text.split("\n")
    assert len(lines) == 2 + len(rows)
    for header in headers:
        assert header in lines[0]
    assert set(lines[1]) <= {"-", " "}
    widths = {display_width(line) for line in lines}
    assert len(widths) == 1, f"lines of different display widths: {widths}\n{text}"
    # Column starts line up: each rule segment starts where each column starts.
    rule = lines[1]
    starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
    for line in lines[2:]:
        # Values are right-aligned: the character before each column start is a space.
        for start in starts[1:]:
            assert line[start - 1] == " "
    assert "0.838745" in text  # 6 significant digits
    assert "∂c/∂a" in text


def test_format_backward_table_six_significant_digits():
    row = BackwardRow("x", 1 / 3, "∂a/∂x", 2.0, 123456789.0, -1e-9 / 3)
    text = format_backward_table([row])
    assert "0.333333" in text
    assert "1.23457e+08" in text
    assert "-3.33333e-10" in text


def test_format_backward_table_empty_rows_gives_header_only():
    text = format_backward_table([], lang="ja")
    assert text.count("\n") == 1
    assert text.startswith("ノード")


def test_format_backward_table_bad_arguments():
    rows = backward_table(1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="lang"):
        format_backward_table(rows, lang="fr")
    with pytest.raises(TypeError, match="lang"):
        format_backward_table(rows, lang=None)
    with pytest.raises(TypeError, match="rows"):
        format_backward_table("rows")
    with pytest.raises(TypeError, match="rows"):
        format_backward_table(row for row in rows)
    with pytest.raises(TypeError, match=r"rows\[1\]"):
        format_backward_table([rows[0], {"node": "e"}])


# ---------------------------------------------------------------------------- bad arguments

FUNCTIONS = [forward_values, local_derivatives, backward_table, chain_rule_gradients]


@pytest.mark.parametrize("fn", FUNCTIONS)
@pytest.mark.parametrize("bad", [True, "1.0", None, np.array([1.0, 2.0]), torch.tensor(1.0)])
@pytest.mark.parametrize("position", [0, 1, 2])
def test_rejects_non_real_scalars(fn, bad, position):
    args = [0.5, 1.0, 0.5]
    args[position] = bad
    with pytest.raises(TypeError, match=rf"^{'xyz'[position]} must be a real number"):
        fn(*args)


@pytest.mark.parametrize("fn", FUNCTIONS)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("position", [0, 1, 2])
def test_rejects_non_finite(fn, bad, position):
    args = [0.5, 1.0, 0.5]
    args[position] = bad
    with pytest.raises(ValueError, match=rf"^{'xyz'[position]} must be finite"):
        fn(*args)


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_domain_errors(fn):
    with pytest.raises(ValueError, match=r"y = 3\.14159.* gives sin\(y\)"):
        fn(1.0, math.pi, 1.0)
    with pytest.raises(ValueError, match=r"x = -1\.0, y = 1\.0, z = 1\.0 give 1 \+ d"):
        fn(-1.0, 1.0, 1.0)


def test_accepts_ints_and_numpy_scalars():
    grads = chain_rule_gradients(1, np.float32(1.0), np.int64(1))
    np.testing.assert_allclose(list(grads.values()), f_gradient(1.0, 1.0, 1.0), rtol=1e-7)


@pytest.mark.parametrize(
    "fn", [forward_values, local_derivatives, backward_table, chain_rule_gradients]
)
def test_overflow_is_an_error_not_inf(fn):
    # a = 2x overflows although 1 + d > 0, so the domain check alone would let inf through.
    with pytest.raises(ValueError, match=r"x = 1e\+308, y = 1\.0, z = 1\.0 overflow"):
        fn(1e308, 1.0, 1.0)


def test_backward_row_checks_its_fields():
    row = BackwardRow("a", 2, "∂c/∂a", 0.5, 0.4, 0.2)
    assert isinstance(row.value, float)
    for change, error, match in [
        ({"node": None}, TypeError, "node must be a str"),
        ({"edge": 3}, TypeError, "edge must be a str"),
        ({"value": None}, TypeError, "value must be a real number"),
        ({"gradient": math.nan}, ValueError, "gradient must be finite"),
        ({"local_derivative": True}, TypeError, "local_derivative"),
    ]:
        fields = {"node": "a", "value": 2.0, "edge": "∂c/∂a", "local_derivative": 0.5}
        with pytest.raises(error, match=match):
            BackwardRow(**{**fields, "upstream_gradient": 0.4, "gradient": 0.2, **change})


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_backward_table_shows_itself_as_text_and_as_html(lang):
    from bs4 import BeautifulSoup

    from gdguide.chain_rule import BackwardTable
    from gdguide.i18n import text

    rows = backward_table(1.0, 0.5, 0.5)
    table = BackwardTable(rows, lang=lang)
    assert str(table) == format_backward_table(rows, lang)
    assert repr(table) == f"BackwardTable(9 rows, lang={lang!r})"
    soup = BeautifulSoup(table._repr_html_(), "html.parser")
    headers = [th.get_text() for th in soup.select("thead th")]
    assert headers == [text(lang, key) for key in
                       ("table_node", "table_value", "table_edge", "table_local_derivative",
                        "table_upstream_gradient", "table_gradient")]
    assert all(th.get("scope") == "col" for th in soup.select("thead th"))
    body = [[td.get_text() for td in tr.select("td")] for tr in soup.select("tbody tr")]
    assert [line[0] for line in body] == [row.node for row in rows]
    for line, row in zip(body, rows, strict=True):
        assert float(line[5]) == pytest.approx(row.gradient, rel=1e-5)
        assert line[2] == row.edge
    numeric = [td.get("style") for td in soup.select("tbody tr")[0].select("td")]
    assert numeric == [None, "text-align: right", None] + ["text-align: right"] * 3


def test_backward_table_escapes_and_checks_its_arguments():
    from gdguide.chain_rule import BackwardRow, BackwardTable

    row = BackwardRow("<b>", 1.0, "∂f/∂<b>", 1.0, 1.0, 1.0)
    assert "&lt;b&gt;" in BackwardTable([row])._repr_html_()
    assert "<tbody></tbody>" in BackwardTable([])._repr_html_()
    with pytest.raises(TypeError, match="rows must be a list or tuple"):
        BackwardTable(iter([row]))
    with pytest.raises(TypeError, match=r"rows\[0\] must be a BackwardRow"):
        BackwardTable([object()])
    with pytest.raises(ValueError, match="lang"):
        BackwardTable([row], lang="fr")
