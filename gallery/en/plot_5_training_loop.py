r"""
3 Training a network: nn.Module, the loss, the optimiser and the loop
=======================================================================

In the previous lesson you computed the gradient of a loss with autograd, for a single neuron
whose two parameters you created yourself. Real networks have thousands or millions of
parameters, and nobody creates them one by one. PyTorch's ``torch.nn`` package provides
ready-made building blocks -- layers, activation functions, loss functions -- and
``torch.optim`` provides optimisers that apply gradient descent to all parameters at once.

In this lesson you train a wide one-hidden-layer network to fit noisy samples of a sine curve.

**What you will learn**

* how to write a network as an ``nn.Module`` class, and how a module *registers* its
  parameters (and why a plain tensor is not enough: ``nn.Parameter``);
* the three ingredients of training: the model's parameters, a loss function and an optimiser,
  and what the optimiser's *momentum* does;
* the five lines of a training step -- zero the gradients, forward pass, loss, backward pass,
  update -- first written out once by hand, then as a loop that you write yourself;
* how the loss falls over 1847 epochs, and how to tell whether it has gone low enough.
"""

# %%
from gdguide.language import use_language

LANG = use_language("en")

import math

import torch
from torch import nn

from gdguide.explorers import TrainingReplayExplorer
from gdguide.plots import plot_data, plot_training_result
from gdguide.reproducibility import SEED, set_seed
from gdguide.training import (
    TRAINING_EPOCHS,
    TrainingSnapshots,
    log_spaced_epochs,
    make_sine_data,
    train,
)

# %%
# Three ingredients
# -----------------
#
# Training needs three things:
#
# * **the model's parameters** -- every tensor the optimiser may change. You will write the
#   model as an ``nn.Module``; its layers create their weights and biases and *register* them
#   with the module, so ``model.parameters()`` hands all of them to the optimiser in one call.
# * **a loss function** -- the number to make small. Here it is the mean squared error,
#   ``nn.MSELoss``: the squared loss of the previous lesson, averaged over the samples.
# * **an optimiser** -- it keeps track of the parameters and, when you call its ``step()``
#   method, updates them from their ``.grad``. We use ``torch.optim.SGD`` with learning rate
#   :math:`\eta = 0.003` and *momentum* :math:`\mu = 0.9`.
#
# Plain gradient descent steps along the current gradient :math:`g` only. With momentum,
# PyTorch keeps one more tensor :math:`v` (the "velocity") for every parameter :math:`w` and
# does, at every step,
#
# .. math::
#
#    v \leftarrow \mu\, v + g, \qquad w \leftarrow w - \eta\, v .
#
# (At the very first step :math:`v` is simply :math:`g`.) So :math:`v` is a *decaying sum* of
# all past gradients -- today's gradient, plus :math:`\mu` times the one before, plus
# :math:`\mu^2` times the one before that, and so on -- not an average of them. Where the
# gradient keeps pointing the same way, :math:`v` grows towards :math:`g / (1 - \mu)`, ten times
# :math:`g` for :math:`\mu = 0.9`, and the steps get longer; where it flips back and forth, the
# terms partly cancel.
#
# The data
# --------
#
# The task is regression: 32 inputs evenly spaced on :math:`[-1, 1]`, and as targets the sine
# :math:`\sin(\pi x)` plus Gaussian noise with standard deviation :math:`1/4`.
# :func:`gdguide.training.make_sine_data` seeds the random generators with ``SEED`` (2021) right
# before drawing the noise, so every run gets the same data.

inputs, targets = make_sine_data(seed=SEED)
print(f"inputs: shape {tuple(inputs.shape)}, targets: shape {tuple(targets.shape)}")
fig = plot_data(inputs, targets, lang=LANG)

