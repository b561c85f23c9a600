r"""
2 Autograd: PyTorch computes the gradients for you
==================================================

In the previous lessons you differentiated by hand: you split a function into small steps,
wrote down the local derivative of each step and multiplied them along the graph with the chain
rule. That works, but it is slow and easy to get wrong once a model has thousands of parameters.
Deep-learning frameworks such as PyTorch, JAX and TensorFlow do this bookkeeping automatically;
PyTorch's engine for it is called **autograd** (automatic differentiation).

This lesson builds the smallest model there is -- one neuron -- and watches autograd at work.

**What you will learn**

* how ``requires_grad=True`` tells PyTorch which tensors are trainable parameters;
* how the **forward pass** records a computational graph, and how to read it through ``grad_fn``;
* how ``.backward()`` runs the **backward pass** and leaves the gradients in ``.grad``;
* that the gradients from autograd agree with the hand-derived ones and with a numerical estimate;
* why ``.grad`` *accumulates*, how to reset it, and what ``.detach()`` is for;
* why two floats should be compared with a tolerance, never with ``==``.
"""

# %%
from gdguide.language import use_language

LANG = use_language("en")

import math

import torch

# %%
# Tensors that remember where they came from
# -------------------------------------------
#
# A tensor created with ``requires_grad=True`` is a trainable parameter: PyTorch will need the
# gradient of the loss with respect to it, so from now on it records every operation that uses
# it. The result of such an operation has a ``grad_fn``: the backward function of the operation
# that produced it. Tensors you create yourself are **leaves** of the graph and have no
# ``grad_fn``.

a = torch.tensor([1.0], requires_grad=True)
b = torch.tensor([-1.0], requires_grad=True)
c = a + b

print(f"a: leaf = {a.is_leaf}, grad_fn = {a.grad_fn}")
print(f"c: leaf = {c.is_leaf}, requires_grad = {c.requires_grad}, grad_fn = {c.grad_fn.name()}")

# %%
# ``c`` was made by an addition, so its ``grad_fn`` is ``AddBackward0``: the piece of code that
# knows the local derivatives of ``+``. ``requires_grad`` is also *contagious*: ``c`` needs a
# gradient because ``a`` and ``b`` do, so everything computed from ``c`` is recorded too.
#
# .. note::
#
#    Try replacing ``a + b`` with ``a * b`` or ``torch.sin(a)`` and run the cell again: the name
#    of the ``grad_fn`` changes with the operation (``MulBackward0``, ``SinBackward0``).
#
# The forward pass of one neuron
# ------------------------------
#
# Our model is a single neuron with a weight :math:`w` and a bias :math:`b`. For an input
# :math:`x` it predicts :math:`y_p`, and the squared error against the target :math:`y_t` is
# its loss (element by element, without taking a mean):
#
# .. math::
#
#    y_p = \tanh(w \cdot x + b), \qquad \mathrm{loss} = (y_t - y_p)^2
#
# As a computational graph this reads
# :math:`x \to (\times w) \to (+ b) \to \tanh \to (y_t - \cdot) \to (\cdot)^2 \to \mathrm{loss}`.
# To train the neuron, gradient descent needs :math:`\partial\,\mathrm{loss}/\partial w` and
# :math:`\partial\,\mathrm{loss}/\partial b` -- the gradients with respect to the parameters,
# not with respect to the data.
#
# Exercise: the forward pass
# --------------------------
#
# Write the neuron's prediction with PyTorch operations. ``w`` and ``b`` are tensors with
# ``requires_grad=True``; ``x`` is a tensor of inputs. Replace the marked line and run the cell:
# the check below tells you whether your function is right.

from gdguide.exercises import check_neuron_forward, check_squared_loss


def neuron_forward_mine(w, b, x):
    """Return the prediction tanh(w·x + b) of one neuron."""
    # ---- your code here: replace the next line ----
    raise NotImplementedError("compute the prediction tanh(w·x + b)")


print(check_neuron_forward(neuron_forward_mine, lang=LANG))

# %%
# .. dropdown:: Solution
#
#    .. code-block:: python
#
#       def neuron_forward_mine(w, b, x):
#           """Return the prediction tanh(w·x + b) of one neuron."""
#           return torch.tanh(w * x + b)
#
#    Only PyTorch operations are used (``*``, ``+`` and ``torch.tanh``), so autograd can record
#    every step. A ``math.tanh`` would fail here: it does not work on tensors.
#
# Exercise: the squared loss
# --------------------------
#
# Now the loss: the squared difference between the target and the prediction, for every element
# (no sum and no mean).


