from __future__ import annotations

import io
import json
import math
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

from gdguide import chain_rule  # noqa: E402
from gdguide.figure_variants import phone_variant  # noqa: E402
from gdguide.functions import f_gradient  # noqa: E402
from gdguide.graph import (  # noqa: E402
    DIRECTIONS,
    MAX_DATA_ELEMENTS,
    Edge,
    Graph,
    Node,
    autograd_graph,
    chain_rule_graph,
    draw_graph,
    graph_layout,
)
from gdguide.graph._layout import text_width  # noqa: E402
from gdguide.i18n import text  # noqa: E402

NEURON_OPS = ["MulBackward0", "AddBackward0", "TanhBackward0", "SubBackward0", "PowBackward0"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _neuron(*, target=None, backward=False):
    """The lesson's neuron: w = -0.5, b = 0.5, x = 1, y = 7."""
    w = torch.tensor([-0.5], requires_grad=True)
    b = torch.tensor([0.5], requires_grad=True)
    x = torch.tensor([1.0])
    y = torch.tensor([7.0]) if target is None else target
    prediction = torch.tanh(w * x + b)
    loss = (y - prediction) ** 2
    if backward:
        loss.backward()
    return w, b, x, loss


def _node_boxes(fig):
    return [
        patch
        for ax in fig.axes
        for patch in ax.patches
        if isinstance(patch, FancyBboxPatch) and str(patch.get_gid()).startswith("node:")
    ]


def _arrows(fig):
    return [
        patch
        for ax in fig.axes
        for patch in ax.patches
        if isinstance(patch, FancyArrowPatch) and str(patch.get_gid()).startswith("edge:")
    ]


def _texts(fig):
    return [text.get_text() for text in fig.findobj(matplotlib.text.Text) if text.get_text()]


def _save_png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


# --- autograd_graph on the lesson's neuron ---------------------------------------------------


def test_neuron_graph_walks_to_the_expected_operations():
    w, b, _, loss = _neuron()
    graph = autograd_graph(loss, {"w": w, "b": b, "loss": loss})
    operations = [node.label for node in graph.nodes if node.kind == "operation"]
    assert operations == NEURON_OPS
    assert [node.id for node in graph.nodes] == ["w", *NEURON_OPS[:1], "b", *NEURON_OPS[1:], "loss"]
    assert {(e.source, e.target) for e in graph.edges} == {
        ("w", "MulBackward0"),
        ("MulBackward0", "AddBackward0"),
        ("b", "AddBackward0"),
        ("AddBackward0", "TanhBackward0"),
        ("TanhBackward0", "SubBackward0"),
        ("SubBackward0", "PowBackward0"),
        ("PowBackward0", "loss"),
    }
    assert len(graph.edges) == 7
    assert all(edge.label is None for edge in graph.edges)


def test_python_number_target_gives_rsub():
    _, _, _, loss = _neuron(target=7.0)
    labels = [node.label for node in autograd_graph(loss).nodes]
    assert "RsubBackward1" in labels
    assert "SubBackward0" not in labels


def test_leaves_before_backward_have_values_but_no_grad():
    w, b, _, loss = _neuron()
    graph = autograd_graph(loss, {"w": w, "b": b})
    for name, expected in (("w", -0.5), ("b", 0.5)):
        node = graph.node(name)
        assert node.kind == "input"
        assert node.label == name
        assert math.isclose(node.value_data[0], expected)
        assert node.grad is None and node.grad_data is None
    assert graph.node("w").value == "-0.5"
    output = graph.node("output")
    assert output.kind == "output"
    assert math.isclose(output.value_data[0], 49.0)
    assert output.value == "49"
    assert output.grad is None


def test_leaves_after_backward_show_grads_of_minus_14():
    w, b, _, loss = _neuron(backward=True)
    graph = autograd_graph(loss, {"w": w, "b": b, "loss": loss})
    for name in ("w", "b"):
        node = graph.node(name)
        assert math.isclose(node.grad_data[0], -14.0, rel_tol=1e-6)
        assert node.grad == "-14"
    assert graph.node("loss").label == "loss"


def test_nodes_come_in_forward_order():
    w, b, _, loss = _neuron()
    graph = autograd_graph(loss, {"w": w, "b": b})
    position = {node.id: i for i, node in enumerate(graph.nodes)}
    for edge in graph.edges:
        assert position[edge.source] < position[edge.target]
    assert graph.nodes[-1].kind == "output"


def test_unnamed_leaves_get_generic_ids():
    _, _, _, loss = _neuron()
    graph = autograd_graph(loss)
    leaves = [node for node in graph.nodes if node.kind == "input"]
    assert [leaf.id for leaf in leaves] == ["leaf", "leaf#2"]
    assert all(leaf.label == "tensor" for leaf in leaves)
    assert graph.nodes[-1].id == "output"


def test_names_not_in_the_graph_are_ignored():
    w, b, x, loss = _neuron()
    graph = autograd_graph(loss, {"w": w, "b": b, "x": x, "unused": torch.zeros(2)})
    assert {node.id for node in graph.nodes} == {"w", "b", "output", *NEURON_OPS}


def test_shared_subexpressions_are_not_duplicated():
    a = torch.tensor([0.3], requires_grad=True)
    b = torch.tensor([1.7], requires_grad=True)
    c = a * b
    out = torch.sin(c) + torch.cos(c) * a
    graph = autograd_graph(out, {"a": a, "b": b})
    labels = [node.label for node in graph.nodes]
    assert labels.count("MulBackward0") == 2  # c = a*b and cos(c)*a
    assert labels.count("a") == 1 and labels.count("b") == 1
    (mul_ab,) = [e.target for e in graph.edges if e.source == "b"]  # the node of c = a*b
    consumers = sorted(e.target for e in graph.edges if e.source == mul_ab)
    assert consumers == ["CosBackward0", "SinBackward0"]  # one node, used twice
    other_mul = next(n.id for n in graph.nodes if n.label == "MulBackward0" and n.id != mul_ab)
    assert sorted(e.target for e in graph.edges if e.source == "a") == sorted([mul_ab, other_mul])
    pairs = [(e.source, e.target) for e in graph.edges]
    assert len(pairs) == len(set(pairs))


def test_node_reached_by_two_paths_is_visited_once():
    a = torch.tensor([0.3], requires_grad=True)
    c = a * 2
    out = torch.sin(c) + c  # the walk meets c's node through sin first, then directly
    graph = autograd_graph(out, {"a": a})
    assert [node.id for node in graph.nodes] == [
        "a",
        "MulBackward0",
        "SinBackward0",
        "AddBackward0",
        "output",
    ]
    assert sorted(e.target for e in graph.edges if e.source == "MulBackward0") == [
        "AddBackward0",
        "SinBackward0",
    ]


def test_same_input_twice_gives_one_edge():
    w = torch.tensor([3.0], requires_grad=True)
    graph = autograd_graph(w * w, {"w": w})
    assert [(e.source, e.target) for e in graph.edges] == [
        ("w", "MulBackward0"),
        ("MulBackward0", "output"),
    ]


def test_deep_chain_is_walked_without_recursion_limit():
    w = torch.tensor([0.1], requires_grad=True)
    out = w
    for _ in range(1500):
        out = out * 1.0001
    graph = autograd_graph(out, {"w": w})
    assert len(graph.nodes) == 1502
    assert graph.node("MulBackward0#1500").kind == "operation"


def test_retained_output_grad_is_shown():
    w, b, _, loss = _neuron()
    loss.retain_grad()
    loss.backward()
    graph = autograd_graph(loss, {"loss": loss})
    assert math.isclose(graph.node("loss").grad_data[0], 1.0)


def test_name_colliding_with_an_operation_gets_a_suffix():
    w = torch.tensor([2.0], requires_grad=True)
    graph = autograd_graph(w * 3, {"MulBackward0": w})
    assert [node.id for node in graph.nodes] == ["MulBackward0", "MulBackward0#2", "output"]


@pytest.mark.parametrize(
    ("shape", "text", "kept"),
    [
        ((), "2", 1),
        ((3,), "[2, 2, 2]", 3),
        ((5,), "shape (5,)", 5),
        ((MAX_DATA_ELEMENTS + 1,), f"shape ({MAX_DATA_ELEMENTS + 1},)", None),
    ],
)
def test_leaf_values_are_formatted_by_size(shape, text, kept):
    leaf = torch.full(shape, 2.0, requires_grad=True)
    out = (leaf * leaf).sum()
    out.backward()
    node = autograd_graph(out, {"leaf": leaf}).node("leaf")
    assert node.value == text
    if kept is None:
        assert node.value_data is None and node.grad_data is None
    else:
        np.testing.assert_allclose(node.value_data, [2.0] * kept)
        np.testing.assert_allclose(node.grad_data, [4.0] * kept)


def test_complex_leaf_is_described_not_formatted():
    w = torch.tensor([1.0 + 1.0j], requires_grad=True)
    node = autograd_graph((w * w).abs().sum(), {"w": w}).node("w")
    assert node.value == "complex tensor of shape (1,)"
    assert node.value_data is None


def test_negative_zero_is_shown_as_zero():
    w = torch.tensor([-0.0], requires_grad=True)
    assert autograd_graph(w * 2, {"w": w}).node("w").value == "0"


def test_autograd_graph_rejects_non_tensors():
    with pytest.raises(TypeError, match="output"):
        autograd_graph(3.0)


def test_autograd_graph_rejects_a_leaf():
    w = torch.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="output.*leaf"):
        autograd_graph(w)