# %%
# The data are a *column* of shape ``(32, 1)``: 32 samples with one feature each, the layout
# ``nn.Linear`` expects.
#
# The model: a class of your own
# ------------------------------
#
# The network has one hidden layer of 512 ``tanh`` units:
# ``Linear(1, 512) → Tanh → Linear(512, 1)``. Each unit computes :math:`\tanh(w x + b)` -- the
# neuron of the previous lesson -- and the output layer adds up the 512 units with weights of
# its own, plus a bias.
#
# In PyTorch a model is a class derived from ``nn.Module``. It has two parts:
#
# * ``__init__`` creates the layers and stores them as attributes. It must first call
#   ``super().__init__()``, which sets up the bookkeeping that registers layers and parameters.
#   ``nn.Sequential`` chains layers: its output is the last layer applied to the one before,
#   and so on.
# * ``forward`` says how to compute the output from an input ``x``. You never call it by name:
#   ``model(x)`` calls it for you.

class WideNet(nn.Module):
    """One hidden layer of tanh units: Linear(1, n_units) -> Tanh -> Linear(n_units, 1)."""

    def __init__(self, n_units=512):
        super().__init__()  # first: prepare the module's registry of layers and parameters
        self.layers = nn.Sequential(
            nn.Linear(1, n_units),  # 1 input -> n_units hidden units
            nn.Tanh(),
            nn.Linear(n_units, 1),  # n_units hidden units -> 1 output
        )

    def forward(self, x):
        return self.layers(x)


# %%
# Now the three ingredients, in this order. The initial weights of ``nn.Linear`` are random, so
# we seed the generators right before building the model: every run starts from the same
# weights and prints the same numbers.

set_seed(SEED)
model = WideNet()
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.003, momentum=0.9)
print(model)

# %%
# Printing a module lists its layers. The parameters themselves are found through
# ``named_parameters()``: each ``nn.Linear`` has registered a weight and a bias, all with
# ``requires_grad=True``. Their names say where they live: ``layers.0`` is the first layer of
# ``self.layers``.

for name, parameter in model.named_parameters():
    print(f"{name:16} shape {tuple(parameter.shape)!s:9} requires_grad={parameter.requires_grad}")
n_parameters = sum(parameter.numel() for parameter in model.parameters())
print(f"n_parameters = {n_parameters}")

# %%
# That is :math:`512 + 512` for the hidden layer's weights and biases, and :math:`512 + 1` for
# the output layer: 1537 numbers, all of them handed to the optimiser.
#
# What makes a tensor a parameter?
# --------------------------------
#
# How does the module know which tensors to list? ``nn.Linear`` stores its weight and bias as
# ``nn.Parameter``, a kind of tensor that announces "I am a parameter". When you assign an
# ``nn.Parameter`` (or a whole layer) to an attribute of a module, the module registers it. Any
# other tensor is just an attribute -- even one with ``requires_grad=True``. The small module
# below stores the same number twice, once as a plain tensor like those of the previous lesson
# and once wrapped in ``nn.Parameter``.

print(type(model.layers[0].weight))


class TwoTensors(nn.Module):
    def __init__(self):
        super().__init__()
        self.plain = torch.tensor([0.5], requires_grad=True)  # a tensor like in lesson 2
        self.wrapped = nn.Parameter(torch.tensor([0.5]))  # the same number, as a parameter


demo = TwoTensors()
print(f"plain: {type(demo.plain).__name__}, wrapped: {type(demo.wrapped).__name__}")
print(f"'plain' in dir(demo): {'plain' in dir(demo)}")
print(f"named_parameters(): {[name for name, _ in demo.named_parameters()]}")

# %%
# Both tensors are attributes of ``demo`` -- ``dir(demo)``, the list of everything the object
# holds, contains ``plain`` -- but only ``wrapped`` is registered. An optimiser built from
# ``demo.parameters()`` would never see ``plain``, so it would never change, although its
# ``requires_grad`` is ``True``. In a module of your own, create learnable tensors with
# ``nn.Parameter`` (or use layers, which do it for you).
#
# The loss function and the optimiser print their settings too:

print(f"loss function: {loss_fn}")
settings = optimizer.param_groups[0]
print(f"optimiser: {type(optimizer).__name__}, lr = {settings['lr']}, "
      f"momentum = {settings['momentum']}")

# %%
# One training step, line by line
# -------------------------------
#
# Here is one step of gradient descent, written out in plain PyTorch. Read each line: the whole
# rest of the course builds on these five.

