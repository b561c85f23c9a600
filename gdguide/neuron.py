r"""A single tanh neuron, its squared loss and its hand-derived gradients (lesson §2.1-2.2).

The neuron computes ``prediction = tanh(w·x + b)`` and is judged by the element-wise squared
loss ``(y_true - prediction)**2``. Differentiating by hand with the chain rule gives

.. math::

    \frac{\partial\,\mathrm{loss}}{\partial w} = -2\,x\,(y_t - y_p)\,(1 - y_p^2), \qquad
    \frac{\partial\,\mathrm{loss}}{\partial b} = -2\,(y_t - y_p)\,(1 - y_p^2),

which :func:`neuron_gradients` evaluates so that the lesson can compare it with autograd
(with a tolerance: the last bits of two correct computations may differ).
"""

from __future__ import annotations

import torch

from gdguide._validate import check_device, check_float32, check_tensor

__all__ = ["SimpleNeuron", "neuron_gradients", "squared_loss"]


def _check_finite_result(names: str, result: torch.Tensor) -> None:
    """Raise ``ValueError`` if an overflow of the inputs' dtype left inf or NaN in *result*."""
    if not bool(torch.isfinite(result).all()):
        raise ValueError(
            f"{names} are too large for their dtype: the result overflows to {_first_bad(result)}; "
            "use smaller values or a wider dtype (torch.float64)"
        )


def _first_bad(result: torch.Tensor) -> str:
    return repr(float(result[~torch.isfinite(result)].reshape(-1)[0]))


def _check_same_shape(name_a: str, a: torch.Tensor, name_b: str, b: torch.Tensor) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape (no broadcasting), got "
            f"{name_a} shape {tuple(a.shape)} and {name_b} shape {tuple(b.shape)}"
        )