def squared_loss_mine(y_true, y_prediction):
    """Return the element-wise squared error (y_true - y_prediction)**2."""
    # ---- your code here: replace the next line ----
    raise NotImplementedError("compute the squared error")


print(check_squared_loss(squared_loss_mine, lang=LANG))

# %%
# .. dropdown:: Solution
#
#    .. code-block:: python
#
#       def squared_loss_mine(y_true, y_prediction):
#           """Return the element-wise squared error (y_true - y_prediction)**2."""
#           return (y_true - y_prediction) ** 2
#
# The neuron of the lesson
# ------------------------
#
# :class:`gdguide.neuron.SimpleNeuron` holds ``w`` and ``b`` as tensors with
# ``requires_grad=True``, and :func:`gdguide.neuron.squared_loss` is the loss you just wrote. We
# start from :math:`w = -0.5` and :math:`b = 0.5` and feed it one example, the input
# :math:`x = 1` with the target :math:`y_t = 7`.

from gdguide.neuron import SimpleNeuron, neuron_gradients, squared_loss

neuron = SimpleNeuron(-0.5, 0.5)
feature = torch.tensor([1])
target = torch.tensor([7])

prediction = neuron(feature)
loss = squared_loss(target, prediction)

print(f"w = {neuron.w.item()}, b = {neuron.b.item()}")
print(f"x = {feature.item()}, y_t = {target.item()}")
print(f"prediction = {prediction.item():.1f}, loss = {loss.item():.1f}")

# %%
# Here :math:`w \cdot x + b = -0.5 + 0.5 = 0`, so the prediction is :math:`\tanh 0 = 0` and the
# loss is :math:`(7 - 0)^2 = 49`. The neuron is far from its target, so there is something to
# learn.
#
# Reading the recorded graph
# --------------------------
#
# ``grad_fn`` names only the *last* operation of a tensor, but through it PyTorch keeps the whole
# history: each backward function links to the ones before it.

print(f"c = a + b      -> {c.grad_fn.name()}")
print(f"prediction     -> {prediction.grad_fn.name()}")
print(f"loss           -> {loss.grad_fn.name()}")

# %%
# The prediction ends in a ``tanh`` (``TanhBackward0``) and the loss in a square
# (``PowBackward0``, the power operation ``** 2``).
#
# The backward pass: ``.backward()`` and ``.grad``
# ------------------------------------------------
#
# Calling ``.backward()`` on the loss walks the recorded graph from the loss back to the leaves,
# multiplying local derivatives exactly as the chain rule prescribes, and stores
# :math:`\partial\,\mathrm{loss}/\partial w` in ``w.grad`` and
# :math:`\partial\,\mathrm{loss}/\partial b` in ``b.grad``. Before that, ``.grad`` is ``None``.

print(f"before backward: w.grad = {neuron.w.grad}")
loss.backward()
print(f"after backward:  w.grad = {neuron.w.grad.item():.1f}, b.grad = {neuron.b.grad.item():.1f}")

# %%
# Both gradients are negative: increasing :math:`w` or :math:`b` would lower the loss, so a step
# of gradient descent will increase them.
#
# The graph that autograd recorded
# --------------------------------
#
# :func:`gdguide.graph.autograd_graph` walks ``loss.grad_fn`` and everything behind it, and
# :func:`gdguide.graph.draw_graph` draws what it finds. Because ``backward()`` has run, the
# leaves ``w`` and ``b`` show their gradients.

from gdguide.graph import autograd_graph, draw_graph

graph = autograd_graph(loss, names={"w": neuron.w, "b": neuron.b, "loss": loss})
fig = draw_graph(graph, lang=LANG, title="the autograd graph of the neuron's loss")