optimizer.zero_grad()  # 1. reset the gradients: .backward() would add to the old ones
prediction = model(inputs)  # 2. forward pass: the model's output for every input
loss = loss_fn(prediction, targets)  # 3. the loss: one number, the mean squared error
loss.backward()  # 4. backward pass: fill .grad of all 1537 parameters
optimizer.step()  # 5. update: every parameter takes a small step against its gradient

one_step_loss = loss.item()
with torch.no_grad():
    loss_after = loss_fn(model(inputs), targets).item()
print(f"one_step_loss = {one_step_loss:.3f}")
print(f"loss_after = {loss_after:.3f}")

# %%
# The loss of this step is 0.889. It was computed *before* the update (line 3), so it belongs
# to the weights the model started with. Evaluating the model once more, inside
# ``torch.no_grad()`` so that no graph is recorded, gives ``loss_after``: the single step has
# already lowered the loss.
#
# .. note::
#
#    In a notebook you can run the step cell several times and watch the loss fall. Training in
#    PyTorch is interactive: the model is an ordinary Python object whose parameters change in
#    place.
#
# Exercise 3.1: the training loop
# -------------------------------
#
# A training loop repeats these five lines for a number of *epochs* (here every epoch uses the
# whole data set at once) and records the loss of each epoch. Complete the function: replace
# the marked line inside the loop. The check runs your function on a small problem of its own
# and compares it with a reference -- it does not touch the model of this page.

from gdguide.exercises import check_train


def train_mine(features, labels, model, loss_fn, optimizer, n_epochs):
    """Train model for n_epochs full-batch epochs; return the loss of each epoch."""
    losses = []
    for _ in range(n_epochs):
        # ---- your code here: replace the next line with the five lines of a step ----
        # 1. zero the gradients   2. forward pass   3. loss   4. backward pass   5. update
        # then record the loss of the epoch: losses.append(loss.item())
        raise NotImplementedError("write the five lines of a training step")
    return losses


print(check_train(train_mine, lang=LANG))

# %%
# .. dropdown:: Solution
#
#    .. code-block:: python
#
#       def train_mine(features, labels, model, loss_fn, optimizer, n_epochs):
#           """Train model for n_epochs full-batch epochs; return the loss of each epoch."""
#           losses = []
#           for _ in range(n_epochs):
#               optimizer.zero_grad()
#               prediction = model(features)
#               loss = loss_fn(prediction, labels)
#               loss.backward()
#               optimizer.step()
#               losses.append(loss.item())
#           return losses
#
#    ``loss.item()`` turns the one-element tensor into a Python float. Storing the tensor itself
#    would also keep its whole graph alive, epoch after epoch.
#
# Training for 1847 epochs
# ------------------------
#
# :func:`gdguide.training.train` is the same loop as yours, with argument checks, and it stops
# with an error if the loss ever becomes NaN or infinite. We train for ``TRAINING_EPOCHS`` =
# 1847 epochs -- the year Augustin-Louis Cauchy published the method of steepest descent.
# Training continues from the model that took the manual step above. The generators are seeded
# once more first: this loop draws no random numbers, but a loop over shuffled mini-batches
# would.
#
# We also hand ``train`` a :class:`~gdguide.training.TrainingSnapshots`. At 48 of the epochs
# -- every epoch at first, then more and more sparsely -- it evaluates the network on 61
# evenly spaced inputs and keeps the curve, so that we can replay this very run further down.
# It only reads the model: the losses come out exactly as they would without it.

set_seed(SEED)
snapshots = TrainingSnapshots(
    torch.linspace(-1, 1, 61).reshape(-1, 1), log_spaced_epochs(TRAINING_EPOCHS, count=48)
)
losses = train(inputs, targets, model, loss_fn, optimizer, TRAINING_EPOCHS, snapshots=snapshots)
print(f"len(losses) = {len(losses)}")
print(f"losses[0] = {losses[0]:.4f}")
print(f"losses[-1] = {losses[-1]:.4f}")

