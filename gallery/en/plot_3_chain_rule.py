r"""
1.3 Computational graphs and backpropagation
============================================

The exercise of the previous lesson ended with a function that is unpleasant to differentiate in
one go:

.. math::

   f(x, y, z) = \tanh\left( \ln\left[ 1 + z \, \frac{2x}{\sin(y)} \right] \right)

This lesson takes it apart. Cut into small steps, :math:`f` becomes a **computational graph**;
running the graph forwards computes :math:`f`, and running it backwards with the chain rule
computes all three partial derivatives at once. This is **backpropagation**, the algorithm
behind every deep-learning framework.

**What you will learn**

* how to split a formula into intermediate variables and draw them as a graph;
* the forward pass: computing and storing every intermediate value;
* the local derivative on each edge of the graph, and why it is easy;
* the backward pass: multiplying local derivatives from the output back to the inputs;
* how to check a derivation by hand against autograd and finite differences;
* what happens at points where :math:`f` is not defined.
"""

# %%
# First the language of the figures and messages:

from gdguide.language import use_language

LANG = use_language("en")

# %%
# Intermediate variables
# ----------------------
#
# Read :math:`f` from the inside out and give every step a name:
#
# .. math::
#
#    \begin{aligned}
#    a &= 2x, & b &= \sin(y), & c &= \frac{a}{b}, \\
#    d &= c \, z, & e &= \ln(d + 1), & f &= \tanh(e).
#    \end{aligned}
#
# Each line is one simple operation with one or two inputs. Drawn as a graph, the inputs
# :math:`x, y, z` are on the left and arrows lead through the intermediate nodes to :math:`f`:
# :math:`x \to a`, :math:`y \to b`, :math:`a, b \to c`, :math:`c, z \to d`, then
# :math:`d \to e \to f`.
#
# The forward pass
# ----------------
#
# Following the arrows from the inputs computes the nodes in order, each from values that are
# already known. This is the **forward pass**. We pick the point :math:`x = 1`,
# :math:`y = 0.5`, :math:`z = 0.5` (any point with :math:`\sin y \neq 0` and :math:`1 + d > 0`
# would do) and let :func:`gdguide.chain_rule.forward_values` run it:

import math

from gdguide.chain_rule import forward_values
from gdguide.functions import f

x, y, z = 1.0, 0.5, 0.5
values = forward_values(x, y, z)
for name, value in values.items():
    print(f"{name} = {value:.6f}")
print(f"f(x, y, z) computed in one go: {f(x, y, z):.6f}")
print(f"same value: {math.isclose(values['f'], f(x, y, z), rel_tol=1e-12)}")

# %%
# The last node is :math:`f` itself, the same number as evaluating the formula in one go. The
# forward pass keeps all the intermediate values; the backward pass is about to need them.
#
# Local derivatives
# -----------------
#
# Each arrow of the graph connects an input of one small operation to its output. The derivative
# of that output with respect to that input is the **local derivative** of the edge -- one line of
# school calculus each:
#
# .. math::
#
#    \begin{aligned}
#    \frac{\partial f}{\partial e} &= 1 - \tanh^2(e), &
#    \frac{\partial e}{\partial d} &= \frac{1}{d + 1}, &
#    \frac{\partial d}{\partial c} &= z, &
#    \frac{\partial d}{\partial z} &= c, \\
#    \frac{\partial c}{\partial a} &= \frac{1}{b}, &
#    \frac{\partial c}{\partial b} &= -\frac{a}{b^2}, &
#    \frac{\partial a}{\partial x} &= 2, &
#    \frac{\partial b}{\partial y} &= \cos(y).
#    \end{aligned}
#
# Notice that every one of them is written with the node values :math:`a, \dots, e` and the
# inputs -- numbers the forward pass has already stored. Nothing needs to be expanded back into a
# big formula. :func:`gdguide.chain_rule.local_derivatives` evaluates them at our point:

from gdguide.chain_rule import local_derivatives

for (source, target), derivative in local_derivatives(x, y, z).items():
    print(f"∂{target}/∂{source} = {derivative:+.6f}")

