"""Three ways to a gradient, and a tolerant comparison of them.

* by hand (the formulas of :mod:`gdguide.functions`),
* by PyTorch's autograd (:func:`autograd_gradient`),
* by central finite differences (:func:`numerical_gradient`),

and :func:`compare_gradients`, which checks all three pairwise with ``allclose``-style
tolerances -- never with ``==``, which fails on the last bit of a float for no good reason.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from gdguide._validate import (
    as_float_array,
    check_bool,
    check_callable,
    check_lang,
    check_nonnegative,
    check_positive,
    check_real,
    check_scalar_result,
    check_str,
    check_tensor,
)

__all__ = [
    "GradientComparison",
    "PairDetail",
    "autograd_gradient",
    "compare_gradients",
    "numerical_gradient",
]

Gradient = float | np.ndarray | torch.Tensor

#: The three ways, in the order the pairs are compared.
METHODS = ("hand", "autograd", "numerical")
PAIRS = (("hand", "autograd"), ("hand", "numerical"), ("autograd", "numerical"))


# --------------------------------------------------------------------------------------------
# Evaluating fn
# --------------------------------------------------------------------------------------------


def _scalar_output(value: Any, where: str) -> float:
    """Return the output of ``fn`` as a float, checking that it is one finite real number."""
    result = check_scalar_result("fn", value, where)
    if not math.isfinite(result):
        raise ValueError(f"fn returned {result!r} {where}; a gradient needs finite values")
    return result


@dataclass
class _Input:
    """One input of ``fn``: how to pass it, and its values as a float64 array."""

    kind: str  # "float", "numpy" or "torch"
    base: np.ndarray
    tensor_dtype: torch.dtype | None = None  # the dtype fn receives
    result_dtype: torch.dtype | None = None  # the dtype of the returned gradient
    device: torch.device | None = None

    def make(self, values: np.ndarray) -> Any:
        """Return *values* in the form ``fn`` expects for this input."""
        if self.kind == "float":
            return float(values)
        if self.kind == "numpy":
            return values.copy()
        return torch.as_tensor(values.copy(), dtype=self.tensor_dtype, device=self.device)

    def result(self, gradient: np.ndarray) -> Gradient:
        """Return *gradient* in the same form as the input."""
        if self.kind == "float":
            return float(gradient)
        if self.kind == "numpy":
            return gradient
        return torch.as_tensor(gradient, dtype=self.result_dtype, device=self.device)


def _compute_dtype(tensor: torch.Tensor) -> torch.dtype:
    """Float64 where the device supports it (MPS does not), else the tensor's float dtype."""
    if tensor.device.type == "mps":
        return tensor.dtype if tensor.is_floating_point() else torch.float32
    return torch.float64


def _wrap_input(index: int, value: Any) -> _Input:
    name = f"inputs[{index}]"
    if isinstance(value, torch.Tensor):
        tensor = check_tensor(name, value)
        base = tensor.detach().to("cpu", torch.float64).numpy().copy()
        result_dtype = tensor.dtype if tensor.is_floating_point() else torch.float64
        return _Input("torch", base, _compute_dtype(tensor), result_dtype, tensor.device)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return _Input("float", np.asarray(check_real(name, value), dtype=np.float64))
    return _Input("numpy", as_float_array(name, value).copy())


def numerical_gradient(
    fn: Callable[..., Any], *inputs: Any, eps: float = 1e-6
) -> tuple[Gradient, ...]:
    """Estimate the gradient of ``fn`` by central differences, element by element.

    For every element ``x_k`` of every input,
    ``∂fn/∂x_k ≈ (fn(x_k + eps) − fn(x_k − eps)) / (2 eps)`` with all other elements held fixed.
    The error is of order ``eps²`` (truncation) plus ``|fn|·1e-16/eps`` (rounding),
    about ``1e-10`` for the default ``eps`` and values of order 1.

    Parameters
    ----------
    fn : callable
        Called as ``fn(*inputs)``; must return one finite real number (a float, a 0-d or
        one-element array, or a one-element tensor).
    *inputs : float, numpy.ndarray or torch.Tensor
        The point at which to differentiate. Floats are passed to ``fn`` as floats, arrays as
        float64 arrays, tensors as float64 tensors on their device (float32 on devices without
        float64).
    eps : float, optional
        The step, > 0. Default ``1e-6``.

    Returns
    -------
    tuple
        One gradient per input, of the same form: a ``float`` for a float, a float64 array of the
        input's shape for an array, a tensor with the input's dtype (float64 for integer tensors)
        and device for a tensor.

    Raises
    ------
    TypeError
        If ``fn`` is not callable, an input is not a real number, array or tensor, or ``fn``
        returns something that is not a real number.
    ValueError
        If ``eps <= 0``, no input is given, an input is not finite, or ``fn`` returns a
        non-scalar or a non-finite value.

    Examples
    --------
    >>> (g,) = numerical_gradient(lambda x: x**3, 2.0)
    >>> abs(g - 12.0) < 1e-6
    True
    """
    check_callable("fn", fn)
    eps = check_positive("eps", eps)
    if not inputs:
        raise ValueError("inputs: numerical_gradient needs at least one input after fn")
    wrapped = [_wrap_input(i, value) for i, value in enumerate(inputs)]
    current = [w.make(w.base) for w in wrapped]
    gradients: list[Gradient] = []
    with torch.no_grad():
        for i, w in enumerate(wrapped):
            grad = np.zeros_like(w.base)
            for k in np.ndindex(w.base.shape):
                values = []
                for sign in (1.0, -1.0):
                    shifted = w.base.copy()
                    shifted[k] += sign * eps
                    args = list(current)
                    args[i] = w.make(shifted)
                    where = f"(shifting inputs[{i}] at index {k} by {sign * eps:+g})"
                    values.append(_scalar_output(fn(*args), where))
                grad[k] = (values[0] - values[1]) / (2 * eps)
            gradients.append(w.result(grad))
    return tuple(gradients)