class SimpleNeuron:
    """One neuron with a weight and a bias: ``prediction = tanh(w·x + b)``.

    Parameters
    ----------
    w : float
        Initial weight, a finite real number within the float32 range (``|w| <= 3.4e38``).
    b : float
        Initial bias, a finite real number within the float32 range.
    device : torch.device, str or None, default None
        Where the parameters live; ``None`` uses PyTorch's default device (normally the CPU).

    Attributes
    ----------
    w : torch.Tensor
        The weight, a float32 leaf tensor of shape ``(1,)`` with ``requires_grad=True``.
    b : torch.Tensor
        The bias, a float32 leaf tensor of shape ``(1,)`` with ``requires_grad=True``.

    Raises
    ------
    TypeError
        If *w* or *b* is not a real number (``bool`` is refused), or *device* is not a device.
    ValueError
        If *w* or *b* is NaN, infinite or too large for float32, or *device* names no device
        available on this machine.

    Examples
    --------
    >>> import torch
    >>> neuron = SimpleNeuron(w=-0.5, b=0.5)
    >>> neuron(torch.tensor([1]))
    tensor([0.], grad_fn=<TanhBackward0>)
    """

    def __init__(self, w: float, b: float, *, device: torch.device | str | None = None) -> None:
        w_value = check_float32("w", w)
        b_value = check_float32("b", b)
        target = check_device(device)
        self.w = torch.tensor([w_value], dtype=torch.float32, device=target, requires_grad=True)
        self.b = torch.tensor([b_value], dtype=torch.float32, device=target, requires_grad=True)

    def __repr__(self) -> str:
        return f"SimpleNeuron(w={self.w.item()!r}, b={self.b.item()!r})"

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return ``tanh(w·x + b)``, building the autograd graph.

        Parameters
        ----------
        x : torch.Tensor
            Input feature(s), integer or floating dtype, finite, on the same device as the
            parameters. Integer inputs such as ``torch.tensor([1])`` give a float
            result, because ``w`` is float32.

        Returns
        -------
        torch.Tensor
            The prediction, same shape as ``x`` (a single value broadcasts against ``w``),
            with ``grad_fn`` ``TanhBackward0``.

        Raises
        ------
        TypeError
            If *x* is not a tensor of real numbers.
        ValueError
            If *x* holds NaN or infinity, or lives on another device than the parameters.
        """
        x = check_tensor("x", x)
        if x.device != self.w.device:
            raise ValueError(
                f"x must be on the neuron's device {self.w.device}, got a tensor on {x.device}; "
                "move it with x.to(device) or build SimpleNeuron(w, b, device=...)"
            )
        return torch.tanh(self.w * x + self.b)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """Call :meth:`forward`."""
        return self.forward(x)

    def parameters(self) -> list[torch.Tensor]:
        """Return the trainable tensors ``[w, b]`` (the tensors themselves, not copies)."""
        return [self.w, self.b]

    def zero_grad(self) -> None:
        """Reset the accumulated gradients of ``w`` and ``b`` to zero, in place.

        ``.backward()`` *adds* to ``.grad``; call this between two backward passes. Parameters
        whose ``.grad`` is still ``None`` (no backward pass yet) are left as they are.
        """
        for parameter in self.parameters():
            if parameter.grad is not None:
                parameter.grad.zero_()


def squared_loss(y_true: torch.Tensor, y_prediction: torch.Tensor) -> torch.Tensor:
    """Return the element-wise squared error ``(y_true - y_prediction)**2`` (no mean).

    Parameters
    ----------
    y_true : torch.Tensor
        Targets, finite, integer or floating dtype.
    y_prediction : torch.Tensor
        Predictions, same shape as *y_true*.

    Returns
    -------
    torch.Tensor
        The loss of every element, same shape as the inputs; when *y_prediction* is part of an
        autograd graph the result's ``grad_fn`` is ``PowBackward0``.

    Raises
    ------
    TypeError
        If either argument is not a tensor of real numbers.
    ValueError
        If either holds NaN or infinity, if their shapes differ (nothing is broadcast), or if
        the squared error overflows their dtype.

    Examples
    --------
    >>> import torch
    >>> squared_loss(torch.tensor([7]), torch.tensor([0.0]))
    tensor([49.])
    """
    y_true = check_tensor("y_true", y_true)
    y_prediction = check_tensor("y_prediction", y_prediction)
    _check_same_shape("y_true", y_true, "y_prediction", y_prediction)
    loss = (y_true - y_prediction) ** 2
    _check_finite_result("y_true and y_prediction", loss.detach())
    return loss


def neuron_gradients(
    x: torch.Tensor, y_true: torch.Tensor, y_prediction: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return the hand-derived gradients of the squared loss with respect to ``w`` and ``b``.

    For ``y_p = tanh(w·x + b)`` and ``loss = (y_t - y_p)**2``:
    ``dloss/dw = -2·x·(y_t - y_p)·(1 - y_p**2)`` and ``dloss/db = -2·(y_t - y_p)·(1 - y_p**2)``.
    The computation uses detached copies, so it neither builds nor changes any autograd graph.

    Parameters
    ----------
    x : torch.Tensor
        The input feature(s) the prediction was made from.
    y_true : torch.Tensor
        The target(s), same shape as *x*.
    y_prediction : torch.Tensor
        The neuron's output ``tanh(w·x + b)``, same shape as *x*, so every value lies in
        ``[-1, 1]``.

    Returns
    -------
    tuple of torch.Tensor
        ``(dloss_dw, dloss_db)``, element by element, same shape as the inputs. For a batch,
        autograd's ``.grad`` of ``loss.sum()`` equals the sum of these elements.

    Raises
    ------
    TypeError
        If an argument is not a tensor of real numbers.
    ValueError
        If an argument holds NaN or infinity, the shapes differ, a prediction lies outside
        ``[-1, 1]`` (it cannot come from tanh), or the gradient overflows the dtype.

    Examples
    --------
    >>> import torch
    >>> neuron_gradients(torch.tensor([1]), torch.tensor([7]), torch.tensor([0.0]))
    (tensor([-14.]), tensor([-14.]))
    """
    x = check_tensor("x", x).detach()
    y_true = check_tensor("y_true", y_true).detach()
    y_prediction = check_tensor("y_prediction", y_prediction).detach()
    _check_same_shape("x", x, "y_true", y_true)
    _check_same_shape("x", x, "y_prediction", y_prediction)
    outside = y_prediction.abs() > 1
    if bool(outside.any()):
        index = tuple(int(i) for i in outside.nonzero()[0])
        raise ValueError(
            f"y_prediction must lie in [-1, 1], the range of tanh (it is the neuron's output "
            f"tanh(w·x + b)), got {float(y_prediction[index])!r} at index {index}"
        )
    common = -2 * (y_true - y_prediction) * (1 - y_prediction**2)
    dloss_dw = x * common
    _check_finite_result("y_true and y_prediction", common)
    _check_finite_result("x, y_true and y_prediction", dloss_dw)
    return dloss_dw, common
