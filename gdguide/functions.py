"""The two example functions of the lesson and their hand-derived gradients.

* ``h(x, y) = sin(x² + y²)`` (§1.1), whose gradient the reader derives with the chain rule;
* ``f(x, y, z) = tanh(ln(1 + z·2x / sin y))`` (§1.2-§1.3), split into the intermediate variables
  ``a = 2x, b = sin y, c = a/b, d = c·z, e = ln(d + 1), f = tanh(e)`` for backpropagation.

Every function accepts either real numbers / NumPy arrays (computed in float64 and broadcast the
NumPy way; a result is a ``float`` when all inputs are scalars, an ``ndarray`` otherwise) or
``torch.Tensor`` arguments only (computed with torch operations so that autograd can follow them).
Mixing the two kinds raises ``TypeError``.

``f`` is defined only where ``sin(y) != 0`` and ``1 + d > 0``. Outside that domain the functions
raise ``ValueError`` naming the arguments and the values at fault; they never return NaN silently.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from gdguide._validate import as_float_array, check_tensor

__all__ = ["f", "f_gradient", "h", "h_gradient"]

#: ``sin(y)`` counts as zero when ``|sin y| < max(SIN_TOLERANCE, SIN_ULPS · spacing(y))``, where
#: ``spacing(y)`` is the gap between ``y`` and the next float of its dtype (``numpy.spacing``).
#: The spacing term allows for the rounding error of ``y`` itself: ``sin(math.pi)`` is
#: ``1.2e-16``, not ``0``, ``sin(1000 * math.pi)`` is ``-3.2e-13``, and the error grows with the
#: size of ``y`` -- but only as fast as the spacing does, so at ``y = 1e12`` (spacing ``1.2e-4``)
#: ``sin(y) = -0.049`` is clearly not zero. Float32 tensors use ``4·eps(float32)`` as the floor.
SIN_TOLERANCE = 1e-12
SIN_ULPS = 8

_F_HINT = "use a smaller |x·z| or a y further from a multiple of pi"
_H_HINT = "h needs x² + y² to be a finite float64 number (|x|, |y| below about 1e154)"

Array = np.ndarray | torch.Tensor
Value = float | np.ndarray | torch.Tensor


# --------------------------------------------------------------------------------------------
# Argument handling
# --------------------------------------------------------------------------------------------


def _prepare(names: tuple[str, ...], values: tuple[Any, ...]) -> tuple[str, list[Array]]:
    """Check the arguments of one call and return their kind and the converted values.

    Returns ``("torch", tensors)`` when every argument is a tensor and ``("numpy", arrays)`` when
    none is; arrays are float64. Shapes are checked to broadcast together.
    """
    is_tensor = [isinstance(value, torch.Tensor) for value in values]
    if any(is_tensor) and not all(is_tensor):
        tensors = [name for name, flag in zip(names, is_tensor, strict=True) if flag]
        others = [
            f"{name} ({type(value).__name__})"
            for name, value, flag in zip(names, values, is_tensor, strict=True)
            if not flag
        ]
        raise TypeError(
            f"{', '.join(names)} must be all torch tensors or all real numbers / NumPy arrays; "
            f"got tensors for {', '.join(tensors)} but {', '.join(others)}"
        )
    if all(is_tensor):
        converted: list[Array] = []
        for name, value in zip(names, values, strict=True):
            tensor = check_tensor(name, value)
            if not tensor.is_floating_point():
                raise TypeError(
                    f"{name} must be a floating-point tensor (autograd needs one), "
                    f"got dtype {tensor.dtype}"
                )
            converted.append(tensor)
        shapes = [tuple(tensor.shape) for tensor in converted]
        try:
            torch.broadcast_shapes(*shapes)
        except RuntimeError:
            _raise_shape_mismatch(names, shapes)
        return "torch", converted
    arrays = [as_float_array(name, value) for name, value in zip(names, values, strict=True)]
    shapes = [array.shape for array in arrays]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        _raise_shape_mismatch(names, shapes)
    return "numpy", arrays


def _raise_shape_mismatch(names: tuple[str, ...], shapes: list[tuple[int, ...]]) -> None:
    described = ", ".join(f"{name} {shape}" for name, shape in zip(names, shapes, strict=True))
    raise ValueError(f"the shapes of {', '.join(names)} do not broadcast together: {described}")


def _finish(kind: str, value: Array, inputs: list[Array]) -> Value:
    """Return a float for all-scalar NumPy inputs, the array or tensor otherwise."""
    if kind == "numpy" and all(array.ndim == 0 for array in inputs):
        return float(value)
    return value


def _to_numpy(value: Array) -> np.ndarray:
    """Return a float64 NumPy copy of an array or tensor (for checks and messages only)."""
    if isinstance(value, torch.Tensor):
        return value.detach().to("cpu", torch.float64).numpy()
    return np.asarray(value, dtype=np.float64)


def _first_index(mask: np.ndarray) -> tuple[int, ...]:
    """Return the index of the first ``True`` in *mask* (C order)."""
    flat = int(np.flatnonzero(mask)[0])
    return tuple(int(i) for i in np.unravel_index(flat, mask.shape))


def _subscript(name: str, index: tuple[int, ...]) -> str:
    """Return ``name[i, j]`` for an array element, ``name`` for a scalar."""
    return f"{name}[{', '.join(str(i) for i in index)}]" if index else name


def _at(index: tuple[int, ...]) -> str:
    """Return ``"at index (i, j): "`` for an array element, ``""`` for a scalar."""
    return f"at index {index}: " if index else ""


def _fmt(value: float) -> str:
    return repr(float(value))


# --------------------------------------------------------------------------------------------
# h(x, y) = sin(x² + y²)
# --------------------------------------------------------------------------------------------


def h(x: Any, y: Any) -> Value:
    """Evaluate ``h(x, y) = sin(x² + y²)``, the surface of §1.1.

    Parameters
    ----------
    x, y : float, numpy.ndarray or torch.Tensor
        Real numbers or arrays (broadcast together as NumPy does), or floating-point tensors
        (both must then be tensors). Values must be finite.

    Returns
    -------
    float, numpy.ndarray or torch.Tensor
        ``sin(x² + y²)``: a ``float`` for scalar inputs, a float64 array for array inputs, a tensor
        (part of the autograd graph) for tensor inputs.

    Raises
    ------
    TypeError
        If an argument is not a real number, array or floating-point tensor (``bool`` and ``str``
        included), or if tensors are mixed with other values.
    ValueError
        If a value is NaN or infinite, or if the shapes do not broadcast.

    Examples
    --------
    >>> round(h(1.0, 0.0), 6)
    0.841471
    """
    kind, (xa, ya) = _prepare(("x", "y"), (x, y))
    if kind == "torch":
        result = torch.sin(xa**2 + ya**2)
    else:
        with np.errstate(all="ignore"):
            result = np.sin(xa**2 + ya**2)
    _check_finite_result(("x", "y"), [xa, ya], [result], _H_HINT)
    return _finish(kind, result, [xa, ya])


def h_gradient(x: Any, y: Any) -> tuple[Value, Value]:
    """Return the gradient of ``h`` derived with the chain rule: ``(∂z/∂x, ∂z/∂y)``.

    With ``z = sin(u)`` and ``u = x² + y²``: ``∂z/∂x = cos(x² + y²)·2x`` and
    ``∂z/∂y = cos(x² + y²)·2y``.

    Parameters
    ----------
    x, y : float, numpy.ndarray or torch.Tensor
        As for :func:`h`.

    Returns
    -------
    tuple
        ``(dz_dx, dz_dy)``, both of the broadcast shape of ``x`` and ``y`` (floats for scalar
        inputs).

    Raises
    ------
    TypeError
        As for :func:`h`.
    ValueError
        As for :func:`h`.

    Examples
    --------
    >>> dz_dx, dz_dy = h_gradient(1.0, 0.0)
    >>> round(dz_dx, 6), round(dz_dy, 6)
    (1.080605, 0.0)
    """
    kind, (xa, ya) = _prepare(("x", "y"), (x, y))
    lib: Any = torch if kind == "torch" else np
    with np.errstate(all="ignore"):
        outer = lib.cos(xa**2 + ya**2)  # dz/du with u = x² + y²
        dz_dx = outer * 2 * xa  # · du/dx
        dz_dy = outer * 2 * ya  # · du/dy
    _check_finite_result(("x", "y"), [xa, ya], [dz_dx, dz_dy], _H_HINT)
    if kind == "torch":
        return dz_dx, dz_dy
    return _finish(kind, dz_dx, [xa, ya]), _finish(kind, dz_dy, [xa, ya])


# --------------------------------------------------------------------------------------------
# f(x, y, z) = tanh(ln(1 + z·2x / sin y))
# --------------------------------------------------------------------------------------------


def _sin_tolerance(y: Array, y_values: np.ndarray) -> np.ndarray:
    """Return the tolerance below which ``|sin(y)|`` counts as zero, element by element."""
    if isinstance(y, torch.Tensor) and y.dtype != torch.float64:
        dtype = np.dtype(str(y.dtype).removeprefix("torch."))
        floor = max(SIN_TOLERANCE, 4.0 * float(np.finfo(dtype).eps))
    else:
        dtype, floor = np.dtype(np.float64), SIN_TOLERANCE
    spacing = np.spacing(np.abs(y_values).astype(dtype)).astype(np.float64)
    return np.maximum(floor, SIN_ULPS * spacing)


def _check_f_domain(names: tuple[str, str, str], x: Array, y: Array, z: Array) -> None:
    """Raise ``ValueError`` unless every ``(x, y, z)`` lies in the domain of ``f``.

    Checks ``sin(y) != 0`` (within :data:`SIN_TOLERANCE`) and then ``1 + d > 0`` with
    ``d = z·2x / sin(y)``, computing with the same library and precision as :func:`f`. The
    message names the arguments, their values and, for arrays, the first offending index.

    Parameters
    ----------
    names : tuple of str
        The names of the three arguments, used in messages (``("x", "y", "z")`` normally).
    x, y, z : numpy.ndarray or torch.Tensor
        The already validated arguments, all of one kind.

    Raises
    ------
    ValueError
        If a point lies outside the domain.
    """
    x_name, y_name, z_name = names
    if isinstance(y, torch.Tensor):
        with torch.no_grad():
            sin_y = _to_numpy(torch.sin(y.detach()))
            one_plus_d = _to_numpy(1 + z.detach() * 2 * x.detach() / torch.sin(y.detach()))
    else:
        sin_y = np.sin(y)
        with np.errstate(all="ignore"):
            one_plus_d = 1 + z * 2 * x / sin_y
    y_values = _to_numpy(y)
    tolerance = _sin_tolerance(y, y_values)
    too_small = np.abs(sin_y) < tolerance
    if np.any(too_small):
        index = _first_index(too_small)
        where = f"{_subscript(y_name, index)} = {_fmt(y_values[index])}"
        if tolerance[index] >= 1:  # no value of sin can pass: y is too large to place
            spacing = tolerance[index] / SIN_ULPS
            raise ValueError(
                f"{where} is too large in magnitude: floats of this size are {spacing:.2g} "
                f"apart, so sin({y_name}) cannot be told from 0 (f is defined only where "
                f"sin({y_name}) != 0); use a smaller |{y_name}|"
            )
        raise ValueError(
            f"{where} gives sin({y_name}) = {float(sin_y[index]):.2g}, which counts as 0 "
            f"(|sin({y_name})| < {float(tolerance[index]):.2g}, the tolerance for rounding at "
            f"this size of {y_name}); f is defined only where sin({y_name}) != 0 "
            f"({y_name} must not be a multiple of pi)"
        )
    shape = np.broadcast_shapes(*(np.shape(_to_numpy(v)) for v in (x, y, z)))
    one_plus_d = np.broadcast_to(one_plus_d, shape)
    outside = ~(one_plus_d > 0)  # also catches NaN from an overflow
    if np.any(outside):
        index = _first_index(outside)
        values = [np.broadcast_to(_to_numpy(v), shape)[index] for v in (x, y, z)]
        listing = ", ".join(
            f"{name} = {_fmt(value)}" for name, value in zip(names, values, strict=True)
        )
        raise ValueError(
            f"{_at(index)}{listing} give 1 + d = 1 + {z_name}·2{x_name}/sin({y_name}) = "
            f"{float(one_plus_d[index]):.6g}; f is defined only where 1 + d > 0 "
            f"(the logarithm needs a positive argument)"
        )


def _check_finite_result(
    names: tuple[str, ...], inputs: list[Array], results: list[Array], hint: str
) -> None:
    """Raise ``ValueError`` if an overflow left a non-finite number in *results*."""
    arrays = [_to_numpy(result) for result in results]
    shape = np.broadcast_shapes(*(array.shape for array in arrays))
    bad = np.zeros(shape, dtype=bool)
    for array in arrays:
        bad |= ~np.isfinite(np.broadcast_to(array, shape))
    if np.any(bad):
        index = _first_index(bad)
        values = [np.broadcast_to(_to_numpy(v), shape)[index] for v in inputs]
        listing = ", ".join(
            f"{name} = {_fmt(value)}" for name, value in zip(names, values, strict=True)
        )
        raise ValueError(
            f"{_at(index)}{listing} overflow the floating-point range; {hint}"
        )


def f(x: Any, y: Any, z: Any) -> Value:
    """Evaluate ``f(x, y, z) = tanh(ln(1 + z·2x / sin y))``, the function of §1.2-§1.3.

    Parameters
    ----------
    x, y, z : float, numpy.ndarray or torch.Tensor
        Real numbers or arrays broadcast together, or floating-point tensors (all three). The
        point must satisfy ``sin(y) != 0`` and ``1 + d > 0`` with ``d = z·2x / sin(y)``.

    Returns
    -------
    float, numpy.ndarray or torch.Tensor
        The value(s) of ``f``; a ``float`` for scalar inputs.

    Raises
    ------
    TypeError
        If an argument is not a real number, array or floating-point tensor, or if kinds are
        mixed.
    ValueError
        If a value is not finite, shapes do not broadcast, or a point lies outside the domain
        (the message names the arguments and values, and the first offending index for arrays).

    Examples
    --------
    >>> round(f(1.0, 1.0, 1.0), 6)
    0.838745
    """
    names = ("x", "y", "z")
    kind, (xa, ya, za) = _prepare(names, (x, y, z))
    _check_f_domain(names, xa, ya, za)
    if kind == "torch":
        result = torch.tanh(torch.log1p(za * 2 * xa / torch.sin(ya)))
    else:
        with np.errstate(all="ignore"):
            result = np.tanh(np.log1p(za * 2 * xa / np.sin(ya)))
    _check_finite_result(names, [xa, ya, za], [result], _F_HINT)
    return _finish(kind, result, [xa, ya, za])


def f_gradient(x: Any, y: Any, z: Any) -> tuple[Value, Value, Value]:
    """Return ``(∂f/∂x, ∂f/∂y, ∂f/∂z)`` from the hand-derived formulas of §1.3.

    With ``a = 2x``, ``b = sin y``, ``c = a/b``, ``d = c·z``, ``e = ln(d + 1)``:

    * ``∂f/∂x = (1 − tanh²e) · 1/(d+1) · z · 1/b · 2``
    * ``∂f/∂y = (1 − tanh²e) · 1/(d+1) · z · (−a/b²) · cos(y)``
    * ``∂f/∂z = (1 − tanh²e) · 1/(d+1) · c``

    Parameters
    ----------
    x, y, z : float, numpy.ndarray or torch.Tensor
        As for :func:`f`.

    Returns
    -------
    tuple
        The three partial derivatives, each of the broadcast shape of the inputs (floats for
        scalar inputs; tensors, differentiable again, for tensor inputs).

    Raises
    ------
    TypeError
        As for :func:`f`.
    ValueError
        As for :func:`f`.

    Examples
    --------
    >>> [round(g, 6) for g in f_gradient(1.0, 1.0, 1.0)]
    [0.2087, -0.134004, 0.2087]
    """
    names = ("x", "y", "z")
    kind, (xa, ya, za) = _prepare(names, (x, y, z))
    _check_f_domain(names, xa, ya, za)
    lib: Any = torch if kind == "torch" else np
    with np.errstate(all="ignore"):
        a = 2 * xa
        b = lib.sin(ya)
        c = a / b
        d = c * za
        e = lib.log1p(d)
        common = (1 - lib.tanh(e) ** 2) / (d + 1)  # ∂f/∂e · ∂e/∂d
        df_dx = common * za * (1 / b) * 2
        df_dy = common * za * (-a / b**2) * lib.cos(ya)
        df_dz = common * c
    grads = [df_dx, df_dy, df_dz]
    _check_finite_result(names, [xa, ya, za], grads, _F_HINT)
    if kind == "numpy":
        shape = np.broadcast_shapes(xa.shape, ya.shape, za.shape)
        grads = [np.broadcast_to(g, shape).copy() for g in grads]
    df_dx, df_dy, df_dz = (_finish(kind, g, [xa, ya, za]) for g in grads)
    return df_dx, df_dy, df_dz