def test_autograd_graph_rejects_an_untracked_tensor():
    with pytest.raises(ValueError, match="output.*requires_grad"):
        autograd_graph(torch.tensor([1.0]) * 2)


@pytest.mark.parametrize(
    ("names", "error"),
    [
        ([("w", torch.zeros(1))], TypeError),
        ({1: torch.zeros(1)}, TypeError),
        ({"": torch.zeros(1)}, TypeError),
        ({"w": 1.0}, TypeError),
    ],
)
def test_autograd_graph_rejects_bad_names(names, error):
    _, _, _, loss = _neuron()
    with pytest.raises(error, match="names"):
        autograd_graph(loss, names)


def test_autograd_graph_rejects_two_names_for_one_tensor():
    w, _, _, loss = _neuron()
    with pytest.raises(ValueError, match="names"):
        autograd_graph(loss, {"w": w, "weight": w})


# --- Node, Edge, Graph -----------------------------------------------------------------------


def test_node_converts_data_to_float_tuples():
    node = Node("x", "x", "input", "1", None, [1, 2.5], None)
    assert node.value_data == (1.0, 2.5)
    assert isinstance(node.value_data, tuple)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"id": 1}, TypeError, "id"),
        ({"id": ""}, ValueError, "id"),
        ({"label": None}, TypeError, "label"),
        ({"kind": "leaf"}, ValueError, "kind"),
        ({"kind": 3}, TypeError, "kind"),
        ({"value": 1.0}, TypeError, "value"),
        ({"grad": 1.0}, TypeError, "grad"),
        ({"value_data": "12"}, TypeError, "value_data"),
        ({"value_data": 1.0}, TypeError, "value_data"),
        ({"grad_data": ["a"]}, TypeError, r"grad_data\[0\]"),
    ],
)
def test_node_rejects_bad_fields(kwargs, error, match):
    fields = {"id": "x", "label": "x", "kind": "input"} | kwargs
    with pytest.raises(error, match=match):
        Node(**fields)