# %%
# The first epoch's loss is ``loss_after`` from above: training picked up where the manual step
# left off. Now the result, in two panels (side by side on a wide screen, one above the other on
# a phone): the data with the curve the network has learnt, and the loss of every epoch on a
# logarithmic axis, with a dashed line at the last epoch's loss and, in the corner, the first 100
# epochs enlarged.

fig = plot_training_result(model, inputs, targets, losses, lang=LANG)

# %%
# The network has found the sine shape underneath the noise. The enlarged corner shows the
# first few dozen epochs: the loss jumps up and down -- momentum carries the parameters past the
# bottom of the valley and back -- before it settles. From there it falls steadily over most of
# the training, and for the last few hundred epochs it stays level on the dashed line.
#
# Replaying the training
# ----------------------
#
# The figure shows where training ended; the explorer below shows how it got there. Move
# the slider through the recorded epochs: one panel shows the curve the network drew at that
# epoch, the other marks the epoch on the loss line. In the first few dozen epochs the curve
# tilts back and forth like a seesaw -- steeper, flatter, steeper again: these swings are the
# jumps of the loss, momentum overshooting and coming back. Then it settles into a sloping
# line, and only over the next few hundred epochs do its ends bend over into the sine. The
# arrow keys, Home and End move the slider too, and a click on the loss panel jumps to the
# nearest recorded epoch.

TrainingReplayExplorer(snapshots, losses, inputs, targets, lang=LANG)

# %%
# How low should it go?
# ---------------------
#
# The loss does not reach zero, and it should not: the targets contain noise, which a smooth
# curve cannot (and should not) follow. How much noise? For this sample we know it exactly: the
# targets are :math:`\sin(\pi x)` plus the noise, so the noise is ``targets`` minus
# :math:`\sin(\pi x)`. Its mean square is the loss that the true curve :math:`\sin(\pi x)` itself
# would get.

noise = targets - torch.sin(math.pi * inputs)
noise_mse = (noise**2).mean().item()
print(f"noise_mse = {noise_mse:.4f}")
print(f"losses[-1] = {losses[-1]:.4f}")
print(f"losses[-1] < noise_mse: {losses[-1] < noise_mse}")

# %%
# The last loss, 0.0673, is *below* the noise's mean square, 0.0767: the network's curve passes
# closer to these 32 points than the true sine does. It has started to fit the noise -- to
# learn the accidents of this particular sample, which new samples would not share. With 1537
# parameters for 32 points the network has room to do so; telling what a model has learnt about
# the function from what it has learnt about the noise (*overfitting*) comes later in the
# course.
#
# Recap
# -----
#
# * A model is a class derived from ``nn.Module``: ``__init__`` calls ``super().__init__()``
#   and creates the layers, ``forward`` computes the output, and ``model(x)`` runs it.
# * A module registers the ``nn.Parameter`` tensors and layers assigned to it;
#   ``model.parameters()`` gives them all to the optimiser (1537 here). A plain tensor with
#   ``requires_grad=True`` is not registered.
# * Training needs the parameters, a loss function (``nn.MSELoss``) and an optimiser
#   (``torch.optim.SGD`` with learning rate 0.003 and momentum 0.9; momentum steps along
#   :math:`v`, a decaying sum of past gradients).
# * One training step is five lines: ``optimizer.zero_grad()``, ``prediction = model(x)``,
#   ``loss = loss_fn(prediction, y)``, ``loss.backward()``, ``optimizer.step()``. A training loop
#   repeats them and records ``loss.item()``.
# * A loss below the noise of the data means the model has begun to fit the noise.
# * Seeding before the data and before the model makes every run print the same numbers.
#
# What you have learnt today
# --------------------------
#
# * The **gradient** points uphill; **gradient descent** walks the other way with steps of
#   size :math:`\eta` times the gradient, and only needs the derivatives of the loss with
#   respect to the parameters.
# * A **computational graph** splits a complicated function into simple steps; the
#   **backward pass** multiplies local derivatives along it (the **chain rule**) to get every
#   gradient at once.
# * PyTorch's **autograd** records that graph during the forward pass and runs the backward pass
#   for you; its gradients match the ones derived by hand, compared with a tolerance.
# * ``nn.Module``, a loss function and an optimiser turn this into a **training loop** that fits
#   a network to data.
