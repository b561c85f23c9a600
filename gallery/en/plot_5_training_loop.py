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

* what an ``nn.Module`` is, and how its layers *register* their parameters;
* the three ingredients of training: the model's parameters, a loss function and an optimiser;
* the five lines of a training step -- zero the gradients, forward pass, loss, backward pass,
  update -- first written out once by hand, then as a loop that you write yourself;
* how the loss falls over 1847 epochs, and what the trained network has learnt.
"""

# %%
from gdguide.language import use_language

LANG = use_language("en")

import torch
from torch import nn

from gdguide.plots import plot_data, plot_training_result
from gdguide.reproducibility import SEED, set_seed
from gdguide.training import TRAINING_EPOCHS, make_sine_data, make_training_setup, train

# %%
# Three ingredients
# -----------------
#
# Training needs three things:
#
# * **the model's parameters** -- every tensor the optimiser may change. A model built from
#   ``torch.nn`` layers is an ``nn.Module``; each layer creates its weights and biases with
#   ``requires_grad=True`` and *registers* them with the module, so ``model.parameters()``
#   hands all of them to the optimiser in one call. (A plain tensor with ``requires_grad=True``
#   stored on a module is *not* registered; wrap it in ``nn.Parameter`` for that.)
# * **a loss function** -- the number to make small. Here it is the mean squared error,
#   ``nn.MSELoss``: the squared loss of the previous lesson, averaged over the samples.
# * **an optimiser** -- it keeps track of the parameters and, when you call its ``step()``
#   method, updates them from their ``.grad``. We use ``torch.optim.SGD``, gradient descent
#   with *momentum* (a running average of past gradients, which you will meet properly later in
#   the course).
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
# The model: a wide network
# -------------------------
#
# The network has one hidden layer of 512 ``tanh`` cells:
# ``Linear(1, 512) → Tanh → Linear(512, 1)``. Each cell computes :math:`\tanh(w x + b)` -- the
# neuron of the previous lesson -- and the output layer adds up the 512 cells with weights of
# its own. :func:`gdguide.training.make_training_setup` seeds the generators again, builds the
# model (its initial weights are random, hence the seed), the loss function and the optimiser,
# in that order.

model, loss_fn, optimizer = make_training_setup(seed=SEED)
print(model)
print(f"is an nn.Module: {isinstance(model, nn.Module)}")

# %%
# Printing a module lists its layers. The parameters themselves are found through
# ``named_parameters()``: every ``nn.Linear`` has registered a weight and a bias, all with
# ``requires_grad=True``.

for name, parameter in model.named_parameters():
    print(f"{name:16} shape {tuple(parameter.shape)!s:9} requires_grad={parameter.requires_grad}")
n_parameters = sum(parameter.numel() for parameter in model.parameters())
print(f"number of parameters: {n_parameters}")

# %%
# That is :math:`512 + 512` for the hidden layer's weights and biases, and :math:`512 + 1` for
# the output layer: 1537 numbers, all of them handed to the optimiser.

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

print(f"loss of this step: {loss.item():.3f}")
with torch.no_grad():
    print(f"loss after the update: {loss_fn(model(inputs), targets).item():.3f}")

# %%
# The loss was computed *before* the update (step 3), so the printed value belongs to the
# parameters the model started with. Evaluating the model once more, inside
# ``torch.no_grad()`` so that no graph is recorded, shows that the single step already lowered
# the loss.
#
# .. note::
#
#    In a notebook you can run the step cell several times and watch the loss fall. Training in
#    PyTorch is interactive: the model is an ordinary Python object whose parameters change in
#    place.
#
# Exercise: the training loop
# ---------------------------
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
# :func:`gdguide.training.train` is the same loop with argument checks, and it stops with an
# error if the loss ever becomes NaN or infinite. We train for ``TRAINING_EPOCHS`` = 1847
# epochs -- the year Augustin-Louis Cauchy published the method of steepest descent. As in the
# original lesson, training continues from the model that took the manual step above, and the
# generators are seeded once more first (this loop draws no random numbers, but a loop over
# shuffled mini-batches would).

set_seed(SEED)
losses = train(inputs, targets, model, loss_fn, optimizer, TRAINING_EPOCHS)
print(f"epochs: {len(losses)}")
print(f"loss of the first epoch: {losses[0]:.4f}")
print(f"loss of the last epoch:  {losses[-1]:.4f}")

# %%
# The first epoch's loss is the "loss after the update" printed above: training picked up where
# the manual step left off. Now the result: on the left, the data and the curve the network
# has learnt; on the right, the loss of every epoch (note the logarithmic axis).

fig = plot_training_result(model, inputs, targets, losses, lang=LANG)

# %%
# The network has found the sine shape underneath the noise. In the first few dozen epochs the
# loss jumps up and down -- momentum carries the parameters past the bottom of the valley and
# back -- then it falls steadily and finally levels off. It does not reach zero, and it should
# not: the targets contain noise, which no smooth curve can (or should) follow exactly. What
# remains is close to the variance of that noise, :math:`(1/4)^2 \approx 0.06`.
#
# Recap
# -----
#
# * An ``nn.Module`` built from ``torch.nn`` layers registers their parameters;
#   ``model.parameters()`` gives them all to the optimiser (1537 of them here).
# * Training needs the parameters, a loss function (``nn.MSELoss``) and an optimiser
#   (``torch.optim.SGD`` with learning rate 0.003 and momentum 0.9).
# * One training step is five lines: ``optimizer.zero_grad()``, ``prediction = model(x)``,
#   ``loss = loss_fn(prediction, y)``, ``loss.backward()``, ``optimizer.step()``. A training loop
#   repeats them and records ``loss.item()``.
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