@pytest.mark.parametrize(
    ("args", "match"), [((1, "b"), "source"), (("a", None), "target"), (("a", "b", 2), "label")]
)
def test_edge_rejects_bad_fields(args, match):
    with pytest.raises(TypeError, match=match):
        Edge(*args)


def _two_nodes():
    return [Node("a", "a", "input"), Node("b", "b", "output")]


def test_graph_rejects_bad_contents():
    with pytest.raises(TypeError, match=r"nodes\[0\]"):
        Graph(["a"], [])
    with pytest.raises(TypeError, match=r"edges\[0\]"):
        Graph(_two_nodes(), [("a", "b")])
    with pytest.raises(ValueError, match="unique ids"):
        Graph([Node("a", "a", "input"), Node("a", "b", "output")], [])
    with pytest.raises(ValueError, match=r"edges\[0\].*'c'"):
        Graph(_two_nodes(), [Edge("a", "c")])
    with pytest.raises(ValueError, match="edges must not repeat"):
        Graph(_two_nodes(), [Edge("a", "b"), Edge("a", "b", "again")])
    with pytest.raises(TypeError, match="title"):
        Graph(_two_nodes(), [], 3)
    with pytest.raises(TypeError, match=r"nodes must be a list of Node, got NoneType"):
        Graph(None, [])
    with pytest.raises(TypeError, match=r"edges must be a list of Edge, got int"):
        Graph(_two_nodes(), 3)
    with pytest.raises(ValueError, match=r"'a', which is not the id of any of the nodes"):
        Graph([], [Edge("a", "b")])
    assert Graph(tuple(_two_nodes()), ()).nodes == _two_nodes()  # tuples become lists