def autograd_gradient(fn: Callable[..., Any], *inputs: Any) -> tuple[torch.Tensor, ...]:
    """Differentiate ``fn`` with PyTorch's autograd at the given point.

    Each input is converted to a fresh float64 leaf tensor with ``requires_grad=True`` (tensor
    inputs keep their device and are detached from any graph they belonged to), ``fn`` is called
    on them, ``.backward()`` runs on the result and the ``.grad`` of every leaf is returned.

    Parameters
    ----------
    fn : callable
        Called as ``fn(*tensors)``; must use torch operations and return a one-element tensor.
    *inputs : float, array-like or torch.Tensor
        The point, finite real values.

    Returns
    -------
    tuple of torch.Tensor
        One float64 gradient per input, shaped like the input (zeros for an input ``fn`` does not
        use).

    Raises
    ------
    TypeError
        If ``fn`` is not callable, an input is not a real number, array or tensor, or ``fn`` does
        not return a tensor connected to its inputs.
    ValueError
        If no input is given, an input is not finite, or ``fn`` returns a non-scalar or
        non-finite value.

    Examples
    --------
    >>> (g,) = autograd_gradient(lambda x: x**3, 2.0)
    >>> round(float(g), 6)
    12.0
    """
    check_callable("fn", fn)
    if not inputs:
        raise ValueError("inputs: autograd_gradient needs at least one input after fn")
    leaves = []
    for i, value in enumerate(inputs):
        name = f"inputs[{i}]"
        if isinstance(value, torch.Tensor):
            tensor = check_tensor(name, value).detach().to(torch.float64).clone()
        else:
            tensor = torch.as_tensor(as_float_array(name, value), dtype=torch.float64)
        leaves.append(tensor.requires_grad_(True))
    with torch.enable_grad():
        output = fn(*leaves)
        if not isinstance(output, torch.Tensor):
            raise TypeError(
                f"fn must return a torch.Tensor built from its inputs with torch operations, "
                f"got {type(output).__name__}"
            )
        _scalar_output(output, "(autograd_gradient)")
        if not output.requires_grad:
            raise TypeError(
                "fn must compute its result from its inputs with torch operations; the tensor "
                "it returned is not connected to them (no grad_fn)"
            )
        output.reshape(()).backward()
    return tuple(
        leaf.grad if leaf.grad is not None else torch.zeros_like(leaf).detach()
        for leaf in leaves
    )


# --------------------------------------------------------------------------------------------
# Comparing the three
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairDetail:
    """The comparison of one gradient between two methods.

    Attributes
    ----------
    pair : tuple of str
        The two methods, e.g. ``("hand", "autograd")``.
    name : str
        The name of the gradient (the variable it belongs to).
    max_abs_diff : float
        Largest ``|a − b|`` over the elements.
    max_rel_diff : float
        Largest ``|a − b| / max(|a|, |b|)`` over the elements (0 where both are 0).
    passed : bool
        Whether every element satisfies ``|a − b| <= atol + rtol·max(|a|, |b|)``.

    Raises
    ------
    TypeError
        If a field has the wrong type.
    ValueError
        If *pair* is not one of the three pairs, or a difference is negative or not finite.
    """

    pair: tuple[str, str]
    name: str
    max_abs_diff: float
    max_rel_diff: float
    passed: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "pair", _check_pair(self.pair))
        check_str("name", self.name)
        for field_name in ("max_abs_diff", "max_rel_diff"):
            object.__setattr__(
                self, field_name, check_nonnegative(field_name, getattr(self, field_name))
            )
        check_bool("passed", self.passed)