# %%
# The backward pass
# -----------------
#
# Now walk the graph against the arrows. Start at the output with :math:`\partial f/\partial f = 1`.
# For every node, the gradient :math:`\partial f / \partial \text{node}` is the gradient that
# arrives from the node it feeds (its *upstream gradient*) times the local derivative of the edge
# between them. In this graph every node feeds exactly one other node, so each step is a single
# multiplication; where a node feeds several, the products are added up. Multiplying along the
# path from :math:`f` down to :math:`x`, and to :math:`z`, gives
#
# .. math::
#
#    \frac{\partial f}{\partial x}
#    = \frac{\partial f}{\partial e} \frac{\partial e}{\partial d} \frac{\partial d}{\partial c}
#    \frac{\partial c}{\partial a} \frac{\partial a}{\partial x}
#    = \left(1 - \tanh^2 e\right) \cdot \frac{1}{d + 1} \cdot z \cdot \frac{1}{b} \cdot 2
#
# .. math::
#
#    \frac{\partial f}{\partial z}
#    = \frac{\partial f}{\partial e} \frac{\partial e}{\partial d} \frac{\partial d}{\partial z}
#    = \left(1 - \tanh^2 e\right) \cdot \frac{1}{d + 1} \cdot c
#
# :func:`gdguide.chain_rule.backward_table` does the walk one node at a time, and
# :func:`gdguide.chain_rule.format_backward_table` prints it: each row shows a node, its value
# from the forward pass, the edge to the node it feeds, the local derivative on that edge, the
# upstream gradient and their product.

from gdguide.chain_rule import backward_table, format_backward_table

rows = backward_table(x, y, z)
print(format_backward_table(rows, lang=LANG))

# %%
# Read the table from top to bottom: every row's upstream gradient is the *gradient* of a row
# above it, so each row needs one multiplication and nothing else. The gradient
# :math:`\partial f/\partial d` is computed once and then reused twice, for the branch to
# :math:`c` (and on to :math:`a, b, x, y`) and for the branch to :math:`z`. That sharing is what
# makes backpropagation cheap: the whole gradient costs only a small multiple of one forward pass,
# however many inputs there are. The three numbers we wanted are in the last rows:
# :math:`\partial f/\partial z`, :math:`\partial f/\partial y` and :math:`\partial f/\partial x`.
#
# The graph, drawn
# ----------------
#
# :func:`gdguide.graph.chain_rule_graph` builds the same graph as data, and
# :func:`gdguide.graph.draw_graph` draws it: every node shows its value from the forward pass and
# its gradient :math:`\partial f/\partial \text{node}` from the backward pass, and every edge its
# local derivative.

from gdguide.graph import chain_rule_graph, draw_graph

graph = chain_rule_graph(x, y, z, lang=LANG)
fig = draw_graph(graph, lang=LANG)

# %%
# Follow any arrow backwards and you can check the rule with the numbers on the figure: the
# gradient of the node at the tail of an arrow is the gradient at its head times the label on the
# arrow. The gradient of the output is 1, and the gradients of the inputs :math:`x, y, z` are the
# partial derivatives of :math:`f`.
#
# Exercise 1.3: the chain rule for ∂f/∂y
# --------------------------------------
#
# Using the graph and the local derivatives above, write :math:`\partial f/\partial y` as a
# product of local derivatives, then in terms of the intermediate variables. Work it out with
# pencil and paper before you open the answer.
#
# .. dropdown:: Answer
#
#    The path from :math:`f` back to :math:`y` runs through :math:`e`, :math:`d`, :math:`c` and
#    :math:`b`, so the chain rule multiplies five local derivatives:
#
#    .. math::
#
#       \frac{\partial f}{\partial y}
#       = \frac{\partial f}{\partial e} \frac{\partial e}{\partial d}
#       \frac{\partial d}{\partial c} \frac{\partial c}{\partial b} \frac{\partial b}{\partial y}
#       = \left(1 - \tanh^2 e\right) \cdot \frac{1}{d + 1} \cdot z \cdot
#       \left(-\frac{a}{b^2}\right) \cdot \cos(y)
#
#    Compare it with :math:`\partial f/\partial x`: the first three factors are the same. That is
#    the upstream gradient :math:`\partial f/\partial c`, which the backward pass computes once.
#
# Checking the answer numerically
# -------------------------------
#
# A derivation on paper is only as good as its check. The cell below evaluates the answer from
# the stored forward values and compares it with PyTorch's autograd
# (:func:`gdguide.gradcheck.autograd_gradient`) and with central differences
# (:func:`gdguide.gradcheck.numerical_gradient`), using tolerances. Then
# :func:`gdguide.gradcheck.compare_gradients` checks all three partial derivatives from the
# backward pass the same way.