def test_graph_lookup():
    graph = Graph(_two_nodes(), (Edge("a", "b", "∂b/∂a = 1"),))
    assert isinstance(graph.nodes, list) and isinstance(graph.edges, list)
    assert graph.node("b").kind == "output"
    assert graph.edge("a", "b").label == "∂b/∂a = 1"
    with pytest.raises(ValueError, match="id.*'a', 'b'.*'z'"):
        graph.node("z")
    with pytest.raises(TypeError, match="id"):
        graph.node(1)
    with pytest.raises(ValueError, match="source, target"):
        graph.edge("b", "a")
    with pytest.raises(TypeError, match="target"):
        graph.edge("a", None)


# --- to_dot ----------------------------------------------------------------------------------

QUOTED = r'"((?:[^"\\]|\\.)*)"'  # a DOT double-quoted string, escapes allowed
NODE_LINE = re.compile(rf'^  {QUOTED} \[label={QUOTED}, fillcolor="#[0-9a-f]{{6}}"\];$')
EDGE_LINE = re.compile(rf"^  {QUOTED} -> {QUOTED}(?: \[label={QUOTED}\])?;$")


def _parse_dot(text):
    lines = text.split("\n")
    assert lines[0] == "digraph computational_graph {"
    assert lines[-1] == "}"
    nodes, edges = [], []
    for line in lines[1:-1]:
        if match := NODE_LINE.match(line):
            nodes.append(match.groups())
        elif match := EDGE_LINE.match(line):
            edges.append(match.groups())
        else:
            assert re.match(r"^  (rankdir|label|labelloc|node)\b", line), line
    return nodes, edges


def test_to_dot_lists_each_node_and_edge_once():
    w, b, _, loss = _neuron(backward=True)
    graph = autograd_graph(loss, {"w": w, "b": b, "loss": loss})
    text = graph.to_dot()
    assert text.startswith("digraph")
    assert "rankdir=LR;" in text
    nodes, edges = _parse_dot(text)
    assert [n[0] for n in nodes] == [node.id for node in graph.nodes]
    assert [(e[0], e[1]) for e in edges] == [(e.source, e.target) for e in graph.edges]
    for node in graph.nodes:
        assert text.count(f'"{node.id}" [label=') == 1
    for edge in graph.edges:
        assert text.count(f'"{edge.source}" -> "{edge.target}"') == 1
    assert dict((n[0], n[1]) for n in nodes)["w"] == "w\\nvalue -0.5\\ngrad -14"
    assert text == graph.to_dot()  # deterministic