def _check_pair(pair: Any) -> tuple[str, str]:
    """Check that *pair* is one of :data:`PAIRS` (a tuple or list) and return it as a tuple."""
    if not isinstance(pair, (tuple, list)):
        raise TypeError(
            f"pair must be a tuple of two method names, one of {PAIRS}, got "
            f"{type(pair).__name__} {pair!r:.60}"
        )
    if tuple(pair) not in PAIRS:
        raise ValueError(f"pair must be one of {PAIRS}, got {pair!r:.60}")
    return (pair[0], pair[1])


@dataclass
class GradientComparison:
    """The outcome of :func:`compare_gradients`.

    Attributes
    ----------
    names : tuple of str
        The names of the gradients compared.
    max_abs_diff : float
        Largest absolute difference over all pairs, gradients and elements.
    max_rel_diff : float
        Largest relative difference over all pairs, gradients and elements.
    rtol, atol : float
        The tolerances used.
    passed : bool
        Whether every pair agrees within the tolerances.
    details : tuple of PairDetail
        One entry per (pair of methods, gradient), pairs in the order hand–autograd,
        hand–numerical, autograd–numerical.

    Raises
    ------
    TypeError
        If a field has the wrong type (*names* and *details* must be lists or tuples).
    ValueError
        If a difference or tolerance is negative or not finite.
    """

    names: tuple[str, ...]
    max_abs_diff: float
    max_rel_diff: float
    rtol: float
    atol: float
    passed: bool
    details: tuple[PairDetail, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for field_name, kind in (("names", str), ("details", PairDetail)):
            items = getattr(self, field_name)
            if not isinstance(items, (list, tuple)):
                raise TypeError(
                    f"{field_name} must be a list or tuple of {kind.__name__}, got "
                    f"{type(items).__name__} {items!r:.60}"
                )
            for i, item in enumerate(items):
                if not isinstance(item, kind):
                    raise TypeError(
                        f"{field_name}[{i}] must be a {kind.__name__}, got "
                        f"{type(item).__name__} {item!r:.60}"
                    )
            setattr(self, field_name, tuple(items))
        for field_name in ("max_abs_diff", "max_rel_diff", "rtol", "atol"):
            setattr(self, field_name, check_nonnegative(field_name, getattr(self, field_name)))
        check_bool("passed", self.passed)

    def pair_max_abs_diff(self, pair: tuple[str, str]) -> float:
        """Return the largest absolute difference of one pair of methods over all gradients.

        Parameters
        ----------
        pair : tuple of str
            One of ``("hand", "autograd")``, ``("hand", "numerical")``,
            ``("autograd", "numerical")``.

        Returns
        -------
        float
            The maximum of ``max_abs_diff`` over the details of that pair.

        Raises
        ------
        TypeError
            If *pair* is not a tuple or list.
        ValueError
            If *pair* is not one of the three pairs.
        """
        pair = _check_pair(pair)
        return max((d.max_abs_diff for d in self.details if d.pair == pair), default=0.0)

    def summary(self, lang: str = "en") -> str:
        """Describe the comparison in a few lines: the largest differences and the verdict.

        Parameters
        ----------
        lang : {"en", "ja"}
            Language of the text.

        Returns
        -------
        str
            One line per pair of methods (largest absolute and relative difference, and which
            gradient it was in) and a final verdict line.

        Raises
        ------
        TypeError
            If *lang* is not a str.
        ValueError
            If *lang* is not ``"en"`` or ``"ja"``.
        """
        language = check_lang(lang)
        lines = [language.text("gradcheck_title", rtol=f"{self.rtol:g}", atol=f"{self.atol:g}")]
        for pair in PAIRS:
            details = [d for d in self.details if d.pair == pair]
            if not details:
                continue
            worst = max(details, key=lambda d: d.max_abs_diff)
            worst_rel = max(d.max_rel_diff for d in details)
            ok = all(d.passed for d in details)
            line = language.text(
                "gradcheck_pair",
                left=language.text(f"method_{pair[0]}"),
                right=language.text(f"method_{pair[1]}"),
                max_abs=f"{worst.max_abs_diff:.3g}",
                name=worst.name,
                max_rel=f"{worst_rel:.3g}",
                mark=language.text("gradcheck_pair_ok" if ok else "gradcheck_pair_mismatch"),
            )
            lines.append(f"  {line}")
        lines.append(language.text("gradcheck_passed" if self.passed else "gradcheck_failed"))
        return "\n".join(lines)


def _to_array(argument: str, index: int, name: str, value: Any) -> np.ndarray:
    label = f"{argument}[{index}] ({name})"
    if isinstance(value, torch.Tensor):
        tensor = check_tensor(label, value)
        return tensor.detach().to("cpu", torch.float64).numpy()
    return as_float_array(label, value)


def compare_gradients(
    hand: Sequence[Gradient],
    autograd: Sequence[Gradient],
    numerical: Sequence[Gradient],
    *,
    names: Sequence[str] | None = None,
    rtol: float = 1e-5,
    atol: float = 1e-7,
) -> GradientComparison:
    """Compare hand-derived, autograd and numerical gradients pairwise, with tolerances.

    Element by element, two values ``a`` and ``b`` agree when
    ``|a − b| <= atol + rtol·max(|a|, |b|)`` -- the ``numpy.allclose`` test made symmetric, so
    that no method is treated as the reference. All three pairs (hand–autograd,
    hand–numerical, autograd–numerical) must agree for the check to pass.

    Parameters
    ----------
    hand, autograd, numerical : sequence
        Lists or tuples with one gradient per variable (floats, NumPy arrays or tensors), the same
        number in each and matching shapes position by position.
    names : sequence of str, optional
        The variable names, one per gradient; default ``("input0", "input1", ...)``.
    rtol, atol : float, optional
        Relative and absolute tolerances, >= 0. Defaults ``1e-5`` and ``1e-7``: the numerical
        gradient is only accurate to about ``1e-10`` absolute and its error grows with ``|fn|``.

    Returns
    -------
    GradientComparison
        The largest differences, the verdict and the per-pair details.

    Raises
    ------
    TypeError
        If an argument is not a list or tuple, a gradient is not a real number, array or tensor,
        or a name is not a str.
    ValueError
        If the lengths or shapes differ (the message names the argument and position), a
        gradient holds NaN or infinity, or a tolerance is negative.

    Examples
    --------
    >>> result = compare_gradients([1.0], [1.0 + 1e-12], [1.0 - 1e-10], names=["x"])
    >>> result.passed
    True
    """
    rtol = check_nonnegative("rtol", rtol)
    atol = check_nonnegative("atol", atol)
    groups = {"hand": hand, "autograd": autograd, "numerical": numerical}
    for argument, group in groups.items():
        if not isinstance(group, (list, tuple)):
            raise TypeError(
                f"{argument} must be a list or tuple of gradients (one per variable), "
                f"got {type(group).__name__}"
            )
    count = len(hand)
    for argument in ("autograd", "numerical"):
        if len(groups[argument]) != count:
            raise ValueError(
                f"{argument} holds {len(groups[argument])} gradient(s) but hand holds {count}; "
                f"all three must have one gradient per variable"
            )
    if names is None:
        names = tuple(f"input{i}" for i in range(count))
    else:
        if isinstance(names, str) or not isinstance(names, (list, tuple)):
            raise TypeError(f"names must be a list or tuple of str, got {type(names).__name__}")
        for i, name in enumerate(names):
            if not isinstance(name, str):
                raise TypeError(f"names[{i}] must be a str, got {type(name).__name__} {name!r}")
        if len(names) != count:
            raise ValueError(f"names holds {len(names)} name(s) but there are {count} gradient(s)")
        names = tuple(names)
    arrays = {
        argument: [
            _to_array(argument, i, names[i], value) for i, value in enumerate(group)
        ]
        for argument, group in groups.items()
    }
    for i in range(count):
        expected = arrays["hand"][i].shape
        for argument in ("autograd", "numerical"):
            shape = arrays[argument][i].shape
            if shape != expected:
                raise ValueError(
                    f"{argument}[{i}] ({names[i]}) has shape {shape} but hand[{i}] has shape "
                    f"{expected}"
                )
    details = []
    for left, right in PAIRS:
        for i in range(count):
            a, b = arrays[left][i], arrays[right][i]
            diff = np.abs(a - b)
            scale = np.maximum(np.abs(a), np.abs(b))
            rel = np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)
            details.append(
                PairDetail(
                    pair=(left, right),
                    name=names[i],
                    max_abs_diff=float(diff.max(initial=0.0)),
                    max_rel_diff=float(rel.max(initial=0.0)),
                    passed=bool(np.all(diff <= atol + rtol * scale)),
                )
            )
    return GradientComparison(
        names=names,
        max_abs_diff=max((d.max_abs_diff for d in details), default=0.0),
        max_rel_diff=max((d.max_rel_diff for d in details), default=0.0),
        rtol=rtol,
        atol=atol,
        passed=all(d.passed for d in details),
        details=tuple(details),
    )