from gdguide.chain_rule import chain_rule_gradients
from gdguide.gradcheck import autograd_gradient, compare_gradients, numerical_gradient

v = values
df_dy_paper = (
    (1 - math.tanh(v["e"]) ** 2)
    / (v["d"] + 1)
    * v["z"]
    * (-v["a"] / v["b"] ** 2)
    * math.cos(v["y"])
)
autograd = autograd_gradient(f, x, y, z)
numerical = numerical_gradient(f, x, y, z)
df_dy_autograd = float(autograd[1])
df_dy_numerical = numerical[1]
print(f"df/dy on paper:   {df_dy_paper:+.12f}")
print(f"df/dy autograd:   {df_dy_autograd:+.12f}")
print(f"df/dy numerical:  {df_dy_numerical:+.12f}")
agree_autograd = math.isclose(df_dy_paper, df_dy_autograd, rel_tol=1e-9)
agree_numerical = math.isclose(df_dy_paper, df_dy_numerical, rel_tol=1e-6)
print(f"paper and autograd agree (relative tolerance 1e-9): {agree_autograd}")
print(f"paper and numerical agree (relative tolerance 1e-6): {agree_numerical}")
print()
backward = chain_rule_gradients(x, y, z)
hand = [backward["x"], backward["y"], backward["z"]]
comparison = compare_gradients(hand, autograd, numerical, names=["x", "y", "z"])
print(comparison.summary(LANG))

# %%
# Autograd agrees with the paper formula to about the last digits of a float; the finite
# difference, an approximation, agrees to about ten digits. Both are far inside the tolerances.
# Section 2 shows how PyTorch's autograd builds exactly this kind of graph by itself.
#
# Outside the domain
# ------------------
#
# :math:`f` is not defined everywhere: :math:`c = a/b` needs :math:`\sin y \neq 0`, and the
# logarithm needs :math:`1 + d > 0`. A careless implementation does not notice. In floating
# point, :math:`\sin(\pi)` is not exactly zero but about :math:`10^{-16}`, so the formula
# quietly divides by it and returns a number that means nothing:

naive = math.tanh(math.log(1 + z * 2 * x / math.sin(math.pi)))
print(f"sin(pi) = {math.sin(math.pi):.3g}, naive f(1, pi, 0.5) = {naive}")

# %%
# :func:`gdguide.functions.f` (and everything in :mod:`gdguide.chain_rule`) checks the domain
# first and raises a clear :class:`ValueError` instead, naming the argument and the value at
# fault -- a silent wrong number is the worst kind of bug in a gradient computation:

bad_points = [(1.0, math.pi, 0.5), (1.0, 0.5, -0.5)]
for bad_point in bad_points:
    try:
        f(*bad_point)
    except ValueError as error:
        print(f"f{bad_point} -> ValueError: {error}")

# %%
# Recap
# -----
#
# * A complicated function becomes a **computational graph** once every step gets a name
#   (:math:`a = 2x, b = \sin y, \dots, f = \tanh e`).
# * The **forward pass** computes and stores every node's value, inputs first.
# * Every edge has a **local derivative**, easy to write down and evaluated from stored values.
# * The **backward pass** starts with :math:`\partial f/\partial f = 1` and multiplies upstream
#   gradients by local derivatives, output first. Shared pieces are computed once, which makes it
#   cheap.
# * Answer of the exercise:
#   :math:`\partial f/\partial y = (1 - \tanh^2 e) \cdot \frac{1}{d+1} \cdot z \cdot
#   (-\frac{a}{b^2}) \cdot \cos y`, confirmed against autograd and finite differences within
#   tolerances.
# * Outside its domain :math:`f` raises a clear error instead of returning a meaningless number.