def test_to_dot_escapes_quotes_backslashes_and_newlines():
    graph = Graph(
        [
            Node('say "hi"', 'a "quoted"\\label\nline 2', "input", value='"1"'),
            Node("b", "b", "output"),
        ],
        [Edge('say "hi"', "b", 'd"b"')],
        title='the "title"',
    )
    text = graph.to_dot()
    assert '"say \\"hi\\"" [label="a \\"quoted\\"\\\\label\\nline 2\\nvalue \\"1\\""' in text
    assert '"say \\"hi\\"" -> "b" [label="d\\"b\\""];' in text
    assert 'label="the \\"title\\"";' in text
    nodes, edges = _parse_dot(text)
    assert len(nodes) == 2 and len(edges) == 1


def test_chain_rule_graph_dot_has_local_derivatives():
    text = chain_rule_graph(1.0, 1.0, 1.0).to_dot()
    _, edges = _parse_dot(text)
    assert len(edges) == 8
    assert all(e[2] is not None and e[2].startswith("∂") for e in edges)


def test_to_dot_revalidates_a_changed_graph():
    graph = Graph(_two_nodes(), [])
    graph.edges.append(Edge("a", "missing"))
    with pytest.raises(ValueError, match="missing"):
        graph.to_dot()


# --- chain_rule_graph ------------------------------------------------------------------------

POINT = st.tuples(
    st.floats(min_value=-2.0, max_value=2.0),
    st.floats(min_value=0.3, max_value=2.8),
    st.floats(min_value=-2.0, max_value=2.0),
).filter(lambda p: 1 + p[2] * 2 * p[0] / math.sin(p[1]) > 0.05)


def test_chain_rule_graph_structure():
    graph = chain_rule_graph(1.0, 1.0, 1.0)
    assert [node.id for node in graph.nodes] == ["x", "y", "z", "a", "b", "c", "d", "e", "f"]
    assert [node.kind for node in graph.nodes] == ["input"] * 3 + ["operation"] * 5 + ["output"]
    assert [(e.source, e.target) for e in graph.edges] == list(
        chain_rule.local_derivatives(1.0, 1.0, 1.0)
    )
    assert graph.node("a").label == "a = 2x"
    assert graph.node("f").label == "f = tanh(e)"
    assert graph.edge("a", "c").label.startswith("∂c/∂a = ")
    assert graph.title == text("en", "chain_rule_graph_title")
    assert chain_rule_graph(1.0, 1.0, 1.0, lang="ja").title == text("ja", "chain_rule_graph_title")


@settings(max_examples=60, deadline=None)
@given(POINT)
def test_chain_rule_graph_matches_chain_rule_module(point):
    x, y, z = point
    graph = chain_rule_graph(x, y, z)
    values = chain_rule.forward_values(x, y, z)
    for name, value in values.items():
        node = graph.node(name)
        assert math.isclose(node.value_data[0], value, rel_tol=1e-12, abs_tol=1e-12)
        assert math.isclose(float(node.value), value, rel_tol=1e-3, abs_tol=1e-4)
    gradients = chain_rule.chain_rule_gradients(x, y, z)
    for name in ("x", "y", "z"):
        assert math.isclose(
            graph.node(name).grad_data[0], gradients[name], rel_tol=1e-9, abs_tol=1e-12
        )
    np.testing.assert_allclose(
        [graph.node(n).grad_data[0] for n in ("x", "y", "z")],
        f_gradient(x, y, z),
        rtol=1e-9,
        atol=1e-12,
    )
    local = chain_rule.local_derivatives(x, y, z)
    for (source, target), derivative in local.items():
        text = graph.edge(source, target).label
        prefix = f"∂{target}/∂{source} = "
        assert text.startswith(prefix)
        assert math.isclose(float(text[len(prefix) :]), derivative, rel_tol=1e-3, abs_tol=1e-4)