# %%
# Read it from left to right for the forward pass, from right to left for the backward pass.
# ``MulBackward0`` is :math:`w \cdot x`, ``AddBackward0`` adds :math:`b`, and ``SubBackward0``
# is :math:`y_t - y_p`. The input :math:`x` and the target :math:`y_t` are *not* in the graph:
# they were created without ``requires_grad``, so PyTorch needs no gradient for them and records
# nothing about them. This drawing is made from the live graph, so it always matches the code.
#
# Three ways to the same gradient
# -------------------------------
#
# With the chain rule, the gradients of the loss are
#
# .. math::
#
#    \frac{\partial\,\mathrm{loss}}{\partial w} = -2\,x\,(y_t - y_p)\,(1 - y_p^2), \qquad
#    \frac{\partial\,\mathrm{loss}}{\partial b} = -2\,(y_t - y_p)\,(1 - y_p^2)
#
# using :math:`\frac{d}{dz}\tanh z = 1 - \tanh^2 z`. With :math:`x = 1`, :math:`y_t = 7` and
# :math:`y_p = 0`, both are :math:`-2 \cdot 7 \cdot 1 = -14`.
#
# :func:`gdguide.neuron.neuron_gradients` evaluates these formulas. As a third, independent
# opinion, :func:`gdguide.gradcheck.numerical_gradient` nudges each parameter a tiny step up and
# down and measures how the loss changes (a central difference); we give it the parameters in
# double precision (``.double()``, float64), so that a nudge of :math:`10^{-6}` is not drowned
# by rounding. Then :func:`gdguide.gradcheck.compare_gradients` compares all three, pair by
# pair, **with a tolerance**.

from gdguide.gradcheck import compare_gradients, numerical_gradient


def loss_at(w, b):
    """The loss of the example as a function of the parameters."""
    return squared_loss(target, torch.tanh(w * feature + b))


hand = neuron_gradients(feature, target, prediction)
autograd = (neuron.w.grad, neuron.b.grad)
numerical = numerical_gradient(loss_at, neuron.w.detach().double(), neuron.b.detach().double())

print(f"hand:      dloss/dw = {hand[0].item():.6f}, dloss/db = {hand[1].item():.6f}")
print(f"autograd:  dloss/dw = {autograd[0].item():.6f}, dloss/db = {autograd[1].item():.6f}")
print(f"numerical: dloss/dw = {numerical[0].item():.6f}, dloss/db = {numerical[1].item():.6f}")
comparison = compare_gradients(hand, autograd, numerical, names=["w", "b"])
print(comparison.summary(LANG))

# %%
# All three agree. The numerical estimate is only approximately right (it depends on the size of
# the nudge), which is exactly why the comparison allows a small tolerance.
#
# Gradients accumulate
# --------------------
#
# ``.backward()`` does not *overwrite* ``.grad``; it **adds** to it. This is deliberate (it lets
# you sum gradients over several losses or mini-batches), but it surprises everyone once. Run the
# forward and backward pass a second time without resetting anything:

prediction = neuron(feature)
loss = squared_loss(target, prediction)
loss.backward()
print(f"after a second backward: w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad.item():.1f}")

# %%
# The parameters did not change, yet the gradient doubled from :math:`-14` to :math:`-28`: the
# new gradient was added to the old one. A training step must therefore start by resetting the
# gradients. For a single tensor, ``w.grad.zero_()`` sets its gradient to zero in place (the
# trailing underscore marks in-place operations in PyTorch); ``neuron.zero_grad()`` does it for
# every parameter of the neuron.

neuron.w.grad.zero_()
print(f"after w.grad.zero_():     w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad.item():.1f}")
neuron.zero_grad()
print(f"after neuron.zero_grad(): w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad.item():.1f}")

# %%
# PyTorch's modules and optimisers have the same method, ``.zero_grad()`` -- you will call it at
# the start of every training step in the next lesson. (They reset ``.grad`` to ``None`` rather
# than to zeros by default, which saves memory; the effect on the next ``backward()`` is the
# same.)
#
# ``.detach()``: leaving the graph
# --------------------------------
#
# Because ``requires_grad`` is contagious, the prediction is still part of the graph. Functions
# that leave PyTorch -- turning a tensor into a NumPy array to plot or save it, for example --
# refuse such tensors. ``.detach()`` returns a tensor with the same numbers but outside the
# graph.

try:
    prediction.numpy()
except RuntimeError as error:
    print(f"RuntimeError: {error}")

values = prediction.detach()
print(f"detached: requires_grad = {values.requires_grad}, as NumPy: {values.numpy()}")

# %%
# The hand-derived gradients above were computed the same way: ``neuron_gradients`` detaches its
# inputs, so evaluating the formula adds nothing to the graph.
#
# Why ``==`` on floats is fragile
# -------------------------------
#
# The original version of this lesson checked ``hand == autograd``. Computers store floats with
# a fixed number of binary digits and round after every operation, so two correct computations
# of the same number can differ in the last digit. The classic example:

print(f"0.1 + 0.2 = {0.1 + 0.2:.17g}")
print(f"0.1 + 0.2 == 0.3: {0.1 + 0.2 == 0.3}")
print(f"math.isclose(0.1 + 0.2, 0.3): {math.isclose(0.1 + 0.2, 0.3)}")

# %%
# The same thing happens to gradients. The helper below builds a fresh neuron, runs autograd and
# evaluates the hand formula. We try the example of the lesson, and then the same example with
# the sign of the bias flipped (:math:`b = -0.5`); these inputs were found by trying a few
# hundred values and keeping one where the two results differ on the computer that built this
# page.


def hand_and_autograd(w, b):
    """Return dloss/dw from the hand formula and from autograd, for a fresh neuron."""
    probe = SimpleNeuron(w, b)
    probe_prediction = probe(feature)
    squared_loss(target, probe_prediction).backward()
    hand_w, _ = neuron_gradients(feature, target, probe_prediction)
    return hand_w, probe.w.grad


for w_value, b_value in [(-0.5, 0.5), (-0.5, -0.5)]:
    hand_w, autograd_w = hand_and_autograd(w_value, b_value)
    print(f"w = {w_value}, b = {b_value}: "
          f"hand = {hand_w.item():.9f}, autograd = {autograd_w.item():.9f}")
    print(f"    hand == autograd: {bool(hand_w == autograd_w)}, "
          f"torch.allclose: {torch.allclose(hand_w, autograd_w)}")

# %%
# For :math:`b = 0.5` every intermediate value is exact (:math:`w \cdot x + b = 0`, so
# :math:`y_p = 0` and :math:`1 - y_p^2 = 1`), and ``==`` happens to hold. That is the only reason
# the original check printed ``True``. For :math:`b = -0.5` the prediction is
# :math:`\tanh(-1)`, which no float32 stores exactly, and the two computations round at
# different places: PyTorch's backward function for ``tanh`` computes :math:`1 - y_p^2` in one
# fused step with a single rounding, while the formula rounds :math:`y_p^2` first. How far apart
# are they?

difference = (hand_w - autograd_w).abs().item()
float32_step = (torch.nextafter(autograd_w, torch.zeros(1)) - autograd_w).abs().item()
print(f"difference = {difference:.3g}")
print(f"gap between neighbouring float32 numbers here = {float32_step:.3g}")
print(f"so the two differ by {difference / float32_step:.0f} float32 step(s)")

# %%
# Neither result is wrong: both are the true gradient rounded to float32 along slightly
# different paths. If you run this on another computer and see ``True`` twice, your processor
# happened to round the same way -- which is exactly why a test must not depend on it.
#
# Compare floats with a tolerance instead. ``torch.allclose(a, b)`` accepts
# :math:`|a - b| \le \mathrm{atol} + \mathrm{rtol} \cdot |b|` (by default
# :math:`\mathrm{rtol} = 10^{-5}`, :math:`\mathrm{atol} = 10^{-8}`), and
# ``torch.testing.assert_close`` raises an error with a clear report when two tensors are *not*
# close, choosing tolerances that suit their dtype. It is the right tool in tests:

torch.testing.assert_close(hand_w, autograd_w)
print("torch.testing.assert_close: the hand-derived and the autograd gradient agree")

# %%
# Recap
# -----
#
# * ``requires_grad=True`` marks a tensor as a trainable parameter; every operation on it is
#   recorded, and results carry a ``grad_fn`` (``AddBackward0``, ``TanhBackward0``,
#   ``PowBackward0``, ...) that links back through the whole computation.
# * ``loss.backward()`` runs the backward pass over that graph and stores
#   :math:`\partial\,\mathrm{loss}/\partial\,\mathrm{parameter}` in each leaf's ``.grad``. For the
#   neuron at :math:`w = -0.5`, :math:`b = 0.5`, both gradients are :math:`-14`, in agreement
#   with the chain rule and with a numerical estimate.
# * ``.grad`` accumulates: reset it with ``.grad.zero_()`` or ``.zero_grad()`` before each new
#   backward pass.
# * ``.detach()`` gives the numbers without the graph, for plotting or saving.
# * Compare floats with ``math.isclose``, ``torch.allclose`` or ``torch.testing.assert_close`` --
#   never with ``==``.
#
# In the next lesson PyTorch's ``nn.Module`` and an optimiser take over the parameters, and the
# forward pass, ``backward()`` and the update become a training loop.