@settings(max_examples=40, deadline=None)
@given(POINT)
def test_chain_rule_graph_intermediate_gradients_match_autograd(point):
    x, y, z = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in point)
    a = 2 * x
    b = torch.sin(y)
    c = a / b
    d = c * z
    e = torch.log1p(d)
    f = torch.tanh(e)
    inner = {"a": a, "b": b, "c": c, "d": d, "e": e}
    for tensor in inner.values():
        tensor.retain_grad()
    f.backward()
    graph = chain_rule_graph(*point)
    for name, tensor in {**inner, "x": x, "y": y, "z": z}.items():
        assert math.isclose(
            graph.node(name).grad_data[0], tensor.grad.item(), rel_tol=1e-9, abs_tol=1e-12
        )
    assert math.isclose(graph.node("f").grad_data[0], 1.0)


def test_chain_rule_graph_bad_inputs():
    with pytest.raises(ValueError, match="y"):
        chain_rule_graph(1.0, 0.0, 1.0)
    with pytest.raises(TypeError, match="x"):
        chain_rule_graph("1", 1.0, 1.0)
    with pytest.raises(ValueError, match="lang"):
        chain_rule_graph(1.0, 1.0, 1.0, lang="de")


# --- draw_graph ------------------------------------------------------------------------------


def _box_centres(fig):
    centres = {}
    for box in _node_boxes(fig):
        centres[box.get_gid().removeprefix("node:")] = (
            box.get_x() + box.get_width() / 2,
            box.get_y() + box.get_height() / 2,
        )
    return centres


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_draw_neuron_graph(lang):
    w, b, _, loss = _neuron(backward=True)
    graph = autograd_graph(loss, {"w": w, "b": b, "loss": loss})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = draw_graph(graph, lang=lang, title="one neuron")
        png = _save_png(fig)
    assert isinstance(fig, Figure)
    assert png.startswith(b"\x89PNG")
    assert len(_node_boxes(fig)) == len(graph.nodes) == 8
    assert len(_arrows(fig)) == len(graph.edges) == 7
    texts = _texts(fig)
    value_word, grad_word = text(lang, "node_value"), text(lang, "node_grad")
    assert f"{value_word} \N{MINUS SIGN}0.5\n{grad_word} \N{MINUS SIGN}14" in texts
    assert "Tanh\nBackward0" in texts
    assert fig.get_suptitle() == "one neuron"
    assert fig.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
    width, _ = fig.get_size_inches()
    assert width < 10.5  # readable at about 900 px


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_draw_chain_rule_graph(lang):
    graph = chain_rule_graph(1.0, 1.0, 1.0, lang=lang)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = draw_graph(graph, lang=lang)
        _save_png(fig)
    assert len(_node_boxes(fig)) == 9
    assert len(_arrows(fig)) == 8
    assert fig.get_suptitle() == text(lang, "chain_rule_graph_title")
    texts = _texts(fig)
    assert "∂c/∂b =\n\N{MINUS SIGN}2.825" in texts
    assert any(text(lang, "node_grad") in shown for shown in texts)
    width, _ = fig.get_size_inches()
    assert width < 11.0


def test_draw_graph_layers_left_to_right():
    fig = draw_graph(chain_rule_graph(1.0, 1.0, 1.0))
    centre = _box_centres(fig)
    column = sorted({round(cx, 6) for cx, _ in centre.values()})
    index = {name: column.index(round(cx, 6)) for name, (cx, _) in centre.items()}
    assert index == {"x": 0, "y": 0, "a": 1, "b": 1, "c": 2, "z": 2, "d": 3, "e": 4, "f": 5}
    assert centre["x"][1] > centre["y"][1]  # x above y, a above b, as the edges are listed
    assert centre["a"][1] > centre["b"][1]
    assert centre["c"][1] > centre["z"][1]


def test_draw_graph_boxes_do_not_overlap_and_layout_is_deterministic():
    w, b, _, loss = _neuron(backward=True)
    graph = autograd_graph(loss, {"w": w, "b": b, "loss": loss})
    for candidate in (graph, chain_rule_graph(0.7, 2.0, -0.3)):
        fig = draw_graph(candidate)
        boxes = [box.get_bbox() for box in _node_boxes(fig)]
        for i, first in enumerate(boxes):
            for second in boxes[i + 1 :]:
                assert not first.overlaps(second)
        assert _box_centres(fig) == _box_centres(draw_graph(candidate))


def test_draw_graph_options():
    graph = chain_rule_graph(1.0, 1.0, 1.0)
    fig = draw_graph(graph, show_values=False, title="custom")
    texts = _texts(fig)
    assert fig.get_suptitle() == "custom"
    assert not any("value" in text for text in texts)
    untitled = Graph([Node("only", "only node", "output", "1")], [])
    fig = draw_graph(untitled)
    assert fig.get_suptitle() == ""
    assert len(_node_boxes(fig)) == 1
    assert "value 1" in _texts(fig)
    plain = Graph(_two_nodes(), [Edge("a", "b", "uses")])
    assert "uses" in _texts(draw_graph(plain))  # a label without "=" is not split


def test_draw_graph_handles_several_sinks_and_sources():
    nodes = [Node(n, n, "input") for n in "pq"] + [Node(n, n, "output") for n in "rs"]
    graph = Graph(nodes, [Edge("p", "r"), Edge("q", "r"), Edge("q", "s")])
    fig = draw_graph(graph)
    assert len(_node_boxes(fig)) == 4
    centre = _box_centres(fig)
    assert centre["r"][0] == pytest.approx(centre["s"][0])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"graph": "graph"}, TypeError, "graph"),
        ({"lang": "fr"}, ValueError, "lang"),
        ({"title": 3}, TypeError, "title"),
        ({"show_values": 1}, TypeError, "show_values"),
        ({"graph": Graph([], [])}, ValueError, "graph"),
    ],
)
def test_draw_graph_bad_inputs(kwargs, error, match):
    arguments = {"graph": chain_rule_graph(1.0, 1.0, 1.0)} | kwargs
    graph = arguments.pop("graph")
    with pytest.raises(error, match=match):
        draw_graph(graph, **arguments)


def test_draw_graph_rejects_cycles():
    graph = Graph(_two_nodes(), [Edge("a", "b"), Edge("b", "a")])
    with pytest.raises(ValueError, match="graph must be acyclic"):
        draw_graph(graph)


# --- graph_layout: the layout as data, shared by the figure and the explorer -----------------

LESSON_POINT = (1.0, 0.5, 0.5)  # the point of lesson 1.3


def _lesson_graphs(lang):
    w, b, _, loss = _neuron(backward=True)
    return {
        "chain": chain_rule_graph(*LESSON_POINT, lang=lang),
        "neuron": autograd_graph(loss, {"w": w, "b": b, "loss": loss}),
    }


def _box(layout, node_id):
    return next(node for node in layout["nodes"] if node["id"] == node_id)


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_layout_boxes_hold_their_text_and_do_not_overlap(direction):
    layout = graph_layout(chain_rule_graph(*LESSON_POINT), direction=direction)
    boxes = layout["nodes"]
    for box in boxes:
        assert 0 <= box["x"] and box["x"] + box["w"] <= layout["width"]
        assert 0 <= box["y"] and box["y"] + box["h"] <= layout["height"]
        for block in box["texts"]:
            for line, y in zip(block["lines"], block["y"], strict=True):
                assert text_width(line, block["size"], bold=block["bold"]) < box["w"]
                assert box["y"] < y < box["y"] + box["h"]
    for i, first in enumerate(boxes):
        for second in boxes[i + 1 :]:
            left, right = sorted((first, second), key=lambda box: box["x"])
            top, bottom = sorted((first, second), key=lambda box: box["y"])
            apart_x = left["x"] + left["w"] <= right["x"]
            apart_y = top["y"] + top["h"] <= bottom["y"]
            assert apart_x or apart_y, (first["id"], second["id"])


def test_layout_directions_swap_the_axes():
    graph = chain_rule_graph(*LESSON_POINT)
    wide, tall = graph_layout(graph), graph_layout(graph, direction="TB")
    assert [_box(wide, n)["x"] < _box(wide, m)["x"] for n, m in ("xa", "ac", "cf")] == [True] * 3
    assert [_box(tall, n)["y"] < _box(tall, m)["y"] for n, m in ("xa", "ac", "cf")] == [True] * 3
    assert _box(tall, "x")["x"] < _box(tall, "y")["x"]  # first-listed input first, as when wide
    for edge in tall["edges"]:  # arrows leave the bottom of a box and enter the top of the next
        source, target = _box(tall, edge["source"]), _box(tall, edge["target"])
        assert edge["points"][1] == pytest.approx(source["y"] + source["h"], abs=2e-3)
        assert edge["points"][3] == pytest.approx(target["y"], abs=2e-3)


def test_layout_is_json_ready_and_in_the_graphs_language():
    layout = graph_layout(chain_rule_graph(*LESSON_POINT, lang="ja"), lang="ja")
    assert json.loads(json.dumps(layout)) == layout
    assert [node["id"] for node in layout["nodes"]] == list("xyzabcdef")
    assert layout["nodes"][0]["texts"][1]["roles"] == ["value", "grad"]
    assert layout["nodes"][0]["texts"][1]["lines"][1].startswith("勾配 ")
    edge = next(e for e in layout["edges"] if (e["source"], e["target"]) == ("b", "c"))
    assert edge["label"]["lines"] == ["∂c/∂b =", "\N{MINUS SIGN}8.701"]
    x, y, w, h = edge["box"]  # the label's white backing holds the label
    assert x < edge["label"]["x"] < x + w and all(y < line < y + h for line in edge["label"]["y"])


def test_the_figure_draws_the_layout():
    graph = chain_rule_graph(*LESSON_POINT)
    layout = graph_layout(graph)
    centre = _box_centres(draw_graph(graph))
    for node_id, (cx, cy) in centre.items():
        box = _box(layout, node_id)
        assert cx == pytest.approx(box["x"] + box["w"] / 2, abs=2e-3)
        assert cy == pytest.approx(layout["height"] - box["y"] - box["h"] / 2, abs=2e-3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"graph": 3}, TypeError, "graph"),
        ({"direction": "RL"}, ValueError, "direction"),
        ({"direction": 1}, TypeError, "direction"),
        ({"show_values": "yes"}, TypeError, "show_values"),
        ({"lang": "fr"}, ValueError, "lang"),
    ],
)
def test_graph_layout_bad_inputs(kwargs, error, match):
    arguments = {"graph": chain_rule_graph(1.0, 1.0, 1.0)} | kwargs
    graph = arguments.pop("graph")
    with pytest.raises(error, match=match):
        graph_layout(graph, **arguments)


def _smallest_text_ratio(fig, column_px):
    """Smallest text height in px × column width / image width in px (CSS px on the page)."""
    dpi = 100
    smallest_pt = min(t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text())
    return smallest_pt * dpi / 72 * column_px / (fig.get_figwidth() * dpi)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("name", ["chain", "neuron"])
def test_lesson_graph_figures_have_readable_text_wide_and_on_a_phone(lang, name):
    graph = _lesson_graphs(lang)[name]
    fig = draw_graph(graph, lang=lang, title=graph.title or "the autograd graph of the loss")
    # A 720 CSS px content column at 1280 px; 358 CSS px at 390 px, with the phone variant.
    assert _smallest_text_ratio(fig, 720) >= 10
    phone = phone_variant(fig)
    assert phone is not None and phone.get_figwidth() < fig.get_figwidth()
    assert _smallest_text_ratio(phone, 358) >= 10
    assert len(_node_boxes(phone)) == len(graph.nodes)
    assert len(_arrows(phone)) == len(graph.edges)
    _save_png(phone)
